/*
 * altp2m-host - every change of the host p2m reaches every view.
 *
 * dom0 controls d1 (p2m-target, altp2m=2: external, so only the
 * toolstack drives its views) through HVMOP_altp2m and the mailbox; d1
 * reads and writes its own frames with its own vCPU, on whatever view
 * dom0 switched it to. Checks, each read made on view 1 (and the last
 * ones on view 2):
 *  - copies: frames d1 filled on view 1 read the same on view 2;
 *  - a per-entry type change (DMOP set_mem_type ram_ro under a claimed
 *    type) and the global change that releases it (ram_ro -> ram_rw):
 *    a write on view 1 is dropped while ram_ro, lands after the release;
 *  - log-dirty by write-protection, dirty flags and (VMX) PML: writes on
 *    view 1 to a copy are reported at their gfn, writes through a
 *    change_gfn remap O -> A at A, in two rounds (the re-arm reaches the
 *    views); log-dirty off leaves the views writable;
 *  - a frame given back (decrease_reservation) while view 1 maps it
 *    reads as a hole on view 1, and once populated again, as the new
 *    frame: the view kept no stale frame;
 *  - change_gfn O -> A, then A given back and populated anew: O on view
 *    1 shows the new frame, O on view 0 its own;
 *  - while d1's vCPU 1 writes and reads back 64 frames without pause,
 *    dom0 switches it between views 12 times, turns log-dirty on and
 *    cleans twice (every page reported), makes a view and destroys two
 *    (one it just left): no read differs from what it wrote;
 *  - after destroy, d1's RAM and pool (the views' pages included) come
 *    back to the allocator, the frame of its #VE page too.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/dm_op.h>
#include <public/domctl.h>
#include <public/wren.h>

const char test_title[] = "altp2m: host changes reach every view";

#define TARGET   1
#define MB_GFN   0x7f100UL
#define DATA     0x300UL /* d1's frames: DATA .. DATA + 8 */
#define RO_GFN   0x310UL
#define GONE_GFN 0x311UL
#define SRC_A    0x320UL
#define VIEW_O   0x321UL
#define SRC_A2   0x322UL
#define VIEW_O2  0x323UL
#define PAT      0xa1700000000000ULL
#define OWNER    7
#define BM_GFNS  (64UL * 1024)
#define BG_FIRST 0x400UL /* vCPU 1's frames */
#define BG_NR    64UL

static xtf_mb_t *mb;
static uint64_t bitmap[BM_GFNS / 64];

static bool call(uint32_t op, uint32_t nr, const char *what)
{
    long rc = xtf_mb_call(mb, op, nr);

    if ( rc < 0 )
        xtf_error("d1 %s: %ld", what, rc);
    return rc >= 0;
}

static uint64_t rd(uint64_t gfn)
{
    mb->gfn[0] = gfn;
    return call(XTF_MB_READ, 1, "read") ? mb->out[0] : ~0ULL;
}

static void wr(uint64_t gfn, uint64_t v)
{
    mb->gfn[0] = gfn;
    mb->val[0] = v;
    call(XTF_MB_WRITE, 1, "write");
}

static void expect_rd(const char *what, uint64_t gfn, uint64_t want)
{
    uint64_t got = rd(gfn);

    if ( got == want )
        printf("  %-50s ok\n", what);
    else
        xtf_failure("%s: gfn %#lx reads %#lx, expected %#lx", what, (unsigned long)gfn,
                    (unsigned long)got, (unsigned long)want);
}

static long altp2m(uint32_t cmd, struct xen_hvm_altp2m_op *a)
{
    a->version = HVMOP_ALTP2M_INTERFACE_VERSION;
    a->cmd = cmd;
    a->domain = TARGET;
    return hypercall_hvm_op(HVMOP_altp2m, a);
}

static bool view_to(uint16_t view)
{
    struct xen_hvm_altp2m_op a = { .u.view.view = view };
    long rc = altp2m(HVMOP_altp2m_switch_p2m, &a);

    if ( rc )
        xtf_error("switch d1 to view %u: %ld", view, rc);
    return !rc;
}

