/*
 * fpu.h - switching guests' x87/SSE/AVX state and XCR0 (fpu.c).
 */
#ifndef ASM_FPU_H
#define ASM_FPU_H

#include <xen/types.h>

struct vcpu;

/* XCR0 / XSAVE state components (Intel SDM vol. 1, 13.1). */
#define XSTATE_X87       (1ULL << 0)
#define XSTATE_SSE       (1ULL << 1)
#define XSTATE_YMM       (1ULL << 2) /* AVX: upper halves of YMM0-15 */
#define XSTATE_OPMASK    (1ULL << 5) /* AVX-512: k0-k7 */
#define XSTATE_ZMM_HI256 (1ULL << 6) /* upper halves of ZMM0-15 */
#define XSTATE_HI16_ZMM  (1ULL << 7) /* ZMM16-31 */
#define XSTATE_AVX512    (XSTATE_OPMASK | XSTATE_ZMM_HI256 | XSTATE_HI16_ZMM)
#define XSTATE_GUEST_OK  (XSTATE_X87 | XSTATE_SSE | XSTATE_YMM | XSTATE_AVX512)

#define X86_EXC_UD 6
#define X86_EXC_GP 13

void fpu_cpu_init(void);            /* every CPU, at bring-up */
void fpu_init_vcpu(struct vcpu *v); /* power-on state */
void fpu_restore(struct vcpu *v);   /* before v runs on this CPU */
void fpu_save(struct vcpu *v);      /* after v's run slice */

/* The HVM context's CPU record carries the FXSAVE image (512 bytes) of a
 * vCPU that is not running: read it, check one (0 or -EINVAL: FXRSTOR
 * would fault), replace v's x87/SSE state with a checked one. */
#define FXSAVE_SIZE 512
void fpu_get_fxsave(struct vcpu *v, uint8_t out[FXSAVE_SIZE]);
int fpu_fxsave_check(const uint8_t in[FXSAVE_SIZE]);
void fpu_set_fxsave(struct vcpu *v, const uint8_t in[FXSAVE_SIZE]);
/* Around each VM entry, interrupts or GIF off: the guest's XCR0 in, ours back. */
void fpu_enter_guest(struct vcpu *v);
void fpu_leave_guest(struct vcpu *v);

/* The guest's XMMn (n 0-15), from an exit handler of v, whose state is
 * in this CPU: the instruction emulator's SSE moves. Writing leaves the
 * upper YMM/ZMM bits alone, as a legacy SSE instruction does. */
void fpu_read_xmm(struct vcpu *v, unsigned int n, uint8_t out[16]);
void fpu_write_xmm(struct vcpu *v, unsigned int n, const uint8_t in[16]);
/* FOP, FIP, FDP of the x87 state, as the guest's instruction sets them. */
void fpu_set_x87_pointers(struct vcpu *v, uint64_t fip, uint64_t fdp, uint16_t fop);
/* Bits 255:128 of YMMn (zeros, and writes dropped, without AVX). */
void fpu_read_ymm_hi(struct vcpu *v, unsigned int n, uint8_t out[16]);
void fpu_write_ymm_hi(struct vcpu *v, unsigned int n, const uint8_t in[16]);
/* The guest's MMn (n 0-7), likewise: both do the x87-to-MMX transition
 * (TOP 0, all tags valid) as any MMX instruction does. */
void fpu_read_mm(struct vcpu *v, unsigned int n, uint8_t out[8]);
void fpu_write_mm(struct vcpu *v, unsigned int n, const uint8_t in[8]);

/*
 * The guest's own state-image instructions, run by the emulator on buf
 * (64-byte aligned, XSAVE_AREA_SIZE bytes) with the guest's XCR0 in the
 * CPU; mask is EDX:EAX. 0, or -EFAULT with the exception the CPU raised
 * (an image it refuses: #GP) in *vector and *error_code.
 */
enum fpu_guest_insn
{
    FPU_FXSAVE,
    FPU_FXSAVE64,
    FPU_FXRSTOR,
    FPU_FXRSTOR64,
    FPU_XSAVE,
    FPU_XSAVE64,
    FPU_XSAVEOPT,
    FPU_XSAVEOPT64,
    FPU_XRSTOR,
    FPU_XRSTOR64,
    FPU_STMXCSR,
    FPU_LDMXCSR,
    FPU_NR_GUEST_INSNS
};
int fpu_guest_insn(struct vcpu *v, enum fpu_guest_insn insn, uint8_t *buf, uint64_t mask,
                   unsigned int *vector, uint32_t *error_code);

/* fn(arg) with v's XCR0 loaded: a VEX instruction the emulator runs for
 * v (which can only be executing one if its XCR0 enables AVX). */
void fpu_with_guest_xcr0(struct vcpu *v, void (*fn)(void *arg), void *arg);

/* XCR0 bits a guest may set (0: no XSAVE), and the XSAVE image size of a mask. */
uint64_t fpu_xcr0_max(void);
unsigned int fpu_xsave_size(uint64_t mask);
/* XSETBV's checks against max: 0 or the vector (X86_EXC_UD/GP) to raise. */
int fpu_xsetbv_check(uint64_t max, uint32_t idx, uint64_t val, unsigned int cpl, uint64_t cr4);
int fpu_guest_xsetbv(struct vcpu *v, uint32_t idx, uint64_t val, unsigned int cpl, uint64_t cr4);

#endif /* ASM_FPU_H */
