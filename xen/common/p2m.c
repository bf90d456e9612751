/*
 * p2m.c - the p2m core: a 4-level table from guest frames to machine
 * frames, each leaf 4K, 2M or 1G, with a type and access per leaf.
 *
 * This file owns the walk, table allocation, shattering, updates, lookups
 * and the leaf counters. Lazy global type changes are p2m-recalc.c, type
 * changes by range p2m-type.c, coalescing p2m-coalesce.c, the auditor
 * p2m-audit.c. The bits of an entry belong to the backend (p2m->ops: EPT
 * or NPT); the core only calls its primitives, so it runs unchanged in the
 * host unit tests (tools/tests/).
 *
 * Lock order: xen/lock-order.h. Every public function takes p2m->lock
 * itself; the helpers expect it held. p2m->flush_tlbs runs with it held.
 *
 * Entries the hardware may be walking change by single 64-bit stores. A
 * change that removes or narrows a translation is followed by
 * p2m->flush_tlbs; a change of page size (shatter, coalesce, a superpage
 * over a table) is break-before-make: clear, flush, then write, and old
 * tables are freed only after the flush.
 */
#include "p2m-private.h"

#include <xen/errno.h>

#define WALK_HOLE         1       /* walk_to() met nothing mapped: not an error */

void p2m_flush(struct p2m_domain *p2m)
{
    if ( p2m->flush_tlbs )
        p2m->flush_tlbs(p2m);
}

/* ---- counters ---- */

static void count_leaves(struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level,
                         uint64_t n, bool add)
{
    uint64_t delta = add ? n : -n;    /* unsigned wrap-around subtracts */

    if ( !p2m->ops->is_leaf(pte, level) )
        return;
    p2m->stats.entries_by_order[level - 1] += delta;
    p2m->stats.entries_by_type[p2m->ops->type(pte)] += delta;
}

static void note_mapped(struct p2m_domain *p2m, uint64_t gfn, unsigned int order)
{
    p2m->max_mapped_gfn = MAX(p2m->max_mapped_gfn, gfn + (1ULL << order) - 1);
}

/* ---- changing entries ---- */

/* What the guest could do through this leaf; 0 if it is not a mapping. */
static unsigned int granted(const struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;

    if ( !ops->is_leaf(pte, level) || !mfn_valid_raw(ops->mfn(pte)) )
        return 0;
    return p2m_type_rights(ops->type(pte)) & ops->access(pte);
}

/* Would a TLB that cached old let the guest do something new forbids?
 * Pure widening (a log-dirty page made writable) needs no flush: the
 * stale entry can only fault. The backends map mmio_direct uncached, so
 * moving in or out of it changes the memory type a TLB may hold. */
static bool narrows(const struct p2m_domain *p2m, p2m_pte_t old, p2m_pte_t new,
                    unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    unsigned int before = granted(p2m, old, level), after = granted(p2m, new, level);
    bool was_uc = ops->type(old) == p2m_mmio_direct, is_uc = ops->type(new) == p2m_mmio_direct;

    return before && ((before & ~after) || was_uc != is_uc ||
                      !mfn_eq(ops->mfn(old), ops->mfn(new)));
}

static void break_before_make(struct p2m_domain *p2m, p2m_pte_t *slot, p2m_pte_t new)
{
    write_pte(p2m, slot, 0);
    p2m_flush(p2m);
    write_pte(p2m, slot, new);
}

/* The leaf stops mapping its frames: drop the references it held. */
static void drop_leaf_refs(struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    mfn_t m;

    if ( !p2m->put_frame || !ops->is_leaf(pte, level) || !p2m_holds_ref(ops->type(pte)) )
        return;
    m = ops->mfn(pte);
    if ( !mfn_valid_raw(m) )
        return;
    for ( uint64_t i = 0; i < level_span(level); i++ )
        p2m->put_frame(mfn_plus(m, i));
}

/* Free everything below a table, forgetting the leaves and marks it held
 * (and dropping the leaves' references if drop_refs). */
