/*
 * test-pte.c - the EPT, NPT and stage-2 entry formats (p2m-ept.c,
 * p2m-npt.c, arm64/mm/p2m-stage2.c):
 * every type x access x level x frame encodes and decodes back, the
 * hardware permission bits are what the SDM/APM rules and the type table
 * say, software bits never leak into hardware-meaningful bits, and the
 * bits the CPU sets (accessed/dirty) do not change what an entry means.
 * Recalculation marks, on leaves and tables, with every stamp: the CPU
 * (as modelled in p2m-hw.c) cannot walk through a marked entry, the entry
 * still decodes as before, and unmarking gives back exactly the entry.
 */
#include <xen/p2m.h>
#include <asm/ept.h>
#include <asm/npt.h>

#include "harness.h"
#include "p2m-hw.h"
#include <asm/p2m-backends.h>
#include <asm/p2m-stage2.h>

static const mfn_t frames[] = {
    { 0x1000 },
    { 0x40000 },
    { 0x80000 },
    { 0xfffffc0000ULL }, /* 1G-aligned, high */
    { 0x123400000ULL >> 12 << 12 },
    { 0 },
};

/* Stage 2 holds 36-bit frames: the high one of frames[] does not fit. */
static const mfn_t s2_frames[] = {
    { 0x1000 },
    { 0x40000 },
    { 0x80000 },
    { 0xfffc0000ULL }, /* 1G-aligned, highest */
    { 0x123400000ULL >> 12 << 12 },
    { 0 },
};

static bool aligned(mfn_t m, unsigned int level)
{
    return !(mfn_x(m) & ((1ULL << ((level - 1) * 9)) - 1));
}

/* The rights the p2m model says each type allows (ARCHITECTURE.md, brief). */
static unsigned int expected_type_rights(p2m_type_t t)
{
    switch ( t )
    {
    case p2m_ram_rw: return p2m_access_rwx;
    case p2m_ram_ro:
    case p2m_ram_logdirty:
    case p2m_ioreq_server:
    case p2m_ram_shared:
    case p2m_ram_paging_out: return p2m_access_rx;
    case p2m_mmio_direct:
    case p2m_grant_map_rw:
    case p2m_map_foreign: return p2m_access_rw;
    case p2m_grant_map_ro: return p2m_access_r;
    default: return p2m_access_n;
    }
}

static void round_trip(const struct p2m_pte_ops *ops, mfn_t m, unsigned int level, p2m_type_t t,
                       p2m_access_t a)
{
    p2m_pte_t pte = ops->make_leaf(m, level, t, a);
    p2m_pte_t aged = pte | ops->hw_managed_bits;

    if ( t == p2m_invalid )
    {
        CHECK_EQ(pte, 0);
        CHECK(!ops->is_valid(pte));
        return;
    }
    CHECK_MSG(ops->is_valid(pte) && ops->is_leaf(pte, level),
              "%s type %u access %u level %u: %#llx not a valid leaf", ops->name, t, a, level,
              (unsigned long long)pte);
    CHECK(mfn_eq(ops->mfn(pte), m));
    CHECK_EQ(ops->type(pte), t);
    CHECK_EQ(ops->access(pte), a);
    /* What the CPU writes does not change the meaning. */
    CHECK(ops->is_leaf(aged, level) && mfn_eq(ops->mfn(aged), m));
    CHECK_EQ(ops->type(aged), t);
    CHECK_EQ(ops->access(aged), a);
    CHECK_EQ(pte & ops->hw_managed_bits, 0);
}

static void check_ept_hw_bits(mfn_t m, unsigned int level, p2m_type_t t, p2m_access_t a)
{
    p2m_pte_t pte = ept_pte_ops.make_leaf(m, level, t, a);
    unsigned int want = expected_type_rights(t) & a;
    uint64_t rwx = 0;

    if ( t == p2m_invalid )
        return;
    if ( (want & p2m_access_w) && !(want & p2m_access_r) )
        want &= ~p2m_access_w; /* W without R is an EPT misconfiguration */
    if ( !mfn_valid_raw(m) )
        want = 0;
    rwx = (want & 1 ? EPT_R : 0) | (want & 2 ? EPT_W : 0) | (want & 4 ? EPT_X : 0);
    CHECK_MSG((pte & EPT_RWX) == rwx, "ept type %u access %u: rwx %#llx, want %#llx", t, a,
              (unsigned long long)(pte & EPT_RWX), (unsigned long long)rwx);
    CHECK_EQ(!!(pte & EPT_LARGE), level > 1);
    CHECK_EQ((pte & EPT_MT_MASK) >> EPT_MT_SHIFT, t == p2m_mmio_direct ? EPT_MT_UC : EPT_MT_WB);
    CHECK_EQ(pte & (EPT_IGNORE_PAT | EPT_USER_EXEC | EPT_SUPPRESS_VE | EPT_ACCESSED | EPT_DIRTY |
                    (1ULL << 11) | (1ULL << 62)),
             0);
    if ( mfn_valid_raw(m) )
        CHECK_EQ(pte & EPT_ADDR_MASK, mfn_x(m) << 12);
}

