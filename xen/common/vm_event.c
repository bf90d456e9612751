/*
 * vm_event.c - a domain's monitor ring: XEN_DOMCTL_vm_event_op (enable,
 * disable, resume, version), the requests the mem_access code puts on it,
 * the responses a listener puts back, and the vCPUs that wait meanwhile.
 * Xen's xen-access is the model listener.
 *
 * The ring is the target's frame at HVM_PARAM_MONITOR_RING_PFN, which the
 * toolstack zeroed and maps too (it then gives it back from the target's
 * physmap, as Xen's libxc does: the hypervisor's mapping holds a
 * reference). The hypervisor is the ring's front end: it produces
 * requests and takes responses. Everything read from the page is copied
 * first and checked: the listener (or anyone who can write the frame)
 * may write anything there.
 *
 * A request never waits in hypervisor memory: a vCPU whose request finds
 * the ring full does not run until a response frees a slot, then faults
 * again (Xen's behaviour: the faulting vCPU waits; nothing is dropped).
 * A vCPU has at most one request outstanding, so a domain's requests are
 * bounded by its vCPUs and the ring.
 *
 * May not touch: p2m entries, access rights (mem_access.c), run states
 * (only the vCPU's two flags, which vcpu_runnable reads).
 * Lock order: d->vm_event.lock (xen/lock-order.h), never with a p2m lock
 * held; event-channel locks only after it is dropped.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/vm_event.h>
#include <asm/system.h>
#include <public/domctl.h>

int vm_event_switch_view(struct vcpu *v, unsigned int view)
{
    if ( !ACCESS_ONCE(v->domain->altp2m.active) )
        return view ? -EINVAL : 0;
    return view < MAX_ALTP2M ? altp2m_vcpu_switch(v, (uint16_t)view) : -EINVAL;
}

void vm_event_domain_init(struct domain *d)
{
    spin_lock_init(&d->vm_event.lock, LOCK_vm_event);
}

bool vm_event_ring_on(struct domain *d)
{
    return ACCESS_ONCE(d->vm_event.sring) != NULL;
}

void vm_event_count_violation(struct domain *d)
{
    spin_lock(&d->vm_event.lock);
    d->vm_event.stats.violation_exits++;
    spin_unlock(&d->vm_event.lock);
}

bool vm_event_unheard(struct domain *d)
{
    bool required;

    spin_lock(&d->vm_event.lock);
    required = d->vm_event.access_required;
    d->vm_event.stats.access_resets += !required;
    spin_unlock(&d->vm_event.lock);
    return required;
}

static bool ring_has_room(const struct vm_event_domain *ved)
{
    return ved->req_prod_pvt - ved->rsp_cons < VM_EVENT_RING_ENTRIES;
}

/* Everyone waiting for room runs again (and faults again). Locked. */
static bool wake_ring_waiters(struct domain *d)
{
    bool woke = false;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && d->vcpu[i]->vm_event.ring_wait )
        {
            ACCESS_ONCE(d->vcpu[i]->vm_event.ring_wait) = false;
            woke = true;
        }
    return woke;
}

/* ---- requests ----------------------------------------------------------- */

static void put_request(struct vm_event_domain *ved, const vm_event_request_t *req)
{
    vm_event_sring_t *s = ved->sring;
    s->ring[ved->req_prod_pvt & (VM_EVENT_RING_ENTRIES - 1)].req = *req;
    ved->req_prod_pvt++;
    smp_wmb(); /* the entry before the index */
    ACCESS_ONCE(s->req_prod) = ved->req_prod_pvt;
    ved->stats.requests++;
}

int vm_event_send(struct vcpu *v, vm_event_request_t *req)
{
    struct vm_event_domain *ved = &v->domain->vm_event;
    unsigned int port = 0;
    int rc = 0;

    req->version = VM_EVENT_INTERFACE_VERSION;
    req->vcpu_id = v->vcpu_id;
    req->flags |= VM_EVENT_FLAG_VCPU_PAUSED;
    spin_lock(&ved->lock);
    if ( !ved->sring )
        rc = -ENODEV;
    else if ( !ring_has_room(ved) )
    {
        ved->stats.ring_waits++;
        ACCESS_ONCE(v->vm_event.ring_wait) = true;
        rc = -EBUSY;
    }
    else
    {
        ACCESS_ONCE(v->vm_event.paused) = true;
        put_request(ved, req);
        port = ved->port;
    }
    spin_unlock(&ved->lock);
    if ( port )
        evtchn_send_from_xen(v->domain, port);
    return rc;
}

