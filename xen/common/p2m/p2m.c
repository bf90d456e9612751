/*
 * p2m/p2m.c - the p2m core's public face: a 4-level table from guest
 * frames to machine frames, each leaf 4K, 2M or 1G, with a type and
 * access per leaf. Creating and emptying a table, mapping and removing
 * ranges, looking up one gfn (the layers below: walk.c, recalc.c,
 * table.c, marks.c, pool.c; beside this one: global.c, type.c,
 * coalesce.c, dirty.c, audit.c).
 *
 * Arguments are checked before anything changes. The bits of an entry
 * belong to the backend (p2m->ops: EPT or NPT); the core only calls its
 * primitives, so it runs unchanged in the host unit tests.
 *
 * Lock order: xen/include/xen/lock-order.h. Every function here takes
 * p2m->lock itself; p2m->flush_tlbs runs with it held.
 */
#include "private.h"

#include <xen/errno.h>

/* ---- argument checks (nothing changes until they pass) ---- */

/* The frames the backend's entries can hold (P2M_MFN_LIMIT, or fewer). */
static uint64_t mfn_limit(const struct p2m_domain *p2m)
{
    uint64_t own = p2m->ops->mfn_limit;

    return own && own < P2M_MFN_LIMIT ? own : P2M_MFN_LIMIT;
}

static bool frames_ok(const struct p2m_domain *p2m, mfn_t mfn, uint64_t nr, p2m_type_t t)
{
    uint64_t limit = mfn_limit(p2m);

    if ( t == p2m_invalid )
        return true; /* a removal: the frame is ignored */
    if ( !mfn_valid_raw(mfn) )
        return p2m_type_rights(t) == p2m_access_n;
    return mfn_x(mfn) < limit && nr <= limit - mfn_x(mfn);
}

static int check_mapping(const struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, uint64_t nr,
                         p2m_type_t t, p2m_access_t a)
{
    if ( (unsigned int)t >= p2m_type_count || (unsigned int)a > p2m_access_rwx )
        return -EINVAL;
    if ( gfn_x(gfn) >= P2M_GFN_LIMIT || nr > P2M_GFN_LIMIT - gfn_x(gfn) )
        return -EINVAL;
    return frames_ok(p2m, mfn, nr, t) ? 0 : -EINVAL;
}

static int check_entry(const struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, unsigned int order,
                       p2m_type_t t, p2m_access_t a)
{
    uint64_t misalign;

    if ( !order_supported(p2m, order) )
        return -EINVAL;
    misalign = gfn_x(gfn) | (t != p2m_invalid && mfn_valid_raw(mfn) ? mfn_x(mfn) : 0);
    if ( misalign & ((1ULL << order) - 1) )
        return -EINVAL;
    return check_mapping(p2m, gfn, mfn, 1ULL << order, t, a);
}

/* ---- public operations ---- */

int p2m_init(struct p2m_domain *p2m, const struct p2m_pte_ops *ops)
{
    mfn_t root = alloc_zeroed_pages(0);

    if ( !mfn_valid_raw(root) )
        return -ENOMEM;
    spin_lock_init(&p2m->lock, LOCK_p2m);
    p2m->ops = ops;
    p2m->root = root;
    p2m->max_mapped_gfn = 0;
    memset(&p2m->stats, 0, sizeof(p2m->stats));
    p2m_changes_init(&p2m->own_changes);
    p2m->view = 0;
    p2m->owner = NULL;
    p2m->own_changes.tables[0] = p2m;
    p2m->changes = &p2m->own_changes;
    p2m_recalc_init(p2m);
    p2m->flush_tlbs = NULL;
    p2m->flush_arg = NULL;
    p2m->put_frame = NULL;
    p2m->ram_gone = NULL;
    p2m->leaf_changed = NULL;
    p2m->pool = NULL;
    return 0;
}

void p2m_changes_init(struct p2m_changes *c)
{
    memset(c, 0, sizeof(*c));
}

/* A table leaves the log it shared (its own stays its own). */
static void leave_changes(struct p2m_domain *p2m)
{
    if ( p2m->changes->tables[p2m->view] == p2m )
        p2m->changes->tables[p2m->view] = NULL;
}

