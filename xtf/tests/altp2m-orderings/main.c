/*
 * altp2m-orderings - George Dunlap's orderings of altp2m views and memory
 * sharing (seed 004, issue 13 item 4; docs/designs/altp2m-sharing.md
 * "Part orderings" says why each one is correct).
 *
 * dom0 drives two p2m-target domUs (altp2m external mode) through their
 * mailboxes; they fill the same gfns with different data. A table of
 * orderings runs three times, on fresh gfns: plainly, then with
 * log-dirty on in d1 and d2 with the hypervisor's default mechanism
 * (A/D flags on SVM, PML on VMX), then with write-protection (the host
 * entries become ram_logdirty):
 *  1. views map G first (a copy entry, a remap O->G, an own access
 *     entry), then G is shared with d2;
 *  2. G is shared first, then a view copies it, remaps O onto it
 *     (change_gfn) and gives it an access of its own; and a view's own
 *     access for a gfn H that becomes a hole, then d1's frame added at
 *     H (add_physmap);
 *  3. unshare caused by a write to the host gfn (view 0), to the view
 *     gfn (view 1), and to a remap O->G in view 1: exactly G unshares
 *     in d1, every view entry deriving from it follows the new frame,
 *     d2 keeps the shared one, a shared bystander stays shared;
 *  4. a view destroyed while it maps shared frames: its entries leave
 *     the reverse map with their references;
 *  5. a shared frame mapped by views of both domains; d2 unshares
 *     through its view and d1 keeps the frame;
 *  6. races: d1's second vCPU writes and reads back a range on view 1
 *     while dom0 shares it with d2 over and over; no write is lost.
 * The target reads and writes with its own vCPU on the view dom0
 * switched it to (HVMOP_altp2m_switch_p2m), so every access goes through
 * the view's table. After each step: data through each view, the view's
 * access (get_mem_access), the host type, the entries of the shared
 * frame (debug_gfn counts host and view entries of every domain) and the
 * audit op (0 errors). Under log-dirty the CLEAN bitmap must name the
 * host gfns the unshares and a remap's write changed (rule 5), and never
 * a shared bystander. Last, log-dirty off, every gfn unshared by the
 * explicit op and altp2m off (the views go): the shared-frame counter
 * is 0, the audit clean, and the free frames are exactly the baseline
 * less the copies the domains' reservations grew by (a reference left
 * behind by any entry is a frame short). Then d1 makes a view again,
 * maps a frame shared with d2 through it and is destroyed while its
 * vCPU runs on that view: d2's frame is left with d2's entry alone, and
 * after d2's destroy no shared frame is left. Each destroy gives back at
 * least the frames and pool the domain holds. The lock checker is on
 * in every run: a lock-order violation panics.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/memory.h>
#include <public/domctl.h>
#include <public/wren.h>
#include <public/hvm/hvm_op.h>

const char test_title[] = "altp2m views and memory sharing: every ordering";

#define NR_DOMS    2
#define MB_GFN     0x7f100UL /* + domid - 1: our slots for the mailboxes */
#define G_FIRST    0x300UL   /* d1 and d2 fill [G_FIRST, G_FIRST + G_NR) */
#define G_NR       0x100UL
#define PASS_GFNS  0x40UL /* each pass's gfns: the previous pass's + this */
#define D1_DATA    0xd100000000000000ULL
#define D2_DATA    0xd200000000000000ULL
#define P2M_SHARED 12
#define ACC_RX     5
#define ACC_RWX    7
#define LD_PAGES   2048 /* 8 MiB of target RAM */

struct pass
{
    const char *name;
    uint64_t base; /* added to every gfn of the orderings */
    bool logdirty;
    uint32_t mech; /* WREN_LOGDIRTY_MECH_*: the hypervisor's default, wp */
};

static xtf_mb_t *mbs[NR_DOMS + 1];
static const struct pass *cur;
static const char *step;
static uint64_t ld_bits[LD_PAGES / 64];

/* ---- reporting ---- */

static bool want(const char *what, long got, long expected)
{
    if ( got != expected )
        xtf_failure("%s pass, %s: %s: %#lx, expected %#lx", cur ? cur->name : "setup", step, what,
                    got, expected);
    return got == expected;
}

static uint64_t data(domid_t d, uint64_t gfn)
{
    return (d == 1 ? D1_DATA : D2_DATA) + gfn;
}

