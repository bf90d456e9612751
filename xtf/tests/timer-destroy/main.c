/*
 * timer-destroy - a domain's timers die with it.
 *
 * d1 (timer-armer) arms 1 ms periodic timers on both its vCPUs, a
 * singleshot timer, and sleeps in SCHEDOP_poll with a timeout. dom0 gives
 * it 300 ms of system time to do so, destroys it, and then lets 100 ms
 * pass: a timer left on the hypervisor's list would fire into the freed
 * vCPU (the heap poisons freed objects, so the hypervisor would fault at
 * once). The hypervisor must still answer afterwards, d1 must be gone
 * (-ESRCH), and dom0's own singleshot timer must still work.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/time.h>
#include <public/vcpu.h>
#include <public/domctl.h>

const char test_title[] = "Timers die with their domain";

#define MS 1000000UL

static void wait_ms(unsigned long ms)
{
    uint64_t until = xtf_now() + ms * MS;

    while ( xtf_now() < until )
        hypercall_yield();
}

void test_main(void)
{
    struct xen_domctl_getdomaininfo info;
    struct vcpu_set_singleshot_timer one = { 0 };
    long port, rc;

    if ( !xtf_shared_info() )
    {
        xtf_failure("cannot map shared_info");
        return;
    }
    xtf_shared_info()->vcpu_info[0].evtchn_upcall_mask = 1;
    wait_ms(300);
    rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, 1);
    if ( rc )
    {
        xtf_failure("destroying d1: %ld", rc);
        return;
    }
    wait_ms(100);
    evtchn_expect("getdomaininfo of the destroyed d1", xtf_getdomaininfo(1, &info), -XEN_ESRCH);

    port = evtchn_bind_virq(VIRQ_TIMER, 0);
    if ( port <= 0 )
    {
        xtf_failure("bind VIRQ_TIMER: %ld", port);
        return;
    }
    one.timeout_abs_ns = xtf_now() + MS;
    evtchn_expect("own singleshot timer", hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &one),
                  0);
    wait_ms(50);
    if ( !evtchn_test_pending((evtchn_port_t)port) )
        xtf_failure("dom0's singleshot timer did not fire after d1 was destroyed");
    xtf_success(NULL);
}
