/*
 * p2m-util.h - shared helpers for the p2m host tests: run a case on a
 * fresh p2m with a given backend (alone, or with an eager twin as the
 * reference), count flushes, audit, compare, reach into tables.
 */
#ifndef TESTS_P2M_UTIL_H
#define TESTS_P2M_UTIL_H

#include <xen/p2m.h>
#include <asm/p2m-backends.h>
#include <asm/p2m-stage2.h>

extern struct p2m_domain test_p2m; /* the p2m under test (lazy) */
extern struct p2m_domain test_ref; /* its eager twin, in with_pair cases */
extern unsigned long test_flushes, test_ref_flushes;

/* Init test_p2m on ops (with a counting flush hook), run body, audit,
 * tear down, and check every page went back to the allocator. */
void with_backend(const struct p2m_pte_ops *ops, void (*body)(void));
/* The same with test_ref beside it in eager mode. */
void with_pair(const struct p2m_pte_ops *ops, void (*body)(void));

/* CHECK that p2m_audit passes, showing its description if not: on
 * test_p2m, and on test_ref too in a with_pair case. */
void check_audit(void);
void check_audit_of(struct p2m_domain *p2m);
/* CHECK what p2m_lookup says of one gfn. */
void check_lookup(uint64_t gfn, mfn_t mfn, p2m_type_t t, p2m_access_t a, unsigned int order);
void check_hole(uint64_t gfn);
/* The type p2m_lookup gives gfn in test_p2m / test_ref. */
p2m_type_t type_of(uint64_t gfn);
p2m_type_t ref_type_of(uint64_t gfn);
/* CHECK that test_p2m and test_ref agree on [gfn, gfn + nr): frame, type,
 * access and leaf order, leaf by leaf. */
void check_same_as_ref(uint64_t gfn, uint64_t nr);
/* CHECK that after finishing everything pending, test_p2m's counters of
 * leaves and tables are test_ref's. */
void check_counters_as_ref(void);
/* The entry for gfn at level, through existing tables (CHECKs they exist). */
p2m_pte_t *test_slot(uint64_t gfn, unsigned int level);
/* Is any entry on gfn's path in test_p2m marked for recalculation? */
bool path_marked(uint64_t gfn);
/* CHECK what the CPU would do at gfn in test_p2m: a translation it makes
 * must be exactly test_ref's (or, with no ref, the lookup's); a fault is
 * allowed only under a mark or where the entry grants nothing. With
 * resolved, the path must carry no mark any more. */
void check_hw(uint64_t gfn, bool resolved);

/*
 * The same operation on test_p2m and test_ref (with_pair cases): CHECKs
 * both give the same result, and returns it.
 */
int both_set(uint64_t gfn, uint64_t mfn, unsigned int order, p2m_type_t t, p2m_access_t a);
int both_range(uint64_t gfn, uint64_t mfn, uint64_t nr, p2m_type_t t, p2m_access_t a);
int64_t both_change(uint64_t gfn, uint64_t nr, p2m_type_t old, p2m_type_t new);
int both_begin(p2m_type_t old, p2m_type_t new);
int both_claim(p2m_type_t t, uint16_t owner);
int both_release(p2m_type_t t, uint16_t owner, p2m_type_t to);
bool both_coalesce(uint64_t gfn, unsigned int order);
/* A guest access at gfn: p2m_resolve_fault on test_p2m (its answer
 * returned), with check_hw before and after. */
int touch(uint64_t gfn);

/* Define p2m.ept.NAME, p2m.npt.NAME and p2m.stage2.NAME from one body:
 * every backend runs every core case. */
#define P2M_CASE(body)                       \
    static void ept_##body(void)             \
    {                                        \
        with_backend(&ept_pte_ops, body);    \
    }                                        \
    static void npt_##body(void)             \
    {                                        \
        with_backend(&npt_pte_ops, body);    \
    }                                        \
    static void stage2_##body(void)          \
    {                                        \
        with_backend(&stage2_pte_ops, body); \
    }
#define P2M_PAIR_CASE(body)               \
    static void ept_##body(void)          \
    {                                     \
        with_pair(&ept_pte_ops, body);    \
    }                                     \
    static void npt_##body(void)          \
    {                                     \
        with_pair(&npt_pte_ops, body);    \
    }                                     \
    static void stage2_##body(void)       \
    {                                     \
        with_pair(&stage2_pte_ops, body); \
    }
#define P2M_CASE_ENTRIES(prefix, body)                                          \
    { prefix ".ept." #body, ept_##body }, { prefix ".npt." #body, npt_##body }, \
    {                                                                           \
        prefix ".stage2." #body, stage2_##body                                  \
    }

#endif /* TESTS_P2M_UTIL_H */
