/*
 * save_mtrr.c - the HVM context's MTRR record (14) of one vCPU: its PAT
 * (from the vendor: the VMCS or VMCB holds the guest's) and the MTRRs
 * vmsr.c keeps. Every value is checked as the guest's own WRMSR would
 * be (hvm_msr_mtrr_value_ok) before any is loaded, and more variable
 * ranges than Wren offers are refused, as Xen does.
 *
 * May not touch: any MSR but PAT and the MTRRs.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/hvm_msr.h>
#include <public/hvm/save.h>

#define MSR_PAT           0x277
#define MSR_MTRR_VAR      0x200
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MTRRCAP_FIX_WC    ((1ULL << 8) | (1ULL << 10))

/* The fixed-range MSRs in the record's (and hvm_msr_state's) order. */
static const uint32_t fixed_msr[NUM_FIXED_MSR] = {
    0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f,
};

_Static_assert(HVM_MTRR_VCNT == MTRR_VCNT && HVM_MTRR_NFIXED == NUM_FIXED_MSR, "MTRR counts");

void arch_hvm_mtrr_save(struct vcpu *v, struct hvm_hw_mtrr *r)
{
    const struct hvm_msr_state *s = &v->arch.msr;

    r->msr_pat_cr = hvm_vendor->vcpu_get_pat(v);
    for ( unsigned int i = 0; i < MTRR_VCNT; i++ )
    {
        r->msr_mtrr_var[2 * i] = s->mtrr_var[i][0];
        r->msr_mtrr_var[2 * i + 1] = s->mtrr_var[i][1];
    }
    for ( unsigned int i = 0; i < NUM_FIXED_MSR; i++ )
        r->msr_mtrr_fixed[i] = s->mtrr_fixed[i];
    r->msr_mtrr_cap = MTRR_VCNT | MTRRCAP_FIX_WC;
    r->msr_mtrr_def_type = s->mtrr_def_type;
}

int arch_hvm_mtrr_check(struct vcpu *v, const struct hvm_hw_mtrr *r)
{
    if ( (r->msr_mtrr_cap & 0xff) > MTRR_VCNT )
        return -EINVAL; /* ranges this vCPU could not hold */
    if ( !hvm_msr_mtrr_value_ok(MSR_PAT, r->msr_pat_cr) ||
         !hvm_msr_mtrr_value_ok(MSR_MTRR_DEF_TYPE, r->msr_mtrr_def_type) )
        return -EINVAL;
    for ( unsigned int i = 0; i < 2 * MTRR_VCNT; i++ )
        if ( !hvm_msr_mtrr_value_ok(MSR_MTRR_VAR + i, r->msr_mtrr_var[i]) )
            return -EINVAL;
    for ( unsigned int i = 0; i < NUM_FIXED_MSR; i++ )
        if ( !hvm_msr_mtrr_value_ok(fixed_msr[i], r->msr_mtrr_fixed[i]) )
            return -EINVAL;
    return 0;
}

int arch_hvm_mtrr_load(struct vcpu *v, const struct hvm_hw_mtrr *r)
{
    struct hvm_msr_state *s = &v->arch.msr;

    for ( unsigned int i = 0; i < MTRR_VCNT; i++ )
    {
        s->mtrr_var[i][0] = r->msr_mtrr_var[2 * i];
        s->mtrr_var[i][1] = r->msr_mtrr_var[2 * i + 1];
    }
    for ( unsigned int i = 0; i < NUM_FIXED_MSR; i++ )
        s->mtrr_fixed[i] = r->msr_mtrr_fixed[i];
    s->mtrr_def_type = r->msr_mtrr_def_type;
    s->pat = r->msr_pat_cr;
    hvm_vendor->vcpu_load_pat(v, r->msr_pat_cr);
    return 0;
}
