/*
 * vmce-inject - dom0 breaks a domU's frame through XEN_MC and checks the
 * whole path: the same #MC handler a real machine check runs, the broken
 * frame, the guest's vMCE, and the frame staying out of service.
 *
 * d1 is tests/vmce-target with CR4.MCE and a #MC handler. dom0:
 *  1. finds d1's frame at VMCE_DATA_GFN (XEN_SYSCTL_wren_frame): RAM,
 *     d1's, not broken; d1 reads it fine;
 *  2. XEN_MC_msrinject (MC_MSRINJ_F_GPADDR: MC1_ADDR is d1's
 *     guest-physical address) of an uncorrected, action-required memory
 *     error with a model-specific code, then XEN_MC_mceinject;
 *  3. d1's handler saw MCG_STATUS.MCIP, MC1_STATUS as injected without
 *     the model-specific code, MC1_ADDR = the guest address, MC1_MISC;
 *  4. the entry is p2m_ram_broken, the frame broken, the counters moved;
 *  5. d1 reads the frame again: a second vMCE (EIPV) at that access, which
 *     its handler turns into VMCE_POISON: d1 goes on;
 *  6. a foreign mapping of the broken frame is refused, dom0 unharmed;
 *  7. bad XEN_MC calls are refused with Xen's codes, changing nothing;
 *  8. d1 exits and is destroyed: the frame is retired, not freed, and
 *     the 4096 frames dom0 then populates (its limit raised for them:
 *     d1's freed RAM is what the allocator hands out first) never
 *     include it.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/vmce.h>
#include <public/sched.h>
#include <public/memory.h>
#include <public/arch-x86/xen-mca.h>

const char test_title[] = "vMCE: XEN_MC injection breaks a domU frame";

#define TARGET      1
#define MB_GFN      0x7f100UL
#define FOREIGN_GFN 0x7f180UL
#define SPARE_GFN   0x70000UL
#define NR_SPARE    4096 /* d1's 16 MiB, freed just before: the lists' head */
#define MSCOD_TEST  (0x0010ULL << 16)
#define ADDR_OFFSET 0x40

static xtf_mb_t *mb;
static uint64_t broken_mfn;
static struct xen_sysctl_wren_frame before;

/* Poll d1's handler record until it has taken n #MCs. */
static bool wait_taken(uint64_t n)
{
    for ( unsigned int i = 0; i < 2000; i++ )
    {
        long rc = xtf_mb_call(mb, VMCE_MB_STATUS, 0);

        if ( rc )
        {
            xtf_mb_report(mb, "status", rc);
            return false;
        }
        if ( mb->out[0] >= n )
            return true;
        hypercall_yield();
    }
    xtf_failure("d1 took %lu #MCs, expected %lu", (unsigned long)mb->out[0], (unsigned long)n);
    return false;
}

static bool touch(uint64_t *value)
{
    long rc;

    mb->gfn[0] = VMCE_DATA_GFN;
    rc = xtf_mb_call(mb, VMCE_MB_TOUCH, 1);
    if ( rc )
    {
        xtf_mb_report(mb, "touch", rc);
        return false;
    }
    *value = mb->out[0];
    return true;
}

static bool step_find_frame(void)
{
    uint64_t v = 0;

    if ( xtf_frame_of_gfn(TARGET, VMCE_DATA_GFN, &before) )
        return xtf_error("XEN_SYSCTL_wren_frame of d1's gfn failed"), false;
    broken_mfn = before.mfn;
    printf("d1 gfn %#lx is mfn %#lx (type %u, flags %#x, owner %u)\n", VMCE_DATA_GFN,
           (unsigned long)broken_mfn, before.p2m_type, before.flags, before.owner);
    if ( before.p2m_type != XTF_P2M_RAM_RW || !(before.flags & WREN_FRAME_F_GUEST) ||
         before.owner != TARGET || (before.flags & WREN_FRAME_F_BROKEN) )
        return xtf_error("d1's frame is not plain RAM of d1's"), false;
    if ( !touch(&v) || v != 0x1234567890abcdefULL )
        return xtf_error("d1 reads %#lx before the error", (unsigned long)v), false;
    return true;
}

