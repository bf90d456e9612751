/*
 * p2m/coalesce.c - merging a 2M or 1G block of leaves back into one
 * superpage (after log-dirty shattered it, say), break-before-make.
 *
 * Pending type changes inside the block are resolved first, so the leaves
 * compared are the leaves as they are now, and the superpage written is
 * stamped now. Part of the p2m core; lock order: xen/lock-order.h.
 */
#include "private.h"

/* Does every leaf below table (entries at level) map gfn offset i to
 * base + i, with type t and access a? Gathers the leaves' accessed/dirty. */
static bool subtree_maps(const struct p2m_domain *p2m, mfn_t table, unsigned int level, mfn_t base,
                         p2m_type_t t, p2m_access_t a, p2m_pte_t *hw)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    const p2m_pte_t *entries = table_va(table);
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
    {
        p2m_pte_t pte = read_pte(&entries[i]);
        mfn_t mfn = mfn_plus(base, i * level_span(level));

        if ( is_table(p2m, pte, level) )
        {
            if ( !subtree_maps(p2m, ops->mfn(pte), level - 1, mfn, t, a, hw) )
                return false;
        }
        else if ( !same_but_hw(ops, pte, ops->make_leaf(mfn, level, t, a)) )
            return false;
        *hw |= pte & ops->hw_managed_bits;
    }
    return true;
}

/* The superpage at level saying what the subtree below table_pte says,
 * or 0 if no single leaf can. */
static p2m_pte_t merged_leaf(const struct p2m_domain *p2m, p2m_pte_t table_pte, unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t first = table_pte, hw = 0;
    unsigned int l = level;
    mfn_t base;

    while ( is_table(p2m, first, l) ) /* the leaf at the block's start */
    {
        first = read_pte(&table_va(ops->mfn(first))[0]);
        l--;
    }
    base = ops->mfn(first);
    /* A shared frame's entry stays 4K: its reverse map names one gfn. */
    if ( !ops->is_leaf(first, l) || ops->type(first) == p2m_ram_shared ||
         (mfn_valid_raw(base) && (mfn_x(base) & (level_span(level) - 1))) )
        return 0;
    if ( !subtree_maps(p2m, ops->mfn(table_pte), level - 1, base, ops->type(first),
                       ops->access(first), &hw) )
        return 0;
    return keep_hw(ops, hw, ops->make_leaf(base, level, ops->type(first), ops->access(first)));
}

/* Make the table in *slot one superpage; failing that, do so for each of
 * its subtables. */
static bool coalesce_slot(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level)
{
    p2m_pte_t pte = read_pte(slot), merged;
    p2m_pte_t *children;
    unsigned int i;

    if ( p2m->ops->is_leaf(pte, level) )
        return true;
    if ( !is_table(p2m, pte, level) )
        return false;
    merged = merged_leaf(p2m, pte, level);
    if ( merged )
    {
        p2m_replace_subtree(p2m, slot, level, 0, false, merged); /* no reference dropped */
        p2m->stats.coalesces++;
        return true;
    }
    children = table_va(p2m->ops->mfn(pte));
    if ( level - 1 > 1 )
        for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
            coalesce_slot(p2m, &children[i], level - 1);
    return false;
}

/* The slot of the block at gfn (level) if tables lead to it, with every
 * pending change on the way there and inside it resolved; else NULL. */
static p2m_pte_t *resolved_block(struct p2m_domain *p2m, uint64_t gfn, unsigned int level)
{
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int l;

    for ( l = P2M_LEVELS; l > level; l-- )
    {
        p2m_pte_t *slot = &table[slot_index(gfn, l)];

        if ( p2m->ops->needs_recalc(read_pte(slot)) )
            p2m_recalc_push(p2m, slot, l);
        if ( !is_table(p2m, read_pte(slot), l) )
            return NULL;
        table = table_va(p2m->ops->mfn(read_pte(slot)));
    }
    p2m_recalc_subtree(p2m, &table[slot_index(gfn, level)], level);
    return &table[slot_index(gfn, level)];
}

bool p2m_try_coalesce(struct p2m_domain *p2m, gfn_t gfn, unsigned int order)
{
    p2m_pte_t *slot;
    bool done = false;

    if ( order == P2M_ORDER_4K || !order_supported(p2m, order) ||
         (gfn_x(gfn) & ((1ULL << order) - 1)) || gfn_x(gfn) >= P2M_GFN_LIMIT )
        return false;
    spin_lock(&p2m->lock);
    slot = resolved_block(p2m, gfn_x(gfn), order_level(order));
    if ( slot )
        done = coalesce_slot(p2m, slot, order_level(order));
    spin_unlock(&p2m->lock);
    return done;
}
