/*
 * save_vmce.c - the HVM context's machine-check records of one vCPU:
 * Xen's VMCE_VCPU (18: MCG_CAP and Intel's two MCi_CTL2) and Wren's
 * WREN_VMCE_PENDING (0x5773: MCG_STATUS, the two banks, and a vMCE that
 * was queued and not yet delivered). docs/designs/vmce.md, "Across a
 * migration".
 *
 * A frame that breaks while the guest is stopped (a migration's final
 * round) leaves its vMCE pending in vmsr.c's state; this record carries
 * it, and the load arms it again so that hvm_vmce_deliver gives it at
 * the vCPU's first entry on the new domain. Every field is checked as
 * the guest's own MSR writes, or a vMCE, could have left it, and a
 * pending vMCE must name a page that is broken in the loading domain.
 *
 * May not touch: anything but the vCPU's struct hvm_msr_state; the p2m
 * only to read one entry.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <xen/p2m.h>
#include <asm/hvm_msr.h>
#include <asm/mce.h>
#include <public/hvm/save.h>

#define MCG_STATUS_LMCE_S (1ULL << 3)
#define MCG_STATUS_OK     (MCG_STATUS_RIPV | MCG_STATUS_EIPV | MCG_STATUS_MCIP | MCG_STATUS_LMCE_S)
#define PENDING_FLAGS     (HVM_WREN_VMCE_PENDING | HVM_WREN_VMCE_NESTED)

/* ---- VMCE_VCPU (18) ------------------------------------------------------ */

void arch_hvm_vmce_save(struct vcpu *v, struct hvm_vmce_vcpu *r)
{
    const struct hvm_msr_state *s = &v->arch.msr;

    r->caps = hvm_vmce_mcg_cap();
    r->mci_ctl2_bank0 = s->mce[0].ctl2;
    r->mci_ctl2_bank1 = s->mce[1].ctl2;
    r->mcg_ext_ctl = 0;
}

/* Caps are not per vCPU here: a record may claim no more than this host
 * gives (as Xen refuses caps beyond its guest_mcg_cap), with Wren's two
 * banks; no LMCE, so no MCG_EXT_CTL. */
int arch_hvm_vmce_check(struct vcpu *v, const struct hvm_vmce_vcpu *r)
{
    uint64_t caps = hvm_vmce_mcg_cap();

    if ( (r->caps & MCG_CAP_COUNT) != HVM_MCE_BANKS || (r->caps & ~caps) || r->mcg_ext_ctl )
        return -EINVAL;
    return 0;
}

int arch_hvm_vmce_load(struct vcpu *v, const struct hvm_vmce_vcpu *r)
{
    v->arch.msr.mce[0].ctl2 = r->mci_ctl2_bank0;
    v->arch.msr.mce[1].ctl2 = r->mci_ctl2_bank1;
    return 0;
}

/* ---- WREN_VMCE_PENDING (0x5773) ----------------------------------------- */

void arch_hvm_vmce_pending_save(struct vcpu *v, struct hvm_wren_vmce_pending *r)
{
    const struct hvm_msr_state *s = &v->arch.msr;

    memset(r, 0, sizeof(*r));
    r->flags = (__atomic_load_n(&s->mce_pending, __ATOMIC_ACQUIRE) ? HVM_WREN_VMCE_PENDING : 0) |
               (s->mce_nested ? HVM_WREN_VMCE_NESTED : 0);
    r->mcg_status = s->mcg_status;
    for ( unsigned int i = 0; i < HVM_MCE_BANKS; i++ )
    {
        r->bank[i].status = s->mce[i].status;
        r->bank[i].addr = s->mce[i].addr;
        r->bank[i].misc = s->mce[i].misc;
    }
}

/* A bank as a vMCE fills it, or as the guest left it by writing zeroes:
 * bank 0 is never filled; bank 1's status, if any, is valid with the
 * model-specific code hidden, and its address a gpa of the domain. */
static bool banks_ok(const struct domain *d, const struct hvm_wren_vmce_pending *r)
{
    uint64_t st = r->bank[1].status;

    if ( r->bank[0].status || r->bank[0].addr || r->bank[0].misc )
        return false;
    if ( st && (!(st & MCI_STATUS_VAL) || (st & MCI_STATUS_MSCOD)) )
        return false;
    return !r->bank[1].addr || domain_gfn_ok(d, r->bank[1].addr >> PAGE_SHIFT);
}

/* A pending vMCE: MCIP set (the vMCE sets it when it is queued), bank 1
 * naming an uncorrected error with its address, at a page the stream
 * delivered as broken. */
static bool pending_ok(struct domain *d, const struct hvm_wren_vmce_pending *r)
{
    const uint64_t need = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_ADDRV;
    p2m_type_t t = p2m_invalid;

    if ( !(r->mcg_status & MCG_STATUS_MCIP) || (r->bank[1].status & need) != need )
        return false;
    p2m_lookup(&d->p2m, _gfn(r->bank[1].addr >> PAGE_SHIFT), &t, NULL, NULL);
    return t == p2m_ram_broken;
}

int arch_hvm_vmce_pending_check(struct vcpu *v, const struct hvm_wren_vmce_pending *r)
{
    if ( r->pad || (r->flags & ~PENDING_FLAGS) || (r->mcg_status & ~MCG_STATUS_OK) )
        return -EINVAL;
    if ( (r->flags & HVM_WREN_VMCE_NESTED) && !(r->flags & HVM_WREN_VMCE_PENDING) )
        return -EINVAL;
    if ( !banks_ok(v->domain, r) )
        return -EINVAL;
    if ( (r->flags & HVM_WREN_VMCE_PENDING) && !pending_ok(v->domain, r) )
        return -EINVAL;
    return 0;
}

/* The vCPU is paused: a pending vMCE goes in at its first entry. */
int arch_hvm_vmce_pending_load(struct vcpu *v, const struct hvm_wren_vmce_pending *r)
{
    struct hvm_msr_state *s = &v->arch.msr;

    s->mcg_status = r->mcg_status;
    for ( unsigned int i = 0; i < HVM_MCE_BANKS; i++ )
    {
        s->mce[i].status = r->bank[i].status;
        s->mce[i].addr = r->bank[i].addr;
        s->mce[i].misc = r->bank[i].misc;
    }
    s->mce_nested = r->flags & HVM_WREN_VMCE_NESTED;
    __atomic_store_n(&s->mce_pending, !!(r->flags & HVM_WREN_VMCE_PENDING), __ATOMIC_RELEASE);
    return 0;
}
