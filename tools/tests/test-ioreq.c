/*
 * test-ioreq.c - the forwarding half of IOREQ servers
 * (xen/common/ioreq_fwd.c) on the host, against a device model that
 * writes whatever it likes into the shared slot and ring.
 *
 * Cases: a port read fills the slot, publishes READY, notifies the
 * vCPU's port and makes the vCPU wait; only IORESP_READY for a request
 * in flight is taken (garbage is counted, INPROCESS is not an answer);
 * the answer is replayed to the same access and forgotten by another;
 * routing needs the whole access inside one range; the 0xcf8 latch and
 * the 0xcfc window become PCI_CONFIG requests; posted writes fill the
 * ring, a full ring or garbage pointers fall back to a synchronous
 * request; a destroyed server releases its waiter; an instruction with
 * more answers than the replay list holds crashes the domain once.
 *
 * May not touch: anything but ioreq_fwd.c; the event-channel, scheduler
 * and domain calls it makes are stubbed here.
 */
#include <xen/sched.h>
#include <xen/ioreq.h>
#include "../../xen/common/ioreq_private.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- what ioreq_fwd.c calls, stubbed ---------------------------------------- */

static unsigned int notified[64], kicks, crashes;

void evtchn_send_from_xen(struct domain *d, unsigned int port)
{
    notified[port % 64]++;
}

void sched_kick_all(void)
{
    kicks++;
}

void domain_crash(struct domain *d, const char *why)
{
    crashes++;
    d->is_shutting_down = true;
}

/* ioreq_inval.c's: no invalidation is ever owed here. */
bool ioreq_inval_pending(const struct vcpu *v)
{
    return false;
}

bool ioreq_inval_send(struct vcpu *v)
{
    return false;
}

struct ioreq_server *ioreq_server_find(struct domain *d, ioservid_t id)
{
    return id < MAX_NR_IOREQ_SERVERS ? d->ioreq.server[id] : NULL;
}

/* ---- one domain, one vCPU, one server ------------------------------------------ */

static struct domain dom;
static struct vcpu vcpu0, *vcpus[1] = { &vcpu0 };
static struct ioreq_server srv;
static shared_iopage_t *page;
static buffered_iopage_t *ring;

#define VP_PORT  5
#define BUF_PORT 6

static void setup(bool with_ring)
{
    memset(&dom, 0, sizeof(dom));
    memset(&vcpu0, 0, sizeof(vcpu0));
    memset(&srv, 0, sizeof(srv));
    memset(notified, 0, sizeof(notified));
    kicks = crashes = 0;
    spin_lock_init(&dom.ioreq.lock, LOCK_ioreq);
    dom.max_vcpus = 1;
    dom.vcpu = vcpus;
    vcpu0.domain = &dom;
    page = calloc(1, 4096);
    ring = with_ring ? calloc(1, 4096) : NULL;
    srv.target = &dom;
    srv.enabled = true;
    srv.ioreq = page;
    srv.bufioreq = ring;
    srv.bufioreq_port = BUF_PORT;
    srv.nr_ranges[XEN_DMOP_IO_RANGE_PORT] = 1;
    srv.ranges[XEN_DMOP_IO_RANGE_PORT][0] = (struct ioreq_range){ 0x300, 0x303 };
    dom.ioreq.server[0] = &srv;
    dom.ioreq.nr_servers = 1;
    vcpu0.ioreq.port[0] = VP_PORT;
}

static void teardown(void)
{
    free(page);
    free(ring);
}

/* The device model answers slot 0 with data and notifies. */
static void answer(uint64_t data)
{
    page->vcpu_ioreq[0].data = data;
    page->vcpu_ioreq[0].flags =
        (page->vcpu_ioreq[0].flags & ~IOREQ_FLAG_STATE_MASK) | STATE_IORESP_READY;
    ioreq_port_event(&dom, VP_PORT);
}

