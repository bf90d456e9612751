/*
 * event_channel.c - event channels, Xen's 2-level ABI.
 *
 * A port is one bit in the domain's shared_info evtchn_pending[] (and
 * evtchn_mask[]); raising it also sets the port's word in the notified
 * vCPU's evtchn_pending_sel and that vCPU's evtchn_upcall_pending, then
 * wakes the vCPU. Ports connect two domains (UNBOUND until the named
 * remote domain binds), a domain to itself (IPI), or a domain to a
 * service inside the hypervisor (the PV console backend).
 *
 * Locking (order: xen/lock-order.h): d->evtchn.lock guards d's port
 * table. An operation on two domains takes both locks, lower address
 * first (the class nests by address). Raising an event takes no evtchn
 * lock (the shared_info bits are atomics) and may be called with one
 * held; it takes the scheduler lock. Service functions are called with no
 * evtchn lock held.
 *
 * Of shared_info, this file writes only evtchn_pending bits and a
 * vcpu_info's evtchn_pending_sel and evtchn_upcall_pending; evtchn_mask
 * is the guest's, cleared here only on its EVTCHNOP_unmask.
 *
 * Not implemented (-ENOSYS): VIRQs, PIRQs, EVTCHNOP_reset and the FIFO
 * ABI (a guest that asks for FIFO falls back to 2-level on the error).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/arch.h>
#include <xen/guest_access.h>
#include <asm/x86.h>
#include <public/event_channel.h>
#include <wren/bitops.h>

/* Ports per domain: Xen's toolstack gives 1023 by default; the 2-level
 * ABI's shared_info bitmaps hold NR_EVENT_CHANNELS. */
static uint64_t opt_evtchn_ports = 1024;
integer_param("evtchn_ports", opt_evtchn_ports);

/* ---- shared_info bits --------------------------------------------------- */

static bool test_and_set_word_bit(xen_ulong_t *w, unsigned int nr)
{
    uint64_t m = bitmap_mask(nr);
    return __atomic_fetch_or(&w[nr / BITS_PER_WORD], m, __ATOMIC_SEQ_CST) & m;
}

static bool test_and_clear_word_bit(xen_ulong_t *w, unsigned int nr)
{
    uint64_t m = bitmap_mask(nr);
    return __atomic_fetch_and(&w[nr / BITS_PER_WORD], ~m, __ATOMIC_SEQ_CST) & m;
}

static bool test_word_bit(const xen_ulong_t *w, unsigned int nr)
{
    return __atomic_load_n(&w[nr / BITS_PER_WORD], __ATOMIC_SEQ_CST) & bitmap_mask(nr);
}

/* The vCPU a port notifies; vCPU 0 if the recorded one does not exist. */
static struct vcpu *notify_vcpu(struct domain *d, unsigned int port)
{
    unsigned int id = ACCESS_ONCE(d->evtchn.port[port].notify_vcpu);
    if ( id < d->max_vcpus && d->vcpu[id] )
        return d->vcpu[id];
    return d->vcpu[0];
}

/* The port's word is now pending for v: tell v, once. */
static void mark_pending_for(struct domain *d, struct vcpu *v, unsigned int port)
{
    struct vcpu_info *vi = v ? vcpu_info_of(v) : NULL;
    if ( !vi )
        return;
    if ( test_and_set_word_bit(&vi->evtchn_pending_sel, port / BITS_PER_WORD) )
        return;
    if ( !__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) )
        arch_evtchn_inject(v);
}

struct vcpu_info *vcpu_info_of(struct vcpu *v)
{
    struct shared_info *s = v->domain->shared_info;
    if ( !s || v->vcpu_id >= XEN_LEGACY_MAX_VCPUS )
        return NULL;
    return &s->vcpu_info[v->vcpu_id];
}

