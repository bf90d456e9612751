/*
 * logdirty-ring.c - the dirty rings beside the log-dirty bitmap
 * (XEN_DOMCTL_wren_dirty_ring, public/wren.h; the design is in
 * docs/designs/live-migration.md, "The dirty ring"): which ring a mark
 * goes to, stopping a vCPU whose ring is full and restarting it after a
 * harvest, and the domctl.
 *
 * Rings: one per vCPU, then one for marks no vCPU of the domain made
 * (A/D harvest, other domains' and device models' writes). The entries
 * themselves are pushed by logdirty-bitmap.c under d->logdirty.lock, in
 * the section that sets the bits (so the bitmap is the dedupe); this
 * file sets and clears a vCPU's dirty_ring_stopped under that lock too,
 * from the ring's own 'stopped', so the flag always ends as the ring
 * says. Everything else runs under the domctl lock.
 *
 * May not touch: the bitmap or the p2m (log-dirty's), a vCPU's run
 * state other than through dirty_ring_stopped and the scheduler's kick.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/logdirty.h>
#include <xen/dirty-ring.h>
#include <xen/guest_access.h>
#include <public/domctl.h>
#include <public/wren.h>

BUILD_BUG_ON(sizeof(struct xen_domctl_wren_dirty_ring) > sizeof(((struct xen_domctl *)0)->u));
/* public/wren.h promises a page per 64 rings for the array. */
BUILD_BUG_ON(sizeof(struct dirty_ring) > PAGE_SIZE / 64);

/* ---- marks ---- */

/* v's flag from its ring, under the lock (the ring may be gone). */
static void sync_stopped(struct vcpu *v)
{
    struct logdirty_domain *ld = &v->domain->logdirty;
    bool stopped = false;

    spin_lock(&ld->lock);
    if ( ld->rings && v->vcpu_id < ld->nr_rings - 1 )
        stopped = ld->rings[v->vcpu_id].stopped;
    ACCESS_ONCE(v->dirty_ring_stopped) = stopped;
    spin_unlock(&ld->lock);
}

void logdirty_mark_vcpu(struct vcpu *v, uint64_t gfn, unsigned int order)
{
    bool stop;

    logdirty_bitmap_set_by(&v->domain->logdirty, gfn, order, v->vcpu_id, &stop);
    if ( !stop )
        return;
    /* v marks for itself, in its exit path: it is not entered again while
     * the flag stands (vcpu_runnable). */
    sync_stopped(v);
}

/* ---- life of the rings ---- */