/* ---- HVMOP_altp2m on a target ---- */

static long altp2m(domid_t d, uint32_t cmd, struct xen_hvm_altp2m_op *a)
{
    a->version = HVMOP_ALTP2M_INTERFACE_VERSION;
    a->cmd = cmd;
    a->domain = d;
    return hypercall_hvm_op(HVMOP_altp2m, a);
}

static long view_op(domid_t d, uint32_t cmd, uint16_t view)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.view.view = view;
    a.u.view.hvmmem_default_access = ACC_RWX;
    return altp2m(d, cmd, &a);
}

static long view_create(domid_t d, uint16_t *view)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    a.u.view.hvmmem_default_access = ACC_RWX;
    rc = altp2m(d, HVMOP_altp2m_create_p2m, &a);
    *view = a.u.view.view;
    return rc;
}

static long set_access(domid_t d, uint16_t view, uint64_t gfn, uint16_t access)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.mem_access.view = view;
    a.u.mem_access.access = access;
    a.u.mem_access.gfn = gfn;
    return altp2m(d, HVMOP_altp2m_set_mem_access, &a);
}

static long get_access(domid_t d, uint16_t view, uint64_t gfn)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    a.u.mem_access.view = view;
    a.u.mem_access.gfn = gfn;
    rc = altp2m(d, HVMOP_altp2m_get_mem_access, &a);
    return rc ? rc : a.u.mem_access.access;
}

static long change_gfn(domid_t d, uint16_t view, uint64_t old_gfn, uint64_t new_gfn)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.change_gfn.view = view;
    a.u.change_gfn.old_gfn = old_gfn;
    a.u.change_gfn.new_gfn = new_gfn;
    return altp2m(d, HVMOP_altp2m_change_gfn, &a);
}

/* ---- the target's own accesses, on a view ---- */

/* The view each target's vCPU runs on (switched only when it changes:
 * on Bochs every switch is a flush of every CPU). */
static uint16_t on[NR_DOMS + 1];

static long switch_to(domid_t d, uint16_t view)
{
    long rc = on[d] == view ? 0 : view_op(d, HVMOP_altp2m_switch_p2m, view);

    if ( !rc )
        on[d] = view;
    return rc;
}

/* The target's vCPU does op on gfn while it runs on view. */
static long on_view(domid_t d, uint16_t view, uint32_t op, uint64_t gfn, uint64_t val,
                    uint64_t *out)
{
    xtf_mb_t *mb = mbs[d];
    long rc = switch_to(d, view);

    if ( rc )
        return rc;
    mb->gfn[0] = gfn;
    mb->val[0] = val;
    rc = xtf_mb_call(mb, op, 1);
    *out = mb->out[0];
    return rc;
}

/* gfn as d's vCPU on view reads it: data, or ~0 with a failure. */
static uint64_t peek(domid_t d, uint16_t view, uint64_t gfn)
{
    uint64_t v = ~0ULL;
    long rc = on_view(d, view, XTF_MB_READ, gfn, 0, &v);

    if ( rc )
        xtf_failure("%s: d%u view %u read of %#lx: %ld", step, d, view, (unsigned long)gfn, rc);
    return rc ? ~0ULL : v;
}

static bool poke(domid_t d, uint16_t view, uint64_t gfn, uint64_t val)
{
    uint64_t back = ~0ULL;
    long rc = on_view(d, view, XTF_MB_WRITE, gfn, val, &back);

    return want("the write reads back", rc ? rc : (long)back, (long)val);
}

static bool reads(domid_t d, uint16_t view, uint64_t gfn, uint64_t expected)
{
    return want("data through the view", (long)peek(d, view, gfn), (long)expected);
}

/* ---- sharing ---- */

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

/* d1's gfn and d2's gfn become one frame: d1's (its data survives). */
static bool share(uint64_t gfn)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_share, .domain = 1 };
    uint64_t h1, h2;

    if ( !want("nominate d1", nominate(1, gfn, &h1), 0) ||
         !want("nominate d2", nominate(2, gfn, &h2), 0) )
        return false;
    op.u.share.source_gfn = op.u.share.client_gfn = gfn;
    op.u.share.source_handle = h1;
    op.u.share.client_handle = h2;
    op.u.share.client_domain = 2;
    return want("share", sharing(&op), 0);
}

