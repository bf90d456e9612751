/*
 * ioreq-inval-stall - a server that does not answer the invalidation
 * stalls only the domain it serves.
 *
 * d1 (ioreq-inval-target, mode 4) counts in its control page and touches
 * nothing else; d2 (p2m-target) idles, counting its yields in its
 * mailbox. dom0 serves d1's device (xtf/ioreq-inval.h) and then gives
 * back a frame of d1 on its behalf: d1's vCPU is flagged and kicked out
 * of the guest, sends IOREQ_TYPE_INVALIDATE and waits. dom0 now does not
 * answer. While d2 yields another STALL_ROUNDS times, d1's count must
 * not move and its slot must hold the INVALIDATE, READY; dom0 itself
 * runs throughout. Once dom0 answers, d1 must count again.
 *
 * Without the broadcast (or without the wait) d1 never stops counting.
 */
#include <xtf.h>
#include <xtf/ioreq-inval.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <public/memory.h>

const char test_title[] = "Mapcache invalidation: an unanswered server stalls only its domain";

#define OTHER        2
#define MB_GFN       0x7f300UL /* our slot for d2's mailbox */
#define STALL_ROUNDS 2000      /* d2's yields while d1 must stand still */
#define RUN_COUNTS   100000    /* d1's counts that show it runs */

static struct inval_server is;
static xtf_mb_t *mb;

/* Yield until d1 counted n more (serving if asked); false if it did not. */
static bool wait_progress(uint64_t n, bool serve)
{
    volatile struct inval_ctl *c = inval_ctl();
    uint64_t start = c->progress;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( c->progress - start >= n )
            return true;
        if ( !serve || !xtf_ioreq_serve(&is.io) )
            hypercall_yield();
    }
    return false;
}

static bool give_back_frame(void)
{
    xen_pfn_t pfn = INVAL_G;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = INVAL_TARGET };
    long rc;

    set_xen_guest_handle(r.extent_start, &pfn);
    rc = hypercall_memory_op(XENMEM_decrease_reservation, &r);
    if ( rc != 1 )
        return xtf_error("decrease_reservation of d1's gfn %#lx: %ld", INVAL_G, rc), false;
    return true;
}

/* Not serving: d2 runs on, d1 stands still with the INVALIDATE waiting. */
static bool stalled(void)
{
    volatile struct inval_ctl *c = inval_ctl();
    const ioreq_t *slot = &is.io.iopage->vcpu_ioreq[0];
    uint64_t idle0 = mb->idle_rounds, p1, p2;

    while ( mb->idle_rounds - idle0 < STALL_ROUNDS / 2 )
        hypercall_yield();
    p1 = c->progress;
    while ( mb->idle_rounds - idle0 < STALL_ROUNDS )
        hypercall_yield();
    p2 = c->progress;
    printf("unanswered: d2 yielded %lu times, d1 counted %lu in the second half\n",
           (unsigned long)(mb->idle_rounds - idle0), (unsigned long)(p2 - p1));
    if ( p2 != p1 )
        return xtf_failure("d1 ran on (%lu counts) while its invalidation was unanswered",
                           (unsigned long)(p2 - p1)),
               false;
    if ( IOREQ_STATE(slot) != STATE_IOREQ_READY || slot->type != IOREQ_TYPE_INVALIDATE )
        return xtf_failure("d1's slot holds state %u type %u, not a READY INVALIDATE",
                           IOREQ_STATE(slot), slot->type),
               false;
    return true;
}

void test_main(void)
{
    uint64_t sent, flags, frames;

    mb = xtf_mb_attach(OTHER, MB_GFN);
    if ( !mb || !inval_server_start(&is, 1) )
        return;
    if ( !wait_progress(RUN_COUNTS, true) )
    {
        xtf_error("d1 does not run");
        return;
    }
    if ( !give_back_frame() || !stalled() )
        return;
    if ( !wait_progress(RUN_COUNTS, true) )
    {
        xtf_failure("d1 did not run again once its invalidation was answered");
        return;
    }
    inval_ctl()->stop = 1;
    if ( !inval_serve_until_shutdown(&is) || !inval_counters(&sent, &flags, &frames) )
    {
        xtf_error("d1 did not stop");
        return;
    }
    printf("counters: %lu broadcasts, %lu flags, %lu frames gone; %lu invalidations taken\n",
           (unsigned long)sent, (unsigned long)flags, (unsigned long)frames,
           (unsigned long)is.invals[0]);
    if ( is.invals[0] != 1 || sent != 1 )
        xtf_failure("%lu invalidations taken, %lu sent; expected 1", (unsigned long)is.invals[0],
                    (unsigned long)sent);
    else
        xtf_success(NULL);
}