static void check_npt_hw_bits(mfn_t m, unsigned int level, p2m_type_t t, p2m_access_t a)
{
    p2m_pte_t pte = npt_pte_ops.make_leaf(m, level, t, a);
    unsigned int want = expected_type_rights(t) & a;
    bool present = mfn_valid_raw(m) && (want & p2m_access_r);

    if ( t == p2m_invalid )
        return;
    CHECK_EQ(!!(pte & NPT_P), present);
    if ( present )
    {
        CHECK(pte & NPT_US);
        CHECK_EQ(!!(pte & NPT_RW), !!(want & p2m_access_w));
        CHECK_EQ(!!(pte & NPT_NX), !(want & p2m_access_x));
        CHECK_EQ(!!(pte & NPT_PCD) + !!(pte & NPT_PWT), t == p2m_mmio_direct ? 2 : 0);
    }
    else
        CHECK_EQ(pte & (NPT_RW | NPT_US | NPT_NX | NPT_PCD | NPT_PWT), 0);
    CHECK_EQ(!!(pte & NPT_PS), level > 1);
    CHECK_EQ(pte & (NPT_ACCESSED | NPT_DIRTY | (1ULL << 8) | (0xfULL << 59)), 0);
    if ( mfn_valid_raw(m) )
        CHECK_EQ(pte & NPT_ADDR_MASK, mfn_x(m) << 12);
}

static void all_combinations(const struct p2m_pte_ops *ops,
                             void (*check)(mfn_t, unsigned int, p2m_type_t, p2m_access_t))
{
    const mfn_t *fr = ops == &stage2_pte_ops ? s2_frames : frames;
    unsigned int nr = ops == &stage2_pte_ops ? ARRAY_SIZE(s2_frames) : ARRAY_SIZE(frames);
    unsigned int level, t, a, f;

    for ( level = 1; level <= 3; level++ )
        for ( t = 0; t < p2m_type_count; t++ )
            for ( a = 0; a <= p2m_access_rwx; a++ )
            {
                for ( f = 0; f < nr; f++ )
                    if ( aligned(fr[f], level) )
                        check(fr[f], level, t, a);
                if ( p2m_type_rights(t) == p2m_access_n )
                    check(INVALID_MFN, level, t, a);
            }
}

static void ept_round_trip(mfn_t m, unsigned int l, p2m_type_t t, p2m_access_t a)
{
    round_trip(&ept_pte_ops, m, l, t, a);
}

static void npt_round_trip(mfn_t m, unsigned int l, p2m_type_t t, p2m_access_t a)
{
    round_trip(&npt_pte_ops, m, l, t, a);
}

static void s2_round_trip(mfn_t m, unsigned int l, p2m_type_t t, p2m_access_t a)
{
    round_trip(&stage2_pte_ops, m, l, t, a);
}

/* Stage 2, from asm/p2m-stage2.h and the Arm ARM: S2AP and XN say the
 * rights exactly; writable leaves start clean (DBM, no S2AP[1]); AF set;
 * Normal WB inner-shareable RAM, Device-nGnRE mmio_direct; nothing in the
 * RES0 bits the marks borrow; a leaf without rights is not valid. */