void p2m_use_changes(struct p2m_domain *p2m, struct p2m_changes *c)
{
    /* An empty table carries no mark, so it may join a log at any time. */
    ASSERT(!p2m->max_mapped_gfn && !p2m->stats.recalc_pending);
    ASSERT(p2m->view < P2M_MAX_TABLES && !c->tables[p2m->view]);
    leave_changes(p2m);
    p2m->changes = c;
    c->tables[p2m->view] = p2m;
}

int p2m_view_init(struct p2m_domain *view, struct p2m_domain *host, uint16_t index)
{
    int rc;

    if ( !index || index >= P2M_MAX_TABLES || host->changes->tables[index] )
        return -EINVAL;
    rc = p2m_init(view, host->ops);
    if ( rc )
        return rc;
    spin_lock_init(&view->lock, LOCK_p2m_view);
    view->pool = host->pool;
    view->flush_tlbs = host->flush_tlbs;
    view->flush_arg = host->flush_arg;
    view->put_frame = host->put_frame;
    view->owner = host->owner;
    view->view = index;
    p2m_use_changes(view, host->changes);
    return 0;
}

void p2m_empty(struct p2m_domain *p2m)
{
    p2m_pte_t *root;

    if ( !mfn_valid_raw(p2m->root) )
        return;
    spin_lock(&p2m->lock);
    root = table_va(p2m->root);
    for ( unsigned int i = 0; i < ENTRIES_PER_TABLE; i++ )
    {
        p2m_pte_t pte = read_pte(&root[i]);

        if ( is_table(p2m, pte, P2M_LEVELS) ) /* the root holds no leaves */
            p2m_replace_subtree(p2m, &root[i], P2M_LEVELS, (uint64_t)i << level_order(P2M_LEVELS),
                                true, 0);
    }
    spin_unlock(&p2m->lock);
}

void p2m_teardown(struct p2m_domain *p2m)
{
    if ( !mfn_valid_raw(p2m->root) )
        return;
    spin_lock(&p2m->lock);
    p2m_free_below(p2m, p2m->root, P2M_LEVELS, 0, true);
    free_pages(p2m->root, 0);
    p2m->root = INVALID_MFN;
    memset(&p2m->stats, 0, sizeof(p2m->stats));
    p2m_recalc_init(p2m);
    leave_changes(p2m);
    spin_unlock(&p2m->lock);
}

static int set_entry_locked(struct p2m_domain *p2m, uint64_t gfn, mfn_t mfn, unsigned int order,
                            p2m_type_t t, p2m_access_t a)
{
    unsigned int level = order_level(order);
    p2m_pte_t new = t == p2m_invalid ? 0 : p2m->ops->make_leaf(mfn, level, t, a);
    p2m_pte_t *slot;
    int rc;

    ASSERT(spin_is_locked(&p2m->lock));
    slot = p2m_walk_to(p2m, gfn, level, new != 0, &rc);
    if ( !slot )
        return rc == WALK_HOLE ? 0 : rc; /* removing what was never there */
    p2m_install(p2m, gfn, slot, level, new);
    if ( new )
        p2m_note_mapped(p2m, gfn, order);
    else
        p2m_prune_empty(p2m, gfn, level);
    return 0;
}

int p2m_set_entry_locked(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, unsigned int order,
                         p2m_type_t t, p2m_access_t a)
{
    int rc = check_entry(p2m, gfn, mfn, order, t, a);

    return rc ? rc : set_entry_locked(p2m, gfn_x(gfn), mfn, order, t, a);
}

int p2m_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, unsigned int order, p2m_type_t t,
                  p2m_access_t a)
{
    int rc = check_entry(p2m, gfn, mfn, order, t, a);

    if ( rc )
        return rc;
    spin_lock(&p2m->lock);
    rc = set_entry_locked(p2m, gfn_x(gfn), mfn, order, t, a);
    spin_unlock(&p2m->lock);
    return rc;
}

