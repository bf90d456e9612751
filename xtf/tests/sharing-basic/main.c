/*
 * sharing-basic - memory sharing between two domains, op by op
 * (docs/designs/altp2m-sharing.md "Sharing").
 *
 * dom0 drives two p2m-target domUs through their mailboxes: d1 and d2
 * fill the same gfns with different data; dom0 enables sharing, checks
 * every refusal (not enabled, no entry, out of range, a frame mapped by
 * dom0, the console ring the hypervisor shares, a broken frame, bad
 * handles, a client gfn that is not a hole, dom0 itself, a missing
 * domain, ops Wren does not offer), then nominates, shares (one frame
 * freed, d2 reads d1's data), add_physmaps d1's frame at a hole of d2,
 * and unshares three ways: d2's write (a copy: one frame taken, d1
 * unchanged), the explicit op (a copy), and d1's write as the last
 * mapper (no copy, no frame taken). The audit op must find no error
 * after each step, and the counters, debug_gfn and shr_pages must say
 * what happened. Last, a frame shared by both is kept while d2 maps it
 * after d1's destroy, and is freed with d2: the shared-frame counter
 * goes back to 0 and the destroys give back at least everything the
 * two owned.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/memory.h>
#include <public/domctl.h>
#include <public/wren.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

const char test_title[] = "Memory sharing: nominate, share, add_physmap, unshare, audit";

#define D1        1
#define D2        2
#define MB1_GFN   0x7f100UL /* our slots for the mailboxes */
#define MB2_GFN   0x7f101UL
#define MAP_GFN   0x7f200UL      /* our slot for a foreign map of d1's */
#define G_FIRST   XTF_GFN(0x300) /* both fill [G_FIRST, G_FIRST + G_NR) */
#define G_NR      0x20UL
#define G_A       XTF_GFN(0x300)  /* shared, then d2 writes it */
#define G_B       XTF_GFN(0x301)  /* shared when the domains die */
#define G_FOREIGN XTF_GFN(0x302)  /* dom0 maps it: -E2BIG */
#define G_BROKEN  XTF_GFN(0x303)  /* broken: -EINVAL */
#define G_BUSY    XTF_GFN(0x304)  /* add_physmap onto it: not a hole */
#define G_HOLE    XTF_GFN(0x310)  /* d2 gives it back; add_physmap fills it */
#define G_V       XTF_GFN(0x305)  /* shared, then read and written through a view of d1 */
#define G_W       XTF_GFN(0x306)  /* shared, read through the view, which is then destroyed */
#define G_NONE    XTF_GFN(0x2000) /* above 16M of RAM: no entry */
#define R_FIRST   XTF_GFN(0x400)  /* range_share: untouched (zero) RAM of both */
#define R_NR      300UL           /* more than one call's slice: a continuation */
/* A view of d1 is the part of the test that is x86's: altp2m stays x86
 * (issue 14); on Arm the rest runs as it is. */
#if defined(__aarch64__)
#define HAVE_ALTP2M false
#else
#define HAVE_ALTP2M true
#endif
/* What the view steps leave in the counters: G_V shared (d2 alone maps
 * it once d1 wrote through the view) and G_W (both map it): two shared
 * frames, one mapping saved. */
#define VIEW_SHARED (HAVE_ALTP2M ? 2 : 0)
#define VIEW_SAVED  (HAVE_ALTP2M ? 1 : 0)

#define D1_DATA    0xd100000000000000ULL
#define D2_DATA    0xd200000000000000ULL
#define P2M_SHARED 12

static xtf_mb_t *mb1, *mb2;

static long sharing(struct xen_mem_sharing_op *op)
{
    return hypercall_memory_op(XENMEM_sharing_op, op);
}

static long nominate(domid_t d, uint64_t gfn, uint64_t *handle)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_nominate_gfn, .domain = d };
    long rc;

    op.u.nominate.u.gfn = gfn;
    rc = sharing(&op);
    *handle = op.u.nominate.handle;
    return rc;
}

static long share(domid_t sd, uint64_t sgfn, uint64_t sh, domid_t cd, uint64_t cgfn, uint64_t ch,
                  bool add)
{
    struct xen_mem_sharing_op op = {
        .op = add ? XENMEM_sharing_op_add_physmap : XENMEM_sharing_op_share,
        .domain = sd,
    };

    op.u.share.source_gfn = sgfn;
    op.u.share.source_handle = sh;
    op.u.share.client_gfn = cgfn;
    op.u.share.client_handle = ch;
    op.u.share.client_domain = cd;
    return sharing(&op);
}