static void test_read_round_trip(void)
{
    uint32_t val = 0;

    setup(false);
    CHECK_EQ(ioreq_pio(&vcpu0, 0x302, 2, false, &val), IOREQ_PENDING);
    CHECK_EQ(IOREQ_STATE(&page->vcpu_ioreq[0]), STATE_IOREQ_READY);
    CHECK_EQ(page->vcpu_ioreq[0].addr, 0x302);
    CHECK_EQ(page->vcpu_ioreq[0].size, 2);
    CHECK_EQ(page->vcpu_ioreq[0].vp_eport, VP_PORT);
    CHECK_EQ(IOREQ_DIR(&page->vcpu_ioreq[0]), IOREQ_READ);
    CHECK_EQ(notified[VP_PORT], 1);
    CHECK(vcpu0.ioreq.waiting);
    answer(0xbeef);
    CHECK(!vcpu0.ioreq.waiting);
    CHECK(vcpu0.ioreq.resume);
    CHECK_EQ(IOREQ_STATE(&page->vcpu_ioreq[0]), STATE_IOREQ_NONE);
    CHECK_EQ(ioreq_pio(&vcpu0, 0x302, 2, false, &val), IOREQ_DONE); /* replayed */
    CHECK_EQ(val, 0xbeef);
    CHECK_EQ(notified[VP_PORT], 1);
    ioreq_instruction_done(&vcpu0);
    CHECK_EQ(srv.sent, 1);
    CHECK_EQ(srv.answered, 1);
    teardown();
}

static void test_garbage_ignored(void)
{
    uint32_t val = 0;

    setup(false);
    answer(1); /* nothing asked */
    CHECK_EQ(srv.bad, 1);
    CHECK(!vcpu0.ioreq.resume);
    CHECK_EQ(ioreq_pio(&vcpu0, 0x300, 1, false, &val), IOREQ_PENDING);
    page->vcpu_ioreq[0].flags = STATE_IOREQ_INPROCESS;
    ioreq_port_event(&dom, VP_PORT);
    CHECK(vcpu0.ioreq.waiting);       /* taken, not answered */
    page->vcpu_ioreq[0].flags = 0x0f; /* no such state */
    ioreq_port_event(&dom, VP_PORT);
    CHECK(vcpu0.ioreq.waiting);
    answer(7);
    CHECK(!vcpu0.ioreq.waiting);
    teardown();
}

static void test_replay_mismatch_and_routing(void)
{
    uint32_t val = 0x11;

    setup(false);
    CHECK_EQ(ioreq_pio(&vcpu0, 0x303, 2, false, &val), IOREQ_UNCLAIMED); /* 0x303-0x304 */
    CHECK_EQ(ioreq_pio(&vcpu0, 0x2ff, 1, true, &val), IOREQ_UNCLAIMED);
    CHECK_EQ(ioreq_pio(&vcpu0, 0x300, 4, true, &val), IOREQ_PENDING);
    CHECK_EQ(page->vcpu_ioreq[0].data, 0x11);
    answer(0);
    CHECK_EQ(ioreq_pio(&vcpu0, 0x301, 1, true, &val), IOREQ_PENDING); /* not the same access */
    CHECK_EQ(srv.sent, 2);
    srv.enabled = false;
    ioreq_release_waiters(&srv);
    CHECK(!vcpu0.ioreq.waiting);
    CHECK(vcpu0.ioreq.resume);
    teardown();
}

