/*
 * evtchn-fifo - the FIFO event-channel ABI: init_control, expand_array,
 * set_priority, queue order, priorities, masking, moving between vCPUs,
 * ports whose word had no page yet, and back to 2-level on reset.
 *
 * dom0 (two vCPUs, 2048 ports) consumes its queues by hand, as a guest's
 * upcall handler would (no upcall is taken; bits are polled): from
 * HEAD[p], each word's LINK leads to the next; consuming clears LINKED,
 * LINK and PENDING. Checked:
 *  - init_control: a missing vCPU -ENOENT, a control block past the page
 *    end or misaligned -EINVAL, a frame that is not RAM -EINVAL and the
 *    domain stays 2-level; then it works (link_bits 17), and a second
 *    one for the same vCPU is -EINVAL;
 *  - an IPI pending under 2-level is still pending after the switch and
 *    is linked once expand_array gives its word a page;
 *  - three ports sent B, A, C come out B, A, C; READY and
 *    upcall_pending are set;
 *  - set_priority: 16 -EINVAL; ports at priorities 2, 7 and 12 go to
 *    those queues;
 *  - a masked port is PENDING but not linked; EVTCHNOP_unmask clears
 *    MASKED and links it; a port already linked is not linked twice;
 *  - bind_vcpu moves a port to vCPU 1's queue; while still linked there,
 *    a move back leaves it there until the guest has consumed it;
 *  - a port past the array (1024+) raised before its page exists is
 *    linked when expand_array adds the page; a third page is -ENOSPC;
 *  - EVTCHNOP_reset goes back to 2-level (set_priority -ENOSYS again,
 *    sends set shared_info bits again, and the selector: no 2-level bit
 *    left over from before FIFO began keeps the reused port silent).
 */
#include <xtf.h>
#include <xtf/evtchn.h>

const char test_title[] = "Event channels: the FIFO ABI";

#define PENDING   (1U << EVTCHN_FIFO_PENDING)
#define MASKED    (1U << EVTCHN_FIFO_MASKED)
#define LINKED    (1U << EVTCHN_FIFO_LINKED)
#define LINK_MASK EVTCHN_FIFO_LINK_MASK

static uint8_t cb_page[2][4096] __attribute__((aligned(4096)));
static event_word_t array[2][1024] __attribute__((aligned(4096)));
static volatile struct evtchn_fifo_control_block *cb[2];
static volatile struct shared_info *s;

static volatile event_word_t *word(uint32_t port)
{
    return &array[port / 1024][port % 1024];
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu, uint8_t *link_bits)
{
    struct evtchn_init_control ic = { .control_gfn = gfn, .offset = offset, .vcpu = vcpu };
    long rc = hypercall_event_channel_op(EVTCHNOP_init_control, &ic);
    if ( link_bits )
        *link_bits = ic.link_bits;
    return rc;
}

static long expand(uint64_t gfn)
{
    struct evtchn_expand_array ea = { .array_gfn = gfn };
    return hypercall_event_channel_op(EVTCHNOP_expand_array, &ea);
}

static long set_priority(uint32_t port, uint32_t prio)
{
    struct evtchn_set_priority sp = { .port = port, .priority = prio };
    return hypercall_event_channel_op(EVTCHNOP_set_priority, &sp);
}

static uint64_t gfn_of(const void *p)
{
    return (uintptr_t)p >> 12;
}

/* Consume vcpu's queue prio, expecting exactly ports[0..n). */
static void consume(const char *what, unsigned int vcpu, unsigned int prio, const uint32_t *ports,
                    unsigned int n)
{
    uint32_t port = cb[vcpu]->head[prio];
    char buf[96];
    snprintf(buf, sizeof(buf), "%s: READY bit %u", what, prio);
    evtchn_expect(buf, (cb[vcpu]->ready >> prio) & 1, 1);
    for ( unsigned int i = 0; i < n; i++ )
    {
        event_word_t w;
        snprintf(buf, sizeof(buf), "%s: event %u of queue %u", what, i, prio);
        if ( !evtchn_expect(buf, port, ports[i]) )
            return;
        w = *word(port);
        snprintf(buf, sizeof(buf), "%s: port %u PENDING|LINKED", what, port);
        evtchn_expect(buf, w & (PENDING | LINKED), PENDING | LINKED);
        __atomic_fetch_and(word(port), ~(PENDING | LINKED | LINK_MASK), __ATOMIC_SEQ_CST);
        port = w & LINK_MASK;
    }
    snprintf(buf, sizeof(buf), "%s: end of queue %u", what, prio);
    evtchn_expect(buf, port, 0);
    __atomic_fetch_and(&cb[vcpu]->ready, ~(1U << prio), __ATOMIC_SEQ_CST);
    cb[vcpu]->head[prio] = 0;
}

