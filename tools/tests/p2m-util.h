/*
 * p2m-util.h - shared helpers for the p2m host tests: run a case on a
 * fresh p2m with a given backend, count flushes, audit, reach into tables.
 */
#ifndef TESTS_P2M_UTIL_H
#define TESTS_P2M_UTIL_H

#include <xen/p2m.h>

extern struct p2m_domain test_p2m;
extern unsigned long test_flushes;

/* Init test_p2m on ops (with a counting flush hook), run body, audit,
 * tear down, and check every page went back to the allocator. */
void with_backend(const struct p2m_pte_ops *ops, void (*body)(void));

/* CHECK that p2m_audit passes, showing its description if not. */
void check_audit(void);
/* CHECK what p2m_lookup says of one gfn. */
void check_lookup(uint64_t gfn, mfn_t mfn, p2m_type_t t, p2m_access_t a, unsigned int order);
void check_hole(uint64_t gfn);
/* The entry for gfn at level, through existing tables (CHECKs they exist). */
p2m_pte_t *test_slot(uint64_t gfn, unsigned int level);

/* Define p2m.ept.NAME and p2m.npt.NAME from one body. */
#define P2M_CASE(body)                                                      \
    static void ept_##body(void) { with_backend(&ept_pte_ops, body); }     \
    static void npt_##body(void) { with_backend(&npt_pte_ops, body); }
#define P2M_CASE_ENTRIES(prefix, body) \
    { prefix ".ept." #body, ept_##body }, { prefix ".npt." #body, npt_##body }

#endif /* TESTS_P2M_UTIL_H */