/* Entries (every domain, every table) of the shared frame at d's gfn. */
static long entries(domid_t d, uint64_t gfn)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_debug_gfn, .domain = d };

    op.u.debug.u.gfn = gfn;
    return sharing(&op);
}

static bool audit(void)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_audit };

    return want("audit errors", sharing(&op), 0);
}

static bool host_type(domid_t d, uint64_t gfn, unsigned int t)
{
    return want("host p2m type", (long)xtf_p2m_type_of(d, gfn), (long)t);
}

/* Private RAM: ram_rw, or ram_logdirty while log-dirty write-protects
 * it (the wp mechanism) and nobody wrote it since the last CLEAN. */
static bool private(domid_t d, uint64_t gfn)
{
    unsigned int t = xtf_p2m_type_of(d, gfn);

    if ( cur->logdirty && t == XTF_P2M_RAM_LOGDIRTY )
        t = XTF_P2M_RAM_RW;
    return want("host p2m type (private)", (long)t, XTF_P2M_RAM_RW);
}

/* ---- log-dirty ---- */

static long shadow(domid_t d, uint32_t op, uint32_t mode, void *bitmap)
{
    struct xen_domctl dc = {
        .cmd = XEN_DOMCTL_shadow_op,
        .domain = d,
        .u.shadow_op = { .op = op, .mode = mode, .pages = bitmap ? LD_PAGES : 0 },
    };

    set_xen_guest_handle(dc.u.shadow_op.dirty_bitmap, bitmap);
    return hypercall_domctl(&dc);
}

/* CLEAN d1 into ld_bits: 0 or the error. */
static bool clean(void)
{
    memset(ld_bits, 0, sizeof(ld_bits));
    return want("CLEAN", shadow(1, XEN_DOMCTL_SHADOW_OP_CLEAN, 0, ld_bits), 0);
}

static bool dirty(uint64_t gfn)
{
    return gfn < LD_PAGES && (ld_bits[gfn / 64] & (1ULL << (gfn % 64)));
}

/* ---- the orderings ---- */

#define G(off) (G_FIRST + cur->base + (off))

/* 1: d1's view 1 copies G and remaps O onto it, its view 2 restricts G,
 * d2's view 1 copies its own G (the client's frame, freed by the share);
 * then G is shared. */
static bool view_then_share(void)
{
    uint64_t g = G(0x00), o = G(0x01);

    step = "1 view then share";
    if ( !reads(1, 1, g, data(1, g)) || !want("view 2 access", set_access(1, 2, g, ACC_RX), 0) ||
         !reads(1, 2, g, data(1, g)) || !want("remap", change_gfn(1, 1, o, g), 0) ||
         !reads(1, 1, o, data(1, g)) || !reads(2, 1, g, data(2, g)) || !share(g) )
        return false;
    /* Sharing changed the host entry: the views dropped their copies. */
    if ( !want("entries right after share", entries(1, g), 2) || !audit() )
        return false;
    return reads(1, 1, g, data(1, g)) && reads(1, 2, g, data(1, g)) && reads(2, 0, g, data(1, g)) &&
           reads(1, 1, o, data(1, g)) && reads(2, 1, g, data(1, g)) &&
           want("entries after view reads", entries(1, g), 6) &&
           want("view 2 keeps its access", get_access(1, 2, g), ACC_RX) &&
           want("view 1 access", get_access(1, 1, g), ACC_RWX) && host_type(1, g, P2M_SHARED) &&
           audit();
}

/* 2: G shared; view 1 copies it and remaps O onto it; view 2 restricts
 * it; every one of them is an entry of the shared frame. */
static bool share_then_view(void)
{
    uint64_t g = G(0x04), o = G(0x05);

    step = "2 share then view";
    if ( !share(g) || !reads(1, 1, g, data(1, g)) ||
         !want("entries after the view copy", entries(1, g), 3) )
        return false;
    if ( !want("change_gfn onto the shared gfn", change_gfn(1, 1, o, g), 0) ||
         !reads(1, 1, o, data(1, g)) || !want("entries after the remap", entries(1, g), 4) )
        return false;
    if ( !want("view 2 access", set_access(1, 2, g, ACC_RX), 0) || !reads(1, 2, g, data(1, g)) ||
         !want("entries after view 2", entries(1, g), 5) )
        return false;
    return want("view 2 access", get_access(1, 2, g), ACC_RX) && reads(1, 0, o, data(1, o)) &&
           private(1, o) && host_type(2, g, P2M_SHARED) && audit();
}

