//go:build amd64 && !purego

#include "textflag.h"

// Eight copies of each constant, one 32-byte row per constant, so that each
// can be a memory operand of a 256-bit instruction. The values are the
// float32 bit patterns of the constants of exp32 in activation.go.
DATA swishConsts<>+0(SB)/4, $0xc2ae0000 // negMax
DATA swishConsts<>+4(SB)/4, $0xc2ae0000
DATA swishConsts<>+8(SB)/4, $0xc2ae0000
DATA swishConsts<>+12(SB)/4, $0xc2ae0000
DATA swishConsts<>+16(SB)/4, $0xc2ae0000
DATA swishConsts<>+20(SB)/4, $0xc2ae0000
DATA swishConsts<>+24(SB)/4, $0xc2ae0000
DATA swishConsts<>+28(SB)/4, $0xc2ae0000
DATA swishConsts<>+32(SB)/4, $0x42ae0000 // posMax
DATA swishConsts<>+36(SB)/4, $0x42ae0000
DATA swishConsts<>+40(SB)/4, $0x42ae0000
DATA swishConsts<>+44(SB)/4, $0x42ae0000
DATA swishConsts<>+48(SB)/4, $0x42ae0000
DATA swishConsts<>+52(SB)/4, $0x42ae0000
DATA swishConsts<>+56(SB)/4, $0x42ae0000
DATA swishConsts<>+60(SB)/4, $0x42ae0000
DATA swishConsts<>+64(SB)/4, $0x3fb8aa3b // log2e
DATA swishConsts<>+68(SB)/4, $0x3fb8aa3b
DATA swishConsts<>+72(SB)/4, $0x3fb8aa3b
DATA swishConsts<>+76(SB)/4, $0x3fb8aa3b
DATA swishConsts<>+80(SB)/4, $0x3fb8aa3b
DATA swishConsts<>+84(SB)/4, $0x3fb8aa3b
DATA swishConsts<>+88(SB)/4, $0x3fb8aa3b
DATA swishConsts<>+92(SB)/4, $0x3fb8aa3b
DATA swishConsts<>+96(SB)/4, $0x3f317200 // ln2Hi
DATA swishConsts<>+100(SB)/4, $0x3f317200
DATA swishConsts<>+104(SB)/4, $0x3f317200
DATA swishConsts<>+108(SB)/4, $0x3f317200
DATA swishConsts<>+112(SB)/4, $0x3f317200
DATA swishConsts<>+116(SB)/4, $0x3f317200
DATA swishConsts<>+120(SB)/4, $0x3f317200
DATA swishConsts<>+124(SB)/4, $0x3f317200
DATA swishConsts<>+128(SB)/4, $0x35bfbe8e // ln2Lo
DATA swishConsts<>+132(SB)/4, $0x35bfbe8e
DATA swishConsts<>+136(SB)/4, $0x35bfbe8e
DATA swishConsts<>+140(SB)/4, $0x35bfbe8e
DATA swishConsts<>+144(SB)/4, $0x35bfbe8e
DATA swishConsts<>+148(SB)/4, $0x35bfbe8e
DATA swishConsts<>+152(SB)/4, $0x35bfbe8e
DATA swishConsts<>+156(SB)/4, $0x35bfbe8e
DATA swishConsts<>+160(SB)/4, $0x3f800000 // one
DATA swishConsts<>+164(SB)/4, $0x3f800000
DATA swishConsts<>+168(SB)/4, $0x3f800000
DATA swishConsts<>+172(SB)/4, $0x3f800000
DATA swishConsts<>+176(SB)/4, $0x3f800000
DATA swishConsts<>+180(SB)/4, $0x3f800000
DATA swishConsts<>+184(SB)/4, $0x3f800000
DATA swishConsts<>+188(SB)/4, $0x3f800000
DATA swishConsts<>+192(SB)/4, $0x3f000000 // half
DATA swishConsts<>+196(SB)/4, $0x3f000000
DATA swishConsts<>+200(SB)/4, $0x3f000000
DATA swishConsts<>+204(SB)/4, $0x3f000000
DATA swishConsts<>+208(SB)/4, $0x3f000000
DATA swishConsts<>+212(SB)/4, $0x3f000000
DATA swishConsts<>+216(SB)/4, $0x3f000000
DATA swishConsts<>+220(SB)/4, $0x3f000000
DATA swishConsts<>+224(SB)/4, $0x3e2aaaab // c6
DATA swishConsts<>+228(SB)/4, $0x3e2aaaab
DATA swishConsts<>+232(SB)/4, $0x3e2aaaab
DATA swishConsts<>+236(SB)/4, $0x3e2aaaab
DATA swishConsts<>+240(SB)/4, $0x3e2aaaab
DATA swishConsts<>+244(SB)/4, $0x3e2aaaab
DATA swishConsts<>+248(SB)/4, $0x3e2aaaab
DATA swishConsts<>+252(SB)/4, $0x3e2aaaab
DATA swishConsts<>+256(SB)/4, $0x3d2aaaab // c24
DATA swishConsts<>+260(SB)/4, $0x3d2aaaab
DATA swishConsts<>+264(SB)/4, $0x3d2aaaab
DATA swishConsts<>+268(SB)/4, $0x3d2aaaab
DATA swishConsts<>+272(SB)/4, $0x3d2aaaab
DATA swishConsts<>+276(SB)/4, $0x3d2aaaab
DATA swishConsts<>+280(SB)/4, $0x3d2aaaab
DATA swishConsts<>+284(SB)/4, $0x3d2aaaab
DATA swishConsts<>+288(SB)/4, $0x3c088889 // c120
DATA swishConsts<>+292(SB)/4, $0x3c088889
DATA swishConsts<>+296(SB)/4, $0x3c088889
DATA swishConsts<>+300(SB)/4, $0x3c088889
DATA swishConsts<>+304(SB)/4, $0x3c088889
DATA swishConsts<>+308(SB)/4, $0x3c088889
DATA swishConsts<>+312(SB)/4, $0x3c088889
DATA swishConsts<>+316(SB)/4, $0x3c088889
DATA swishConsts<>+320(SB)/4, $0x3ab60b61 // c720
DATA swishConsts<>+324(SB)/4, $0x3ab60b61
DATA swishConsts<>+328(SB)/4, $0x3ab60b61
DATA swishConsts<>+332(SB)/4, $0x3ab60b61
DATA swishConsts<>+336(SB)/4, $0x3ab60b61
DATA swishConsts<>+340(SB)/4, $0x3ab60b61
DATA swishConsts<>+344(SB)/4, $0x3ab60b61
DATA swishConsts<>+348(SB)/4, $0x3ab60b61
DATA swishConsts<>+352(SB)/4, $0x39500d01 // c5040
DATA swishConsts<>+356(SB)/4, $0x39500d01
DATA swishConsts<>+360(SB)/4, $0x39500d01
DATA swishConsts<>+364(SB)/4, $0x39500d01
DATA swishConsts<>+368(SB)/4, $0x39500d01
DATA swishConsts<>+372(SB)/4, $0x39500d01
DATA swishConsts<>+376(SB)/4, $0x39500d01
DATA swishConsts<>+380(SB)/4, $0x39500d01
DATA swishConsts<>+384(SB)/4, $0x0000007f // exponent bias 127
DATA swishConsts<>+388(SB)/4, $0x0000007f
DATA swishConsts<>+392(SB)/4, $0x0000007f
DATA swishConsts<>+396(SB)/4, $0x0000007f
DATA swishConsts<>+400(SB)/4, $0x0000007f
DATA swishConsts<>+404(SB)/4, $0x0000007f
DATA swishConsts<>+408(SB)/4, $0x0000007f
DATA swishConsts<>+412(SB)/4, $0x0000007f
GLOBL swishConsts<>(SB), RODATA|NOPTR, $416

