/*
 * p2m-util.c - see p2m-util.h.
 */
#include "p2m-util.h"

#include <xen/mm.h>
#include <xen/errno.h>

#include "harness.h"

struct p2m_domain test_p2m;
unsigned long test_flushes;

static void count_flush(struct p2m_domain *p2m)
{
    CHECK(p2m == &test_p2m);
    CHECK(spin_is_locked(&p2m->lock));
    test_flushes++;
}

void with_backend(const struct p2m_pte_ops *ops, void (*body)(void))
{
    unsigned long before = pages_free();

    CHECK_EQ(p2m_init(&test_p2m, ops), 0);
    test_p2m.flush_tlbs = count_flush;
    test_flushes = 0;
    CHECK_EQ(pages_free(), before - 1);          /* just the root */
    body();
    check_audit();
    p2m_teardown(&test_p2m);
    CHECK_MSG(pages_free() == before, "teardown left %ld pages allocated",
              (long)(before - pages_free()));
}

void check_audit(void)
{
    char why[256];
    int rc = p2m_audit(&test_p2m, why, sizeof(why));

    CHECK_MSG(rc == 0, "audit failed (%d): %s", rc, why);
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