static bool step_inject(void)
{
    long rc = xtf_mce_inject(0, true, TARGET, MCG_STATUS_MCIP | MCG_STATUS_RIPV,
                             VMCE_TEST_STATUS | MSCOD_TEST,
                             (VMCE_DATA_GFN << PAGE_SHIFT) | ADDR_OFFSET, VMCE_TEST_MISC);

    if ( rc )
        return xtf_failure("XEN_MC injection: %ld", rc), false;
    if ( !wait_taken(1) )
        return false;
    if ( !(mb->out[1] & MCG_STATUS_MCIP) )
        xtf_failure("guest MCG_STATUS %#lx without MCIP", (unsigned long)mb->out[1]);
    if ( mb->out[2] != VMCE_TEST_STATUS )
        xtf_failure("guest MC1_STATUS %#lx, expected %#llx (MSCOD hidden)",
                    (unsigned long)mb->out[2], VMCE_TEST_STATUS);
    if ( mb->out[3] != ((VMCE_DATA_GFN << PAGE_SHIFT) | ADDR_OFFSET) )
        xtf_failure("guest MC1_ADDR %#lx, expected its gpa %#lx", (unsigned long)mb->out[3],
                    (VMCE_DATA_GFN << PAGE_SHIFT) | ADDR_OFFSET);
    if ( mb->out[4] != VMCE_TEST_MISC )
        xtf_failure("guest MC1_MISC %#lx", (unsigned long)mb->out[4]);
    return true;
}

static bool step_broken_state(void)
{
    struct xen_sysctl_wren_frame f;

    if ( xtf_frame_of_gfn(TARGET, VMCE_DATA_GFN, &f) )
        return xtf_error("XEN_SYSCTL_wren_frame after the error failed"), false;
    if ( f.p2m_type != 13 /* p2m_ram_broken */ || f.mfn != broken_mfn )
        xtf_failure("d1's entry: type %u mfn %#lx, expected ram_broken (13) at %#lx", f.p2m_type,
                    (unsigned long)f.mfn, (unsigned long)broken_mfn);
    if ( !(f.flags & WREN_FRAME_F_BROKEN) )
        xtf_failure("the frame table does not say mfn %#lx is broken", (unsigned long)broken_mfn);
    if ( f.reported != before.reported + 1 || f.owned != before.owned + 1 ||
         f.injected != before.injected + 1 )
        xtf_failure("counters: reported %lu owned %lu injected %lu, expected one more each",
                    (unsigned long)f.reported, (unsigned long)f.owned, (unsigned long)f.injected);
    return true;
}

static bool step_touch_broken(void)
{
    uint64_t v = 0;

    if ( !touch(&v) )
        return false;
    if ( v != VMCE_POISON )
        return xtf_failure("d1 read %#lx from its broken frame, no #MC", (unsigned long)v), false;
    if ( !wait_taken(2) )
        return false;
    if ( mb->out[3] != (VMCE_DATA_GFN << PAGE_SHIFT) || !(mb->out[1] & MCG_STATUS_EIPV) )
        xtf_failure("access vMCE: MC1_ADDR %#lx MCG_STATUS %#lx", (unsigned long)mb->out[3],
                    (unsigned long)mb->out[1]);
    return true;
}

static void step_foreign(void)
{
    long rc = xtf_map_foreign(TARGET, VMCE_DATA_GFN, FOREIGN_GFN);

    if ( !rc )
    {
        xtf_failure("dom0 mapped d1's broken frame");
        xtf_unmap_local(FOREIGN_GFN);
    }
    else
        printf("foreign map of the broken frame: %ld (refused)\n", rc);
}

static void expect_mc(struct xen_mc *mc, long want, const char *what)
{
    long rc = hypercall_mca(mc);

    if ( rc != want )
        xtf_failure("XEN_MC %s: %ld, expected %ld", what, rc, want);
}