#define NEG_MAX swishConsts<>+0(SB)
#define POS_MAX swishConsts<>+32(SB)
#define LOG2E swishConsts<>+64(SB)
#define LN2_HI swishConsts<>+96(SB)
#define LN2_LO swishConsts<>+128(SB)
#define ONE swishConsts<>+160(SB)
#define HALF swishConsts<>+192(SB)
#define C6 swishConsts<>+224(SB)
#define C24 swishConsts<>+256(SB)
#define C120 swishConsts<>+288(SB)
#define C720 swishConsts<>+320(SB)
#define C5040 swishConsts<>+352(SB)
#define BIAS swishConsts<>+384(SB)

// func swishForwardAVX2(sig, y, x *float32, n int)
//
// For n a multiple of 8, sets sig[i] = 1/(1 + e^-x[i]) and y[i] = x[i]·sig[i].
// e^t is computed as in exp32: t is clamped to [-87, 87] (VMAXPS and VMINPS
// take the constant as their first source, so a NaN t passes through),
// k = round(t·log₂e) to nearest even, r = t − k·ln2Hi − k·ln2Lo, and e^r by
// its degree-7 Taylor polynomial in Horner form with fused multiply-adds.
TEXT ·swishForwardAVX2(SB), NOSPLIT, $0-32
	MOVQ sig+0(FP), DI
	MOVQ y+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JZ   done

	VMOVUPS NEG_MAX, Y10
	VMOVUPS POS_MAX, Y11
	VMOVUPS ONE, Y12
	VXORPS  Y13, Y13, Y13

