/*
 * ioreq_inval.c - mapcache invalidation (docs/designs/ioreq.md, seed
 * 001): when RAM of a domain stops being mapped where it was (the p2m's
 * ram_gone hook), every IOREQ server of the domain is told to drop what
 * it has mapped (IOREQ_TYPE_INVALIDATE) before a vCPU that may know of
 * the change runs guest code or sends a request again.
 *
 * The flag is per vCPU. The domain's own vCPU that removed its RAM flags
 * only itself: nothing else of the domain can learn of the change before
 * that vCPU runs again, and it does so only after the broadcast. Anybody
 * else (the toolstack, a device model, another domain) flags every vCPU
 * of the domain and kicks the ones in guest mode, so none runs long on
 * without it. The flag is read (never written) on the entry path until
 * it is set, and cleared by one exchange: one broadcast per entry,
 * however many frames went.
 *
 * May not touch: the p2m (its hook only sets flags here), the servers'
 * pages, ports and slot states (common/ioreq.c sends and waits for us:
 * ioreq_send_wait).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/ioreq.h>

/* Set v's flag; true if it was clear (counted once per setting). */
static bool flag_vcpu(struct domain *d, struct vcpu *v)
{
    if ( ACCESS_ONCE(v->ioreq.mapcache_invalidate) ||
         __atomic_exchange_n(&v->ioreq.mapcache_invalidate, true, __ATOMIC_SEQ_CST) )
        return false;
    __atomic_fetch_add(&d->ioreq.invalidate_flags_set, 1, __ATOMIC_RELAXED);
    return true;
}

/* Another party changed d's RAM: every vCPU owes the broadcast, and one
 * in guest mode is made to exit so it sends it before running on. The
 * exchange in flag_vcpu orders the flag before the read of processor;
 * a vCPU that enters after that read finds the flag at its entry. */
static void flag_all(struct domain *d, const struct vcpu *curr)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];
        int cpu;

        if ( !v || !flag_vcpu(d, v) )
            continue;
        cpu = ACCESS_ONCE(v->processor);
        if ( cpu >= 0 && v != curr )
            smp_kick_cpu((unsigned int)cpu);
    }
}

/* The decision, apart from `current` so the host tests can name it. */
void ioreq_inval_note(struct domain *d, struct vcpu *curr)
{
    if ( curr && curr->domain == d )
        flag_vcpu(d, curr);
    else
        flag_all(d, curr);
}

void ioreq_note_ram_gone(struct domain *d)
{
    ioreq_inval_note(d, current);
}

/* Xen's values: a write of all-ones, which QEMU reads as "all of it". */
static void make_invalidate(ioreq_t *p)
{
    memset(p, 0, sizeof(*p));
    p->type = IOREQ_TYPE_INVALIDATE;
    p->size = 4;
    p->count = 1;
    p->data = ~0ULL;
}

/* One IOREQ_TYPE_INVALIDATE to every enabled server of v's domain; v
 * then waits for every answer (ioreq_send_wait). Returns how many went.
 * A server v already waits for cannot take it now: v keeps its flag and
 * tries again before its next entry (it cannot enter before that). */
static unsigned int broadcast(struct vcpu *v)
{
    struct domain *d = v->domain;
    unsigned int sent = 0;
    ioreq_t p;
    int rc;

    make_invalidate(&p);
    spin_lock(&d->ioreq.lock);
    for ( unsigned int i = 0; i < MAX_NR_IOREQ_SERVERS; i++ )
    {
        struct ioreq_server *s = d->ioreq.server[i];

        if ( !s || !s->enabled )
            continue;
        rc = ioreq_send_wait(s, v, &p);
        if ( rc == -EBUSY )
            ACCESS_ONCE(v->ioreq.mapcache_invalidate) = true;
        else if ( !rc )
            sent++;
    }
    spin_unlock(&d->ioreq.lock);
    return sent;
}

bool ioreq_inval_pending(const struct vcpu *v)
{
    return unlikely(ACCESS_ONCE(v->ioreq.mapcache_invalidate));
}

/* A server created after the exchange below never mapped a frame that
 * went before it: its mapcache began empty. So a domain with no server
 * at that moment just loses the flag. */
bool ioreq_inval_send(struct vcpu *v)
{
    struct domain *d = v->domain;

    if ( !ioreq_inval_pending(v) ||
         !__atomic_exchange_n(&v->ioreq.mapcache_invalidate, false, __ATOMIC_SEQ_CST) )
        return false;
    if ( !ACCESS_ONCE(d->ioreq.nr_servers) || !broadcast(v) )
        return false;
    __atomic_fetch_add(&d->ioreq.invalidates_sent, 1, __ATOMIC_RELAXED);
    return true;
}

void ioreq_before_entry(struct vcpu *v)
{
    ioreq_inval_send(v);
}
