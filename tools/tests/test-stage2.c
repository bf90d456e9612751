/*
 * test-stage2.c - the Arm stage-2 backend (arm64/mm/p2m-stage2.c) where
 * it differs from EPT and NPT, checked through the p2m core against the
 * stage-2 model of p2m-hw.c: the dirty state under DBM (harvest, clear,
 * write-protect and retypes that must never make a page writable), the
 * access flag, break-before-make on a live remap, the 36-bit frame limit;
 * and the pure helpers: VTCR_EL2 from the ID registers, VTTBR_EL2, VMIDs.
 * The core cases every backend runs are in test-p2m*.c.
 */
#include <xen/p2m.h>
#include <xen/errno.h>
#include <asm/p2m-stage2.h>

#include "harness.h"
#include "p2m-hw.h"
#include "p2m-util.h"
#include "arena.h"

#define RW  p2m_ram_rw
#define LD  p2m_ram_logdirty
#define RWX p2m_access_rwx
#define M2  512ULL

/* A case on a fresh stage-2 p2m (with_backend audits and tears down),
 * with the modelled MMU's HA and HD on whatever a failed case left. */
#define S2_CASE(body)                        \
    static void stage2_##body(void)          \
    {                                        \
        hw_s2_ha = hw_s2_hd = true;          \
        with_backend(&stage2_pte_ops, body); \
    }
#define S2_ENTRY(body)                 \
    {                                  \
        "stage2." #body, stage2_##body \
    }

/* A write by the guest at gfn, as the modelled MMU does it. */
static enum hw_result guest_write(uint64_t gfn)
{
    struct hw_xlat x;

    return hw_access(&test_p2m, gfn, p2m_access_w, &x);
}

static uint64_t harvest(bool clear)
{
    return p2m_harvest_dirty(&test_p2m, P2M_ORDER_4K, clear, NULL, NULL);
}

/* ---- the dirty state ---- */

/* A writable leaf starts clean; the MMU (HD on) makes it dirty on the
 * first write without a fault; a harvest reports it; clearing takes the
 * write permission back from the TLBs (a flush) and the next write sets
 * it again. */
static void dbm_write_sets_dirty(void)
{
    unsigned long flushes;

    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0x10), _mfn(0x100), 4, RW, RWX), 0);
    CHECK_EQ(harvest(false), 0);
    CHECK_EQ(guest_write(0x11), HW_OK);
    CHECK(*test_slot(0x11, 1) & S2_S2AP_W);
    CHECK_EQ(harvest(false), 1);
    flushes = test_flushes;
    CHECK_EQ(harvest(true), 1);
    CHECK_EQ(test_flushes, flushes + 1);
    CHECK_EQ(*test_slot(0x11, 1) & S2_S2AP_W, 0);
    CHECK_EQ(harvest(false), 0);
    CHECK_EQ(guest_write(0x11), HW_OK);
    CHECK_EQ(harvest(false), 1);
    check_hw(0x11, false);
}
S2_CASE(dbm_write_sets_dirty)

/* Without HD, DBM means nothing: a clean writable leaf is read-only to
 * the MMU, and the write is a permission fault for the hypervisor, which
 * does the MMU's update itself (p2m_mark_written) where the leaf grants
 * write, and only there. */
static void without_hd_the_handler_marks_written(void)
{
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0x20), _mfn(0x200), 2, RW, RWX), 0);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(0x21), RW, LD), 1);
    hw_s2_hd = false;
    CHECK_EQ(guest_write(0x20), HW_PERMISSION);
    CHECK_EQ(p2m_mark_written(&test_p2m, _gfn(0x20)), 1);
    CHECK_EQ(guest_write(0x20), HW_OK);
    CHECK_EQ(guest_write(0x21), HW_PERMISSION);
    CHECK_EQ(p2m_mark_written(&test_p2m, _gfn(0x21)), 0); /* log-dirty's fault */
    CHECK_EQ(guest_write(0x21), HW_PERMISSION);
    CHECK_EQ(p2m_mark_written(&test_p2m, _gfn(0x9999)), 0); /* a hole */
    hw_s2_hd = true;
    CHECK_EQ(harvest(false), 1);
    check_audit();
}
S2_CASE(without_hd_the_handler_marks_written)

