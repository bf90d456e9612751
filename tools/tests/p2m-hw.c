/*
 * p2m-hw.c - see p2m-hw.h. Bit positions are spelled out here, not taken
 * from asm/ept.h or asm/npt.h, on purpose.
 */
#include "p2m-hw.h"

#include <xen/mm.h>
#include <asm/p2m-backends.h>

#define ADDR_MASK 0x000ffffffffff000ULL

/* EPT: R/W/X in bits 0-2, memory type 3-5, large page 7. */
static enum hw_result ept_entry(p2m_pte_t pte, unsigned int level, unsigned int *rights, bool *leaf)
{
    unsigned int rwx = pte & 7, mt = (pte >> 3) & 7;

    *leaf = level == 1 || (level <= 3 && (pte & (1ULL << 7)));
    *rights = rwx;
    if ( !rwx )
        return HW_NOT_PRESENT;
    if ( (rwx & 2) && !(rwx & 1) )
        return HW_MISCONFIG; /* write without read */
    if ( (pte & ADDR_MASK) == ADDR_MASK )
        return HW_MISCONFIG; /* above MAXPHYADDR */
    if ( level == 4 && (pte & 0xf8) )
        return HW_MISCONFIG; /* bits 7:3 reserved */
    if ( !*leaf && (pte & 0x78) )
        return HW_MISCONFIG; /* bits 6:3 reserved */
    if ( *leaf && (mt == 2 || mt == 3 || mt == 7) )
        return HW_MISCONFIG; /* reserved memory type */
    return HW_OK;
}

/* Nested long mode: P 0, RW 1, US 2, PS 7, NX 63; walks are user accesses. */
static enum hw_result npt_entry(p2m_pte_t pte, unsigned int level, unsigned int *rights, bool *leaf)
{
    *leaf = level == 1 || (level <= 3 && (pte & (1ULL << 7)));
    *rights = p2m_access_r | (pte & 2 ? p2m_access_w : 0) | (pte & (1ULL << 63) ? 0 : p2m_access_x);
    if ( !(pte & 1) )
        return HW_NOT_PRESENT;
    if ( (level == 4 && (pte & (1ULL << 7))) || !(pte & 4) )
        return HW_MISCONFIG; /* reserved PS, or a supervisor page */
    return HW_OK;
}

enum hw_result hw_entry(const struct p2m_pte_ops *ops, p2m_pte_t pte, unsigned int level,
                        unsigned int *rights, bool *leaf)
{
    return ops == &ept_pte_ops ? ept_entry(pte, level, rights, leaf)
                               : npt_entry(pte, level, rights, leaf);
}

enum hw_result hw_walk(const struct p2m_domain *p2m, uint64_t gfn, struct hw_xlat *x)
{
    const p2m_pte_t *table = mfn_to_virt(p2m->root);
    unsigned int level, acc = 7;

    for ( level = P2M_LEVELS; level >= 1; level-- )
    {
        p2m_pte_t pte = table[(gfn >> ((level - 1) * 9)) & 511];
        unsigned int rights;
        bool leaf;
        enum hw_result r = hw_entry(p2m->ops, pte, level, &rights, &leaf);

        x->level = level;
        if ( r != HW_OK )
            return r;
        acc &= rights;
        if ( leaf )
        {
            uint64_t span = 1ULL << ((level - 1) * 9);

            x->mfn = _mfn(((pte & ADDR_MASK) >> 12) + (gfn & (span - 1)));
            x->rights = acc;
            return HW_OK;
        }
        table = mfn_to_virt(_mfn((pte & ADDR_MASK) >> 12));
    }
    return HW_MISCONFIG; /* not reached: level 1 is a leaf */
}

unsigned int hw_expected_rights(const struct p2m_pte_ops *ops, mfn_t mfn, p2m_type_t t,
                                p2m_access_t a)
{
    unsigned int r = p2m_type_rights(t) & a;

    if ( !mfn_valid_raw(mfn) || t == p2m_invalid )
        return 0;
    if ( ops == &ept_pte_ops )
        return (r & p2m_access_w) && !(r & p2m_access_r) ? r & ~p2m_access_w : r;
    return r & p2m_access_r ? r : 0; /* present implies readable */
}
