/*
 * bench-sharing - the sharing and fork numbers of `make bench`
 * (automation/bench-sharing.sh, docs/bench/altp2m-sharing.md). dom0
 * drives two bench-sharing-target domUs (d1, d2) and prints one
 * machine-readable line per measurement:
 *
 *   BENCH what=unshare-copy n=N tsc=T     d1 writes N pages it shares
 *                                         with d2: each a copy
 *   BENCH what=unshare-last n=N tsc=T     d2 then writes the same N: it
 *                                         is the last mapper, no copy
 *   BENCH what=private n=N tsc=T          d1 writes N private pages
 *   BENCH what=fork leaves=L ram=R written=W
 *                                         the child right after the fork:
 *                                         its p2m leaves, RAM pages, p2m
 *                                         entries written
 *   BENCH what=reset k=K owned=O freed=F  fork_reset after the child
 *                                         wrote K pages
 *
 * T is the sum of the TSC's advance over each single store, read by the
 * writer itself (instructions under QEMU -icount shift=0, one CPU).
 * FAILURE if a measurement did not run, if the child owns RAM right
 * after the fork or if a fork_reset frees other than what the child
 * owned; the other numbers are the bench's to judge.
 * May not touch: anything but d1, d2 and the child it makes.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/memory.h>
#include <public/domctl.h>
#include <public/wren.h>

const char test_title[] = "bench: unshare cost, fork copies, fork_reset frees";

#define BST_TIMED_WRITE 100     /* bench-sharing-target's */
#define S_GFN           0x300UL /* shared between d1 and d2 */
#define P_GFN           0x340UL /* d1's private pages (filled, not shared) */
#define N               64UL
#define CHILD_MB_GFN    0x7f102UL
#define F_GFN           0x400UL /* the child writes [F_GFN, F_GFN + K) */
#define DATA            0x5eed000000000000ULL

static xtf_mb_t *mb1, *mb2, *mbc;

static bool expect(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: %ld, expected %ld", what, got, want);
    return got == want;
}

static long fill(xtf_mb_t *mb, uint64_t first, uint64_t nr, uint64_t base)
{
    mb->arg[0] = first;
    mb->arg[1] = nr;
    mb->arg[2] = base;
    return xtf_mb_call(mb, XTF_MB_FILL, 0);
}

static long sharing(struct xen_mem_sharing_op *op)
{
    return hypercall_memory_op(XENMEM_sharing_op, op);
}

