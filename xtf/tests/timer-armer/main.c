/*
 * timer-armer - helper domU for timer-destroy: leaves the hypervisor
 * holding as many timers of its vCPUs as it can when it is destroyed.
 *
 * It binds VIRQ_TIMER on vCPU 0, sets 1 ms periodic timers on vCPU 0 and
 * on vCPU 1 (never started: Xen allows it), a singleshot timer 5 ms ahead,
 * and then sleeps in SCHEDOP_poll on a port that never fires with a
 * timeout 60 s away (a third timer). It never ends by itself.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/time.h>
#include <public/vcpu.h>
#include <public/sched.h>

const char test_title[] = "timer-destroy helper: arm and sleep";

void test_main(void)
{
    struct vcpu_set_periodic_timer per = { .period_ns = 1000000 };
    struct vcpu_set_singleshot_timer one = { 0 };
    struct sched_poll p = { .nr_ports = 1 };
    evtchn_port_t idle;
    long port;

    if ( !xtf_shared_info() )
        xtf_shutdown(SHUTDOWN_crash);
    xtf_shared_info()->vcpu_info[0].evtchn_upcall_mask = 1;
    port = evtchn_bind_virq(VIRQ_TIMER, 0);
    idle = (evtchn_port_t)evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0, &per);
    hypercall_vcpu_op(VCPUOP_set_periodic_timer, 1, &per);
    one.timeout_abs_ns = xtf_now() + 5000000;
    hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &one);
    printf("armed: VIRQ_TIMER port %ld, polling port %u\n", port, idle);
    set_xen_guest_handle(p.ports, &idle);
    for ( ;; )
    {
        p.timeout = xtf_now() + 60000000000ULL;
        hypercall_sched_op(SCHEDOP_poll, &p);
    }
}
