/*
 * sched-poll - SCHEDOP_poll, with vCPU 0's upcalls masked (as a guest
 * polling with interrupts off has them), timed by the pvclock.
 *
 *  - Bad arguments, each refused before anything sleeps: more than 128
 *    ports is -EINVAL; an unreadable sched_poll or ports array is
 *    -EFAULT; a port past the domain's last is -EINVAL.
 *  - A port that is already pending returns 0 at once (within 200 ms: a
 *    busy host may stall QEMU for milliseconds)
 *    even with a timeout a minute away.
 *  - An idle port with a timeout 20 ms ahead returns 0, never before the
 *    timeout, and within 200 ms after it.
 *  - A port that fires while we poll ends the poll: vCPU 1 sends on an
 *    IPI port 20 ms after it is told vCPU 0 polls (no timeout); the poll
 *    returns, with the port pending, well before the 2 s limit we wait.
 *  - Polling several ports returns when any one of them fires.
 * Without SCHEDOP_poll (-ENOSYS) every check fails.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/time.h>
#include <public/sched.h>

const char test_title[] = "SCHEDOP_poll";

#define MS 1000000UL

static evtchn_port_t idle_port, ipi_port;
static bool polling, ap_sent, ap_go;

static long poll(evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = n, .timeout = timeout };

    set_xen_guest_handle(p.ports, ports);
    return hypercall_sched_op(SCHEDOP_poll, &p);
}

static void bad_arguments(void)
{
    static evtchn_port_t many[129];
    evtchn_port_t past = 1U << 20;
    struct sched_poll p = { .nr_ports = 1 };

    for ( unsigned int i = 0; i < 129; i++ )
        many[i] = idle_port;
    evtchn_expect("129 ports", poll(many, 129, 0), -XEN_EINVAL);
    evtchn_expect("sched_poll at NULL", hypercall_sched_op(SCHEDOP_poll, NULL), -XEN_EFAULT);
    set_xen_guest_handle(p.ports, (evtchn_port_t *)8); /* page 0 is unmapped */
    evtchn_expect("ports at page 0", hypercall_sched_op(SCHEDOP_poll, &p), -XEN_EFAULT);
    evtchn_expect("port 2^20", poll(&past, 1, xtf_now() + 10 * MS), -XEN_EINVAL);
}

static void pending_port(void)
{
    uint64_t t0, t1;

    evtchn_expect("send on the IPI port", evtchn_send(ipi_port), 0);
    t0 = xtf_now();
    evtchn_expect("poll a pending port", poll(&ipi_port, 1, t0 + 60000 * MS), 0);
    t1 = xtf_now();
    printf("pending port: poll returned after %lu us\n", (t1 - t0) / 1000);
    if ( t1 - t0 > 200 * MS )
        xtf_failure("poll of a pending port took %lu us", (t1 - t0) / 1000);
    evtchn_clear_pending(ipi_port);
}

static void timeout(void)
{
    uint64_t deadline = xtf_now() + 20 * MS, t1;

    evtchn_expect("poll until a timeout", poll(&idle_port, 1, deadline), 0);
    t1 = xtf_now();
    printf("timeout: poll returned %ld us after its timeout\n", ((long)t1 - (long)deadline) / 1000);
    if ( t1 < deadline )
        xtf_failure("poll returned %lu us before its timeout", (deadline - t1) / 1000);
    else if ( t1 - deadline > 200 * MS )
        xtf_failure("poll returned %lu us after its timeout", (t1 - deadline) / 1000);
}

static void ap_main(unsigned int id)
{
    (void)id;
    for ( ;; )
    {
        uint64_t when;

        while ( !__atomic_load_n(&ap_go, __ATOMIC_SEQ_CST) )
            cpu_relax();
        __atomic_store_n(&ap_go, false, __ATOMIC_SEQ_CST);
        while ( !__atomic_load_n(&polling, __ATOMIC_SEQ_CST) )
            cpu_relax();
        when = xtf_now() + 20 * MS;
        while ( xtf_now() < when )
            cpu_relax();
        evtchn_send(ipi_port);
        __atomic_store_n(&ap_sent, true, __ATOMIC_SEQ_CST);
    }
}

/* vCPU 1 sends 20 ms after we say we poll; we poll ports[0..n). */
static void fired(const char *what, evtchn_port_t *ports, unsigned int n)
{
    uint64_t t0, t1;
    long rc;

    evtchn_clear_pending(ipi_port);
    __atomic_store_n(&ap_sent, false, __ATOMIC_SEQ_CST);
    __atomic_store_n(&polling, false, __ATOMIC_SEQ_CST);
    __atomic_store_n(&ap_go, true, __ATOMIC_SEQ_CST);
    t0 = xtf_now();
    /* Until vCPU 1 has sent: a poll that returned early (spuriously, as
     * Xen allows) is polled again. */
    do
    {
        __atomic_store_n(&polling, true, __ATOMIC_SEQ_CST);
        rc = poll(ports, n, 0);
    } while ( !rc && !evtchn_test_pending(ipi_port) && xtf_now() - t0 < 2000 * MS );
    t1 = xtf_now();
    printf("%s: poll returned %ld after %lu us, sent %d\n", what, rc, (t1 - t0) / 1000,
           __atomic_load_n(&ap_sent, __ATOMIC_SEQ_CST));
    if ( rc )
        xtf_failure("%s: poll returned %ld", what, rc);
    else if ( !evtchn_test_pending(ipi_port) )
        xtf_failure("%s: poll did not return when the port fired", what);
}

void test_main(void)
{
    volatile struct shared_info *s = xtf_shared_info();
    evtchn_port_t both[2];
    long p, q, rc;

    if ( !s )
    {
        xtf_failure("cannot map shared_info");
        return;
    }
    s->vcpu_info[0].evtchn_upcall_mask = 1;
    p = evtchn_alloc_unbound(DOMID_SELF, 0);
    q = evtchn_bind_ipi(0);
    if ( p <= 0 || q <= 0 )
    {
        xtf_failure("ports: alloc_unbound %ld, bind_ipi %ld", p, q);
        return;
    }
    idle_port = (evtchn_port_t)p;
    ipi_port = (evtchn_port_t)q;
    bad_arguments();
    pending_port();
    timeout();
    rc = xtf_vcpu_start(1, ap_main);
    if ( rc )
    {
        xtf_failure("starting vCPU 1: %ld", rc);
        return;
    }
    fired("one port", &ipi_port, 1);
    both[0] = idle_port;
    both[1] = ipi_port;
    fired("two ports", both, 2);
    xtf_success(NULL);
}