/* d gives gfn back (decrease_reservation by its own vCPU). */
static bool give_back(domid_t d, uint64_t gfn)
{
    mbs[d]->gfn[0] = gfn;
    return want("give the gfn back", xtf_mb_call(mbs[d], XTF_MB_DECREASE, 1), 1);
}

/* 2b: d2's view 1 restricts H, d2 gives H back (a hole), then d1's
 * frame is added at H (add_physmap): the view's own access applies to
 * the shared entry, which is one more entry of the frame. */
static bool add_physmap_under_view(void)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_add_physmap, .domain = 1 };
    uint64_t g = G(0x06), h = G(0x07), h1 = 0;

    step = "2b add_physmap under a view's own access";
    if ( !want("d2 view 1 access", set_access(2, 1, h, ACC_RX), 0) || !reads(2, 1, h, data(2, h)) ||
         !give_back(2, h) || !want("nominate d1", nominate(1, g, &h1), 0) )
        return false;
    op.u.share.source_gfn = g;
    op.u.share.source_handle = h1;
    op.u.share.client_gfn = h;
    op.u.share.client_domain = 2;
    return want("add_physmap", sharing(&op), 0) && reads(2, 1, h, data(1, g)) &&
           want("view 1 keeps its access", get_access(2, 1, h), ACC_RX) &&
           want("entries", entries(1, g), 3) && host_type(2, h, P2M_SHARED) && audit();
}

/* 3a: d1 writes G in view 0; view 1's copy and its remap O->G follow. */
static bool unshare_host(uint64_t g, uint64_t o)
{
    step = "3a unshare through the host gfn";
    if ( !share(g) || !reads(1, 1, g, data(1, g)) || !want("remap", change_gfn(1, 1, o, g), 0) ||
         !reads(1, 1, o, data(1, g)) || !want("entries before", entries(2, g), 4) )
        return false;
    if ( !poke(1, 0, g, 0xa0) || !private(1, g) )
        return false;
    return reads(1, 1, g, 0xa0) && reads(1, 1, o, 0xa0) && reads(1, 0, o, data(1, o)) &&
           reads(2, 0, g, data(1, g)) && want("d2's frame: its own entry", entries(2, g), 1) &&
           audit();
}

/* 3b: d1 writes G in view 1: the host gfn G unshares. */
static bool unshare_view(uint64_t g)
{
    step = "3b unshare through a view gfn";
    if ( !share(g) || !reads(1, 1, g, data(1, g)) || !want("entries before", entries(2, g), 3) )
        return false;
    return poke(1, 1, g, 0xb0) && private(1, g) && reads(1, 0, g, 0xb0) && reads(1, 1, g, 0xb0) &&
           reads(2, 0, g, data(1, g)) && want("d2's frame: its own entry", entries(2, g), 1) &&
           audit();
}

/* 3c: d1 writes O in view 1, a remap O->G of the shared G: G unshares;
 * O's own host entry (shared as well) and the bystander do not. */
static bool unshare_remap(uint64_t g, uint64_t o, uint64_t by)
{
    step = "3c unshare through a remap";
    if ( !share(g) || !share(o) || !share(by) || !want("remap", change_gfn(1, 1, o, g), 0) ||
         !reads(1, 1, o, data(1, g)) || !want("entries before", entries(2, g), 3) )
        return false;
    /* O is shared too, and its host entry is not what view 1 shows. */
    if ( !poke(1, 1, o, 0xc0) || !private(1, g) || !host_type(1, o, P2M_SHARED) ||
         !host_type(1, by, P2M_SHARED) )
        return false;
    return reads(1, 0, g, 0xc0) && reads(1, 0, o, data(1, o)) && reads(1, 1, o, 0xc0) &&
           reads(2, 0, g, data(1, g)) && want("d2's frame: its own entry", entries(2, g), 1) &&
           want("O's frame: both host entries", entries(1, o), 2) &&
           want("bystander entries", entries(1, by), 2) && audit();
}

/*
 * A remap's own gfn O may be logged too: after the first write of a
 * round (which faults and logs the source), the views open the remap
 * until the next re-arm, and its dirty flag (or a PML record) names O.
 * That is an extra page, never a lost one: said, not failed.
 */
