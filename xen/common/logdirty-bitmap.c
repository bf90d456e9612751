/*
 * logdirty-bitmap.c - the log-dirty bitmap (one bit per gfn) and the
 * record of which regions were superpages when log-dirty began.
 *
 * Two arrays of the same size: bitmap, which logdirty_mark() sets from
 * any CPU under ld->lock, and snap, which only the domctl path (already
 * serialised by the domctl lock) reads and copies out. A CLEAN swaps
 * them under the lock, so marks are never held up by a copy to the
 * caller and a failed copy can be undone by OR-ing snap back.
 *
 * A gfn newly set is also pushed into a dirty ring (xen/dirty-ring.h)
 * in the same locked section, so the bitmap is the rings' dedupe: one
 * entry per gfn per CLEAN interval.
 *
 * Knows struct logdirty_domain and the p2m interface, never struct
 * domain: the host unit tests (tools/tests/test-logdirty.c) run it.
 */
#include <xen/logdirty.h>
#include <xen/dirty-ring.h>
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/lib.h>
#include <xen/errno.h>
#include <wren/bitops.h>

#define GFNS_2M (1ULL << P2M_ORDER_2M)
#define GFNS_1G (1ULL << P2M_ORDER_1G)

/* The bits of word w that fall in [first, end). */
static uint64_t word_mask(uint64_t w, uint64_t first, uint64_t end)
{
    uint64_t lo = w * BITS_PER_WORD, mask = ~0ULL;

    if ( first > lo )
        mask &= ~0ULL << (first - lo);
    if ( end < lo + BITS_PER_WORD )
        mask &= ~(~0ULL << (end - lo));
    return mask;
}

/* Set [first, end) in bm; returns how many were clear. */
static uint64_t set_bits(uint64_t *bm, uint64_t first, uint64_t end)
{
    uint64_t w, added = 0;

    if ( first >= end )
        return 0;
    for ( w = first / BITS_PER_WORD; w <= (end - 1) / BITS_PER_WORD; w++ )
    {
        uint64_t m = word_mask(w, first, end);

        added += popcount64(m & ~bm[w]);
        bm[w] |= m;
    }
    return added;
}

static uint64_t count_bits(const uint64_t *bm, uint64_t nr_bits)
{
    uint64_t w, n = 0;

    for ( w = 0; w < bitmap_words(nr_bits); w++ )
        n += popcount64(bm[w]);
    return n;
}

static uint64_t *alloc_bits(uint64_t nr_bits)
{
    return xzalloc_array(uint64_t, MAX(bitmap_words(nr_bits), 1));
}