/* Under a pending global change the update resolves first: a page that
 * is now ram_logdirty is not marked (its write is log-dirty's). */
static void mark_written_resolves_first(void)
{
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0), _mfn(0x1000), 4, RW, RWX), 0);
    CHECK_EQ(p2m_begin_global_change(&test_p2m, RW, LD), 0);
    CHECK_EQ(p2m_mark_written(&test_p2m, _gfn(2)), 0);
    CHECK(!path_marked(2));
    CHECK_EQ(harvest(false), 0);
}
S2_CASE(mark_written_resolves_first)

/* The same call on NPT sets D (x86 never needs it; it shows the call is
 * the backend's dirty flag, whatever it is). */
static void npt_mark_written_sets_d(void)
{
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(3), _mfn(0x30), 0, RW, RWX), 0);
    CHECK_EQ(p2m_mark_written(&test_p2m, _gfn(3)), 1);
    CHECK_EQ(*test_slot(3, 1) & npt_pte_ops.dirty_bits, npt_pte_ops.dirty_bits);
}

static void npt_mark_written(void)
{
    with_backend(&npt_pte_ops, npt_mark_written_sets_d);
}

/* Write-protect and the dirty state: a written page made ram_logdirty
 * (a range change, and a lazy global change) must not be writable, even
 * with HD on, and its write must still be reported; made ram_rw again it
 * is dirty as S2AP[1]. */
static void write_protect_keeps_dirty_not_write(void)
{
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0x30), _mfn(0x300), 2, RW, RWX), 0);
    CHECK_EQ(guest_write(0x30), HW_OK);
    CHECK_EQ(p2m_change_type_range(&test_p2m, _gfn(0x30), 2, RW, LD), 2);
    CHECK_EQ(guest_write(0x30), HW_PERMISSION);
    CHECK_EQ(guest_write(0x31), HW_PERMISSION);
    CHECK_EQ(*test_slot(0x30, 1) & (S2_S2AP_W | S2_DBM), 0);
    CHECK(*test_slot(0x30, 1) & S2_SW_DIRTY);
    CHECK_EQ(harvest(false), 1);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(0x30), LD, RW), 1);
    CHECK_EQ(*test_slot(0x30, 1) & (S2_S2AP_W | S2_SW_DIRTY), S2_S2AP_W);
    check_audit();
    check_hw(0x30, false);
    check_hw(0x31, false);
}
S2_CASE(write_protect_keeps_dirty_not_write)

static void global_write_protect_keeps_dirty(void)
{
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0), _mfn(0x1000), 2 * M2, RW, RWX), 0);
    CHECK_EQ(guest_write(5), HW_OK);
    CHECK_EQ(guest_write(M2 + 7), HW_OK);
    CHECK_EQ(p2m_begin_global_change(&test_p2m, RW, LD), 0);
    CHECK_EQ(guest_write(5), HW_NOT_PRESENT); /* the mark stops the walk */
    CHECK_EQ(touch(5), 1);
    CHECK_EQ(guest_write(5), HW_PERMISSION);
    CHECK_EQ(p2m_finish_pending(&test_p2m, 100), 0);
    CHECK_EQ(guest_write(M2 + 7), HW_PERMISSION);
    CHECK_EQ(harvest(false), 2); /* two 2M leaves, both written */
    CHECK_EQ(harvest(true), 2);
    CHECK_EQ(harvest(false), 0);
    check_hw(5, true);
}
S2_CASE(global_write_protect_keeps_dirty)

/* A dirty superpage split or merged keeps its dirty state (the core's
 * fill_children and coalesce go through keep_hw). */
