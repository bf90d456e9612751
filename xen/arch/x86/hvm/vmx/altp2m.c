/*
 * altp2m.c - the VMX hardware behind altp2m views
 * (docs/designs/altp2m-sharing.md, part vmxalt): the EPTP list a guest
 * switches views through with VMFUNC leaf 0, the active view following
 * the EPTP index the CPU reports, and EPT-violation #VE through the
 * vCPU's information page.
 *
 * Each vCPU has an EPTP list of its own (one page, index = view, 0 for a
 * view that does not exist or is hidden). It is rebuilt on the way in,
 * after the entry has published guest_cpu, from the same list of views
 * the EPTP itself is read from (vmx.c load_eptp): a view's destroy
 * unlists it and then flushes synchronously, so either this entry sees it
 * gone or the flush waits for this run to end, and no CPU can VMFUNC
 * onto a freed root. A list per vCPU (not per domain) because each
 * vCPU's EPTPs carry its own EPT A/D setting (pml.c), and nothing writes
 * a list while another CPU may be switching through it.
 *
 * May not touch: the views themselves (xen/common/altp2m*.c decide what
 * exists), the table format (mm/p2m-ept.c writes suppress-#VE), common
 * exit handling.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/altp2m.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/hvm/params.h>
#include "vmx_priv.h"

static bool has_vmfunc; /* VMFUNC with EPTP switching (leaf 0) */
static bool has_ve;     /* EPT-violation #VE */

void vmx_altp2m_probe(void)
{
    uint32_t may = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) >> 32;

    if ( (may & PROC2_ENABLE_VMFUNC) && (vmx_caps.proc & PROC_ACTIVATE_CTLS2) )
        has_vmfunc = rdmsr(MSR_IA32_VMX_VMFUNC) & VMFUNC_EPTP_SWITCHING;
    has_ve = may & PROC2_EPT_VE;
    printk("VMX: altp2m: VMFUNC EPTP switching %s, EPT-violation #VE %s\n",
           has_vmfunc ? "yes" : "no (views switch by hypercall)", has_ve ? "yes" : "no");
}

bool vmx_altp2m_has_vmfunc(void)
{
    return has_vmfunc;
}

int vmx_altp2m_vcpu_init(struct vcpu *v)
{
    if ( !has_vmfunc )
        return 0;
    v->arch.vmx.eptp_list = alloc_page_zeroed(); /* all entries invalid */
    return v->arch.vmx.eptp_list ? 0 : -ENOMEM;
}

void vmx_altp2m_vcpu_free(struct vcpu *v)
{
    if ( v->arch.vmx.eptp_list )
        free_page_ptr(v->arch.vmx.eptp_list);
    v->arch.vmx.eptp_list = NULL;
}

/* May the guest switch views itself? Mixed and limited modes say so
 * (Xen's); external leaves switching to the toolstack. */
static bool guest_switches(const struct domain *d)
{
    uint64_t mode = ACCESS_ONCE(d->hvm_params[HVM_PARAM_ALTP2M]);

    return ACCESS_ONCE(d->altp2m.active) &&
           (mode == XEN_ALTP2M_mixed || mode == XEN_ALTP2M_limited);
}

/* Entry i of v's list: view i's EPTP, or 0 (an invalid EPTP: a VMFUNC
 * to it exits) for a view that is absent or hidden from the guest. */
static uint64_t list_entry(struct vcpu *v, uint16_t i)
{
    struct altp2m_view *view;

    if ( !i )
        return vmx_eptp_of(v, &v->domain->p2m);
    view = ACCESS_ONCE(v->domain->altp2m.views[i]);
    return view && view->visible ? vmx_eptp_of(v, &view->p2m) : 0;
}

/* True if an entry changed: a root the guest can now reach may hold
 * translations from its last use, so the entry flushes the list. */
static bool fill_list(struct vcpu *v)
{
    uint64_t *list = v->arch.vmx.eptp_list;
    bool changed = false;

    for ( uint16_t i = 0; i < MAX_ALTP2M; i++ )
    {
        uint64_t e = list_entry(v, i);

        if ( list[i] == e )
            continue;
        ACCESS_ONCE(list[i]) = e;
        changed = true;
    }
    return changed;
}

