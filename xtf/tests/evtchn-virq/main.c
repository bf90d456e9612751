/*
 * evtchn-virq - EVTCHNOP_bind_virq with Xen's rules, and what the other
 * operations do with a VIRQ port.
 *
 * dom0 (two vCPUs) checks, in Xen's order of checks:
 *  - a VIRQ number past NR_VIRQS is -EINVAL;
 *  - a global VIRQ (VIRQ_DOM_EXC) on vCPU 1 is -EINVAL, on vCPU 0 works;
 *  - a per-vCPU VIRQ (VIRQ_TIMER) on a vCPU that does not exist is
 *    -ENOENT; it binds once on each of vCPU 0 and vCPU 1, and a second
 *    binding on the same vCPU is -EEXIST;
 *  - EVTCHNOP_status says EVTCHNSTAT_virq with the VIRQ and the vCPU;
 *  - sending on a VIRQ port is -EINVAL (only the hypervisor raises it);
 *  - EVTCHNOP_bind_vcpu moves the global VIRQ (status shows the new
 *    vCPU) but not a per-vCPU one (-EINVAL);
 *  - closing frees the port (status: closed) and the VIRQ may be bound
 *    again.
 */
#include <xtf.h>
#include <xtf/evtchn.h>

const char test_title[] = "EVTCHNOP_bind_virq";

static void check_status(evtchn_port_t port, uint32_t virq, uint32_t vcpu)
{
    struct evtchn_status st;
    if ( !evtchn_expect("status of a VIRQ port", evtchn_status(DOMID_SELF, port, &st), 0) )
        return;
    evtchn_expect("status", st.status, EVTCHNSTAT_virq);
    evtchn_expect("status: virq", st.u.virq, virq);
    evtchn_expect("status: vcpu", st.vcpu, vcpu);
}

void test_main(void)
{
    struct evtchn_status st;
    long timer0, timer1, dom_exc, again;

    evtchn_expect("virq NR_VIRQS", evtchn_bind_virq(NR_VIRQS, 0), -XEN_EINVAL);
    evtchn_expect("virq ~0", evtchn_bind_virq(~0U, 0), -XEN_EINVAL);
    evtchn_expect("global virq on vCPU 1", evtchn_bind_virq(VIRQ_DOM_EXC, 1), -XEN_EINVAL);
    evtchn_expect("per-vCPU virq on vCPU 7", evtchn_bind_virq(VIRQ_TIMER, 7), -XEN_ENOENT);

    timer0 = evtchn_bind_virq(VIRQ_TIMER, 0);
    timer1 = evtchn_bind_virq(VIRQ_TIMER, 1);
    dom_exc = evtchn_bind_virq(VIRQ_DOM_EXC, 0);
    if ( timer0 <= 0 || timer1 <= 0 || dom_exc <= 0 )
    {
        xtf_failure("bind_virq: %ld %ld %ld", timer0, timer1, dom_exc);
        return;
    }
    evtchn_expect("VIRQ_TIMER again on vCPU 0", evtchn_bind_virq(VIRQ_TIMER, 0), -XEN_EEXIST);
    evtchn_expect("VIRQ_DOM_EXC again", evtchn_bind_virq(VIRQ_DOM_EXC, 0), -XEN_EEXIST);
    check_status(timer0, VIRQ_TIMER, 0);
    check_status(timer1, VIRQ_TIMER, 1);
    check_status(dom_exc, VIRQ_DOM_EXC, 0);

    evtchn_expect("send on a VIRQ port", evtchn_send(timer0), -XEN_EINVAL);
    evtchn_expect("move the global VIRQ", evtchn_bind_vcpu(dom_exc, 1), 0);
    check_status(dom_exc, VIRQ_DOM_EXC, 1);
    evtchn_expect("VIRQ_DOM_EXC bound while moved", evtchn_bind_virq(VIRQ_DOM_EXC, 0), -XEN_EEXIST);
    evtchn_expect("move a per-vCPU VIRQ", evtchn_bind_vcpu(timer0, 1), -XEN_EINVAL);
    check_status(timer0, VIRQ_TIMER, 0);

    evtchn_expect("close VIRQ_TIMER on vCPU 0", evtchn_close(timer0), 0);
    evtchn_expect("status after close", evtchn_status(DOMID_SELF, timer0, &st), 0);
    evtchn_expect("status after close", st.status, EVTCHNSTAT_closed);
    evtchn_expect("close it again", evtchn_close(timer0), -XEN_EINVAL);
    check_status(timer1, VIRQ_TIMER, 1); /* the other vCPU's binding stays */
    evtchn_expect("VIRQ_TIMER on vCPU 1 still bound", evtchn_bind_virq(VIRQ_TIMER, 1), -XEN_EEXIST);
    again = evtchn_bind_virq(VIRQ_TIMER, 0);
    if ( again <= 0 )
        xtf_failure("VIRQ_TIMER could not be bound again after close: %ld", again);
    else
        check_status(again, VIRQ_TIMER, 0);

    evtchn_expect("close moved global VIRQ", evtchn_close(dom_exc), 0);
    again = evtchn_bind_virq(VIRQ_DOM_EXC, 0);
    if ( again <= 0 )
        xtf_failure("VIRQ_DOM_EXC could not be bound again after close: %ld", again);

    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
