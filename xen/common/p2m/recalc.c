/*
 * p2m/recalc.c - pushing a lazy change's mark down the table, one level at
 * a time, until each leaf below has the type the logged changes give it
 * (docs/designs/p2m-types.md).
 *
 * May call: marks.c and table.c. Every function expects p2m->lock held.
 */
#include "private.h"

#include <xen/errno.h>

/* ---- pushing a mark down ---- */

/* The leaf gets the type the changes after stamp give it. No flush: no
 * walk has reached it since the flush that followed its mark. */
static void recalc_leaf(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level, uint64_t stamp)
{
    p2m_type_t stored = p2m->ops->type(read_pte(slot));
    p2m_type_t t = p2m_recalc_type(p2m, stamp, stored);

    p2m->stats.leaves_recalculated++;
    if ( t != stored )
        p2m_retype_leaf(p2m, slot, level, t);
}

/* One child of a mark being pushed: a leaf is resolved on the spot (the
 * same 512 writes as marking it, without 511 faults to follow), a table is
 * marked unless it already carries an older mark, which covers this one. */
static void push_child(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level, uint64_t stamp)
{
    p2m_pte_t pte = read_pte(slot);

    if ( !p2m->ops->is_valid(pte) )
        return;
    if ( p2m->ops->is_leaf(pte, level) )
        recalc_leaf(p2m, slot, level, stamp);
    else if ( !p2m->ops->needs_recalc(pte) )
        p2m_recalc_mark(p2m, slot, stamp);
    else
        ASSERT(p2m_recalc_stamp(p2m, pte) <= stamp);
}

void p2m_recalc_push(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level)
{
    p2m_pte_t pte = read_pte(slot);
    uint64_t stamp = p2m_recalc_stamp(p2m, pte);
    p2m_pte_t *children = table_va(p2m->ops->mfn(pte));
    unsigned int i;

    ASSERT(p2m->ops->needs_recalc(pte) && is_table(p2m, pte, level));
    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
        push_child(p2m, &children[i], level - 1, stamp);
    /* Children first: until this store the walk still stops here. */
    write_pte(p2m, slot, p2m->ops->clear_recalc(pte));
    p2m->stats.recalc_resolved++;
    p2m_recalc_count_mark(p2m, stamp, false);
}

void p2m_recalc_subtree(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level)
{
    p2m_pte_t *children;
    unsigned int i;

    if ( !is_table(p2m, read_pte(slot), level) )
        return;
    if ( p2m->ops->needs_recalc(read_pte(slot)) )
        p2m_recalc_push(p2m, slot, level);
    if ( level - 1 == 1 )
        return; /* leaves below: never marked */
    children = table_va(p2m->ops->mfn(read_pte(slot)));
    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
        p2m_recalc_subtree(p2m, &children[i], level - 1);
}