/* The #VE information page's machine address, or 0: #VE off. */
static uint64_t ve_maddr(struct vcpu *v)
{
    uint64_t mfn = ACCESS_ONCE(v->altp2m.ve_mfn);

    if ( !has_ve || !ACCESS_ONCE(v->domain->altp2m.active) || mfn == INVALID_MFN_RAW )
        return 0;
    return mfn << PAGE_SHIFT;
}

/*
 * On the way in, VMCS loaded, guest_cpu published, before the EPTP is
 * written: the secondary controls, VMFUNC and #VE for this run, and the
 * EPTP index of the view the vCPU enters on (the one vmx_eptp_of gives).
 */
void vmx_altp2m_enter(struct vcpu *v, uint16_t view)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint32_t proc2 = vmx_caps.proc2;
    uint64_t ve = ve_maddr(v);

    if ( x->eptp_list && guest_switches(v->domain) )
    {
        if ( fill_list(v) )
            x->last_cpu = -1; /* flush_if_stale flushes every entry */
        proc2 |= PROC2_ENABLE_VMFUNC;
    }
    if ( ve )
        proc2 |= PROC2_EPT_VE;
    if ( proc2 != x->proc2 )
    {
        vmcs_write(VMCS_PROC_CTLS2, proc2);
        if ( proc2 & PROC2_ENABLE_VMFUNC )
        {
            vmcs_write(VMCS_VMFUNC_CTLS, VMFUNC_EPTP_SWITCHING);
            vmcs_write(VMCS_EPTP_LIST_ADDR, virt_to_maddr(x->eptp_list));
        }
        x->proc2 = proc2;
    }
    if ( ve && ve != x->ve_maddr )
        vmcs_write(VMCS_VE_INFO_ADDR, ve);
    x->ve_maddr = ve;
    if ( proc2 & (PROC2_ENABLE_VMFUNC | PROC2_EPT_VE) )
        vmcs_write(VMCS_EPTP_INDEX, view);
    x->entry_view = view;
}

/*
 * After an exit, VMCS still loaded: a VMFUNC since the entry moved the
 * vCPU to the view the CPU reports. A hypercall switch of this vCPU
 * meanwhile (the toolstack's, under the altp2m lock) is newer than the
 * guest's and wins: it takes effect at the next entry. A view destroyed
 * under the guest's feet is not taken: the vCPU is back on view 0
 * (the entry path does the same for a view gone since).
 */
void vmx_altp2m_exit(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint16_t now, expect = x->entry_view;

    if ( !(x->proc2 & PROC2_ENABLE_VMFUNC) )
        return;
    now = vmcs_read(VMCS_EPTP_INDEX);
    if ( now == expect )
        return;
    if ( now >= MAX_ALTP2M || (now && !ACCESS_ONCE(v->domain->altp2m.views[now])) )
        now = 0;
    if ( __atomic_compare_exchange_n(&v->altp2m.idx, &expect, now, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST) )
        x->vmfunc_switches++;
    x->eptp = vmcs_read(VMCS_EPTP); /* the CPU's: no flush for it at entry */
}

/*
 * Exit 59: VMFUNC with a leaf other than 0 or an invalid list entry.
 * Xen's answer is #UD, the instruction not done. But this vCPU's list is
 * only rebuilt when it enters: a view another vCPU made (or showed)
 * since is not in it yet. Then the VMFUNC is simply done again after the
 * next entry, which puts the view in the list; a view gone by then exits
 * once more and gets the #UD.
 */
void vmx_altp2m_vmfunc_exit(struct vcpu *v)
{
    uint32_t leaf = v->arch.regs.rax, idx = v->arch.regs.rcx; /* EAX, ECX */
    const uint64_t *list = v->arch.vmx.eptp_list;

    if ( leaf == 0 && idx < MAX_ALTP2M && !list[idx] && list_entry(v, idx) )
        return; /* RIP not advanced: retried with the view in the list */
    vmx_queue_exception(v, 6 /* #UD */, -1);
}

/* Every EPTP the guest can reach without an exit: a flush of the vCPU's
 * translations covers them all, not only the one it entered on. */
void vmx_altp2m_flush(struct vcpu *v)
{
    const uint64_t *list = v->arch.vmx.eptp_list;

    if ( !(v->arch.vmx.proc2 & PROC2_ENABLE_VMFUNC) )
        return;
    for ( uint16_t i = 0; i < MAX_ALTP2M; i++ )
        if ( list[i] && list[i] != v->arch.vmx.eptp )
            invept(INVEPT_SINGLE_CONTEXT, list[i]);
}
