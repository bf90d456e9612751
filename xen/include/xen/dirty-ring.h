/*
 * dirty-ring.h - one ring of dirtied gfns (XEN_DOMCTL_wren_dirty_ring,
 * public/wren.h): a fixed array the marking side appends to and the
 * toolstack's HARVEST takes from, oldest first.
 *
 * Only the data structure: no struct domain, no vCPU, no lock of its own
 * (the caller holds d->logdirty.lock around push, consume and the
 * counters), so the host unit tests run it as it is. Who pushes into
 * which ring, stopping vCPUs and the domctl are logdirty-ring.c's.
 *
 * The slots [head, head + used) (mod size) hold entries; push writes at
 * head + used only, so while one consumer (the domctl, serialised by the
 * domctl lock) copies [head, head + n) out, pushes never touch them.
 */
#ifndef XEN_DIRTY_RING_H
#define XEN_DIRTY_RING_H

#include <xen/types.h>
#include <public/wren.h>

struct dirty_ring
{
    struct xen_wren_dirty_entry *slot; /* size entries */
    uint32_t size;                     /* a power of two */
    uint32_t soft_limit;               /* used at which the vCPU stops */
    uint32_t head;                     /* the oldest entry */
    uint32_t used;                     /* entries in the ring */
    bool stopped;                      /* its vCPU waits for a harvest */
    uint64_t pushed, harvested, full_exits, dropped;
};

enum dirty_ring_push_result
{
    DIRTY_RING_PUSHED,  /* stored, still below the soft limit */
    DIRTY_RING_STOP,    /* stored; the ring just reached its soft limit: stop the vCPU */
    DIRTY_RING_DROPPED, /* no room: counted, not stored */
};

/* Is n a ring size the ABI allows (reserve: entries kept above the soft
 * limit)? */
bool dirty_ring_size_ok(uint32_t n, uint32_t reserve);

/* An empty ring over slot[size], stopping at size - reserve; reserve 0:
 * a ring with no vCPU to stop, which only drops when it is full. */
void dirty_ring_init(struct dirty_ring *r, struct xen_wren_dirty_entry *slot, uint32_t size,
                     uint32_t reserve);

/* Append [gfn, gfn + 2^order). STOP is returned once per crossing: the
 * ring then counts a full exit and is 'stopped' until consumed below. */
enum dirty_ring_push_result dirty_ring_push(struct dirty_ring *r, uint64_t gfn, unsigned int order);

/* The i-th oldest entry, i < used. */
static inline const struct xen_wren_dirty_entry *dirty_ring_at(const struct dirty_ring *r,
                                                               uint32_t i)
{
    return &r->slot[(r->head + i) & (r->size - 1)];
}

/* How many of the oldest entries, up to max, lie in one piece from the
 * head (a copy-out takes at most two pieces). */
uint32_t dirty_ring_contiguous(const struct dirty_ring *r, uint32_t max);

/* Free the n oldest slots (n <= used). True if the ring was stopped and
 * is now below its soft limit: the caller restarts the vCPU. */
bool dirty_ring_consume(struct dirty_ring *r, uint32_t n);

/* Back to empty, counters kept (a vCPU stopped on it is released by the
 * caller). */
void dirty_ring_reset(struct dirty_ring *r);

#endif /* XEN_DIRTY_RING_H */
