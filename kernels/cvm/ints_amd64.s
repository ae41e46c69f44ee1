#include "textflag.h"

// func scanInts(vals []uint64, off, pre uint64) int
//
// mixHead(x) = ((x ^ x>>30) * C1 ^ ...>>27) * C2 on the 8 lanes of Z0; K1
// gets the lanes at or below pre (an unsigned compare, predicate 2 = LE).
TEXT ·scanInts(SB), NOSPLIT, $0-48
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
