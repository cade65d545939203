//go:build !amd64 || purego

package eventstream

// Without assembly a block costs more to classify than to go through with
// bytes.IndexByte.
const haveClassify = false

func classify(b *[64]byte) (quotes, backslashes, brackets uint64) { return classifyGeneric(b) }
