/*
 * evtchn-2l - the 2-level ABI's pending, mask and selector bits for each
 * kind of port, and what bind_vcpu, close, status, unmask and reset do.
 *
 * dom0 has two vCPUs; vCPU 1 is never started, it is only somewhere
 * else to deliver to (its vcpu_info, shared_info's or registered where
 * shared_info has none (Arm), is read from vCPU 0; no upcall is
 * taken, the bits are polled).
 *  - IPI to vCPU 1: send sets the port's pending bit, its word's bit in
 *    vCPU 1's evtchn_pending_sel and vCPU 1's upcall_pending, and nothing
 *    of vCPU 0's; status says ipi, vCPU 1; bind_vcpu of an IPI -EINVAL.
 *  - masked: send sets only the pending bit; EVTCHNOP_unmask then sets
 *    the selector bit and upcall_pending (and clears the mask); unmask of
 *    a port not pending sets nothing.
 *  - loopback interdomain (alloc_unbound for DOMID_SELF, then
 *    bind_interdomain): the new port is raised once on binding (Xen's
 *    rule); send on either end raises the other; status of both ends;
 *    bind_vcpu moves the delivery to vCPU 1; closing one end leaves the
 *    other unbound (remote = us), and sending on it does nothing.
 *  - unbound: send is 0 and raises nothing; status unbound, remote dom;
 *    bind_interdomain to a port that is not unbound for us -EINVAL, to
 *    a port past the table -EINVAL, to a missing domain -ESRCH.
 *  - errors: send/close/unmask/bind_vcpu of port past the table -EINVAL,
 *    close of port 0 and of a free port -EINVAL, bind_vcpu/bind_ipi to a
 *    missing vCPU -ENOENT, set_priority -ENOSYS and expand_array
 *    -EOPNOTSUPP while 2-level, reset of a missing domain -ESRCH.
 *  - EVTCHNOP_reset(DOMID_SELF) closes every port.
 */
#include <xtf.h>
#include <xtf/evtchn.h>

const char test_title[] = "Event channels: the 2-level ABI";

#define WORD_BITS 64

static volatile struct shared_info *s;

static uint64_t sel(unsigned int vcpu)
{
    return xtf_vcpu_info(vcpu)->evtchn_pending_sel;
}

static unsigned int upcall(unsigned int vcpu)
{
    return xtf_vcpu_info(vcpu)->evtchn_upcall_pending;
}

/* Forget everything raised so far. */
static void clear_all(void)
{
    for ( unsigned int v = 0; v < 2; v++ )
    {
        xtf_vcpu_info(v)->evtchn_upcall_pending = 0;
        xtf_vcpu_info(v)->evtchn_pending_sel = 0;
    }
    for ( unsigned int i = 0; i < 64; i++ )
        s->evtchn_pending[i] = 0;
}

/* Exactly port raised on vcpu: its pending bit, its selector bit, the
 * upcall; nothing on the other vCPU. */
static void expect_raised(const char *what, evtchn_port_t port, unsigned int vcpu)
{
    char buf[96];
    snprintf(buf, sizeof(buf), "%s: pending bit", what);
    evtchn_expect(buf, evtchn_test_pending(port), 1);
    snprintf(buf, sizeof(buf), "%s: selector of vCPU %u", what, vcpu);
    evtchn_expect(buf, (long)sel(vcpu), (long)(1UL << (port / WORD_BITS)));
    snprintf(buf, sizeof(buf), "%s: upcall_pending of vCPU %u", what, vcpu);
    evtchn_expect(buf, upcall(vcpu), 1);
    snprintf(buf, sizeof(buf), "%s: selector of vCPU %u", what, 1 - vcpu);
    evtchn_expect(buf, (long)sel(1 - vcpu), 0);
    snprintf(buf, sizeof(buf), "%s: upcall_pending of vCPU %u", what, 1 - vcpu);
    evtchn_expect(buf, upcall(1 - vcpu), 0);
}

static void expect_quiet(const char *what, evtchn_port_t port)
{
    char buf[96];
    snprintf(buf, sizeof(buf), "%s: pending bit", what);
    evtchn_expect(buf, evtchn_test_pending(port), 0);
    snprintf(buf, sizeof(buf), "%s: selectors", what);
    evtchn_expect(buf, (long)(sel(0) | sel(1)), 0);
    snprintf(buf, sizeof(buf), "%s: upcalls", what);
    evtchn_expect(buf, upcall(0) | upcall(1), 0);
}

