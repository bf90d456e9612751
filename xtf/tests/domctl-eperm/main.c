/*
 * domctl-eperm - an ordinary domain may not use the toolstack interface.
 *
 * Runs as domU 1 (dom0 is "idle"). Every domctl must fail with -EPERM
 * whether it targets dom0 or the caller itself, before the hypervisor
 * looks at anything else: getdomaininfo and max_mem first (harmless if
 * wrongly allowed), then pausedomain and destroydomain (if one of those
 * is wrongly allowed the run will likely hang or die without a verdict,
 * which the runner counts as failed too).
 *
 * The toolstack's build calls too (createdomain, getvcpuinfo,
 * setdomainhandle, get/sethvmcontext with valid arguments, the sysctls
 * readconsole and getdomaininfolist, and XENMEM_set_memory_map): -EPERM.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <public/memory.h>

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

/* Every toolstack build call, with arguments that would succeed. */
static void try_build_calls(domid_t d)
{
    static uint8_t ctx[XTF_HVM_CTX_ONE];
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    struct xen_domctl op = { .cmd = XEN_DOMCTL_setdomainhandle, .domain = d };
    struct xen_domctl_getvcpuinfo vi;
    uint32_t size = 0;

    expect_eperm("createdomain", 0, xtf_createdomain(0, &c, NULL));
    expect_eperm("getvcpuinfo", d, xtf_getvcpuinfo(d, 0, &vi));
    expect_eperm("setdomainhandle", d, hypercall_domctl(&op));
    expect_eperm("gethvmcontext", d, xtf_gethvmcontext(d, NULL, &size));
    expect_eperm("sethvmcontext", d, xtf_sethvmcontext(d, ctx, xtf_hvm_context_sample(ctx)));
}

static void try_host_calls(void)
{
    static char text[64];
    static struct xen_domctl_getdomaininfo infos[2];
    static struct xen_e820_entry e820 = { 0, 1 << 20, E820_RAM };
    struct xen_sysctl rc = { .cmd = XEN_SYSCTL_readconsole };
    struct xen_sysctl gl = { .cmd = XEN_SYSCTL_getdomaininfolist };
    struct xen_foreign_memory_map fm = { .domid = DOMID_SELF, .map.nr_entries = 1 };

    rc.u.readconsole.count = sizeof(text);
    set_xen_guest_handle(rc.u.readconsole.buffer, text);
    expect_eperm("readconsole", 0, hypercall_sysctl(&rc));
    gl.u.getdomaininfolist.max_domains = 2;
    set_xen_guest_handle(gl.u.getdomaininfolist.buffer, infos);
    expect_eperm("getdomaininfolist", 0, hypercall_sysctl(&gl));
    set_xen_guest_handle(fm.map.buffer, &e820);
    expect_eperm("set_memory_map", xtf_domid, hypercall_memory_op(XENMEM_set_memory_map, &fm));
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
        try_build_calls(targets[i]);
    }
    try_host_calls();

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