static void dirty_survives_shatter_and_coalesce(void)
{
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(M2), _mfn(0x400), P2M_ORDER_2M, LD, RWX), 0);
    *test_slot(M2, 2) |= S2_SW_DIRTY; /* written while it was writable */
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(M2 + 3), LD, RW), 1); /* shatters */
    CHECK_EQ(*test_slot(M2 + 3, 1) & (S2_S2AP_W | S2_SW_DIRTY), S2_S2AP_W);
    CHECK_EQ(*test_slot(M2 + 4, 1) & (S2_S2AP_W | S2_SW_DIRTY), S2_SW_DIRTY);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(M2 + 3), RW, LD), 1);
    CHECK(p2m_try_coalesce(&test_p2m, _gfn(M2), P2M_ORDER_2M));
    CHECK_EQ(*test_slot(M2, 2) & (S2_S2AP_W | S2_SW_DIRTY), S2_SW_DIRTY);
    CHECK_EQ(guest_write(M2 + 9), HW_PERMISSION);
}
S2_CASE(dirty_survives_shatter_and_coalesce)

/* ---- the access flag ---- */

/* Every leaf the backend writes has AF: with HA off no access faults;
 * a leaf without AF faults without HA and gets AF from the MMU with it. */
static void access_flag(void)
{
    struct hw_xlat x;

    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0x40), _mfn(0x400), 0, RW, p2m_access_r), 0);
    hw_s2_ha = false;
    CHECK_EQ(hw_access(&test_p2m, 0x40, p2m_access_r, &x), HW_OK);
    *test_slot(0x40, 1) &= ~S2_AF;
    CHECK_EQ(hw_access(&test_p2m, 0x40, p2m_access_r, &x), HW_ACCESS_FLAG);
    hw_s2_ha = true;
    CHECK_EQ(hw_access(&test_p2m, 0x40, p2m_access_r, &x), HW_OK);
    CHECK(*test_slot(0x40, 1) & S2_AF);
    CHECK_EQ(hw_access(&test_p2m, 0x40, p2m_access_w, &x), HW_PERMISSION);
}
S2_CASE(access_flag)

/* ---- break-before-make ---- */

static p2m_pte_t *watched;
static p2m_pte_t seen_at_flush[8];
static unsigned int nr_seen;

static void record_flush(struct p2m_domain *p2m)
{
    CHECK(spin_is_locked(&p2m->lock));
    if ( nr_seen < ARRAY_SIZE(seen_at_flush) )
        seen_at_flush[nr_seen] = *watched;
    nr_seen++;
}

static void watch(uint64_t gfn, unsigned int level)
{
    watched = test_slot(gfn, level);
    nr_seen = 0;
    test_p2m.flush_tlbs = record_flush;
}

/* A live leaf given another frame, or moved between RAM and Device
 * memory, is emptied and flushed before the new entry is written; a
 * permission change is one store then a flush. */
static void live_remap_breaks_first(void)
{
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0x50), _mfn(0x500), 0, RW, RWX), 0);
    watch(0x50, 1);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0x50), _mfn(0x501), 0, RW, RWX), 0);
    CHECK_EQ(nr_seen, 1);
    CHECK_EQ(seen_at_flush[0], 0);
    check_lookup(0x50, _mfn(0x501), RW, RWX, 0);

    nr_seen = 0;
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(0x50), RW, p2m_mmio_direct), 1);
    CHECK_EQ(nr_seen, 1);
    CHECK_EQ(seen_at_flush[0], 0);
    CHECK_EQ((*watched & S2_MEMATTR_MASK) >> S2_MEMATTR_SHIFT, S2_MEMATTR_DEVICE);

    nr_seen = 0;
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0x50), _mfn(0x501), 0, p2m_mmio_direct, p2m_access_r),
             0);
    CHECK_EQ(nr_seen, 1);
    CHECK(seen_at_flush[0] & S2_VALID); /* narrowed in place */
    check_hw(0x50, false);
}
S2_CASE(live_remap_breaks_first)

/* x86 needs no break for the same change: one store, then a flush. */
static void npt_remap_is_one_store(void)
{
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0x50), _mfn(0x500), 0, RW, RWX), 0);
    watch(0x50, 1);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0x50), _mfn(0x501), 0, RW, RWX), 0);
    CHECK_EQ(nr_seen, 1);
    CHECK(seen_at_flush[0] != 0);
}

static void npt_remap(void)
{
    with_backend(&npt_pte_ops, npt_remap_is_one_store);
}

/* ---- frames ---- */

