/*
 * evtchn-interdomain - a channel between two domains, both ways, with
 * masking on the far side, close, and EVTCHNOP_reset of another domain.
 *
 * d1 runs evtchn-peer (its main.c says what it checks itself; it powers
 * off if all held, crashes otherwise). dom0:
 *  - finds d1's port unbound for dom0 with EVTCHNOP_status of another
 *    domain (privileged), binds it (bind_interdomain), and checks status
 *    of both ends;
 *  - the new local port is raised once on binding (Xen's rule);
 *  - sends; d1 answers: our port pending, selector and upcall_pending;
 *  - sends again while d1 has its port masked (d1 checks), then closes
 *    its end: d1's becomes unbound for dom0 (d1 checks, we check too);
 *  - EVTCHNOP_reset of d1 is -EINVAL unless d1 is paused by us; paused,
 *    it closes d1's ports (status closed) and keeps its console's port.
 */
#include <xtf.h>
#include <xtf/evtchn.h>

const char test_title[] = "Event channels between two domains";

static volatile struct shared_info *s;

static long find_peer_port(void)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        struct evtchn_status st;
        if ( !evtchn_status(1, 65, &st) && st.status == EVTCHNSTAT_unbound &&
             st.u.unbound.dom == 0 )
            return 65;
        hypercall_yield();
    }
    return -1;
}

static bool wait_pending(evtchn_port_t p)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( evtchn_test_pending(p) )
            return true;
        hypercall_yield();
    }
    return false;
}

static void expect_interdomain(const char *what, domid_t dom, evtchn_port_t port, domid_t rdom,
                               evtchn_port_t rport)
{
    struct evtchn_status st;
    char buf[80];
    snprintf(buf, sizeof(buf), "%s: status", what);
    if ( !evtchn_expect(buf, evtchn_status(dom, port, &st), 0) )
        return;
    evtchn_expect(buf, st.status, EVTCHNSTAT_interdomain);
    snprintf(buf, sizeof(buf), "%s: remote dom", what);
    evtchn_expect(buf, st.u.interdomain.dom, rdom);
    snprintf(buf, sizeof(buf), "%s: remote port", what);
    evtchn_expect(buf, st.u.interdomain.port, rport);
}

static void reset_peer(void)
{
    struct evtchn_reset r = { .dom = 1 };
    struct evtchn_status st;
    evtchn_expect("reset d1, not paused", hypercall_event_channel_op(EVTCHNOP_reset, &r),
                  -XEN_EINVAL);
    if ( !evtchn_expect("pause d1", xtf_domctl_simple(XEN_DOMCTL_pausedomain, 1), 0) )
        return;
    evtchn_expect("reset d1, paused", hypercall_event_channel_op(EVTCHNOP_reset, &r), 0);
    evtchn_status(1, 2, &st);
    evtchn_expect("d1 port 2 after reset", st.status, EVTCHNSTAT_closed);
    evtchn_status(1, 65, &st);
    evtchn_expect("d1 port 65 after reset", st.status, EVTCHNSTAT_closed);
    evtchn_status(1, 1, &st);
    evtchn_expect("d1's console port kept", st.status, EVTCHNSTAT_interdomain);
    xtf_domctl_simple(XEN_DOMCTL_unpausedomain, 1);
}

void test_main(void)
{
    long rport, lport;
    unsigned int reason = ~0U;
    struct evtchn_status st;

    s = xtf_shared_info();
    if ( !s || (rport = find_peer_port()) < 0 )
    {
        xtf_error("no shared_info, or d1 never offered its port");
        return;
    }
    lport = evtchn_bind_interdomain(1, rport);
    if ( lport <= 0 )
    {
        xtf_failure("bind_interdomain(1, %ld): %ld", rport, lport);
        return;
    }
    expect_interdomain("our end", DOMID_SELF, lport, 1, rport);
    expect_interdomain("d1's end", 1, rport, 0, lport);
    evtchn_expect("our new port raised on binding", evtchn_test_pending(lport), 1);
    evtchn_clear_pending(lport);
    s->vcpu_info[0].evtchn_pending_sel = 0;
    s->vcpu_info[0].evtchn_upcall_pending = 0;

    evtchn_expect("send to d1", evtchn_send(lport), 0);
    if ( !wait_pending(lport) )
        xtf_failure("d1 never answered");
    evtchn_expect("answer: selector", (long)s->vcpu_info[0].evtchn_pending_sel,
                  (long)(1UL << (lport / 64)));
    evtchn_expect("answer: upcall_pending", s->vcpu_info[0].evtchn_upcall_pending, 1);
    evtchn_expect("send to d1, masked there", evtchn_send(lport), 0);
    evtchn_expect("close our end", evtchn_close(lport), 0);
    evtchn_status(1, rport, &st);
    evtchn_expect("d1's end after close", st.status, EVTCHNSTAT_unbound);
    evtchn_expect("d1's end unbound for", st.u.unbound.dom, 0);

    if ( xtf_wait_shutdown(1, XTF_POLL_LIMIT, &reason) )
        xtf_failure("d1 did not shut down");
    else if ( reason != SHUTDOWN_poweroff )
        xtf_failure("d1's own checks failed (%s)", xtf_shutdown_name(reason));
    reset_peer();
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