static bool change_gfn(uint64_t old_gfn, uint64_t new_gfn)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    a.u.change_gfn.view = 1;
    a.u.change_gfn.old_gfn = old_gfn;
    a.u.change_gfn.new_gfn = new_gfn;
    rc = altp2m(HVMOP_altp2m_change_gfn, &a);
    if ( rc )
        xtf_error("change_gfn(1, %#lx -> %#lx): %ld", (unsigned long)old_gfn,
                  (unsigned long)new_gfn, rc);
    return !rc;
}

static bool setup(void)
{
    struct xen_hvm_altp2m_op a = { 0 };

    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
        return false;
    a.u.domain_state.state = 1;
    if ( altp2m(HVMOP_altp2m_set_domain_state, &a) )
        return xtf_error("altp2m on for d1 failed"), false;
    for ( uint16_t want = 1; want <= 2; want++ )
    {
        a = (struct xen_hvm_altp2m_op){ .u.view.hvmmem_default_access = 7 };
        if ( altp2m(HVMOP_altp2m_create_p2m, &a) || a.u.view.view != want )
            return xtf_error("creating view %u of d1 failed", want), false;
    }
    /* A #VE page holds a reference on its frame: destroy must drop it. */
    a = (struct xen_hvm_altp2m_op){ .u.enable_notify = { .vcpu_id = 0, .gfn = DATA + 7 } };
    if ( altp2m(HVMOP_altp2m_vcpu_enable_notify, &a) )
        return xtf_error("enable_notify on d1 failed"), false;
    return view_to(1);
}

/* Filled on view 1; view 2 copies the same host frames. */
static void copies(void)
{
    mb->arg[0] = DATA;
    mb->arg[1] = 8;
    mb->arg[2] = PAT;
    call(XTF_MB_FILL, 0, "fill");
    if ( !view_to(2) )
        return;
    expect_rd("view 2 sees view 1's writes", DATA + 3, PAT + DATA + 3);
    view_to(1);
}

static void type_changes(void)
{
    wr(RO_GFN, 1);
    if ( xtf_wren_p2m(TARGET, WREN_P2M_CLAIM_TYPE, XTF_P2M_RAM_RO, OWNER, 0,
                      &(struct xen_domctl_wren_p2m){ 0 }) ||
         xtf_dm_set_mem_type(TARGET, RO_GFN, 1, HVMMEM_ram_ro) )
    {
        xtf_error("making d1's gfn %#lx ram_ro failed", RO_GFN);
        return;
    }
    wr(RO_GFN, 2);
    expect_rd("ram_ro (set_mem_type): view 1's write dropped", RO_GFN, 1);
    if ( xtf_wren_p2m(TARGET, WREN_P2M_RELEASE_TYPE, XTF_P2M_RAM_RO, OWNER, XTF_P2M_RAM_RW,
                      &(struct xen_domctl_wren_p2m){ 0 }) )
    {
        xtf_error("releasing ram_ro failed");
        return;
    }
    wr(RO_GFN, 3);
    expect_rd("released (global ro -> rw): view 1's write lands", RO_GFN, 3);
}

static long shadow(uint32_t op, uint32_t mode)
{
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_shadow_op,
        .domain = TARGET,
        .u.shadow_op = { .op = op, .mode = mode, .pages = BM_GFNS },
    };

    memset(bitmap, 0, sizeof(bitmap));
    set_xen_guest_handle(d.u.shadow_op.dirty_bitmap, bitmap);
    return hypercall_domctl(&d);
}

static bool dirty(uint64_t gfn)
{
    return bitmap[gfn / 64] & (1ULL << (gfn % 64));
}

/* One round: d1 writes a copy and the remap on view 1; CLEAN must say
 * the copy's gfn and the remap's source. */