/* ---- responses ---------------------------------------------------------- */

/* One response, copied out of the ring. True if a vCPU may run again. */
static bool apply_response(struct domain *d, const vm_event_response_t *rsp)
{
    struct vm_event_domain *ved = &d->vm_event;
    struct vcpu *v;

    if ( rsp->version != VM_EVENT_INTERFACE_VERSION || rsp->vcpu_id >= d->max_vcpus ||
         !d->vcpu[rsp->vcpu_id] )
    {
        ved->stats.bad_responses++;
        return false;
    }
    v = d->vcpu[rsp->vcpu_id];
    if ( !(rsp->flags & VM_EVENT_FLAG_VCPU_PAUSED) || !v->vm_event.paused )
    {
        /* Nothing to let go: an asynchronous answer, or a second one. */
        ved->stats.bad_responses += !!(rsp->flags & VM_EVENT_FLAG_VCPU_PAUSED);
        ved->stats.responses += !(rsp->flags & VM_EVENT_FLAG_VCPU_PAUSED);
        return false;
    }
    if ( (rsp->flags & VM_EVENT_FLAG_ALTERNATE_P2M) && vm_event_switch_view(v, rsp->altp2m_idx) )
        ved->stats.bad_responses++; /* the vCPU runs on in its view */
    ved->stats.responses++;
    ACCESS_ONCE(v->vm_event.paused) = false;
    return true;
}

/* Take every response the listener produced. Locked. True if a vCPU may
 * run again. A producer index that claims more responses than requests
 * are outstanding is a lie: nothing is taken. */
static bool take_responses(struct domain *d)
{
    struct vm_event_domain *ved = &d->vm_event;
    RING_IDX prod = ACCESS_ONCE(ved->sring->rsp_prod);
    bool woke = false;

    smp_rmb(); /* the index before the entries */
    if ( prod - ved->rsp_cons > ved->req_prod_pvt - ved->rsp_cons )
    {
        ved->stats.bad_responses += prod != ved->refused_prod;
        ved->refused_prod = prod;
        return false;
    }
    while ( ved->rsp_cons != prod )
    {
        vm_event_response_t rsp;
        memcpy(&rsp, &ved->sring->ring[ved->rsp_cons & (VM_EVENT_RING_ENTRIES - 1)].rsp,
               sizeof(rsp));
        ved->rsp_cons++;
        woke |= apply_response(d, &rsp);
    }
    if ( ring_has_room(ved) )
        woke |= wake_ring_waiters(d);
    return woke;
}

static int vm_event_resume(struct domain *d)
{
    struct vm_event_domain *ved = &d->vm_event;
    bool woke = false;
    int rc = 0;

    spin_lock(&ved->lock);
    if ( ved->sring )
        woke = take_responses(d);
    else
        rc = -ENODEV;
    spin_unlock(&ved->lock);
    if ( woke )
        sched_kick_all();
    return rc;
}

/* The listener notified the ring's port. */
static void ring_port_event(struct domain *d, unsigned int port)
{
    vm_event_resume(d);
}

/* ---- enable and disable ------------------------------------------------- */

static int ring_enable(struct domain *d, struct xen_domctl_vm_event_op *op)
{
    struct vm_event_domain *ved = &d->vm_event;
    uint64_t gfn = ACCESS_ONCE(d->hvm_params[HVM_PARAM_MONITOR_RING_PFN]);
    void *va;
    int port;

    if ( !gfn )
        return -EOPNOTSUPP; /* Xen's answer: no ring frame chosen */
    if ( vm_event_ring_on(d) )
        return -EBUSY;
    va = map_guest_frame(d, _gfn(gfn), true);
    if ( !va )
        return -EINVAL;
    port = evtchn_alloc_xen_consumer(d, current->domain->domain_id, ring_port_event);
    if ( port < 0 )
    {
        unmap_guest_frame(va);
        return port;
    }
    spin_lock(&ved->lock);
    if ( !ved->sring && !ACCESS_ONCE(d->is_dying) ) /* no ring outlives the destroy */
    {
        ved->sring = va;
        ved->req_prod_pvt = ved->rsp_cons = ved->refused_prod = 0; /* zeroed by the toolstack */
        ved->port = (unsigned int)port;
        ved->listener = current->domain->domain_id;
        op->u.enable.port = (uint32_t)port;
        va = NULL;
    }
    spin_unlock(&ved->lock);
    if ( !va )
        return 0;
    evtchn_close_xen_consumer(d, (unsigned int)port); /* lost a race: enable or destroy */
    unmap_guest_frame(va);
    return d->is_dying ? -ESRCH : -EBUSY;
}

