/*
 * p2m.c - the p2m core: a 4-level table from guest frames to machine
 * frames, each leaf 4K, 2M or 1G, with a type and access per leaf.
 *
 * This file owns the walk, table allocation, shattering and coalescing of
 * superpages, the counters and the auditor. The bits of an entry belong to
 * the backend (p2m->ops: EPT or NPT); this file only calls its primitives,
 * so it runs unchanged in the host unit tests (tools/tests/).
 *
 * Lock order: domain locks -> p2m->lock -> page allocator / heap locks.
 * Every public function takes p2m->lock itself; the static helpers below
 * expect it held.
 *
 * Entries the hardware may be walking change by single 64-bit stores. A
 * change that removes or narrows a translation is followed by
 * p2m->flush_tlbs; a change of page size (shatter, coalesce, a superpage
 * over a table) is break-before-make: clear, flush, then write, and old
 * tables are freed only after the flush.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/lib.h>
#include <xen/errno.h>

#define LEVEL_BITS        9
#define ENTRIES_PER_TABLE (1U << LEVEL_BITS)
#define WALK_HOLE         1       /* walk_to() met nothing mapped: not an error */

static unsigned int level_order(unsigned int level) { return (level - 1) * LEVEL_BITS; }
static unsigned int order_level(unsigned int order) { return order / LEVEL_BITS + 1; }
static uint64_t level_span(unsigned int level) { return 1ULL << level_order(level); }

static unsigned int slot_index(uint64_t gfn, unsigned int level)
{
    return (gfn >> level_order(level)) & (ENTRIES_PER_TABLE - 1);
}

static p2m_pte_t *table_va(mfn_t table) { return mfn_to_virt(table); }

static p2m_pte_t read_pte(const p2m_pte_t *slot)
{
    return *(const volatile p2m_pte_t *)slot;
}

/* One 64-bit store: a hardware walker never sees half an entry. */
static void write_pte(p2m_pte_t *slot, p2m_pte_t pte)
{
    *(volatile p2m_pte_t *)slot = pte;
}

static bool is_table(const struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level)
{
    return level > 1 && p2m->ops->is_valid(pte) && !p2m->ops->is_leaf(pte, level);
}

static mfn_t mfn_plus(mfn_t mfn, uint64_t n)
{
    return mfn_valid_raw(mfn) ? _mfn(mfn_x(mfn) + n) : INVALID_MFN;
}

static void flush(struct p2m_domain *p2m)
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
    write_pte(slot, 0);
    flush(p2m);
    write_pte(slot, new);
}

/* Free everything below a table, forgetting the leaves it held. */
static void free_below(struct p2m_domain *p2m, mfn_t table, unsigned int level)
{
    p2m_pte_t *t = table_va(table);
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
    {
        p2m_pte_t pte = read_pte(&t[i]);

        if ( is_table(p2m, pte, level) )
        {
            free_below(p2m, p2m->ops->mfn(pte), level - 1);
            free_pages(p2m->ops->mfn(pte), 0);
            p2m->stats.tables--;
        }
        else
            count_leaves(p2m, pte, level, 1, false);
    }
}

/* Same page size: one store, then a flush if the translation narrowed. */
static void replace_leaf(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                         p2m_pte_t new)
{
    p2m_pte_t old = read_pte(slot);

    write_pte(slot, new);
    count_leaves(p2m, old, level, 1, false);
    count_leaves(p2m, new, level, 1, true);
    if ( narrows(p2m, old, new, level) )
        flush(p2m);
}

/* A leaf (or nothing) where a table was: unhook, flush, free, then write. */
static void replace_subtree(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                            p2m_pte_t new)
{
    mfn_t old_table = p2m->ops->mfn(read_pte(slot));

    write_pte(slot, 0);
    flush(p2m);
    free_below(p2m, old_table, level - 1);
    free_pages(old_table, 0);
    p2m->stats.tables--;
    write_pte(slot, new);
    count_leaves(p2m, new, level, 1, true);
}

static void install(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                    p2m_pte_t new)
{
    if ( is_table(p2m, read_pte(slot), level) )
        replace_subtree(p2m, slot, level, new);
    else
        replace_leaf(p2m, slot, level, new);
}

/* ---- walking down ---- */

static int add_table(struct p2m_domain *p2m, p2m_pte_t *slot)
{
    mfn_t table = alloc_zeroed_pages(0);

    if ( !mfn_valid_raw(table) )
        return -ENOMEM;
    write_pte(slot, p2m->ops->make_table(table));   /* was empty: no flush */
    p2m->stats.tables++;
    return 0;
}

