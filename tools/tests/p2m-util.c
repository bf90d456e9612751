/*
 * p2m-util.c - see p2m-util.h.
 */
#include "p2m-util.h"

#include <xen/mm.h>
#include <xen/errno.h>

#include "harness.h"
#include "p2m-hw.h"

struct p2m_domain test_p2m, test_ref;
unsigned long test_flushes, test_ref_flushes;
static bool ref_active;

static void count_flush(struct p2m_domain *p2m)
{
    CHECK(p2m == &test_p2m || p2m == &test_ref);
    CHECK(spin_is_locked(&p2m->lock));
    if ( p2m == &test_p2m )
        test_flushes++;
    else
        test_ref_flushes++;
}

static void setup(struct p2m_domain *p2m, const struct p2m_pte_ops *ops)
{
    CHECK_EQ(p2m_init(p2m, ops), 0);
    p2m->flush_tlbs = count_flush;
}

/* A failed case longjmps out of body and leaks its p2ms' pages: later
 * cases measure from their own start, so they are not disturbed. */
static void run_on(const struct p2m_pte_ops *ops, void (*body)(void), bool pair)
{
    unsigned long before = pages_free();

    ref_active = pair;
    if ( pair )
    {
        setup(&test_ref, ops);
        p2m_set_eager(&test_ref, true);
        test_ref_flushes = 0;
    }
    setup(&test_p2m, ops);
    test_flushes = 0;
    CHECK_EQ(pages_free(), before - 1 - pair); /* just the roots */
    body();
    check_audit();
    p2m_teardown(&test_p2m);
    if ( pair )
        p2m_teardown(&test_ref);
    ref_active = false;
    CHECK_MSG(pages_free() == before, "teardown left %ld pages allocated",
              (long)(before - pages_free()));
}

void with_backend(const struct p2m_pte_ops *ops, void (*body)(void))
{
    run_on(ops, body, false);
}

void with_pair(const struct p2m_pte_ops *ops, void (*body)(void))
{
    run_on(ops, body, true);
}

void check_audit_of(struct p2m_domain *p2m)
{
    char why[256];
    int rc = p2m_audit(p2m, why, sizeof(why));

    CHECK_MSG(rc == 0, "audit of %s failed (%d): %s", p2m == &test_ref ? "ref" : "p2m", rc, why);
}

void check_audit(void)
{
    check_audit_of(&test_p2m);
    if ( ref_active )
        check_audit_of(&test_ref);
}

void check_lookup(uint64_t gfn, mfn_t mfn, p2m_type_t t, p2m_access_t a, unsigned int order)
{
    p2m_type_t gt;
    p2m_access_t ga;
    unsigned int go;
    mfn_t got = p2m_lookup(&test_p2m, _gfn(gfn), &gt, &ga, &go);

    CHECK_MSG(mfn_eq(got, mfn) && gt == t && ga == a && go == order,
              "gfn %#llx: mfn %#llx type %u access %u order %u; expected %#llx %u %u %u",
              (unsigned long long)gfn, (unsigned long long)mfn_x(got), gt, ga, go,
              (unsigned long long)mfn_x(mfn), t, a, order);
}

void check_hole(uint64_t gfn)
{
    p2m_type_t t;
    mfn_t got = p2m_lookup(&test_p2m, _gfn(gfn), &t, NULL, NULL);

    CHECK_MSG(!mfn_valid_raw(got) && t == p2m_invalid, "gfn %#llx: expected a hole",
              (unsigned long long)gfn);
}

p2m_type_t type_of(uint64_t gfn)
{
    p2m_type_t t;

    p2m_lookup(&test_p2m, _gfn(gfn), &t, NULL, NULL);
    return t;
}

p2m_type_t ref_type_of(uint64_t gfn)
{
    p2m_type_t t;

    p2m_lookup(&test_ref, _gfn(gfn), &t, NULL, NULL);
    return t;
}