static void step_bad_calls(void)
{
    struct xen_mc mc = { .cmd = XEN_MC_msrinject, .interface_version = XEN_MCA_INTERFACE_VERSION };

    mc.interface_version = 0x01ecc002;
    expect_mc(&mc, -XEN_EACCES, "old interface version");
    mc.interface_version = XEN_MCA_INTERFACE_VERSION;
    mc.u.mc_msrinject.mcinj_count = 1;
    mc.u.mc_msrinject.mcinj_msr[0] = (xen_mcinfo_msr_t){ 0x10 /* TSC */, 0 };
    expect_mc(&mc, -XEN_EINVAL, "msrinject of the TSC");
    mc.u.mc_msrinject.mcinj_msr[0] = (xen_mcinfo_msr_t){ MSR_MC1_ADDR, 1ULL << 60 };
    mc.u.mc_msrinject.mcinj_flags = MC_MSRINJ_F_GPADDR;
    mc.u.mc_msrinject.mcinj_domid = TARGET;
    expect_mc(&mc, -XEN_EINVAL, "msrinject of a gpa beyond d1");
    mc.u.mc_msrinject.mcinj_flags = 1U << 16;
    expect_mc(&mc, -XEN_EINVAL, "msrinject with a reserved flag");
    mc.u.mc_msrinject.mcinj_flags = 0;
    mc.u.mc_msrinject.mcinj_count = MC_MSRINJ_MAXMSRS + 1;
    expect_mc(&mc, -XEN_EINVAL, "msrinject of 9 MSRs");
    mc.cmd = XEN_MC_fetch;
    expect_mc(&mc, -XEN_ENOSYS, "fetch");
}

static long spare(unsigned int cmd, uint64_t gfn)
{
    xen_pfn_t pfn = gfn;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, &pfn);
    return hypercall_memory_op(cmd, &r);
}

static bool raise_own_limit(void)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl op = { .cmd = XEN_DOMCTL_max_mem, .domain = 0 };

    if ( xtf_getdomaininfo(0, &info) )
        return false;
    op.u.max_mem.max_memkb = (info.tot_pages + NR_SPARE + 64) << 2;
    return !hypercall_domctl(&op);
}

/* Frames dom0 is given now never include the broken one. */
static void step_never_again(void)
{
    unsigned int got = 0;

    if ( !raise_own_limit() )
        return xtf_error("XEN_DOMCTL_max_mem for dom0 failed");
    for ( unsigned int i = 0; i < NR_SPARE; i++ )
    {
        struct xen_sysctl_wren_frame f;

        if ( spare(XENMEM_populate_physmap, SPARE_GFN + i) != 1 )
            break;
        got++;
        if ( !xtf_frame_of_gfn(0, SPARE_GFN + i, &f) && f.mfn == broken_mfn )
            xtf_failure("the broken mfn %#lx was handed to dom0 again", (unsigned long)f.mfn);
    }
    for ( unsigned int i = 0; i < got; i++ )
        spare(XENMEM_decrease_reservation, SPARE_GFN + i);
    printf("%u fresh frames for dom0, none of them the broken one\n", got);
    if ( !got )
        xtf_error("dom0 could not populate any frame");
}

static bool step_destroy(void)
{
    struct xen_sysctl_wren_frame f;
    unsigned int reason = ~0U;
    long rc = xtf_mb_call(mb, XTF_MB_EXIT, 0);

    if ( rc || xtf_wait_shutdown(TARGET, 100000, &reason) || reason != SHUTDOWN_poweroff )
        return xtf_failure("d1 did not power off (rc %ld, reason %u)", rc, reason), false;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, TARGET)) )
        return xtf_error("destroying d1: %ld", rc), false;
    if ( xtf_frame_query(broken_mfn, &f) )
        return xtf_error("XEN_SYSCTL_wren_frame query failed"), false;
    printf("after d1's destroy: mfn %#lx flags %#x, %lu frames retired\n",
           (unsigned long)broken_mfn, f.flags, (unsigned long)f.retired);
    if ( !(f.flags & WREN_FRAME_F_BROKEN) || (f.flags & (WREN_FRAME_F_FREE | WREN_FRAME_F_GUEST)) )
        xtf_failure("mfn %#lx after its owner died: flags %#x", (unsigned long)broken_mfn, f.flags);
    if ( f.retired != before.retired + 1 )
        xtf_failure("%lu frames retired, expected %lu", (unsigned long)f.retired,
                    (unsigned long)before.retired + 1);
    return true;
}

void test_main(void)
{
    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
        return xtf_error("no mailbox with d1");
    if ( !step_find_frame() || !step_inject() || !step_broken_state() || !step_touch_broken() )
        return;
    step_foreign();
    step_bad_calls();
    if ( !step_destroy() )
        return;
    step_never_again();
    xtf_success(NULL);
}