static void note_remap_gfn(uint64_t o)
{
    if ( dirty(o) )
        printf("  note: the remap's own gfn %#lx is logged as well (an extra page)\n",
               (unsigned long)o);
}

/* Rule 5: a write through the remap O->G (G private now) is logged
 * against G, not O. */
static bool remap_logs_source(uint64_t g, uint64_t o)
{
    step = "3 log-dirty: a remap's write logs its source";
    if ( !clean() || !poke(1, 1, o, 0xd0) || !clean() )
        return false;
    note_remap_gfn(o);
    return want("source gfn logged", dirty(g), 1) && reads(1, 0, g, 0xd0) &&
           reads(1, 0, o, data(1, o));
}

static bool unshare_three_ways(void)
{
    uint64_t ga = G(0x08), oa = G(0x09), gb = G(0x0a), gc = G(0x0b), oc = G(0x0c), by = G(0x0d);

    if ( cur->logdirty && !clean() )
        return false;
    if ( !unshare_host(ga, oa) || !unshare_view(gb) || !unshare_remap(gc, oc, by) )
        return false;
    if ( !cur->logdirty )
        return true;
    step = "3 log-dirty: the unshared gfns are logged";
    if ( !clean() || !want("3a logged", dirty(ga), 1) || !want("3b logged", dirty(gb), 1) ||
         !want("3c logged", dirty(gc), 1) || !want("the bystander", dirty(by), 0) )
        return false;
    note_remap_gfn(oc);
    return remap_logs_source(ga, oa);
}

/* 4: view k copies G and remaps O onto it, then is destroyed. */
static bool view_destroyed(void)
{
    uint64_t g = G(0x10), o = G(0x11);
    uint16_t k = 0;

    step = "4 a view destroyed while it maps shared frames";
    if ( !share(g) || !want("create a view", view_create(1, &k), 0) ||
         !reads(1, k, g, data(1, g)) || !want("remap", change_gfn(1, k, o, g), 0) ||
         !reads(1, k, o, data(1, g)) )
        return false;
    if ( !want("entries with the view", entries(1, g), 4) || !audit() ||
         !want("off the view", switch_to(1, 0), 0) ||
         !want("destroy the view", view_op(1, HVMOP_altp2m_destroy_p2m, k), 0) )
        return false;
    return want("entries after its destroy", entries(1, g), 2) && reads(1, 0, g, data(1, g)) &&
           reads(2, 0, g, data(1, g)) && audit();
}

/* 5: both domains have views on the shared frame; d2 writes through
 * its view, so d2's G unshares and its remap follows; d1 keeps it. */
static bool two_domains_with_views(void)
{
    uint64_t g = G(0x14), o = G(0x15);

    step = "5 two domains, both with views";
    if ( !share(g) || !reads(1, 1, g, data(1, g)) || !reads(2, 1, g, data(1, g)) ||
         !want("d2 remap", change_gfn(2, 1, o, g), 0) || !reads(2, 1, o, data(1, g)) )
        return false;
    if ( !want("entries of both", entries(1, g), 5) || !audit() || !poke(2, 1, g, 0xe0) )
        return false;
    return private(2, g) && reads(2, 0, g, 0xe0) && reads(2, 1, o, 0xe0) &&
           reads(2, 0, o, data(2, o)) && reads(1, 1, g, data(1, g)) &&
           want("d1's frame: its host and view 1", entries(1, g), 2) &&
           host_type(1, g, P2M_SHARED) && audit();
}

/* 6: races. d1's vCPU 1 writes and reads back a range on view 1 while
 * dom0 shares the range with d2 again and again: each write to a shared
 * gfn unshares through the view, each share drops the view's copies.
 * No write may be lost (the writer counts reads that differ), and the
 * reverse map must be exact afterwards. */
#define RACE_NR     8
#define RACE_ROUNDS 4

/* One share attempt: 0, or what losing a race to the writer returns. */
static long share_racing(uint64_t gfn)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_share, .domain = 1 };
    uint64_t h1, h2;
    long rc = nominate(1, gfn, &h1);

    if ( !rc )
        rc = nominate(2, gfn, &h2);
    if ( rc )
        return rc;
    op.u.share.source_gfn = op.u.share.client_gfn = gfn;
    op.u.share.source_handle = h1;
    op.u.share.client_handle = h2;
    op.u.share.client_domain = 2;
    return sharing(&op);
}

