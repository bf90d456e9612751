/*
 * p2m/marks.c - the bookkeeping of lazy-change marks (layer 1, beside the
 * table primitives): the change log's stamps, which type a logged change
 * gives, and the count of marks by stamp that moves the log's tail.
 *
 * Knows nothing of entries; table.c calls p2m_recalc_forget when it drops
 * a marked entry, recalc.c and global.c mark entries. Every function
 * expects p2m->lock held.
 */
#include "private.h"

#include <xen/errno.h>

void p2m_recalc_init(struct p2m_domain *p2m)
{
    memset(&p2m->recalc, 0, sizeof(p2m->recalc));
    p2m->recalc.cursor_level = P2M_LEVELS;
}

/* ---- stamps and the log ---- */

uint64_t p2m_recalc_stamp(const struct p2m_domain *p2m, p2m_pte_t pte)
{
    uint64_t last = p2m->changes->seq - 1; /* the newest stamp a mark can have */

    return last - ((last - p2m->ops->recalc_stamp(pte)) & LOG_MASK);
}

p2m_type_t p2m_recalc_type(const struct p2m_domain *p2m, uint64_t stamp, p2m_type_t t)
{
    uint64_t k;

    for ( k = stamp + 1; k <= p2m->changes->seq; k++ )
        if ( t == p2m->changes->log[k & LOG_MASK].old )
            t = p2m->changes->log[k & LOG_MASK].new;
    return t;
}

/* Changes at or below the oldest stamp still marked are applied
 * everywhere: forget them. */
/* Does any table sharing the log carry a mark with this stamp? Read
 * under the host's lock, which every table's marks change under. */
static bool stamp_in_use(const struct p2m_changes *c, uint64_t stamp)
{
    for ( unsigned int i = 0; i < P2M_MAX_TABLES; i++ )
        if ( c->tables[i] && c->tables[i]->recalc.marks[stamp & LOG_MASK] )
            return true;
    return false;
}

void p2m_recalc_advance_tail(struct p2m_domain *p2m)
{
    struct p2m_changes *c = p2m->changes;

    while ( c->tail < c->seq && !stamp_in_use(c, c->tail) )
        c->tail++;
}

void p2m_for_each_other_table(struct p2m_domain *p2m, void (*fn)(struct p2m_domain *t, void *arg),
                              void *arg)
{
    for ( unsigned int i = 0; i < P2M_MAX_TABLES; i++ )
    {
        struct p2m_domain *t = p2m->changes->tables[i];

        if ( !t || t == p2m )
            continue;
        spin_lock(&t->lock);
        fn(t, arg);
        spin_unlock(&t->lock);
    }
}

void p2m_recalc_count_mark(struct p2m_domain *p2m, uint64_t stamp, bool add)
{
    uint64_t *n = &p2m->recalc.marks[stamp & LOG_MASK];

    if ( add )
    {
        (*n)++;
        p2m->stats.recalc_pending++;
        return;
    }
    ASSERT(*n && p2m->stats.recalc_pending);
    (*n)--;
    p2m->stats.recalc_pending--;
    p2m_recalc_advance_tail(p2m);
}

void p2m_recalc_forget(struct p2m_domain *p2m, p2m_pte_t pte)
{
    if ( p2m->ops->needs_recalc(pte) )
        p2m_recalc_count_mark(p2m, p2m_recalc_stamp(p2m, pte), false);
}

void p2m_recalc_mark(struct p2m_domain *p2m, p2m_pte_t *slot, uint64_t stamp)
{
    write_pte(p2m, slot, p2m->ops->mark_recalc(read_pte(slot), stamp & LOG_MASK));
    p2m_recalc_count_mark(p2m, stamp, true);
}
