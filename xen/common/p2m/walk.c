/*
 * p2m/walk.c - walking down to a gfn's entry: resolving the pending
 * changes on the path, splitting superpages and adding tables on the way
 * when an update needs them; and the lookup walk, which writes nothing.
 *
 * May call: recalc.c, table.c, marks.c. Every function expects p2m->lock
 * held.
 */
#include "private.h"

#include <xen/errno.h>

/* Make *slot a table to descend through: resolve a pending change on it,
 * then keep, shatter, or (if build) add. */
static int descend(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level, bool build)
{
    p2m_pte_t pte = read_pte(slot);

    if ( p2m->ops->needs_recalc(pte) )
    {
        p2m_recalc_push(p2m, slot, level);
        pte = read_pte(slot);
    }
    if ( is_table(p2m, pte, level) )
        return 0;
    if ( p2m->ops->is_leaf(pte, level) )
        return p2m_shatter(p2m, slot, level);
    return build ? p2m_add_table(p2m, slot) : WALK_HOLE;
}

/* The slot for gfn at level, making the path down to it. NULL with *rc
 * WALK_HOLE (nothing mapped and !build) or -ENOMEM. */
p2m_pte_t *p2m_walk_to(struct p2m_domain *p2m, uint64_t gfn, unsigned int level, bool build,
                       int *rc)
{
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int l;

    for ( l = P2M_LEVELS; l > level; l-- )
    {
        p2m_pte_t *slot = &table[slot_index(gfn, l)];

        *rc = descend(p2m, slot, l, build);
        if ( *rc )
            return NULL;
        table = table_va(p2m->ops->mfn(read_pte(slot)));
    }
    return &table[slot_index(gfn, level)];
}

unsigned int p2m_walk_resolving(struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t **slot)
{
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int level;

    for ( level = P2M_LEVELS;; level-- )
    {
        *slot = &table[slot_index(gfn, level)];
        if ( p2m->ops->needs_recalc(read_pte(*slot)) )
            p2m_recalc_push(p2m, *slot, level);
        if ( !is_table(p2m, read_pte(*slot), level) )
            return level;
        table = table_va(p2m->ops->mfn(read_pte(*slot)));
    }
}

/* The level at which the walk for gfn ends, the entry there, and the
 * oldest stamp of the marks met (a lookup resolves nothing). */
unsigned int p2m_find_leaf(const struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *found,
                           uint64_t *stamp)
{
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int level;

    *stamp = p2m_recalc_now(p2m);
    for ( level = P2M_LEVELS;; level-- )
    {
        p2m_pte_t pte = read_pte(&table[slot_index(gfn, level)]);

        if ( p2m->ops->needs_recalc(pte) )
            *stamp = MIN(*stamp, p2m_recalc_stamp(p2m, pte));
        if ( !is_table(p2m, pte, level) )
        {
            *found = pte;
            return level;
        }
        table = table_va(p2m->ops->mfn(pte));
    }
}