static void logdirty_round(const char *mech, unsigned int round)
{
    uint64_t copy = DATA + round;
    long rc;

    wr(copy, PAT + round);
    wr(VIEW_O, PAT + 0x100 + round);
    rc = shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0);
    if ( rc )
        return xtf_error("%s CLEAN: %ld", mech, rc);
    if ( !dirty(copy) || !dirty(SRC_A) )
        return xtf_failure("%s round %u: copy %#lx %s, remap source %#lx %s", mech, round,
                           (unsigned long)copy, dirty(copy) ? "dirty" : "NOT dirty",
                           (unsigned long)SRC_A, dirty(SRC_A) ? "dirty" : "NOT dirty");
    printf("  %-4s round %u: copy and remap source reported%s\n", mech, round,
           dirty(VIEW_O) ? " (and the remap's own gfn)" : "");
}

static void logdirty(uint32_t mech, const char *name)
{
    long rc = shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
                     WREN_LOGDIRTY_MECH(mech) | WREN_LOGDIRTY_SP_SHATTER);

    if ( rc == -XEN_EOPNOTSUPP )
        return (void)printf("  %-4s not on this CPU\n", name);
    if ( rc )
        return xtf_error("%s enable: %ld", name, rc);
    shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0);
    logdirty_round(name, 1);
    logdirty_round(name, 2);
    if ( (rc = shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0)) )
        return xtf_error("%s off: %ld", name, rc);
    wr(VIEW_O, PAT + 0x200);
    expect_rd("log-dirty off: the remap still writes A", SRC_A, PAT + 0x200);
}

static void logdirty_all(void)
{
    if ( !change_gfn(VIEW_O, SRC_A) )
        return;
    logdirty(WREN_LOGDIRTY_MECH_WP, "wp");
    logdirty(WREN_LOGDIRTY_MECH_AD, "ad");
    logdirty(WREN_LOGDIRTY_MECH_PML, "pml");
}

/* Give gfn back and take a fresh frame there. */
static bool churn(uint64_t gfn, bool populate)
{
    mb->gfn[0] = gfn;
    if ( xtf_mb_call(mb, XTF_MB_DECREASE, 1) != 1 )
        return xtf_error("d1 could not give back %#lx", (unsigned long)gfn), false;
    if ( !populate )
        return true;
    mb->gfn[0] = gfn;
    mb->arg[0] = 0;
    if ( xtf_mb_call(mb, XTF_MB_POPULATE, 1) != 1 )
        return xtf_error("d1 could not populate %#lx", (unsigned long)gfn), false;
    return true;
}

static void given_back(void)
{
    uint64_t old = PAT + 0x300;

    wr(GONE_GFN, old);
    expect_rd("view 1 maps the frame", GONE_GFN, old);
    if ( !churn(GONE_GFN, false) )
        return;
    if ( rd(GONE_GFN) == old )
        xtf_failure("view 1 still reads the frame d1 gave back");
    else
        printf("  %-50s ok\n", "given back: view 1 reads a hole");
    mb->gfn[0] = GONE_GFN;
    mb->arg[0] = 0;
    if ( xtf_mb_call(mb, XTF_MB_POPULATE, 1) != 1 )
        return xtf_error("d1 could not populate %#lx", (unsigned long)GONE_GFN);
    expect_rd("populated again: view 1 reads the new frame", GONE_GFN, 0);
}

static void remap_then_host_change(void)
{
    wr(SRC_A2, PAT + 0x400);
    wr(VIEW_O2, PAT + 0x401);
    if ( !change_gfn(VIEW_O2, SRC_A2) )
        return;
    expect_rd("remap O2 -> A2: view 1 reads A2's data", VIEW_O2, PAT + 0x400);
    if ( !churn(SRC_A2, true) )
        return;
    expect_rd("A2 replaced: the remap shows the new frame", VIEW_O2, 0);
    view_to(0);
    expect_rd("view 0: O2 is its own", VIEW_O2, PAT + 0x401);
    view_to(2);
    expect_rd("view 2: A2 is the new frame too", SRC_A2, 0);
    expect_rd("view 2: the fill is still there", DATA + 5, PAT + DATA + 5);
}

