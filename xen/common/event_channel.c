/*
 * event_channel.c - event channels: the port table, every EVTCHNOP_*, the
 * 2-level ABI, VIRQs and registered vcpu_infos.
 *
 * A port connects two domains (UNBOUND until the named remote domain
 * binds), a domain and a VIRQ the hypervisor raises, two vCPUs of one
 * domain (IPI), or a domain and a service inside the hypervisor (the PV
 * console backend). How a raised port reaches the guest is its ABI's
 * (d->evtchn.ops): 2-level here - a bit in shared_info evtchn_pending[],
 * then the word's bit in the vCPU's evtchn_pending_sel, then its
 * evtchn_upcall_pending - or FIFO (event_fifo.c) once the guest asks.
 *
 * Locking (order: xen/lock-order.h): d->evtchn.lock guards d's port
 * table; an operation on two domains takes both, lower address first
 * (the class nests by address). virq_lock (an IRQ class) guards the
 * vCPUs' VIRQ bindings, so a timer handler raises a VIRQ holding only it.
 * Raising an event in d holds one of the two; the ABI's ops and pages and
 * the registered vcpu_infos change only with both held. Raising wakes the
 * vCPU (arch_evtchn_inject: vlapic, sched). Service functions are called
 * with no evtchn lock held.
 *
 * Of shared_info and vcpu_info, this file writes only evtchn_pending
 * bits, evtchn_pending_sel and evtchn_upcall_pending; evtchn_mask is the
 * guest's, cleared here only on its EVTCHNOP_unmask.
 *
 * May not touch: run states (the scheduler's), upcall delivery
 * (arch_evtchn_inject), another domain's ports except through the
 * checked pair operations below.
 *
 * Not implemented (-ENOSYS): PIRQs (EVTCHNOP_bind_pirq).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/mm.h>
#include <xen/frame.h>
#include <xen/param.h>
#include <xen/time.h>
#include <xen/event.h>
#include <xen/shared_layout.h>
#include <xen/hypercall.h>
#include <xen/arch.h>
#include <xen/guest_access.h>
#include <asm/system.h>
#include <public/event_channel.h>
#include <wren/bitops.h>
#include "event_private.h"

/* Ports per domain: Xen's toolstack gives 1023 by default; the 2-level
 * ABI's shared_info bitmaps hold NR_EVENT_CHANNELS. */
static uint64_t opt_evtchn_ports = 1024;
integer_param("evtchn_ports", opt_evtchn_ports);

/* ---- shared_info bits, vcpu_info ------------------------------------------ */

/*
 * Bits of shared_info and vcpu_info, reached as the 32-bit word the
 * domain's latched layout (xen/shared_layout.h) puts them in: one atomic
 * unit in both layouts, and on little-endian the same bit a 64-bit
 * guest's word operations see.
 */
static bool word_test_and_set(uint32_t *w, uint32_t m)
{
    return __atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m;
}

static bool word_test_and_clear(uint32_t *w, uint32_t m)
{
    return __atomic_fetch_and(w, ~m, __ATOMIC_SEQ_CST) & m;
}

static bool word_test(const uint32_t *w, uint32_t m)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & m;
}

struct vcpu_info *vcpu_info_of(struct vcpu *v)
{
    struct vcpu_info *mine = __atomic_load_n(&v->evtchn.vcpu_info, __ATOMIC_ACQUIRE);
    struct shared_info *s = v->domain->shared_info;
    if ( mine )
        return mine;
    if ( !s || v->vcpu_id >= XEN_LEGACY_MAX_VCPUS )
        return NULL;
    return &s->vcpu_info[v->vcpu_id];
}

bool evtchn_vcpu_has_pending(struct vcpu *v)
{
    const struct vcpu_info *vi = vcpu_info_of(v);
    return vi && ACCESS_ONCE(vi->evtchn_upcall_pending) != 0;
}

struct vcpu *evtchn_notify_vcpu(struct domain *d, unsigned int port)
{
    unsigned int id = ACCESS_ONCE(d->evtchn.port[port].notify_vcpu);
    if ( id < d->max_vcpus && d->vcpu[id] )
        return d->vcpu[id];
    return d->vcpu[0];
}

void evtchn_mark_upcall(struct vcpu *v)
{
    struct vcpu_info *vi = v ? vcpu_info_of(v) : NULL;
    if ( vi && !__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) )
        arch_evtchn_inject(v);
}

/* ---- the 2-level ABI ------------------------------------------------------ */

/* The port's word is now pending for v: tell v, once per word. */
static void l2_mark_pending_for(struct vcpu *v, unsigned int port)
{
    struct vcpu_info *vi = v ? vcpu_info_of(v) : NULL;
    uint32_t m, *w;
    if ( !vi )
        return;
    w = vcpu_info_sel_word(v->domain, vi, port, &m);
    if ( !word_test_and_set(w, m) )
        evtchn_mark_upcall(v);
}

