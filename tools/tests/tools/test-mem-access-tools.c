/* SPDX-License-Identifier: MIT */
/*
 * test-mem-access-tools.c - host tests of libxenctrl's mem_access and
 * monitor-ring wrappers (xc_mem_access.c, xc_monitor.c) against the fake
 * privcmd: each wrapper sends Xen's sub-op and layout from hypercall
 * buffers; xc_monitor_enable does libxc's sequence (pause, ring gfn,
 * populate a hole, map, zero, enable, give the frame back, unpause), and
 * a failure at any of its hypercalls returns NULL with errno and leaves
 * nothing behind: the domain unpaused, the ring disabled, the page
 * unmapped, no buffer, no descriptor.
 *
 * Test code only; links the libraries' own files, never sys.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <xen/hvm/hvm_op.h>
#include <xen/vm_event.h>

#include "harness.h"
#include "fake-privcmd.h"
#include "xenctrl.h"
#include "xenctrl_wren.h"

static xc_interface *xch;

static void setup(void)
{
    fake_reset();
    xch = xc_interface_open(NULL, NULL, 0);
    CHECK(xch);
}

static void teardown(void)
{
    CHECK_EQ(xc_interface_close(xch), 0);
    CHECK_EQ(fake.open_fds, 0);
    CHECK_EQ(fake_live_buffers(), 0);
}

static void *arg_ptr(privcmd_hypercall_t *hc, int i)
{
    return (void *)(uintptr_t)hc->arg[i];
}

/* ---- the fake hypervisor's answers ---- */

static unsigned int calls, fail_at;
static bool disabled, unpaused_last;

static long domctl_reply(struct xen_domctl *d)
{
    if ( d->cmd == XEN_DOMCTL_vm_event_op && d->u.vm_event_op.op == XEN_VM_EVENT_ENABLE )
        d->u.vm_event_op.u.enable.port = 33;
    if ( d->cmd == XEN_DOMCTL_vm_event_op && d->u.vm_event_op.op == XEN_VM_EVENT_DISABLE )
        disabled = true;
    if ( d->cmd == XEN_DOMCTL_vm_event_op && d->u.vm_event_op.op == XEN_VM_EVENT_GET_VERSION )
        d->u.vm_event_op.u.version = VM_EVENT_INTERFACE_VERSION;
    if ( d->cmd == XEN_DOMCTL_getpageframeinfo3 )
        *(xen_pfn_t *)(uintptr_t)d->u.getpageframeinfo3.array |= XEN_DOMCTL_PFINFO_XTAB;
    unpaused_last = d->cmd == XEN_DOMCTL_unpausedomain;
    return 0;
}

static long memop_reply(privcmd_hypercall_t *hc)
{
    struct xen_mem_access_op *m = arg_ptr(hc, 1);

    unpaused_last = false;
    if ( hc->arg[0] == XENMEM_access_op )
    {
        if ( m->op == XENMEM_access_op_get_access )
            m->access = XENMEM_access_rx;
        return 0;
    }
    return 1; /* populate / decrease: one extent */
}

/* Every hypercall answered as Xen would, but the fail_at-th fails. */
static long reply(privcmd_hypercall_t *hc)
{
    if ( ++calls == fail_at )
        return -EIO;
    if ( hc->op == __HYPERVISOR_domctl )
        return domctl_reply(arg_ptr(hc, 0));
    if ( hc->op == __HYPERVISOR_memory_op )
        return memop_reply(hc);
    if ( hc->op == __HYPERVISOR_hvm_op )
        ((struct xen_hvm_param *)arg_ptr(hc, 1))->value = 0; /* no ring gfn chosen */
    unpaused_last = false;
    return 0;
}

static void reset(unsigned int fail)
{
    fake.hypercall = reply;
    fake.nr_calls = fake.nr_batches = 0;
    fake.pages_unmapped = 0;
    calls = 0;
    fail_at = fail;
    disabled = unpaused_last = false;
}

/* ---- the cases ---- */