static long enable(domid_t d)
{
    struct xen_domctl dc = { .cmd = XEN_DOMCTL_mem_sharing_op, .domain = d };

    dc.u.mem_sharing_op.op = XEN_DOMCTL_MEM_SHARING_CONTROL;
    dc.u.mem_sharing_op.u.enable = 1;
    return hypercall_domctl(&dc);
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

/* d1's gfn and d2's gfn, identical, become one frame. */
static long share_one(uint64_t gfn)
{
    struct xen_mem_sharing_op op = { .op = XENMEM_sharing_op_share, .domain = 1 };
    uint64_t h1, h2;
    long rc = nominate(1, gfn, &h1) ?: nominate(2, gfn, &h2);

    if ( rc )
        return rc;
    op.u.share.source_gfn = gfn;
    op.u.share.source_handle = h1;
    op.u.share.client_domain = 2;
    op.u.share.client_gfn = gfn;
    op.u.share.client_handle = h2;
    return sharing(&op);
}

/* mb's domain stores once to each of [first, first + N); prints the sum. */
static bool timed(xtf_mb_t *mb, const char *what, uint64_t first)
{
    uint64_t sum = 0;
    long rc;

    for ( uint32_t i = 0; i < N; i++ )
    {
        mb->gfn[i] = first + i;
        mb->val[i] = ~DATA;
    }
    rc = xtf_mb_call(mb, BST_TIMED_WRITE, N);
    if ( rc )
        return xtf_mb_report(mb, what, rc), false;
    for ( uint32_t i = 0; i < N; i++ )
        sum += mb->out[i];
    printf("BENCH what=%s n=%lu tsc=%lu\n", what, N, (unsigned long)sum);
    return true;
}

static bool unshare_cost(void)
{
    bool ok = expect("d1 fills", fill(mb1, S_GFN, 2 * N, DATA), 0) &&
              expect("d2 fills", fill(mb2, S_GFN, N, DATA), 0) &&
              expect("enable d1", enable(1), 0) && expect("enable d2", enable(2), 0);

    for ( uint64_t g = S_GFN; ok && g < S_GFN + N; g++ )
        ok = expect("share", share_one(g), 0);
    /* Private pages first, twice: the first pass fills the TLB's way. */
    return ok && timed(mb1, "private-warm", P_GFN) && timed(mb1, "private", P_GFN) &&
           timed(mb1, "unshare-copy", S_GFN) && timed(mb2, "unshare-last", S_GFN);
}

static uint64_t tot_pages(domid_t d)
{
    struct xen_domctl_getdomaininfo info;

    return xtf_getdomaininfo(d, &info) ? ~0ULL : info.tot_pages;
}

static long fork_op(uint8_t op, domid_t child, domid_t parent, uint16_t flags)
{
    struct xen_mem_sharing_op mso = { .op = op, .domain = child };

    mso.u.fork.parent_domain = parent;
    mso.u.fork.flags = flags;
    return sharing(&mso);
}

static bool attach_child(domid_t child)
{
    if ( !expect("unpause child", xtf_domctl_simple(XEN_DOMCTL_unpausedomain, child), 0) )
        return false;
    mbc = xtf_mb_attach(child, CHILD_MB_GFN);
    if ( !mbc )
        return xtf_failure("the child's mailbox"), false;
    mbc->domid = child; /* it holds d1's id: the child is d1's copy */
    return true;
}

/* A child of d1; its counters right after the fork. */
static bool fork_child(domid_t *child)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    struct xen_domctl_wren_p2m s;

    if ( !expect("createdomain", xtf_createdomain(0, &c, child), 0) ||
         !expect("fork", fork_op(XENMEM_sharing_op_fork, *child, 1, 0), 0) ||
         !xtf_p2m_stats(*child, &s) )
        return false;
    printf("BENCH what=fork leaves=%lu ram=%lu written=%lu\n",
           (unsigned long)(s.entries_4k + s.entries_2m + s.entries_1g),
           (unsigned long)tot_pages(*child), (unsigned long)s.entries_written);
    return expect("child RAM pages right after the fork", (long)tot_pages(*child), 0) &&
           attach_child(*child);
}

/* The child writes k pages; fork_reset; what it owned and what came back. */
static bool reset_after(domid_t child, uint64_t k)
{
    uint64_t own, free0, freed;

    if ( !expect("child fills", fill(mbc, F_GFN, k, ~DATA), 0) ||
         !expect("unmap child mailbox", xtf_unmap_local(CHILD_MB_GFN), 0) ||
         !expect("pause child", xtf_domctl_simple(XEN_DOMCTL_pausedomain, child), 0) )
        return false;
    own = tot_pages(child);
    free0 = xtf_free_pages();
    if ( !expect("fork_reset",
                 fork_op(XENMEM_sharing_op_fork_reset, child, 0,
                         XENMEM_FORK_RESET_MEMORY | XENMEM_FORK_RESET_STATE),
                 0) )
        return false;
    freed = xtf_free_pages() - free0;
    printf("BENCH what=reset k=%lu owned=%lu freed=%lu\n", (unsigned long)k, (unsigned long)own,
           (unsigned long)freed);
    return expect("pages freed by fork_reset = the child's own", (long)freed, (long)own) &&
           attach_child(child);
}

static bool forks(void)
{
    static const uint64_t ks[] = { 8, 64, 512 };
    domid_t child;

    if ( !fork_child(&child) )
        return false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(ks); i++ )
        if ( !reset_after(child, ks[i]) )
            return false;
    return expect("unmap child mailbox", xtf_unmap_local(CHILD_MB_GFN), 0) &&
           expect("destroy child", xtf_domctl_simple(XEN_DOMCTL_destroydomain, child), 0);
}

void test_main(void)
{
    mb1 = xtf_mb_attach(1, 0x7f100);
    mb2 = xtf_mb_attach(2, 0x7f101);
    if ( !mb1 || !mb2 )
        return xtf_error("the targets' mailboxes");
    if ( !unshare_cost() || !forks() )
        return;
    xtf_mb_call(mb1, XTF_MB_EXIT, 0);
    xtf_mb_call(mb2, XTF_MB_EXIT, 0);
    xtf_success(NULL);
}