static void check_same_leaf(uint64_t gfn, unsigned int *order)
{
    p2m_type_t t, rt;
    p2m_access_t a, ra;
    unsigned int ro;
    mfn_t m = p2m_lookup(&test_p2m, _gfn(gfn), &t, &a, order);
    mfn_t rm = p2m_lookup(&test_ref, _gfn(gfn), &rt, &ra, &ro);

    CHECK_MSG(mfn_eq(m, rm) && t == rt && a == ra && *order == ro,
              "gfn %#llx: lazy %#llx/%u/%u order %u, eager %#llx/%u/%u order %u",
              (unsigned long long)gfn, (unsigned long long)mfn_x(m), t, a, *order,
              (unsigned long long)mfn_x(rm), rt, ra, ro);
}

/* A leaf (or hole) is uniform, so one lookup per leaf compares it all. */
void check_same_as_ref(uint64_t gfn, uint64_t nr)
{
    uint64_t end = gfn + nr;

    while ( gfn < end )
    {
        unsigned int order;

        check_same_leaf(gfn, &order);
        gfn = (gfn | ((1ULL << order) - 1)) + 1;
    }
}

void check_counters_as_ref(void)
{
    const struct p2m_counters *s = &test_p2m.stats, *r = &test_ref.stats;
    unsigned int i;

    CHECK_EQ(p2m_finish_pending(&test_p2m, ~0U), 0);
    CHECK_EQ(s->recalc_pending, 0);
    CHECK_EQ(test_p2m.changes->tail, test_p2m.changes->seq);
    for ( i = 0; i < 3; i++ )
        CHECK_EQ(s->entries_by_order[i], r->entries_by_order[i]);
    for ( i = 0; i < p2m_type_count; i++ )
        CHECK_MSG(s->entries_by_type[i] == r->entries_by_type[i],
                  "leaves of type %u: lazy %llu, eager %llu", i,
                  (unsigned long long)s->entries_by_type[i],
                  (unsigned long long)r->entries_by_type[i]);
    CHECK_EQ(s->tables, r->tables);
}

p2m_pte_t *test_slot(uint64_t gfn, unsigned int level)
{
    const struct p2m_pte_ops *ops = test_p2m.ops;
    p2m_pte_t *table = mfn_to_virt(test_p2m.root);
    unsigned int l;

    for ( l = P2M_LEVELS; l > level; l-- )
    {
        p2m_pte_t pte = table[(gfn >> ((l - 1) * 9)) & 511];

        CHECK_MSG(ops->is_valid(pte) && !ops->is_leaf(pte, l), "no table at level %u", l);
        table = mfn_to_virt(ops->mfn(pte));
    }
    return &table[(gfn >> ((level - 1) * 9)) & 511];
}

bool path_marked(uint64_t gfn)
{
    const struct p2m_pte_ops *ops = test_p2m.ops;
    p2m_pte_t *table = mfn_to_virt(test_p2m.root);
    unsigned int l;

    for ( l = P2M_LEVELS; l >= 1; l-- )
    {
        p2m_pte_t pte = table[(gfn >> ((l - 1) * 9)) & 511];

        if ( ops->needs_recalc(pte) )
            return true;
        if ( !ops->is_valid(pte) || ops->is_leaf(pte, l) )
            return false;
        table = mfn_to_virt(ops->mfn(pte));
    }
    return false;
}

