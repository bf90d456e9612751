/*
 * evtchn-limit - a domain's event-channel ports are sized by the
 * hypervisor's command line (evtchn_ports=, here 300), not by a
 * compile-time constant (it was 128).
 *
 * dom0 allocates unbound ports until EVTCHNOP_alloc_unbound says
 * -ENOSPC: the highest port it got must be 299, the limit's last. Then
 * EVTCHNOP_status of port 299 works and of port 300 is -EINVAL, and
 * every port allocated here is closed again.
 */
#include <xtf.h>
#include <public/event_channel.h>

const char test_title[] = "Event-channel ports per domain from the command line";

#define PORTS 300

static long alloc_port(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    long rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &a);

    return rc ? rc : (long)a.port;
}

static long status(uint32_t port)
{
    struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

    return hypercall_event_channel_op(EVTCHNOP_status, &st);
}

void test_main(void)
{
    static uint32_t mine[PORTS];
    unsigned int n = 0;
    long port, highest = 0, rc;

    while ( (port = alloc_port()) > 0 && n < PORTS )
    {
        mine[n++] = (uint32_t)port;
        highest = MAX(highest, port);
    }
    printf("Allocated %u ports, the highest %ld; then %ld\n", n, highest, port);
    if ( port != -XEN_ENOSPC )
        xtf_failure("allocation stopped with %ld, not -ENOSPC", port);
    if ( highest != PORTS - 1 )
        xtf_failure("highest port %ld, expected %d", highest, PORTS - 1);
    if ( (rc = status(PORTS - 1)) )
        xtf_failure("status of port %d: %ld", PORTS - 1, rc);
    if ( (rc = status(PORTS)) != -XEN_EINVAL )
        xtf_failure("status of port %d: %ld, not -EINVAL", PORTS, rc);
    for ( unsigned int i = 0; i < n; i++ )
    {
        struct evtchn_close c = { .port = mine[i] };

        if ( (rc = hypercall_event_channel_op(EVTCHNOP_close, &c)) )
            xtf_failure("closing port %u: %ld", mine[i], rc);
    }
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
