/*
 * hvm_op.c - the hvm_op hypercall: per-domain HVM parameters and the
 * p2m type of a guest frame.
 *
 * Parameters are set by the builder (console and xenstore rings and
 * their event channels) and read by the guest at boot. A guest may read
 * the few that describe its environment and set only its own event
 * callback; everything else belongs to the control domain. Nothing here
 * acts on a parameter's value: setting one only records it.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/compat.h>
#include <xen/shared_layout.h>
#include <xen/time.h>
#include <xen/guest_access.h>
#include <asm/system.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

static bool guest_may_read(uint32_t index)
{
    switch ( index )
    {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_STORE_PFN:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_PFN:
    case HVM_PARAM_CONSOLE_EVTCHN:
    case HVM_PARAM_ALTP2M: return true;
    default: return false;
    }
}

/*
 * CALLBACK_IRQ: 0 (none) or a vector (type 2, vector >= 16 so it cannot
 * be mistaken for an exception). GSI and PCI INTx callbacks need an
 * emulated IOAPIC, which Wren does not have.
 */
static int check_callback_irq(uint64_t value)
{
    uint64_t type = value >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT;
    uint64_t rest = value & ((1ULL << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) - 1);
    if ( !value )
        return 0;
    if ( type != HVM_PARAM_CALLBACK_TYPE_VECTOR )
        return -EINVAL;
    return rest < 16 || rest > 0xff ? -EINVAL : 0;
}

/* HVM_PARAM_ALTP2M: one of Xen's modes, and not changed while altp2m
 * is on (its views were made under the old mode's rules). */
static int check_altp2m_mode(struct domain *d, uint64_t value)
{
    if ( value > XEN_ALTP2M_limited )
        return -EINVAL;
    if ( ACCESS_ONCE(d->altp2m.active) && value != d->hvm_params[HVM_PARAM_ALTP2M] )
        return -EBUSY;
    return 0;
}

/* Decode a param op: the target domain and whether the caller may do it. */
static int param_target(const struct xen_hvm_param *p, bool set, struct domain **out)
{
    struct domain *cd = current->domain;
    int rc;
    if ( p->index >= HVM_NR_PARAMS )
        return -EINVAL;
    rc = domain_for_caller(p->domid, out);
    if ( rc || cd->is_privileged )
        return rc;
    if ( set ? p->index == HVM_PARAM_CALLBACK_IRQ : guest_may_read(p->index) )
        return 0;
    put_domain(*out);
    return -EPERM;
}

long hvmop_set_param(uint64_t arg)
{
    struct xen_hvm_param p;
    struct domain *d;
    int rc;
    if ( copy_from_guest(&p, arg, sizeof(p)) )
        return -EFAULT;
    rc = param_target(&p, true, &d);
    if ( rc )
        return rc;
    if ( p.index == HVM_PARAM_CALLBACK_IRQ )
        rc = check_callback_irq(p.value);
    if ( p.index == HVM_PARAM_ALTP2M )
        rc = check_altp2m_mode(d, p.value);
    if ( !rc )
        ACCESS_ONCE(d->hvm_params[p.index]) = p.value;
    /* One of the points where Xen latches the shared_info layout. */
    if ( !rc && p.index == HVM_PARAM_CALLBACK_IRQ && d == current->domain &&
         shinfo_latch(d, hypercall_is_compat()) )
        time_domain_init(d);
    put_domain(d);
    return rc;
}

long hvmop_get_param(uint64_t arg)
{
    struct xen_hvm_param p;
    struct domain *d;
    int rc;
    if ( copy_from_guest(&p, arg, sizeof(p)) )
        return -EFAULT;
    rc = param_target(&p, false, &d);
    if ( rc )
        return rc;
    p.value = ACCESS_ONCE(d->hvm_params[p.index]);
    put_domain(d);
    return copy_to_guest(arg, &p, sizeof(p)) ? -EFAULT : 0;
}

/*
 * What a guest may know of a frame's type. States the guest cannot
 * observe (log-dirty, sharing, paging) read as plain RAM; holes and
 * anything emulated read as mmio_dm, as in Xen. A broken frame reads as
 * Wren's HVMMEM_broken, so a guest can tell it from a hole.
 */
static uint16_t hvmmem_type(p2m_type_t t)
{
    switch ( t )
    {
    case p2m_ram_rw:
    case p2m_ram_logdirty:
    case p2m_ram_shared:
    case p2m_ram_paging_out:
    case p2m_ram_paged:
    case p2m_ram_paging_in:
    case p2m_populate_on_demand:
    case p2m_grant_map_rw:
    case p2m_map_foreign: return HVMMEM_ram_rw;
    case p2m_ram_ro:
    case p2m_grant_map_ro: return HVMMEM_ram_ro;
    case p2m_ioreq_server: return HVMMEM_ioreq_server;
    case p2m_ram_broken: return HVMMEM_broken;
    default: return HVMMEM_mmio_dm;
    }
}

long hvmop_get_mem_type(uint64_t arg)
{
    struct xen_hvm_get_mem_type m;
    struct domain *d;
    p2m_type_t t;
    int rc;
    if ( copy_from_guest(&m, arg, sizeof(m)) )
        return -EFAULT;
    if ( m.pfn >= P2M_GFN_LIMIT )
        return -EINVAL;
    rc = domain_for_caller(m.domid, &d);
    if ( rc )
        return rc;
    p2m_lookup(&d->p2m, _gfn(m.pfn), &t, NULL, NULL);
    put_domain(d);
    m.mem_type = hvmmem_type(t);
    return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

/* Sub-ops come from WREN_HVM_OPS (xen/hypercall-defs.h). */
long do_hvm_op(uint64_t op, uint64_t arg)
{
    const struct hvm_op_subop *sub = hvm_op_subop_find(op);
    long rc;
    if ( !sub )
        return -ENOSYS;
    rc = hypercall_permit(sub->callers, current->domain, NULL);
    return rc ? rc : sub->fn(arg);
}