static long gfn_op(uint8_t opcode, domid_t d, uint64_t gfn)
{
    struct xen_mem_sharing_op op = { .op = opcode, .domain = d };

    op.u.debug.u.gfn = gfn;
    return sharing(&op);
}

static long audit(void)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_audit };

    return sharing(&op);
}

static bool expect(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: %ld, expected %ld", what, got, want);
    return got == want;
}

static bool audit_clean(const char *phase)
{
    return expect(phase, audit(), 0);
}

static long enable(domid_t d, bool on)
{
    struct xen_domctl dc = { .cmd = XEN_DOMCTL_mem_sharing_op, .domain = d };

    dc.u.mem_sharing_op.op = XEN_DOMCTL_MEM_SHARING_CONTROL;
    dc.u.mem_sharing_op.u.enable = on;
    return hypercall_domctl(&dc);
}

/* What the target reads at the start of gfn (through its own p2m). */
static uint64_t peek(xtf_mb_t *mb, uint64_t gfn)
{
    mb->gfn[0] = gfn;
    if ( xtf_mb_call(mb, XTF_MB_READ, 1) )
        return xtf_error("read of gfn %#lx failed", (unsigned long)gfn), ~0ULL;
    return mb->out[0];
}

static uint64_t poke(xtf_mb_t *mb, uint64_t gfn, uint64_t val)
{
    mb->gfn[0] = gfn;
    mb->val[0] = val;
    if ( xtf_mb_call(mb, XTF_MB_WRITE, 1) )
        return xtf_error("write of gfn %#lx failed", (unsigned long)gfn), ~0ULL;
    return mb->out[0];
}

static uint64_t tot_pages(domid_t d, uint64_t *shr)
{
    struct xen_domctl_getdomaininfo info;

    if ( xtf_getdomaininfo(d, &info) )
        return xtf_error("getdomaininfo(d%u) failed", d), 0;
    if ( shr )
        *shr = info.shr_pages;
    return info.tot_pages;
}

static bool counters(const char *phase, long shared, long saved)
{
    return expect(phase, hypercall_memory_op(XENMEM_get_sharing_shared_pages, NULL), shared) &&
           expect(phase, hypercall_memory_op(XENMEM_get_sharing_freed_pages, NULL), saved);
}

static bool setup(void)
{
    mb1 = xtf_mb_attach(D1, MB1_GFN);
    mb2 = mb1 ? xtf_mb_attach(D2, MB2_GFN) : NULL;
    if ( !mb2 )
        return false;
    mb1->arg[0] = mb2->arg[0] = G_FIRST;
    mb1->arg[1] = mb2->arg[1] = G_NR;
    mb1->arg[2] = D1_DATA;
    mb2->arg[2] = D2_DATA;
    if ( xtf_mb_call(mb1, XTF_MB_FILL, 0) || xtf_mb_call(mb2, XTF_MB_FILL, 0) )
        return xtf_error("filling the targets' frames failed"), false;
    mb2->gfn[0] = G_HOLE;
    if ( xtf_mb_call(mb2, XTF_MB_DECREASE, 1) != 1 )
        return xtf_error("d2 could not give back gfn %#lx", G_HOLE), false;
    return true;
}

/*
 * Free-page counts below include the reverse map's charge: a domain's
 * first node (and every 128th) takes a page of its p2m pool, which goes
 * back to the allocator; its last node's removal takes one back.
 */

/* The console ring: a page the hypervisor shares with d1, mapped ram_rw. */
static uint64_t console_gfn(void)
{
    struct xen_hvm_param p = { .domid = D1, .index = HVM_PARAM_CONSOLE_PFN };

    if ( hypercall_hvm_op(HVMOP_get_param, &p) || !p.value )
        return xtf_error("d1 has no console ring page"), 0;
    return p.value;
}

static bool refusals_before_enable(void)
{
    uint64_t h;

    return expect("nominate before enable", nominate(D1, G_A, &h), -XEN_ENODEV) &&
           expect("enable dom0 itself", enable(0, true), -XEN_EINVAL) &&
           expect("enable d1", enable(D1, true), 0) && expect("enable d2", enable(D2, true), 0);
}

