/*
 * arch.c - x86's side of xen/include/xen/arch.h: each hook hands the
 * common request to the vendor chosen at boot (VMX or SVM, behind
 * struct vcpu_vendor_ops) and to the code written once for both
 * (hvm/hvm.c's exit handling, cpu_state.c's register switching).
 *
 * May not touch: policy. Every decision stays in the caller or in the
 * vendor code; this file only routes.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <asm/hvm.h>
#include <asm/hvm_msr.h>
#include <asm/cpu_state.h>
#include <asm/vlapic.h>

int arch_vcpu_create(struct vcpu *v)
{
    arch_vcpu_state_init(v);
    vlapic_init(v);
    hvm_msr_vcpu_init(v);
    v->arch.intr_from_lapic = -1;
    v->arch.ioreq_exit = xzalloc(struct hvm_exit);
    if ( !v->arch.ioreq_exit )
        return -ENOMEM;
    return hvm_vendor->vcpu_create(v);
}

void arch_vcpu_destroy(struct vcpu *v)
{
    vlapic_destroy(v);
    hvm_vendor->vcpu_destroy(v);
    xfree(v->arch.ioreq_exit);
}

int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    return hvm_vendor->vcpu_set_hvm_context(v, ctx);
}

/* x86's domain builder sets a vCPU through the HVM context. */
int arch_vcpu_set_guest_context(struct vcpu *v, uint64_t ctxt, bool *online)
{
    return -EOPNOTSUPP;
}

void arch_vcpu_run_once(struct vcpu *v)
{
    struct hvm_exit exit;

    /* Both cheap when there is nothing to do: one read each. An answered
     * instruction is finished first: its next request sends any
     * invalidation owed ahead of itself; one still owed after it goes
     * before entry (ioreq_inval.c). */
    if ( ACCESS_ONCE(v->ioreq.resume) )
    {
        v->ioreq.resume = false;
        hvm_ioreq_resume(v, v->arch.ioreq_exit);
    }
    if ( vcpu_runnable(v) )
        ioreq_before_entry(v);
    hvm_vmce_deliver(v); /* one read when no vMCE waits; may crash the domain */
    if ( !vcpu_runnable(v) )
        return; /* it waits for a server again */
    hvm_vendor->vcpu_run(v, &exit);
    v->exits++;
    hvm_handle_exit(v, &exit);
}

const struct p2m_pte_ops *arch_p2m_ops(void)
{
    return hvm_vendor->p2m_ops;
}

void arch_flush_guest_tlbs(struct domain *d)
{
    hvm_vendor->flush_guest_tlbs(d);
}

const struct logdirty_mech_ops *arch_logdirty_hw_log(void)
{
    return hvm_vendor ? hvm_vendor->pml : NULL;
}

void arch_vcpu_load_stats(struct xen_sysctl_wren_vcpu_load *out)
{
    hvm_load_stats(out);
}

const char *arch_xen_capabilities(void)
{
    return "hvm-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p";
}

/* Every hypercall and sub-op the common tables list is x86's. */
bool arch_hypercall_absent(uint64_t nr, uint64_t cmd)
{
    return false;
}
