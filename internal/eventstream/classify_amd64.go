package eventstream

//go:noescape
func classify(b *[64]byte) (quotes, backslashes, brackets uint64)
