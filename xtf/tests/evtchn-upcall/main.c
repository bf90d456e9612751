/*
 * evtchn-upcall - events become upcalls (HVM_PARAM_CALLBACK_IRQ, vector
 * type) for every kind of port, not while the port is masked, right
 * after EVTCHNOP_unmask, and between vCPUs; under 2-level and FIFO.
 *
 * dom0 has two vCPUs and one domU (counter, which runs until destroyed).
 * The handler does what a guest's does: clears upcall_pending, then
 * (2-level) takes the selector and scans the pending & ~mask bits, or
 * (FIFO) walks the READY queues from HEAD, and counts each port it finds
 * per vCPU, clearing it.
 *  - IPI to vCPU 0, loopback interdomain, VIRQ_DOM_EXC (raised when dom0
 *    destroys d1): each arrives as one upcall naming its port, on the
 *    next entry after the hypercall (no wait);
 *  - a masked port: no upcall; EVTCHNOP_unmask: the upcall comes at once;
 *  - an unbound port: send succeeds, no upcall;
 *  - vCPU 1 waits in HLT with interrupts on; an IPI port bound to it
 *    wakes it, it answers on an IPI port bound to vCPU 0: 20 rounds;
 *  - the same again after switching to FIFO (init_control for both
 *    vCPUs, one array page).
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/domctl.h>

const char test_title[] = "Event-channel upcalls for every kind of port";

#define VEC    0xf3
#define ROUNDS 20

static volatile struct shared_info *s;
static volatile unsigned int hits[2][4096]; /* [vcpu][port] */
static volatile unsigned int upcalls[2];
static volatile bool fifo;
static uint8_t cb_page[2][4096] __attribute__((aligned(4096)));
static event_word_t array[1024] __attribute__((aligned(4096)));
static long to1, to0; /* IPI ports: to vCPU 1, to vCPU 0 */
static volatile bool ap_ready, ap_stop;

static unsigned int me(void)
{
    return xtf_vcpu_id() == 1;
}