/* The 2-level bitmaps of d's layout hold port (a 32-bit layout holds
 * 1024; a port bound before the layout shrank is never written). */
static bool l2_port_fits(const struct domain *d, unsigned int port)
{
    return d->shared_info && port < shinfo_layout(d)->nr_ports;
}

static void l2_set_pending(struct domain *d, struct vcpu *v, unsigned int port)
{
    uint32_t pm, mm, *pw, *mw;
    if ( !l2_port_fits(d, port) )
        return;
    pw = shinfo_pending_word(d, d->shared_info, port, &pm);
    mw = shinfo_mask_word(d, d->shared_info, port, &mm);
    if ( !word_test_and_set(pw, pm) && !word_test(mw, mm) )
        l2_mark_pending_for(v, port);
}

static void l2_clear_pending(struct domain *d, unsigned int port)
{
    uint32_t m, *w;
    if ( !l2_port_fits(d, port) )
        return;
    w = shinfo_pending_word(d, d->shared_info, port, &m);
    word_test_and_clear(w, m);
}

/* An event that arrived while masked is delivered now. */
static void l2_unmask(struct domain *d, unsigned int port)
{
    uint32_t pm, mm, *pw, *mw;
    if ( !l2_port_fits(d, port) )
        return;
    pw = shinfo_pending_word(d, d->shared_info, port, &pm);
    mw = shinfo_mask_word(d, d->shared_info, port, &mm);
    if ( word_test_and_clear(mw, mm) && word_test(pw, pm) )
        l2_mark_pending_for(evtchn_notify_vcpu(d, port), port);
}

static bool l2_is_pending(struct domain *d, unsigned int port)
{
    uint32_t m, *w;
    if ( !l2_port_fits(d, port) )
        return false;
    w = shinfo_pending_word(d, d->shared_info, port, &m);
    return word_test(w, m);
}

const struct evtchn_port_ops evtchn_l2_ops = {
    .is_pending = l2_is_pending,
    .set_pending = l2_set_pending,
    .clear_pending = l2_clear_pending,
    .unmask = l2_unmask,
    .set_priority = NULL, /* Xen: -ENOSYS without FIFO */
};

static const struct evtchn_port_ops *ops_of(struct domain *d)
{
    return __atomic_load_n(&d->evtchn.ops, __ATOMIC_ACQUIRE);
}

/* Caller holds d->evtchn.lock or d->evtchn.virq_lock. */
static void raise_port(struct domain *d, struct vcpu *v, unsigned int port)
{
    if ( port < d->evtchn.nr_ports && v )
    {
        ops_of(d)->set_pending(d, v, port);
        sched_poll_notify(d, port);
    }
}

static bool port_bound(const struct evtchn *chn)
{
    return chn->state != ECS_FREE && chn->state != ECS_RESERVED;
}

void evtchn_set_pending(struct domain *d, unsigned int port)
{
    if ( port >= d->evtchn.nr_ports )
        return;
    spin_lock(&d->evtchn.lock);
    if ( port_bound(&d->evtchn.port[port]) )
        raise_port(d, evtchn_notify_vcpu(d, port), port);
    spin_unlock(&d->evtchn.lock);
}

int evtchn_port_poll(struct domain *d, unsigned int port)
{
    int rc = -EINVAL;
    spin_lock(&d->evtchn.lock);
    if ( port < d->evtchn.nr_ports )
        rc = ops_of(d)->is_pending(d, port);
    spin_unlock(&d->evtchn.lock);
    return rc;
}

/* ---- guest pages ------------------------------------------------------------ */

static bool get_ram_of(mfn_t m, void *d)
{
    return get_page(m, ((struct domain *)d)->domain_id);
}

void evtchn_get_guest_page(struct domain *d, uint64_t gfn, struct evtchn_page *pg)
{
    p2m_type_t t;
    mfn_t m;
    pg->va = NULL;
    if ( !domain_gfn_ok(d, gfn) )
        return;
    m = p2m_lookup_get(&d->p2m, _gfn(gfn), &t, get_ram_of, d);
    if ( !mfn_valid_raw(m) )
        return;
    if ( t != p2m_ram_rw ) /* writable RAM only, as Xen's writable type */
    {
        put_page(m);
        return;
    }
    pg->mfn = m;
    pg->va = mfn_to_virt(m);
}

void evtchn_put_guest_page(struct evtchn_page *pg)
{
    if ( pg->va )
        put_page(pg->mfn);
    pg->va = NULL;
}

/* ---- the port table ------------------------------------------------------ */

unsigned int evtchn_port_limit(void)
{
    return (unsigned int)MAX(2, MIN(opt_evtchn_ports, (uint64_t)NR_EVENT_CHANNELS));
}