/* Children saying what parent said, accessed/dirty included: a dirty
 * superpage makes 512 dirty children, so no dirty page is lost. */
static void fill_children(const struct p2m_domain *p2m, p2m_pte_t *table,
                          p2m_pte_t parent, unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t hw = parent & ops->hw_managed_bits;
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
        write_pte(&table[i], hw | ops->make_leaf(mfn_plus(ops->mfn(parent), i * level_span(level)),
                                                 level, ops->type(parent), ops->access(parent)));
}

/* Split the superpage leaf in *slot into a table of 512 smaller leaves. */
static int shatter(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level)
{
    p2m_pte_t old = read_pte(slot);
    mfn_t table = alloc_pages(0);

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

/* Make *slot a table to descend through: keep, shatter, or (if build) add. */
static int descend(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level, bool build)
{
    p2m_pte_t pte = read_pte(slot);

    if ( is_table(p2m, pte, level) )
        return 0;
    if ( p2m->ops->is_leaf(pte, level) )
        return shatter(p2m, slot, level);
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

/* The slot for gfn at level if tables already lead to it, else NULL. */
static p2m_pte_t *existing_slot(const struct p2m_domain *p2m, uint64_t gfn,
                                unsigned int level)
{
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int l;

    for ( l = P2M_LEVELS; l > level; l-- )
    {
        p2m_pte_t pte = read_pte(&table[slot_index(gfn, l)]);

        if ( !is_table(p2m, pte, l) )
            return NULL;
        table = table_va(p2m->ops->mfn(pte));
    }
    return &table[slot_index(gfn, level)];
}

/* The level at which the walk for gfn ends, and the entry there. */
static unsigned int find_leaf(const struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *found)
{
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int level;

    for ( level = P2M_LEVELS; ; level-- )
    {
        p2m_pte_t pte = read_pte(&table[slot_index(gfn, level)]);

        if ( !is_table(p2m, pte, level) )
        {
            *found = pte;
            return level;
        }
        table = table_va(p2m->ops->mfn(pte));
    }
}

/* ---- argument checks (nothing changes until they pass) ---- */

static bool order_supported(const struct p2m_domain *p2m, unsigned int order)
{
    return order == P2M_ORDER_4K || order == P2M_ORDER_2M ||
           (order == P2M_ORDER_1G && p2m->ops->max_leaf_level >= 3);
}

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
    spin_lock_init(&p2m->lock);
    p2m->ops = ops;
    p2m->root = root;
    p2m->max_mapped_gfn = 0;
    memset(&p2m->stats, 0, sizeof(p2m->stats));
    p2m->flush_tlbs = NULL;
    p2m->flush_arg = NULL;
    return 0;
}

void p2m_teardown(struct p2m_domain *p2m)
{
    if ( !mfn_valid_raw(p2m->root) )
        return;
    spin_lock(&p2m->lock);
    free_below(p2m, p2m->root, P2M_LEVELS);
    free_pages(p2m->root, 0);
    p2m->root = INVALID_MFN;
    memset(&p2m->stats, 0, sizeof(p2m->stats));
    spin_unlock(&p2m->lock);
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

mfn_t p2m_lookup(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
                 p2m_access_t *a, unsigned int *order)
{
    p2m_pte_t pte = 0;
    unsigned int level = 1;
    bool leaf;
    mfn_t mfn;

    spin_lock(&p2m->lock);
    if ( gfn_x(gfn) < P2M_GFN_LIMIT )
        level = find_leaf(p2m, gfn_x(gfn), &pte);
    spin_unlock(&p2m->lock);

    leaf = p2m->ops->is_leaf(pte, level);
    mfn = leaf ? p2m->ops->mfn(pte) : INVALID_MFN;
    if ( t )
        *t = leaf ? p2m->ops->type(pte) : p2m_invalid;
    if ( a )
        *a = leaf ? p2m->ops->access(pte) : p2m_access_n;
    if ( order )
        *order = MIN(level_order(level), (unsigned int)P2M_ORDER_1G);
    return mfn_plus(mfn, gfn_x(gfn) & (level_span(level) - 1));
}

/* ---- coalescing ---- */

/* Does every leaf below table (entries at level) map gfn offset i to
 * base + i, with type t and access a? Gathers the leaves' accessed/dirty. */
static bool subtree_maps(const struct p2m_domain *p2m, mfn_t table, unsigned int level,
                         mfn_t base, p2m_type_t t, p2m_access_t a, p2m_pte_t *hw)
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
        else if ( (pte & ~ops->hw_managed_bits) != ops->make_leaf(mfn, level, t, a) )
            return false;
        *hw |= pte & ops->hw_managed_bits;
    }
    return true;
}

