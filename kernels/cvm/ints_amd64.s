#include "textflag.h"

// func scanInts512(vals []uint64, off, pre uint64) int
//
// mixHead(x) = ((x ^ x>>30) * C1 ^ ...>>27) * C2 on the 8 lanes of Z0; K1
// gets the lanes at or below pre (an unsigned compare, predicate 2 = LE).
TEXT ·scanInts512(SB), NOSPLIT, $0-48
	MOVQ         vals_base+0(FP), SI
	MOVQ         vals_len+8(FP), CX
	ANDQ         $-8, CX
	VPBROADCASTQ off+24(FP), Z1
	VPBROADCASTQ pre+32(FP), Z2
	MOVQ         $0xbf58476d1ce4e5b9, AX
	VPBROADCASTQ AX, Z3
	MOVQ         $0x94d049bb133111eb, AX
	VPBROADCASTQ AX, Z4
	XORQ         DX, DX

loop:
	CMPQ     DX, CX
	JAE      done
	VPADDQ   (SI)(DX*8), Z1, Z0
	VPSRLQ   $30, Z0, Z5
	VPXORQ   Z5, Z0, Z0
	VPMULLQ  Z3, Z0, Z0
	VPSRLQ   $27, Z0, Z5
	VPXORQ   Z5, Z0, Z0
	VPMULLQ  Z4, Z0, Z0
	VPCMPUQ  $2, Z2, Z0, K1
	KORTESTB K1, K1
	JNZ      done
	ADDQ     $8, DX
	JMP      loop

done:
	VZEROUPPER
	MOVQ DX, ret+40(FP)
	RET

// MUL64 sets a to the low 64 bits of a*c in each of 4 lanes, AVX2 having no
// 64-bit multiply: a_lo*c_lo + (a_lo*c_hi + a_hi*c_lo)<<32, from three
// 32x32->64 multiplies (VPMULUDQ reads each lane's low half). chi holds c>>32;
// t1 and t2 are clobbered.
#define MUL64(a, c, chi, t1, t2) \
	VPMULUDQ chi, a, t1 \
	VPSRLQ   $32, a, t2 \
	VPMULUDQ c, t2, t2 \
	VPADDQ   t2, t1, t1 \
	VPSLLQ   $32, t1, t1 \
	VPMULUDQ c, a, a \
	VPADDQ   t1, a, a

// MIXHEAD sets x to mixHead(x) in each of 4 lanes.
#define MIXHEAD(x, t1, t2) \
	VPSRLQ $30, x, t1 \
	VPXOR  t1, x, x \
	MUL64(x, Y3, Y4, t1, t2) \
	VPSRLQ $27, x, t1 \
	VPXOR  t1, x, x \
	MUL64(x, Y5, Y6, t1, t2)

// AVX2SETUP loads the scans' arguments: SI and CX the values and their
// count in whole blocks, Y1 off, Y7 the sign bit, Y2 pre with it flipped,
// Y3/Y4 and Y5/Y6 mixHead's two constants and their high halves; DX = 0.
#define AVX2SETUP \
	MOVQ         vals_base+0(FP), SI \
	MOVQ         vals_len+8(FP), CX \
	ANDQ         $-8, CX \
	VPBROADCASTQ off+24(FP), Y1 \
	MOVQ         $0x8000000000000000, AX \
	VMOVQ        AX, X7 \
	VPBROADCASTQ X7, Y7 \
	VPBROADCASTQ pre+32(FP), Y2 \
	VPXOR        Y7, Y2, Y2 \
	MOVQ         $0xbf58476d1ce4e5b9, AX \
	VMOVQ        AX, X3 \
	VPBROADCASTQ X3, Y3 \
	SHRQ         $32, AX \
	VMOVQ        AX, X4 \
	VPBROADCASTQ X4, Y4 \
	MOVQ         $0x94d049bb133111eb, AX \
	VMOVQ        AX, X5 \
	VPBROADCASTQ X5, Y5 \
	SHRQ         $32, AX \
	VMOVQ        AX, X6 \
	VPBROADCASTQ X6, Y6 \
	XORQ         DX, DX

// func scanInts2(vals []uint64, off, pre uint64) int
//
// scanInts512 on AVX2: a block of 8 values is two registers of 4 lanes.
// AVX2 compares signed only, so both sides of the compare have the sign bit
// flipped (Y7): x <= pre unsigned iff x^m <= pre^m signed. A block passes
// unless every lane of both halves is greater than pre.
TEXT ·scanInts2(SB), NOSPLIT, $0-48
	AVX2SETUP

loop2:
	CMPQ      DX, CX
	JAE       done2
	VPADDQ    (SI)(DX*8), Y1, Y0
	VPADDQ    32(SI)(DX*8), Y1, Y8
	MIXHEAD(Y0, Y9, Y10)
	MIXHEAD(Y8, Y11, Y12)
	VPXOR     Y7, Y0, Y0
	VPXOR     Y7, Y8, Y8
	VPCMPGTQ  Y2, Y0, Y0
	VPCMPGTQ  Y2, Y8, Y8
	VPAND     Y8, Y0, Y0
	VMOVMSKPD Y0, AX
	CMPL      AX, $15
	JNE       done2
	ADDQ      $8, DX
	JMP       loop2

done2:
	VZEROUPPER
	MOVQ DX, ret+40(FP)
	RET

// SCALARHEAD sets r to mixHead(r) in a general register, with t clobbered,
// C1 in R11 and C2 in R12.
#define SCALARHEAD(r, t) \
	MOVQ  r, t \
	SHRQ  $30, t \
	XORQ  t, r \
	IMULQ R11, r \
	MOVQ  r, t \
	SHRQ  $27, t \
	XORQ  t, r \
	IMULQ R12, r

// SCALARPAIR leaves for donem if one of the two values at byte offsets a
// and b of the block at DX passes: mixHead(v+off) <= pre, off in R9 and pre
// in R13 (an unsigned compare: JLS).
#define SCALARPAIR(a, b) \
	MOVQ a(SI)(DX*8), R8 \
	ADDQ R9, R8 \
	MOVQ b(SI)(DX*8), BX \
	ADDQ R9, BX \
	SCALARHEAD(R8, R10) \
	SCALARHEAD(BX, R14) \
	CMPQ R8, R13 \
	JLS  donem \
	CMPQ BX, R13 \
	JLS  donem

// func scanIntsMixed(vals []uint64, off, pre uint64) int
//
// scanInts2 with each block split between the vector unit (the first 4
// values) and the scalar multiplier (the last 4), which work at once: on
// cores that run a 256-bit multiply as two 128-bit halves (AMD Zen 1), the
// vector unit alone is no faster than the scalar loop.
TEXT ·scanIntsMixed(SB), NOSPLIT, $0-48
	AVX2SETUP
	MOVQ off+24(FP), R9
	MOVQ pre+32(FP), R13
	MOVQ $0xbf58476d1ce4e5b9, R11
	MOVQ $0x94d049bb133111eb, R12

loopm:
	CMPQ      DX, CX
	JAE       donem
	VPADDQ    (SI)(DX*8), Y1, Y0
	MIXHEAD(Y0, Y9, Y10)
	SCALARPAIR(32, 40)
	SCALARPAIR(48, 56)
	VPXOR     Y7, Y0, Y0
	VPCMPGTQ  Y2, Y0, Y0
	VMOVMSKPD Y0, AX
	CMPL      AX, $15
	JNE       donem
	ADDQ      $8, DX
	JMP       loopm

donem:
	VZEROUPPER
	MOVQ DX, ret+40(FP)
	RET
