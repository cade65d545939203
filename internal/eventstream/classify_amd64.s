//go:build amd64 && !purego

#include "textflag.h"

// 16 bytes of '"', '\\', all bits but 5, '[' and ']', to compare with.
DATA quote16<>+0(SB)/8, $0x2222222222222222
DATA quote16<>+8(SB)/8, $0x2222222222222222
GLOBL quote16<>(SB), RODATA|NOPTR, $16
DATA backslash16<>+0(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA backslash16<>+8(SB)/8, $0x5c5c5c5c5c5c5c5c
GLOBL backslash16<>(SB), RODATA|NOPTR, $16
DATA notBit5<>+0(SB)/8, $0xdfdfdfdfdfdfdfdf
DATA notBit5<>+8(SB)/8, $0xdfdfdfdfdfdfdfdf
GLOBL notBit5<>(SB), RODATA|NOPTR, $16
DATA open16<>+0(SB)/8, $0x5b5b5b5b5b5b5b5b
DATA open16<>+8(SB)/8, $0x5b5b5b5b5b5b5b5b
GLOBL open16<>(SB), RODATA|NOPTR, $16
DATA close16<>+0(SB)/8, $0x5d5d5d5d5d5d5d5d
DATA close16<>+8(SB)/8, $0x5d5d5d5d5d5d5d5d
GLOBL close16<>(SB), RODATA|NOPTR, $16

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

	MOVOU quote16<>(SB), X8
	MOVOU backslash16<>(SB), X9
	MOVOU notBit5<>(SB), X10
	MOVOU open16<>(SB), X11
	MOVOU close16<>(SB), X12

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
