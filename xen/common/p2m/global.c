/*
 * p2m/global.c - lazy global type changes that compose
 * (docs/designs/p2m-types.md): beginning one (the root's entries marked),
 * finishing what is pending in bounded sweeps, resolving a fault's path,
 * the eager reference mode, and the type owners.
 *
 * A global change old -> new is logged with a sequence number k and the
 * root's entries are marked with the stamp k - 1: "below here, apply every
 * change logged after the stamp". recalc.c pushes marks down; whatever is
 * written in between is stamped "now" (its path is resolved first), so
 * older changes never touch it. The result is what applying every change
 * to the whole table at the moment it began would have given.
 *
 * Invariants (checked by audit.c): only table entries are marked; a
 * mark's stamp lies in [tail, seq - 1] and is never newer than a marked
 * ancestor's; marks[] counts the marks by stamp.
 *
 * May call: walk.c, recalc.c, table.c, marks.c. The public functions take
 * p2m->lock; the others expect it held.
 */
#include "private.h"

#include <xen/errno.h>

#define BUDGET_ALL (~0U)

/* ---- finishing in bounded batches ---- */

struct sweep
{
    struct p2m_domain *p2m;
    unsigned int budget; /* tables' worth of work left */
};

static bool sweep_from(struct sweep *sw, p2m_pte_t *table, unsigned int level, uint64_t base,
                       unsigned int first);

/* One entry: push its mark and sweep the table below, for one unit. An
 * unmarked entry over a table of leaves holds nothing to do: free. */
static bool sweep_entry(struct sweep *sw, p2m_pte_t *slot, unsigned int level, uint64_t gfn)
{
    struct p2m_domain *p2m = sw->p2m;
    p2m_pte_t pte = read_pte(slot);
    bool marked = p2m->ops->needs_recalc(pte);

    if ( !is_table(p2m, pte, level) || (level == 2 && !marked) )
        return true;
    if ( !sw->budget )
    {
        p2m->recalc.cursor = gfn;
        p2m->recalc.cursor_level = level;
        return false;
    }
    sw->budget--;
    if ( marked )
        p2m_recalc_push(p2m, slot, level);
    return level == 2 || sweep_from(sw, table_va(p2m->ops->mfn(read_pte(slot))), level - 1, gfn, 0);
}

static bool sweep_from(struct sweep *sw, p2m_pte_t *table, unsigned int level, uint64_t base,
                       unsigned int first)
{
    unsigned int i;

    for ( i = first; i < ENTRIES_PER_TABLE && sw->p2m->stats.recalc_pending; i++ )
        if ( !sweep_entry(sw, &table[i], level, base + i * level_span(level)) )
            return false;
    return true;
}

/* Walk back down to the entry the last call stopped at (the entries above
 * it were handled then, and only a new begin, which resets the cursor,
 * can mark anything before it), and go on from there. */
static bool resume(struct sweep *sw, p2m_pte_t *table, unsigned int level, uint64_t base)
{
    struct p2m_domain *p2m = sw->p2m;
    unsigned int i = slot_index(p2m->recalc.cursor, level);
    p2m_pte_t *slot = &table[i];

    if ( level == p2m->recalc.cursor_level )
        return sweep_from(sw, table, level, base, i);
    if ( p2m->ops->needs_recalc(read_pte(slot)) )
        p2m_recalc_push(p2m, slot, level);
    if ( is_table(p2m, read_pte(slot), level) &&
         !resume(sw, table_va(p2m->ops->mfn(read_pte(slot))), level - 1,
                 base + i * level_span(level)) )
        return false;
    return sweep_from(sw, table, level, base, i + 1);
}

static int finish_locked(struct p2m_domain *p2m, unsigned int budget)
{
    struct sweep sw = { .p2m = p2m, .budget = budget ? budget : 1 };

    if ( p2m->stats.recalc_pending && !resume(&sw, table_va(p2m->root), P2M_LEVELS, 0) )
        return -ERESTART;
    p2m->recalc.cursor = 0;
    p2m->recalc.cursor_level = P2M_LEVELS;
    /* Only a begin marks, and it resets the cursor: a pass that ends has
     * found every mark. Were one missed, the next pass starts at 0. */
    ASSERT(!p2m->stats.recalc_pending);
    return p2m->stats.recalc_pending ? -ERESTART : 0;
}