static void upcall_seen(const char *what, unsigned int vcpu)
{
    char buf[96];
    snprintf(buf, sizeof(buf), "%s: upcall_pending of vCPU %u", what, vcpu);
    evtchn_expect(buf, xtf_vcpu_info(vcpu)->evtchn_upcall_pending, 1);
    xtf_vcpu_info(vcpu)->evtchn_upcall_pending = 0;
}

static long ipi(unsigned int vcpu)
{
    long p = evtchn_bind_ipi(vcpu);
    if ( p <= 0 )
        xtf_failure("bind_ipi(%u): %ld", vcpu, p);
    return p;
}

static bool start(uint32_t early)
{
    uint8_t bits = 0;
    evtchn_expect("init_control, missing vCPU", init_control(gfn_of(cb_page[0]), 0, 2, NULL),
                  -XEN_ENOENT);
    evtchn_expect("init_control past the page end",
                  init_control(gfn_of(cb_page[0]), 4096 - 72 + 8, 0, NULL), -XEN_EINVAL);
    evtchn_expect("init_control misaligned", init_control(gfn_of(cb_page[0]), 4, 0, NULL),
                  -XEN_EINVAL);
    evtchn_expect("init_control, not RAM", init_control(0x3ffff, 0, 0, NULL), -XEN_EINVAL);
    evtchn_expect("still 2-level: set_priority", set_priority(early, 1), -XEN_ENOSYS);
    evtchn_expect("still 2-level: expand_array", expand(gfn_of(array[0])), -XEN_EOPNOTSUPP);
    if ( !evtchn_expect("init_control vCPU 0", init_control(gfn_of(cb_page[0]), 0, 0, &bits), 0) )
        return false;
    evtchn_expect("link_bits", bits, EVTCHN_FIFO_LINK_BITS);
    evtchn_expect("init_control vCPU 0 again", init_control(gfn_of(cb_page[1]), 0, 0, NULL),
                  -XEN_EINVAL);
    evtchn_expect("init_control vCPU 1 at offset 64", init_control(gfn_of(cb_page[1]), 64, 1, NULL),
                  0);
    cb[0] = (volatile void *)cb_page[0];
    cb[1] = (volatile void *)(cb_page[1] + 64);
    evtchn_expect("expand_array, not RAM", expand(0x3ffff), -XEN_EINVAL);
    evtchn_expect("expand_array", expand(gfn_of(array[0])), 0);
    consume("pending across the switch", 0, EVTCHN_FIFO_PRIORITY_DEFAULT, &early, 1);
    upcall_seen("pending across the switch", 0);
    return true;
}

static void order_and_priority(void)
{
    long a = ipi(0), b = ipi(0), c = ipi(0);
    uint32_t bac[3] = { b, a, c };
    evtchn_send(b);
    evtchn_send(a);
    evtchn_send(c);
    upcall_seen("three sends", 0);
    consume("order", 0, EVTCHN_FIFO_PRIORITY_DEFAULT, bac, 3);

    evtchn_expect("set_priority 16", set_priority(a, 16), -XEN_EINVAL);
    evtchn_expect("set_priority past the table", set_priority(2048, 1), -XEN_EINVAL);
    evtchn_expect("set_priority(a, 2)", set_priority(a, 2), 0);
    evtchn_expect("set_priority(c, 12)", set_priority(c, 12), 0);
    evtchn_send(c);
    evtchn_send(b);
    evtchn_send(a);
    evtchn_expect("READY bits", cb[0]->ready, (1U << 2) | (1U << 7) | (1U << 12));
    consume("priority 2", 0, 2, (uint32_t *)&bac[1], 1);
    consume("priority 7", 0, 7, (uint32_t *)&bac[0], 1);
    consume("priority 12", 0, 12, (uint32_t *)&bac[2], 1);
    xtf_vcpu_info(0)->evtchn_upcall_pending = 0;

    /* Masked: pending only. Unmask links it. Linked: not twice. */
    __atomic_fetch_or(word(b), MASKED, __ATOMIC_SEQ_CST);
    evtchn_send(b);
    evtchn_expect("masked: word", *word(b) & (PENDING | MASKED | LINKED), PENDING | MASKED);
    evtchn_expect("masked: READY", cb[0]->ready, 0);
    evtchn_expect("unmask", evtchn_unmask(b), 0);
    evtchn_expect("unmasked: word", *word(b) & (PENDING | MASKED | LINKED), PENDING | LINKED);
    evtchn_send(b);
    consume("after unmask, sent again", 0, 7, &bac[0], 1);
    upcall_seen("after unmask", 0);
}