static void test_access_wrappers(void)
{
    uint64_t pages[2] = { 0x400, 0x401 };
    uint8_t acc[2] = { XENMEM_access_rx, XENMEM_access_n };
    struct xen_mem_access_op *m;
    xenmem_access_t a = XENMEM_access_n;

    setup();
    reset(0);
    CHECK_EQ(xc_set_mem_access(xch, 3, XENMEM_access_rx, 0x400, 4), 0);
    CHECK_EQ(fake_last_call()->hc.op, __HYPERVISOR_memory_op);
    CHECK_EQ(fake_last_call()->hc.arg[0], XENMEM_access_op);
    m = (struct xen_mem_access_op *)fake_last_call()->snap[1];
    CHECK(m->op == XENMEM_access_op_set_access && m->access == XENMEM_access_rx);
    CHECK(m->domid == 3 && m->nr == 4 && m->pfn == 0x400);
    CHECK_EQ(xc_set_mem_access_multi(xch, 3, acc, pages, 2), 0);
    m = (struct xen_mem_access_op *)fake_last_call()->snap[1];
    CHECK(m->op == XENMEM_access_op_set_access_multi && m->nr == 2);
    CHECK(fake_is_buffer((void *)(uintptr_t)m->pfn_list, 0) ||
          m->pfn_list != (uintptr_t)pages); /* bounced, not the caller's */
    CHECK_EQ(xc_get_mem_access(xch, 3, 0x401, &a), 0);
    CHECK_EQ(a, XENMEM_access_rx);
    CHECK_EQ(xc_domain_set_access_required(xch, 3, 7), 0);
    CHECK_EQ(((struct xen_domctl *)fake_last_call()->snap[0])->u.access_required.access_required,
             1);
    CHECK_EQ(xc_vm_event_get_version(xch), VM_EVENT_INTERFACE_VERSION);
    CHECK_EQ(((struct xen_domctl *)fake_last_call()->snap[0])->domain, DOMID_INVALID);
    teardown();
}

static void test_access_refusals(void)
{
    xenmem_access_t a;

    setup();
    reset(0);
    CHECK_EQ(xc_set_mem_access_multi(xch, 3, NULL, NULL, 2), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xc_get_mem_access(xch, 3, 0x400, NULL), -1);
    CHECK_EQ(xc_set_mem_access(xch, 0x10000, XENMEM_access_rx, 0, 1), -1);
    CHECK_EQ(xc_get_mem_access(xch, 0x10000, 0, &a), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(fake.nr_calls, 0);
    reset(1);
    CHECK_EQ(xc_set_mem_access(xch, 3, XENMEM_access_rx, 0x400, 1), -1);
    CHECK_EQ(errno, EIO);
    teardown();
}

static void test_monitor_enable(void)
{
    uint32_t port = 0;
    uint64_t *ring;

    setup();
    reset(0);
    ring = xc_monitor_enable(xch, 4, &port);
    CHECK(ring);
    CHECK_EQ(port, 33);
    CHECK_EQ(ring[0], 0); /* zeroed over the fake's marker */
    CHECK(unpaused_last);
    CHECK(!disabled);
    CHECK_EQ(fake.nr_batches, 1);
    CHECK_EQ(fake.batches[0].dom, 4);
    printf("monitor enable: %u hypercalls\n", calls);
    CHECK_EQ(xc_monitor_disable(xch, 4), 0);
    CHECK(disabled);
    CHECK_EQ(xc_monitor_resume(xch, 4), 0);
    CHECK_EQ(xc_monitor_enable(xch, 4, NULL), NULL);
    CHECK_EQ(errno, EINVAL);
    teardown();
}

/* Fail each hypercall of the enable in turn: nothing is left. */
static void test_monitor_enable_failures(void)
{
    unsigned int total;
    uint32_t port;

    setup();
    reset(0);
    CHECK(xc_monitor_enable(xch, 4, &port));
    total = calls;
    teardown();
    for ( unsigned int k = 1; k <= total; k++ )
    {
        setup();
        reset(k);
        CHECK_EQ(xc_monitor_enable(xch, 4, &port), NULL);
        CHECK_EQ(errno, EIO);
        CHECK(k == 1 || unpaused_last || k == total);   /* paused: unpaused again */
        CHECK_EQ(fake.pages_unmapped, fake.nr_batches); /* what was mapped went */
        if ( k > total - 2 )
            CHECK(disabled); /* enabled before the failure: disabled again */
        teardown();
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        { "mem_access.wrappers", test_access_wrappers },
        { "mem_access.refusals", test_access_refusals },
        { "monitor.enable", test_monitor_enable },
        { "monitor.enable_failures", test_monitor_enable_failures },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