static void free_below(struct p2m_domain *p2m, mfn_t table, unsigned int level, bool drop_refs)
{
    p2m_pte_t *t = table_va(table);
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
    {
        p2m_pte_t pte = read_pte(&t[i]);

        if ( is_table(p2m, pte, level) )
        {
            p2m_recalc_forget(p2m, pte);
            free_below(p2m, p2m->ops->mfn(pte), level - 1, drop_refs);
            p2m_table_free(p2m, p2m->ops->mfn(pte));
            p2m->stats.tables--;
            continue;
        }
        count_leaves(p2m, pte, level, 1, false);
        if ( drop_refs )
            drop_leaf_refs(p2m, pte, level);
    }
}

/*
 * Same page size: one atomic exchange, then a flush if the translation
 * narrowed. If the frame stays the same, accessed/dirty bits the hardware
 * set up to the exchange are carried into the new entry, so log-dirty's
 * A/D harvest and PML never lose a write to a retyped page.
 */
static void replace_leaf(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                         p2m_pte_t new)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t old = exchange_pte(p2m, slot, new);
    p2m_pte_t carried = old & ops->hw_managed_bits & ~new;

    if ( carried && ops->is_valid(new) && mfn_eq(ops->mfn(old), ops->mfn(new)) )
        __atomic_fetch_or(slot, carried, __ATOMIC_SEQ_CST);
    count_leaves(p2m, old, level, 1, false);
    count_leaves(p2m, new, level, 1, true);
    if ( narrows(p2m, old, new, level) )
        p2m_flush(p2m);
    drop_leaf_refs(p2m, old, level);      /* after the flush: no TLB holds it */
}

bool p2m_retype_leaf(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                     p2m_type_t t)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t old, new;

    /* Recompute from what is there until no hardware A/D update slipped
     * in between the read and the store. */
    do {
        old = read_pte(slot);
        new = (old & ops->hw_managed_bits) |
              ops->make_leaf(ops->mfn(old), level, t, ops->access(old));
    } while ( !cmpxchg_pte(p2m, slot, old, new) );
    count_leaves(p2m, old, level, 1, false);
    count_leaves(p2m, new, level, 1, true);
    return narrows(p2m, old, new, level);
}

void p2m_replace_subtree(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                         bool drop_refs, p2m_pte_t new)
{
    p2m_pte_t old = read_pte(slot);
    mfn_t old_table = p2m->ops->mfn(old);

    write_pte(p2m, slot, 0);
    p2m_flush(p2m);
    p2m_recalc_forget(p2m, old);
    free_below(p2m, old_table, level - 1, drop_refs);
    p2m_table_free(p2m, old_table);
    p2m->stats.tables--;
    write_pte(p2m, slot, new);
    count_leaves(p2m, new, level, 1, true);
}

static void install(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                    p2m_pte_t new)
{
    if ( is_table(p2m, read_pte(slot), level) )
        p2m_replace_subtree(p2m, slot, level, true, new);
    else
        replace_leaf(p2m, slot, level, new);
}

/* ---- walking down ---- */

static int add_table(struct p2m_domain *p2m, p2m_pte_t *slot)
{
    mfn_t table = p2m_table_alloc(p2m);

    if ( !mfn_valid_raw(table) )
        return -ENOMEM;
    memset(table_va(table), 0, PAGE_SIZE);
    write_pte(p2m, slot, p2m->ops->make_table(table));   /* was empty: no flush */
    p2m->stats.tables++;
    return 0;
}

/* Children saying what parent said, accessed/dirty included: a dirty
 * superpage makes 512 dirty children, so no dirty page is lost. */
static void fill_children(struct p2m_domain *p2m, p2m_pte_t *table,
                          p2m_pte_t parent, unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t hw = parent & ops->hw_managed_bits;
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
        write_pte(p2m, &table[i],
                  hw | ops->make_leaf(mfn_plus(ops->mfn(parent), i * level_span(level)),
                                      level, ops->type(parent), ops->access(parent)));
}

/* Split the superpage leaf in *slot into a table of 512 smaller leaves.
 * Leaves are never marked (p2m-recalc.c): the split copies a current type. */
