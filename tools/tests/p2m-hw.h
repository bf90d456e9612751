/*
 * p2m-hw.h - what the CPU would do with a p2m table: a model of the EPT
 * walk (Intel SDM vol. 3, "EPT Translation Mechanism", "EPT
 * Misconfigurations") and of the nested long-mode walk (AMD APM vol. 2),
 * written from the manuals and not from the backends, so that tests can
 * check the backends' encodings against it.
 */
#ifndef TESTS_P2M_HW_H
#define TESTS_P2M_HW_H

#include <xen/p2m.h>

enum hw_result
{
    HW_OK,          /* translated: mfn and rights valid */
    HW_NOT_PRESENT, /* EPT violation / #NPF, not present */
    HW_MISCONFIG,   /* EPT misconfiguration / #NPF with reserved bits */
};

struct hw_xlat
{
    mfn_t mfn;           /* the 4K frame gfn translates to */
    unsigned int rights; /* p2m_access_* bits the walk grants */
    unsigned int level;  /* where the walk ended */
};

/* Walk p2m's table for gfn as the CPU would (rights are ANDed down). */
enum hw_result hw_walk(const struct p2m_domain *p2m, uint64_t gfn, struct hw_xlat *x);

/* One entry on its own: what a walk reaching it at level does.
 * *leaf says whether the walk would stop here. */
enum hw_result hw_entry(const struct p2m_pte_ops *ops, p2m_pte_t pte, unsigned int level,
                        unsigned int *rights, bool *leaf);

/* What a correct entry for (mfn, t, a) lets the guest do, on this format:
 * 0 means every access faults. */
unsigned int hw_expected_rights(const struct p2m_pte_ops *ops, mfn_t mfn, p2m_type_t t,
                                p2m_access_t a);

#endif /* TESTS_P2M_HW_H */
