#include "textflag.h"

// COUNT_BLOCKS(cmp, width) compares 32 bytes at p with 32 bytes at p+width
// and adds the popcount of the equality mask, for each block.
#define COUNT_BLOCKS(CMP, WIDTH) \
	MOVQ p+0(FP), SI \
	MOVQ blocks+8(FP), CX \
	XORQ AX, AX \
loop: \
	VMOVDQU (SI), Y0 \
	VMOVDQU WIDTH(SI), Y1 \
	CMP Y0, Y1, Y2 \
	VPMOVMSKB Y2, DX \
	POPCNTL DX, DX \
	ADDQ DX, AX \
	ADDQ $32, SI \
	DECQ CX \
	JNZ loop \
	VZEROUPPER \
	MOVQ AX, ret+16(FP) \
	RET

// func countBlocks8(p *byte, blocks int) int
TEXT ·countBlocks8(SB), NOSPLIT, $0-24
	COUNT_BLOCKS(VPCMPEQB, 1)

// func countBlocks16(p *uint16, blocks int) int
TEXT ·countBlocks16(SB), NOSPLIT, $0-24
	COUNT_BLOCKS(VPCMPEQW, 2)

// func countBlocks32(p *uint32, blocks int) int
TEXT ·countBlocks32(SB), NOSPLIT, $0-24
	COUNT_BLOCKS(VPCMPEQD, 4)
