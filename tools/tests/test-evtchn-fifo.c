/*
 * test-evtchn-fifo.c - the FIFO event-channel ABI's queue logic
 * (xen/common/event_fifo.c) on the host, against a guest consumer that
 * follows the ABI: takes READY with one exchange, starts a queue from
 * HEAD, follows each word's LINK, clearing LINKED and LINK in one
 * compare-and-exchange and PENDING before it handles the port.
 *
 * Cases: queue order and READY (one upcall per empty queue); masked
 * ports pending but unlinked until unmask; a consumed tail is not linked
 * to (HEAD again); priorities; a port still linked stays on its old
 * queue after a move; a port raised before its array page exists;
 * init_control and expand_array refusals; every guest page's reference
 * dropped by evtchn_fifo_destroy, and what was pending raised again
 * under 2-level; and a race: one thread raising ports
 * while another consumes, after which every raise has been seen (no
 * event lost, no cycle).
 *
 * May not touch: anything but the FIFO code and the pages it is given;
 * event_channel.c's side (notify vCPU, upcall) is stubbed here.
 */
#include <xen/sched.h>
#include <xen/mm.h>
#include <xen/frame.h>
#include <public/event_channel.h>
#include "../../xen/common/event_private.h"

#include <pthread.h>
#include <string.h>

#include "harness.h"
#include "arena.h"

#define NPORTS 2048
#define OWNER  7
#define PRIO   EVTCHN_FIFO_PRIORITY_DEFAULT

/* ---- event_channel.c's side, stubbed ---------------------------------------- */

static unsigned int upcalls[2];

static unsigned int l2_raised; /* carried back to 2-level by destroy */

static void l2_set_pending(struct domain *d, struct vcpu *v, unsigned int port)
{
    l2_raised++;
}

const struct evtchn_port_ops evtchn_l2_ops = { .set_pending = l2_set_pending };

struct vcpu *evtchn_notify_vcpu(struct domain *d, unsigned int port)
{
    unsigned int id = d->evtchn.port[port].notify_vcpu;
    return d->vcpu[id < d->max_vcpus ? id : 0];
}

void evtchn_mark_upcall(struct vcpu *v)
{
    __atomic_fetch_add(&upcalls[v->vcpu_id], 1, __ATOMIC_SEQ_CST);
}

/* ---- a domain with two vCPUs and its guest pages ---------------------------- */

static struct domain dom;
static struct vcpu vcpus[2];
static struct vcpu *vcpu_ptrs[2];
static struct evtchn ports[NPORTS];
static struct evtchn_page cb_pg[2], arr_pg[2];
static bool arr1_given; /* arr_pg[1] handed to expand_array */

static struct evtchn_page guest_page(void)
{
    struct evtchn_page pg;
    pg.va = alloc_page_zeroed();
    pg.mfn = virt_to_mfn(pg.va);
    frame_share_with_guest(pg.mfn, OWNER); /* the "guest's" own reference */
    CHECK(get_page(pg.mfn, OWNER));        /* the one a lookup would take */
    return pg;
}

static void setup(void)
{
    memset(&dom, 0, sizeof(dom));
    memset(vcpus, 0, sizeof(vcpus));
    memset(ports, 0, sizeof(ports));
    memset(upcalls, 0, sizeof(upcalls));
    l2_raised = 0;
    dom.domain_id = OWNER;
    dom.max_vcpus = 2;
    dom.vcpu = vcpu_ptrs;
    for ( unsigned int i = 0; i < 2; i++ )
    {
        vcpus[i].vcpu_id = i;
        vcpus[i].domain = &dom;
        vcpu_ptrs[i] = &vcpus[i];
    }
    spin_lock_init(&dom.evtchn.lock, LOCK_evtchn);
    spin_lock_init(&dom.evtchn.virq_lock, LOCK_virq);
    dom.evtchn.nr_ports = NPORTS;
    dom.evtchn.port = ports;
    dom.evtchn.ops = &evtchn_l2_ops;
    for ( unsigned int p = 1; p < NPORTS; p++ )
        ports[p].state = ECS_IPI;
    for ( unsigned int i = 0; i < 2; i++ )
    {
        cb_pg[i] = guest_page();
        arr_pg[i] = guest_page();
    }
    arr1_given = false;
    spin_lock(&dom.evtchn.lock);
    CHECK_EQ(evtchn_fifo_init_control(&dom, &vcpus[0], &cb_pg[0], 0), 0);
    CHECK_EQ(evtchn_fifo_init_control(&dom, &vcpus[1], &cb_pg[1], 64), 0);
    CHECK_EQ(evtchn_fifo_expand_array(&dom, &arr_pg[0]), 0);
    spin_unlock(&dom.evtchn.lock);
    CHECK(dom.evtchn.ops == &evtchn_fifo_ops);
}