/* The largest piece that may start at gfn (and mfn) with left frames to go. */
static unsigned int piece_order(const struct p2m_domain *p2m, uint64_t gfn, mfn_t mfn,
                                uint64_t left)
{
    static const unsigned int big[] = { P2M_ORDER_1G, P2M_ORDER_2M };
    uint64_t bits = gfn | (mfn_valid_raw(mfn) ? mfn_x(mfn) : 0);
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(big); i++ )
        if ( order_supported(p2m, big[i]) && !(bits & ((1ULL << big[i]) - 1)) &&
             left >= (1ULL << big[i]) )
            return big[i];
    return P2M_ORDER_4K;
}

int p2m_set_range(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, uint64_t nr, p2m_type_t t,
                  p2m_access_t a)
{
    uint64_t g = gfn_x(gfn);
    int rc = check_mapping(p2m, gfn, mfn, nr, t, a);

    if ( rc )
        return rc;
    if ( t == p2m_invalid )
        mfn = INVALID_MFN;
    spin_lock(&p2m->lock);
    while ( nr && !rc )
    {
        unsigned int order = piece_order(p2m, g, mfn, nr);

        rc = set_entry_locked(p2m, g, mfn, order, t, a);
        g += 1ULL << order;
        mfn = mfn_plus(mfn, 1ULL << order);
        nr -= 1ULL << order;
    }
    spin_unlock(&p2m->lock);
    return rc;
}

/* What gfn maps now: its frame (INVALID_MFN for none), its type with
 * every begun change applied, and the leaf (or empty entry) and level
 * the walk ended at. p2m->lock held; writes nothing. */
static mfn_t lookup_locked(const struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t, p2m_pte_t *pte,
                           unsigned int *level)
{
    uint64_t stamp = 0;

    *pte = 0;
    *level = 1;
    *t = p2m_invalid;
    if ( gfn_x(gfn) < P2M_GFN_LIMIT )
        *level = p2m_find_leaf(p2m, gfn_x(gfn), pte, &stamp);
    if ( !p2m->ops->is_leaf(*pte, *level) )
        return INVALID_MFN;
    *t = p2m_recalc_type(p2m, stamp, p2m->ops->type(*pte));
    return mfn_plus(p2m->ops->mfn(*pte), gfn_x(gfn) & (level_span(*level) - 1));
}

mfn_t p2m_lookup_get(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
                     bool (*get)(mfn_t m, void *arg), void *arg)
{
    p2m_pte_t pte;
    unsigned int level;
    mfn_t m;

    spin_lock(&p2m->lock);
    m = lookup_locked(p2m, gfn, t, &pte, &level);
    if ( mfn_valid_raw(m) && !get(m, arg) )
        m = INVALID_MFN;
    spin_unlock(&p2m->lock);
    return m;
}

mfn_t p2m_lookup_locked(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t, p2m_access_t *a,
                        unsigned int *order)
{
    p2m_pte_t pte;
    unsigned int level;
    p2m_type_t type;
    mfn_t m;

    ASSERT(spin_is_locked(&p2m->lock));
    m = lookup_locked(p2m, gfn, &type, &pte, &level);
    if ( t )
        *t = type;
    if ( a )
        *a = p2m->ops->is_leaf(pte, level) ? p2m->ops->access(pte) : p2m_access_n;
    if ( order )
        *order = MIN(level_order(level), (unsigned int)P2M_ORDER_1G);
    return m;
}

mfn_t p2m_lookup(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t, p2m_access_t *a,
                 unsigned int *order)
{
    mfn_t m;

    spin_lock(&p2m->lock);
    m = p2m_lookup_locked(p2m, gfn, t, a, order);
    spin_unlock(&p2m->lock);
    return m;
}

bool p2m_range_types_in(struct p2m_domain *p2m, uint64_t gfn, uint64_t nr, uint32_t mask)
{
    uint64_t g = gfn, end = gfn + nr;

    while ( g < end )
    {
        unsigned int order;
        p2m_type_t t;

        p2m_lookup(p2m, _gfn(g), &t, NULL, &order);
        if ( !(mask & P2M_TYPE_BIT(t)) )
            return false;
        g = (g | ((1ULL << order) - 1)) + 1; /* end of this leaf or hole */
    }
    return true;
}
