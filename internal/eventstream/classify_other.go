//go:build !amd64

package eventstream

func classify(b *[64]byte) (quotes, backslashes, brackets uint64) { return classifyGeneric(b) }
