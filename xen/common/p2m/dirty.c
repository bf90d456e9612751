/*
 * p2m/dirty.c - what log-dirty needs from the table itself: reading and
 * clearing the dirty flags the MMU sets in leaves (A/D harvest, and the
 * re-arm after a PML round), setting one where the MMU cannot, listing
 * superpages, splitting them all.
 *
 * Part of the p2m core (lock order: xen/lock-order.h): every public
 * function here takes p2m->lock. Nothing here changes a type, a frame or
 * an access right, so no pending global change needs resolving except
 * on the path a shatter rewrites. Walks read through marked table
 * entries: a mark stops the hardware, not us, and the dirty flags below
 * it are as the hardware left them.
 *
 * A dirty flag is cleared with an atomic AND: the hardware may be
 * setting the accessed flag of the same entry on another CPU, and a
 * plain store could lose a flag set in between. A TLB may still hold a
 * translation made while the flag was set (a write through it sets
 * nothing), so clearing is followed by a flush; the caller must also
 * wait until no vCPU still runs on the old translations before it
 * trusts the next harvest (logdirty.c does).
 */
#include "private.h"

#include <xen/errno.h>
#include <wren/bitops.h>

/* What the backend says "written" with (one bit, or several that are
 * cleared together). */
static p2m_pte_t dirty_flag(const struct p2m_pte_ops *ops)
{
    return ops->dirty_bits;
}

/* ---- walking the leaves ---- */

struct leaf_walk
{
    struct p2m_domain *p2m;
    unsigned int min_level; /* no descent below this level */
    bool clear;             /* clear the dirty flags reported */
    bool dirty_only;        /* report only leaves with the flag */
    p2m_range_fn fn;
    void *arg;
    uint64_t reported;
    uint64_t cleared;
};

/* One leaf: report it if it qualifies, and clear its flag if asked. */
static void visit_leaf(struct leaf_walk *w, p2m_pte_t *slot, unsigned int level, uint64_t gfn)
{
    p2m_pte_t d = dirty_flag(w->p2m->ops);
    p2m_pte_t pte = read_pte(slot);

    if ( w->dirty_only && !(pte & d) )
        return;
    if ( !w->dirty_only && level == 1 )
        return; /* superpages only */
    if ( w->clear && (pte & d) )
    {
        __atomic_fetch_and(slot, ~d, __ATOMIC_SEQ_CST);
        w->p2m->stats.entries_written++;
        w->cleared++;
    }
    w->reported++;
    if ( w->fn )
        w->fn(w->arg, gfn, level_order(level));
}

static void walk_table(struct leaf_walk *w, p2m_pte_t *table, unsigned int level, uint64_t base)
{
    const struct p2m_pte_ops *ops = w->p2m->ops;
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
    {
        p2m_pte_t pte = read_pte(&table[i]);
        uint64_t gfn = base + i * level_span(level);

        if ( is_table(w->p2m, pte, level) )
        {
            if ( level - 1 >= w->min_level )
                walk_table(w, table_va(ops->mfn(pte)), level - 1, gfn);
        }
        else if ( ops->is_leaf(pte, level) )
            visit_leaf(w, &table[i], level, gfn);
    }
}

static uint64_t walk_locked(struct leaf_walk *w)
{
    ASSERT(spin_is_locked(&w->p2m->lock));
    walk_table(w, table_va(w->p2m->root), P2M_LEVELS, 0);
    if ( w->cleared )
        p2m_flush(w->p2m);
    return w->reported;
}

uint64_t p2m_harvest_dirty(struct p2m_domain *p2m, unsigned int min_order, bool clear,
                           p2m_range_fn fn, void *arg)
{
    struct leaf_walk w = {
        .p2m = p2m,
        .min_level = order_level(MIN(min_order, (unsigned int)P2M_ORDER_1G)),
        .clear = clear,
        .dirty_only = true,
        .fn = fn,
        .arg = arg,
    };
    uint64_t n;

    if ( !dirty_flag(p2m->ops) )
        return 0;
    spin_lock(&p2m->lock);
    n = walk_locked(&w);
    spin_unlock(&p2m->lock);
    return n;
}

void p2m_for_each_superpage(struct p2m_domain *p2m, p2m_range_fn fn, void *arg)
{
    struct leaf_walk w = {
        .p2m = p2m,
        .min_level = 2,
        .fn = fn,
        .arg = arg,
    };

    spin_lock(&p2m->lock);
    walk_locked(&w);
    spin_unlock(&p2m->lock);
}

/* ---- clearing the flags of the leaves a bitmap names ---- */

