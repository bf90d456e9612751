/*
 * test-p2m-access.c - p2m_set_access_range (p2m/access.c), the core
 * call behind XENMEM_access_op: only leaves of the types asked for get
 * the new access, their frames and types stay, a superpage is shattered
 * only where the range cuts it, pending global changes on the way are
 * resolved first, bad arguments change nothing, and what the modelled
 * CPU may do is always type rights & access. Runs the real p2m core on
 * both backends; touches nothing else.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>

#include "arena.h"
#include "harness.h"
#include "p2m-util.h"
#include "p2m-hw.h"
#include <asm/p2m-backends.h>

#define M2  (1ULL << P2M_ORDER_2M)
#define RAM (P2M_TYPE_BIT(p2m_ram_rw) | P2M_TYPE_BIT(p2m_ram_logdirty) | P2M_TYPE_BIT(p2m_ram_ro))

static int set(uint64_t gfn, uint64_t mfn, unsigned int order, p2m_type_t t)
{
    return p2m_set_entry(&test_p2m, _gfn(gfn), _mfn(mfn), order, t, p2m_access_rwx);
}

static int64_t access(uint64_t gfn, uint64_t nr, p2m_access_t a)
{
    return p2m_set_access_range(&test_p2m, _gfn(gfn), nr, a, RAM);
}

static void one_frame(void)
{
    static const p2m_access_t each[] = { p2m_access_n, p2m_access_r, p2m_access_rx, p2m_access_rw,
                                         p2m_access_rwx };

    CHECK_EQ(set(0x100, 0x5000, P2M_ORDER_4K, p2m_ram_rw), 0);
    for ( unsigned int i = 0; i < ARRAY_SIZE(each); i++ )
    {
        CHECK_EQ(access(0x100, 1, each[i]), 1);
        check_lookup(0x100, _mfn(0x5000), p2m_ram_rw, each[i], P2M_ORDER_4K);
        check_hw(0x100, true);
    }
    CHECK_EQ(test_p2m.stats.entries_by_type[p2m_ram_rw], 1);
    check_audit();
}
P2M_CASE(one_frame)

/* A page the guest has written (the MMU set its dirty flag, which on
 * stage 2 is the write permission S2AP[1]) and that then loses write
 * stays without it: the written state is carried where the new leaf can
 * hold it (keep_hw), never as a right. xen-access on Arm restricted a
 * page the guest kept writing and saw no event. */
static void written_page_loses_write(void)
{
    struct hw_xlat x;

    CHECK_EQ(set(0x180, 0x5800, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(hw_access(&test_p2m, 0x180, p2m_access_w, &x), HW_OK);
    CHECK_EQ(access(0x180, 1, p2m_access_rx), 1);
    check_lookup(0x180, _mfn(0x5800), p2m_ram_rw, p2m_access_rx, P2M_ORDER_4K);
    check_hw(0x180, true);
    CHECK_EQ(hw_access(&test_p2m, 0x180, p2m_access_w, &x), HW_PERMISSION);
    CHECK_EQ(access(0x180, 1, p2m_access_rwx), 1);
    CHECK_EQ(hw_access(&test_p2m, 0x180, p2m_access_w, &x), HW_OK);
    check_audit();
}
P2M_CASE(written_page_loses_write)

static void only_the_types_asked_for(void)
{
    CHECK_EQ(set(0x200, 0x6000, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(set(0x201, 0x6001, P2M_ORDER_4K, p2m_mmio_direct), 0);
    CHECK_EQ(set(0x203, 0x6003, P2M_ORDER_4K, p2m_ram_ro), 0);
    CHECK_EQ(access(0x200, 8, p2m_access_r), 2); /* a hole, MMIO: left alone */
    check_lookup(0x200, _mfn(0x6000), p2m_ram_rw, p2m_access_r, P2M_ORDER_4K);
    check_lookup(0x201, _mfn(0x6001), p2m_mmio_direct, p2m_access_rwx, P2M_ORDER_4K);
    check_hole(0x202);
    check_lookup(0x203, _mfn(0x6003), p2m_ram_ro, p2m_access_r, P2M_ORDER_4K);
    for ( uint64_t g = 0x200; g < 0x204; g++ )
        check_hw(g, true);
    check_audit();
}
P2M_CASE(only_the_types_asked_for)

static void superpage_cut_only_where_needed(void)
{
    CHECK_EQ(set(2 * M2, 0x400000, P2M_ORDER_2M, p2m_ram_rw), 0);
    CHECK_EQ(set(4 * M2, 0x600000, P2M_ORDER_2M, p2m_ram_rw), 0);
    CHECK_EQ(access(2 * M2 + 7, 1, p2m_access_rx), 1);
    check_lookup(2 * M2 + 7, _mfn(0x400007), p2m_ram_rw, p2m_access_rx, P2M_ORDER_4K);
    check_lookup(2 * M2 + 8, _mfn(0x400008), p2m_ram_rw, p2m_access_rwx, P2M_ORDER_4K);
    CHECK_EQ(test_p2m.stats.shatters, 1);
    CHECK_EQ(access(4 * M2, M2, p2m_access_r), (int64_t)M2); /* whole: stays 2M */
    check_lookup(4 * M2 + 9, _mfn(0x600009), p2m_ram_rw, p2m_access_r, P2M_ORDER_2M);
    CHECK_EQ(test_p2m.stats.shatters, 1);
    check_hw(2 * M2 + 7, true);
    check_hw(4 * M2 + 9, true);
    check_audit();
}
P2M_CASE(superpage_cut_only_where_needed)

static void pending_change_resolved_first(void)
{
    CHECK_EQ(set(0x300, 0x7000, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(p2m_begin_global_change(&test_p2m, p2m_ram_rw, p2m_ram_logdirty), 0);
    CHECK_EQ(access(0x300, 1, p2m_access_r), 1);
    check_lookup(0x300, _mfn(0x7000), p2m_ram_logdirty, p2m_access_r, P2M_ORDER_4K);
    CHECK(!path_marked(0x300));
    check_hw(0x300, true);
    /* A change begun afterwards still applies; the access stays. */
    CHECK_EQ(p2m_begin_global_change(&test_p2m, p2m_ram_logdirty, p2m_ram_rw), 0);
    check_lookup(0x300, _mfn(0x7000), p2m_ram_rw, p2m_access_r, P2M_ORDER_4K);
    check_audit();
}
P2M_CASE(pending_change_resolved_first)

static void bad_arguments_change_nothing(void)
{
    CHECK_EQ(set(0x400, 0x8000, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(access(0x400, 1, (p2m_access_t)8), -EINVAL);
    CHECK_EQ(access(P2M_GFN_LIMIT, 1, p2m_access_r), -EINVAL);
    CHECK_EQ(access(0x400, P2M_GFN_LIMIT, p2m_access_r), -EINVAL);
    CHECK_EQ(access(0x400, 0, p2m_access_r), 0);
    check_lookup(0x400, _mfn(0x8000), p2m_ram_rw, p2m_access_rwx, P2M_ORDER_4K);
    check_audit();
}
P2M_CASE(bad_arguments_change_nothing)

static const struct test_case cases[] = {
    P2M_CASE_ENTRIES("access", one_frame),
    P2M_CASE_ENTRIES("access", written_page_loses_write),
    P2M_CASE_ENTRIES("access", only_the_types_asked_for),
    P2M_CASE_ENTRIES("access", superpage_cut_only_where_needed),
    P2M_CASE_ENTRIES("access", pending_change_resolved_first),
    P2M_CASE_ENTRIES("access", bad_arguments_change_nothing),
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 16UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