static void check_s2_hw_bits(mfn_t m, unsigned int level, p2m_type_t t, p2m_access_t a)
{
    p2m_pte_t pte = stage2_pte_ops.make_leaf(m, level, t, a);
    unsigned int want = mfn_valid_raw(m) ? expected_type_rights(t) & a : 0;
    uint64_t attrs = t == p2m_mmio_direct ? 0x1ULL << 2 : (0xfULL << 2) | (3ULL << 8);

    if ( t == p2m_invalid )
        return;
    CHECK_EQ(!!(pte & S2_TABLE_OR_PAGE), level == 1);
    CHECK_EQ(pte & (S2_MARK | S2_MARK_WAS_VALID | S2_MARK_STAMP_MASK | S2_CONTIGUOUS), 0);
    CHECK_EQ(pte & S2_S2AP_W, 0); /* clean */
    if ( mfn_valid_raw(m) )
        CHECK_EQ(pte & S2_ADDR_MASK, mfn_x(m) << 12);
    if ( !want )
    {
        CHECK_EQ(pte & (S2_VALID | S2_AF | S2_MEMATTR_MASK | S2_SH_MASK | S2_S2AP_R | S2_DBM |
                        S2_XN_MASK),
                 0);
        return;
    }
    CHECK(pte & S2_VALID);
    CHECK(pte & S2_AF);
    CHECK_EQ(!!(pte & S2_S2AP_R), !!(want & p2m_access_r));
    CHECK_EQ(!!(pte & S2_DBM), !!(want & p2m_access_w));
    CHECK_EQ(pte & S2_XN_MASK, want & p2m_access_x ? 0 : 2ULL << 53);
    CHECK_EQ(pte & (S2_MEMATTR_MASK | S2_SH_MASK), attrs);
}

static void test_s2_round_trip(void)
{
    all_combinations(&stage2_pte_ops, s2_round_trip);
}
static void test_s2_hw_bits(void)
{
    all_combinations(&stage2_pte_ops, check_s2_hw_bits);
}

/* The model agrees: a walk through a lone valid leaf gives exactly type
 * rights & access (with HD on, a clean writable leaf still takes writes),
 * a leaf without rights is a translation fault. */
static void check_s2_model(mfn_t m, unsigned int level, p2m_type_t t, p2m_access_t a)
{
    p2m_pte_t pte = stage2_pte_ops.make_leaf(m, level, t, a);
    unsigned int rights, want = hw_expected_rights(&stage2_pte_ops, m, t, a);
    bool leaf;
    enum hw_result r;

    if ( t == p2m_invalid )
        return;
    r = hw_entry(&stage2_pte_ops, pte, level, &rights, &leaf);
    CHECK(leaf || r == HW_NOT_PRESENT);
    CHECK_MSG(want ? r == HW_OK && rights == want : r == HW_NOT_PRESENT,
              "stage2 type %u access %u level %u: result %d rights %u, want %u", t, a, level, r,
              rights, want);
    hw_s2_ha = false; /* AF is set: no access flag fault without HA */
    CHECK_EQ(hw_entry(&stage2_pte_ops, pte, level, &rights, &leaf), r);
    hw_s2_ha = true;
}

static void test_s2_model(void)
{
    all_combinations(&stage2_pte_ops, check_s2_model);
}

static void test_type_rights_table(void)
{
    unsigned int t;

    for ( t = 0; t < p2m_type_count; t++ )
        CHECK_MSG(p2m_type_rights(t) == expected_type_rights(t), "type %u", t);
    CHECK_EQ(p2m_type_rights(p2m_type_count), p2m_access_n);
}

static void test_ept_round_trip(void)
{
    all_combinations(&ept_pte_ops, ept_round_trip);
}
static void test_npt_round_trip(void)
{
    all_combinations(&npt_pte_ops, npt_round_trip);
}
static void test_ept_hw_bits(void)
{
    all_combinations(&ept_pte_ops, check_ept_hw_bits);
}
static void test_npt_hw_bits(void)
{
    all_combinations(&npt_pte_ops, check_npt_hw_bits);
}

static void check_table_entry(const struct p2m_pte_ops *ops, p2m_pte_t want_bits)
{
    mfn_t m = _mfn(0x12345);
    p2m_pte_t pte = ops->make_table(m);
    unsigned int level;

    CHECK_EQ(pte, want_bits | (0x12345ULL << 12));
    CHECK(ops->is_valid(pte));
    for ( level = 2; level <= 4; level++ )
        CHECK(!ops->is_leaf(pte, level));
    CHECK(mfn_eq(ops->mfn(pte), m));
    CHECK_EQ(ops->type(pte), p2m_invalid);
}

static void test_table_entries(void)
{
    check_table_entry(&ept_pte_ops, EPT_RWX);
    check_table_entry(&npt_pte_ops, NPT_P | NPT_RW | NPT_US);
    check_table_entry(&stage2_pte_ops, S2_VALID | S2_TABLE_OR_PAGE);
}

