/*
 * dirty-ring-vcpus - the dirty rings cover the vCPUs the target
 * (logdirty-target, domain 1, two vCPUs) had at ENABLE. Raising its
 * max_vcpus afterwards (XEN_DOMCTL_max_vcpus, to 8) adds vCPUs with no
 * ring of their own: STATUS and HARVEST naming one of them are -EINVAL,
 * and nr_rings still says 2. The ring array holds 3 rings (two vCPUs
 * and NO_VCPU): a vCPU id checked against max_vcpus instead would make
 * vCPU 2 the NO_VCPU ring and vCPU 7 a read (and a HARVEST a write)
 * past the array's end.
 *
 * May not touch: any domain but the target; it is left with log-dirty
 * off and 8 vCPUs.
 */
#include <xtf/sysctl.h>

#include "../logdirty-lib/ctl.c"
#include "../dirty-ring-lib/ring.c"

const char test_title[] = "dirty ring: vCPUs added after ENABLE";

#define GROWN_VCPUS 8

static void expect(long rc, long want, const char *what)
{
    if ( rc != want )
        xtf_failure("%s: %ld, expected %ld", what, rc, want);
}

static long raise_max_vcpus(uint32_t max)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_max_vcpus, .domain = LD_TARGET };

    d.u.max_vcpus.max = max;
    return hypercall_domctl(&d);
}

static void check_grown(void)
{
    struct xen_domctl_wren_dirty_ring r;
    static char what[64];

    for ( uint32_t v = 2; v < GROWN_VCPUS; v++ )
    {
        snprintf(what, sizeof(what), "STATUS of vCPU %u, added after ENABLE", v);
        expect(dr_status(v, &r), -XEN_EINVAL, what);
    }
    expect(dr_harvest(2, dr_buf, DR_BUF, &r), -XEN_EINVAL, "HARVEST of vCPU 2, added after ENABLE");
    expect(dr_status(1, &r), 0, "STATUS of vCPU 1");
    if ( r.nr_rings != 2 )
        xtf_failure("nr_rings %u after max_vcpus grew, expected 2", r.nr_rings);
    expect(dr_status(DR_NO_VCPU, &r), 0, "STATUS of the no-vCPU ring");
}

void test_main(void)
{
    struct xen_domctl_wren_logdirty s;

    if ( !ld_attach() )
        return;
    expect(ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0), 0, "log-dirty ENABLE");
    if ( !ld_get_stats(&s) )
        return;
    expect(dr_enable(s.mech == WREN_LOGDIRTY_MECH_PML ? 2048 : 128), 0, "ENABLE");
    expect(raise_max_vcpus(GROWN_VCPUS), 0, "max_vcpus raised to 8");
    check_grown();
    expect(dr_disable(), 0, "DISABLE");
    expect(ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_OFF, 0), 0, "log-dirty OFF");
    ld_audit("at the end");
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
