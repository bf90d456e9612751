/*
 * ioreq-stall - a device model that never answers stalls only the vCPU
 * whose request it holds.
 *
 * dom0 creates a server for d1 claiming port 0x300 and never serves it.
 * d1 is told to IN from 0x300: the request appears in d1's slot (READY)
 * and d1 stops acknowledging its mailbox. Meanwhile d2 (another
 * ioreq-target) answers 100 mailbox commands, and dom0 itself keeps
 * running: nothing but d1's vCPU waits. Then dom0 destroys the server:
 * d1's vCPU stops waiting, its IN, now unclaimed, reads all-ones, and it
 * acknowledges the command. Both domUs then power off.
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
#define PORT    0x300
#define OTHERS  100

static xtf_mb_t *mb1, *mb2;
static struct xtf_ioreq_server srv;

/* Post an IN to d1 without waiting; its seq. */
static uint32_t post_in(void)
{
    uint32_t seq = mb1->seq + 1;

    mb1->arg[0] = PORT;
    mb1->arg[1] = 4;
    mb1->arg[2] = 0;
    mb1->op = IOT_PIO;
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
            return slot->addr == PORT && slot->type == IOREQ_TYPE_PIO;
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

void test_main(void)
{
    uint32_t seq;
    long rc;

    mb1 = xtf_mb_attach(1, MB1_GFN);
    mb2 = xtf_mb_attach(2, MB2_GFN);
    if ( !mb1 || !mb2 )
        return xtf_error("cannot attach the mailboxes");
    rc = xtf_ioreq_create(&srv, 1, 1, HVM_IOREQSRV_BUFIOREQ_OFF, IO_GFN, NULL);
    rc = rc ?: xtf_ioreq_map_range(&srv, XEN_DMOP_IO_RANGE_PORT, PORT, PORT + 3);
    rc = rc ?: xtf_ioreq_set_state(&srv, true);
    if ( rc )
        return xtf_failure("setting up the server: %ld", rc);
    seq = post_in();
    if ( !request_arrived() )
        return xtf_failure("d1's IN never reached the server");
    for ( unsigned int i = 0; i < OTHERS; i++ )
    {
        rc = xtf_mb_call(mb2, XTF_MB_NOP, 0);
        if ( rc )
            return xtf_mb_report(mb2, "d2 while d1 waits", rc);
    }
    if ( mb1->ack == seq )
        return xtf_failure("d1 finished its IN though nobody answered");
    printf("d2 answered %u commands while d1 waited\n", OTHERS);
    if ( xtf_ioreq_destroy(&srv) )
        return xtf_failure("destroying the server failed");
    if ( !acked(seq) )
        return xtf_failure("d1 still waits after its server was destroyed");
    if ( mb1->out[0] != 0xffffffffULL )
        xtf_failure("d1's IN gave %#lx once unclaimed, not all-ones", (unsigned long)mb1->out[0]);
    xtf_mb_call(mb2, XTF_MB_EXIT, 0);
    xtf_mb_call(mb1, XTF_MB_EXIT, 0);
    xtf_success(NULL);
}