/* Types that grant nothing are still entries: their type reads back. */
static void test_no_access_entries_keep_type(void)
{
    const struct p2m_pte_ops *ops[] = { &ept_pte_ops, &npt_pte_ops, &stage2_pte_ops };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
    {
        p2m_pte_t broken = ops[i]->make_leaf(_mfn(0x777), 1, p2m_ram_broken, p2m_access_rwx);
        p2m_pte_t dm = ops[i]->make_leaf(INVALID_MFN, 2, p2m_mmio_dm, p2m_access_rwx);

        CHECK(ops[i]->is_valid(broken) && ops[i]->is_leaf(broken, 1));
        CHECK_EQ(ops[i]->type(broken), p2m_ram_broken);
        CHECK_EQ(mfn_x(ops[i]->mfn(broken)), 0x777);
        CHECK(ops[i]->is_valid(dm) && ops[i]->is_leaf(dm, 2));
        CHECK(!mfn_valid_raw(ops[i]->mfn(dm)));
        CHECK_EQ(ops[i]->type(dm), p2m_mmio_dm);
        CHECK(!ops[i]->is_valid(0));
        CHECK(!ops[i]->is_leaf(0, 1));
    }
    CHECK_EQ(ept_pte_ops.make_leaf(_mfn(0x777), 1, p2m_ram_broken, p2m_access_rwx) & EPT_RWX, 0);
    CHECK_EQ(npt_pte_ops.make_leaf(_mfn(0x777), 1, p2m_ram_broken, p2m_access_rwx) & NPT_P, 0);
    CHECK_EQ(stage2_pte_ops.make_leaf(_mfn(0x777), 1, p2m_ram_broken, p2m_access_rwx) & S2_VALID,
             0);
}

static void test_examples(void)
{
    /* A few entries spelled out bit by bit. */
    CHECK_EQ(ept_pte_ops.make_leaf(_mfn(0x1234), 1, p2m_ram_rw, p2m_access_rwx),
             0x7ULL | (6ULL << 3) | (0x1234ULL << 12) | (1ULL << 52) | (7ULL << 57));
    CHECK_EQ(ept_pte_ops.make_leaf(_mfn(0x200), 2, p2m_ram_ro, p2m_access_rwx),
             0x5ULL | (6ULL << 3) | (1ULL << 7) | (0x200ULL << 12) | (4ULL << 52) | (7ULL << 57));
    CHECK_EQ(npt_pte_ops.make_leaf(_mfn(0x1234), 1, p2m_ram_rw, p2m_access_rwx),
             0x7ULL | (7ULL << 9) | (0x1234ULL << 12) | (1ULL << 52));
    CHECK_EQ(npt_pte_ops.make_leaf(_mfn(0x40000), 3, p2m_ram_logdirty, p2m_access_rw),
             0x5ULL | (1ULL << 7) | (3ULL << 9) | (0x40000ULL << 12) | (3ULL << 52) | (1ULL << 63));
    CHECK_EQ(npt_pte_ops.make_leaf(_mfn(0x200), 2, p2m_mmio_direct, p2m_access_rwx),
             0x1fULL | (1ULL << 7) | (7ULL << 9) | (0x200ULL << 12) | (6ULL << 52) | (1ULL << 63));
    CHECK_EQ(ept_pte_ops.max_leaf_level, 3);
    CHECK_EQ(npt_pte_ops.max_leaf_level, 3);
}

