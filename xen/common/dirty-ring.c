/*
 * dirty-ring.c - one ring of dirtied gfns: push, consume, the soft limit
 * at which its vCPU stops (xen/dirty-ring.h says the rules).
 *
 * Knows nothing of domains, vCPUs or locks (the caller holds
 * d->logdirty.lock); may not allocate or free: the slots are the
 * caller's. tools/tests/test-dirty-ring.c runs it on the host.
 */
#include <xen/dirty-ring.h>
#include <xen/lib.h>

bool dirty_ring_size_ok(uint32_t n, uint32_t reserve)
{
    return n >= WREN_DIRTY_RING_MIN_ENTRIES && n <= WREN_DIRTY_RING_MAX_ENTRIES && !(n & (n - 1)) &&
           n >= 2 * reserve;
}

void dirty_ring_init(struct dirty_ring *r, struct xen_wren_dirty_entry *slot, uint32_t size,
                     uint32_t reserve)
{
    memset(r, 0, sizeof(*r));
    r->slot = slot;
    r->size = size;
    r->soft_limit = reserve ? size - reserve : ~0U; /* 0: nobody to stop */
}

enum dirty_ring_push_result dirty_ring_push(struct dirty_ring *r, uint64_t gfn, unsigned int order)
{
    struct xen_wren_dirty_entry *e;

    if ( r->used == r->size )
    {
        r->dropped++;
        return DIRTY_RING_DROPPED;
    }
    e = &r->slot[(r->head + r->used) & (r->size - 1)];
    e->gfn = gfn;
    e->order = order;
    e->pad = 0;
    r->used++;
    r->pushed++;
    if ( r->used < r->soft_limit || r->stopped )
        return DIRTY_RING_PUSHED;
    r->stopped = true;
    r->full_exits++;
    return DIRTY_RING_STOP;
}

uint32_t dirty_ring_contiguous(const struct dirty_ring *r, uint32_t max)
{
    uint32_t n = MIN(max, r->used);

    return MIN(n, r->size - r->head);
}

bool dirty_ring_consume(struct dirty_ring *r, uint32_t n)
{
    n = MIN(n, r->used);
    r->head = (r->head + n) & (r->size - 1);
    r->used -= n;
    r->harvested += n;
    if ( !r->stopped || r->used >= r->soft_limit )
        return false;
    r->stopped = false;
    return true;
}

void dirty_ring_reset(struct dirty_ring *r)
{
    r->head = r->used = 0;
    r->stopped = false;
}
