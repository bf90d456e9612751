/*
 * vcpu_arch.h - the arm64 part of a vCPU, embedded in struct vcpu. Guests
 * at EL1 are not built yet (docs/designs/arm64.md, next steps): this holds
 * the register file they will need and nothing else.
 */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <xen/types.h>

/* The guest's general-purpose registers, PC and PSTATE at the last exit. */
struct guest_regs
{
    uint64_t x[31];
    uint64_t sp_el1, pc, pstate;
};

struct vcpu_arch
{
    struct guest_regs regs;
};

#endif /* ASM_VCPU_ARCH_H */
