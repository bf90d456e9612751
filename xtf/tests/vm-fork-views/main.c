/*
 * vm-fork-views - a forked parent's altp2m views stay correct while its
 * child shares its frames (issue 13 item 7; docs/designs/altp2m-sharing.md
 * "Part forkviews"). A dom0 test: it touches d1 (p2m-target, altp2m
 * external) and the child it makes, nothing else.
 *
 * Before the fork, d1's view K has a copy entry of G, an own access
 * entry r-x on H and a remap O->A (and a copy of A); d1's vCPU runs on
 * view K when dom0 forks a child from d1. The child reads G, H and A
 * (each becomes shared in d1 by nomination), then writes G and A (its own
 * copies). After each step, while d1 is held paused by its child: d1's
 * host entries are shared (G stays shared after the child's copy), view
 * K still restricts H to r-x, the reverse map lists exactly the host
 * entries of both domains for each frame, and the audit is clean. Then
 * fork_reset, the child reads again, and the child is destroyed: d1 runs
 * again, still on view K, and reads through it its own data at G, H, O (showing A's)
 * and A, through view 0 its own at all four; the reverse map then lists
 * d1's view entries of the shared frames (G: host + copy, H: host + own
 * access, A: host + copy + remap); a write by d1 to A on view 0 reaches
 * O on view K. Last: every gfn unshared, altp2m off, no shared frame
 * left, audit 0, free frames back to the count before the child, and
 * d1's destroy gives back its frames and pool.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/memory.h>
#include <public/domctl.h>
#include <public/wren.h>
#include <public/hvm/hvm_op.h>

const char test_title[] = "VM fork: the parent's altp2m views while a child shares its frames";

#define PARENT     1
#define MB1_GFN    0x7f100UL
#define MB2_GFN    0x7f101UL
#define FIRST      0x300UL
#define NR         8UL
#define G          0x300UL /* view K: a copy entry */
#define H          0x301UL /* view K: its own access r-x */
#define O          0x302UL /* view K: remapped onto A */
#define A          0x303UL /* view K: a copy entry, the remap's source */
#define P_DATA     0xf0f0000000000000ULL
#define C_DATA     0xc1c1000000000000ULL
#define P2M_SHARED 12
#define ACC_RX     5
#define ACC_RWX    7

static xtf_mb_t *mb1, *mb2;
static uint16_t view_k, cur_view;
static const char *phase = "setup";

static bool check(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: %s: %#lx, expected %#lx", phase, what, got, want);
    return got == want;
}

static uint64_t pdata(uint64_t gfn)
{
    return P_DATA + gfn;
}

/* ---- d1's views (HVMOP_altp2m, external mode) ---- */

static long hvm_altp2m(uint32_t cmd, struct xen_hvm_altp2m_op *a)
{
    a->version = HVMOP_ALTP2M_INTERFACE_VERSION;
    a->cmd = cmd;
    a->domain = PARENT;
    return hypercall_hvm_op(HVMOP_altp2m, a);
}

static long altp2m_state(uint8_t on)
{
    struct xen_hvm_altp2m_op a = { .u.domain_state.state = on };

    return hvm_altp2m(HVMOP_altp2m_set_domain_state, &a);
}

static long view_access(uint16_t view, uint64_t gfn, uint16_t set)
{
    struct xen_hvm_altp2m_op a = { .u.mem_access = { .view = view, .access = set, .gfn = gfn } };
    long rc = hvm_altp2m(set ? HVMOP_altp2m_set_mem_access : HVMOP_altp2m_get_mem_access, &a);

    return rc || set ? rc : a.u.mem_access.access;
}

static long remap(uint16_t view, uint64_t from, uint64_t to)
{
    struct xen_hvm_altp2m_op a = { .u.change_gfn = {
                                       .view = view, .old_gfn = from, .new_gfn = to } };

    return hvm_altp2m(HVMOP_altp2m_change_gfn, &a);
}

/* d1's vCPU onto view (a switch only when it changes). */
static bool onto(uint16_t view)
{
    struct xen_hvm_altp2m_op a = { .u.view.view = view };

    if ( view != cur_view && !check("switch_p2m", hvm_altp2m(HVMOP_altp2m_switch_p2m, &a), 0) )
        return false;
    cur_view = view;
    return true;
}

