/*
 * x86_pcmpstr.h - the packed string compares of SSE4.2 (PCMPESTRI,
 * PCMPESTRM, PCMPISTRI, PCMPISTRM) and SSE4.1's MPSADBW, for an
 * emulator that carries one out on a memory operand.
 *
 * Pure functions of their arguments: no guest state, no memory. Built
 * into the host unit tests (tools/tests/test-pcmpstr.c), which compare
 * every result and flag with the host CPU's own.
 *
 * Compiles on its own, freestanding or hosted.
 */
#ifndef ASM_X86_PCMPSTR_H
#define ASM_X86_PCMPSTR_H

#include <xen/types.h>

struct x86_pcmpstr
{
    uint32_t index;   /* what PCMPxSTRI puts in ECX */
    uint8_t mask[16]; /* what PCMPxSTRM puts in XMM0 */
    uint64_t flags;   /* CF, ZF, SF, OF as defined; AF, PF, the rest clear */
};

/*
 * Compare a (the first operand, a register) with b (the second, register
 * or memory) under imm8 (bits 1:0 the element format, 3:2 the
 * aggregation, 5:4 the polarity, 6 the index or mask form). explicit:
 * the lengths are la and lb (rAX and rDX, sign-extended from the operand
 * size; their absolute values, saturated to the element count, are
 * used); else each string ends at its first zero element.
 */
void x86_pcmpstr(const uint8_t a[16], const uint8_t b[16], unsigned int imm, bool explicit,
                 int64_t la, int64_t lb, struct x86_pcmpstr *out);

/* MPSADBW on one 128-bit lane: d (the destination, and first source)
 * with s, under imm8 bits 2:0; the eight sums into d. */
void x86_mpsadbw(uint8_t d[16], const uint8_t s[16], unsigned int imm);

#endif /* ASM_X86_PCMPSTR_H */