void check_hw(uint64_t gfn, bool resolved)
{
    struct p2m_domain *ref = ref_active ? &test_ref : &test_p2m;
    p2m_type_t t;
    p2m_access_t a;
    mfn_t m = p2m_lookup(ref, _gfn(gfn), &t, &a, NULL);
    unsigned int want = hw_expected_rights(test_p2m.ops, m, t, a);
    bool marked = path_marked(gfn);
    struct hw_xlat x;
    enum hw_result r = hw_walk(&test_p2m, gfn, &x);

    CHECK_MSG(!(resolved && marked), "gfn %#llx: still marked after resolution",
              (unsigned long long)gfn);
    CHECK_MSG(r != HW_OK || !marked, "gfn %#llx: the CPU walks through a mark",
              (unsigned long long)gfn);
    CHECK_MSG(r != HW_MISCONFIG || marked, "gfn %#llx: misconfigured without a mark",
              (unsigned long long)gfn);
    if ( r == HW_OK )
        CHECK_MSG(mfn_eq(x.mfn, m) && x.rights == want,
                  "gfn %#llx: the CPU maps %#llx with rights %u; want %#llx, %u (type %u)",
                  (unsigned long long)gfn, (unsigned long long)mfn_x(x.mfn), x.rights,
                  (unsigned long long)mfn_x(m), want, t);
    else
        CHECK_MSG(marked || !want, "gfn %#llx: the CPU faults, type %u grants %u",
                  (unsigned long long)gfn, t, want);
}

static int same_rc(int a, int b, const char *what)
{
    CHECK_MSG(a == b, "%s: lazy %d, eager %d", what, a, b);
    return a;
}

int both_set(uint64_t gfn, uint64_t mfn, unsigned int order, p2m_type_t t, p2m_access_t a)
{
    return same_rc(p2m_set_entry(&test_p2m, _gfn(gfn), _mfn(mfn), order, t, a),
                   p2m_set_entry(&test_ref, _gfn(gfn), _mfn(mfn), order, t, a), "set_entry");
}

int both_range(uint64_t gfn, uint64_t mfn, uint64_t nr, p2m_type_t t, p2m_access_t a)
{
    return same_rc(p2m_set_range(&test_p2m, _gfn(gfn), _mfn(mfn), nr, t, a),
                   p2m_set_range(&test_ref, _gfn(gfn), _mfn(mfn), nr, t, a), "set_range");
}

int64_t both_change(uint64_t gfn, uint64_t nr, p2m_type_t old, p2m_type_t new)
{
    int64_t a = p2m_change_type_range(&test_p2m, _gfn(gfn), nr, old, new);
    int64_t b = p2m_change_type_range(&test_ref, _gfn(gfn), nr, old, new);

    CHECK_MSG(a == b, "change_type_range %#llx+%llu %u->%u: lazy %lld, eager %lld",
              (unsigned long long)gfn, (unsigned long long)nr, old, new, (long long)a,
              (long long)b);
    return a;
}

int both_begin(p2m_type_t old, p2m_type_t new)
{
    return same_rc(p2m_begin_global_change(&test_p2m, old, new),
                   p2m_begin_global_change(&test_ref, old, new), "begin_global_change");
}

int both_claim(p2m_type_t t, uint16_t owner)
{
    return same_rc(p2m_claim_type(&test_p2m, t, owner), p2m_claim_type(&test_ref, t, owner),
                   "claim_type");
}

int both_release(p2m_type_t t, uint16_t owner, p2m_type_t to)
{
    return same_rc(p2m_release_type(&test_p2m, t, owner, to),
                   p2m_release_type(&test_ref, t, owner, to), "release_type");
}

bool both_coalesce(uint64_t gfn, unsigned int order)
{
    return same_rc(p2m_try_coalesce(&test_p2m, _gfn(gfn), order),
                   p2m_try_coalesce(&test_ref, _gfn(gfn), order), "try_coalesce");
}

int touch(uint64_t gfn)
{
    bool marked = path_marked(gfn);
    int rc;

    check_hw(gfn, false);
    rc = p2m_resolve_fault(&test_p2m, _gfn(gfn));
    CHECK_MSG(rc == marked, "resolve_fault(%#llx) = %d, a mark was %son the path",
              (unsigned long long)gfn, rc, marked ? "" : "not ");
    check_hw(gfn, true);
    return rc;
}