/* Every page's count back to the guest's own reference, then freed. */
static void teardown(void)
{
    spin_lock(&dom.evtchn.lock);
    evtchn_fifo_destroy(&dom);
    spin_unlock(&dom.evtchn.lock);
    CHECK(dom.evtchn.ops == &evtchn_l2_ops);
    if ( !arr1_given ) /* refused or never offered: the caller puts it */
        put_page(arr_pg[1].mfn);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        CHECK_EQ(mfn_to_page(cb_pg[i].mfn)->count, 1);
        frame_unshare(cb_pg[i].mfn);
        CHECK_EQ(mfn_to_page(arr_pg[i].mfn)->count, 1);
        frame_unshare(arr_pg[i].mfn);
    }
}

static struct evtchn_fifo_control_block *cb(unsigned int v)
{
    return (void *)((uint8_t *)cb_pg[v].va + (v ? 64 : 0));
}

static event_word_t *word(unsigned int port)
{
    return &((event_word_t *)arr_pg[port / 1024].va)[port % 1024];
}

static void raise(unsigned int port)
{
    spin_lock(&dom.evtchn.lock);
    evtchn_fifo_ops.set_pending(&dom, evtchn_notify_vcpu(&dom, port), port);
    spin_unlock(&dom.evtchn.lock);
}

/* ---- the guest's consumer ------------------------------------------------------- */

struct consumer
{
    uint32_t ready;                        /* taken from the control block */
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES]; /* where each queue goes on */
};

