package eventstream

// A block is 64 bytes of input. classify(b) returns three masks of b's
// bytes, bit i for b[i]: its double quotes, its backslashes and its
// brackets ({ } [ ]). With them scanComposite tells which brackets are
// inside strings for a whole block at once instead of string by string.
// It is in assembly on amd64, with SSE2 (which every amd64 processor has),
// 16 bytes an instruction; elsewhere, or built with the purego tag,
// haveClassify is false and scanComposite finds strings with
// bytes.IndexByte.

// classifyGeneric is classify in plain Go: the reference the assembly is
// tested against.
func classifyGeneric(b *[64]byte) (quotes, backslashes, brackets uint64) {
	for i, c := range b {
		bit := uint64(1) << i
		switch c {
		case '"':
			quotes |= bit
		case '\\':
			backslashes |= bit
		case '{', '}', '[', ']':
			brackets |= bit
		}
	}
	return quotes, backslashes, brackets
}
