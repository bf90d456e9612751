/*
 * test-p2m-random.c - long random sequences of p2m operations on both
 * backends, each checked against a reference model: an array of
 * (mfn, type, access) per gfn over a 64 MiB window at gfn 0 and three
 * distant 1 GiB regions (one at the very top of the guest-physical space).
 *
 * After every operation: p2m_audit passes (table vs counters vs encodings),
 * the touched range and a margin around it match the model, the mapped page
 * count matches, and p2m_try_coalesce answers what the model predicts.
 * Every 50 operations the whole model is compared.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>

#include <stdlib.h>

#include "arena.h"
#include "harness.h"
#include "p2m-util.h"
#include <asm/p2m-backends.h>

#define G1    (1ULL << P2M_ORDER_1G)
#define M2    (1ULL << P2M_ORDER_2M)
#define STEPS 3000

struct model_entry
{
    uint64_t mfn;
    uint8_t type, access;
};

struct region
{
    uint64_t base, nr;
    struct model_entry *e;
};

static struct region regions[] = {
    { 0, 16384, NULL }, /* 64 MiB window */
    { 5 * G1, G1, NULL },
    { 300 * G1 + G1 * 512 * 3, G1, NULL }, /* another level-4 slot */
    { P2M_GFN_LIMIT - G1, G1, NULL },      /* the top of the space */
};
static uint64_t model_mapped; /* gfns with a type */

static struct model_entry *model_at(uint64_t gfn)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(regions); i++ )
        if ( gfn >= regions[i].base && gfn - regions[i].base < regions[i].nr )
            return &regions[i].e[gfn - regions[i].base];
    return NULL;
}

static void model_reset(void)
{
    unsigned int i;
    uint64_t j;

    for ( i = 0; i < ARRAY_SIZE(regions); i++ )
    {
        if ( !regions[i].e )
            regions[i].e = malloc(regions[i].nr * sizeof(struct model_entry));
        for ( j = 0; j < regions[i].nr; j++ )
            regions[i].e[j] = (struct model_entry){ INVALID_MFN_RAW, p2m_invalid, p2m_access_n };
    }
    model_mapped = 0;
}

/* [gfn, gfn + nr) lies inside one region. */
static void model_set(uint64_t gfn, uint64_t nr, mfn_t mfn, p2m_type_t t, p2m_access_t a)
{
    struct model_entry *e = model_at(gfn);
    bool valid = t != p2m_invalid && mfn_valid_raw(mfn);
    uint64_t i;

    for ( i = 0; i < nr; i++, e++ )
    {
        model_mapped -= e->type != p2m_invalid;
        *e = (struct model_entry){ valid ? mfn_x(mfn) + i : INVALID_MFN_RAW, t,
                                   t == p2m_invalid ? p2m_access_n : a };
        model_mapped += t != p2m_invalid;
    }
}

/* Compare [gfn, gfn + nr), inside one region, with the p2m a leaf at a time. */
static void verify_range(uint64_t gfn, uint64_t nr)
{
    uint64_t end = gfn + nr;
    const struct model_entry *e = model_at(gfn);

    while ( gfn < end )
    {
        p2m_type_t t;
        p2m_access_t a;
        unsigned int order;
        mfn_t mfn = p2m_lookup(&test_p2m, _gfn(gfn), &t, &a, &order);
        uint64_t leaf_end = (gfn | ((1ULL << order) - 1)) + 1;

        for ( ; gfn < end && gfn < leaf_end; gfn++, e++ )
        {
            CHECK_MSG(e->mfn == mfn_x(mfn) && e->type == t && e->access == a,
                      "gfn %#llx: p2m says %#llx/%u/%u, model %#llx/%u/%u", (unsigned long long)gfn,
                      (unsigned long long)mfn_x(mfn), t, a, (unsigned long long)e->mfn, e->type,
                      e->access);
            mfn = mfn_valid_raw(mfn) ? _mfn(mfn_x(mfn) + 1) : mfn;
        }
    }
}