/* The same with d1 paused: the writer cannot win, so every round
 * shares (on Bochs dom0's calls are slow enough to lose most races). */
static long share_paused(uint64_t gfn)
{
    long rc = xtf_domctl_simple(XEN_DOMCTL_pausedomain, 1);

    if ( rc )
        return rc;
    rc = share_racing(gfn);
    xtf_domctl_simple(XEN_DOMCTL_unpausedomain, 1);
    return rc;
}

/* The writer unshared the source between our nominate and share. */
static bool lost_race(long rc)
{
    return rc == -XEN_EAGAIN || rc == XENMEM_SHARING_OP_S_HANDLE_INVALID ||
           rc == XENMEM_SHARING_OP_C_HANDLE_INVALID;
}

/* Rule 3 after the churn: view 1 shows what the host shows, gfn by gfn
 * (a copy left behind by an unshare would show the old frame). */
static bool same_through_views(uint64_t first, uint64_t nr)
{
    uint64_t seen[RACE_NR];

    for ( uint64_t i = 0; i < nr; i++ ) /* one switch for all of them */
        seen[i] = peek(1, 1, first + i);
    for ( uint64_t i = 0; i < nr; i++ )
        if ( !want("view 1 and the host agree", (long)seen[i], (long)peek(1, 0, first + i)) )
            return false;
    return true;
}

/* Let the writer finish n more passes (it may not have run at all yet:
 * dom0 can do many calls inside one time slice). */
static bool writer_passes(xtf_mb_t *mb, uint64_t n)
{
    uint64_t until = mb->bg_passes + n;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && mb->bg_passes < until; i++ )
        hypercall_yield();
    return want("the writer runs", mb->bg_passes >= until, 1);
}

static bool races(void)
{
    uint64_t first = G(0x20);
    unsigned long won = 0, lost = 0;
    xtf_mb_t *mb = mbs[1];
    long rc = 0;

    step = "6 shares racing a writer on a view";
    mb->arg[0] = first;
    mb->arg[1] = RACE_NR;
    if ( !want("onto view 1", switch_to(1, 1), 0) ||
         !want("start the writer", xtf_mb_call(mb, XTF_MB_BG_START, 0), 0) ||
         !writer_passes(mb, 1) )
        return false;
    for ( unsigned int r = 0; r < RACE_ROUNDS * RACE_NR && (!rc || lost_race(rc)); r++ )
    {
        rc = share_racing(first + r % RACE_NR);
        if ( lost_race(rc) ) /* slow emulators: again with d1 held still */
        {
            lost++;
            rc = share_paused(first + r % RACE_NR);
        }
        won += !rc;
        hypercall_yield(); /* the writer's turn */
    }
    want("a share", lost_race(rc) ? 0 : rc, 0);
    printf("  %lu shares, %lu races lost to the writer (then shared paused)\n", won, lost);
    if ( !writer_passes(mb, 2) ||
         !want("writer stops", xtf_mb_call(mb, XTF_MB_BG_STOP, 0) > 0, 1) ||
         !want("writes lost", (long)mb->bg_mismatches, 0) ||
         !want("every round shared", (long)won, RACE_ROUNDS * RACE_NR) )
        return false;
    /* And the writer's view still unshares: a write to a gfn shared
     * now never reaches d2's frame. */
    return same_through_views(first, RACE_NR) && want("share again", share_racing(first), 0) &&
           poke(1, 1, first, 0xf0) &&
           want("d2 keeps the frame", (long)peek(2, 0, first) != 0xf0, 1) && audit();
}

static const struct
{
    bool (*run)(void);
} orderings[] = {
    { view_then_share },
    { share_then_view },
    { add_physmap_under_view },
    { unshare_three_ways },
    { view_destroyed },
    { two_domains_with_views },
    { races },
};

/* Every view entry the pass set up still says what it was set to. */
static bool views_unchanged(void)
{
    step = "the pass's views at its end";
    return want("1: view 2 access", get_access(1, 2, G(0x00)), ACC_RX) &&
           reads(1, 1, G(0x01), data(1, G(0x00))) && reads(1, 2, G(0x00), data(1, G(0x00))) &&
           reads(1, 1, G(0x05), data(1, G(0x04))) &&
           want("2: view 2 access", get_access(1, 2, G(0x04)), ACC_RX) &&
           reads(1, 1, G(0x09), 0xa0 + (cur->logdirty ? 0x30 : 0)) && reads(1, 1, G(0x0c), 0xc0) &&
           reads(2, 1, G(0x15), 0xe0) && audit();
}

