/*
 * x86_softfp.h - IEEE 754 arithmetic in integer C for the SIMD
 * instructions the hypervisor cannot run itself (it keeps XCR0 =
 * x87|SSE, so no VEX instruction executes here): the fused
 * multiply-adds of FMA3 and the half-precision conversions of F16C, as
 * the CPU does them under MXCSR (rounding control, DAZ, FTZ) and with
 * the MXCSR exception flags it raises.
 *
 * Pure functions of their arguments: no guest state, no memory, no FP
 * register. Built into the host unit tests (tools/tests/test-softfp.c),
 * which compare every result and flag with the host CPU's own.
 *
 * Compiles on its own, freestanding or hosted.
 */
#ifndef ASM_X86_SOFTFP_H
#define ASM_X86_SOFTFP_H

#include <xen/types.h>

/* MXCSR (Intel SDM vol. 1, 10.2.3). */
#define X86_MXCSR_IE    0x0001u
#define X86_MXCSR_DE    0x0002u
#define X86_MXCSR_ZE    0x0004u
#define X86_MXCSR_OE    0x0008u
#define X86_MXCSR_UE    0x0010u
#define X86_MXCSR_PE    0x0020u
#define X86_MXCSR_DAZ   0x0040u
#define X86_MXCSR_OM    0x0400u
#define X86_MXCSR_UM    0x0800u
#define X86_MXCSR_RC    0x6000u
#define X86_MXCSR_FTZ   0x8000u
#define X86_MXCSR_FLAGS 0x003fu

/* x86_fma's neg: negate the product (VFNMADD/VFNMSUB), the addend (VFMSUB/VFNMSUB). */
#define X86_FMA_NEG_PRODUCT 1u
#define X86_FMA_NEG_ADDEND  2u

/*
 * a * b + c, each of size 4 (binary32) or 8 (binary64) bytes, rounded
 * once under mxcsr; neg as above. A NaN operand gives the first NaN of
 * a, b, c quieted (never negated); an SNaN, inf * 0 (unless c is a QNaN)
 * or inf - inf raise IE, the latter two giving the default NaN. Flags
 * raised are ORed into *flags (IE, DE for a denormal operand without
 * DAZ, OE, UE, PE); tininess is detected after rounding, as x86 does.
 */
uint64_t x86_fma(unsigned int size, uint64_t a, uint64_t b, uint64_t c, unsigned int neg,
                 uint32_t mxcsr, uint32_t *flags);

/*
 * After an operation raised flags (of all its elements) under MXCSR old:
 * the MXCSR the CPU leaves, into *csr, and whether it faults (#XM). An
 * unmasked pre-computation exception (IE, DE, ZE) stops before any
 * result, so only those flags are set; otherwise all of them are, and
 * any unmasked one faults, the destination unwritten.
 */
bool x86_mxcsr_raise(uint32_t old, uint32_t flags, uint32_t *csr);

/* VCVTPH2PS of one element: exact; an SNaN raises IE. */
uint32_t x86_cvtph2ps(uint16_t h, uint32_t mxcsr, uint32_t *flags);

/* VCVTPS2PH of one element: rounded per imm8 (bit 2: MXCSR.RC, else
 * bits 1:0), with the flags the CPU raises. */
uint16_t x86_cvtps2ph(uint32_t s, unsigned int imm, uint32_t mxcsr, uint32_t *flags);

#endif /* ASM_X86_SOFTFP_H */
