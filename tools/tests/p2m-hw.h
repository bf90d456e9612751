/*
 * p2m-hw.h - what the CPU would do with a p2m table: a model of the EPT
 * walk (Intel SDM vol. 3, "EPT Translation Mechanism", "EPT
 * Misconfigurations"), of the nested long-mode walk (AMD APM vol. 2) and
 * of the Arm stage-2 walk (Arm ARM D8, VMSAv8-64, 4K granule, with
 * FEAT_HAFDBS), written from the manuals and not from the backends, so
 * that tests can check the backends' encodings against it.
 */
#ifndef TESTS_P2M_HW_H
#define TESTS_P2M_HW_H

#include <xen/p2m.h>

enum hw_result
{
    HW_OK,          /* translated: mfn and rights valid */
    HW_NOT_PRESENT, /* EPT violation / #NPF, not present */
    HW_MISCONFIG,   /* EPT misconfiguration / #NPF with reserved bits; on
                     * stage 2, an address size fault or a descriptor no
                     * correct table holds (reserved encodings) */
    HW_ACCESS_FLAG, /* stage 2: AF clear and VTCR_EL2.HA off */
    HW_PERMISSION,  /* hw_access only: translated, but not for this access */
};

/* Stage 2's hardware updates as VTCR_EL2 turns them on (HA: the access
 * flag, HD: the dirty state through DBM), and its output size. Tests may
 * change them; they start as 1, 1, 48. */
extern bool hw_s2_ha, hw_s2_hd;
extern unsigned int hw_s2_pa_bits;

struct hw_xlat
{
    mfn_t mfn;           /* the 4K frame gfn translates to */
    unsigned int rights; /* p2m_access_* bits the walk grants */
    unsigned int level;  /* where the walk ended */
};

/* Walk p2m's table for gfn as the CPU would (rights are ANDed down). */
enum hw_result hw_walk(const struct p2m_domain *p2m, uint64_t gfn, struct hw_xlat *x);

/* A guest access (want: p2m_access_* bits) at gfn: the walk, the
 * permission check, and the flags the MMU then writes into the leaf (x86:
 * accessed, and dirty on a write; stage 2: AF if HA, S2AP[1] on a write
 * to a DBM leaf if HD). HW_PERMISSION if the rights fall short. */
enum hw_result hw_access(const struct p2m_domain *p2m, uint64_t gfn, unsigned int want,
                         struct hw_xlat *x);

/* One entry on its own: what a walk reaching it at level does.
 * *leaf says whether the walk would stop here. */
enum hw_result hw_entry(const struct p2m_pte_ops *ops, p2m_pte_t pte, unsigned int level,
                        unsigned int *rights, bool *leaf);

/* What a correct entry for (mfn, t, a) lets the guest do, on this format:
 * 0 means every access faults. */
unsigned int hw_expected_rights(const struct p2m_pte_ops *ops, mfn_t mfn, p2m_type_t t,
                                p2m_access_t a);

#endif /* TESTS_P2M_HW_H */