static bool refusals_nominate(void)
{
    struct xen_domctl broken = { .cmd = XEN_DOMCTL_set_broken_page_p2m, .domain = D1 };
    uint64_t h, cons = console_gfn();
    bool ok;

    broken.u.set_broken_page_p2m.pfn = G_BROKEN;
    if ( !cons || hypercall_domctl(&broken) || xtf_map_foreign(D1, G_FOREIGN, MAP_GFN) )
        return xtf_error("refusals: setting up failed"), false;
    ok = expect("nominate a hole", nominate(D1, G_NONE, &h), -XEN_EINVAL) &&
         expect("nominate past the address width", nominate(D1, 1ULL << 52, &h), -XEN_EINVAL) &&
         expect("nominate a frame dom0 maps", nominate(D1, G_FOREIGN, &h), -XEN_E2BIG) &&
         expect("nominate the console ring", nominate(D1, cons, &h), -XEN_EINVAL) &&
         expect("nominate a broken frame", nominate(D1, G_BROKEN, &h), -XEN_EINVAL) &&
         expect("nominate dom0's own", nominate(0, G_A, &h), -XEN_EPERM) &&
         expect("nominate in no domain", nominate(77, G_A, &h), -XEN_ESRCH) &&
         expect("an unknown op", gfn_op(99, D1, G_A), -XEN_ENOSYS) &&
         expect("fork with dom0 as parent (vm-fork tests the op)",
                gfn_op(XENMEM_sharing_op_fork, D1, 0), -XEN_EPERM);
    xtf_unmap_local(MAP_GFN);
    ok = ok && expect("type after the refusals", xtf_p2m_type_of(D1, G_FOREIGN), XTF_P2M_RAM_RW);
    return ok && audit_clean("audit after refusals") && counters("counters untouched", 0, 0);
}

static bool nominate_and_share(uint64_t *h1)
{
    uint64_t h2, again, tot1 = tot_pages(D1, NULL), free0, shr = 0;

    if ( !expect("nominate d1", nominate(D1, G_A, h1), 0) ||
         !expect("nominate d1 again", nominate(D1, G_A, &again), 0) ||
         !expect("same handle again", (long)again, (long)*h1) ||
         !expect("nominate d2", nominate(D2, G_A, &h2), 0) )
        return false;
    if ( !expect("d1 shared type", xtf_p2m_type_of(D1, G_A), P2M_SHARED) ||
         !expect("d1 tot_pages after nominate", tot_pages(D1, NULL), tot1 - 1) ||
         !expect("share, bad source handle", share(D1, G_A, *h1 + 77, D2, G_A, h2, false),
                 XENMEM_SHARING_OP_S_HANDLE_INVALID) ||
         !expect("share, bad client handle", share(D1, G_A, *h1, D2, G_A, h2 + 77, false),
                 XENMEM_SHARING_OP_C_HANDLE_INVALID) )
        return false;
    free0 = xtf_free_pages(); /* each nomination charged a pool page for its node */
    if ( !expect("share", share(D1, G_A, *h1, D2, G_A, h2, false), 0) )
        return false;
    tot_pages(D2, &shr);
    return expect("frames freed by share", (long)(xtf_free_pages() - free0), 1) &&
           expect("d2 reads d1's data", (long)peek(mb2, G_A), (long)(D1_DATA + G_A)) &&
           expect("d1 still reads its own", (long)peek(mb1, G_A), (long)(D1_DATA + G_A)) &&
           expect("debug_gfn", gfn_op(XENMEM_sharing_op_debug_gfn, D1, G_A), 2) &&
           expect("d2's shr_pages", (long)shr, 1) && counters("counters after share", 1, 1) &&
           audit_clean("audit after share");
}

static bool add_physmap(uint64_t h1)
{
    uint64_t free0 = xtf_free_pages();

    return expect("add_physmap onto a mapped gfn", share(D1, G_A, h1, D2, G_BUSY, 0, true),
                  XENMEM_SHARING_OP_C_HANDLE_INVALID) &&
           expect("add_physmap, bad handle", share(D1, G_A, h1 + 1, D2, G_HOLE, 0, true),
                  XENMEM_SHARING_OP_S_HANDLE_INVALID) &&
           expect("add_physmap", share(D1, G_A, h1, D2, G_HOLE, 0, true), 0) &&
           expect("add_physmap took no frame", (long)(xtf_free_pages() - free0), 0) &&
           expect("d2 reads d1's data at the hole", (long)peek(mb2, G_HOLE),
                  (long)(D1_DATA + G_A)) &&
           expect("debug_gfn after add", gfn_op(XENMEM_sharing_op_debug_gfn, D1, G_A), 3) &&
           counters("counters after add_physmap", 1, 2) && audit_clean("audit after add_physmap");
}

