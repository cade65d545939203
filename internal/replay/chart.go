package replay

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"time"
)

// Chart geometry, in pixels.
const (
	chartRow      = 18
	chartMaxWidth = 1400
	chartFont     = 11
	chartCharW    = 7 // width of one character of the monospace labels
)

// WriteChart writes an SVG heat map of the matches per day per alarm: one
// row per alarm, one column per day from the first match to the last (or
// the days asked for), darker for more matches on a logarithmic scale, each
// cell titled with its count.
func (rep *Report) WriteChart(w io.Writer) error {
	from, to := rep.chartDays()
	days := int(to.Sub(from).Hours()/24) + 1
	var peak int64
	counts := make([]map[string]int64, len(rep.Alarms))
	labelChars := len("alarm")
	for i, a := range rep.Alarms {
		counts[i] = map[string]int64{}
		for _, d := range a.Days {
			counts[i][d.Value] = d.Count
			peak = max(peak, d.Count)
		}
		labelChars = max(labelChars, len(a.Name))
	}
	cell := max(2, min(14, chartMaxWidth/max(days, 1)))
	left := labelChars*chartCharW + 12
	top := 44
	gridW := cell * days
	totalX := left + gridW + 10
	width := totalX + 90
	height := top + chartRow*len(rep.Alarms) + 50

	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="monospace" font-size="%d">`+"\n", width, height, width, height, chartFont)
	fmt.Fprintf(b, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	fmt.Fprintf(b, `<text x="%d" y="16" font-size="13" font-weight="bold">Matches per day per alarm, %s to %s (UTC)</text>`+"\n", left, from.Format(time.DateOnly), to.Format(time.DateOnly))
	// Month marks above the grid.
	for d := 0; d < days; d++ {
		day := from.AddDate(0, 0, d)
		if d == 0 || day.Day() == 1 {
			x := left + d*cell
			fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999999"/>`+"\n", x, top-12, x, top-2)
			fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`+"\n", x+2, top-4, day.Format("2006-01"))
		}
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold">total</text>`+"\n", totalX, top-4)
	for i, a := range rep.Alarms {
		y := top + i*chartRow
		name := html.EscapeString(a.Name)
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+chartRow-5, name)
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#f2f2f2"/>`+"\n", left, y+1, gridW, chartRow-2)
		for d := 0; d < days; d++ {
			day := from.AddDate(0, 0, d).Format(time.DateOnly)
			n := counts[i][day]
			if n == 0 {
				continue
			}
			fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s %s: %d</title></rect>`+"\n",
				left+d*cell, y+1, cell, chartRow-2, shade(n, peak), name, day, n)
		}
		fmt.Fprintf(b, `<text x="%d" y="%d">%d</text>`+"\n", totalX, y+chartRow-5, a.Matches)
	}
	// Legend: the scale from one match to the peak.
	ly := top + chartRow*len(rep.Alarms) + 22
	fmt.Fprintf(b, `<text x="%d" y="%d">1</text>`+"\n", left, ly+11)
	for s := 0; s < 10; s++ {
		n := int64(math.Round(math.Pow(float64(max(peak, 1)), float64(s)/9)))
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="14" height="14" fill="%s"><title>%d</title></rect>`+"\n", left+14+s*15, ly, shade(max(n, 1), peak), n)
	}
	fmt.Fprintf(b, `<text x="%d" y="%d">%d matches in a day (grey: none)</text>`+"\n", left+14+10*15+4, ly+11, peak)
	fmt.Fprintln(b, `</svg>`)
	return b.Flush()
}

// chartDays is the range of days the chart shows: the days asked for, or
// from the first match to the last.
func (rep *Report) chartDays() (from, to time.Time) {
	for _, a := range rep.Alarms {
		if len(a.Days) == 0 {
			continue
		}
		f, _ := time.Parse(time.DateOnly, a.Days[0].Value)
		l, _ := time.Parse(time.DateOnly, a.Days[len(a.Days)-1].Value)
		if from.IsZero() || f.Before(from) {
			from = f
		}
		if l.After(to) {
			to = l
		}
	}
	if s, err := time.Parse(time.DateOnly, rep.Since); err == nil {
		from = s
	}
	if u, err := time.Parse(time.DateOnly, rep.Until); err == nil {
		to = u
	}
	if from.IsZero() && to.IsZero() {
		from = time.Now().UTC().Truncate(24 * time.Hour)
		to = from
	}
	if from.IsZero() {
		from = to
	}
	if to.Before(from) {
		to = from
	}
	return from, to
}

// shade is the colour of n matches when the busiest day had peak: from pale
// yellow to dark red, on a logarithmic scale.
func shade(n, peak int64) string {
	f := 1.0
	if peak > 1 {
		f = math.Log(float64(n)) / math.Log(float64(peak))
	}
	f = max(0, min(1, f))
	lerp := func(a, b float64) int { return int(math.Round(a + (b-a)*f)) }
	return fmt.Sprintf("#%02x%02x%02x", lerp(0xff, 0x99), lerp(0xe0, 0x00), lerp(0x80, 0x0d))
}
