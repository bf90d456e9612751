/*
 * arm64-evtchn - event-channel upcalls reach an arm64 guest as PPI 31
 * (Xen on Arm's GUEST_EVTCHN_PPI) through the virtual GICv3.
 *
 * dom0 (one vCPU) with one domU (arm64-spinner) maps its shared_info,
 * enables PPI 31, and counts what its handler finds, as a guest's does:
 * it clears evtchn_upcall_pending, takes the 2-level selector and
 * scans pending & ~mask, clearing each port it counts.
 *  - an IPI port to itself, and a loopback interdomain pair: one upcall
 *    naming the port, on the first IRQ window after the send;
 *  - a masked port: no upcall; EVTCHNOP_unmask: the upcall comes;
 *  - VIRQ_DOM_EXC, raised when dom0 destroys d1;
 *  - VIRQ_TIMER from set_timer_op 20 ms ahead while the vCPU waits in
 *    WFI: the vCPU blocks and the upcall's PPI wakes it.
 * Stage 1 is off: shared words are aligned, exclusives are not used on
 * shared_info (the hypervisor's atomics and ours meet on Device memory
 * in QEMU, which models no cache; on hardware shared_info would be
 * mapped cacheable).
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/gic.h>
#include <public/domctl.h>

const char test_title[] = "Event-channel upcalls on PPI 31";

static volatile struct shared_info *s;
static volatile unsigned int hits[1024], upcalls, other_irq;

static void scan_2l(void)
{
    uint64_t sel = s->vcpu_info[0].evtchn_pending_sel;

    s->vcpu_info[0].evtchn_pending_sel = 0;
    while ( sel )
    {
        unsigned int w = __builtin_ctzll(sel);
        uint64_t bits = s->evtchn_pending[w] & ~s->evtchn_mask[w];

        sel &= sel - 1;
        s->evtchn_pending[w] &= ~bits;
        while ( bits )
        {
            unsigned int b = __builtin_ctzll(bits);

            bits &= bits - 1;
            if ( w * 64 + b < 1024 )
                hits[w * 64 + b]++;
        }
    }
}

static void on_irq(unsigned int intid)
{
    if ( intid != XTF_PPI_EVTCHN )
    {
        other_irq = intid;
        return;
    }
    upcalls++;
    s->vcpu_info[0].evtchn_upcall_pending = 0;
    scan_2l();
}

/* Let a pending interrupt in. */
static void window(void)
{
    xtf_irq_enable();
    __asm__ volatile("isb; nop" ::: "memory");
    xtf_irq_disable();
}

static void expect_hit(const char *what, long port, unsigned int want)
{
    window();
    evtchn_expect(what, hits[port], want);
}

static void ports(void)
{
    long ipi = evtchn_bind_ipi(0);
    long a = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    long b = evtchn_bind_interdomain(DOMID_SELF, a);

    if ( ipi <= 0 || a <= 0 || b <= 0 || b >= 1024 )
        return xtf_failure("ports: %ld %ld %ld", ipi, a, b);
    window();
    hits[ipi] = hits[b] = 0;
    evtchn_send(ipi);
    expect_hit("IPI to self: upcalls naming it", ipi, 1);
    evtchn_send(a);
    expect_hit("loopback interdomain: upcalls naming the peer", b, 1);
    evtchn_mask(b);
    evtchn_send(a);
    for ( unsigned int i = 0; i < 100; i++ )
        window();
    expect_hit("masked: no new upcall", b, 1);
    evtchn_expect("unmask", evtchn_unmask(b), 0);
    expect_hit("after unmask: the upcall", b, 2);
}

static void dom_exc(void)
{
    long p = evtchn_bind_virq(VIRQ_DOM_EXC, 0);

    if ( p <= 0 )
        return xtf_failure("bind VIRQ_DOM_EXC: %ld", p);
    evtchn_expect("destroy d1", xtf_domctl_simple(XEN_DOMCTL_destroydomain, 1), 0);
    expect_hit("VIRQ_DOM_EXC after destroying d1", p, 1);
}

/* System time now: the pvclock record with the counter for the TSC. */
static uint64_t now_ns(void)
{
    const volatile struct vcpu_time_info *t = &s->vcpu_info[0].time;
    uint32_t v;
    uint64_t ns, delta;

    do
    {
        v = t->version;
        __asm__ volatile("dmb ishld" ::: "memory");
        delta = read_sysreg(cntpct_el0) - t->tsc_timestamp;
        delta = t->tsc_shift >= 0 ? delta << t->tsc_shift : delta >> -t->tsc_shift;
        ns = t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        __asm__ volatile("dmb ishld" ::: "memory");
    } while ( (v & 1) || v != t->version );
    return ns;
}

static void timer_in_wfi(void)
{
    long p = evtchn_bind_virq(VIRQ_TIMER, 0);
    uint64_t start, deadline;
    unsigned long waits = 0;

    if ( p <= 0 )
        return xtf_failure("bind VIRQ_TIMER: %ld", p);
    start = now_ns();
    deadline = start + 20000000UL;
    if ( hypercall_set_timer_op(deadline) )
        return xtf_failure("set_timer_op refused");
    while ( !hits[p] && waits < 1000 )
    {
        __asm__ volatile("wfi" ::: "memory"); /* IRQs masked: wakes, then window */
        window();
        waits++;
    }
    if ( !evtchn_expect("VIRQ_TIMER while in WFI", hits[p], 1) )
        return;
    if ( now_ns() < deadline )
        return xtf_failure("VIRQ_TIMER before its deadline");
    printf("VIRQ_TIMER woke the WFI after %lu us (%lu wake-ups)\n",
           (unsigned long)((now_ns() - start) / 1000), waits);
}

void test_main(void)
{
    s = xtf_shared_info();
    if ( !s )
        return xtf_error("shared_info not mapped");
    xtf_irq_handler = on_irq;
    xtf_gic_cpu_init(0);
    xtf_gic_enable(0, XTF_PPI_EVTCHN);
    ports();
    dom_exc();
    timer_in_wfi();
    if ( other_irq )
        return xtf_failure("interrupt %u is not PPI 31", other_irq);
    printf("%u upcalls in all\n", upcalls);
    xtf_success(NULL); /* a FAILURE reported above still wins */
}