static bool unshare_three_ways(void)
{
    uint64_t free0 = xtf_free_pages(), free1, free2;

    if ( !expect("d2 writes its shared gfn", (long)poke(mb2, G_A, 0x77), 0x77) ||
         !expect("d2's gfn private", xtf_p2m_type_of(D2, G_A), XTF_P2M_RAM_RW) ||
         !expect("d1 unchanged", (long)peek(mb1, G_A), (long)(D1_DATA + G_A)) ||
         !expect("the copy took a frame", (long)(free0 - (free1 = xtf_free_pages())), 1) ||
         !counters("counters after the write", 1, 1) || !audit_clean("audit after the write") )
        return false;
    if ( !expect("explicit unshare", gfn_op(WREN_SHARING_OP_unshare, D2, G_HOLE), 0) ||
         !expect("unshared data", (long)peek(mb2, G_HOLE), (long)(D1_DATA + G_A)) ||
         !expect("that copy took a frame, d2's pool one more", /* its last node went */
                 (long)(free1 - (free2 = xtf_free_pages())), 2) ||
         !expect("debug_gfn, one left", gfn_op(XENMEM_sharing_op_debug_gfn, D1, G_A), 1) )
        return false;
    return expect("last mapper writes", (long)poke(mb1, G_A, 0x88), 0x88) &&
           expect("the last mapper: no copy, d1's pool one page back",
                  (long)(free2 - xtf_free_pages()), 1) &&
           expect("d1's gfn private", xtf_p2m_type_of(D1, G_A), XTF_P2M_RAM_RW) &&
           expect("debug_gfn of a private gfn", gfn_op(XENMEM_sharing_op_debug_gfn, D1, G_A),
                  -XEN_EINVAL) &&
           counters("counters after the unshares", 0, 0) && audit_clean("audit after unshares");
}

/* ---- d1's altp2m view (d1 runs with altp2m=1: mixed) ---- */

static long altp2m(uint32_t cmd, struct xen_hvm_altp2m_op *a)
{
    a->version = HVMOP_ALTP2M_INTERFACE_VERSION;
    a->cmd = cmd;
    a->domain = D1;
    return hypercall_hvm_op(HVMOP_altp2m, a);
}

/* Altp2m on for d1, a view made, every vCPU of d1 switched to it. */
static uint16_t view_on(void)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.domain_state.state = 1;
    if ( altp2m(HVMOP_altp2m_set_domain_state, &a) )
        return xtf_error("altp2m on for d1 failed"), 0;
    memset(&a.u, 0, sizeof(a.u));
    if ( altp2m(HVMOP_altp2m_create_p2m, &a) || !a.u.view.view )
        return xtf_error("creating a view of d1 failed"), 0;
    return altp2m(HVMOP_altp2m_switch_p2m, &a) ? 0 : a.u.view.view;
}

static bool view_off(uint16_t view)
{
    struct xen_hvm_altp2m_op a = { 0 };

    if ( altp2m(HVMOP_altp2m_switch_p2m, &a) )
        return xtf_error("switching d1 back to the host view failed"), false;
    a.u.view.view = view;
    return expect("view destroy", altp2m(HVMOP_altp2m_destroy_p2m, &a), 0);
}

static bool share_gfn(uint64_t gfn)
{
    uint64_t h1, h2;

    return expect("nominate d1", nominate(D1, gfn, &h1), 0) &&
           expect("nominate d2", nominate(D2, gfn, &h2), 0) &&
           expect("share", share(D1, gfn, h1, D2, gfn, h2, false), 0);
}

/*
 * A view's copy of a shared entry is in the frame's reverse map (one more
 * entry, audited in its view); a write through the view unshares the host
 * gfn, and the view's copy leaves the map with it; a view destroyed while
 * it maps a shared frame leaves the map too.
 */
static bool through_a_view(void)
{
    uint16_t view;

    if ( !share_gfn(G_V) || !share_gfn(G_W) || !(view = view_on()) )
        return false;
    if ( !expect("d1 reads through the view", (long)peek(mb1, G_V), (long)(D1_DATA + G_V)) ||
         !expect("d1 reads the other", (long)peek(mb1, G_W), (long)(D1_DATA + G_W)) ||
         !expect("entries with the view's copy", gfn_op(XENMEM_sharing_op_debug_gfn, D1, G_V), 3) ||
         !audit_clean("audit with a view's copies") )
        return false;
    if ( !expect("d1 writes through the view", (long)poke(mb1, G_V, 0x99), 0x99) ||
         !expect("d1's gfn private", xtf_p2m_type_of(D1, G_V), XTF_P2M_RAM_RW) ||
         !expect("d2 keeps the frame alone", gfn_op(XENMEM_sharing_op_debug_gfn, D2, G_V), 1) ||
         !expect("d2's data", (long)peek(mb2, G_V), (long)(D1_DATA + G_V)) ||
         !audit_clean("audit after the write through the view") || !view_off(view) )
        return false;
    return expect("the destroyed view's copy left", gfn_op(XENMEM_sharing_op_debug_gfn, D2, G_W),
                  2) &&
           audit_clean("audit after the view's destroy");
}