int evtchn_init(struct domain *d)
{
    unsigned int n = evtchn_port_limit();

    spin_lock_init(&d->evtchn.lock, LOCK_evtchn);
    spin_lock_init(&d->evtchn.virq_lock, LOCK_virq);
    d->evtchn.ops = &evtchn_l2_ops;
    d->evtchn.port = xzalloc_array(struct evtchn, n);
    if ( !d->evtchn.port )
        return -ENOMEM;
    d->evtchn.nr_ports = n;
    d->evtchn.port[0].state = ECS_RESERVED;
    for ( unsigned int p = 0; p < n; p++ )
        d->evtchn.port[p].priority = d->evtchn.port[p].last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    return 0;
}

void evtchn_limit_ports(struct domain *d, unsigned int n)
{
    spin_lock(&d->evtchn.lock);
    d->evtchn.nr_ports = MAX(1U, MIN(d->evtchn.nr_ports, n));
    spin_unlock(&d->evtchn.lock);
}

void evtchn_free(struct domain *d)
{
    xfree(d->evtchn.port);
    d->evtchn.port = NULL;
    d->evtchn.nr_ports = 0;
}

static bool port_valid(const struct domain *d, uint32_t port)
{
    return port < d->evtchn.nr_ports;
}

static bool vcpu_exists(const struct domain *d, uint32_t id)
{
    return id < d->max_vcpus && d->vcpu[id];
}

/* Caller holds d->evtchn.lock. */
/* Ports the domain may bind now: with 2-level, what its layout's
 * bitmaps hold (Xen: 1024 for a 32-bit guest), FIFO all it has. */
static unsigned int bindable_ports(struct domain *d)
{
    if ( ops_of(d) != &evtchn_l2_ops )
        return d->evtchn.nr_ports;
    return MIN(d->evtchn.nr_ports, shinfo_layout(d)->nr_ports);
}

static int get_free_port(struct domain *d)
{
    unsigned int n = bindable_ports(d);
    for ( unsigned int p = 1; p < n; p++ )
        if ( d->evtchn.port[p].state == ECS_FREE )
            return (int)p;
    return -ENOSPC;
}

/* Caller holds d->evtchn.lock. A fresh binding starts at the default
 * priority; where FIFO last linked the port stays known. */
static struct evtchn *bind_port(struct domain *d, unsigned int port, uint8_t state,
                                unsigned int vcpu)
{
    struct evtchn *chn = &d->evtchn.port[port];
    chn->state = state;
    chn->notify_vcpu = (uint16_t)vcpu;
    chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    return chn;
}

/* Caller holds d->evtchn.lock. A stale pending event would fire on the
 * port's next user, so it goes too. The FIFO queue the port was last
 * linked into is kept: the guest may not have consumed it yet. */
static void free_port(struct domain *d, unsigned int port)
{
    struct evtchn *chn = &d->evtchn.port[port];
    uint16_t last_vcpu = chn->last_vcpu;
    uint8_t last_priority = chn->last_priority;
    ops_of(d)->clear_pending(d, port);
    memset(chn, 0, sizeof(*chn));
    chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    chn->last_vcpu = last_vcpu;
    chn->last_priority = last_priority;
}

static void lock_pair(struct domain *a, struct domain *b)
{
    if ( a == b )
    {
        spin_lock(&a->evtchn.lock);
    }
    else if ( (uintptr_t)&a->evtchn.lock < (uintptr_t)&b->evtchn.lock )
    {
        spin_lock(&a->evtchn.lock);
        spin_lock(&b->evtchn.lock);
    }
    else
    {
        spin_lock(&b->evtchn.lock);
        spin_lock(&a->evtchn.lock);
    }
}

static void unlock_pair(struct domain *a, struct domain *b)
{
    spin_unlock(&a->evtchn.lock);
    if ( a != b )
        spin_unlock(&b->evtchn.lock);
}

/* Does rd's port rport form the other end of d's port? Both locks held. */
static bool is_peer(struct domain *d, unsigned int port, struct domain *rd, unsigned int rport)
{
    const struct evtchn *r;
    if ( rport >= rd->evtchn.nr_ports )
        return false;
    r = &rd->evtchn.port[rport];
    return r->state == ECS_INTERDOMAIN && r->remote_dom == d->domain_id && r->remote_port == port;
}

/* Is d's port still the interdomain channel recorded in *was? */
static bool unchanged(struct domain *d, unsigned int port, const struct evtchn *was)
{
    const struct evtchn *now = &d->evtchn.port[port];
    return now->state == ECS_INTERDOMAIN && now->remote_dom == was->remote_dom &&
           now->remote_port == was->remote_port;
}

static int close_port(struct domain *d, unsigned int port, bool force);

int evtchn_alloc_xen_consumer(struct domain *d, domid_t remote,
                              void (*fn)(struct domain *, unsigned int))
{
    struct evtchn *chn;
    int port;
    spin_lock(&d->evtchn.lock);
    port = get_free_port(d);
    if ( port > 0 )
    {
        chn = bind_port(d, (unsigned int)port, ECS_UNBOUND, 0);
        chn->remote_dom = remote;
        chn->xen_consumer = fn;
    }
    spin_unlock(&d->evtchn.lock);
    return port;
}

