/*
 * test-ioreq-inval.c - mapcache invalidation's flag and broadcast
 * (xen/common/ioreq_inval.c) on the host: whom a RAM change flags (the
 * domain's own vCPU alone, or every vCPU when anybody else changed it),
 * which vCPUs are kicked, that flags are counted once per setting, and
 * that a flagged vCPU sends one IOREQ_TYPE_INVALIDATE to every enabled
 * server (none with no server), however many frames went; a server that
 * cannot take it now leaves the flag set.
 *
 * May not touch: anything but ioreq_inval.c; the send-and-wait of
 * common/ioreq_fwd.c and the CPU kick are stubbed here.
 */
#include <xen/sched.h>
#include <xen/ioreq.h>
#include <xen/errno.h>

#include <string.h>

#include "harness.h"

#define NR_VCPUS 3

static struct domain dom, other;
static struct vcpu vcpus[NR_VCPUS], *vcpu_ptrs[NR_VCPUS], other_vcpu;
static struct ioreq_server servers[3];

static unsigned int kicks[4];
static unsigned int sends[3];
static int send_rc;

void smp_kick_cpu(unsigned int cpu)
{
    CHECK(cpu < ARRAY_SIZE(kicks));
    kicks[cpu]++;
}

int ioreq_send_wait(struct ioreq_server *s, struct vcpu *v, const ioreq_t *p)
{
    CHECK(spin_is_locked(&v->domain->ioreq.lock));
    CHECK(s->target == v->domain && s->enabled);
    CHECK_EQ(p->type, IOREQ_TYPE_INVALIDATE);
    CHECK_EQ(p->count, 1);
    CHECK_EQ(IOREQ_DIR(p), IOREQ_WRITE);
    if ( send_rc )
        return send_rc;
    sends[s - servers]++;
    return 0;
}

/* Three vCPUs: 0 running on CPU 2, 1 sleeping, 2 running on CPU 3. */
static void setup(unsigned int nr_servers)
{
    memset(&dom, 0, sizeof(dom));
    memset(vcpus, 0, sizeof(vcpus));
    memset(servers, 0, sizeof(servers));
    memset(kicks, 0, sizeof(kicks));
    memset(sends, 0, sizeof(sends));
    send_rc = 0;
    spin_lock_init(&dom.ioreq.lock, LOCK_domain);
    dom.max_vcpus = NR_VCPUS;
    dom.vcpu = vcpu_ptrs;
    for ( unsigned int i = 0; i < NR_VCPUS; i++ )
    {
        vcpus[i].vcpu_id = i;
        vcpus[i].domain = &dom;
        vcpus[i].processor = -1;
        vcpu_ptrs[i] = &vcpus[i];
    }
    vcpus[0].processor = 2;
    vcpus[2].processor = 3;
    other_vcpu.domain = &other;
    other_vcpu.processor = 0;
    for ( unsigned int i = 0; i < nr_servers; i++ )
    {
        servers[i].target = &dom;
        servers[i].enabled = true;
        servers[i].id = i;
        dom.ioreq.server[i] = &servers[i];
    }
    dom.ioreq.nr_servers = nr_servers;
}

static unsigned int flagged(void)
{
    unsigned int mask = 0;

    for ( unsigned int i = 0; i < NR_VCPUS; i++ )
        mask |= ioreq_inval_pending(&vcpus[i]) << i;
    return mask;
}

static void own_vcpu_flags_itself(void)
{
    setup(1);
    ioreq_inval_note(&dom, &vcpus[0]);
    CHECK_EQ(flagged(), 1);
    CHECK_EQ(dom.ioreq.invalidate_flags_set, 1);
    CHECK_EQ(kicks[2] + kicks[3], 0); /* it is in the hypervisor already */
    ioreq_inval_note(&dom, &vcpus[0]);
    CHECK_EQ(dom.ioreq.invalidate_flags_set, 1); /* still owed: not counted again */
}

static void others_flag_every_vcpu(void)
{
    setup(1);
    ioreq_inval_note(&dom, &other_vcpu); /* dom0's hypercall */
    CHECK_EQ(flagged(), 7);
    CHECK_EQ(dom.ioreq.invalidate_flags_set, 3);
    CHECK_EQ(kicks[2], 1);
    CHECK_EQ(kicks[3], 1);
    CHECK_EQ(kicks[0], 0);        /* the caller's own CPU */
    ioreq_inval_note(&dom, NULL); /* no vCPU: the same */
    CHECK_EQ(dom.ioreq.invalidate_flags_set, 3);
    CHECK_EQ(kicks[2] + kicks[3], 2); /* already owed: no second kick */
}

static void one_broadcast_per_entry(void)
{
    setup(2);
    for ( unsigned int i = 0; i < 100; i++ ) /* 100 frames in one call */
        ioreq_inval_note(&dom, &vcpus[1]);
    CHECK(ioreq_inval_send(&vcpus[1]));
    CHECK_EQ(sends[0], 1);
    CHECK_EQ(sends[1], 1);
    CHECK_EQ(dom.ioreq.invalidates_sent, 1);
    CHECK_EQ(flagged(), 0);
    CHECK(!ioreq_inval_send(&vcpus[1])); /* nothing owed */
    ioreq_before_entry(&vcpus[1]);
    CHECK_EQ(sends[0] + sends[1], 2);
}

static void disabled_servers_skipped(void)
{
    setup(3);
    servers[1].enabled = false;
    ioreq_inval_note(&dom, NULL);
    ioreq_before_entry(&vcpus[0]);
    ioreq_before_entry(&vcpus[2]);
    CHECK_EQ(sends[0], 2);
    CHECK_EQ(sends[1], 0);
    CHECK_EQ(sends[2], 2);
    CHECK_EQ(dom.ioreq.invalidates_sent, 2);
    CHECK_EQ(flagged(), 2); /* vCPU 1 has not entered yet: still owes it */
}

static void no_server_clears_only(void)
{
    setup(0);
    ioreq_inval_note(&dom, NULL);
    CHECK(!ioreq_inval_send(&vcpus[0]));
    CHECK_EQ(flagged(), 6);
    CHECK_EQ(dom.ioreq.invalidates_sent, 0);
}

static void busy_server_keeps_flag(void)
{
    setup(1);
    ioreq_inval_note(&dom, &vcpus[0]);
    send_rc = -EBUSY;
    CHECK(!ioreq_inval_send(&vcpus[0]));
    CHECK_EQ(flagged(), 1);
    send_rc = 0;
    CHECK(ioreq_inval_send(&vcpus[0]));
    CHECK_EQ(sends[0], 1);
    CHECK_EQ(flagged(), 0);
}

static const struct test_case cases[] = {
    { "ioreq_inval.own_vcpu_flags_itself", own_vcpu_flags_itself },
    { "ioreq_inval.others_flag_every_vcpu", others_flag_every_vcpu },
    { "ioreq_inval.one_broadcast_per_entry", one_broadcast_per_entry },
    { "ioreq_inval.disabled_servers_skipped", disabled_servers_skipped },
    { "ioreq_inval.no_server_clears_only", no_server_clears_only },
    { "ioreq_inval.busy_server_keeps_flag", busy_server_keeps_flag },
};

int main(void)
{
    return run_tests(cases, ARRAY_SIZE(cases));
}