int p2m_shatter(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level)
{
    p2m_pte_t old = read_pte(slot);
    mfn_t table = p2m_table_alloc(p2m);

    if ( !mfn_valid_raw(table) )
        return -ENOMEM;
    fill_children(p2m, table_va(table), old, level - 1);
    break_before_make(p2m, slot, p2m->ops->make_table(table));
    count_leaves(p2m, old, level, 1, false);
    count_leaves(p2m, table_va(table)[0], level - 1, ENTRIES_PER_TABLE, true);
    p2m->stats.tables++;
    p2m->stats.shatters++;
    return 0;
}

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
    return build ? add_table(p2m, slot) : WALK_HOLE;
}

/* The slot for gfn at level, making the path down to it. NULL with *rc
 * WALK_HOLE (nothing mapped and !build) or -ENOMEM. */
static p2m_pte_t *walk_to(struct p2m_domain *p2m, uint64_t gfn, unsigned int level,
                          bool build, int *rc)
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

    for ( level = P2M_LEVELS; ; level-- )
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
static unsigned int find_leaf(const struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *found,
                              uint64_t *stamp)
{
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int level;

    *stamp = p2m_recalc_now(p2m);
    for ( level = P2M_LEVELS; ; level-- )
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

/* ---- argument checks (nothing changes until they pass) ---- */

static bool frames_ok(mfn_t mfn, uint64_t nr, p2m_type_t t)
{
    if ( t == p2m_invalid )
        return true;                  /* a removal: the frame is ignored */
    if ( !mfn_valid_raw(mfn) )
        return p2m_type_rights(t) == p2m_access_n;
    return mfn_x(mfn) < P2M_MFN_LIMIT && nr <= P2M_MFN_LIMIT - mfn_x(mfn);
}

static int check_mapping(gfn_t gfn, mfn_t mfn, uint64_t nr, p2m_type_t t, p2m_access_t a)
{
    if ( (unsigned int)t >= p2m_type_count || (unsigned int)a > p2m_access_rwx )
        return -EINVAL;
    if ( gfn_x(gfn) >= P2M_GFN_LIMIT || nr > P2M_GFN_LIMIT - gfn_x(gfn) )
        return -EINVAL;
    return frames_ok(mfn, nr, t) ? 0 : -EINVAL;
}

static int check_entry(const struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
                       unsigned int order, p2m_type_t t, p2m_access_t a)
{
    uint64_t misalign;

    if ( !order_supported(p2m, order) )
        return -EINVAL;
    misalign = gfn_x(gfn) | (t != p2m_invalid && mfn_valid_raw(mfn) ? mfn_x(mfn) : 0);
    if ( misalign & ((1ULL << order) - 1) )
        return -EINVAL;
    return check_mapping(gfn, mfn, 1ULL << order, t, a);
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
    memset(p2m->type_owner, 0, sizeof(p2m->type_owner));
    p2m_recalc_init(p2m);
    p2m->flush_tlbs = NULL;
    p2m->flush_arg = NULL;
    p2m->put_frame = NULL;
    p2m->pool = NULL;
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

        if ( is_table(p2m, pte, P2M_LEVELS) )   /* the root holds no leaves */
            p2m_replace_subtree(p2m, &root[i], P2M_LEVELS, true, 0);
    }
    spin_unlock(&p2m->lock);
}

void p2m_teardown(struct p2m_domain *p2m)
{
    if ( !mfn_valid_raw(p2m->root) )
        return;
    spin_lock(&p2m->lock);
    free_below(p2m, p2m->root, P2M_LEVELS, true);
    free_pages(p2m->root, 0);
    p2m->root = INVALID_MFN;
    memset(&p2m->stats, 0, sizeof(p2m->stats));
    p2m_recalc_init(p2m);
    spin_unlock(&p2m->lock);
}

/* Is every entry of this table empty? */
static bool table_empty(const p2m_pte_t *t)
{
    for ( unsigned int i = 0; i < ENTRIES_PER_TABLE; i++ )
        if ( read_pte(&t[i]) )
            return false;
    return true;
}

/* After a removal at gfn: unhook the tables on its path that now map
 * nothing (lowest first; the root stays), flush once so no walk can still
 * reach them, then give them back to the pool. */