void evtchn_close_xen_consumer(struct domain *d, unsigned int port)
{
    if ( port_valid(d, port) && d->evtchn.port[port].xen_consumer )
        close_port(d, port, true);
}

int evtchn_alloc_xen_service(struct domain *d, void (*fn)(struct domain *, unsigned int))
{
    int port;
    spin_lock(&d->evtchn.lock);
    port = get_free_port(d);
    if ( port > 0 )
        bind_port(d, (unsigned int)port, ECS_XEN_SERVICE, 0)->service = fn;
    spin_unlock(&d->evtchn.lock);
    return port;
}

/* The other end of a channel, with a reference (put_domain it), or NULL
 * if it is gone or dying. */
static struct domain *peer_get(struct domain *d, domid_t id)
{
    if ( id != d->domain_id )
        return domain_get_by_id(id);
    get_domain(d);
    return d;
}

/* ---- VIRQs -------------------------------------------------------------- */

/* Per-vCPU VIRQs (Xen's list); every other VIRQ is global: bound on
 * vCPU 0 only, and movable with EVTCHNOP_bind_vcpu. */
static bool virq_is_global(unsigned int virq)
{
    switch ( virq )
    {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU: return false;
    default: return true;
    }
}

/* The vCPU whose virq_to_port[] records a VIRQ port. */
static struct vcpu *virq_owner(struct domain *d, const struct evtchn *chn)
{
    return d->vcpu[virq_is_global(chn->virq) ? 0 : chn->notify_vcpu];
}

/* Caller holds d->evtchn.lock. The binding and the port go together
 * under virq_lock, so a VIRQ raised at the same moment from a timer
 * handler either finds the port still bound or finds none. */
static void unbind_virq(struct domain *d, unsigned int port, const struct evtchn *chn)
{
    struct vcpu *v = virq_owner(d, chn);
    unsigned long f = spin_lock_irqsave(&d->evtchn.virq_lock);
    if ( v && v->evtchn.virq_to_port[chn->virq] == port )
        v->evtchn.virq_to_port[chn->virq] = 0;
    free_port(d, port);
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
}

/* VIRQs are raised from timer handlers (interrupts off, anything
 * interrupted): only virq_lock, an IRQ class, is taken here. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    unsigned long f;
    unsigned int port;
    if ( virq >= NR_VIRQS )
        return;
    f = spin_lock_irqsave(&d->evtchn.virq_lock);
    port = v->evtchn.virq_to_port[virq];
    if ( port )
        raise_port(d, v, port);
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    unsigned long f;
    unsigned int port;
    if ( virq >= NR_VIRQS || !d->vcpu || !d->vcpu[0] )
        return;
    f = spin_lock_irqsave(&d->evtchn.virq_lock);
    port = d->vcpu[0]->evtchn.virq_to_port[virq];
    if ( port )
        raise_port(d, evtchn_notify_vcpu(d, port), port);
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
}

/* ---- closing ------------------------------------------------------------ */

/* An interdomain port: retake both locks in order, then check nothing
 * moved. The peer goes back to UNBOUND, bindable again by d, as in Xen.
 * -EAGAIN if the port changed meanwhile (look again). */
static int close_interdomain(struct domain *d, unsigned int port, const struct evtchn *chn)
{
    struct domain *rd = peer_get(d, chn->remote_dom);
    struct domain *other = rd ? rd : d;
    int rc = -EAGAIN;
    lock_pair(d, other);
    if ( unchanged(d, port, chn) )
    {
        if ( rd && is_peer(d, port, rd, chn->remote_port) )
        {
            struct evtchn *r = &rd->evtchn.port[chn->remote_port];
            r->state = ECS_UNBOUND;
            r->remote_dom = d->domain_id;
            r->remote_port = 0;
        }
        free_port(d, port);
        rc = 0;
    }
    unlock_pair(d, other);
    if ( rd )
        put_domain(rd);
    return rc;
}

/* Close d's port. Service ports belong to the hypervisor: closed only
 * when the domain dies (force). */
static int close_port(struct domain *d, unsigned int port, bool force)
{
    int rc = -EAGAIN;
    while ( rc == -EAGAIN )
    {
        struct evtchn chn;
        spin_lock(&d->evtchn.lock);
        chn = d->evtchn.port[port];
        rc = 0;
        if ( chn.xen_consumer && !force )
            chn.state = ECS_FREE; /* the guest's own call: as if it had no such port */
        switch ( chn.state )
        {
        case ECS_XEN_SERVICE:
            if ( !force )
                rc = -EINVAL;
            else
                free_port(d, port);
            break;
        case ECS_UNBOUND:
        case ECS_IPI: free_port(d, port); break;
        case ECS_VIRQ: unbind_virq(d, port, &chn); break;
        case ECS_INTERDOMAIN: rc = -EAGAIN; break;
        default: rc = -EINVAL; break;
        }
        spin_unlock(&d->evtchn.lock);
        if ( rc == -EAGAIN )
            rc = close_interdomain(d, port, &chn);
    }
    return rc;
}

