/*
 * vcpu_arch.h - the arm64 part of a vCPU, embedded in struct vcpu: the
 * registers an EL1 guest owns (general registers, PC and PSTATE as the
 * exit left them, the EL1 system registers switched with the vCPU) and
 * what EL2 keeps for it (HCR_EL2, VMPIDR_EL2), and its FP/SIMD registers. Plain data: guest.c and
 * guest_entry.S fill it; common code never reads it.
 */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <xen/types.h>
#include <xen/timer.h>

/* Saved and restored by guest_entry.S: keep GR_* there in step. */
struct guest_regs
{
    uint64_t x[31];
    uint64_t pc, pstate;           /* ELR_EL2, SPSR_EL2 */
    uint64_t esr, far, hpfar, pad; /* the last exit's syndrome, fault VA, IPA page */
};

/* The EL1 (and EL0) system registers a guest owns, switched per vCPU. */
struct guest_sysregs
{
    uint64_t sctlr, actlr, cpacr, ttbr0, ttbr1, tcr, mair, amair;
    uint64_t vbar, contextidr, tpidr_el1, tpidr_el0, tpidrro_el0;
    uint64_t sp_el0, sp_el1, elr_el1, spsr_el1, esr, far, afsr0, afsr1;
    uint64_t par, cntkctl, csselr, mdscr, cntv_ctl, cntv_cval;
    uint64_t cntp_ctl, cntp_cval; /* the physical timer EL1 reaches (EL1PCEN), no interrupt */
};

/* V0-V31, FPSR, FPCR: fpsimd.S's layout (V registers at 16 * n). */
struct fpsimd_state
{
    uint64_t v[64];
    uint64_t fpsr, fpcr;
} __attribute__((aligned(16)));
_Static_assert(sizeof(struct fpsimd_state) == 528, "fpsimd.S offsets");

/* The vGIC's view of one vCPU (vgic.c): its 32 private interrupts (SGIs
 * 0-15, PPIs 16-31) as its redistributor holds them, and its virtual CPU
 * interface (list registers, ICH_VMCR_EL2, ICH_AP1R0_EL2) while it is
 * off the CPU. */
#define VGIC_NR_LRS 4
struct vgic_vcpu
{
    uint32_t pending; /* waiting for a list register (atomic: any CPU sets) */
    uint32_t enabled; /* GICR_ISENABLER0 (atomic) */
    uint32_t group, icfgr1, waker;
    uint8_t priority[32];
    uint64_t lr[VGIC_NR_LRS];
    uint64_t vmcr, ap1r0;
    uint64_t cntvoff;   /* CNTVOFF_EL2: the domain's, the same in all its vCPUs */
    struct timer timer; /* its CNTV deadline while it is off the CPU */
    uint32_t gicd_ctlr; /* vCPU 0's holds the domain's GICD_CTLR */
};

struct vcpu_arch
{
    struct vgic_vcpu vgic;
    struct fpsimd_state fp;
    struct guest_regs regs;
    struct guest_sysregs sys;
    uint64_t hcr, vmpidr;
    bool entered;                  /* has run since its last reset (logged once) */
    bool fp_live;                  /* fp is in the CPU's registers (CPTR_EL2.TFP clear) */
    uint64_t ioreq_esr, ioreq_ipa; /* the abort an IOREQ server answers (ioreq.c) */
    bool ioreq_nosyn_logged;       /* ioreq.c said once that it injected an abort */
    bool psci_on_pending;          /* a CPU_ON claimed it and is resetting it (vpsci.c) */
};

#endif /* ASM_VCPU_ARCH_H */