/* Everything, now: a whole pass from the cursor, and (only if a mark hid
 * before it) one from gfn 0, which cannot miss. */
static void finish_all(struct p2m_domain *p2m)
{
    if ( finish_locked(p2m, BUDGET_ALL) )
        finish_locked(p2m, BUDGET_ALL);
}

static void finish_all_cb(struct p2m_domain *t, void *arg)
{
    finish_all(t);
}

/* Every table sharing the log, p2m's lock held (the others' are taken). */
static void finish_every_table(struct p2m_domain *p2m)
{
    finish_all(p2m);
    p2m_for_each_other_table(p2m, finish_all_cb, NULL);
}

struct finish_arg
{
    unsigned int budget;
    int rc;
};

static void finish_cb(struct p2m_domain *t, void *arg)
{
    struct finish_arg *f = arg;

    if ( finish_locked(t, f->budget) )
        f->rc = -ERESTART;
}

/* ---- beginning a change ---- */

/* Could any entry have type t now? Stored as t, or made t by a change
 * still pending. */
static bool type_may_exist(const struct p2m_domain *p2m, p2m_type_t t)
{
    uint64_t k;

    for ( k = 0; k < P2M_MAX_TABLES; k++ )
        if ( p2m->changes->tables[k] && p2m->changes->tables[k]->stats.entries_by_type[t] )
            return true;
    if ( p2m->stats.entries_by_type[t] )
        return true;
    for ( k = p2m->changes->tail + 1; k <= p2m->changes->seq; k++ )
        if ( p2m->changes->log[k & LOG_MASK].new == t )
            return true;
    return false;
}

static unsigned int mark_root(struct p2m_domain *p2m, uint64_t stamp)
{
    p2m_pte_t *root = table_va(p2m->root);
    unsigned int i, n = 0;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
        if ( is_table(p2m, read_pte(&root[i]), P2M_LEVELS) &&
             !p2m->ops->needs_recalc(read_pte(&root[i])) )
        {
            p2m_recalc_mark(p2m, &root[i], stamp);
            n++;
        }
    return n;
}

/* Mark one table's root for the change just logged. Marked root entries
 * keep their older stamp: it covers this change. */
static void mark_table(struct p2m_domain *t, void *arg)
{
    t->recalc.cursor = 0;
    t->recalc.cursor_level = P2M_LEVELS;
    if ( mark_root(t, t->changes->seq - 1) )
        p2m_flush(t);
}

/* The change goes into the log every table of the domain shares, and
 * marks every table's root (the views' too, rule 1): nothing per view to
 * remember, and each table resolves it lazily as the host does. */
static void log_change(struct p2m_domain *p2m, p2m_type_t old, p2m_type_t new)
{
    if ( p2m->changes->seq + 1 - p2m->changes->tail > P2M_CHANGE_LOG )
    {
        finish_every_table(p2m); /* resync: correct, not fast */
        p2m->stats.resyncs++;
    }
    p2m->changes->seq++;
    p2m->changes->log[p2m->changes->seq & LOG_MASK] = (struct p2m_global_change){ old, new };
    mark_table(p2m, NULL);
    p2m_for_each_other_table(p2m, mark_table, NULL);
    p2m_recalc_advance_tail(p2m);
}

/* The reference: every leaf of type old, now, in one sweep. */
static bool retype_table(struct p2m_domain *p2m, p2m_pte_t *table, unsigned int level,
                         p2m_type_t old, p2m_type_t new)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    bool narrowed = false;
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
    {
        p2m_pte_t pte = read_pte(&table[i]);

        if ( is_table(p2m, pte, level) )
            narrowed |= retype_table(p2m, table_va(ops->mfn(pte)), level - 1, old, new);
        else if ( ops->is_leaf(pte, level) && ops->type(pte) == old )
            narrowed |= p2m_retype_leaf(p2m, &table[i], level, new);
    }
    return narrowed;
}

static void retype_cb(struct p2m_domain *t, void *arg)
{
    const struct p2m_global_change *c = arg;

    if ( retype_table(t, table_va(t->root), P2M_LEVELS, c->old, c->new) )
        p2m_flush(t);
}

