/*
 * vmce.h - what a machine check reported, on its way from the arch #MC
 * handler to the owner of the broken frame (common/vmce.c), and the arch
 * hook that turns it into the guest's vMCE. docs/designs/vmce.md.
 *
 * Only common/vmce.c and the arch machine-check code use it; the contract
 * with save/restore is xen/broken.h.
 */
#ifndef XEN_VMCE_H
#define XEN_VMCE_H

#include <xen/types.h>

struct domain;
struct vcpu;

/* One bank's report of an uncorrected memory error, as the hardware (or
 * an injection) gave it. addr is a machine address. */
struct mce_record
{
    uint64_t mcg_status;
    uint64_t status;
    uint64_t addr;
    uint64_t misc;
    struct vcpu *interrupted; /* the vCPU the #MC interrupted, or NULL */
};

/* The #MC handler found a broken frame: mark it now (lock-free) and queue
 * the rest (the owner's p2m entry, the vMCE) for vmce_softirq. 0, or
 * -EINVAL (no frame of RAM there), -EBUSY (queue full: marked, but the
 * owner is not told). */
int vmce_report(const struct mce_record *rec);

/* Finish what vmce_report queued: called by the scheduler between guest
 * entries, where no lock is held. Cheap when there is nothing to do. */
void vmce_softirq(void);

/* v touched gfn (guest-physical gpa), which is p2m_ram_broken: the
 * hardware would raise #MC at the access, so v gets a vMCE for it. */
void vmce_broken_access(struct vcpu *v, gfn_t gfn, uint64_t gpa);

/* Counters for XEN_SYSCTL_wren_frame. */
struct vmce_counters
{
    uint64_t reported; /* frames named by a machine check */
    uint64_t owned;    /* of them, a domain's RAM: p2m entry made broken */
    uint64_t injected; /* vMCEs delivered to a guest */
    uint64_t crashed;  /* guests crashed for want of CR4.MCE */
    uint64_t dropped;  /* reports not delivered (queue full, owner gone) */
};
void vmce_get_counters(struct vmce_counters *c);
void vmce_count_delivery(bool injected);

/* Arch: give v's guest the vMCE for gfn (its banks and MCG_STATUS made
 * from rec), delivered at its next entry. */
void arch_vmce_inject(struct vcpu *v, uint64_t gfn, const struct mce_record *rec);

/* Arch: the record a machine check of an uncorrected, action-required
 * memory read error at m would give (frame_report_broken names no bank);
 * at_access: raised by the instruction that touched it (EIPV). */
void arch_mce_synthesize(mfn_t m, bool at_access, struct mce_record *rec);

#endif /* XEN_VMCE_H */
