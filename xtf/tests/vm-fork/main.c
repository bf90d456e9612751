/*
 * vm-fork - VM fork: XENMEM_sharing_op_fork and fork_reset
 * (docs/designs/altp2m-sharing.md, "Part fork").
 *
 * dom0 drives d1 (p2m-target, the parent) through its mailbox: d1 fills
 * G_NR frames with its pattern. dom0 makes a child domain as a toolstack
 * would (createdomain, paused, one vCPU, no RAM), checks every refusal
 * (padding, unknown flags, BLOCK_INTERRUPTS, the child as its own
 * parent, dom0 as parent or child, a destroyed parent, a vCPU count
 * mismatch, an unpaused child, fork_reset of a domain that is not a fork
 * and without flags), then forks it. The child must own no RAM after the
 * fork (RAM entries copied: 0) and d1 must stop counting its idle rounds
 * while it has a child. The child, unpaused, runs on as d1 was: it reads
 * d1's data (its entries become shared), writes W_NR of the frames (its
 * own copies; reading them back shows its data), and the reverse map
 * audit is clean. fork_reset (memory and state) must free exactly the
 * pages the child made its own (its tot_pages, and the host's free count
 * grows by as many), after which the child reads d1's data again. When
 * the child is destroyed d1 runs again and reads its own data unchanged;
 * once d1 has taken back the frames its child's reads shared (the
 * explicit unshare, no copy: it is their last mapper), no shared frame
 * is left and the host's free pages are exactly what they were before
 * the child. Last, d1's destroy gives back all it owned and its pool.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/memory.h>
#include <public/domctl.h>
#include <public/wren.h>

const char test_title[] = "VM fork: fork, copy-on-write, fork_reset";

#define PARENT     1
#define MB1_GFN    0x7f100UL /* our slots for the mailboxes */
#define MB2_GFN    0x7f101UL
#define G_FIRST    XTF_GFN(0x300) /* d1 fills [G_FIRST, G_FIRST + G_NR) */
#define G_NR       32UL
#define W_NR       8UL /* the child writes the first W_NR of them */
#define P_DATA     0xf0f0000000000000ULL
#define C_DATA     0xc1c1000000000000ULL
#define P2M_SHARED 12

static xtf_mb_t *mb1, *mb2;

static long fork_call(uint8_t op, domid_t child, domid_t parent, uint16_t flags, uint32_t pad)
{
    struct xen_mem_sharing_op mso = { .op = op, .domain = child };

    mso.u.fork.parent_domain = parent;
    mso.u.fork.flags = flags;
    mso.u.fork.pad = pad;
    return hypercall_memory_op(XENMEM_sharing_op, &mso);
}

static long audit(void)
{
    struct xen_mem_sharing_op mso = { .op = XENMEM_sharing_op_audit };

    return hypercall_memory_op(XENMEM_sharing_op, &mso);
}

static bool expect(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: %ld, expected %ld", what, got, want);
    return got == want;
}

static uint64_t tot_pages(domid_t d)
{
    struct xen_domctl_getdomaininfo info;

    return xtf_getdomaininfo(d, &info) ? ~0ULL : info.tot_pages;
}

/* A new paused domain with this many vCPUs, as a toolstack makes one. */
static bool new_domain(unsigned int vcpus, domid_t *d)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(vcpus);
    long rc = xtf_createdomain(0, &c, d);

    if ( rc )
        xtf_error("createdomain: %ld", rc);
    return !rc;
}

/* Frames [G_FIRST, +nr) through mb: READ, or WRITE val + gfn. */
static long frames(xtf_mb_t *mb, uint32_t op, uint64_t nr, uint64_t val)
{
    for ( uint32_t i = 0; i < nr; i++ )
    {
        mb->gfn[i] = G_FIRST + i;
        mb->val[i] = val + G_FIRST + i;
    }
    return xtf_mb_call(mb, op, (uint32_t)nr);
}

/* out[i] of the last command is base + gfn for i in [from, to). */
static bool outs_are(xtf_mb_t *mb, const char *who, uint64_t from, uint64_t to, uint64_t base)
{
    for ( uint64_t i = from; i < to; i++ )
        if ( mb->out[i] != base + G_FIRST + i )
            return xtf_failure("%s: gfn %#lx reads %#lx, not %#lx", who, G_FIRST + i,
                               (unsigned long)mb->out[i], (unsigned long)(base + G_FIRST + i)),
                   false;
    return true;
}

/* Does d1 count idle rounds over many of our yields? */
static bool parent_runs(void)
{
    uint64_t start = mb1->idle_rounds;

    for ( unsigned int i = 0; i < 20000 && mb1->idle_rounds == start; i++ )
        hypercall_yield();
    return mb1->idle_rounds != start;
}