/* Log-dirty on in d1 and d2 with the pass's mechanism, or off. */
static bool logdirty(bool on)
{
    uint32_t op = on ? XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY : XEN_DOMCTL_SHADOW_OP_OFF;
    uint32_t mode = on ? WREN_LOGDIRTY_MECH(cur->mech) : 0;
    struct xen_domctl dc = { .cmd = XEN_DOMCTL_wren_logdirty, .domain = 1 };
    struct xen_domctl_wren_logdirty *st = (void *)&dc.u;

    step = on ? "log-dirty on" : "log-dirty off";
    if ( !want("d1 log-dirty", shadow(1, op, mode, NULL), 0) ||
         !want("d2 log-dirty", shadow(2, op, mode, NULL), 0) )
        return false;
    st->op = WREN_LOGDIRTY_GET_STATS;
    if ( on && !hypercall_domctl(&dc) )
        printf("  log-dirty mechanism %u (1 wp, 2 pml, 3 a/d)\n", st->mech);
    return true;
}

static bool run_pass(const struct pass *p)
{
    cur = p;
    printf("%s pass: gfns from %#lx\n", p->name, (unsigned long)(G_FIRST + p->base));
    if ( p->logdirty && !logdirty(true) )
        return false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(orderings); i++ )
    {
        if ( !orderings[i].run() )
            return false;
        printf("  %s: ok\n", step);
    }
    return views_unchanged() && (!p->logdirty || logdirty(false));
}

/* ---- setup, undoing it, and frames ---- */

static uint64_t tot_pages(domid_t d)
{
    struct xen_domctl_getdomaininfo info;

    if ( xtf_getdomaininfo(d, &info) )
        return xtf_error("getdomaininfo(d%u) failed", d), 0;
    return info.tot_pages;
}

static bool setup_domain(domid_t d)
{
    struct xen_domctl dc = { .cmd = XEN_DOMCTL_mem_sharing_op, .domain = d };
    struct xen_hvm_altp2m_op a = { 0 };

    mbs[d] = xtf_mb_attach(d, MB_GFN + d - 1);
    if ( !mbs[d] )
        return false;
    mbs[d]->arg[0] = G_FIRST;
    mbs[d]->arg[1] = G_NR;
    mbs[d]->arg[2] = d == 1 ? D1_DATA : D2_DATA;
    dc.u.mem_sharing_op.op = XEN_DOMCTL_MEM_SHARING_CONTROL;
    dc.u.mem_sharing_op.u.enable = 1;
    a.u.domain_state.state = 1;
    return want("fill", xtf_mb_call(mbs[d], XTF_MB_FILL, 0), 0) &&
           want("enable sharing", hypercall_domctl(&dc), 0) &&
           want("altp2m on", altp2m(d, HVMOP_altp2m_set_domain_state, &a), 0);
}

static bool setup_views(void)
{
    uint16_t v1 = 0, v2 = 0, w1 = 0;

    step = "views";
    return want("d1 view", view_create(1, &v1), 0) && want("d1 view", view_create(1, &v2), 0) &&
           want("d2 view", view_create(2, &w1), 0) &&
           want("d1's views are 1, 2", v1 * 10 + v2, 12) && want("d2's view is 1", w1, 1);
}

/* Every gfn of the orderings private again (the explicit op), and the
 * views gone (altp2m off): nothing of the test is left but copies. */
static bool undo(void)
{
    struct xen_mem_sharing_op op = { .op = WREN_SHARING_OP_unshare };
    struct xen_hvm_altp2m_op a = { 0 };

    step = "undo";
    for ( domid_t d = 1; d <= NR_DOMS; d++ )
        for ( uint64_t g = G_FIRST; g < G_FIRST + G_NR; g++ )
            if ( xtf_p2m_type_of(d, g) == P2M_SHARED )
            {
                op.domain = d;
                op.u.nominate.u.gfn = g;
                if ( !want("explicit unshare", sharing(&op), 0) )
                    return false;
            }
    on[1] = on[2] = 0; /* altp2m off puts every vCPU back on the host */
    return want("d1 altp2m off", altp2m(1, HVMOP_altp2m_set_domain_state, &a), 0) &&
           want("d2 altp2m off", altp2m(2, HVMOP_altp2m_set_domain_state, &a), 0) &&
           want("shared frames left", hypercall_memory_op(XENMEM_get_sharing_shared_pages, NULL),
                0) &&
           audit();
}