/* d1's vCPU, on view, reads gfn (op READ) or writes val there (WRITE). */
static bool d1_access(uint16_t view, uint32_t op, uint64_t gfn, uint64_t val, uint64_t want)
{
    if ( !onto(view) )
        return false;
    mb1->gfn[0] = gfn;
    mb1->val[0] = val;
    if ( !check("d1's access", xtf_mb_call(mb1, op, 1), 0) )
        return false;
    if ( mb1->out[0] != want )
        xtf_failure("%s: d1 on view %u at gfn %#lx sees %#lx, not %#lx", phase, view,
                    (unsigned long)gfn, (unsigned long)mb1->out[0], (unsigned long)want);
    return mb1->out[0] == want;
}

static bool d1_reads(uint16_t view, uint64_t gfn, uint64_t want)
{
    return d1_access(view, XTF_MB_READ, gfn, 0, want);
}

/* ---- sharing ---- */

static long sharing(struct xen_mem_sharing_op *op)
{
    return hypercall_memory_op(XENMEM_sharing_op, op);
}

static long fork_op(uint8_t op, domid_t child, uint16_t flags)
{
    struct xen_mem_sharing_op mso = { .op = op, .domain = child };

    mso.u.fork.parent_domain = op == XENMEM_sharing_op_fork ? PARENT : 0;
    mso.u.fork.flags = flags;
    return sharing(&mso);
}

/* Entries of every table (hosts and views) mapping d1's frame at gfn. */
static long entries(uint64_t gfn)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_debug_gfn, .domain = PARENT };

    op.u.debug.u.gfn = gfn;
    return sharing(&op);
}

static bool audit_clean(void)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_audit };

    return check("audit errors", sharing(&op), 0);
}

/* gfn's frame in d1 is shared and mapped by exactly n entries. */
static bool shared_by(uint64_t gfn, long n)
{
    if ( !check("d1's host type", (long)xtf_p2m_type_of(PARENT, gfn), P2M_SHARED) )
        return false;
    if ( entries(gfn) != n )
        xtf_failure("%s: gfn %#lx: %ld entries, expected %ld", phase, (unsigned long)gfn,
                    entries(gfn), n);
    return entries(gfn) == n;
}

/* ---- the child ---- */

static bool child_access(uint32_t op, uint64_t gfn, uint64_t val, uint64_t want)
{
    mb2->gfn[0] = gfn;
    mb2->val[0] = val;
    if ( !check("child's access", xtf_mb_call(mb2, op, 1), 0) )
        return false;
    if ( mb2->out[0] != want )
        xtf_failure("%s: the child at gfn %#lx sees %#lx, not %#lx", phase, (unsigned long)gfn,
                    (unsigned long)mb2->out[0], (unsigned long)want);
    return mb2->out[0] == want;
}

static bool child_attach(domid_t child)
{
    mb2 = xtf_mb_attach(child, MB2_GFN);
    if ( !mb2 )
        return xtf_failure("%s: the child's mailbox", phase), false;
    mb2->domid = child;
    return true;
}

/* What d1 (paused by its child) shows from outside: view K's access on
 * H, and its host entries shared with the child's (its view entries of
 * these frames were dropped when they became shared). */
static bool parent_held(long g_n, long h_n, long a_n)
{
    return check("view K's access on H", view_access(view_k, H, 0), ACC_RX) &&
           check("view 0's access on H", view_access(0, H, 0), ACC_RWX) && shared_by(G, g_n) &&
           shared_by(H, h_n) && shared_by(A, a_n) &&
           check("d1's O is its own", (long)xtf_p2m_type_of(PARENT, O), XTF_P2M_RAM_RW) &&
           audit_clean();
}

/* ---- the steps ---- */

static bool make_views(void)
{
    struct xen_hvm_altp2m_op a = { .u.view.hvmmem_default_access = ACC_RWX };

    phase = "view K before the fork";
    if ( !check("altp2m on", altp2m_state(1), 0) ||
         !check("create view K", hvm_altp2m(HVMOP_altp2m_create_p2m, &a), 0) )
        return false;
    view_k = a.u.view.view;
    return d1_reads(view_k, G, pdata(G)) && check("H r-x", view_access(view_k, H, ACC_RX), 0) &&
           d1_reads(view_k, H, pdata(H)) && d1_reads(view_k, A, pdata(A)) &&
           check("remap O->A", remap(view_k, O, A), 0) && d1_reads(view_k, O, pdata(A)) &&
           check("H's access", view_access(view_k, H, 0), ACC_RX) && d1_reads(0, O, pdata(O)) &&
           onto(view_k);
}

