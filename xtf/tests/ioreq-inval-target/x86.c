/*
 * x86.c - ioreq-inval-target's x86 pieces: vCPU 1 by VCPUOP_initialise,
 * its naps in SCHEDOP_poll on an idle port with a 5 ms timeout, and the
 * REP OUTSL of mode 5. The whole file is x86's; it touches nothing but
 * its own port and the device.
 */
#if defined(__x86_64__)
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/time.h>
#include <xtf/vcpu.h>
#include <xtf/ioreq-inval.h>
#include <public/sched.h>
#include "arch.h"

long inval_start_ap(void (*fn)(unsigned int id))
{
    return xtf_vcpu_start(1, fn);
}

void inval_nap(void)
{
    static evtchn_port_t idle;
    struct sched_poll p = { .nr_ports = 1 };

    if ( !idle )
    {
        long port = evtchn_alloc_unbound(DOMID_SELF, 0);

        if ( port < 0 )
            mark(INVAL_MARK_ERROR);
        idle = port < 0 ? 0 : (evtchn_port_t)port;
    }
    set_xen_guest_handle(p.ports, &idle);
    p.timeout = xtf_now() + 5000000; /* 5 ms asleep */
    hypercall_sched_op(SCHEDOP_poll, &p);
}

void inval_mode_insn(void)
{
    static const uint32_t words[2] = { INVAL_INSN_1, INVAL_INSN_2 };
    const uint32_t *src = words;
    unsigned long n = 2;

    __asm__ volatile("rep outsl" : "+S"(src), "+c"(n) : "d"(XTF_DMADEV_MARK) : "memory");
    mark(INVAL_MARK_END);
}

#endif /* __x86_64__ */