static void test_s2_examples(void)
{
    /* ram_rw rwx page: valid|page, Normal WB, R, ISH, AF, DBM, type 0^1. */
    CHECK_EQ(stage2_pte_ops.make_leaf(_mfn(0x1234), 1, p2m_ram_rw, p2m_access_rwx),
             0x3ULL | (0xfULL << 2) | (1ULL << 6) | (3ULL << 8) | (1ULL << 10) | (0x1234ULL << 12) |
                 (1ULL << 51) | (1ULL << 55) | (7ULL << 59));
    /* ram_ro 2M block: no W, no DBM. */
    CHECK_EQ(stage2_pte_ops.make_leaf(_mfn(0x200), 2, p2m_ram_ro, p2m_access_rwx),
             0x1ULL | (0xfULL << 2) | (1ULL << 6) | (3ULL << 8) | (1ULL << 10) | (0x200ULL << 12) |
                 (2ULL << 55) | (7ULL << 59));
    /* mmio_direct: Device-nGnRE, XN, no SH. */
    CHECK_EQ(stage2_pte_ops.make_leaf(_mfn(0x40000), 3, p2m_mmio_direct, p2m_access_rwx),
             0x1ULL | (0x1ULL << 2) | (1ULL << 6) | (1ULL << 10) | (0x40000ULL << 12) |
                 (1ULL << 51) | (2ULL << 53) | (4ULL << 55) | (7ULL << 59));
    /* Execute-only and write-only are expressible at stage 2. */
    CHECK_EQ(stage2_pte_ops.make_leaf(_mfn(0x5), 1, p2m_ram_rw, p2m_access_x) &
                 (S2_VALID | S2_S2AP_R | S2_S2AP_W | S2_DBM | S2_XN_MASK),
             S2_VALID);
    CHECK_EQ(stage2_pte_ops.make_leaf(_mfn(0x5), 1, p2m_ram_rw, p2m_access_w) &
                 (S2_VALID | S2_S2AP_R | S2_S2AP_W | S2_DBM | S2_XN_MASK),
             S2_VALID | S2_DBM | S2_XN_NONE);
    /* mmio_dm without a frame: not valid, type 4^1, frame all ones. */
    CHECK_EQ(stage2_pte_ops.make_leaf(INVALID_MFN, 2, p2m_mmio_dm, p2m_access_rwx),
             S2_ADDR_MASK | (5ULL << 55) | (7ULL << 59));
    CHECK_EQ(stage2_pte_ops.max_leaf_level, 3);
    CHECK_EQ(stage2_pte_ops.mfn_limit, (1ULL << 36) - 1);
}

/* The dirty state moves with the entry, and never as a write permission
 * into a leaf that does not grant write. */
static void test_s2_keep_hw(void)
{
    const struct p2m_pte_ops *ops = &stage2_pte_ops;
    p2m_pte_t rw = ops->make_leaf(_mfn(0x10), 1, p2m_ram_rw, p2m_access_rwx);
    p2m_pte_t ld = ops->make_leaf(_mfn(0x10), 1, p2m_ram_logdirty, p2m_access_rwx);
    p2m_pte_t dm = ops->make_leaf(_mfn(0x10), 1, p2m_ram_paged, p2m_access_rwx);

    CHECK_EQ(ops->keep_hw(rw, ld), ld); /* clean stays clean */
    CHECK_EQ(ops->keep_hw(rw | S2_S2AP_W, ld), ld | S2_SW_DIRTY);
    CHECK_EQ(ops->keep_hw(rw | S2_S2AP_W, dm), dm | S2_SW_DIRTY);
    CHECK_EQ(ops->keep_hw(ld | S2_SW_DIRTY, rw), rw | S2_S2AP_W);
    CHECK_EQ(ops->keep_hw(rw | S2_S2AP_W, rw), rw | S2_S2AP_W);
    CHECK_EQ(ops->keep_hw(S2_S2AP_W, ld), ld | S2_SW_DIRTY); /* bits gathered alone */
    CHECK_EQ(ops->dirty_bits, S2_S2AP_W | S2_SW_DIRTY);
    CHECK(ops->dirty_flags_always && ops->remap_needs_bbm);
}

/* Mark pte (a leaf or table at level) with every stamp, with and without
 * accessed/dirty, and check what marking promises. */
static void check_marks(const struct p2m_pte_ops *ops, p2m_pte_t pte, unsigned int level)
{
    unsigned int s, rights;
    bool leaf;

    for ( s = 0; s < P2M_CHANGE_LOG * 2; s++ )
    {
        p2m_pte_t p = s & P2M_CHANGE_LOG ? pte | ops->hw_managed_bits : pte;
        p2m_pte_t m = ops->mark_recalc(p, s % P2M_CHANGE_LOG);

        CHECK(!ops->needs_recalc(p));
        CHECK_EQ(ops->clear_recalc(p), p);
        CHECK(ops->needs_recalc(m));
        CHECK_EQ(ops->recalc_stamp(m), s % P2M_CHANGE_LOG);
        CHECK_EQ(ops->clear_recalc(m), p);
        CHECK_MSG(hw_entry(ops, m, level, &rights, &leaf) != HW_OK,
                  "%s: marked %#llx (from %#llx) level %u still translates", ops->name,
                  (unsigned long long)m, (unsigned long long)p, level);
        CHECK(ops->is_valid(m) && ops->is_leaf(m, level) == ops->is_leaf(p, level));
        CHECK(mfn_eq(ops->mfn(m), ops->mfn(p)));
        CHECK_EQ(ops->type(m), ops->type(p));
        CHECK_EQ(ops->access(m), ops->access(p));
        CHECK_EQ(m & ops->hw_managed_bits, p & ops->hw_managed_bits);
        /* Marking again replaces the stamp; one clear still undoes it. */
        m = ops->mark_recalc(m, (s + 3) % P2M_CHANGE_LOG);
        CHECK_EQ(ops->recalc_stamp(m), (s + 3) % P2M_CHANGE_LOG);
        CHECK_EQ(ops->clear_recalc(m), p);
    }
}

