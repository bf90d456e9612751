/*
 * ioreq-target - helper domU for the ioreq-* controller tests.
 *
 * Serves the mailbox (xtf/mailbox.h) with the commands of
 * xtf/ioreq_target.h: on each it executes exactly the port or memory
 * instruction asked for (the architecture's: x86.c, arm64.c), on its
 * own vCPU, so the access reaches the hypervisor as this guest's and,
 * if a server claims it, goes to the controller's IOREQ server. It reports what the instruction left in
 * its registers and buffers. Prints no verdict; powers off on
 * XTF_MB_EXIT.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/evtchn.h>
#include <xtf/p2m.h>
#include <xtf/ioreq_target.h>
#include <public/memory.h>
#include "insn.h"

const char test_title[] = "ioreq helper: I/O on command";

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;

static long evtchn_call(void)
{
    evtchn_port_t port = (evtchn_port_t)mb->arg[1];

    switch ( mb->arg[0] )
    {
    case EVTCHNOP_send: return evtchn_send(port);
    case EVTCHNOP_close: return evtchn_close(port);
    case EVTCHNOP_bind_vcpu: return evtchn_bind_vcpu(port, 0);
    default: return -XEN_EINVAL;
    }
}

static long dm_call(void)
{
    struct xen_dm_op op = { .op = XEN_DMOP_create_ioreq_server };
    xen_pfn_t gfn = 0x7f300;
    struct xen_mem_acquire_resource r = {
        .domid = (domid_t)mb->arg[1],
        .type = XENMEM_resource_ioreq_server,
        .id = (uint32_t)mb->arg[2],
        .nr_frames = 1,
        .frame = 1,
    };

    if ( mb->arg[0] == 0 )
        return xtf_dm_op((domid_t)mb->arg[1], &op);
    set_xen_guest_handle(r.frame_list, &gfn);
    return hypercall_memory_op(XENMEM_acquire_resource, &r);
}

static long serve(uint32_t op, uint32_t nr)
{
    switch ( op )
    {
    case XTF_MB_NOP:
    case XTF_MB_EXIT: return 0;
    case IOT_PIO: return iot_pio();
    case IOT_PIO_STRING: return iot_pio_string();
    case IOT_MMIO: return iot_mmio();
    case IOT_EVTCHN: return evtchn_call();
    case IOT_DM_CALL: return dm_call();
    default: return -XEN_ENOSYS;
    }
}

void test_main(void)
{
    xtf_mb_serve(serve);
}
