/*
 * ioreq-stall - a device model that never answers stalls only the vCPU
 * whose request it holds.
 *
 * dom0 creates a server for d1 claiming the page at IOT_MMIO_BASE and
 * never serves it. d1 is told to load 4 bytes from it: the request
 * appears in d1's slot (READY) and d1 stops acknowledging its mailbox.
 * Meanwhile d2 (another ioreq-target) answers 100 mailbox commands, and
 * dom0 itself keeps running: nothing but d1's vCPU waits. Then dom0
 * destroys the server: d1's vCPU stops waiting and its load, now
 * unclaimed, meets the hole: on x86 it reads all-ones and d1
 * acknowledges the command; on Arm the domain crashes (Arm has no
 * all-ones hole), and only d1. The domUs then power off.
 * (MMIO rather than an IN, so the same test runs on both; port I/O
 * waits are ioreq-pio's.)
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq.h>
#include <xtf/ioreq_target.h>
#include <xtf/p2m.h>

const char test_title[] = "ioreq: an unanswered request stalls only its vCPU";

#define MB1_GFN 0x7f100UL
#define MB2_GFN 0x7f101UL
#define IO_GFN  0x7f200UL
#define ADDR    (IOT_MMIO_BASE + 0x40)
#define OTHERS  100

static xtf_mb_t *mb1, *mb2;
static struct xtf_ioreq_server srv;

/* Post a load to d1 without waiting; its seq. */
static uint32_t post_load(void)
{
    uint32_t seq = mb1->seq + 1;

    mb1->arg[0] = ADDR;
    mb1->arg[1] = 4;
    mb1->arg[2] = IOT_MMIO_LOAD;
    mb1->op = IOT_MMIO;
    mb1->nr = 0;
    mb1->out[0] = 0;
    smp_wmb();
    mb1->seq = seq;
    return seq;
}

static bool request_arrived(void)
{
    volatile ioreq_t *slot = &srv.iopage->vcpu_ioreq[0];

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( (slot->flags & IOREQ_FLAG_STATE_MASK) == STATE_IOREQ_READY )
            return slot->addr == ADDR && slot->type == IOREQ_TYPE_COPY;
        hypercall_yield();
    }
    return false;
}

static bool acked(uint32_t seq)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( mb1->ack == seq )
            return true;
        hypercall_yield();
    }
    return false;
}

/* x86: the released load reads all-ones and d1 goes on. */
static void hole_read(uint32_t seq)
{
    if ( !acked(seq) )
        return xtf_failure("d1 still waits after its server was destroyed");
    if ( mb1->out[0] != 0xffffffffULL )
        xtf_failure("d1's load gave %#lx once unclaimed, not all-ones", (unsigned long)mb1->out[0]);
}

/* Arm: the released load meets a hole, which crashes d1 (and not d2). */
static void hole_crashed(void)
{
    unsigned int reason = 0;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && !xtf_mb_target_gone(mb1, &reason); i++ )
        hypercall_yield();
    if ( !xtf_mb_target_gone(mb1, &reason) || reason != SHUTDOWN_crash )
        xtf_failure("d1 after its server was destroyed: %s",
                    xtf_mb_target_gone(mb1, &reason) ? xtf_shutdown_name(reason) : "still running");
    if ( xtf_mb_target_gone(mb2, NULL) )
        xtf_failure("d2 went down with d1");
}

void test_main(void)
{
    uint32_t seq;
    long rc;

    mb1 = xtf_mb_attach(1, MB1_GFN);
    mb2 = xtf_mb_attach(2, MB2_GFN);
    if ( !mb1 || !mb2 )
        return xtf_error("cannot attach the mailboxes");
    rc = xtf_ioreq_create(&srv, 1, 1, HVM_IOREQSRV_BUFIOREQ_OFF, IO_GFN, NULL);
    rc = rc
             ?: xtf_ioreq_map_range(&srv, XEN_DMOP_IO_RANGE_MEMORY, IOT_MMIO_BASE,
                                    IOT_MMIO_BASE + 0xfff);
    rc = rc ?: xtf_ioreq_set_state(&srv, true);
    if ( rc )
        return xtf_failure("setting up the server: %ld", rc);
    seq = post_load();
    if ( !request_arrived() )
        return xtf_failure("d1's load never reached the server");
    for ( unsigned int i = 0; i < OTHERS; i++ )
    {
        rc = xtf_mb_call(mb2, XTF_MB_NOP, 0);
        if ( rc )
            return xtf_mb_report(mb2, "d2 while d1 waits", rc);
    }
    if ( mb1->ack == seq )
        return xtf_failure("d1 finished its load though nobody answered");
    if ( xtf_mb_target_gone(mb1, NULL) )
        return xtf_failure("d1 went down while its load waited");
    printf("d2 answered %u commands while d1 waited\n", OTHERS);
    if ( xtf_ioreq_destroy(&srv) )
        return xtf_failure("destroying the server failed");
    if ( IOT_HOLE_CRASHES )
        hole_crashed();
    else
        hole_read(seq);
    xtf_mb_call(mb2, XTF_MB_EXIT, 0);
    if ( !IOT_HOLE_CRASHES )
        xtf_mb_call(mb1, XTF_MB_EXIT, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