static void marks_of(const struct p2m_pte_ops *ops, mfn_t m, unsigned int level, p2m_type_t t,
                     p2m_access_t a)
{
    if ( t != p2m_invalid )
        check_marks(ops, ops->make_leaf(m, level, t, a), level);
}

static void ept_marks(mfn_t m, unsigned int l, p2m_type_t t, p2m_access_t a)
{
    marks_of(&ept_pte_ops, m, l, t, a);
}

static void npt_marks(mfn_t m, unsigned int l, p2m_type_t t, p2m_access_t a)
{
    marks_of(&npt_pte_ops, m, l, t, a);
}

static void table_marks(const struct p2m_pte_ops *ops)
{
    unsigned int level;

    for ( level = 2; level <= 4; level++ )
        check_marks(ops, ops->make_table(_mfn(0x12345)), level);
}

static void test_ept_recalc_marks(void)
{
    all_combinations(&ept_pte_ops, ept_marks);
    table_marks(&ept_pte_ops);
    /* The encoding asm/ept.h promises: memory type 2, R/W/X kept. */
    CHECK_EQ(ept_pte_ops.mark_recalc(EPT_RWX | (0x55ULL << 12), 5),
             EPT_RWX | (2ULL << 3) | (1ULL << 11) | (0x55ULL << 12) | (5ULL << 60));
}

static void s2_marks(mfn_t m, unsigned int l, p2m_type_t t, p2m_access_t a)
{
    marks_of(&stage2_pte_ops, m, l, t, a);
}

static void test_s2_recalc_marks(void)
{
    all_combinations(&stage2_pte_ops, s2_marks);
    table_marks(&stage2_pte_ops);
    /* Not valid (a translation fault at any level), valid remembered in
     * bit 11, stamp in 48-50, marked in 63; type and address kept. */
    CHECK_EQ(stage2_pte_ops.mark_recalc(0x3ULL | (0x55ULL << 12), 6),
             0x2ULL | (1ULL << 11) | (0x55ULL << 12) | (6ULL << 48) | (1ULL << 63));
}

static void test_npt_recalc_marks(void)
{
    all_combinations(&npt_pte_ops, npt_marks);
    table_marks(&npt_pte_ops);
    /* Not present, P remembered, type kept. */
    CHECK_EQ(npt_pte_ops.mark_recalc(0x7ULL | (0x55ULL << 12) | (1ULL << 52), 6),
             0x6ULL | (0x55ULL << 12) | (1ULL << 52) | (3ULL << 57) | (6ULL << 59));
}

static const struct test_case cases[] = {
    { "pte.type_rights_table", test_type_rights_table },
    { "pte.ept_round_trip", test_ept_round_trip },
    { "pte.npt_round_trip", test_npt_round_trip },
    { "pte.ept_hw_bits", test_ept_hw_bits },
    { "pte.npt_hw_bits", test_npt_hw_bits },
    { "pte.table_entries", test_table_entries },
    { "pte.no_access_entries_keep_type", test_no_access_entries_keep_type },
    { "pte.examples", test_examples },
    { "pte.ept_recalc_marks", test_ept_recalc_marks },
    { "pte.npt_recalc_marks", test_npt_recalc_marks },
    { "pte.stage2_round_trip", test_s2_round_trip },
    { "pte.stage2_hw_bits", test_s2_hw_bits },
    { "pte.stage2_model_grants_type_and_access", test_s2_model },
    { "pte.stage2_examples", test_s2_examples },
    { "pte.stage2_keep_hw", test_s2_keep_hw },
    { "pte.stage2_recalc_marks", test_s2_recalc_marks },
};

int main(void)
{
    return run_tests(cases, ARRAY_SIZE(cases));
}
