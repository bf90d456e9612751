/*
 * ioreq-inval-insn - an invalidation owed in the middle of an
 * instruction neither overtakes nor loses the instruction's accesses.
 *
 * d1 (ioreq-inval-target, mode 5) writes two dwords to the device's MARK
 * port with one REP OUTSL. dom0's server (xtf/ioreq-inval.h), taking the
 * first element, gives back a frame of d1 before answering it: d1's
 * vCPU, waiting, is flagged. When it resumes the instruction it owes the
 * invalidation and has a second element to send. The server must take,
 * in this order: the first element, one IOREQ_TYPE_INVALIDATE, the
 * second element, d1's END mark.
 *
 * Sending the invalidation before entry but ahead of the interrupted
 * instruction's resumption made the second element find its server
 * busy: it was dropped as if nobody claimed it.
 */
#include <xtf.h>
#include <xtf/ioreq-inval.h>
#include <public/memory.h>

const char test_title[] = "Mapcache invalidation between two elements of one instruction";

static struct inval_server is;

static void give_back(void)
{
    xen_pfn_t pfn = INVAL_G;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = INVAL_TARGET };
    long rc;

    set_xen_guest_handle(r.extent_start, &pfn);
    rc = hypercall_memory_op(XENMEM_decrease_reservation, &r);
    if ( rc != 1 )
        xtf_error("decrease_reservation of d1's gfn %#lx: %ld", INVAL_G, rc);
}

/* The device's own handler, plus: the first element changes d1's RAM. */
static void handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    inval_handle(s, p);
    if ( p->type == IOREQ_TYPE_PIO && p->addr == XTF_DMADEV_MARK && p->data == INVAL_INSN_1 )
        give_back();
}

void test_main(void)
{
    static const struct inval_event want[] = {
        { INVAL_EV_MARK, 0, INVAL_INSN_1 },
        { INVAL_EV_INVAL, 0, 0 },
        { INVAL_EV_MARK, 0, INVAL_INSN_2 },
        { INVAL_EV_MARK, 0, INVAL_MARK_END },
    };

    if ( !inval_server_start(&is, 1) )
        return;
    is.io.handler = handler;
    if ( !inval_run_script(&is, false) )
        return;
    for ( unsigned int i = 0; i < ARRAY_SIZE(want); i++ )
        if ( i >= is.nr_log || is.log[i].kind != want[i].kind || is.log[i].value != want[i].value )
        {
            xtf_failure("event %u of the log is not the expected %s %#x", i,
                        want[i].kind == INVAL_EV_INVAL ? "INVAL" : "MARK", want[i].value);
            return;
        }
    if ( is.nr_log != ARRAY_SIZE(want) )
        xtf_failure("%u events logged, expected %u", is.nr_log, (unsigned int)ARRAY_SIZE(want));
    else
        xtf_success(NULL);
}
