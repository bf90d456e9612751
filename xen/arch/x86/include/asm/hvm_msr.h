/*
 * hvm_msr.h - the MSRs Wren virtualises for HVM guests as Xen does, with
 * state per vCPU: DEBUGCTL, the MTRRs, PAT, MISC_ENABLE, the machine-check
 * (vMCE) MSRs, PLATFORM_ID and the microcode revision. hvm.c's MSR exit
 * handler asks here first; an MSR nobody claims is #GP, as on Xen.
 * (APIC_BASE and the x2APIC range are the local APIC's, not here.)
 */
#ifndef ASM_HVM_MSR_H
#define ASM_HVM_MSR_H

#include <xen/types.h>

struct vcpu;

#define HVM_MTRR_VCNT   8  /* variable ranges, as Xen's MTRRcap.VCNT */
#define HVM_MTRR_NFIXED 11 /* 64K_00000, 16K_80000/A0000, 4K_C0000..F8000 */
#define HVM_MCE_BANKS   2  /* banks Xen's vMCE gives a guest */
#define HVM_PAT_RESET   0x0007040600070406ULL

struct hvm_mce_bank
{
    uint64_t status, addr, misc;
    uint64_t ctl2; /* Intel's MCi_CTL2 (CMCI), kept as written */
};

/* Kept per vCPU; the HVM context carries it (hvm/save_vmce.c). */
struct hvm_msr_state
{
    uint64_t debugctl;
    uint64_t pat;
    uint64_t mtrr_def_type;
    uint64_t mtrr_var[HVM_MTRR_VCNT][2]; /* PHYSBASE, PHYSMASK */
    uint64_t mtrr_fixed[HVM_MTRR_NFIXED];
    uint64_t mcg_status;
    struct hvm_mce_bank mce[HVM_MCE_BANKS];
    bool mce_pending; /* a vMCE to deliver at the next entry */
    bool mce_nested;  /* ... while the guest's MCIP was still set */
};

/* The reset state a PVH vCPU starts with (Xen's toolstack enables the
 * MTRRs with default type WB for PVH guests). */
void hvm_msr_vcpu_init(struct vcpu *v);

/*
 * 1: handled (a read fills *val); 0: a #GP for the guest; -ENOENT: not
 * an MSR of this file.
 */
int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);
/* Would a guest's WRMSR of val to this PAT or MTRR MSR be accepted? For
 * the HVM context's MTRR record (hvm/save_mtrr.c). */
bool hvm_msr_mtrr_value_ok(uint32_t msr, uint64_t val);

/* MCG_CAP as every guest reads it (hvm/save_vmce.c checks records
 * against it). */
uint64_t hvm_vmce_mcg_cap(void);

/* Before v's next entry (arch_vcpu_run_once): deliver a pending vMCE as
 * #MC, or crash the domain if its guest cannot take one (CR4.MCE clear,
 * or a previous #MC still in progress), as Xen does. */
void hvm_vmce_deliver(struct vcpu *v);

#endif /* ASM_HVM_MSR_H */