loop:
	VMOVUPS (SI), Y0
	VSUBPS  Y0, Y13, Y1          // t = -x
	VMAXPS  Y1, Y10, Y1
	VMINPS  Y1, Y11, Y1
	VMULPS  LOG2E, Y1, Y2
	VCVTPS2DQ Y2, Y3             // k
	VCVTDQ2PS Y3, Y4
	VFNMADD231PS LN2_HI, Y4, Y1  // r = t - k·ln2Hi
	VFNMADD231PS LN2_LO, Y4, Y1  // r -= k·ln2Lo

	VMOVUPS C5040, Y5
	VFMADD213PS C720, Y1, Y5
	VFMADD213PS C120, Y1, Y5
	VFMADD213PS C24, Y1, Y5
	VFMADD213PS C6, Y1, Y5
	VFMADD213PS HALF, Y1, Y5
	VFMADD213PS Y12, Y1, Y5
	VFMADD213PS Y12, Y1, Y5      // e^r

	VPADDD  BIAS, Y3, Y3
	VPSLLD  $23, Y3, Y3          // 2^k
	VMULPS  Y3, Y5, Y5           // e^t
	VADDPS  Y12, Y5, Y5
	VDIVPS  Y5, Y12, Y6          // σ(x) = 1/(1 + e^-x)
	VMULPS  Y6, Y0, Y7

	VMOVUPS Y6, (DI)
	VMOVUPS Y7, (DX)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, DX
	DECQ CX
	JNZ  loop

	VZEROUPPER

done:
	RET

// func swishBackwardAVX2(dx, dy, sig, y *float32, n int)
//
// For n a multiple of 8, sets dx[i] = dy[i]·(sig[i] + y[i]·(1 − sig[i])).
TEXT ·swishBackwardAVX2(SB), NOSPLIT, $0-40
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ sig+16(FP), R8
	MOVQ y+24(FP), R9
	MOVQ n+32(FP), CX
	SHRQ $3, CX
	JZ   bdone

	VMOVUPS ONE, Y12

bloop:
	VMOVUPS (R8), Y0
	VMOVUPS (R9), Y1
	VSUBPS  Y0, Y12, Y2          // 1 - σ
	VFMADD213PS Y0, Y2, Y1       // σ + y·(1 - σ)
	VMULPS  (SI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  bloop

	VZEROUPPER

bdone:
	RET