/* The touched range and a margin either side, clipped to its region. */
static void verify_around(const struct region *r, uint64_t gfn, uint64_t nr)
{
    uint64_t lo = gfn - r->base > 600 ? gfn - 600 : r->base;
    uint64_t hi = MIN(gfn + nr + 600, r->base + r->nr);

    verify_range(lo, hi - lo);
}

static void verify_everything(void)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(regions); i++ )
        verify_range(regions[i].base, regions[i].nr);
}

static void verify_counters(void)
{
    const struct p2m_counters *s = &test_p2m.stats;
    uint64_t pages =
        s->entries_by_order[0] + (s->entries_by_order[1] << 9) + (s->entries_by_order[2] << 18);

    CHECK_EQ(pages, model_mapped);
}

/* ---- random choices ---- */

static const struct region *pick_region(void)
{
    return &regions[test_rand_below(ARRAY_SIZE(regions))];
}

static unsigned int pick_order(const struct region *r)
{
    unsigned int x = test_rand_below(100);

    if ( r->nr >= G1 && x < 10 )
        return P2M_ORDER_1G;
    return x < 50 ? P2M_ORDER_4K : P2M_ORDER_2M;
}

static uint64_t pick_aligned_gfn(const struct region *r, unsigned int order)
{
    return r->base + (test_rand_below(r->nr >> order) << order);
}

static p2m_type_t pick_type(void)
{
    /* Mostly RAM, so that superpages and coalescing have something to do. */
    return test_rand_below(3) ? p2m_ram_rw : test_rand_below(p2m_type_count);
}

static mfn_t pick_mfn(p2m_type_t t, unsigned int align_order)
{
    if ( p2m_type_rights(t) == p2m_access_n && test_rand_below(2) )
        return INVALID_MFN;
    return _mfn((1 + test_rand_below(1ULL << 12)) << align_order);
}

static p2m_access_t pick_access(void)
{
    return test_rand_below(2) ? p2m_access_rwx : test_rand_below(8);
}

/* ---- operations ---- */

static void op_set_entry(void)
{
    const struct region *r = pick_region();
    unsigned int order = pick_order(r);
    uint64_t gfn = pick_aligned_gfn(r, order);
    p2m_type_t t = pick_type();
    mfn_t mfn = pick_mfn(t, order);
    p2m_access_t a = pick_access();

    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(gfn), mfn, order, t, a), 0);
    model_set(gfn, 1ULL << order, mfn, t, a);
    verify_around(r, gfn, 1ULL << order);
}

static uint64_t pick_length(const struct region *r, uint64_t gfn)
{
    uint64_t room = r->base + r->nr - gfn, x = test_rand_below(100);

    if ( x < 50 )
        return 1 + test_rand_below(MIN(room, 1100));
    if ( x < 90 || room < 4 * M2 )
        return 1 + test_rand_below(MIN(room, 3 * M2 + 200));
    return 1 + test_rand_below(room);
}

static void op_set_range(bool remove)
{
    const struct region *r = pick_region();
    uint64_t gfn = r->base + test_rand_below(r->nr);
    uint64_t nr = pick_length(r, gfn);
    p2m_type_t t = remove ? p2m_invalid : pick_type();
    p2m_access_t a = pick_access();
    mfn_t mfn = pick_mfn(t, P2M_ORDER_1G);

    /* Usually give the frames the gfn's alignment, so big pieces fit. */
    if ( mfn_valid_raw(mfn) && test_rand_below(4) )
        mfn = _mfn(mfn_x(mfn) + (gfn & (G1 - 1)));
    else if ( mfn_valid_raw(mfn) )
        mfn = _mfn(mfn_x(mfn) + test_rand_below(G1));
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(gfn), mfn, nr, t, a), 0);
    model_set(gfn, nr, mfn, t, a);
    verify_around(r, gfn, nr);
}

