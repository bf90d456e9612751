/*
 * p2m/audit.c - the invariant checker: walks the whole table and compares
 * it with the counters and the encoding rules. For tests and debug
 * builds; it allocates a scratch array and holds p2m->lock throughout.
 *
 * Checked: every leaf encodes exactly (type, access) -> hardware rights
 * and is never marked; every table entry is a plain or marked table
 * pointer; a mark's stamp is live ([tail, seq - 1]) and no newer than a
 * marked ancestor's; no table is referenced twice; max_mapped_gfn covers
 * every leaf; every counter, marks by stamp included, is exact.
 */
#include "private.h"

#include <xen/errno.h>

#define NO_MARK (~0ULL) /* no marked ancestor */

struct audit
{
    const struct p2m_domain *p2m;
    struct p2m_counters seen;
    uint64_t marks[P2M_CHANGE_LOG];
    uint64_t *tables; /* every table frame met, root excluded */
    size_t ntables, cap;
    uint64_t max_gfn;
    char *buf;
    size_t len;
    int rc;
};

static void __attribute__((format(printf, 2, 3))) audit_fail(struct audit *au, const char *fmt, ...)
{
    va_list ap;

    if ( au->rc )
        return; /* keep the first mismatch */
    au->rc = -EILSEQ;
    if ( !au->buf || !au->len )
        return;
    va_start(ap, fmt);
    vsnprintf(au->buf, au->len, fmt, ap);
    va_end(ap);
}

static void audit_table(struct audit *au, mfn_t table, unsigned int level, uint64_t gfn,
                        uint64_t above);

static void audit_leaf(struct audit *au, p2m_pte_t pte, unsigned int level, uint64_t gfn)
{
    const struct p2m_pte_ops *ops = au->p2m->ops;
    mfn_t mfn = ops->mfn(pte);
    p2m_pte_t want = ops->make_leaf(mfn, level, ops->type(pte), ops->access(pte));

    if ( ops->needs_recalc(pte) )
        audit_fail(au, "gfn %#llx level %u: a marked leaf %#llx (only tables are marked)",
                   (unsigned long long)gfn, level, (unsigned long long)pte);
    if ( mfn_valid_raw(mfn) && (mfn_x(mfn) & (level_span(level) - 1)) )
        audit_fail(au, "gfn %#llx level %u: frame %#llx not aligned to the leaf",
                   (unsigned long long)gfn, level, (unsigned long long)mfn_x(mfn));
    if ( !same_but_hw(ops, pte, want) )
        audit_fail(au, "gfn %#llx level %u: entry %#llx, but type %u access %u encode as %#llx",
                   (unsigned long long)gfn, level, (unsigned long long)pte, ops->type(pte),
                   ops->access(pte), (unsigned long long)want);
    else if ( (keep_hw(ops, pte, want) ^ (pte | want)) & ops->hw_managed_bits )
        audit_fail(au,
                   "gfn %#llx level %u: entry %#llx holds hardware-managed bits its type "
                   "and access cannot (encoded %#llx)",
                   (unsigned long long)gfn, level, (unsigned long long)pte,
                   (unsigned long long)want);
    au->seen.entries_by_order[level - 1]++;
    au->seen.entries_by_type[ops->type(pte)]++;
    au->seen.frames_by_type[ops->type(pte)] += level_span(level);
    au->max_gfn = MAX(au->max_gfn, gfn + level_span(level) - 1);
}

/* A marked table entry; returns the stamp its subtree is measured by. */
static uint64_t audit_mark(struct audit *au, p2m_pte_t pte, unsigned int level, uint64_t gfn,
                           uint64_t above)
{
    uint64_t stamp = p2m_recalc_stamp(au->p2m, pte);

    if ( stamp < au->p2m->changes->tail || stamp >= au->p2m->changes->seq )
        audit_fail(au, "gfn %#llx level %u: stamp %#llx is not live (log holds %llu..%llu)",
                   (unsigned long long)gfn, level, (unsigned long long)stamp,
                   (unsigned long long)au->p2m->changes->tail,
                   (unsigned long long)au->p2m->changes->seq);
    else if ( above != NO_MARK && stamp > above )
        audit_fail(au, "gfn %#llx level %u: stamp %llu newer than the marked ancestor's %llu",
                   (unsigned long long)gfn, level, (unsigned long long)stamp,
                   (unsigned long long)above);
    au->marks[stamp % P2M_CHANGE_LOG]++;
    au->seen.recalc_pending++;
    return stamp;
}

static void audit_subtable(struct audit *au, p2m_pte_t pte, unsigned int level, uint64_t gfn,
                           uint64_t above)
{
    const struct p2m_pte_ops *ops = au->p2m->ops;
    p2m_pte_t plain = ops->clear_recalc(pte);
    mfn_t table = ops->mfn(pte);

    if ( !mfn_valid_raw(table) || (plain & ~ops->hw_managed_bits) != ops->make_table(table) )
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
    if ( ops->needs_recalc(pte) )
        above = audit_mark(au, pte, level, gfn, above);
    audit_table(au, table, level - 1, gfn, above);
}

static void audit_table(struct audit *au, mfn_t table, unsigned int level, uint64_t gfn,
                        uint64_t above)
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
            audit_subtable(au, pte, level, g, above);
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
            audit_fail(au, "table %#llx is referenced twice", (unsigned long long)au->tables[i]);
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
        audit_counter(au, order_names[i], au->seen.entries_by_order[i], stats->entries_by_order[i]);
    for ( i = 0; i < p2m_type_count; i++ )
    {
        snprintf(what, sizeof(what), "leaves of type %u", i);
        audit_counter(au, what, au->seen.entries_by_type[i], stats->entries_by_type[i]);
        snprintf(what, sizeof(what), "frames of type %u", i);
        audit_counter(au, what, au->seen.frames_by_type[i], stats->frames_by_type[i]);
    }
    audit_counter(au, "tables", au->seen.tables, stats->tables);
    audit_counter(au, "marked entries", au->seen.recalc_pending, stats->recalc_pending);
    for ( i = 0; i < P2M_CHANGE_LOG; i++ )
    {
        snprintf(what, sizeof(what), "marks with stamp %%%u == %u", P2M_CHANGE_LOG, i);
        audit_counter(au, what, au->marks[i], au->p2m->recalc.marks[i]);
    }
    if ( au->max_gfn > au->p2m->max_mapped_gfn )
        audit_fail(au, "gfn %#llx is mapped, above max_mapped_gfn %#llx",
                   (unsigned long long)au->max_gfn, (unsigned long long)au->p2m->max_mapped_gfn);
}

static void audit_log(struct audit *au)
{
    if ( au->p2m->changes->tail > au->p2m->changes->seq ||
         au->p2m->changes->seq - au->p2m->changes->tail > P2M_CHANGE_LOG )
        audit_fail(au, "change log holds %llu..%llu: more than %u changes",
                   (unsigned long long)au->p2m->changes->tail,
                   (unsigned long long)au->p2m->changes->seq, P2M_CHANGE_LOG);
    if ( au->p2m->changes->eager && au->p2m->stats.recalc_pending )
        audit_fail(au, "eager mode with %llu marks pending",
                   (unsigned long long)au->p2m->stats.recalc_pending);
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
        audit_log(&au);
        audit_table(&au, p2m->root, P2M_LEVELS, 0, NO_MARK);
        audit_tables_unique(&au);
        audit_counters(&au);
    }
    spin_unlock(&p2m->lock);
    xfree(au.tables);
    return walked ? au.rc : -ENOMEM;
}
