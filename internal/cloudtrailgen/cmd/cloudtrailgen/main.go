// Command cloudtrailgen writes generated CloudTrail events for replay's
// benchmarks and the side-by-side script with jq: JSON Lines of a given
// size, or a log archive in CloudTrail's layout. The accounts and the
// elevated role are those of the example stack, Pulumi.prod.yaml.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
)

func main() {
	lines := flag.String("lines", "", "write JSON Lines to FILE")
	size := flag.Int64("size", 256<<20, "bytes of JSON Lines")
	archive := flag.String("archive", "", "write a log archive under DIR")
	days := flag.Int("days", 30, "days the events span")
	filesPerDay := flag.Int("files-per-day", 4, "archive files per account, region and day")
	eventsPerFile := flag.Int("events-per-file", 500, "events per archive file")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	g := cloudtrailgen.New(*seed, []string{"111111111111", "222222222222", "333333333333", "444444444444", "555555555555"},
		"elevated-security-role", []string{"444444444444", "555555555555"})
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	regions := []string{"eu-west-2", "eu-west-1"}
	switch {
	case *lines != "":
		f, err := os.Create(*lines)
		check(err)
		w := bufio.NewWriterSize(f, 1<<20)
		n, err := g.WriteLines(w, *size, start, *days, regions)
		check(err)
		check(w.Flush())
		check(f.Close())
		fmt.Fprintf(os.Stderr, "cloudtrailgen: %d events in %s\n", n, *lines)
	case *archive != "":
		a := cloudtrailgen.Archive{Organization: "o-exampleorg1", Regions: regions, Start: start, Days: *days, FilesPerDay: *filesPerDay, EventsPerFile: *eventsPerFile}
		paths, err := a.Write(g, *archive)
		check(err)
		fmt.Fprintf(os.Stderr, "cloudtrailgen: %d files under %s\n", len(paths), *archive)
	default:
		fmt.Fprintln(os.Stderr, "usage: cloudtrailgen -lines FILE [-size BYTES] | -archive DIR [-days N -files-per-day N -events-per-file N]")
		os.Exit(2)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "cloudtrailgen:", err)
		os.Exit(1)
	}
}