static bool refusals(domid_t child)
{
    domid_t two, gone;
    bool ok;

    ok = expect("fork with pad", fork_call(XENMEM_sharing_op_fork, child, PARENT, 0, 1),
                -XEN_EINVAL) &&
         expect("fork with unknown flag",
                fork_call(XENMEM_sharing_op_fork, child, PARENT, 1u << 5, 0), -XEN_EINVAL) &&
         expect("fork blocking interrupts",
                fork_call(XENMEM_sharing_op_fork, child, PARENT, XENMEM_FORK_BLOCK_INTERRUPTS, 0),
                -XEN_EOPNOTSUPP) &&
         expect("fork of itself", fork_call(XENMEM_sharing_op_fork, child, child, 0, 0),
                -XEN_EINVAL) &&
         expect("fork of dom0", fork_call(XENMEM_sharing_op_fork, child, 0, 0, 0), -XEN_EPERM) &&
         expect("dom0 as child", fork_call(XENMEM_sharing_op_fork, 0, PARENT, 0, 0), -XEN_EPERM) &&
         expect("fork_reset of a non-fork",
                fork_call(XENMEM_sharing_op_fork_reset, child, 0, XENMEM_FORK_RESET_MEMORY, 0),
                -XEN_ENOSYS) &&
         expect("fork_reset without flags", fork_call(XENMEM_sharing_op_fork_reset, child, 0, 0, 0),
                -XEN_EINVAL);
    if ( !ok || !new_domain(2, &two) || !new_domain(1, &gone) )
        return false;
    ok = expect("fork with 2 vCPUs from 1", fork_call(XENMEM_sharing_op_fork, two, PARENT, 0, 0),
                -XEN_EINVAL) &&
         expect("destroy", xtf_domctl_simple(XEN_DOMCTL_destroydomain, gone), 0) &&
         expect("fork of a destroyed domain", fork_call(XENMEM_sharing_op_fork, child, gone, 0, 0),
                -XEN_ESRCH) &&
         expect("unpause", xtf_domctl_simple(XEN_DOMCTL_unpausedomain, child), 0) &&
         expect("fork into an unpaused child",
                fork_call(XENMEM_sharing_op_fork, child, PARENT, 0, 0), -XEN_EBUSY) &&
         expect("pause", xtf_domctl_simple(XEN_DOMCTL_pausedomain, child), 0);
    return expect("destroy 2-vCPU domain", xtf_domctl_simple(XEN_DOMCTL_destroydomain, two), 0) &&
           ok && expect("d1 still runs", parent_runs(), true);
}

/* Fork: no RAM in the child, the parent stopped, the child serving. */
static bool fork_child(domid_t child)
{
    struct xen_domctl_wren_p2m s;

    if ( !expect("fork", fork_call(XENMEM_sharing_op_fork, child, PARENT, 0, 0), 0) ||
         !expect("second fork of a fork", fork_call(XENMEM_sharing_op_fork, child, PARENT, 0, 0),
                 -XEN_EINVAL) ||
         !expect("child RAM pages after fork (RAM entries copied)", (long)tot_pages(child), 0) ||
         !xtf_p2m_stats(child, &s) )
        return false;
    printf("after fork: child p2m leaves %lu (its special pages), RAM pages 0\n",
           (unsigned long)(s.entries_4k + s.entries_2m + s.entries_1g));
    if ( !expect("d1 paused while it has a child", parent_runs(), false) ||
         !expect("unpause child", xtf_domctl_simple(XEN_DOMCTL_unpausedomain, child), 0) )
        return false;
    mb2 = xtf_mb_attach(child, MB2_GFN);
    if ( !mb2 )
        return xtf_failure("the child's mailbox"), false;
    mb2->domid = child; /* it holds d1's id: the child is d1's copy */
    return true;
}

/* The child reads d1's data, writes its own over W_NR frames. */
static bool diverge(domid_t child)
{
    if ( !expect("child reads", frames(mb2, XTF_MB_READ, G_NR, 0), 0) ||
         !outs_are(mb2, "child before its writes", 0, G_NR, P_DATA) ||
         !expect("child writes", frames(mb2, XTF_MB_WRITE, W_NR, C_DATA), 0) ||
         !expect("child reads again", frames(mb2, XTF_MB_READ, G_NR, 0), 0) ||
         !outs_are(mb2, "child's written frames", 0, W_NR, C_DATA) ||
         !outs_are(mb2, "child's unwritten frames", W_NR, G_NR, P_DATA) )
        return false;
    for ( uint64_t g = G_FIRST + W_NR; g < G_FIRST + G_NR; g++ )
        xtf_p2m_expect_type(child, "child's read-only frame", g, P2M_SHARED);
    return expect("audit with a child", audit(), 0);
}