static void test_pci_config(void)
{
    uint32_t val = 0x80000000U | (2U << 11) | 0x44;

    setup(false);
    srv.nr_ranges[XEN_DMOP_IO_RANGE_PCI] = 1;
    srv.ranges[XEN_DMOP_IO_RANGE_PCI][0] = (struct ioreq_range){ 0x10, 0x10 }; /* 00:02.0 */
    CHECK_EQ(ioreq_pio(&vcpu0, 0xcf8, 4, true, &val), IOREQ_DONE);
    val = 0;
    CHECK_EQ(ioreq_pio(&vcpu0, 0xcf8, 4, false, &val), IOREQ_DONE);
    CHECK_EQ(val, 0x80000000U | (2U << 11) | 0x44);
    CHECK_EQ(ioreq_pio(&vcpu0, 0xcfe, 2, false, &val), IOREQ_PENDING);
    CHECK_EQ(page->vcpu_ioreq[0].type, IOREQ_TYPE_PCI_CONFIG);
    CHECK_EQ(page->vcpu_ioreq[0].addr, (0x10ULL << 32) | 0x46);
    answer(0x1234);
    CHECK_EQ(ioreq_pio(&vcpu0, 0xcfe, 2, false, &val), IOREQ_DONE);
    CHECK_EQ(val, 0x1234);
    ioreq_instruction_done(&vcpu0);
    val = 0x80000000U | (3U << 11);
    CHECK_EQ(ioreq_pio(&vcpu0, 0xcf8, 4, true, &val), IOREQ_DONE);
    CHECK_EQ(ioreq_pio(&vcpu0, 0xcfc, 4, false, &val), IOREQ_UNCLAIMED); /* nobody's device */
    teardown();
}

static void test_ring(void)
{
    uint32_t val = 0xab;

    setup(true);
    for ( unsigned int i = 0; i < IOREQ_BUFFER_SLOT_NUM; i++ )
    {
        CHECK_EQ(ioreq_pio(&vcpu0, 0x301, 1, true, &val), IOREQ_DONE);
        ioreq_instruction_done(&vcpu0);
    }
    CHECK_EQ(ring->ptrs.p.write_pointer, IOREQ_BUFFER_SLOT_NUM);
    CHECK_EQ(BUF_IOREQ_ADDR(&ring->buf_ioreq[5]), 0x301);
    CHECK_EQ(ring->buf_ioreq[5].data, 0xab);
    CHECK_EQ(notified[BUF_PORT], IOREQ_BUFFER_SLOT_NUM);
    CHECK_EQ(ioreq_pio(&vcpu0, 0x301, 1, true, &val), IOREQ_PENDING); /* full */
    CHECK_EQ(dom.ioreq.ring_full, 1);
    answer(0);
    ioreq_instruction_done(&vcpu0);
    ring->ptrs.p.read_pointer = 1000; /* behind the write pointer: garbage */
    CHECK_EQ(ioreq_pio(&vcpu0, 0x301, 1, true, &val), IOREQ_PENDING);
    CHECK_EQ(srv.bad, 1);
    teardown();
}

static void test_replay_overflow(void)
{
    uint32_t val = 0;

    setup(false);
    for ( unsigned int i = 0; i < IOREQ_REPLAY_MAX; i++ )
    {
        vcpu0.ioreq.replay_pos = 0;
        for ( unsigned int k = 0; k < i; k++ )
            CHECK_EQ(ioreq_pio(&vcpu0, 0x300 + k % 4, 1, false, &val), IOREQ_DONE);
        CHECK_EQ(ioreq_pio(&vcpu0, 0x300 + i % 4, 1, false, &val), IOREQ_PENDING);
        answer(i);
    }
    vcpu0.ioreq.replay_pos = IOREQ_REPLAY_MAX;
    CHECK_EQ(ioreq_pio(&vcpu0, 0x301, 1, false, &val), IOREQ_UNCLAIMED);
    CHECK_EQ(ioreq_pio(&vcpu0, 0x302, 1, false, &val), IOREQ_UNCLAIMED);
    CHECK_EQ(crashes, 1);
    teardown();
}

int main(void)
{
    static const struct test_case cases[] = {
        { "ioreq.read_round_trip", test_read_round_trip },
        { "ioreq.garbage_ignored", test_garbage_ignored },
        { "ioreq.replay_mismatch_and_routing", test_replay_mismatch_and_routing },
        { "ioreq.pci_config", test_pci_config },
        { "ioreq.ring", test_ring },
        { "ioreq.replay_overflow", test_replay_overflow },
    };

    return run_tests(cases, ARRAY_SIZE(cases));
}