/* Wait until d1's background writer has made n more passes. */
static bool bg_passes(uint64_t n)
{
    uint64_t start = mb->bg_passes;

    for ( unsigned long spin = 0; mb->bg_passes < start + n; spin++ )
    {
        if ( spin > 50000000UL )
            return xtf_error("d1's vCPU 1 stopped writing"), false;
        hypercall_yield();
    }
    return true;
}

static bool all_dirty(uint64_t first, uint64_t nr)
{
    for ( uint64_t g = first; g < first + nr; g++ )
        if ( !dirty(g) )
            return xtf_failure("vCPU 1's page %#lx written on a view, not reported",
                               (unsigned long)g),
                   false;
    return true;
}

/* d1's vCPU 1 writes and reads back BG_NR frames without pause while
 * dom0 switches it between views, turns log-dirty on (a global change
 * under its feet), makes and destroys views: nothing it reads may differ
 * from what it wrote, and every page it writes is reported. */
static void concurrent(void)
{
    struct xen_hvm_altp2m_op a = { .u.view.hvmmem_default_access = 7 };
    long passes;

    mb->arg[0] = BG_FIRST;
    mb->arg[1] = BG_NR;
    if ( !call(XTF_MB_BG_START, 0, "start vCPU 1") || !bg_passes(1) )
        return;
    for ( unsigned int i = 0; i < 12; i++ )
        if ( !view_to(i % 3) || !bg_passes(1) )
            return;
    if ( shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, WREN_LOGDIRTY_MECH(WREN_LOGDIRTY_MECH_WP)) )
        return xtf_error("log-dirty on under vCPU 1");
    view_to(2);
    shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0);
    if ( !bg_passes(2) || shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0) || !all_dirty(BG_FIRST, BG_NR) )
        return;
    shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0);
    if ( altp2m(HVMOP_altp2m_create_p2m, &a) || !view_to(a.u.view.view) || !bg_passes(1) )
        return xtf_error("a third view under vCPU 1");
    a.u.view.view = 1;
    if ( altp2m(HVMOP_altp2m_destroy_p2m, &a) )
        return xtf_failure("destroying view 1 (unused) while vCPU 1 runs failed");
    view_to(0);
    a.u.view.view = 3;
    if ( altp2m(HVMOP_altp2m_destroy_p2m, &a) )
        return xtf_failure("destroying view 3 just left failed");
    passes = xtf_mb_call(mb, XTF_MB_BG_STOP, 0);
    if ( mb->bg_mismatches )
        return xtf_failure("vCPU 1 read back %lu wrong values (last at %#lx)",
                           (unsigned long)mb->bg_mismatches, (unsigned long)mb->bg_bad_gfn);
    printf("  vCPU 1: %ld passes over %lu frames across 12 switches, log-dirty, 2 destroys: "
           "no wrong read, every page reported\n",
           passes, BG_NR);
}

static void destroy(void)
{
    uint64_t pool = 0, owned = 0, before, after;
    long rc;

    if ( xtf_p2m_pool(TARGET, &pool, NULL, &owned) )
        return xtf_error("WREN_P2M_POOL on d1 failed");
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_unmap_local(MB_GFN);
    before = xtf_free_pages();
    rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, TARGET);
    after = xtf_free_pages();
    if ( rc )
        return xtf_failure("destroydomain(d1): %ld", rc);
    printf("Destroy freed %lu frames (d1 owned %lu, pool %lu)\n", (unsigned long)(after - before),
           (unsigned long)owned, (unsigned long)pool);
    if ( after - before < owned + pool )
        xtf_failure("destroy gave back %lu frames, expected at least %lu",
                    (unsigned long)(after - before), (unsigned long)(owned + pool));
    /* A reference left on any of its frames would keep it a zombie. */
    rc = xtf_getdomaininfo(TARGET, &(struct xen_domctl_getdomaininfo){ 0 });
    if ( rc != -XEN_ESRCH )
        xtf_failure("d1 is still there after destroy (getdomaininfo: %ld): a frame kept", rc);
}

void test_main(void)
{
    if ( !setup() )
        return;
    copies();
    type_changes();
    logdirty_all();
    given_back();
    remap_then_host_change();
    concurrent();
    destroy();
    xtf_success(NULL);
}