static void frames_above_36_bits_refused(void)
{
    uint64_t top = S2_MFN_LIMIT - 1;

    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(1), _mfn(S2_MFN_LIMIT), 0, RW, RWX), -EINVAL);
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0), _mfn(top - 1), 3, RW, RWX), -EINVAL);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(1), _mfn(top), 0, RW, RWX), 0);
    check_lookup(1, _mfn(top), RW, RWX, 0);
    check_hw(1, false);
}
S2_CASE(frames_above_36_bits_refused)

/* ---- VTCR_EL2, VTTBR_EL2 ---- */

#define MMFR0(parange, tgran4, tgran4_2) \
    ((uint64_t)(parange) | ((uint64_t)(tgran4) << 28) | ((uint64_t)(tgran4_2) << 40))
#define MMFR1(hafdbs, vmidbits) ((uint64_t)(hafdbs) | ((uint64_t)(vmidbits) << 4))

/* Arm ARM: with the 4K granule a stage-2 walk may start at level 0 only
 * for an input size of 40 to 48 bits (T0SZ 16 to 24). */
static bool level0_start_allowed(uint64_t vtcr)
{
    unsigned int t0sz = vtcr & 0x3f, sl0 = (vtcr >> 6) & 3;

    return sl0 == 2 && t0sz >= 16 && t0sz <= 24;
}

static void vtcr_from_id_registers(void)
{
    struct stage2_caps c;

    /* What a 48-bit CPU with 16-bit VMIDs and HAFDBS gives. */
    CHECK_EQ(stage2_probe(MMFR0(5, 0, 2), MMFR1(2, 2), &c), 0);
    CHECK(c.pa_bits == 48 && c.ipa_bits == 48 && c.vmid_bits == 16 && c.hw_access && c.hw_dirty);
    CHECK_EQ(stage2_vtcr(&c), 0x806d3590ULL);
    CHECK(level0_start_allowed(stage2_vtcr(&c)));
    CHECK_EQ(stage2_gfn_limit(&c), 1ULL << 36);

    /* What QEMU 7.2's -cpu max reports at EL2 (read by a probe): 52-bit
     * PA, 4K granule with LPA2 at both stages, HAFDBS 2, 16-bit VMIDs. It
     * ran with this VTCR_EL2 and set S2AP[1] and AF by itself. */
    CHECK_EQ(stage2_probe(0x0000032310201126ULL, 0x0000011010211122ULL, &c), 0);
    CHECK(c.pa_bits == 52 && c.ipa_bits == 48 && c.ps == 5);
    CHECK(c.vmid_bits == 16 && c.hw_access && c.hw_dirty);
    CHECK_EQ(stage2_vtcr(&c), 0x806d3590ULL);

    /* 52-bit PA (FEAT_LPA): the 4K granule without LPA2 stays at 48. */
    CHECK_EQ(stage2_probe(MMFR0(6, 0, 0), MMFR1(0, 0), &c), 0);
    CHECK(c.pa_bits == 52 && c.ipa_bits == 48 && c.ps == 5 && c.vmid_bits == 8);
    CHECK_EQ(stage2_vtcr(&c) & (VTCR_HA | VTCR_HD | VTCR_VS), 0);

    /* 40 bits: the smallest four levels take. */
    CHECK_EQ(stage2_probe(MMFR0(2, 0, 2), MMFR1(1, 0), &c), 0);
    CHECK_EQ(stage2_vtcr(&c) & 0x3f, 24);
    CHECK_EQ((stage2_vtcr(&c) >> 16) & 7, 2);
    CHECK(level0_start_allowed(stage2_vtcr(&c)));
    CHECK(c.hw_access && !c.hw_dirty);
    CHECK_EQ(stage2_vtcr(&c) & (VTCR_HA | VTCR_HD), VTCR_HA);
    CHECK_EQ(stage2_gfn_limit(&c), 1ULL << 28);

    CHECK_EQ(stage2_probe(MMFR0(1, 0, 2), 0, &c), -EOPNOTSUPP);   /* 36 bits */
    CHECK_EQ(stage2_probe(MMFR0(5, 0, 1), 0, &c), -EOPNOTSUPP);   /* no 4K at stage 2 */
    CHECK_EQ(stage2_probe(MMFR0(5, 0xf, 0), 0, &c), -EOPNOTSUPP); /* no 4K at all */
    CHECK_EQ(stage2_probe(MMFR0(8, 0, 2), 0, &c), -EOPNOTSUPP);   /* reserved PARange */
}