static bool fork_it(domid_t *child)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);

    phase = "fork";
    if ( !check("createdomain", xtf_createdomain(0, &c, child), 0) ||
         !check("fork", fork_op(XENMEM_sharing_op_fork, *child, 0), 0) ||
         !check("unpause child", xtf_domctl_simple(XEN_DOMCTL_unpausedomain, *child), 0) )
        return false;
    return child_attach(*child) && audit_clean();
}

/* The child reads G, H, A (shared now in d1), then writes G and A. */
static bool child_runs(void)
{
    phase = "the child reads";
    if ( !child_access(XTF_MB_READ, G, 0, pdata(G)) || !child_access(XTF_MB_READ, H, 0, pdata(H)) ||
         !child_access(XTF_MB_READ, A, 0, pdata(A)) || !parent_held(2, 2, 2) )
        return false;
    phase = "the child writes G";
    if ( !child_access(XTF_MB_WRITE, G, C_DATA + G, C_DATA + G) || !parent_held(1, 2, 2) )
        return false;
    phase = "the child writes A";
    return child_access(XTF_MB_WRITE, A, C_DATA + A, C_DATA + A) &&
           child_access(XTF_MB_READ, H, 0, pdata(H)) && parent_held(1, 2, 1);
}

static bool reset_child(domid_t child)
{
    phase = "fork_reset";
    if ( !check("unmap child mailbox", xtf_unmap_local(MB2_GFN), 0) ||
         !check("pause child", xtf_domctl_simple(XEN_DOMCTL_pausedomain, child), 0) ||
         !check("fork_reset",
                fork_op(XENMEM_sharing_op_fork_reset, child,
                        XENMEM_FORK_RESET_MEMORY | XENMEM_FORK_RESET_STATE),
                0) ||
         !parent_held(1, 2, 1) ||
         !check("unpause child", xtf_domctl_simple(XEN_DOMCTL_unpausedomain, child), 0) ||
         !child_attach(child) )
        return false;
    phase = "the child reads after fork_reset";
    return child_access(XTF_MB_READ, G, 0, pdata(G)) && child_access(XTF_MB_READ, A, 0, pdata(A)) &&
           parent_held(2, 2, 2);
}

/* d1 runs again: its views show what they showed before the fork. */
static bool parent_again(domid_t child)
{
    phase = "the child destroyed";
    if ( !check("unmap child mailbox", xtf_unmap_local(MB2_GFN), 0) ||
         !check("destroy child", xtf_domctl_simple(XEN_DOMCTL_destroydomain, child), 0) ||
         !parent_held(1, 1, 1) )
        return false;
    phase = "d1 reads through view K and view 0";
    if ( !d1_reads(view_k, G, pdata(G)) || !d1_reads(view_k, H, pdata(H)) ||
         !d1_reads(view_k, O, pdata(A)) || !d1_reads(view_k, A, pdata(A)) ||
         !d1_reads(0, G, pdata(G)) || !d1_reads(0, H, pdata(H)) || !d1_reads(0, O, pdata(O)) ||
         !d1_reads(0, A, pdata(A)) )
        return false;
    /* G: host + view K's copy; H: host + its own access entry; A: host,
     * view K's copy and the remap O->A. */
    return shared_by(G, 2) && shared_by(H, 2) && shared_by(A, 3) &&
           check("view K's access on H", view_access(view_k, H, 0), ACC_RX) && audit_clean();
}

/* mem_access counters of d1: violations, and pages given rwx back. */
static bool violations(uint64_t *exits, uint64_t *resets)
{
    struct xen_domctl dc = { .cmd = XEN_DOMCTL_wren_vm_event, .domain = PARENT };
    struct xen_domctl_wren_vm_event *ve = (void *)&dc.u;

    if ( !check("XEN_DOMCTL_wren_vm_event", hypercall_domctl(&dc), 0) )
        return false;
    *exits = ve->violation_exits;
    *resets = ve->access_resets;
    return true;
}