static void prune_empty(struct p2m_domain *p2m, uint64_t gfn, unsigned int level)
{
    p2m_pte_t *slots[P2M_LEVELS + 1];
    mfn_t unhooked[P2M_LEVELS];
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int l, n = 0;

    for ( l = P2M_LEVELS; l > level; l-- )
    {
        slots[l] = &table[slot_index(gfn, l)];
        if ( !is_table(p2m, read_pte(slots[l]), l) )
            return;
        table = table_va(p2m->ops->mfn(read_pte(slots[l])));
    }
    for ( l = level + 1; l <= P2M_LEVELS; l++ )
    {
        p2m_pte_t old = read_pte(slots[l]);

        if ( !table_empty(table_va(p2m->ops->mfn(old))) )
            break;
        write_pte(p2m, slots[l], 0);
        p2m_recalc_forget(p2m, old);
        unhooked[n++] = p2m->ops->mfn(old);
    }
    if ( !n )
        return;
    p2m_flush(p2m);
    while ( n-- )
    {
        p2m_table_free(p2m, unhooked[n]);
        p2m->stats.tables--;
    }
}

static int set_entry_locked(struct p2m_domain *p2m, uint64_t gfn, mfn_t mfn,
                            unsigned int order, p2m_type_t t, p2m_access_t a)
{
    unsigned int level = order_level(order);
    p2m_pte_t new = t == p2m_invalid ? 0 : p2m->ops->make_leaf(mfn, level, t, a);
    p2m_pte_t *slot;
    int rc;

    ASSERT(spin_is_locked(&p2m->lock));
    slot = walk_to(p2m, gfn, level, new != 0, &rc);
    if ( !slot )
        return rc == WALK_HOLE ? 0 : rc;   /* removing what was never there */
    install(p2m, slot, level, new);
    if ( new )
        note_mapped(p2m, gfn, order);
    else
        prune_empty(p2m, gfn, level);
    return 0;
}

int p2m_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, unsigned int order,
                  p2m_type_t t, p2m_access_t a)
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

int p2m_set_range(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, uint64_t nr,
                  p2m_type_t t, p2m_access_t a)
{
    uint64_t g = gfn_x(gfn);
    int rc = check_mapping(gfn, mfn, nr, t, a);

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

mfn_t p2m_lookup_get(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
                     bool (*get)(mfn_t m, void *arg), void *arg)
{
    p2m_pte_t pte = 0;
    unsigned int level = 1;
    uint64_t stamp = 0;
    mfn_t m = INVALID_MFN;

    *t = p2m_invalid;
    spin_lock(&p2m->lock);
    if ( gfn_x(gfn) < P2M_GFN_LIMIT )
        level = find_leaf(p2m, gfn_x(gfn), &pte, &stamp);
    if ( p2m->ops->is_leaf(pte, level) )
    {
        *t = p2m_recalc_type(p2m, stamp, p2m->ops->type(pte));
        m = mfn_plus(p2m->ops->mfn(pte), gfn_x(gfn) & (level_span(level) - 1));
        if ( mfn_valid_raw(m) && !get(m, arg) )
            m = INVALID_MFN;
    }
    spin_unlock(&p2m->lock);
    return m;
}

mfn_t p2m_lookup(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
                 p2m_access_t *a, unsigned int *order)
{
    p2m_pte_t pte = 0;
    unsigned int level = 1;
    uint64_t stamp = 0;
    p2m_type_t type = p2m_invalid;
    bool leaf;

    spin_lock(&p2m->lock);
    if ( gfn_x(gfn) < P2M_GFN_LIMIT )
        level = find_leaf(p2m, gfn_x(gfn), &pte, &stamp);
    leaf = p2m->ops->is_leaf(pte, level);
    if ( leaf )
        type = p2m_recalc_type(p2m, stamp, p2m->ops->type(pte));
    spin_unlock(&p2m->lock);

    if ( t )
        *t = type;
    if ( a )
        *a = leaf ? p2m->ops->access(pte) : p2m_access_n;
    if ( order )
        *order = MIN(level_order(level), (unsigned int)P2M_ORDER_1G);
    return leaf ? mfn_plus(p2m->ops->mfn(pte), gfn_x(gfn) & (level_span(level) - 1))
                : INVALID_MFN;
}