/* Under both locks, so no raise is reading them: the registered
 * vcpu_infos are dropped (vcpu_info_of falls back to shared_info) and
 * their frame references go after. */
static void release_vcpu_infos(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];
        unsigned long f;
        bool had;
        if ( !v )
            continue;
        spin_lock(&d->evtchn.lock);
        f = spin_lock_irqsave(&d->evtchn.virq_lock);
        had = v->evtchn.vcpu_info != NULL;
        __atomic_store_n(&v->evtchn.vcpu_info, NULL, __ATOMIC_RELEASE);
        spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
        spin_unlock(&d->evtchn.lock);
        if ( had )
            put_page(v->evtchn.vcpu_info_mfn);
    }
}

void evtchn_close_all(struct domain *d)
{
    for ( unsigned int p = 1; p < d->evtchn.nr_ports; p++ )
        if ( d->evtchn.port[p].state != ECS_FREE )
            close_port(d, p, true);
    spin_lock(&d->evtchn.lock);
    evtchn_fifo_destroy(d);
    spin_unlock(&d->evtchn.lock);
    release_vcpu_infos(d);
}

/* ---- VCPUOP_register_vcpu_info ------------------------------------------ */

/*
 * Both locks held, so no raise writes the old place meanwhile: what the
 * old vcpu_info said goes over (zeroes for a vCPU that had none), then
 * every selector bit and upcall_pending are set, as Xen does, so nothing
 * raised around the move is lost; the guest sees one spurious scan.
 */