static void begin_locked(struct p2m_domain *p2m, p2m_type_t old, p2m_type_t new)
{
    struct p2m_global_change c = { old, new };

    if ( !type_may_exist(p2m, old) )
    {
        p2m->stats.global_noops++;
        return;
    }
    p2m->stats.global_changes++;
    if ( !p2m->changes->eager )
    {
        log_change(p2m, old, new);
        return;
    }
    retype_cb(p2m, &c);
    p2m_for_each_other_table(p2m, retype_cb, &c);
}

/* ---- public operations ---- */

int p2m_begin_global_change(struct p2m_domain *p2m, p2m_type_t old, p2m_type_t new)
{
    int rc = p2m_check_type_change(old, new);

    if ( rc )
        return rc;
    spin_lock(&p2m->lock);
    begin_locked(p2m, old, new);
    spin_unlock(&p2m->lock);
    return 0;
}

int p2m_finish_pending(struct p2m_domain *p2m, unsigned int budget)
{
    struct finish_arg f = { budget, 0 };

    spin_lock(&p2m->lock);
    finish_cb(p2m, &f);
    p2m_for_each_other_table(p2m, finish_cb, &f);
    spin_unlock(&p2m->lock);
    return f.rc;
}

int p2m_resolve_fault(struct p2m_domain *p2m, gfn_t gfn)
{
    uint64_t before;
    p2m_pte_t *slot;
    bool fixed;

    if ( gfn_x(gfn) >= P2M_GFN_LIMIT )
        return 0;
    spin_lock(&p2m->lock);
    before = p2m->stats.recalc_resolved;
    p2m_walk_resolving(p2m, gfn_x(gfn), &slot);
    fixed = p2m->stats.recalc_resolved != before;
    spin_unlock(&p2m->lock);
    return fixed;
}

void p2m_set_eager(struct p2m_domain *p2m, bool eager)
{
    spin_lock(&p2m->lock);
    finish_every_table(p2m);
    p2m->changes->eager = eager;
    spin_unlock(&p2m->lock);
}

int p2m_claim_type(struct p2m_domain *p2m, p2m_type_t t, uint16_t owner)
{
    int rc = 0;

    if ( (unsigned int)t >= p2m_type_count || t == p2m_invalid || !owner )
        return -EINVAL;
    spin_lock(&p2m->lock);
    if ( p2m->changes->type_owner[t] && p2m->changes->type_owner[t] != owner )
        rc = -EBUSY;
    else
        p2m->changes->type_owner[t] = owner;
    spin_unlock(&p2m->lock);
    return rc;
}

int p2m_claim_type_unused(struct p2m_domain *p2m, p2m_type_t t, uint16_t owner, uint64_t *left)
{
    uint16_t now;
    int rc = 0;

    *left = 0;
    if ( (unsigned int)t >= p2m_type_count || t == p2m_invalid || !owner )
        return -EINVAL;
    spin_lock(&p2m->lock);
    now = p2m->changes->type_owner[t];
    if ( now && now != owner )
        rc = -EBUSY;
    else if ( !now && p2m->stats.frames_by_type[t] )
    {
        *left = p2m->stats.frames_by_type[t];
        rc = -EBUSY;
    }
    else
        p2m->changes->type_owner[t] = owner;
    spin_unlock(&p2m->lock);
    return rc;
}

uint16_t p2m_type_owner(struct p2m_domain *p2m, p2m_type_t t)
{
    return (unsigned int)t < p2m_type_count ? ACCESS_ONCE(p2m->changes->type_owner[t]) : 0;
}

int p2m_release_type(struct p2m_domain *p2m, p2m_type_t t, uint16_t owner, p2m_type_t to)
{
    int rc = p2m_check_type_change(t, to);

    if ( rc )
        return rc;
    spin_lock(&p2m->lock);
    if ( !owner || p2m->changes->type_owner[t] != owner )
        rc = -EPERM;
    else
    {
        p2m->changes->type_owner[t] = 0;
        begin_locked(p2m, t, to);
    }
    spin_unlock(&p2m->lock);
    return rc;
}
