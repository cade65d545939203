package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
	"github.com/example/landing-zone-audit/internal/replay"
)

// A large file of JSON Lines is read by several workers, each from a line
// boundary, and the report is the one a single worker reading it whole
// gives; a bad line in a later part is reported from where that part
// starts; a file of another shape is read whole whatever its size.
func TestReplaySplitsLargeJSONLines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var lines bytes.Buffer
	g := cloudtrailgen.New(5, accounts, "elevated-security-role", elevatedAccounts)
	_, err := g.WriteLines(&lines, 2<<20, start, 3, regions)
	require.NoError(t, err)
	path := filepath.Join(dir, "events.jsonl")
	require.NoError(t, os.WriteFile(path, lines.Bytes(), 0o600))
	alarms := stackAlarms()

	whole, err := replay.Run(context.Background(), alarms, replay.Options{Sources: []string{path}, Parallel: 1})
	require.NoError(t, err)
	split, err := replay.Run(context.Background(), alarms, replay.Options{Sources: []string{path}, Parallel: 4, SplitSize: 64 << 10})
	require.NoError(t, err)
	require.Empty(t, split.Problems)
	assert.Equal(t, int64(bytes.Count(lines.Bytes(), []byte("\n"))), split.Summary.Events, "every line read once")
	assert.Equal(t, whole.Summary.Events, split.Summary.Events)
	assert.Equal(t, int64(1), split.Summary.Files, "one file, however many parts")
	assert.Equal(t, whole.Summary.Bytes, split.Summary.Bytes)
	for i := range whole.Alarms {
		w, s := whole.Alarms[i], split.Alarms[i]
		assert.Equal(t, w.Matches, s.Matches, w.Name)
		assert.Equal(t, w.Days, s.Days, w.Name)
		assert.Equal(t, w.Evaluation, s.Evaluation, w.Name)
		assert.Equal(t, w.TopPrincipals, s.TopPrincipals, w.Name)
	}

	// A bad line three quarters in: one bad event, in a part that says where
	// it starts.
	raw := lines.Bytes()
	at := bytes.IndexByte(raw[3*len(raw)/4:], '\n') + 3*len(raw)/4 + 1
	bad := append(append(append([]byte{}, raw[:at]...), "not json\n"...), raw[at:]...)
	badPath := filepath.Join(dir, "bad.jsonl")
	require.NoError(t, os.WriteFile(badPath, bad, 0o600))
	rep, err := replay.Run(context.Background(), alarms, replay.Options{Sources: []string{badPath}, Parallel: 4, SplitSize: 64 << 10})
	require.NoError(t, err)
	require.Len(t, rep.Problems, 1)
	assert.True(t, strings.HasPrefix(rep.Problems[0].Path, badPath+" (from byte "), rep.Problems[0].Path)
	assert.Equal(t, int64(1), rep.Summary.BadEvents)
	assert.Equal(t, split.Summary.Events, rep.Summary.Events, "the bad line skipped, the rest read once")

	// An object on the first line, then the events pretty-printed: parts
	// start only between events, so nothing is misread.
	var pretty bytes.Buffer
	first, rest, _ := bytes.Cut(raw, []byte("\n"))
	pretty.Write(first)
	pretty.WriteByte('\n')
	for _, line := range bytes.Split(bytes.TrimSuffix(rest, []byte("\n")), []byte("\n")) {
		require.NoError(t, json.Indent(&pretty, line, "", "  "))
		pretty.WriteByte('\n')
	}
	prettyPath := filepath.Join(dir, "pretty.json")
	require.NoError(t, os.WriteFile(prettyPath, pretty.Bytes(), 0o600))
	rep, err = replay.Run(context.Background(), alarms, replay.Options{Sources: []string{prettyPath}, Parallel: 4, SplitSize: 64 << 10})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	assert.Equal(t, whole.Summary.Events, rep.Summary.Events)

	// The same events as one JSON array over many lines: not split, no problem.
	array := append([]byte("[\n"), bytes.ReplaceAll(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n"), []byte(",\n"))...)
	array = append(array, "\n]\n"...)
	arrayPath := filepath.Join(dir, "events.json")
	require.NoError(t, os.WriteFile(arrayPath, array, 0o600))
	rep, err = replay.Run(context.Background(), alarms, replay.Options{Sources: []string{arrayPath}, Parallel: 4, SplitSize: 64 << 10})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	assert.Equal(t, whole.Summary.Events, rep.Summary.Events)
}