/* fork_reset: exactly the child's private pages go; d1's data again. */
static bool reset(domid_t child)
{
    uint64_t own = tot_pages(child), free0, freed;

    /* Paused, so that it fills nothing between the reset and our count. */
    if ( !expect("unmap child mailbox", xtf_unmap_local(MB2_GFN), 0) ||
         !expect("pause child", xtf_domctl_simple(XEN_DOMCTL_pausedomain, child), 0) )
        return false;
    own = tot_pages(child);
    free0 = xtf_free_pages();
    if ( !expect("fork_reset",
                 fork_call(XENMEM_sharing_op_fork_reset, child, 0,
                           XENMEM_FORK_RESET_MEMORY | XENMEM_FORK_RESET_STATE, 0),
                 0) )
        return false;
    freed = xtf_free_pages() - free0;
    printf("fork_reset: child owned %lu pages (%lu written by the test), %lu freed\n",
           (unsigned long)own, W_NR, (unsigned long)freed);
    if ( !expect("child RAM after reset", (long)tot_pages(child), 0) ||
         !expect("pages freed by reset = the child's own", (long)freed, (long)own) ||
         !expect("child wrote at least the test's frames", own >= W_NR, true) ||
         !expect("unpause child", xtf_domctl_simple(XEN_DOMCTL_unpausedomain, child), 0) )
        return false;
    mb2 = xtf_mb_attach(child, MB2_GFN);
    if ( !mb2 )
        return xtf_failure("the child's mailbox after reset"), false;
    mb2->domid = child;
    return expect("child reads after reset", frames(mb2, XTF_MB_READ, G_NR, 0), 0) &&
           outs_are(mb2, "child after reset", 0, G_NR, P_DATA) &&
           expect("audit after reset", audit(), 0);
}

/* The child goes: d1 runs again on its own, unchanged data. */
static bool child_dies(domid_t child, uint64_t free_before)
{
    if ( !expect("unmap child mailbox", xtf_unmap_local(MB2_GFN), 0) ||
         !expect("destroy child", xtf_domctl_simple(XEN_DOMCTL_destroydomain, child), 0) ||
         !expect("d1 runs after its child died", parent_runs(), true) ||
         !expect("d1 reads", frames(mb1, XTF_MB_READ, G_NR, 0), 0) ||
         !outs_are(mb1, "d1 after the fork", 0, G_NR, P_DATA) ||
         !expect("audit after the child", audit(), 0) )
        return false;
    return true;
}

/* d1 takes back every frame the child's reads made shared (the last
 * mapper: no copy), so every node and charge of the reverse map goes. */
static bool parent_unshares(uint64_t free_before)
{
    struct xen_mem_sharing_op mso = { .op = WREN_SHARING_OP_unshare, .domain = PARENT };
    uint64_t shared = 0;

    for ( uint64_t g = 0; g < mb1->ram_end >> PAGE_SHIFT; g++ )
    {
        if ( xtf_p2m_type_of(PARENT, g) != P2M_SHARED )
            continue;
        mso.u.nominate.u.gfn = g;
        if ( !expect("d1 unshares", hypercall_memory_op(XENMEM_sharing_op, &mso), 0) )
            return false;
        shared++;
    }
    printf("d1 took back %lu frames its child had read; free pages %lu before the child, "
           "%lu now\n",
           (unsigned long)shared, (unsigned long)free_before, (unsigned long)xtf_free_pages());
    return expect("shared frames left", hypercall_memory_op(XENMEM_get_sharing_shared_pages, NULL),
                  0) &&
           expect("audit at the end", audit(), 0) &&
           expect("free pages back to before the child", (long)xtf_free_pages(), (long)free_before);
}

/* Last, d1 goes: everything it owned and its pool come back. */
static bool parent_dies(void)
{
    uint64_t pool = 0, owned = 0, before;

    if ( !expect("unmap d1 mailbox", xtf_unmap_local(MB1_GFN), 0) ||
         !expect("d1 pool", xtf_p2m_pool(PARENT, &pool, NULL, &owned), 0) )
        return false;
    before = xtf_free_pages();
    if ( !expect("destroy d1", xtf_domctl_simple(XEN_DOMCTL_destroydomain, PARENT), 0) )
        return false;
    printf("d1 destroyed: %lu frames back (owned %lu, pool %lu)\n",
           (unsigned long)(xtf_free_pages() - before), (unsigned long)owned, (unsigned long)pool);
    return expect("d1's frames and pool back", xtf_free_pages() - before >= owned + pool, true);
}

void test_main(void)
{
    uint64_t free_before;
    domid_t child;

    mb1 = xtf_mb_attach(PARENT, MB1_GFN);
    if ( !mb1 )
        return xtf_error("d1's mailbox");
    mb1->arg[0] = G_FIRST;
    mb1->arg[1] = G_NR;
    mb1->arg[2] = P_DATA;
    if ( !expect("d1 fills", xtf_mb_call(mb1, XTF_MB_FILL, 0), 0) )
        return;
    free_before = xtf_free_pages();
    if ( !new_domain(1, &child) || !refusals(child) || !fork_child(child) || !diverge(child) ||
         !reset(child) || !child_dies(child, free_before) || !parent_unshares(free_before) ||
         !parent_dies() )
        return;
    xtf_success(NULL);
}
