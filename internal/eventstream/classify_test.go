package eventstream

import (
	"math/rand/v2"
	"testing"
)

// classify (in assembly on amd64) finds the same bytes as classifyGeneric:
// every byte value at every position, and random blocks.
func TestClassify(t *testing.T) {
	t.Parallel()
	check := func(b *[64]byte) {
		t.Helper()
		q, bs, br := classify(b)
		if wq, wbs, wbr := classifyGeneric(b); q != wq || bs != wbs || br != wbr {
			t.Fatalf("classify(%q) = %#x, %#x, %#x; want %#x, %#x, %#x", b[:], q, bs, br, wq, wbs, wbr)
		}
	}
	var b [64]byte
	for c := range 256 {
		for i := range b {
			b = [64]byte{}
			b[i] = byte(c)
			check(&b)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte(`"\{}[]#aY_y` + "\x7f\x00\x01\x80\xff")
	for range 10000 {
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		check(&b)
	}
}