static void expect_status(const char *what, evtchn_port_t port, uint32_t status, uint32_t vcpu,
                          long dom, long rport)
{
    struct evtchn_status st;
    char buf[96];
    snprintf(buf, sizeof(buf), "%s: status call", what);
    if ( !evtchn_expect(buf, evtchn_status(DOMID_SELF, port, &st), 0) )
        return;
    snprintf(buf, sizeof(buf), "%s: status", what);
    evtchn_expect(buf, st.status, status);
    snprintf(buf, sizeof(buf), "%s: status vcpu", what);
    evtchn_expect(buf, st.vcpu, vcpu);
    if ( dom >= 0 )
    {
        snprintf(buf, sizeof(buf), "%s: status dom", what);
        evtchn_expect(buf, status == EVTCHNSTAT_unbound ? st.u.unbound.dom : st.u.interdomain.dom,
                      dom);
    }
    if ( rport >= 0 )
    {
        snprintf(buf, sizeof(buf), "%s: status remote port", what);
        evtchn_expect(buf, st.u.interdomain.port, rport);
    }
}

static void ipi(void)
{
    long p = evtchn_bind_ipi(1);
    if ( p <= 0 )
    {
        xtf_failure("bind_ipi(1): %ld", p);
        return;
    }
    clear_all();
    evtchn_expect("send IPI", evtchn_send(p), 0);
    expect_raised("IPI to vCPU 1", p, 1);
    expect_status("IPI", p, EVTCHNSTAT_ipi, 1, -1, -1);
    evtchn_expect("bind_vcpu of an IPI", evtchn_bind_vcpu(p, 0), -XEN_EINVAL);

    /* Masked: only the pending bit; unmask delivers it. */
    clear_all();
    evtchn_mask(p);
    evtchn_expect("send masked IPI", evtchn_send(p), 0);
    evtchn_expect("masked: pending bit", evtchn_test_pending(p), 1);
    evtchn_expect("masked: selector", (long)(sel(0) | sel(1)), 0);
    evtchn_expect("masked: upcall", upcall(0) | upcall(1), 0);
    evtchn_expect("unmask", evtchn_unmask(p), 0);
    expect_raised("after unmask", p, 1);
    evtchn_expect("unmask clears the mask", (s->evtchn_mask[p / WORD_BITS] >> (p % WORD_BITS)) & 1,
                  0);

    /* Unmask of a port that is not pending raises nothing. */
    clear_all();
    evtchn_mask(p);
    evtchn_expect("unmask, not pending", evtchn_unmask(p), 0);
    expect_quiet("unmask, not pending", p);
    evtchn_expect("close IPI", evtchn_close(p), 0);
    expect_status("closed IPI", p, EVTCHNSTAT_closed, 0, -1, -1);
}

static void loopback(void)
{
    long a = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF), b;
    if ( a <= 0 )
    {
        xtf_failure("alloc_unbound: %ld", a);
        return;
    }
    expect_status("unbound", a, EVTCHNSTAT_unbound, 0, xtf_domid, -1);
    clear_all();
    evtchn_expect("send on unbound", evtchn_send(a), 0);
    expect_quiet("send on unbound", a);

    b = evtchn_bind_interdomain(DOMID_SELF, a);
    if ( b <= 0 )
    {
        xtf_failure("bind_interdomain(self, %ld): %ld", a, b);
        return;
    }
    expect_raised("new interdomain port", b, 0);
    expect_status("end a", a, EVTCHNSTAT_interdomain, 0, xtf_domid, b);
    expect_status("end b", b, EVTCHNSTAT_interdomain, 0, xtf_domid, a);
    evtchn_expect("bind to a bound port", evtchn_bind_interdomain(DOMID_SELF, a), -XEN_EINVAL);

    clear_all();
    evtchn_expect("send a", evtchn_send(a), 0);
    expect_raised("a -> b", b, 0);
    evtchn_expect("a itself not pending", evtchn_test_pending(a), 0);
    clear_all();
    evtchn_expect("send b", evtchn_send(b), 0);
    expect_raised("b -> a", a, 0);

    evtchn_expect("bind_vcpu(b, 1)", evtchn_bind_vcpu(b, 1), 0);
    expect_status("end b moved", b, EVTCHNSTAT_interdomain, 1, xtf_domid, a);
    clear_all();
    evtchn_expect("send a again", evtchn_send(a), 0);
    expect_raised("a -> b on vCPU 1", b, 1);

    evtchn_expect("close a", evtchn_close(a), 0);
    expect_status("b after a closed", b, EVTCHNSTAT_unbound, 1, xtf_domid, -1);
    clear_all();
    evtchn_expect("send on b, now unbound", evtchn_send(b), 0);
    expect_quiet("send on b, now unbound", b);
    a = evtchn_bind_interdomain(DOMID_SELF, b); /* b is bindable again */
    if ( a <= 0 )
        xtf_failure("rebinding to the end left unbound: %ld", a);
    else
        evtchn_expect("close rebound", evtchn_close(a), 0);
    evtchn_expect("close b", evtchn_close(b), 0);
}