static void move(void)
{
    long x = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    long y = evtchn_bind_interdomain(DOMID_SELF, x);
    uint32_t yy = y;
    if ( x <= 0 || y <= 0 )
    {
        xtf_failure("loopback: %ld %ld", x, y);
        return;
    }
    consume("new interdomain port", 0, 7, &yy, 1); /* raised on binding */
    xtf_vcpu_info(0)->evtchn_upcall_pending = 0;
    evtchn_expect("bind_vcpu(y, 1)", evtchn_bind_vcpu(y, 1), 0);
    evtchn_send(x);
    evtchn_expect("moved: vCPU 0 READY", cb[0]->ready, 0);
    upcall_seen("moved to vCPU 1", 1);
    /* Still linked on vCPU 1: moving back changes nothing until consumed. */
    evtchn_expect("bind_vcpu(y, 0)", evtchn_bind_vcpu(y, 0), 0);
    evtchn_send(x);
    evtchn_expect("still linked: vCPU 0 READY", cb[0]->ready, 0);
    consume("on vCPU 1", 1, 7, &yy, 1);
    evtchn_send(x);
    consume("back on vCPU 0", 0, 7, &yy, 1);
    upcall_seen("back on vCPU 0", 0);
    evtchn_close(x);
    evtchn_close(y);
}

/* A port in the second page, raised before the page is there. */
static void late_page(void)
{
    long p = 0;
    uint32_t pp;
    while ( p >= 0 && p < 1024 )
        p = evtchn_bind_ipi(0);
    if ( p < 1024 )
    {
        xtf_failure("no port past 1023: %ld", p);
        return;
    }
    pp = p;
    evtchn_expect("send on a port with no word", evtchn_send(p), 0);
    evtchn_expect("no word: READY", cb[0]->ready, 0);
    evtchn_expect("second page", expand(gfn_of(array[1])), 0);
    consume("raised when its page came", 0, 7, &pp, 1);
    upcall_seen("late page", 0);
    evtchn_expect("third page", expand(gfn_of(cb_page[1])), -XEN_ENOSPC);
}

/* The first port again (it was pending under 2-level when FIFO began):
 * no stale 2-level bit may keep it from raising now. */
static void back_to_2l(long early)
{
    struct evtchn_reset r = { .dom = DOMID_SELF };
    long p;
    evtchn_expect("reset", hypercall_event_channel_op(EVTCHNOP_reset, &r), 0);
    evtchn_expect("2-level again: set_priority", set_priority(1, 1), -XEN_ENOSYS);
    p = ipi(0);
    evtchn_expect("2-level again: the first port reused", p, early);
    xtf_vcpu_info(0)->evtchn_pending_sel = 0;
    xtf_vcpu_info(0)->evtchn_upcall_pending = 0;
    evtchn_send(p);
    evtchn_expect("2-level again: pending bit", evtchn_test_pending(p), 1);
    evtchn_expect("2-level again: selector", (long)xtf_vcpu_info(0)->evtchn_pending_sel,
                  (long)(1UL << (p / 64)));
    evtchn_expect("2-level again: upcall_pending", xtf_vcpu_info(0)->evtchn_upcall_pending, 1);
}

void test_main(void)
{
    long early;
    s = xtf_shared_info();
    if ( !s || !xtf_vcpu_info(0) || !xtf_vcpu_info(1) )
    {
        xtf_error("cannot map shared_info or the vcpu_infos");
        return;
    }
    early = ipi(0);
    if ( early <= 0 )
        return;
    evtchn_send(early);
    if ( !start(early) )
        return;
    order_and_priority();
    move();
    late_page();
    back_to_2l(early);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
