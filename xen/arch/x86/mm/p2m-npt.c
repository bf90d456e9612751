/*
 * p2m-npt.c - the AMD nested page table format (x86-64 long-mode entries)
 * behind struct p2m_pte_ops.
 *
 * Bit layout: asm/npt.h. This file turns (frame, level, type, access) into
 * an entry and back, and knows nothing of policy: the rights a type allows
 * come from p2m_type_rights(), the core decides what to write where.
 *
 * The format has no way to say "not readable" of a present entry, so
 * rights without R become a not-present entry (every access faults, the
 * conservative direction). Present entries always carry US, because the
 * nested walk checks them as user accesses.
 *
 * A recalculation mark clears P (the walk faults with #NPF) and keeps
 * everything else; see asm/npt.h.
 */
#include <xen/p2m.h>
#include <asm/npt.h>
#include <asm/p2m-backends.h>

static uint64_t npt_rights(p2m_type_t t, p2m_access_t a, mfn_t mfn)
{
    unsigned int r = p2m_type_rights(t) & a;

    if ( !mfn_valid_raw(mfn) || !(r & p2m_access_r) )
        return 0;
    return NPT_P | NPT_US | (r & p2m_access_w ? NPT_RW : 0) | (r & p2m_access_x ? 0 : NPT_NX);
}

static uint64_t npt_addr(mfn_t mfn)
{
    if ( !mfn_valid_raw(mfn) )
        return NPT_ADDR_MASK;
    return (mfn_x(mfn) << NPT_ADDR_SHIFT) & NPT_ADDR_MASK;
}

static uint64_t npt_cache_bits(uint64_t rights, p2m_type_t t)
{
    return (rights & NPT_P) && t == p2m_mmio_direct ? NPT_PCD | NPT_PWT : 0;
}

static p2m_pte_t npt_make_leaf(mfn_t mfn, unsigned int level, p2m_type_t t, p2m_access_t a)
{
    uint64_t rights;

    if ( t == p2m_invalid || (unsigned int)t >= p2m_type_count )
        return 0;
    rights = npt_rights(t, a, mfn);
    return rights | npt_cache_bits(rights, t) | (level > 1 ? NPT_PS : 0) | npt_addr(mfn) |
           ((uint64_t)(t + 1) << NPT_SW_TYPE_SHIFT) |
           (((uint64_t)a << NPT_SW_ACCESS_SHIFT) & NPT_SW_ACCESS_MASK);
}

static p2m_pte_t npt_make_table(mfn_t table)
{
    return NPT_P | NPT_RW | NPT_US | npt_addr(table);
}

static p2m_type_t npt_type(p2m_pte_t pte)
{
    uint64_t field = (pte & NPT_SW_TYPE_MASK) >> NPT_SW_TYPE_SHIFT;

    if ( field == 0 || field > p2m_type_count )
        return p2m_invalid;
    return (p2m_type_t)(field - 1);
}

static bool npt_is_valid(p2m_pte_t pte)
{
    return (pte & NPT_P) || (pte & (NPT_SW_TYPE_MASK | NPT_SW_RECALC));
}

static bool npt_is_leaf(p2m_pte_t pte, unsigned int level)
{
    if ( !npt_is_valid(pte) || level > 3 )
        return false;
    return level == 1 || (pte & NPT_PS);
}

static mfn_t npt_mfn(p2m_pte_t pte)
{
    if ( (pte & NPT_ADDR_MASK) == NPT_ADDR_MASK )
        return INVALID_MFN;
    return _mfn((pte & NPT_ADDR_MASK) >> NPT_ADDR_SHIFT);
}

static p2m_access_t npt_access(p2m_pte_t pte)
{
    return (p2m_access_t)((pte & NPT_SW_ACCESS_MASK) >> NPT_SW_ACCESS_SHIFT);
}

static p2m_pte_t npt_clear_recalc(p2m_pte_t pte)
{
    if ( !(pte & NPT_SW_RECALC) )
        return pte;
    return (pte & ~(NPT_SW_RECALC | NPT_SW_WAS_PRESENT | NPT_SW_STAMP_MASK)) |
           (pte & NPT_SW_WAS_PRESENT ? NPT_P : 0);
}

static p2m_pte_t npt_mark_recalc(p2m_pte_t pte, unsigned int stamp)
{
    pte = npt_clear_recalc(pte);
    return (pte & ~NPT_P) | NPT_SW_RECALC | (pte & NPT_P ? NPT_SW_WAS_PRESENT : 0) |
           (((uint64_t)stamp << NPT_SW_STAMP_SHIFT) & NPT_SW_STAMP_MASK);
}

static bool npt_needs_recalc(p2m_pte_t pte)
{
    return pte & NPT_SW_RECALC;
}

static unsigned int npt_recalc_stamp(p2m_pte_t pte)
{
    return (pte & NPT_SW_STAMP_MASK) >> NPT_SW_STAMP_SHIFT;
}

const struct p2m_pte_ops npt_pte_ops = {
    .name = "npt",
    .make_leaf = npt_make_leaf,
    .make_table = npt_make_table,
    .is_valid = npt_is_valid,
    .is_leaf = npt_is_leaf,
    .mfn = npt_mfn,
    .type = npt_type,
    .access = npt_access,
    .mark_recalc = npt_mark_recalc,
    .needs_recalc = npt_needs_recalc,
    .recalc_stamp = npt_recalc_stamp,
    .clear_recalc = npt_clear_recalc,
    .max_leaf_level = 3,
    .hw_managed_bits = NPT_ACCESSED | NPT_DIRTY,
    .dirty_bits = NPT_DIRTY,
    .dirty_flags_always = true,
};
