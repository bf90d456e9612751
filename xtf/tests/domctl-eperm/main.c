/*
 * domctl-eperm - an ordinary domain may not use the toolstack interface.
 *
 * Runs as domU 1 (dom0 is "idle"). Every domctl must fail with -EPERM
 * whether it targets dom0 or the caller itself, before the hypervisor
 * looks at anything else: getdomaininfo and max_mem first (harmless if
 * wrongly allowed), then pausedomain and destroydomain (if one of those
 * is wrongly allowed the run will likely hang or die without a verdict,
 * which the runner counts as failed too).
 */
#include <xtf.h>

const char test_title[] = "domctl from an unprivileged domain is refused";

static void expect_eperm(const char *what, domid_t target, long rc)
{
    if ( rc == -XEN_EPERM )
        printf("  %-14s on d%u -> -EPERM: ok\n", what, target);
    else
        xtf_failure("%s on d%u returned %ld, expected -EPERM (%d)", what, target, rc, -XEN_EPERM);
}

static long try_getdomaininfo(domid_t d)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_getdomaininfo, .domain = d };

    return hypercall_domctl(&op);
}

static long try_max_mem(domid_t d)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_max_mem, .domain = d };

    op.u.max_mem.max_memkb = 1ULL << 30; /* 1 TiB: raising is harmless */
    return hypercall_domctl(&op);
}

void test_main(void)
{
    const domid_t targets[] = { 0, xtf_domid };
    long rc;

    if ( xtf_is_dom0 || xtf_domid == DOMID_INVALID )
    {
        xtf_error("must run as a domU with a known domid (domid %u)", xtf_domid);
        return;
    }

    for ( unsigned int i = 0; i < ARRAY_SIZE(targets); i++ )
    {
        expect_eperm("getdomaininfo", targets[i], try_getdomaininfo(targets[i]));
        expect_eperm("max_mem", targets[i], try_max_mem(targets[i]));
    }

    rc = xtf_domctl_simple(XEN_DOMCTL_pausedomain, 0);
    expect_eperm("pausedomain", 0, rc);
    if ( rc == 0 )
        xtf_domctl_simple(XEN_DOMCTL_unpausedomain, 0);
    expect_eperm("pausedomain", xtf_domid, xtf_domctl_simple(XEN_DOMCTL_pausedomain, xtf_domid));
    expect_eperm("destroydomain", 0, xtf_domctl_simple(XEN_DOMCTL_destroydomain, 0));
    expect_eperm("destroydomain", xtf_domid,
                 xtf_domctl_simple(XEN_DOMCTL_destroydomain, xtf_domid));
    xtf_success(NULL);
}