static void move_vcpu_info(struct vcpu *v, struct vcpu_info *to, mfn_t mfn)
{
    struct vcpu_info *from = vcpu_info_of(v);
    if ( from )
        memcpy(to, from, sizeof(*to));
    else
        memset(to, 0, sizeof(*to));
    v->evtchn.vcpu_info_mfn = mfn;
    __atomic_store_n(&v->evtchn.vcpu_info, to, __ATOMIC_RELEASE);
    vcpu_info_sel_fill(v->domain, to);
    __atomic_store_n(&to->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
}

/*
 * Xen's checks: the struct inside the page and aligned (-ENXIO), not
 * registered already (-EINVAL), the caller's own vCPU or one not up
 * (-EINVAL), the frame writable RAM of the caller (-EINVAL). rsvd is not
 * looked at: Xen ignores it, and Linux leaves it uninitialised.
 */
long evtchn_register_vcpu_info(struct vcpu *v, uint64_t gfn, uint32_t offset)
{
    struct domain *d = v->domain;
    struct evtchn_page pg;
    unsigned long f;
    if ( offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
         (offset & (_Alignof(struct vcpu_info) - 1)) )
        return -ENXIO;
    if ( v != current && ACCESS_ONCE(v->is_up) )
        return -EINVAL;
    evtchn_get_guest_page(d, gfn, &pg);
    spin_lock(&d->evtchn.lock);
    if ( v->evtchn.vcpu_info || !pg.va )
    {
        spin_unlock(&d->evtchn.lock);
        evtchn_put_guest_page(&pg);
        return -EINVAL;
    }
    f = spin_lock_irqsave(&d->evtchn.virq_lock);
    move_vcpu_info(v, (struct vcpu_info *)((uint8_t *)pg.va + offset), pg.mfn);
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
    spin_unlock(&d->evtchn.lock);
    vcpu_time_update(v); /* the copy may be stale by now: a fresh record */
    arch_evtchn_inject(v);
    return 0;
}

/* ---- EVTCHNOP_* ---------------------------------------------------------- */

static long evtchnop_alloc_unbound(uint64_t arg)
{
    struct evtchn_alloc_unbound a;
    struct domain *d;
    int rc, port;
    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( a.remote_dom == DOMID_SELF )
        a.remote_dom = current->domain->domain_id;
    if ( copy_to_guest(arg, &a, sizeof(a)) ) /* the answer must be deliverable */
        return -EFAULT;
    rc = domain_for_caller(a.dom, &d);
    if ( rc )
        return rc;
    spin_lock(&d->evtchn.lock);
    port = get_free_port(d);
    if ( port > 0 )
        bind_port(d, (unsigned int)port, ECS_UNBOUND, 0)->remote_dom = a.remote_dom;
    spin_unlock(&d->evtchn.lock);
    put_domain(d);
    if ( port < 0 )
        return port;
    a.port = (evtchn_port_t)port;
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

/* Both locks held: connect ld's new port to rd's unbound rport. */
static int connect(struct domain *ld, struct domain *rd, unsigned int rport)
{
    struct evtchn *r = &rd->evtchn.port[rport], *l;
    int lport;
    if ( r->state != ECS_UNBOUND || r->remote_dom != ld->domain_id )
        return -EINVAL;
    lport = get_free_port(ld);
    if ( lport < 0 )
        return lport;
    l = bind_port(ld, (unsigned int)lport, ECS_INTERDOMAIN, 0);
    l->remote_dom = rd->domain_id;
    l->remote_port = (uint16_t)rport;
    r->state = ECS_INTERDOMAIN;
    r->remote_dom = ld->domain_id;
    r->remote_port = (uint16_t)lport;
    /* Anything the peer sent before we bound would otherwise be lost:
     * Xen raises the new port once, whatever happened. */
    raise_port(ld, evtchn_notify_vcpu(ld, (unsigned int)lport), (unsigned int)lport);
    return lport;
}

static long evtchnop_bind_interdomain(uint64_t arg)
{
    struct evtchn_bind_interdomain b;
    struct domain *ld = current->domain, *rd;
    int lport = -EINVAL;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    rd = peer_get(ld, b.remote_dom == DOMID_SELF ? ld->domain_id : b.remote_dom);
    if ( !rd )
        return -ESRCH;
    if ( copy_to_guest(arg, &b, sizeof(b)) )
        lport = -EFAULT;
    else if ( port_valid(rd, b.remote_port) )
    {
        lock_pair(ld, rd);
        lport = connect(ld, rd, b.remote_port);
        unlock_pair(ld, rd);
    }
    put_domain(rd);
    if ( lport < 0 )
        return lport;
    b.local_port = (evtchn_port_t)lport;
    return copy_to_guest(arg, &b, sizeof(b)) ? -EFAULT : 0;
}

/* Caller holds d->evtchn.lock. The binding is published under virq_lock
 * for the timer handlers that read it. */
static int bind_virq_locked(struct domain *d, struct vcpu *v, uint32_t virq, uint32_t vcpu)
{
    unsigned long f;
    int port = v->evtchn.virq_to_port[virq] ? -EEXIST : get_free_port(d);
    if ( port < 0 )
        return port;
    bind_port(d, (unsigned int)port, ECS_VIRQ, vcpu)->virq = (uint8_t)virq;
    f = spin_lock_irqsave(&d->evtchn.virq_lock);
    v->evtchn.virq_to_port[virq] = (uint16_t)port;
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
    return port;
}

/*
 * Xen's checks, in Xen's order: the VIRQ exists (-EINVAL), a global one
 * only on vCPU 0 (-EINVAL), the vCPU exists (-ENOENT), not bound already
 * on that vCPU (-EEXIST).
 */
static long evtchnop_bind_virq(uint64_t arg)
{
    struct evtchn_bind_virq b;
    struct domain *d = current->domain;
    int port;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    if ( b.virq >= NR_VIRQS )
        return -EINVAL;
    if ( virq_is_global(b.virq) && b.vcpu != 0 )
        return -EINVAL;
    if ( !vcpu_exists(d, b.vcpu) )
        return -ENOENT;
    if ( copy_to_guest(arg, &b, sizeof(b)) )
        return -EFAULT;
    spin_lock(&d->evtchn.lock);
    port = bind_virq_locked(d, d->vcpu[b.vcpu], b.virq, b.vcpu);
    spin_unlock(&d->evtchn.lock);
    if ( port < 0 )
        return port;
    b.port = (evtchn_port_t)port;
    return copy_to_guest(arg, &b, sizeof(b)) ? -EFAULT : 0;
}

static long evtchnop_bind_ipi(uint64_t arg)
{
    struct evtchn_bind_ipi b;
    struct domain *d = current->domain;
    int port;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    if ( !vcpu_exists(d, b.vcpu) )
        return -ENOENT;
    if ( copy_to_guest(arg, &b, sizeof(b)) )
        return -EFAULT;
    spin_lock(&d->evtchn.lock);
    port = get_free_port(d);
    if ( port > 0 )
        bind_port(d, (unsigned int)port, ECS_IPI, b.vcpu);
    spin_unlock(&d->evtchn.lock);
    if ( port < 0 )
        return port;
    b.port = (evtchn_port_t)port;
    return copy_to_guest(arg, &b, sizeof(b)) ? -EFAULT : 0;
}

/* Raise the peer of an interdomain port, if it still is one. */
static void send_interdomain(struct domain *d, unsigned int port, const struct evtchn *chn)
{
    struct domain *rd = peer_get(d, chn->remote_dom);
    void (*consumer)(struct domain *, unsigned int) = NULL;
    if ( !rd )
        return;
    spin_lock(&rd->evtchn.lock);
    if ( is_peer(d, port, rd, chn->remote_port) )
    {
        consumer = rd->evtchn.port[chn->remote_port].xen_consumer;
        if ( !consumer )
            raise_port(rd, evtchn_notify_vcpu(rd, chn->remote_port), chn->remote_port);
    }
    spin_unlock(&rd->evtchn.lock);
    if ( consumer )
        consumer(rd, chn->remote_port);
    put_domain(rd);
}

void evtchn_send_from_xen(struct domain *d, unsigned int port)
{
    struct evtchn chn;
    if ( !port_valid(d, port) )
        return;
    spin_lock(&d->evtchn.lock);
    chn = d->evtchn.port[port];
    spin_unlock(&d->evtchn.lock);
    if ( chn.state == ECS_INTERDOMAIN && chn.xen_consumer )
        send_interdomain(d, port, &chn);
}

static long evtchnop_send(uint64_t arg)
{
    struct evtchn_send s;
    struct domain *d = current->domain;
    struct evtchn chn;
    if ( copy_from_guest(&s, arg, sizeof(s)) )
        return -EFAULT;
    if ( !port_valid(d, s.port) )
        return -EINVAL;
    spin_lock(&d->evtchn.lock);
    chn = d->evtchn.port[s.port];
    if ( chn.xen_consumer )
        chn.state = ECS_FREE; /* the hypervisor's to send on: -EINVAL */
    if ( chn.state == ECS_IPI )
        raise_port(d, evtchn_notify_vcpu(d, s.port), s.port);
    spin_unlock(&d->evtchn.lock);
    switch ( chn.state )
    {
    case ECS_INTERDOMAIN: send_interdomain(d, s.port, &chn); return 0;
    case ECS_XEN_SERVICE:
        if ( chn.service )
            chn.service(d, s.port);
        return 0;
    case ECS_IPI:
    case ECS_UNBOUND: return 0; /* nobody listening yet: dropped, as in Xen */
    default: return -EINVAL;    /* free, reserved, VIRQ */
    }
}

static long evtchnop_close(uint64_t arg)
{
    struct evtchn_close c;
    struct domain *d = current->domain;
    if ( copy_from_guest(&c, arg, sizeof(c)) )
        return -EFAULT;
    if ( !port_valid(d, c.port) )
        return -EINVAL;
    return close_port(d, c.port, false);
}

static void fill_status(struct evtchn_status *st, const struct evtchn *chn)
{
    memset(&st->u, 0, sizeof(st->u));
    st->vcpu = chn->notify_vcpu;
    switch ( chn->state )
    {
    case ECS_UNBOUND:
        st->status = EVTCHNSTAT_unbound;
        st->u.unbound.dom = chn->remote_dom;
        break;
    case ECS_INTERDOMAIN:
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = chn->remote_dom;
        st->u.interdomain.port = chn->remote_port;
        break;
    case ECS_XEN_SERVICE: /* Xen's nearest: a port whose peer is the hypervisor */
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = DOMID_XEN;
        break;
    case ECS_IPI: st->status = EVTCHNSTAT_ipi; break;
    case ECS_VIRQ:
        st->status = EVTCHNSTAT_virq;
        st->u.virq = chn->virq;
        break;
    default: st->status = EVTCHNSTAT_closed; break;
    }
}

static long evtchnop_status(uint64_t arg)
{
    struct evtchn_status st;
    struct domain *d;
    struct evtchn chn;
    int rc;
    if ( copy_from_guest(&st, arg, sizeof(st)) )
        return -EFAULT;
    rc = domain_for_caller(st.dom, &d);
    if ( rc )
        return rc;
    if ( !port_valid(d, st.port) )
    {
        put_domain(d);
        return -EINVAL;
    }
    spin_lock(&d->evtchn.lock);
    chn = d->evtchn.port[st.port];
    spin_unlock(&d->evtchn.lock);
    put_domain(d);
    fill_status(&st, &chn);
    return copy_to_guest(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

/* Which kinds may move, as in Xen: interdomain, unbound (and the
 * console's service port, an interdomain channel in Xen) and global
 * VIRQs. IPIs and per-vCPU VIRQs name their vCPU for good. */
static bool may_move(const struct evtchn *chn)
{
    if ( chn->xen_consumer )
        return false;
    switch ( chn->state )
    {
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_XEN_SERVICE: return true;
    case ECS_VIRQ: return virq_is_global(chn->virq);
    default: return false;
    }
}

static long evtchnop_bind_vcpu(uint64_t arg)
{
    struct evtchn_bind_vcpu b;
    struct domain *d = current->domain;
    long rc = 0;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    if ( !vcpu_exists(d, b.vcpu) )
        return -ENOENT;
    if ( !port_valid(d, b.port) )
        return -EINVAL;
    spin_lock(&d->evtchn.lock);
    if ( may_move(&d->evtchn.port[b.port]) )
        ACCESS_ONCE(d->evtchn.port[b.port].notify_vcpu) = (uint16_t)b.vcpu;
    else
        rc = -EINVAL;
    spin_unlock(&d->evtchn.lock);
    return rc;
}

static long evtchnop_unmask(uint64_t arg)
{
    struct evtchn_unmask u;
    struct domain *d = current->domain;
    if ( copy_from_guest(&u, arg, sizeof(u)) )
        return -EFAULT;
    if ( !port_valid(d, u.port) )
        return -EINVAL;
    spin_lock(&d->evtchn.lock);
    ops_of(d)->unmask(d, u.port);
    spin_unlock(&d->evtchn.lock);
    return 0;
}

/*
 * EVTCHNOP_reset (and _reset_cont, which never has anything left to
 * continue here): close every port the guest may close and go back to
 * the 2-level ABI. Another domain's only while its controller has it
 * paused (Xen's rule). The console's service port is the hypervisor's
 * and stays: its number is in HVM_PARAM_CONSOLE_EVTCHN for good.
 */
static long evtchnop_reset(uint64_t arg)
{
    struct evtchn_reset r;
    struct domain *d;
    int rc;
    if ( copy_from_guest(&r, arg, sizeof(r)) )
        return -EFAULT;
    rc = domain_for_caller(r.dom, &d);
    if ( rc )
        return rc;
    if ( d != current->domain && !ACCESS_ONCE(d->controller_pause_count) )
    {
        put_domain(d);
        return -EINVAL;
    }
    for ( unsigned int p = 1; p < d->evtchn.nr_ports; p++ )
        if ( port_bound(&d->evtchn.port[p]) && d->evtchn.port[p].state != ECS_XEN_SERVICE )
            close_port(d, p, false);
    spin_lock(&d->evtchn.lock);
    evtchn_fifo_destroy(d);
    spin_unlock(&d->evtchn.lock);
    put_domain(d);
    return 0;
}

static long evtchnop_set_priority(uint64_t arg)
{
    struct evtchn_set_priority sp;
    struct domain *d = current->domain;
    long rc;
    if ( copy_from_guest(&sp, arg, sizeof(sp)) )
        return -EFAULT;
    if ( !port_valid(d, sp.port) )
        return -EINVAL;
    spin_lock(&d->evtchn.lock);
    if ( !ops_of(d)->set_priority )
        rc = -ENOSYS;
    else
        rc = ops_of(d)->set_priority(d, sp.port, sp.priority);
    spin_unlock(&d->evtchn.lock);
    return rc;
}

/* Xen's checks in Xen's order: the vCPU (-ENOENT), then the control
 * block inside the page (-EINVAL) and 8-byte aligned (-EINVAL). */
static long evtchnop_init_control(uint64_t arg)
{
    struct evtchn_init_control ic;
    struct domain *d = current->domain;
    struct evtchn_page pg;
    long rc;
    if ( copy_from_guest(&ic, arg, sizeof(ic)) )
        return -EFAULT;
    ic.link_bits = EVTCHN_FIFO_LINK_BITS;
    if ( !vcpu_exists(d, ic.vcpu) )
        return -ENOENT;
    if ( ic.offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) || (ic.offset & 7) )
        return -EINVAL;
    if ( copy_to_guest(arg, &ic, sizeof(ic)) ) /* link_bits must be deliverable */
        return -EFAULT;
    evtchn_get_guest_page(d, ic.control_gfn, &pg);
    spin_lock(&d->evtchn.lock);
    rc = evtchn_fifo_init_control(d, d->vcpu[ic.vcpu], &pg, ic.offset);
    spin_unlock(&d->evtchn.lock);
    if ( rc )
        evtchn_put_guest_page(&pg);
    return rc;
}

static long evtchnop_expand_array(uint64_t arg)
{
    struct evtchn_expand_array ea;
    struct domain *d = current->domain;
    struct evtchn_page pg;
    long rc;
    if ( copy_from_guest(&ea, arg, sizeof(ea)) )
        return -EFAULT;
    evtchn_get_guest_page(d, ea.array_gfn, &pg);
    spin_lock(&d->evtchn.lock);
    rc = d->evtchn.fifo ? evtchn_fifo_expand_array(d, &pg) : -EOPNOTSUPP;
    spin_unlock(&d->evtchn.lock);
    if ( rc )
        evtchn_put_guest_page(&pg);
    return rc;
}

long do_event_channel_op(int cmd, uint64_t arg)
{
    switch ( cmd )
    {
    case EVTCHNOP_alloc_unbound: return evtchnop_alloc_unbound(arg);
    case EVTCHNOP_bind_interdomain: return evtchnop_bind_interdomain(arg);
    case EVTCHNOP_bind_virq: return evtchnop_bind_virq(arg);
    case EVTCHNOP_bind_ipi: return evtchnop_bind_ipi(arg);
    case EVTCHNOP_send: return evtchnop_send(arg);
    case EVTCHNOP_close: return evtchnop_close(arg);
    case EVTCHNOP_status: return evtchnop_status(arg);
    case EVTCHNOP_bind_vcpu: return evtchnop_bind_vcpu(arg);
    case EVTCHNOP_unmask: return evtchnop_unmask(arg);
    case EVTCHNOP_reset:
    case EVTCHNOP_reset_cont: return evtchnop_reset(arg);
    case EVTCHNOP_init_control: return evtchnop_init_control(arg);
    case EVTCHNOP_expand_array: return evtchnop_expand_array(arg);
    case EVTCHNOP_set_priority: return evtchnop_set_priority(arg);
    default: return -ENOSYS;
    }
}