/* The superpage at level saying what the subtree below table_pte says,
 * or 0 if no single leaf can. */
static p2m_pte_t merged_leaf(const struct p2m_domain *p2m, p2m_pte_t table_pte,
                             unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t first = table_pte, hw = 0;
    unsigned int l = level;
    mfn_t base;

    while ( is_table(p2m, first, l) )         /* the leaf at the block's start */
    {
        first = read_pte(&table_va(ops->mfn(first))[0]);
        l--;
    }
    base = ops->mfn(first);
    if ( !ops->is_leaf(first, l) ||
         (mfn_valid_raw(base) && (mfn_x(base) & (level_span(level) - 1))) )
        return 0;
    if ( !subtree_maps(p2m, ops->mfn(table_pte), level - 1, base, ops->type(first),
                       ops->access(first), &hw) )
        return 0;
    return hw | ops->make_leaf(base, level, ops->type(first), ops->access(first));
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
        replace_subtree(p2m, slot, level, merged);
        p2m->stats.coalesces++;
        return true;
    }
    children = table_va(p2m->ops->mfn(pte));
    if ( level - 1 > 1 )
        for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
            coalesce_slot(p2m, &children[i], level - 1);
    return false;
}

bool p2m_try_coalesce(struct p2m_domain *p2m, gfn_t gfn, unsigned int order)
{
    p2m_pte_t *slot;
    bool done = false;

    if ( order == P2M_ORDER_4K || !order_supported(p2m, order) ||
         (gfn_x(gfn) & ((1ULL << order) - 1)) || gfn_x(gfn) >= P2M_GFN_LIMIT )
        return false;
    spin_lock(&p2m->lock);
    slot = existing_slot(p2m, gfn_x(gfn), order_level(order));
    if ( slot )
        done = coalesce_slot(p2m, slot, order_level(order));
    spin_unlock(&p2m->lock);
    return done;
}

/* ---- auditing ---- */

struct audit {
    const struct p2m_domain *p2m;
    struct p2m_counters seen;
    uint64_t *tables;                 /* every table frame met, root excluded */
    size_t ntables, cap;
    uint64_t max_gfn;
    char *buf;
    size_t len;
    int rc;
};

static void __attribute__((format(printf, 2, 3)))
audit_fail(struct audit *au, const char *fmt, ...)
{
    va_list ap;

    if ( au->rc )
        return;                       /* keep the first mismatch */
    au->rc = -EILSEQ;
    if ( !au->buf || !au->len )
        return;
    va_start(ap, fmt);
    vsnprintf(au->buf, au->len, fmt, ap);
    va_end(ap);
}

static void audit_table(struct audit *au, mfn_t table, unsigned int level, uint64_t gfn);

static void audit_leaf(struct audit *au, p2m_pte_t pte, unsigned int level, uint64_t gfn)
{
    const struct p2m_pte_ops *ops = au->p2m->ops;
    mfn_t mfn = ops->mfn(pte);
    p2m_pte_t want = ops->make_leaf(mfn, level, ops->type(pte), ops->access(pte));

    if ( mfn_valid_raw(mfn) && (mfn_x(mfn) & (level_span(level) - 1)) )
        audit_fail(au, "gfn %#llx level %u: frame %#llx not aligned to the leaf",
                   (unsigned long long)gfn, level, (unsigned long long)mfn_x(mfn));
    if ( (pte & ~ops->hw_managed_bits) != want )
        audit_fail(au, "gfn %#llx level %u: entry %#llx, but type %u access %u encode as %#llx",
                   (unsigned long long)gfn, level, (unsigned long long)pte,
                   ops->type(pte), ops->access(pte), (unsigned long long)want);
    au->seen.entries_by_order[level - 1]++;
    au->seen.entries_by_type[ops->type(pte)]++;
    au->max_gfn = MAX(au->max_gfn, gfn + level_span(level) - 1);
}

static void audit_subtable(struct audit *au, p2m_pte_t pte, unsigned int level, uint64_t gfn)
{
    const struct p2m_pte_ops *ops = au->p2m->ops;
    mfn_t table = ops->mfn(pte);

    if ( !mfn_valid_raw(table) || (pte & ~ops->hw_managed_bits) != ops->make_table(table) )
    {
        audit_fail(au, "gfn %#llx level %u: entry %#llx is neither leaf nor table",
                   (unsigned long long)gfn, level, (unsigned long long)pte);
        return;
    }
    if ( au->ntables == au->cap )
    {
        audit_fail(au, "more tables in the walk than the %llu counted",
                   (unsigned long long)au->p2m->stats.tables);
        return;
    }
    au->tables[au->ntables++] = mfn_x(table);
    au->seen.tables++;
    audit_table(au, table, level - 1, gfn);
}