/* Unlink port's word; returns its LINK. */
static uint32_t clear_linked(event_word_t *w)
{
    event_word_t old = __atomic_load_n(w, __ATOMIC_SEQ_CST), new;
    do
        new = old & ~((1U << EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK);
    while ( !__atomic_compare_exchange_n(w, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) );
    return old & EVTCHN_FIFO_LINK_MASK;
}

/* One event of queue prio; returns the port handled (0 if masked/not pending). */
static uint32_t consume_one(struct consumer *c, unsigned int v, unsigned int prio)
{
    uint32_t port =
        c->head[prio] ? c->head[prio] : __atomic_load_n(&cb(v)->head[prio], __ATOMIC_SEQ_CST);
    event_word_t *w = word(port);
    uint32_t next = clear_linked(w);
    event_word_t now;
    if ( !next )
        c->ready &= ~(1U << prio);
    c->head[prio] = next;
    now = __atomic_fetch_and(w, ~(1U << EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST);
    if ( !(now & (1U << EVTCHN_FIFO_PENDING)) || (now & (1U << EVTCHN_FIFO_MASKED)) )
        return 0;
    return port;
}

/* Consume vCPU v's queues now: highest priority first, into out[]. */
static unsigned int drain(unsigned int v, uint32_t *out, unsigned int max)
{
    struct consumer c;
    unsigned int n = 0;
    memset(&c, 0, sizeof(c));
    while ( (c.ready |= __atomic_exchange_n(&cb(v)->ready, 0, __ATOMIC_SEQ_CST)) )
    {
        uint32_t port = consume_one(&c, v, __builtin_ctz(c.ready));
        if ( port && n < max )
            out[n++] = port;
    }
    return n;
}

/* ---- cases ---------------------------------------------------------------------- */

static void test_order_and_ready(void)
{
    uint32_t got[8];
    setup();
    raise(5);
    raise(3);
    raise(9);
    raise(3); /* already linked: not again */
    CHECK_EQ(upcalls[0], 1);
    CHECK_EQ(cb(0)->ready, 1U << PRIO);
    CHECK_EQ(cb(0)->head[PRIO], 5);
    CHECK_EQ(*word(5) & EVTCHN_FIFO_LINK_MASK, 3);
    CHECK_EQ(*word(3) & EVTCHN_FIFO_LINK_MASK, 9);
    CHECK_EQ(drain(0, got, 8), 3);
    CHECK(got[0] == 5 && got[1] == 3 && got[2] == 9);
    /* The old tail is unlinked now: the next event starts the queue again. */
    raise(7);
    CHECK_EQ(cb(0)->head[PRIO], 7);
    CHECK_EQ(upcalls[0], 2);
    CHECK_EQ(*word(9) & EVTCHN_FIFO_LINK_MASK, 0);
    teardown();
}

static void test_mask_and_unmask(void)
{
    uint32_t got[4];
    setup();
    *word(4) |= 1U << EVTCHN_FIFO_MASKED;
    raise(4);
    CHECK_EQ(*word(4), (1U << EVTCHN_FIFO_MASKED) | (1U << EVTCHN_FIFO_PENDING));
    CHECK_EQ(cb(0)->ready, 0);
    spin_lock(&dom.evtchn.lock);
    evtchn_fifo_ops.unmask(&dom, 4);
    spin_unlock(&dom.evtchn.lock);
    CHECK_EQ(*word(4), (1U << EVTCHN_FIFO_LINKED) | (1U << EVTCHN_FIFO_PENDING));
    CHECK_EQ(drain(0, got, 4), 1);
    CHECK_EQ(got[0], 4);
    /* Unmask of a port not pending links nothing. */
    spin_lock(&dom.evtchn.lock);
    evtchn_fifo_ops.unmask(&dom, 6);
    spin_unlock(&dom.evtchn.lock);
    CHECK_EQ(cb(0)->ready, 0);
    teardown();
}

/* What is pending when FIFO goes (reset) is raised again under 2-level:
 * a linked port, and one whose word had no page. */
static void test_destroy_carries_pending(void)
{
    setup();
    raise(12);
    raise(1500);
    raise(13);
    *word(13) &= ~(1U << EVTCHN_FIFO_PENDING); /* consumed by the guest */
    teardown();
    CHECK_EQ(l2_raised, 2);
}

static void test_priorities(void)
{
    uint32_t got[4];
    setup();
    CHECK_EQ(evtchn_fifo_ops.set_priority(&dom, 2, EVTCHN_FIFO_PRIORITY_MIN + 1), -EINVAL);
    CHECK_EQ(evtchn_fifo_ops.set_priority(&dom, 2, 1), 0);
    CHECK_EQ(evtchn_fifo_ops.set_priority(&dom, 3, 14), 0);
    raise(3);
    raise(8);
    raise(2);
    CHECK_EQ(cb(0)->ready, (1U << 1) | (1U << PRIO) | (1U << 14));
    CHECK_EQ(upcalls[0], 3); /* one per queue that became ready, as Xen */
    CHECK_EQ(drain(0, got, 4), 3);
    CHECK(got[0] == 2 && got[1] == 8 && got[2] == 3);
    teardown();
}

static void test_move_while_linked(void)
{
    uint32_t got[4];
    setup();
    raise(10);
    ports[10].notify_vcpu = 1; /* bind_vcpu */
    raise(10);
    CHECK_EQ(cb(1)->ready, 0); /* still on vCPU 0's queue */
    CHECK_EQ(drain(0, got, 4), 1);
    raise(10);
    CHECK_EQ(cb(0)->ready, 0);
    CHECK_EQ(cb(1)->head[PRIO], 10);
    CHECK_EQ(upcalls[1], 1);
    CHECK_EQ(drain(1, got, 4), 1);
    CHECK_EQ(got[0], 10);
    teardown();
}

static void test_late_page_and_limits(void)
{
    uint32_t got[4];
    struct evtchn_page bad = { .va = NULL };
    setup();
    raise(1500);
    CHECK(ports[1500].fifo_pending);
    CHECK_EQ(cb(0)->ready, 0);
    spin_lock(&dom.evtchn.lock);
    CHECK_EQ(evtchn_fifo_init_control(&dom, &vcpus[0], &cb_pg[1], 0), -EINVAL); /* again */
    CHECK_EQ(evtchn_fifo_expand_array(&dom, &bad), -EINVAL);
    CHECK_EQ(evtchn_fifo_expand_array(&dom, &arr_pg[1]), 0);
    arr1_given = true;
    CHECK_EQ(evtchn_fifo_expand_array(&dom, &bad), -ENOSPC); /* 2048 ports: two pages */
    spin_unlock(&dom.evtchn.lock);
    CHECK(!ports[1500].fifo_pending);
    CHECK_EQ(drain(0, got, 4), 1);
    CHECK_EQ(got[0], 1500);
    teardown();
}

/* ---- the race ------------------------------------------------------------------- */

#define RACE_PORTS  64
#define RACE_RAISES 200000

static uint64_t raised_gen[RACE_PORTS + 1], seen_gen[RACE_PORTS + 1];
static volatile bool raiser_done;
static unsigned long race_walks;

static void *guest_thread(void *arg)
{
    struct consumer c;
    unsigned long idle_rounds = 0;
    (void)arg;
    memset(&c, 0, sizeof(c));
    while ( idle_rounds < 1000 )
    {
        c.ready |= __atomic_exchange_n(&cb(0)->ready, 0, __ATOMIC_SEQ_CST);
        if ( !c.ready )
        {
            idle_rounds += __atomic_load_n(&raiser_done, __ATOMIC_SEQ_CST);
            continue;
        }
        idle_rounds = 0;
        for ( unsigned int steps = 0; c.ready && steps < 4 * RACE_PORTS; steps++ )
        {
            uint32_t port = consume_one(&c, 0, __builtin_ctz(c.ready));
            if ( port )
                seen_gen[port] = __atomic_load_n(&raised_gen[port], __ATOMIC_SEQ_CST);
            race_walks++;
        }
    }
    return NULL;
}

static void test_race_with_consumer(void)
{
    pthread_t t;
    uint64_t r = 88172645463325252ULL;
    setup();
    memset(raised_gen, 0, sizeof(raised_gen));
    memset(seen_gen, 0, sizeof(seen_gen));
    raiser_done = false;
    CHECK_EQ(pthread_create(&t, NULL, guest_thread, NULL), 0);
    for ( unsigned int i = 0; i < RACE_RAISES; i++ )
    {
        unsigned int port;
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        port = 1 + (unsigned int)(r % RACE_PORTS);
        __atomic_fetch_add(&raised_gen[port], 1, __ATOMIC_SEQ_CST);
        raise(port);
    }
    __atomic_store_n(&raiser_done, true, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
    for ( unsigned int p = 1; p <= RACE_PORTS; p++ )
        CHECK_MSG(seen_gen[p] == raised_gen[p], "port %u: raised %lu times, last seen at %lu", p,
                  (unsigned long)raised_gen[p], (unsigned long)seen_gen[p]);
    CHECK(race_walks > 0);
    teardown();
}

int main(void)
{
    static const struct test_case cases[] = {
        { "evtchn_fifo.order_and_ready", test_order_and_ready },
        { "evtchn_fifo.mask_and_unmask", test_mask_and_unmask },
        { "evtchn_fifo.priorities", test_priorities },
        { "evtchn_fifo.destroy_carries_pending", test_destroy_carries_pending },
        { "evtchn_fifo.move_while_linked", test_move_while_linked },
        { "evtchn_fifo.late_page_and_limits", test_late_page_and_limits },
        { "evtchn_fifo.race_with_consumer", test_race_with_consumer },
    };
    int rc;
    arena_setup(ARENA_DEFAULT_BASE, 8UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
