/*
 * evtchn-peer - helper for evtchn-interdomain: the domU end of a channel
 * between two domains. It shuts down with poweroff if every check here
 * held, crash otherwise (dom0 reads the reason).
 *
 * Ports 2..64 are taken by dummies so that its channel, port 65, is the
 * only port of selector word 1 (the console's service port is in word 0
 * and is raised whenever we print). Then:
 *  - as an unprivileged domain, alloc_unbound for dom0 and status of
 *    dom0's ports are -EPERM;
 *  - it allocates port 65 unbound for dom0 and waits until dom0 binds
 *    it (status interdomain, remote dom 0);
 *  - dom0 sends: port 65 pending, selector word 1 set; it masks the port
 *    and answers with a send;
 *  - dom0 sends again: pending, but selector word 1 stays clear (masked);
 *    EVTCHNOP_unmask sets it;
 *  - dom0 closes its end: port 65 becomes unbound for dom0.
 */
#include <xtf.h>
#include <xtf/evtchn.h>

const char test_title[] = "evtchn-interdomain peer (domU)";

static volatile struct shared_info *s;

static bool wait_for(bool (*cond)(uint32_t), uint32_t port)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( cond(port) )
            return true;
        hypercall_yield();
    }
    xtf_failure("timed out waiting on port %u", port);
    return false;
}

static bool status_is(uint32_t port, uint32_t status)
{
    struct evtchn_status st;
    return !evtchn_status(DOMID_SELF, port, &st) && st.status == status && st.u.unbound.dom == 0;
}

static bool is_interdomain(uint32_t port)
{
    return status_is(port, EVTCHNSTAT_interdomain);
}

static bool is_unbound(uint32_t port)
{
    return status_is(port, EVTCHNSTAT_unbound);
}

static bool is_pending(uint32_t port)
{
    return evtchn_test_pending(port);
}

static bool sel_word1(void)
{
    return (s->vcpu_info[0].evtchn_pending_sel >> 1) & 1;
}

static void channel(void)
{
    long p;
    struct evtchn_status st;
    evtchn_expect("alloc_unbound for dom0", evtchn_alloc_unbound(0, 1), -XEN_EPERM);
    evtchn_expect("status of dom0's port", evtchn_status(0, 1, &st), -XEN_EPERM);
    do
        p = evtchn_alloc_unbound(DOMID_SELF, 0x7000);
    while ( p > 0 && p < 64 );
    p = evtchn_alloc_unbound(DOMID_SELF, 0);
    if ( !evtchn_expect("the channel's port", p, 65) || !wait_for(is_interdomain, p) )
        return;
    if ( !wait_for(is_pending, p) )
        return;
    evtchn_expect("selector word 1 on the first send", sel_word1(), 1);
    __atomic_fetch_and(&s->vcpu_info[0].evtchn_pending_sel, ~2UL, __ATOMIC_SEQ_CST);
    evtchn_clear_pending(p);
    evtchn_mask(p);
    evtchn_expect("answer", evtchn_send(p), 0);
    if ( !wait_for(is_pending, p) )
        return;
    evtchn_expect("selector word 1 while masked", sel_word1(), 0);
    evtchn_expect("unmask", evtchn_unmask(p), 0);
    evtchn_expect("selector word 1 after unmask", sel_word1(), 1);
    wait_for(is_unbound, p);
}

void test_main(void)
{
    s = xtf_shared_info();
    if ( !s )
    {
        xtf_error("cannot map shared_info");
        xtf_shutdown(SHUTDOWN_crash);
    }
    channel();
    xtf_shutdown(xtf_current_result() == XTF_NONE ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}