/* Free frames: the baseline less what the domains' reservations grew
 * by (the copies). A reference a view entry or a reverse-map node kept
 * would keep a frame nobody owns: one frame short. */
static bool frames_back(uint64_t base, const uint64_t *tot0)
{
    uint64_t now = xtf_free_pages(), grown = 0;

    for ( domid_t d = 1; d <= NR_DOMS; d++ )
        grown += tot_pages(d) - tot0[d];
    printf("free frames %lu: baseline %lu, the domains took %lu more\n", (unsigned long)now,
           (unsigned long)base, (unsigned long)grown);
    return want("free frames against the baseline", (long)(base - now), (long)grown);
}

/* Destroy gives back at least the frames and the pool d holds. */
static bool destroy(domid_t d)
{
    uint64_t before, pool = 0, owned = 0;

    step = "destroy";
    if ( xtf_p2m_pool(d, &pool, NULL, &owned) )
        return xtf_error("WREN_P2M_POOL on d%u failed", d), false;
    xtf_mb_call(mbs[d], XTF_MB_EXIT, 0);
    xtf_unmap_local(MB_GFN + d - 1);
    before = xtf_free_pages();
    if ( !want("destroy", xtf_domctl_simple(XEN_DOMCTL_destroydomain, d), 0) )
        return false;
    before = xtf_free_pages() - before;
    printf("d%u destroyed: %lu frames back (owned %lu, pool %lu)\n", d, (unsigned long)before,
           (unsigned long)owned, (unsigned long)pool);
    return want("destroy gave back its frames and pool", before >= owned + pool, 1);
}

/* A domain destroyed while its view maps shared frames (and its vCPU
 * runs on that view): its entries leave the other domain's frame. */
static bool domain_destroyed_with_views(void)
{
    struct xen_hvm_altp2m_op a = { .u.domain_state.state = 1 };
    uint64_t g = G_FIRST + 3 * PASS_GFNS, o = g + 1;
    uint16_t k = 0;

    step = "a domain destroyed while its views map shared frames";
    if ( !want("altp2m on", altp2m(1, HVMOP_altp2m_set_domain_state, &a), 0) ||
         !want("create a view", view_create(1, &k), 0) || !share(g) ||
         !reads(1, k, g, data(1, g)) || !want("remap", change_gfn(1, k, o, g), 0) ||
         !reads(1, k, o, data(1, g)) || !want("entries", entries(2, g), 4) || !destroy(1) )
        return false;
    step = "after the domain's destroy";
    if ( !want("d2's entry left", entries(2, g), 1) || !audit() || !reads(2, 0, g, data(1, g)) ||
         !destroy(2) )
        return false;
    return want("shared frames left", hypercall_memory_op(XENMEM_get_sharing_shared_pages, NULL),
                0) &&
           audit();
}

void test_main(void)
{
    static const struct pass passes[] = {
        { "plain", 0, false, 0 },
        { "log-dirty (default mechanism)", PASS_GFNS, true, WREN_LOGDIRTY_MECH_DEFAULT },
        { "log-dirty (write-protect)", 2 * PASS_GFNS, true, WREN_LOGDIRTY_MECH_WP },
    };
    uint64_t base, tot0[NR_DOMS + 1];

    step = "setup";
    for ( domid_t d = 1; d <= NR_DOMS; d++ )
        if ( !setup_domain(d) )
            return;
    base = xtf_free_pages();
    for ( domid_t d = 1; d <= NR_DOMS; d++ )
        tot0[d] = tot_pages(d);
    if ( !setup_views() )
        return;
    for ( unsigned int i = 0; i < ARRAY_SIZE(passes); i++ )
        if ( !run_pass(&passes[i]) )
            return;
    cur = NULL;
    if ( !undo() || !frames_back(base, tot0) || !domain_destroyed_with_views() )
        return;
    xtf_success(NULL);
}
