/*
 * domctl - the control domain's slice of XEN_DOMCTL: what each call does
 * to a running domU, and the errors bad requests get.
 *
 * dom0 controller; domain 1 runs "counter". Checked:
 *  - an unknown domid is -ESRCH for getdomaininfo, pause and destroy;
 *  - a wrong interface_version is -EACCES, an unknown command -ENOSYS;
 *  - max_mem changes max_pages as getdomaininfo reports it;
 *  - max_vcpus grows the vCPU count (max_vcpu_id follows) and refuses to
 *    shrink it or to go past the limit (-EINVAL);
 *  - dom0 may not pause or destroy itself (-EINVAL);
 *  - unpausing a domain that is not paused is -EINVAL;
 *  - resumedomain of a running domain does nothing (0), of dom0 itself
 *    -EINVAL, of an unknown one -ESRCH;
 *  - destroydomain removes d1: afterwards it is -ESRCH everywhere, and a
 *    second destroy is -ESRCH too.
 */
#include <xtf.h>

const char test_title[] = "domctl: max_mem, max_vcpus, destroy and errors";

#define TARGET 1
#define NOBODY 77

static long domctl(uint32_t cmd, domid_t dom, struct xen_domctl *op)
{
    op->cmd = cmd;
    op->domain = dom;
    return hypercall_domctl(op);
}

static void expect(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: got %ld, expected %ld", what, got, want);
    else
        printf("%-40s %ld as expected\n", what, got);
}

static void check_errors(void)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl op;

    expect("getdomaininfo(unknown domain)", xtf_getdomaininfo(NOBODY, &info), -XEN_ESRCH);
    expect("pausedomain(unknown domain)", xtf_domctl_simple(XEN_DOMCTL_pausedomain, NOBODY),
           -XEN_ESRCH);
    expect("destroydomain(unknown domain)", xtf_domctl_simple(XEN_DOMCTL_destroydomain, NOBODY),
           -XEN_ESRCH);
    expect("pausedomain(self)", xtf_domctl_simple(XEN_DOMCTL_pausedomain, 0), -XEN_EINVAL);
    expect("destroydomain(self)", xtf_domctl_simple(XEN_DOMCTL_destroydomain, 0), -XEN_EINVAL);
    expect("unpausedomain(not paused)", xtf_domctl_simple(XEN_DOMCTL_unpausedomain, TARGET),
           -XEN_EINVAL);
    /* resumedomain undoes a suspend only: a running domain needs none. */
    expect("resumedomain(running)", xtf_domctl_simple(XEN_DOMCTL_resumedomain, TARGET), 0);
    expect("resumedomain(self)", xtf_domctl_simple(XEN_DOMCTL_resumedomain, 0), -XEN_EINVAL);
    expect("resumedomain(unknown domain)", xtf_domctl_simple(XEN_DOMCTL_resumedomain, NOBODY),
           -XEN_ESRCH);

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_getdomaininfo;
    op.domain = TARGET;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION + 1;
    expect("wrong interface_version", xtf_hypercall(__HYPERVISOR_domctl, HC_PTR(&op), 0, 0, 0, 0),
           -XEN_EACCES);

    memset(&op, 0, sizeof(op));
    expect("unknown domctl command", domctl(0x6fff, TARGET, &op), -XEN_ENOSYS);
}

static void check_max_mem(void)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = 20 * 1024;
    expect("max_mem(d1, 20 MiB)", domctl(XEN_DOMCTL_max_mem, TARGET, &op), 0);
    if ( xtf_getdomaininfo(TARGET, &info) )
        xtf_failure("getdomaininfo(d1) after max_mem");
    else
        expect("max_pages after max_mem", (long)info.max_pages, 20 * 1024 / 4);
}

static void check_max_vcpus(void)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.max_vcpus.max = 2;
    expect("max_vcpus(d1, 2)", domctl(XEN_DOMCTL_max_vcpus, TARGET, &op), 0);
    if ( xtf_getdomaininfo(TARGET, &info) )
        xtf_failure("getdomaininfo(d1) after max_vcpus");
    else
    {
        expect("max_vcpu_id after max_vcpus", info.max_vcpu_id, 1);
        expect("online vCPUs after max_vcpus", info.nr_online_vcpus, 1);
    }
    op.u.max_vcpus.max = 1;
    expect("max_vcpus(d1, 1): shrinking", domctl(XEN_DOMCTL_max_vcpus, TARGET, &op), -XEN_EINVAL);
    op.u.max_vcpus.max = 1000;
    expect("max_vcpus(d1, 1000): too many", domctl(XEN_DOMCTL_max_vcpus, TARGET, &op), -XEN_EINVAL);
}

static void check_destroy(void)
{
    struct xen_domctl_getdomaininfo info;

    expect("destroydomain(d1)", xtf_domctl_simple(XEN_DOMCTL_destroydomain, TARGET), 0);
    expect("getdomaininfo(d1) after destroy", xtf_getdomaininfo(TARGET, &info), -XEN_ESRCH);
    expect("pausedomain(d1) after destroy", xtf_domctl_simple(XEN_DOMCTL_pausedomain, TARGET),
           -XEN_ESRCH);
    expect("destroydomain(d1) again", xtf_domctl_simple(XEN_DOMCTL_destroydomain, TARGET),
           -XEN_ESRCH);
}

void test_main(void)
{
    struct xen_domctl_getdomaininfo info;

    if ( xtf_getdomaininfo(TARGET, &info) )
    {
        xtf_error("d%u (the counter) does not exist", TARGET);
        return;
    }
    check_errors();
    check_max_mem();
    check_max_vcpus();
    check_destroy();
    xtf_success(NULL);
}
