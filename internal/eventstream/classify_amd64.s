#include "textflag.h"

// CHUNK classifies the 16 bytes at off(SI) into bits shift..shift+15 of
// R8 (quotes), R9 (backslashes) and R10 (brackets). Clearing bit 5 (PAND
// 0xdf) makes { and } into [ and ], so that two comparisons find all four.
#define CHUNK(off, shift) \
	MOVOU    off(SI), X0 \
	MOVO     X0, X1      \
	PCMPEQB  X8, X1      \
	PMOVMSKB X1, AX      \
	SHLQ     $shift, AX  \
	ORQ      AX, R8      \
	MOVO     X0, X1      \
	PCMPEQB  X9, X1      \
	PMOVMSKB X1, AX      \
	SHLQ     $shift, AX  \
	ORQ      AX, R9      \
	PAND     X10, X0     \
	MOVO     X0, X1      \
	PCMPEQB  X11, X1     \
	PCMPEQB  X12, X0     \
	POR      X1, X0      \
	PMOVMSKB X0, AX      \
	SHLQ     $shift, AX  \
	ORQ      AX, R10

// func classify(b *[64]byte) (quotes, backslashes, brackets uint64)
TEXT ·classify(SB), NOSPLIT, $0-32
	MOVQ b+0(FP), SI

	// X8..X12: every byte '"', '\\', 0xdf, '[', ']'
	MOVQ       $0x2222222222222222, AX
	MOVQ       AX, X8
	PUNPCKLQDQ X8, X8
	MOVQ       $0x5c5c5c5c5c5c5c5c, AX
	MOVQ       AX, X9
	PUNPCKLQDQ X9, X9
	MOVQ       $0xdfdfdfdfdfdfdfdf, AX
	MOVQ       AX, X10
	PUNPCKLQDQ X10, X10
	MOVQ       $0x5b5b5b5b5b5b5b5b, AX
	MOVQ       AX, X11
	PUNPCKLQDQ X11, X11
	MOVQ       $0x5d5d5d5d5d5d5d5d, AX
	MOVQ       AX, X12
	PUNPCKLQDQ X12, X12

	XORQ R8, R8
	XORQ R9, R9
	XORQ R10, R10
	CHUNK(0, 0)
	CHUNK(16, 16)
	CHUNK(32, 32)
	CHUNK(48, 48)

	MOVQ R8, quotes+8(FP)
	MOVQ R9, backslashes+16(FP)
	MOVQ R10, brackets+24(FP)
	RET