/* The first set bit at or after gfn, or nr if none. */
static uint64_t next_set(const uint64_t *bitmap, uint64_t nr, uint64_t gfn)
{
    while ( gfn < nr )
    {
        uint64_t word = bitmap[gfn / 64] >> (gfn % 64);

        if ( word )
            return MIN(gfn + first_set_bit64(word), nr);
        gfn = (gfn | 63) + 1;
    }
    return nr;
}

/* Where the walk for gfn ends (a leaf or an empty entry), resolving
 * nothing; returns its level. */
static unsigned int end_of_walk(const struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t **slot)
{
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int level;

    for ( level = P2M_LEVELS;; level-- )
    {
        *slot = &table[slot_index(gfn, level)];
        if ( !is_table(p2m, read_pte(*slot), level) )
            return level;
        table = table_va(p2m->ops->mfn(read_pte(*slot)));
    }
}

uint64_t p2m_clear_dirty_bitmap(struct p2m_domain *p2m, const uint64_t *bitmap, uint64_t nr)
{
    struct leaf_walk w = { .p2m = p2m, .clear = true, .dirty_only = true };
    uint64_t gfn = 0;

    if ( !dirty_flag(p2m->ops) )
        return 0;
    nr = MIN(nr, (uint64_t)P2M_GFN_LIMIT);
    spin_lock(&p2m->lock);
    while ( (gfn = next_set(bitmap, nr, gfn)) < nr )
    {
        p2m_pte_t *slot;
        unsigned int level = end_of_walk(p2m, gfn, &slot);

        if ( p2m->ops->is_leaf(read_pte(slot), level) )
            visit_leaf(&w, slot, level, gfn & ~(level_span(level) - 1));
        gfn = (gfn | (level_span(level) - 1)) + 1;
    }
    if ( w.cleared )
        p2m_flush(p2m);
    spin_unlock(&p2m->lock);
    return w.cleared;
}

/* ---- the dirty update in software ---- */

static bool grants_write(const struct p2m_pte_ops *ops, p2m_pte_t pte, unsigned int level)
{
    return ops->is_leaf(pte, level) && mfn_valid_raw(ops->mfn(pte)) &&
           (p2m_type_rights(ops->type(pte)) & ops->access(pte) & p2m_access_w);
}

int p2m_mark_written(struct p2m_domain *p2m, gfn_t gfn)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t *slot, pte;
    unsigned int level;
    int rc = 0;

    if ( gfn_x(gfn) >= P2M_GFN_LIMIT || !ops->dirty_bits )
        return 0;
    spin_lock(&p2m->lock);
    level = p2m_walk_resolving(p2m, gfn_x(gfn), &slot);
    pte = read_pte(slot);
    if ( grants_write(ops, pte, level) )
    {
        /* "written" where this leaf keeps it (the dirty flag itself in a
         * leaf that grants write) */
        __atomic_fetch_or(slot, keep_hw(ops, ops->dirty_bits, pte) & ~pte, __ATOMIC_SEQ_CST);
        p2m->stats.entries_written++;
        rc = 1;
    }
    spin_unlock(&p2m->lock);
    return rc;
}

/* ---- splitting every superpage ---- */

static int shatter_table(struct p2m_domain *p2m, p2m_pte_t *table, unsigned int level);

/* Make the entry in *slot (level > 1) a table of 4K leaves all the way
 * down. A pending change on it is pushed first, so the leaves the split
 * copies carry current types. */
static int shatter_slot(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level)
{
    p2m_pte_t pte = read_pte(slot);
    int rc;

    if ( level == 2 && is_table(p2m, pte, level) )
        return 0; /* 4K leaves below: nothing to split */
    if ( p2m->ops->needs_recalc(pte) )
        p2m_recalc_push(p2m, slot, level);
    pte = read_pte(slot);
    if ( p2m->ops->is_leaf(pte, level) )
    {
        rc = p2m_shatter(p2m, slot, level);
        if ( rc )
            return rc;
    }
    else if ( !is_table(p2m, pte, level) )
        return 0;
    return shatter_table(p2m, table_va(p2m->ops->mfn(read_pte(slot))), level - 1);
}

static int shatter_table(struct p2m_domain *p2m, p2m_pte_t *table, unsigned int level)
{
    unsigned int i;
    int rc;

    if ( level == 1 )
        return 0;
    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
    {
        rc = shatter_slot(p2m, &table[i], level);
        if ( rc )
            return rc;
    }
    return 0;
}

int p2m_shatter_superpages(struct p2m_domain *p2m)
{
    int rc;

    spin_lock(&p2m->lock);
    rc = shatter_table(p2m, table_va(p2m->root), P2M_LEVELS);
    spin_unlock(&p2m->lock);
    return rc;
}
