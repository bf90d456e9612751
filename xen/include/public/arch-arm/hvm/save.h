/* SPDX-License-Identifier: MIT */
/*
 * arch-arm/hvm/save.h - the HVM context records of an AArch64 guest of
 * Wren: what XEN_DOMCTL_gethvmcontext returns and sethvmcontext takes on
 * arm64, beside public/hvm/save.h's descriptor, HEADER and END (shared)
 * and WREN_VCPU_TIMERS (common, per vCPU). Xen's own arch-arm/hvm/save.h
 * defines no record (Xen on Arm cannot save a guest), so these are
 * Wren's, numbered after Wren's x86 ones (0x5772, 0x5773).
 *
 * Each is per vCPU (instance = vCPU id), one of each for every vCPU that
 * is up (a vCPU PSCI has not started, or that called CPU_OFF, has none
 * and stays off). Every pad and reserved field is 0. The loader's checks
 * are docs/designs/arm64.md, "Part arm-save".
 *
 * Only definitions: no code, nothing the hypervisor does with them.
 */
#ifndef WREN_PUBLIC_ARCH_ARM_HVM_SAVE_H
#define WREN_PUBLIC_ARCH_ARM_HVM_SAVE_H

#include "../../xen.h"

/* --- WREN_ARM_CPU (0x5774): the EL1 register file --------------------- */

struct hvm_wren_arm_cpu
{
    uint64_t x[31];  /* X0-X30 */
    uint64_t pc;     /* where the vCPU resumes */
    uint64_t pstate; /* SPSR_EL2 format: NZCV, DAIF, M (EL0t/EL1t/EL1h) ... */
    uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
    uint64_t sctlr, actlr, cpacr, ttbr0, ttbr1, tcr, mair, amair;
    uint64_t vbar, contextidr, tpidr_el1, tpidr_el0, tpidrro_el0;
    uint64_t esr, far, afsr0, afsr1, par, cntkctl, csselr, mdscr;
};
XEN_ABI_SIZE(struct hvm_wren_arm_cpu, 8 * 58);

#define HVM_SAVE_CODE_WREN_ARM_CPU   0x5774
#define HVM_SAVE_LENGTH_WREN_ARM_CPU (8 * 58)

/* --- WREN_ARM_FPSIMD (0x5775): V0-V31, FPSR, FPCR --------------------- */

struct hvm_wren_arm_fpsimd
{
    uint64_t v[64]; /* Vn is v[2n] (bits 63:0) and v[2n + 1] (127:64) */
    uint64_t fpsr, fpcr;
};
XEN_ABI_SIZE(struct hvm_wren_arm_fpsimd, 528);

#define HVM_SAVE_CODE_WREN_ARM_FPSIMD   0x5775
#define HVM_SAVE_LENGTH_WREN_ARM_FPSIMD 528

/* --- WREN_ARM_VTIMER (0x5776): the EL1 virtual timer -------------------
 *
 * CNTV_CTL_EL0 (ENABLE, IMASK; ISTATUS is computed), CNTV_CVAL_EL0, the
 * guest's virtual count (CNTVCT_EL0) when it was saved and the counter's
 * frequency (CNTFRQ_EL0, Hz), which the loading host must have too: the
 * virtual counter cannot be scaled. The loader
 * sets the domain's counter offset so that the count goes on from there:
 * guest time does not jump with the host's, and CVAL keeps its meaning.
 * All vCPUs share one offset: the last record loaded (the highest vCPU,
 * saved last, so the largest count) sets it for the whole domain. */
struct hvm_wren_arm_vtimer
{
    uint64_t ctl;
    uint64_t cval;
    uint64_t count;
    uint64_t freq;
};
XEN_ABI_SIZE(struct hvm_wren_arm_vtimer, 32);

#define HVM_SAVE_CODE_WREN_ARM_VTIMER   0x5776
#define HVM_SAVE_LENGTH_WREN_ARM_VTIMER 32

/* --- WREN_ARM_VGIC (0x5777): the vCPU's side of the virtual GICv3 ------
 *
 * Its 32 private interrupts as its redistributor holds them, with the
 * list registers folded in (an interrupt pending in a list register is
 * pending here; active likewise), its virtual CPU interface
 * (ICH_VMCR_EL2, ICH_AP1R0_EL2) and the domain's GICD_CTLR group enables
 * (the same in every record; vCPU 0's is loaded). */
struct hvm_wren_arm_vgic
{
    uint32_t pending, active, enabled, group;
    uint32_t icfgr1, waker; /* GICR_ICFGR1, GICR_WAKER.ProcessorSleep */
    uint32_t gicd_ctlr;     /* EnableGrp0/1 bits only */
    uint32_t pad;
    uint8_t priority[32]; /* GICR_IPRIORITYR<n> byte by byte */
    uint64_t vmcr, ap1r0;
};
XEN_ABI_SIZE(struct hvm_wren_arm_vgic, 80);

#define HVM_SAVE_CODE_WREN_ARM_VGIC   0x5777
#define HVM_SAVE_LENGTH_WREN_ARM_VGIC 80

#endif /* WREN_PUBLIC_ARCH_ARM_HVM_SAVE_H */