/* Make port pending in d and tell v unless it is masked. */
static void raise_port(struct domain *d, struct vcpu *v, unsigned int port)
{
    struct shared_info *s = d->shared_info;
    if ( port >= d->evtchn.nr_ports || !s )
        return;
    if ( test_and_set_word_bit(s->evtchn_pending, port) )
        return;
    if ( test_word_bit(s->evtchn_mask, port) )
        return;
    mark_pending_for(d, v, port);
}

void evtchn_set_pending(struct domain *d, unsigned int port)
{
    if ( port < d->evtchn.nr_ports )
        raise_port(d, notify_vcpu(d, port), port);
}

bool evtchn_vcpu_has_pending(struct vcpu *v)
{
    const struct shared_info *s = v->domain->shared_info;
    if ( !s || v->vcpu_id >= XEN_LEGACY_MAX_VCPUS )
        return false;
    return ACCESS_ONCE(s->vcpu_info[v->vcpu_id].evtchn_upcall_pending) != 0;
}

/* ---- the port table ------------------------------------------------------ */

int evtchn_init(struct domain *d)
{
    unsigned int n = (unsigned int)MAX(2, MIN(opt_evtchn_ports, (uint64_t)NR_EVENT_CHANNELS));

    spin_lock_init(&d->evtchn.lock, LOCK_evtchn);
    spin_lock_init(&d->evtchn.virq_lock, LOCK_virq);
    d->evtchn.port = xzalloc_array(struct evtchn, n);
    if ( !d->evtchn.port )
        return -ENOMEM;
    d->evtchn.nr_ports = n;
    d->evtchn.port[0].state = ECS_RESERVED;
    return 0;
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

/* Caller holds d->evtchn.lock. */
static int get_free_port(struct domain *d)
{
    for ( unsigned int p = 1; p < d->evtchn.nr_ports; p++ )
        if ( d->evtchn.port[p].state == ECS_FREE )
            return (int)p;
    return -ENOSPC;
}

/* Caller holds d->evtchn.lock. A stale pending bit would fire on the
 * port's next user, so it goes too. */
static void free_port(struct domain *d, unsigned int port)
{
    memset(&d->evtchn.port[port], 0, sizeof(d->evtchn.port[port]));
    if ( d->shared_info )
        test_and_clear_word_bit(d->shared_info->evtchn_pending, port);
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

int evtchn_alloc_xen_service(struct domain *d, void (*fn)(struct domain *, unsigned int))
{
    int port;
    spin_lock(&d->evtchn.lock);
    port = get_free_port(d);
    if ( port > 0 )
    {
        d->evtchn.port[port].state = ECS_XEN_SERVICE;
        d->evtchn.port[port].service = fn;
    }
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

/*
 * Close d's port. An interdomain peer goes back to UNBOUND, bindable
 * again by d, as in Xen. Service ports belong to the hypervisor and are
 * closed only when the domain dies (force).
 */
static int close_port(struct domain *d, unsigned int port, bool force)
{
    for ( ;; )
    {
        struct domain *rd = NULL;
        struct evtchn chn;
        spin_lock(&d->evtchn.lock);
        chn = d->evtchn.port[port];
        switch ( chn.state )
        {
        case ECS_FREE:
        case ECS_RESERVED: spin_unlock(&d->evtchn.lock); return -EINVAL;
        case ECS_XEN_SERVICE:
            if ( !force )
            {
                spin_unlock(&d->evtchn.lock);
                return -EINVAL;
            }
            /* fall through */
        case ECS_UNBOUND:
        case ECS_IPI:
            free_port(d, port);
            spin_unlock(&d->evtchn.lock);
            return 0;
        case ECS_VIRQ:
            unbind_virq(d, port, &chn);
            spin_unlock(&d->evtchn.lock);
            return 0;
        }
        /* Interdomain: retake the locks in order, then check nothing moved. */
        spin_unlock(&d->evtchn.lock);
        rd = peer_get(d, chn.remote_dom);
        lock_pair(d, rd ? rd : d);
        if ( unchanged(d, port, &chn) )
        {
            if ( rd && is_peer(d, port, rd, chn.remote_port) )
            {
                struct evtchn *r = &rd->evtchn.port[chn.remote_port];
                r->state = ECS_UNBOUND;
                r->remote_dom = d->domain_id;
                r->remote_port = 0;
            }
            free_port(d, port);
            unlock_pair(d, rd ? rd : d);
            if ( rd )
                put_domain(rd);
            return 0;
        }
        unlock_pair(d, rd ? rd : d); /* changed under us: look again */
        if ( rd )
            put_domain(rd);
    }
}

void evtchn_close_all(struct domain *d)
{
    for ( unsigned int p = 1; p < d->evtchn.nr_ports; p++ )
        if ( d->evtchn.port[p].state != ECS_FREE )
            close_port(d, p, true);
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
    {
        d->evtchn.port[port].state = ECS_UNBOUND;
        d->evtchn.port[port].remote_dom = a.remote_dom;
    }
    spin_unlock(&d->evtchn.lock);
    put_domain(d);
    if ( port < 0 )
        return port;
    a.port = (evtchn_port_t)port;
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

static long evtchnop_bind_interdomain(uint64_t arg)
{
    struct evtchn_bind_interdomain b;
    struct domain *ld = current->domain, *rd;
    domid_t rid;
    int lport = -EINVAL;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    rid = b.remote_dom == DOMID_SELF ? ld->domain_id : b.remote_dom;
    rd = peer_get(ld, rid);
    if ( !rd )
        return -ESRCH;
    if ( !port_valid(rd, b.remote_port) )
    {
        put_domain(rd);
        return -EINVAL;
    }
    if ( copy_to_guest(arg, &b, sizeof(b)) )
    {
        put_domain(rd);
        return -EFAULT;
    }
    lock_pair(ld, rd);
    if ( rd->evtchn.port[b.remote_port].state == ECS_UNBOUND &&
         rd->evtchn.port[b.remote_port].remote_dom == ld->domain_id )
        lport = get_free_port(ld);
    if ( lport > 0 )
    {
        struct evtchn *l = &ld->evtchn.port[lport], *r = &rd->evtchn.port[b.remote_port];
        l->state = ECS_INTERDOMAIN;
        l->remote_dom = rd->domain_id;
        l->remote_port = (uint16_t)b.remote_port;
        r->state = ECS_INTERDOMAIN;
        r->remote_dom = ld->domain_id;
        r->remote_port = (uint16_t)lport;
    }
    unlock_pair(ld, rd);
    put_domain(rd);
    if ( lport < 0 )
        return lport;
    /* Anything the peer sent before we bound would otherwise be lost. */
    evtchn_set_pending(ld, (unsigned int)lport);
    b.local_port = (evtchn_port_t)lport;
    return copy_to_guest(arg, &b, sizeof(b)) ? -EFAULT : 0;
}

static long evtchnop_bind_ipi(uint64_t arg)
{
    struct evtchn_bind_ipi b;
    struct domain *d = current->domain;
    int port;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    if ( b.vcpu >= d->max_vcpus || !d->vcpu[b.vcpu] )
        return -ENOENT;
    if ( copy_to_guest(arg, &b, sizeof(b)) )
        return -EFAULT;
    spin_lock(&d->evtchn.lock);
    port = get_free_port(d);
    if ( port > 0 )
    {
        d->evtchn.port[port].state = ECS_IPI;
        d->evtchn.port[port].notify_vcpu = (uint16_t)b.vcpu;
    }
    spin_unlock(&d->evtchn.lock);
    if ( port < 0 )
        return port;
    b.port = (evtchn_port_t)port;
    return copy_to_guest(arg, &b, sizeof(b)) ? -EFAULT : 0;
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
    struct vcpu *v;
    int port;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    if ( b.virq >= NR_VIRQS )
        return -EINVAL;
    if ( virq_is_global(b.virq) && b.vcpu != 0 )
        return -EINVAL;
    if ( b.vcpu >= d->max_vcpus || !(v = d->vcpu[b.vcpu]) )
        return -ENOENT;
    if ( copy_to_guest(arg, &b, sizeof(b)) )
        return -EFAULT;
    spin_lock(&d->evtchn.lock);
    port = v->evtchn.virq_to_port[b.virq] ? -EEXIST : get_free_port(d);
    if ( port > 0 )
    {
        unsigned long f;
        d->evtchn.port[port].state = ECS_VIRQ;
        d->evtchn.port[port].virq = (uint8_t)b.virq;
        d->evtchn.port[port].notify_vcpu = (uint16_t)b.vcpu;
        f = spin_lock_irqsave(&d->evtchn.virq_lock);
        v->evtchn.virq_to_port[b.virq] = (uint16_t)port;
        spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
    }
    spin_unlock(&d->evtchn.lock);
    if ( port < 0 )
        return port;
    b.port = (evtchn_port_t)port;
    return copy_to_guest(arg, &b, sizeof(b)) ? -EFAULT : 0;
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
        raise_port(d, notify_vcpu(d, port), port);
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
}

/* Raise the peer of an interdomain port, if it still is one. */
static void send_interdomain(struct domain *d, unsigned int port, const struct evtchn *chn)
{
    struct domain *rd = peer_get(d, chn->remote_dom);
    if ( !rd )
        return;
    spin_lock(&rd->evtchn.lock);
    if ( is_peer(d, port, rd, chn->remote_port) )
        evtchn_set_pending(rd, chn->remote_port);
    spin_unlock(&rd->evtchn.lock);
    put_domain(rd);
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
    spin_unlock(&d->evtchn.lock);
    switch ( chn.state )
    {
    case ECS_INTERDOMAIN: send_interdomain(d, s.port, &chn); return 0;
    case ECS_XEN_SERVICE:
        if ( chn.service )
            chn.service(d, s.port);
        return 0;
    case ECS_IPI: evtchn_set_pending(d, s.port); return 0;
    case ECS_UNBOUND: return 0; /* nobody listening yet: dropped, as in Xen */
    default: return -EINVAL;
    }
}

static long evtchnop_close(uint64_t arg)
{
    struct evtchn_close c;
    struct domain *d = current->domain;
    if ( copy_from_guest(&c, arg, sizeof(c)) )
        return -EFAULT;
    if ( !port_valid(d, c.port) || c.port == 0 )
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

static long evtchnop_bind_vcpu(uint64_t arg)
{
    struct evtchn_bind_vcpu b;
    struct domain *d = current->domain;
    long rc = 0;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    if ( !port_valid(d, b.port) )
        return -EINVAL;
    if ( b.vcpu >= d->max_vcpus || !d->vcpu[b.vcpu] )
        return -ENOENT;
    spin_lock(&d->evtchn.lock);
    switch ( d->evtchn.port[b.port].state )
    {
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_XEN_SERVICE: d->evtchn.port[b.port].notify_vcpu = (uint16_t)b.vcpu; break;
    case ECS_VIRQ:
        if ( virq_is_global(d->evtchn.port[b.port].virq) )
            d->evtchn.port[b.port].notify_vcpu = (uint16_t)b.vcpu;
        else
            rc = -EINVAL; /* a per-vCPU VIRQ belongs to its vCPU */
        break;
    default:
        rc = -EINVAL; /* IPIs name their vCPU at bind time */
        break;
    }
    spin_unlock(&d->evtchn.lock);
    return rc;
}

static long evtchnop_unmask(uint64_t arg)
{
    struct evtchn_unmask u;
    struct domain *d = current->domain;
    struct shared_info *s = d->shared_info;
    if ( copy_from_guest(&u, arg, sizeof(u)) )
        return -EFAULT;
    if ( !port_valid(d, u.port) || !s )
        return -EINVAL;
    /* An event that arrived while masked is delivered now. */
    if ( test_and_clear_word_bit(s->evtchn_mask, u.port) &&
         test_word_bit(s->evtchn_pending, u.port) )
        mark_pending_for(d, notify_vcpu(d, u.port), u.port);
    return 0;
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
    default: return -ENOSYS;
    }
}