static void scan_2l(unsigned int v)
{
    uint64_t sel = __atomic_exchange_n(&s->vcpu_info[v].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while ( sel )
    {
        unsigned int w = __builtin_ctzll(sel);
        uint64_t bits = s->evtchn_pending[w] & ~s->evtchn_mask[w];
        sel &= sel - 1;
        while ( bits )
        {
            unsigned int b = __builtin_ctzll(bits);
            bits &= bits - 1;
            __atomic_fetch_and(&s->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
            hits[v][w * 64 + b]++;
        }
    }
}

static void scan_fifo(unsigned int v)
{
    volatile struct evtchn_fifo_control_block *cb = (volatile void *)cb_page[v];
    uint32_t ready;
    while ( (ready = cb->ready) )
    {
        unsigned int p = __builtin_ctz(ready);
        uint32_t port = cb->head[p];
        __atomic_fetch_and(&cb->ready, ~(1U << p), __ATOMIC_SEQ_CST);
        while ( port )
        {
            event_word_t w = __atomic_fetch_and(
                &array[port],
                ~((1U << EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK | (1U << EVTCHN_FIFO_PENDING)),
                __ATOMIC_SEQ_CST);
            if ( !(w & (1U << EVTCHN_FIFO_MASKED)) )
                hits[v][port]++;
            port = w & EVTCHN_FIFO_LINK_MASK;
        }
    }
}

static void handler(struct cpu_regs *regs)
{
    unsigned int v = me();
    (void)regs;
    upcalls[v]++;
    s->vcpu_info[v].evtchn_upcall_pending = 0;
    if ( fifo )
        scan_fifo(v);
    else
        scan_2l(v);
}

/* Let a pending upcall in: one instruction with IF=1. */
static void window(void)
{
    asm volatile("sti; nop; cli" ::: "memory");
}

static void expect_hit(const char *what, long port, unsigned int want)
{
    char buf[80];
    window();
    snprintf(buf, sizeof(buf), "%s: upcalls naming port %ld", what, port);
    evtchn_expect(buf, hits[0][port], want);
}

static void kinds(const char *abi)
{
    long ipi = evtchn_bind_ipi(0);
    long a = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    long b = evtchn_bind_interdomain(DOMID_SELF, a);
    long u = evtchn_alloc_unbound(DOMID_SELF, 0x7000);
    char buf[64];
    if ( ipi <= 0 || a <= 0 || b <= 0 || u <= 0 )
    {
        xtf_failure("%s: ports: %ld %ld %ld %ld", abi, ipi, a, b, u);
        return;
    }
    window();
    hits[0][ipi] = hits[0][a] = hits[0][b] = hits[0][u] = 0; /* b: raised on binding */
    snprintf(buf, sizeof(buf), "%s: IPI", abi);
    evtchn_send(ipi);
    expect_hit(buf, ipi, 1);
    snprintf(buf, sizeof(buf), "%s: interdomain", abi);
    evtchn_send(a);
    expect_hit(buf, b, 1);
    snprintf(buf, sizeof(buf), "%s: unbound", abi);
    evtchn_expect(buf, evtchn_send(u), 0);
    expect_hit(buf, u, 0);

    if ( fifo )
        __atomic_fetch_or(&array[b], 1U << EVTCHN_FIFO_MASKED, __ATOMIC_SEQ_CST);
    else
        evtchn_mask(b);
    evtchn_send(a);
    for ( unsigned int i = 0; i < 1000; i++ )
        window();
    snprintf(buf, sizeof(buf), "%s: masked", abi);
    expect_hit(buf, b, 1);
    evtchn_expect("unmask", evtchn_unmask(b), 0);
    snprintf(buf, sizeof(buf), "%s: right after unmask", abi);
    expect_hit(buf, b, 2);
    evtchn_close(ipi);
    evtchn_close(a);
    evtchn_close(b);
    evtchn_close(u);
}

static void ap_main(unsigned int id)
{
    (void)id;
    ap_ready = true;
    while ( !ap_stop )
    {
        unsigned int seen = hits[1][to1];
        asm volatile("sti; hlt; cli" ::: "memory");
        if ( hits[1][to1] != seen )
            evtchn_send(to0);
    }
}

static void ping_pong(const char *abi)
{
    char buf[64];
    unsigned int start1 = hits[1][to1], start0 = hits[0][to0];
    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        unsigned long i;
        evtchn_send(to1);
        for ( i = 0; i < XTF_POLL_LIMIT && hits[0][to0] == start0 + r; i++ )
        {
            window();
            hypercall_yield();
        }
        if ( i == XTF_POLL_LIMIT )
        {
            xtf_failure("%s: round %u: no answer from vCPU 1 (it saw %u)", abi, r,
                        hits[1][to1] - start1);
            return;
        }
    }
    snprintf(buf, sizeof(buf), "%s: upcalls on vCPU 1", abi);
    evtchn_expect(buf, hits[1][to1] - start1, ROUNDS);
}

static bool to_fifo(void)
{
    struct evtchn_init_control ic = { .control_gfn = (uintptr_t)cb_page[0] >> 12, .vcpu = 0 };
    struct evtchn_expand_array ea = { .array_gfn = (uintptr_t)array >> 12 };
    if ( hypercall_event_channel_op(EVTCHNOP_init_control, &ic) )
        return false;
    ic.control_gfn = (uintptr_t)cb_page[1] >> 12;
    ic.vcpu = 1;
    if ( hypercall_event_channel_op(EVTCHNOP_init_control, &ic) )
        return false;
    fifo = true;
    return hypercall_event_channel_op(EVTCHNOP_expand_array, &ea) == 0;
}

static void dom_exc(void)
{
    long p = evtchn_bind_virq(VIRQ_DOM_EXC, 0);
    if ( p <= 0 )
    {
        xtf_failure("bind VIRQ_DOM_EXC: %ld", p);
        return;
    }
    hits[0][p] = 0;
    evtchn_expect("destroy d1", xtf_domctl_simple(XEN_DOMCTL_destroydomain, 1), 0);
    expect_hit("VIRQ_DOM_EXC", p, 1);
}

void test_main(void)
{
    struct xen_hvm_param hp = {
        .domid = DOMID_SELF,
        .index = HVM_PARAM_CALLBACK_IRQ,
        .value =
            ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) | VEC,
    };
    s = xtf_shared_info();
    if ( !s || hypercall_hvm_op(HVMOP_set_param, &hp) )
        return xtf_error("shared_info or the callback vector");
    xtf_set_vector_handler(VEC, handler);
    kinds("2-level");
    dom_exc();
    to1 = evtchn_bind_ipi(1);
    to0 = evtchn_bind_ipi(0);
    if ( to1 <= 0 || to0 <= 0 || xtf_vcpu_start(1, ap_main) )
        return xtf_error("IPI ports or vCPU 1");
    while ( !ap_ready )
        hypercall_yield();
    ping_pong("2-level");
    if ( !to_fifo() )
        return xtf_failure("switching to FIFO");
    kinds("FIFO");
    ping_pong("FIFO");
    ap_stop = true;
    evtchn_send(to1);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
