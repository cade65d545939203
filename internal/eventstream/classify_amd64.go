//go:build amd64 && !purego

package eventstream

const haveClassify = true

//go:noescape
func classify(b *[64]byte) (quotes, backslashes, brackets uint64)