static void vttbr_from_root_and_vmid(void)
{
    CHECK_EQ(stage2_vttbr(0x40001000, 5, 16), (5ULL << 48) | 0x40001000);
    CHECK_EQ(stage2_vttbr(0x40001000, 0xffff, 16), (0xffffULL << 48) | 0x40001000);
    CHECK_EQ(stage2_vttbr(0x40001000, 0xff, 8), (0xffULL << 48) | 0x40001000);
    CHECK_EQ(stage2_vttbr(0x40001000, 0x100, 8), ~0ULL); /* VMID too wide */
    CHECK_EQ(stage2_vttbr(0x40001800, 1, 16), ~0ULL);    /* not 4K aligned */
    CHECK_EQ(stage2_vttbr(1ULL << 48, 1, 16), ~0ULL);    /* above 48 bits */
}

/* ---- VMIDs ---- */

static struct stage2_vmids vmids;

static void vmids_8_bits(void)
{
    uint16_t id, first = 0;
    unsigned int i;

    stage2_vmids_init(&vmids, 8);
    for ( i = 0; i < 255; i++ )
    {
        CHECK_EQ(stage2_vmid_alloc(&vmids, &id), 0);
        CHECK(id != 0 && id < 256);
        if ( i == 0 )
            first = id;
    }
    CHECK_EQ(vmids.inuse, 255);
    CHECK_EQ(stage2_vmid_alloc(&vmids, &id), -EBUSY);
    CHECK_EQ(stage2_vmid_free(&vmids, 77), 0);
    CHECK_EQ(stage2_vmid_free(&vmids, 77), -EINVAL); /* twice */
    CHECK_EQ(stage2_vmid_free(&vmids, 0), -EINVAL);
    CHECK_EQ(stage2_vmid_free(&vmids, 256), -EINVAL);
    CHECK_EQ(stage2_vmid_alloc(&vmids, &id), 0);
    CHECK_EQ(id, 77);
    CHECK_EQ(first, 1);
}

/* A freed VMID is not handed out again at once while others are free:
 * its TLB entries have the longest to be gone. */
static void vmids_16_bits_round_robin(void)
{
    uint16_t a, b, c;
    unsigned int n = 0;

    stage2_vmids_init(&vmids, 16);
    CHECK_EQ(stage2_vmid_alloc(&vmids, &a), 0);
    CHECK_EQ(stage2_vmid_alloc(&vmids, &b), 0);
    CHECK_EQ(stage2_vmid_free(&vmids, a), 0);
    CHECK_EQ(stage2_vmid_alloc(&vmids, &c), 0);
    CHECK(a == 1 && b == 2 && c == 3);
    while ( stage2_vmid_alloc(&vmids, &c) == 0 )
        n++;
    CHECK_EQ(n, 65535 - 2); /* every other one, a again among them */
    CHECK_EQ(vmids.inuse, 65535);
}

static const struct test_case cases[] = {
    S2_ENTRY(dbm_write_sets_dirty),
    S2_ENTRY(without_hd_the_handler_marks_written),
    S2_ENTRY(mark_written_resolves_first),
    { "stage2.npt.mark_written_sets_d", npt_mark_written },
    S2_ENTRY(write_protect_keeps_dirty_not_write),
    S2_ENTRY(global_write_protect_keeps_dirty),
    S2_ENTRY(dirty_survives_shatter_and_coalesce),
    S2_ENTRY(access_flag),
    S2_ENTRY(live_remap_breaks_first),
    { "stage2.npt.remap_is_one_store", npt_remap },
    S2_ENTRY(frames_above_36_bits_refused),
    { "stage2.vtcr_from_id_registers", vtcr_from_id_registers },
    { "stage2.vttbr_from_root_and_vmid", vttbr_from_root_and_vmid },
    { "stage2.vmids_8_bits", vmids_8_bits },
    { "stage2.vmids_16_bits_round_robin", vmids_16_bits_round_robin },
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 16UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
