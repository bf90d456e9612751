/*
 * p2m-hw.c - see p2m-hw.h. Bit positions are spelled out here, not taken
 * from asm/ept.h, asm/npt.h or asm/p2m-stage2.h, on purpose.
 */
#include "p2m-hw.h"

#include <xen/mm.h>
#include <asm/p2m-backends.h>
#include <asm/p2m-stage2.h>

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

/*
 * Stage 2 (Arm ARM D8, VMSAv8-64 stage 2, 4K granule, 48-bit OA): bit 0
 * valid, bit 1 table (levels 0-2) or page (level 3), 0 there a block
 * (levels 1-2 only); MemAttr 5:2, S2AP 7:6 (read, write), SH 9:8, AF 10,
 * OA 47:12, DBM 51, Contiguous 52, XN[1:0] 54:53 (0b00 executable, 0b10
 * not; 0b01/0b11 split EL0 and EL1 with FEAT_XNX). Stage-2 table
 * descriptors carry no permissions. Our level 4 is the architecture's 0.
 */
bool hw_s2_ha = true, hw_s2_hd = true;
unsigned int hw_s2_pa_bits = 48;

#define S2M_OA_MASK 0x0000fffffffff000ULL

static bool s2_oa_fits(p2m_pte_t pte)
{
    return ((pte & S2M_OA_MASK) >> hw_s2_pa_bits) == 0;
}

/* Normal memory needs both halves of MemAttr nonzero; Device is 0b00xx. */
static bool s2_memattr_ok(p2m_pte_t pte, unsigned int xn)
{
    unsigned int outer = (pte >> 4) & 3, inner = (pte >> 2) & 3;

    if ( outer == 0 )
        return xn == 2; /* Device: Wren never lets the guest execute it */
    return inner != 0;
}

/* A block or page descriptor reached at arm_level (1-3). */
static enum hw_result s2_leaf(p2m_pte_t pte, unsigned int arm_level, unsigned int *rights)
{
    unsigned int xn = (pte >> 53) & 3;
    uint64_t below = ((1ULL << (9 * (3 - arm_level))) - 1) << 12;

    *rights = (pte & (1ULL << 6) ? p2m_access_r : 0) |
              ((pte & (1ULL << 7)) || ((pte & (1ULL << 51)) && hw_s2_hd) ? p2m_access_w : 0) |
              (xn == 0 ? p2m_access_x : 0);
    if ( !s2_oa_fits(pte) || (pte & below) )
        return HW_MISCONFIG; /* address size fault; OA bits a block lacks */
    if ( (pte & ((7ULL << 48) | (1ULL << 11) | (1ULL << 52))) || xn == 1 || xn == 3 )
        return HW_MISCONFIG; /* RES0, Contiguous, split XN: never written */
    if ( !s2_memattr_ok(pte, xn) )
        return HW_MISCONFIG;
    if ( !(pte & (1ULL << 10)) && !hw_s2_ha )
        return HW_ACCESS_FLAG;
    return HW_OK;
}

static enum hw_result s2_entry(p2m_pte_t pte, unsigned int level, unsigned int *rights, bool *leaf)
{
    unsigned int arm_level = P2M_LEVELS - level;
    bool bit1 = pte & 2;

    *leaf = arm_level == 3 || (!bit1 && (pte & 1));
    *rights = p2m_access_rwx;
    if ( !(pte & 1) )
        return HW_NOT_PRESENT; /* translation fault */
    if ( !bit1 && (arm_level == 0 || arm_level == 3) )
        return HW_MISCONFIG; /* no block at level 0; 0b01 reserved at 3 */
    if ( !*leaf )
        return s2_oa_fits(pte) ? HW_OK : HW_MISCONFIG;
    return s2_leaf(pte, arm_level, rights);
}

enum hw_result hw_entry(const struct p2m_pte_ops *ops, p2m_pte_t pte, unsigned int level,
                        unsigned int *rights, bool *leaf)
{
    if ( ops == &stage2_pte_ops )
        return s2_entry(pte, level, rights, leaf);
    return ops == &ept_pte_ops ? ept_entry(pte, level, rights, leaf)
                               : npt_entry(pte, level, rights, leaf);
}

/* The address field: bits 12-51 on x86, 12-47 on stage 2 (51 is DBM). */
static uint64_t entry_addr(const struct p2m_pte_ops *ops, p2m_pte_t pte)
{
    return pte & (ops == &stage2_pte_ops ? S2M_OA_MASK : ADDR_MASK);
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

            x->mfn = _mfn((entry_addr(p2m->ops, pte) >> 12) + (gfn & (span - 1)));
            x->rights = acc;
            return HW_OK;
        }
        table = mfn_to_virt(_mfn(entry_addr(p2m->ops, pte) >> 12));
    }
    return HW_MISCONFIG; /* not reached: level 1 is a leaf */
}

/* The slot of the leaf the walk for gfn ends at, or NULL. */
static p2m_pte_t *leaf_slot(const struct p2m_domain *p2m, uint64_t gfn)
{
    p2m_pte_t *table = mfn_to_virt(p2m->root);
    unsigned int level;

    for ( level = P2M_LEVELS; level >= 1; level-- )
    {
        p2m_pte_t *slot = &table[(gfn >> ((level - 1) * 9)) & 511];
        unsigned int rights;
        bool leaf;

        if ( hw_entry(p2m->ops, *slot, level, &rights, &leaf) != HW_OK )
            return NULL;
        if ( leaf )
            return slot;
        table = mfn_to_virt(_mfn(entry_addr(p2m->ops, *slot) >> 12));
    }
    return NULL;
}

/* The flags the MMU writes on an access that passed its checks (an
 * atomic OR, as the hardware's update is). */
static p2m_pte_t flags_written(const struct p2m_pte_ops *ops, p2m_pte_t pte, bool write)
{
    if ( ops == &ept_pte_ops )
        return (1ULL << 8) | (write ? 1ULL << 9 : 0);
    if ( ops != &stage2_pte_ops )
        return (1ULL << 5) | (write ? 1ULL << 6 : 0);
    return (hw_s2_ha ? 1ULL << 10 : 0) |
           (write && hw_s2_hd && (pte & (1ULL << 51)) ? 1ULL << 7 : 0);
}

enum hw_result hw_access(const struct p2m_domain *p2m, uint64_t gfn, unsigned int want,
                         struct hw_xlat *x)
{
    enum hw_result r = hw_walk(p2m, gfn, x);
    p2m_pte_t *slot;

    if ( r != HW_OK )
        return r;
    if ( (x->rights & want) != want )
        return HW_PERMISSION;
    slot = leaf_slot(p2m, gfn);
    __atomic_fetch_or(slot, flags_written(p2m->ops, *slot, want & p2m_access_w), __ATOMIC_SEQ_CST);
    return HW_OK;
}

unsigned int hw_expected_rights(const struct p2m_pte_ops *ops, mfn_t mfn, p2m_type_t t,
                                p2m_access_t a)
{
    unsigned int r = p2m_type_rights(t) & a;

    if ( !mfn_valid_raw(mfn) || t == p2m_invalid )
        return 0;
    if ( ops == &stage2_pte_ops )
        return r; /* S2AP and XN say each right on its own */
    if ( ops == &ept_pte_ops )
        return (r & p2m_access_w) && !(r & p2m_access_r) ? r & ~p2m_access_w : r;
    return r & p2m_access_r ? r : 0; /* present implies readable */
}