/* The ring goes; every vCPU that waited runs (and faults again, finding
 * no listener). Locked. Returns the page and port to let go unlocked. */
static void *ring_detach(struct domain *d, unsigned int *port)
{
    struct vm_event_domain *ved = &d->vm_event;
    void *va = ved->sring;

    ved->sring = NULL;
    *port = ved->port;
    ved->port = 0;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            ACCESS_ONCE(d->vcpu[i]->vm_event.paused) = false;
            ACCESS_ONCE(d->vcpu[i]->vm_event.ring_wait) = false;
        }
    return va;
}

static int ring_disable(struct domain *d)
{
    unsigned int port = 0;
    void *va;

    spin_lock(&d->vm_event.lock);
    va = d->vm_event.sring ? ring_detach(d, &port) : NULL;
    spin_unlock(&d->vm_event.lock);
    if ( !va )
        return -EINVAL; /* not on: the caller has lost track */
    evtchn_close_xen_consumer(d, port);
    unmap_guest_frame(va);
    sched_kick_all();
    return 0;
}

void vm_event_domain_destroy(struct domain *d)
{
    ring_disable(d);
}

/* ---- the domctls -------------------------------------------------------- */

static long monitor_op(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    struct xen_domctl_vm_event_op *vop = &op->u.vm_event_op;
    int rc;

    switch ( vop->op )
    {
    case XEN_VM_EVENT_ENABLE:
        rc = ring_enable(d, vop);
        if ( !rc && copy_to_guest(arg, op, sizeof(*op)) )
        {
            ring_disable(d);
            rc = -EFAULT;
        }
        return rc;
    case XEN_VM_EVENT_DISABLE: return ring_disable(d);
    case XEN_VM_EVENT_RESUME: return vm_event_resume(d);
    default: return -ENOSYS;
    }
}

/* NO_TARGET row: GET_VERSION names no domain (Xen's DOMID_INVALID). */
long domctl_vm_event_op(struct domain *unused, struct xen_domctl *op, uint64_t arg)
{
    struct domain *d;
    long rc;

    if ( op->u.vm_event_op.op == XEN_VM_EVENT_GET_VERSION )
    {
        op->u.vm_event_op.u.version = VM_EVENT_INTERFACE_VERSION;
        return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
    }
    d = domain_get_by_id(op->domain);
    if ( !d )
        return -ESRCH;
    if ( d == current->domain )
        rc = -EINVAL; /* Xen's: no ring on oneself */
    else if ( op->u.vm_event_op.mode == XEN_DOMCTL_VM_EVENT_OP_MONITOR )
        rc = monitor_op(d, op, arg);
    else if ( op->u.vm_event_op.mode == XEN_DOMCTL_VM_EVENT_OP_PAGING ||
              op->u.vm_event_op.mode == XEN_DOMCTL_VM_EVENT_OP_SHARING )
        rc = -EOPNOTSUPP; /* no paging; sharing needs no ring here */
    else
        rc = -ENOSYS;
    put_domain(d);
    return rc;
}

static void fill_stats(struct domain *d, struct xen_domctl_wren_vm_event *s)
{
    struct vm_event_domain *ved = &d->vm_event;
    uint64_t waiting = 0;

    spin_lock(&ved->lock);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        waiting += d->vcpu[i] && vm_event_vcpu_waits(&d->vcpu[i]->vm_event);
    s->flags = (ved->sring ? 1U : 0) | (ved->access_required ? 2U : 0);
    s->requests = ved->stats.requests;
    s->responses = ved->stats.responses;
    s->bad_responses = ved->stats.bad_responses;
    s->ring_waits = ved->stats.ring_waits;
    s->violation_exits = ved->stats.violation_exits;
    s->access_resets = ved->stats.access_resets;
    s->paused_now = waiting;
    spin_unlock(&ved->lock);
}

long domctl_wren_vm_event(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    if ( op->u.wren_vm_event.op )
        return -EINVAL;
    fill_stats(d, &op->u.wren_vm_event);
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}