static void audit_table(struct audit *au, mfn_t table, unsigned int level, uint64_t gfn)
{
    const p2m_pte_t *t = table_va(table);
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE && !au->rc; i++ )
    {
        p2m_pte_t pte = read_pte(&t[i]);
        uint64_t g = gfn + i * level_span(level);

        if ( !au->p2m->ops->is_valid(pte) )
        {
            if ( pte )
                audit_fail(au, "gfn %#llx level %u: stray bits %#llx in an empty entry",
                           (unsigned long long)g, level, (unsigned long long)pte);
        }
        else if ( is_table(au->p2m, pte, level) || level > au->p2m->ops->max_leaf_level )
            audit_subtable(au, pte, level, g);
        else
            audit_leaf(au, pte, level, g);
    }
}

static void sift_down(uint64_t *v, size_t root, size_t n)
{
    for ( ;; )
    {
        size_t child = 2 * root + 1;
        uint64_t tmp;

        if ( child >= n )
            return;
        if ( child + 1 < n && v[child + 1] > v[child] )
            child++;
        if ( v[root] >= v[child] )
            return;
        tmp = v[root];
        v[root] = v[child];
        v[child] = tmp;
        root = child;
    }
}

static void sort_frames(uint64_t *v, size_t n)
{
    size_t i;

    for ( i = n / 2; i-- > 0; )
        sift_down(v, i, n);
    for ( i = n; i-- > 1; )
    {
        uint64_t tmp = v[0];

        v[0] = v[i];
        v[i] = tmp;
        sift_down(v, 0, i);
    }
}

static void audit_tables_unique(struct audit *au)
{
    size_t i;

    sort_frames(au->tables, au->ntables);
    for ( i = 0; i < au->ntables; i++ )
    {
        if ( au->tables[i] == mfn_x(au->p2m->root) )
            audit_fail(au, "the root table %#llx is also referenced below it",
                       (unsigned long long)au->tables[i]);
        if ( i && au->tables[i] == au->tables[i - 1] )
            audit_fail(au, "table %#llx is referenced twice",
                       (unsigned long long)au->tables[i]);
    }
}

static void audit_counter(struct audit *au, const char *what, uint64_t seen, uint64_t counted)
{
    if ( seen != counted )
        audit_fail(au, "%s: the table holds %llu, the counter says %llu", what,
                   (unsigned long long)seen, (unsigned long long)counted);
}

static void audit_counters(struct audit *au)
{
    static const char *const order_names[] = { "4K leaves", "2M leaves", "1G leaves" };
    const struct p2m_counters *stats = &au->p2m->stats;
    char what[32];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(order_names); i++ )
        audit_counter(au, order_names[i], au->seen.entries_by_order[i],
                      stats->entries_by_order[i]);
    for ( i = 0; i < p2m_type_count; i++ )
    {
        snprintf(what, sizeof(what), "leaves of type %u", i);
        audit_counter(au, what, au->seen.entries_by_type[i], stats->entries_by_type[i]);
    }
    audit_counter(au, "tables", au->seen.tables, stats->tables);
    if ( au->max_gfn > au->p2m->max_mapped_gfn )
        audit_fail(au, "gfn %#llx is mapped, above max_mapped_gfn %#llx",
                   (unsigned long long)au->max_gfn,
                   (unsigned long long)au->p2m->max_mapped_gfn);
}

int p2m_audit(struct p2m_domain *p2m, char *buf, size_t len)
{
    struct audit au = { .p2m = p2m, .buf = buf, .len = len };
    bool walked;

    if ( !mfn_valid_raw(p2m->root) )
        return -EINVAL;
    if ( buf && len )
        buf[0] = '\0';
    spin_lock(&p2m->lock);
    au.cap = p2m->stats.tables + 1;
    au.tables = xzalloc_array(uint64_t, au.cap);
    walked = au.tables != NULL;
    if ( walked )
    {
        audit_table(&au, p2m->root, P2M_LEVELS, 0);
        audit_tables_unique(&au);
        audit_counters(&au);
    }
    spin_unlock(&p2m->lock);
    xfree(au.tables);
    return walked ? au.rc : -ENOMEM;
}