/* view K still refuses a write to H: with no listener the refusal is
 * counted, H gets rwx back in view K (Xen's rule) and the write lands
 * (H, shared, unshares: d1 is its last mapper). */
static bool h_still_rx(void)
{
    uint64_t exits0, resets0, exits, resets;

    phase = "d1 writes H on view K";
    if ( !violations(&exits0, &resets0) || !d1_access(view_k, XTF_MB_WRITE, H, 0x4b, 0x4b) ||
         !violations(&exits, &resets) )
        return false;
    printf("write to H on view K: %lu violation exits, %lu access resets\n",
           (unsigned long)(exits - exits0), (unsigned long)(resets - resets0));
    return check("violation exits", (long)(exits - exits0), 1) &&
           check("access resets", (long)(resets - resets0), 1) &&
           check("view K's access on H after", view_access(view_k, H, 0), ACC_RWX) &&
           d1_reads(0, H, 0x4b) && audit_clean();
}

/* d1 writes A on view 0 (A unshares): the remap O->A follows. */
static bool parent_writes(void)
{
    phase = "d1 writes A";
    return d1_access(0, XTF_MB_WRITE, A, 0xa5, 0xa5) && d1_reads(view_k, O, 0xa5) &&
           d1_reads(view_k, A, 0xa5) && d1_reads(0, O, pdata(O)) &&
           check("A private", (long)xtf_p2m_type_of(PARENT, A), XTF_P2M_RAM_RW) && audit_clean();
}

/* Every shared gfn taken back (the last mapper: no copy), views off. */
static bool undo(uint64_t free_before)
{
    struct xen_mem_sharing_op op = { .op = WREN_SHARING_OP_unshare, .domain = PARENT };

    phase = "undo";
    for ( uint64_t g = 0; g < mb1->ram_end >> PAGE_SHIFT; g++ )
    {
        if ( xtf_p2m_type_of(PARENT, g) != P2M_SHARED )
            continue;
        op.u.nominate.u.gfn = g;
        if ( !check("explicit unshare", sharing(&op), 0) )
            return false;
    }
    if ( !onto(0) || !check("altp2m off", altp2m_state(0), 0) )
        return false;
    printf("free pages %lu before the child, %lu now\n", (unsigned long)free_before,
           (unsigned long)xtf_free_pages());
    return check("shared frames left", hypercall_memory_op(XENMEM_get_sharing_shared_pages, NULL),
                 0) &&
           audit_clean() && check("free pages back", (long)xtf_free_pages(), (long)free_before);
}

static bool parent_dies(void)
{
    uint64_t pool = 0, owned = 0, before;

    phase = "d1's destroy";
    if ( !check("unmap d1 mailbox", xtf_unmap_local(MB1_GFN), 0) ||
         !check("d1 pool", xtf_p2m_pool(PARENT, &pool, NULL, &owned), 0) )
        return false;
    before = xtf_free_pages();
    if ( !check("destroy d1", xtf_domctl_simple(XEN_DOMCTL_destroydomain, PARENT), 0) )
        return false;
    before = xtf_free_pages() - before;
    printf("d1 destroyed: %lu frames back (owned %lu, pool %lu)\n", (unsigned long)before,
           (unsigned long)owned, (unsigned long)pool);
    return check("d1's frames and pool back", before >= owned + pool, 1);
}

void test_main(void)
{
    uint64_t free_before;
    domid_t child;

    mb1 = xtf_mb_attach(PARENT, MB1_GFN);
    if ( !mb1 )
        return xtf_error("d1's mailbox");
    mb1->arg[0] = FIRST;
    mb1->arg[1] = NR;
    mb1->arg[2] = P_DATA;
    if ( !check("d1 fills", xtf_mb_call(mb1, XTF_MB_FILL, 0), 0) || !make_views() )
        return;
    free_before = xtf_free_pages();
    if ( !fork_it(&child) || !child_runs() || !reset_child(child) || !parent_again(child) ||
         !h_still_rx() || !parent_writes() || !undo(free_before) || !parent_dies() )
        return;
    xtf_success(NULL);
}