/* Would the model's block at gfn be one superpage's worth of mapping? */
static bool model_uniform(uint64_t gfn, unsigned int order)
{
    const struct model_entry *first = model_at(gfn), *e = first;
    uint64_t i;

    if ( first->type == p2m_invalid ||
         (first->mfn != INVALID_MFN_RAW && (first->mfn & ((1ULL << order) - 1))) )
        return false;
    for ( i = 1; i < (1ULL << order); i++ )
    {
        uint64_t want = first->mfn == INVALID_MFN_RAW ? INVALID_MFN_RAW : first->mfn + i;

        e++;
        if ( e->type != first->type || e->access != first->access || e->mfn != want )
            return false;
    }
    return true;
}

static void check_coalesce(const struct region *r, uint64_t gfn, unsigned int order)
{
    unsigned int have;
    bool expect, got;

    p2m_lookup(&test_p2m, _gfn(gfn), NULL, NULL, &have);
    /* Shared entries stay 4K (one reverse-map record per gfn): only a
     * block that already is one leaf counts as coalesced. */
    expect = have <= order && model_uniform(gfn, order) &&
             (have == order || model_at(gfn)->type != p2m_ram_shared);
    got = p2m_try_coalesce(&test_p2m, _gfn(gfn), order);
    CHECK_MSG(got == expect, "coalesce of gfn %#llx order %u: got %d, model says %d",
              (unsigned long long)gfn, order, got, expect);
    if ( got )
    {
        p2m_lookup(&test_p2m, _gfn(gfn + 1), NULL, NULL, &have);
        CHECK(have >= order);
    }
    verify_around(r, gfn, 1ULL << order);
}

static void op_coalesce(void)
{
    const struct region *r = pick_region();
    unsigned int order = r->nr >= G1 && test_rand_below(4) == 0 ? P2M_ORDER_1G : P2M_ORDER_2M;

    check_coalesce(r, pick_aligned_gfn(r, order), order);
}

/* Map a block whole, rewrite some 4K of it unchanged (shattering it), and
 * check it coalesces back. */
static void op_shatter_and_coalesce(void)
{
    const struct region *r = pick_region();
    unsigned int order = r->nr >= G1 && test_rand_below(4) == 0 ? P2M_ORDER_1G : P2M_ORDER_2M;
    uint64_t gfn = pick_aligned_gfn(r, order), i;
    p2m_type_t t = test_rand_below(2) ? p2m_ram_rw : 1 + test_rand_below(p2m_type_count - 1);
    mfn_t mfn = pick_mfn(t, order);
    p2m_access_t a = pick_access();

    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(gfn), mfn, order, t, a), 0);
    model_set(gfn, 1ULL << order, mfn, t, a);
    for ( i = 0; i < 1 + test_rand_below(4); i++ )
    {
        uint64_t g = gfn + test_rand_below(1ULL << order);
        const struct model_entry *e = model_at(g);

        CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(g), _mfn(e->mfn), 0, e->type, e->access), 0);
    }
    check_coalesce(r, gfn, order);
}

static void one_op(void)
{
    unsigned int x = test_rand_below(100);

    if ( x < 35 )
        op_set_entry();
    else if ( x < 65 )
        op_set_range(false);
    else if ( x < 80 )
        op_set_range(true);
    else if ( x < 90 )
        op_coalesce();
    else
        op_shatter_and_coalesce();
}

static void random_sequence(void)
{
    unsigned int step;

    test_srand(test_p2m.ops == &ept_pte_ops   ? 0x5eed1
               : test_p2m.ops == &npt_pte_ops ? 0x5eed2
                                              : 0x5eed3);
    model_reset();
    for ( step = 0; step < STEPS; step++ )
    {
        one_op();
        check_audit();
        verify_counters();
        if ( step % 50 == 49 )
            verify_everything();
    }
    verify_everything();
    CHECK(test_p2m.stats.shatters > 0);
    CHECK(test_p2m.stats.coalesces > 0);
}
P2M_CASE(random_sequence)

static const struct test_case cases[] = {
    P2M_CASE_ENTRIES("p2m_random", random_sequence),
};

int main(void)
{
    int rc;
    unsigned int i;

    arena_setup(ARENA_DEFAULT_BASE, 64UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    for ( i = 0; i < ARRAY_SIZE(regions); i++ )
        free(regions[i].e);
    return rc;
}
