/*
 * p2m-ept.c - the Intel EPT table format behind struct p2m_pte_ops.
 *
 * Bit layout: asm/ept.h. This file turns (frame, level, type, access) into
 * an entry and back, and knows nothing of policy: the rights a type allows
 * come from p2m_type_rights(), the core decides what to write where.
 *
 * Two EPT rules shape the rights written (SDM "EPT Misconfigurations"):
 * write without read is a misconfiguration, so such an entry loses W
 * (writes fault, the conservative direction); execute-only needs the
 * CPU's execute-only capability, which the VMX setup code must check.
 *
 * A recalculation mark makes the entry's memory type 2 (reserved), so a
 * walk reaching it exits with an EPT misconfiguration; see asm/ept.h.
 */
#include <xen/p2m.h>
#include <asm/ept.h>
#include <asm/p2m-backends.h>

static uint64_t ept_rights(p2m_type_t t, p2m_access_t a, mfn_t mfn)
{
    unsigned int r = p2m_type_rights(t) & a;

    if ( !mfn_valid_raw(mfn) )
        return 0; /* nothing to reach: never present */
    if ( (r & p2m_access_w) && !(r & p2m_access_r) )
        r &= ~p2m_access_w;
    return (r & p2m_access_r ? EPT_R : 0) | (r & p2m_access_w ? EPT_W : 0) |
           (r & p2m_access_x ? EPT_X : 0);
}

static uint64_t ept_addr(mfn_t mfn)
{
    if ( !mfn_valid_raw(mfn) )
        return EPT_ADDR_MASK;
    return (mfn_x(mfn) << EPT_ADDR_SHIFT) & EPT_ADDR_MASK;
}

static uint64_t ept_memory_type(p2m_type_t t)
{
    return (t == p2m_mmio_direct ? EPT_MT_UC : EPT_MT_WB) << EPT_MT_SHIFT;
}

static p2m_pte_t ept_make_leaf(mfn_t mfn, unsigned int level, p2m_type_t t, p2m_access_t a)
{
    if ( t == p2m_invalid || (unsigned int)t >= p2m_type_count )
        return 0;
    return ept_rights(t, a, mfn) | ept_memory_type(t) | (level > 1 ? EPT_LARGE : 0) |
           ept_addr(mfn) | ((uint64_t)(t + 1) << EPT_SW_TYPE_SHIFT) |
           (((uint64_t)a << EPT_SW_ACCESS_SHIFT) & EPT_SW_ACCESS_MASK);
}

static p2m_pte_t ept_make_table(mfn_t table)
{
    return EPT_RWX | ept_addr(table);
}

static p2m_type_t ept_type(p2m_pte_t pte)
{
    uint64_t field = (pte & EPT_SW_TYPE_MASK) >> EPT_SW_TYPE_SHIFT;

    if ( field == 0 || field > p2m_type_count )
        return p2m_invalid;
    return (p2m_type_t)(field - 1);
}

static bool ept_is_valid(p2m_pte_t pte)
{
    return (pte & EPT_RWX) || (pte & EPT_SW_TYPE_MASK);
}

static bool ept_is_leaf(p2m_pte_t pte, unsigned int level)
{
    if ( !ept_is_valid(pte) || level > 3 )
        return false;
    return level == 1 || (pte & EPT_LARGE);
}

static mfn_t ept_mfn(p2m_pte_t pte)
{
    if ( (pte & EPT_ADDR_MASK) == EPT_ADDR_MASK )
        return INVALID_MFN;
    return _mfn((pte & EPT_ADDR_MASK) >> EPT_ADDR_SHIFT);
}

static p2m_access_t ept_access(p2m_pte_t pte)
{
    return (p2m_access_t)(((pte & EPT_SW_ACCESS_MASK) >> EPT_SW_ACCESS_SHIFT) & 7);
}

static p2m_pte_t ept_clear_recalc(p2m_pte_t pte)
{
    uint64_t mt;

    if ( !(pte & EPT_SW_RECALC) )
        return pte;
    /* Tables carry no memory type; leaves one their type implies. */
    mt = (pte & EPT_SW_TYPE_MASK) ? ept_memory_type(ept_type(pte)) : 0;
    return (pte & ~(EPT_MT_MASK | EPT_SW_RECALC | EPT_SW_STAMP_MASK)) | mt;
}

static p2m_pte_t ept_mark_recalc(p2m_pte_t pte, unsigned int stamp)
{
    pte = ept_clear_recalc(pte);
    return (pte & ~EPT_MT_MASK) | (EPT_MT_RECALC << EPT_MT_SHIFT) | EPT_SW_RECALC |
           (((uint64_t)stamp << EPT_SW_STAMP_SHIFT) & EPT_SW_STAMP_MASK);
}

static bool ept_needs_recalc(p2m_pte_t pte)
{
    return pte & EPT_SW_RECALC;
}

static unsigned int ept_recalc_stamp(p2m_pte_t pte)
{
    return (pte & EPT_SW_STAMP_MASK) >> EPT_SW_STAMP_SHIFT;
}

const struct p2m_pte_ops ept_pte_ops = {
    .name = "ept",
    .make_leaf = ept_make_leaf,
    .make_table = ept_make_table,
    .is_valid = ept_is_valid,
    .is_leaf = ept_is_leaf,
    .mfn = ept_mfn,
    .type = ept_type,
    .access = ept_access,
    .mark_recalc = ept_mark_recalc,
    .needs_recalc = ept_needs_recalc,
    .recalc_stamp = ept_recalc_stamp,
    .clear_recalc = ept_clear_recalc,
    .max_leaf_level = 3,
    .hw_managed_bits = EPT_ACCESSED | EPT_DIRTY,
    .dirty_bits = EPT_DIRTY,
};