static void errors(void)
{
    struct evtchn_set_priority sp = { .port = 1, .priority = 0 };
    struct evtchn_expand_array ea = { .array_gfn = 0x200 };
    struct evtchn_reset r = { .dom = 0x7000 };
    long u = evtchn_alloc_unbound(DOMID_SELF, 0x7000);

    evtchn_expect("send past the table", evtchn_send(4096), -XEN_EINVAL);
    evtchn_expect("close past the table", evtchn_close(4096), -XEN_EINVAL);
    evtchn_expect("unmask past the table", evtchn_unmask(4096), -XEN_EINVAL);
    evtchn_expect("bind_vcpu to a missing vCPU", evtchn_bind_vcpu(u, 2), -XEN_ENOENT);
    evtchn_expect("bind_vcpu, missing vCPU and port", evtchn_bind_vcpu(4096, 2), -XEN_ENOENT);
    evtchn_expect("bind_vcpu past the table", evtchn_bind_vcpu(4096, 0), -XEN_EINVAL);
    evtchn_expect("bind_ipi to a missing vCPU", evtchn_bind_ipi(2), -XEN_ENOENT);
    evtchn_expect("close port 0", evtchn_close(0), -XEN_EINVAL);
    evtchn_expect("close a free port", evtchn_close(u + 1), -XEN_EINVAL);
    evtchn_expect("send on a free port", evtchn_send(u + 1), -XEN_EINVAL);
    evtchn_expect("bind to a port unbound for another domain",
                  evtchn_bind_interdomain(DOMID_SELF, u), -XEN_EINVAL);
    evtchn_expect("bind past the table", evtchn_bind_interdomain(DOMID_SELF, 4096), -XEN_EINVAL);
    evtchn_expect("bind to a missing domain", evtchn_bind_interdomain(0x7000, 1), -XEN_ESRCH);
    evtchn_expect("set_priority under 2-level",
                  hypercall_event_channel_op(EVTCHNOP_set_priority, &sp), -XEN_ENOSYS);
    sp.port = 4096;
    evtchn_expect("set_priority past the table",
                  hypercall_event_channel_op(EVTCHNOP_set_priority, &sp), -XEN_EINVAL);
    evtchn_expect("expand_array before init_control",
                  hypercall_event_channel_op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
    evtchn_expect("reset of a missing domain", hypercall_event_channel_op(EVTCHNOP_reset, &r),
                  -XEN_ESRCH);
    evtchn_expect("close", evtchn_close(u), 0);
}

static void reset(void)
{
    struct evtchn_reset r = { .dom = DOMID_SELF };
    long a = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    long b = evtchn_bind_interdomain(DOMID_SELF, a);
    long i = evtchn_bind_ipi(0), v = evtchn_bind_virq(VIRQ_TIMER, 0);
    struct evtchn_status st;

    if ( a <= 0 || b <= 0 || i <= 0 || v <= 0 )
    {
        xtf_failure("set-up for reset: %ld %ld %ld %ld", a, b, i, v);
        return;
    }
    evtchn_expect("reset self", hypercall_event_channel_op(EVTCHNOP_reset, &r), 0);
    for ( long p = 1; p < 64; p++ )
    {
        char buf[64];
        snprintf(buf, sizeof(buf), "status of port %ld after reset", p);
        evtchn_status(DOMID_SELF, p, &st);
        evtchn_expect(buf, st.status, EVTCHNSTAT_closed);
    }
    evtchn_expect("VIRQ_TIMER bindable after reset", evtchn_bind_virq(VIRQ_TIMER, 0) > 0, 1);
}

void test_main(void)
{
    s = xtf_shared_info();
    if ( !s || !xtf_vcpu_info(0) || !xtf_vcpu_info(1) )
    {
        xtf_error("cannot map shared_info or the vcpu_infos");
        return;
    }
    ipi();
    loopback();
    errors();
    reset();
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