static uint64_t ring_pages(uint32_t entries)
{
    return ((uint64_t)entries * sizeof(struct xen_wren_dirty_entry) + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* What the rings of nr rings of entries are charged as (the array too). */
static uint64_t rings_charge(unsigned int nr, uint32_t entries)
{
    return nr * ring_pages(entries) +
           ((nr * sizeof(struct dirty_ring) + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

static void free_array(struct dirty_ring *rings, unsigned int nr)
{
    for ( unsigned int i = 0; rings && i < nr; i++ )
        xfree(rings[i].slot);
    xfree(rings);
}

/* nr rings of entries, the last with no vCPU to stop; NULL if no memory. */
static struct dirty_ring *alloc_array(unsigned int nr, uint32_t entries, uint32_t reserve)
{
    struct dirty_ring *rings = xzalloc_array(struct dirty_ring, nr);

    for ( unsigned int i = 0; rings && i < nr; i++ )
    {
        struct xen_wren_dirty_entry *slot = xzalloc_array(struct xen_wren_dirty_entry, entries);

        if ( !slot )
        {
            free_array(rings, i);
            return NULL;
        }
        dirty_ring_init(&rings[i], slot, entries, i == nr - 1 ? 0 : reserve);
    }
    return rings;
}

static uint32_t ring_reserve(const struct domain *d)
{
    return d->logdirty.mech == LOGDIRTY_PML ? WREN_DIRTY_RING_RESERVE_PML : WREN_DIRTY_RING_RESERVE;
}

static long ring_enable(struct domain *d, uint32_t entries)
{
    struct logdirty_domain *ld = &d->logdirty;
    unsigned int nr = d->max_vcpus + 1;
    struct dirty_ring *rings;

    if ( p2m_pool_charge(&d->p2m_pool, rings_charge(nr, entries)) )
        return -ENOMEM;
    rings = alloc_array(nr, entries, ring_reserve(d));
    if ( !rings )
    {
        p2m_pool_uncharge(&d->p2m_pool, rings_charge(nr, entries));
        return -ENOMEM;
    }
    spin_lock(&ld->lock);
    ld->rings = rings;
    ld->nr_rings = nr;
    ld->ring_entries = entries;
    /* Frames dirty before now are in the bitmap only. */
    ld->ring_dropped_now = true;
    ld->ring_dropped_taken = false;
    spin_unlock(&ld->lock);
    return 0;
}

void logdirty_ring_free(struct domain *d)
{
    struct logdirty_domain *ld = &d->logdirty;
    struct dirty_ring *rings;
    unsigned int nr;

    spin_lock(&ld->lock);
    rings = ld->rings;
    nr = ld->nr_rings;
    ld->rings = NULL;
    ld->nr_rings = 0;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            ACCESS_ONCE(d->vcpu[i]->dirty_ring_stopped) = false;
    spin_unlock(&ld->lock);
    if ( !rings )
        return;
    free_array(rings, nr);
    p2m_pool_uncharge(&d->p2m_pool, rings_charge(nr, ld->ring_entries));
    ld->ring_entries = 0;
    sched_kick_all();
}

/* ---- harvest ---- */

static unsigned int ring_index(const struct domain *d, uint32_t vcpu)
{
    return vcpu == WREN_DIRTY_RING_NO_VCPU ? d->logdirty.nr_rings - 1 : vcpu;
}

/* Copy the n oldest entries of r to va: in at most two pieces. Only the
 * domctl consumes, so they stay put while we copy without the lock. */
static long copy_oldest(const struct dirty_ring *r, uint32_t n, uint64_t va)
{
    uint32_t first = dirty_ring_contiguous(r, n);
    size_t sz = sizeof(struct xen_wren_dirty_entry);

    if ( copy_to_guest(va, dirty_ring_at(r, 0), first * sz) )
        return -EFAULT;
    if ( n > first && copy_to_guest(va + first * sz, r->slot, (n - first) * sz) )
        return -EFAULT;
    return 0;
}

static long ring_harvest(struct domain *d, struct xen_domctl_wren_dirty_ring *op)
{
    struct logdirty_domain *ld = &d->logdirty;
    struct dirty_ring *r = &ld->rings[ring_index(d, op->vcpu)];
    bool woke;
    uint32_t n;

    spin_lock(&ld->lock);
    n = MIN(op->max, r->used);
    spin_unlock(&ld->lock);
    if ( n && copy_oldest(r, n, op->buffer) )
        return -EFAULT;
    spin_lock(&ld->lock);
    woke = dirty_ring_consume(r, n);
    if ( woke && op->vcpu != WREN_DIRTY_RING_NO_VCPU )
        ACCESS_ONCE(d->vcpu[op->vcpu]->dirty_ring_stopped) = false;
    spin_unlock(&ld->lock);
    if ( woke )
        sched_kick_all(); /* a stopped vCPU may run again */
    op->count = n;
    return 0;
}

/* ---- the domctl ---- */

static void fill_status(struct domain *d, struct xen_domctl_wren_dirty_ring *op)
{
    struct logdirty_domain *ld = &d->logdirty;
    const struct dirty_ring *r = &ld->rings[ring_index(d, op->vcpu)];

    spin_lock(&ld->lock);
    if ( op->op == WREN_DIRTY_RING_STATUS )
        op->count = r->used;
    op->flags = WREN_DIRTY_RING_F_ENABLED | (r->stopped ? WREN_DIRTY_RING_F_STOPPED : 0) |
                (ld->ring_dropped_taken ? WREN_DIRTY_RING_F_DROPPED_TAKEN : 0) |
                (ld->ring_dropped_now ? WREN_DIRTY_RING_F_DROPPED_PENDING : 0);
    op->soft_limit = r->soft_limit == ~0U ? 0 : r->soft_limit;
    op->pushed = r->pushed;
    op->harvested = r->harvested;
    op->full_exits = r->full_exits;
    op->dropped = r->dropped;
    op->total_full_exits = op->total_dropped = 0;
    for ( unsigned int i = 0; i < ld->nr_rings; i++ )
    {
        op->total_full_exits += ld->rings[i].full_exits;
        op->total_dropped += ld->rings[i].dropped;
    }
    spin_unlock(&ld->lock);
}

/* A vCPU with a ring of its own: one that existed at ENABLE. max_vcpus
 * may have grown since (XEN_DOMCTL_max_vcpus); the vCPUs it added mark
 * into the no-vCPU ring and have none to harvest. */
static bool vcpu_ok(const struct domain *d, uint32_t vcpu)
{
    return vcpu == WREN_DIRTY_RING_NO_VCPU || (vcpu < d->logdirty.nr_rings - 1 && d->vcpu[vcpu]);
}

/* Every check, nothing changed. */
static long decode(struct domain *d, const struct xen_domctl_wren_dirty_ring *op)
{
    const struct logdirty_domain *ld = &d->logdirty;

    if ( d == hardware_domain || d == current->domain )
        return -EINVAL;
    switch ( op->op )
    {
    case WREN_DIRTY_RING_ENABLE:
        if ( op->vcpu || op->max || op->buffer || !ld->enabled ||
             !dirty_ring_size_ok(op->entries, ring_reserve(d)) )
            return -EINVAL;
        return ld->rings ? -EBUSY : 0;
    case WREN_DIRTY_RING_HARVEST:
        if ( op->entries || !op->max || !op->buffer )
            return -EINVAL;
        return ld->rings && vcpu_ok(d, op->vcpu) ? 0 : -EINVAL;
    case WREN_DIRTY_RING_STATUS:
        if ( op->entries || op->max || op->buffer )
            return -EINVAL;
        return ld->rings && vcpu_ok(d, op->vcpu) ? 0 : -EINVAL;
    case WREN_DIRTY_RING_DISABLE:
        if ( op->vcpu || op->entries || op->max || op->buffer )
            return -EINVAL;
        return ld->rings ? 0 : -EINVAL;
    default: return -EINVAL;
    }
}

static long act(struct domain *d, struct xen_domctl_wren_dirty_ring *op)
{
    long rc = 0;

    switch ( op->op )
    {
    case WREN_DIRTY_RING_ENABLE: return ring_enable(d, op->entries);
    case WREN_DIRTY_RING_DISABLE: logdirty_ring_free(d); return 0;
    case WREN_DIRTY_RING_HARVEST: rc = ring_harvest(d, op); break;
    }
    if ( !rc )
        fill_status(d, op);
    return rc;
}

long logdirty_ring_domctl(struct domain *d, struct xen_domctl_wren_dirty_ring *op, uint64_t out_va)
{
    long rc = decode(d, op);

    if ( !rc )
        rc = act(d, op);
    if ( rc )
        return rc;
    op->entries = d->logdirty.ring_entries;
    op->nr_rings = d->logdirty.rings ? d->logdirty.nr_rings - 1 : 0;
    return copy_to_guest(out_va, op, sizeof(*op)) ? -EFAULT : 0;
}