static long range_share(void)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_range_share, .domain = D1 };

    op.u.range.first_gfn = R_FIRST;
    op.u.range.last_gfn = R_FIRST + R_NR - 1;
    op.u.range.client_domain = D2;
    return sharing(&op);
}

/* range_share: both must be paused (Xen's rule); then every gfn of the
 * range is nominated in both and shared, across a continuation. */
static bool range(void)
{
    bool ok;

    if ( !expect("range_share while they run", range_share(), -XEN_EINVAL) )
        return false;
    if ( xtf_domctl_simple(XEN_DOMCTL_pausedomain, D1) ||
         xtf_domctl_simple(XEN_DOMCTL_pausedomain, D2) )
        return xtf_error("pausing the targets failed"), false;
    ok = expect("range_share", range_share(), 0);
    xtf_domctl_simple(XEN_DOMCTL_unpausedomain, D2);
    xtf_domctl_simple(XEN_DOMCTL_unpausedomain, D1);
    return ok &&
           expect("last gfn of the range", xtf_p2m_type_of(D2, R_FIRST + R_NR - 1), P2M_SHARED) &&
           counters("counters after range_share", VIEW_SHARED + R_NR, VIEW_SAVED + R_NR) &&
           audit_clean("audit after range_share");
}

/* A foreign map of a shared gfn unshares it first (Xen's P2M_UNSHARE):
 * dom0 sees d2's data, d2's gfn is private, d1 keeps the frame. */
static bool foreign_map_unshares(void)
{
    bool ok;

    if ( !expect("map d2's shared gfn", xtf_map_foreign(D2, R_FIRST, MAP_GFN), 0) )
        return false;
    ok = expect("dom0 reads it", (long)*(volatile uint64_t *)(MAP_GFN << PAGE_SHIFT), 0) &&
         expect("d2's gfn private", xtf_p2m_type_of(D2, R_FIRST), XTF_P2M_RAM_RW) &&
         expect("d1's still shared", xtf_p2m_type_of(D1, R_FIRST), P2M_SHARED);
    xtf_unmap_local(MAP_GFN);
    return ok &&
           counters("counters after the foreign map", VIEW_SHARED + R_NR, VIEW_SAVED + R_NR - 1) &&
           audit_clean("audit after the foreign map");
}

static bool destroy(domid_t d, xtf_mb_t *mb, uint64_t mb_gfn, uint64_t *freed)
{
    uint64_t pool = 0, owned = 0, before;
    long rc;

    if ( xtf_p2m_pool(d, &pool, NULL, &owned) )
        return xtf_error("WREN_P2M_POOL on d%u failed", d), false;
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_unmap_local(mb_gfn);
    before = xtf_free_pages();
    rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, d);
    *freed = xtf_free_pages() - before;
    printf("d%u destroyed: %lu frames back (owned %lu, pool %lu)\n", d, (unsigned long)*freed,
           (unsigned long)owned, (unsigned long)pool);
    if ( rc || *freed < owned - 1 + pool )
        return xtf_failure("destroy of d%u: rc %ld, %lu frames back", d, rc, (unsigned long)*freed),
               false;
    return true;
}

static bool shared_across_destroy(void)
{
    uint64_t h1, h2, freed;

    if ( !expect("nominate d1 G_B", nominate(D1, G_B, &h1), 0) ||
         !expect("nominate d2 G_B", nominate(D2, G_B, &h2), 0) ||
         !expect("share G_B", share(D1, G_B, h1, D2, G_B, h2, false), 0) ||
         !destroy(D1, mb1, MB1_GFN, &freed) ||
         !counters("after d1's destroy (G_B, G_V, G_W, the range but one in d2)",
                   VIEW_SHARED + R_NR, 0) ||
         !audit_clean("audit after d1's destroy") ||
         !expect("d2 still reads d1's data", (long)peek(mb2, G_B), (long)(D1_DATA + G_B)) )
        return false;
    return destroy(D2, mb2, MB2_GFN, &freed) && counters("after both destroys", 0, 0) &&
           audit_clean("audit after both destroys");
}

void test_main(void)
{
    uint64_t h1;

    if ( !setup() || !refusals_before_enable() || !refusals_nominate() )
        return;
    if ( !nominate_and_share(&h1) || !add_physmap(h1) || !unshare_three_ways() )
        return;
    if ( (HAVE_ALTP2M && !through_a_view()) || !range() || !foreign_map_unshares() ||
         !shared_across_destroy() )
        return;
    xtf_success(NULL);
}
