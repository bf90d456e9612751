/* SPDX-License-Identifier: MIT */
/*
 * arch-arm.h - the part of Xen's Arm guest ABI that Wren's toolstack and
 * hypervisor share on arm64: the register state of an AArch64 vCPU as
 * XEN_DOMCTL_setvcpucontext takes it (struct vcpu_guest_context). The
 * layout is Xen's (public/arch-arm.h since Xen 4.16, when cpsr and
 * spsr_el1 became 64 bits); the words are Wren's. Only AArch64 guests
 * exist here, so the AArch32 names of each register are left out: the
 * AArch32-only SPSR words are kept for the layout.
 *
 * Compiles freestanding and hosted (<stdint.h>, <stddef.h> only); no
 * bitfields; every size and offset is checked.
 */
#ifndef WREN_PUBLIC_ARCH_ARM_H
#define WREN_PUBLIC_ARCH_ARM_H

#include "xen.h"

struct vcpu_guest_core_regs
{
    uint64_t x[31];    /* x0..x30 (x29 frame pointer, x30 link register) */
    uint64_t pc64;     /* where the vCPU starts: ELR_EL2 */
    uint64_t cpsr;     /* its PSTATE: SPSR_EL2 */
    uint64_t spsr_el1; /* the guest's own SPSR_EL1 */
    uint32_t spsr_fiq, spsr_irq, spsr_und, spsr_abt; /* AArch32 only: ignored */
    uint64_t sp_el0;
    uint64_t sp_el1, elr_el1;
};
XEN_ABI_OFFSET(struct vcpu_guest_core_regs, pc64, 248);
XEN_ABI_OFFSET(struct vcpu_guest_core_regs, cpsr, 256);
XEN_ABI_OFFSET(struct vcpu_guest_core_regs, spsr_el1, 264);
XEN_ABI_OFFSET(struct vcpu_guest_core_regs, sp_el0, 288);
XEN_ABI_OFFSET(struct vcpu_guest_core_regs, elr_el1, 304);
XEN_ABI_SIZE(struct vcpu_guest_core_regs, 312);

#define _VGCF_online 0
#define VGCF_online  (1U << _VGCF_online) /* bring the vCPU up with this state */

struct vcpu_guest_context
{
    uint32_t flags; /* VGCF_* */
    uint32_t _pad;
    struct vcpu_guest_core_regs user_regs;
    uint64_t sctlr; /* SCTLR_EL1 */
    uint64_t ttbcr, ttbr0, ttbr1;
};
XEN_ABI_OFFSET(struct vcpu_guest_context, user_regs, 8);
XEN_ABI_OFFSET(struct vcpu_guest_context, sctlr, 320);
XEN_ABI_SIZE(struct vcpu_guest_context, 352);

/* AArch64 PSTATE modes a vCPU may start in (SPSR_EL2.M[4:0]). */
#define PSR_GUEST64_EL1t 0x04U
#define PSR_GUEST64_EL1h 0x05U
#define PSR_GUEST_DAIF   0x3c0U /* D, A, I, F masked */

#endif /* WREN_PUBLIC_ARCH_ARM_H */