/* Pages one bitmap of nr_bits is charged as. */
static uint64_t bitmap_pages(uint64_t nr_bits)
{
    return (MAX(bitmap_words(nr_bits), 1) * sizeof(uint64_t) + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* A bitmap and its snapshot, charged to the domain's pool first. */
static int alloc_pair(struct logdirty_domain *ld, uint64_t nr_bits, uint64_t **bm, uint64_t **sn)
{
    uint64_t pages = 2 * bitmap_pages(nr_bits);

    if ( ld->charge_to && p2m_pool_charge(ld->charge_to, pages) )
        return -ENOMEM;
    *bm = alloc_bits(nr_bits);
    *sn = alloc_bits(nr_bits);
    if ( *bm && *sn )
        return 0;
    xfree(*bm);
    xfree(*sn);
    if ( ld->charge_to )
        p2m_pool_uncharge(ld->charge_to, pages);
    return -ENOMEM;
}

static void free_pair(struct logdirty_domain *ld, uint64_t *bm, uint64_t *sn, uint64_t nr_bits)
{
    if ( !bm )
        return;
    xfree(bm);
    xfree(sn);
    if ( ld->charge_to )
        p2m_pool_uncharge(ld->charge_to, 2 * bitmap_pages(nr_bits));
}

/* ---- the bitmap ---- */

int logdirty_bitmap_alloc(struct logdirty_domain *ld, uint64_t nr_bits)
{
    int rc = alloc_pair(ld, nr_bits, &ld->bitmap, &ld->snap);

    if ( rc )
    {
        ld->bitmap = ld->snap = NULL;
        return rc;
    }
    ld->nr_bits = nr_bits;
    return 0;
}

void logdirty_bitmap_free(struct logdirty_domain *ld)
{
    free_pair(ld, ld->bitmap, ld->snap, ld->nr_bits);
    xfree(ld->was_superpage);
    xfree(ld->was_1g);
    ld->bitmap = ld->snap = ld->was_superpage = ld->was_1g = NULL;
    ld->nr_bits = ld->nr_regions = ld->nr_1g = 0;
}

/* A range newly dirty this interval: one entry in the ring (lock held). */
static bool ring_push(struct logdirty_domain *ld, uint64_t gfn, unsigned int order,
                      unsigned int ring)
{
    enum dirty_ring_push_result r;

    if ( !ld->rings )
        return false;
    r = dirty_ring_push(&ld->rings[MIN(ring, ld->nr_rings - 1)], gfn, order);
    if ( r == DIRTY_RING_DROPPED )
        ld->ring_dropped_now = true;
    return r == DIRTY_RING_STOP;
}

uint64_t logdirty_bitmap_set_by(struct logdirty_domain *ld, uint64_t gfn, unsigned int order,
                                unsigned int ring, bool *stop)
{
    uint64_t added = 0, end;

    *stop = false;
    if ( order >= 63 || gfn >= P2M_GFN_LIMIT )
        return 0;
    end = gfn + (1ULL << order);
    spin_lock(&ld->lock);
    if ( ld->enabled && ld->bitmap )
    {
        added = set_bits(ld->bitmap, gfn, MIN(end, ld->nr_bits));
        ld->dirty_count += added;
        if ( added )
            *stop = ring_push(ld, gfn, order, ring);
    }
    spin_unlock(&ld->lock);
    return added;
}

uint64_t logdirty_bitmap_set(struct logdirty_domain *ld, uint64_t gfn, unsigned int order)
{
    bool stop;

    return logdirty_bitmap_set_by(ld, gfn, order, ~0U, &stop);
}

int logdirty_bitmap_grow(struct logdirty_domain *ld, uint64_t nr_bits)
{
    uint64_t *bm, *sn, *old_bm, *old_sn, old_nr;

    if ( nr_bits <= ld->nr_bits )
        return 0;
    if ( alloc_pair(ld, nr_bits, &bm, &sn) )
        return -ENOMEM;
    spin_lock(&ld->lock);
    old_bm = ld->bitmap;
    old_sn = ld->snap;
    old_nr = ld->nr_bits;
    memcpy(bm, old_bm, bitmap_words(old_nr) * sizeof(*bm));
    ld->dirty_count += set_bits(bm, old_nr, nr_bits);
    ld->ring_dropped_now |= ld->rings != NULL; /* dirty bits no ring holds */
    ld->bitmap = bm;
    ld->snap = sn;
    ld->nr_bits = nr_bits;
    spin_unlock(&ld->lock);
    free_pair(ld, old_bm, old_sn, old_nr);
    return 0;
}

uint64_t logdirty_bitmap_take(struct logdirty_domain *ld, bool reset, uint32_t *fault_count,
                              uint32_t *dirty_count)
{
    uint64_t bytes = bitmap_words(ld->nr_bits) * sizeof(uint64_t);
    uint64_t *t = ld->snap;

    if ( reset )
        memset(t, 0, bytes); /* becomes the new, empty bitmap */
    spin_lock(&ld->lock);
    *fault_count = ld->fault_count;
    *dirty_count = ld->dirty_count;
    if ( reset )
    {
        ld->snap = ld->bitmap;
        ld->bitmap = t;
        ld->fault_count = ld->dirty_count = 0;
        ld->ring_dropped_taken = ld->ring_dropped_now;
        ld->ring_dropped_now = false;
    }
    else
        memcpy(ld->snap, ld->bitmap, bytes);
    spin_unlock(&ld->lock);
    return count_bits(ld->snap, ld->nr_bits);
}

void logdirty_bitmap_untake(struct logdirty_domain *ld)
{
    uint64_t w, n = 0;

    spin_lock(&ld->lock);
    for ( w = 0; w < bitmap_words(ld->nr_bits); w++ )
    {
        n += popcount64(ld->snap[w] & ~ld->bitmap[w]);
        ld->bitmap[w] |= ld->snap[w];
    }
    ld->dirty_count += n;
    ld->ring_dropped_now |= ld->ring_dropped_taken; /* the take never happened */
    spin_unlock(&ld->lock);
}

/* ---- superpages ---- */

static void note_superpage(void *arg, uint64_t gfn, unsigned int order)
{
    struct logdirty_domain *ld = arg;

    if ( order == P2M_ORDER_2M && gfn / GFNS_2M < ld->nr_regions )
        set_bits(ld->was_superpage, gfn / GFNS_2M, gfn / GFNS_2M + 1);
    else if ( order == P2M_ORDER_1G && gfn / GFNS_1G < ld->nr_1g )
        set_bits(ld->was_1g, gfn / GFNS_1G, gfn / GFNS_1G + 1);
    else
        return;
    ld->stats.superpages_before++;
}

int logdirty_record_superpages(struct logdirty_domain *ld, struct p2m_domain *p2m)
{
    xfree(ld->was_superpage);
    xfree(ld->was_1g);
    ld->nr_regions = (ld->nr_bits + GFNS_2M - 1) / GFNS_2M;
    ld->nr_1g = (ld->nr_bits + GFNS_1G - 1) / GFNS_1G;
    ld->was_superpage = alloc_bits(ld->nr_regions);
    ld->was_1g = alloc_bits(ld->nr_1g);
    if ( !ld->was_superpage || !ld->was_1g )
        return -ENOMEM;
    ld->stats.superpages_before = 0;
    p2m_for_each_superpage(p2m, note_superpage, ld);
    return 0;
}

/* Merge the block at gfn back if it is not a superpage now. */
static bool restore_one(struct p2m_domain *p2m, uint64_t gfn, unsigned int order)
{
    unsigned int now;

    p2m_lookup(p2m, _gfn(gfn), NULL, NULL, &now);
    return now < order && p2m_try_coalesce(p2m, _gfn(gfn), order);
}

uint64_t logdirty_restore_superpages(struct logdirty_domain *ld, struct p2m_domain *p2m)
{
    uint64_t i, n = 0;

    for ( i = 0; ld->was_superpage && i < ld->nr_regions; i++ )
        if ( bitmap_test(ld->was_superpage, i) )
            n += restore_one(p2m, i * GFNS_2M, P2M_ORDER_2M);
    for ( i = 0; ld->was_1g && i < ld->nr_1g; i++ )
        if ( bitmap_test(ld->was_1g, i) )
            n += restore_one(p2m, i * GFNS_1G, P2M_ORDER_1G);
    ld->stats.superpages_restored += n;
    return n;
}
