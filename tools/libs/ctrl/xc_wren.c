/* SPDX-License-Identifier: MIT */
/*
 * xc_wren.c - libxenctrl's xc_wren_* controls (xenctrl_wren.h): Wren's
 * own domctls and sysctl, which Xen's libxc does not have.
 *
 * Same envelope as every other domctl; nothing Wren-specific leaks into
 * the Xen-named wrappers.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"
#include "xenctrl_wren.h"
#include <xen/arch-x86/xen-mca.h>

/* wren_logdirty is not a named member of the domctl union: it lives in
 * the union's pad, which must be big enough for it. */
_Static_assert(sizeof(struct xen_domctl_wren_logdirty) <= sizeof(((struct xen_domctl *)0)->u.pad),
               "wren_logdirty fits the domctl union");

int xc_wren_p2m(xc_interface *xch, uint32_t domid, struct xen_domctl_wren_p2m *op)
{
    struct xen_domctl d = { 0 };

    if ( !op )
    {
        errno = EINVAL;
        return -1;
    }
    d.u.wren_p2m = *op;
    d.u.wren_p2m.pad = 0;
    if ( xc_domctl(xch, XEN_DOMCTL_wren_p2m, domid, &d) < 0 )
        return -1;
    *op = d.u.wren_p2m;
    return 0;
}

int xc_wren_logdirty_stats(xc_interface *xch, uint32_t domid,
                           struct xen_domctl_wren_logdirty *stats)
{
    struct xen_domctl d = { 0 };
    struct xen_domctl_wren_logdirty req = { .op = WREN_LOGDIRTY_GET_STATS };

    if ( !stats )
    {
        errno = EINVAL;
        return -1;
    }
    memcpy(d.u.pad, &req, sizeof(req));
    if ( xc_domctl(xch, XEN_DOMCTL_wren_logdirty, domid, &d) < 0 )
        return -1;
    memcpy(stats, d.u.pad, sizeof(*stats));
    return 0;
}

_Static_assert(sizeof(struct xen_domctl_wren_dirty_ring) <= sizeof(((struct xen_domctl *)0)->u.pad),
               "wren_dirty_ring fits the domctl union");

/* One dirty-ring call; *r is IN and, on success, OUT. */
static int dirty_ring_call(xc_interface *xch, uint32_t domid, struct xen_domctl_wren_dirty_ring *r)
{
    struct xen_domctl d = { 0 };

    memcpy(d.u.pad, r, sizeof(*r));
    if ( xc_domctl(xch, XEN_DOMCTL_wren_dirty_ring, domid, &d) < 0 )
        return -1;
    memcpy(r, d.u.pad, sizeof(*r));
    return 0;
}

int xc_wren_dirty_ring_enable(xc_interface *xch, uint32_t domid, uint32_t entries)
{
    struct xen_domctl_wren_dirty_ring r = { .op = WREN_DIRTY_RING_ENABLE, .entries = entries };

    return dirty_ring_call(xch, domid, &r);
}

int xc_wren_dirty_ring_disable(xc_interface *xch, uint32_t domid)
{
    struct xen_domctl_wren_dirty_ring r = { .op = WREN_DIRTY_RING_DISABLE };

    return dirty_ring_call(xch, domid, &r);
}

int xc_wren_dirty_ring_status(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                              struct xen_domctl_wren_dirty_ring *st)
{
    struct xen_domctl_wren_dirty_ring r = { .op = WREN_DIRTY_RING_STATUS, .vcpu = vcpu };

    if ( !st )
    {
        errno = EINVAL;
        return -1;
    }
    if ( dirty_ring_call(xch, domid, &r) )
        return -1;
    *st = r;
    return 0;
}

int xc_wren_dirty_ring_harvest(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                               struct xen_wren_dirty_entry *buf, uint32_t max,
                               struct xen_domctl_wren_dirty_ring *st)
{
    size_t len = (size_t)max * sizeof(*buf);
    struct xen_domctl_wren_dirty_ring r = { .op = WREN_DIRTY_RING_HARVEST,
                                            .vcpu = vcpu,
                                            .max = max };
    void *bounce;
    int rc;

    if ( !buf || !max || max > WREN_DIRTY_RING_MAX_ENTRIES )
    {
        errno = EINVAL;
        return -1;
    }
    bounce = xc_bounce_in(xch, NULL, len);
    if ( !bounce )
        return -1;
    r.buffer = (uint64_t)(uintptr_t)bounce;
    rc = dirty_ring_call(xch, domid, &r);
    if ( !rc && r.count > max )
    {
        errno = EIO; /* the hypervisor said it wrote more than we gave it */
        rc = -1;
    }
    xc_bounce_out(xch, bounce, rc ? NULL : buf, rc ? 0 : (size_t)r.count * sizeof(*buf));
    if ( rc )
        return -1;
    if ( st )
        *st = r;
    return (int)r.count;
}

int xc_wren_vcpu_load(xc_interface *xch, struct xen_sysctl_wren_vcpu_load *load)
{
    struct xen_sysctl s = { 0 };

    if ( !load )
    {
        errno = EINVAL;
        return -1;
    }
    if ( xc_sysctl(xch, XEN_SYSCTL_wren_vcpu_load, &s) < 0 )
        return -1;
    *load = s.u.wren_vcpu_load;
    return 0;
}

int xc_wren_link(xc_interface *xch, struct xen_sysctl_wren_link *l)
{
    struct xen_sysctl s = { 0 };

    if ( !l )
    {
        errno = EINVAL;
        return -1;
    }
    if ( xc_sysctl(xch, XEN_SYSCTL_wren_link, &s) < 0 )
        return -1;
    *l = s.u.wren_link;
    return 0;
}

int xc_wren_frame(xc_interface *xch, struct xen_sysctl_wren_frame *f)
{
    struct xen_sysctl s = { 0 };

    if ( !f )
    {
        errno = EINVAL;
        return -1;
    }
    s.u.wren_frame = *f;
    if ( xc_sysctl(xch, XEN_SYSCTL_wren_frame, &s) < 0 )
        return -1;
    *f = s.u.wren_frame;
    return 0;
}

int xc_mca_op(xc_interface *xch, struct xen_mc *mc)
{
    if ( !mc )
    {
        errno = EINVAL;
        return -1;
    }
    mc->interface_version = XEN_MCA_INTERFACE_VERSION;
    return xc_bounce_call(xch, __HYPERVISOR_mca, mc, sizeof(*mc));
}

#define MCE_MSR_MCG_STATUS 0x17a
#define MCE_MSR_MC1_STATUS 0x405
#define MCE_MSR_MC1_ADDR   0x406
#define MCE_MSR_MC1_MISC   0x407
#define MCE_INJ_MCG_STATUS 0x5ULL                /* MCIP | RIPV */
#define MCE_INJ_STATUS     0xbd8000000000009fULL /* VAL UC EN MISCV ADDRV S AR, mem read */
#define MCE_INJ_MISC       0x8cULL               /* physical address, from bit 12 */

int xc_wren_break_gfn(xc_interface *xch, uint32_t cpu, uint32_t domid, uint64_t gfn,
                      uint32_t offset)
{
    struct xen_mc mc = { .cmd = XEN_MC_msrinject };
    struct xen_mc_msrinject *m = &mc.u.mc_msrinject;

    if ( domid >= DOMID_FIRST_RESERVED || offset >= 4096 || gfn >> 52 )
    {
        errno = EINVAL;
        return -1;
    }
    m->mcinj_cpunr = cpu;
    m->mcinj_flags = MC_MSRINJ_F_INTERPOSE | MC_MSRINJ_F_GPADDR;
    m->mcinj_domid = (domid_t)domid;
    m->mcinj_count = 4;
    m->mcinj_msr[0] = (xen_mcinfo_msr_t){ MCE_MSR_MCG_STATUS, MCE_INJ_MCG_STATUS };
    m->mcinj_msr[1] = (xen_mcinfo_msr_t){ MCE_MSR_MC1_STATUS, MCE_INJ_STATUS };
    m->mcinj_msr[2] = (xen_mcinfo_msr_t){ MCE_MSR_MC1_ADDR, (gfn << 12) | offset };
    m->mcinj_msr[3] = (xen_mcinfo_msr_t){ MCE_MSR_MC1_MISC, MCE_INJ_MISC };
    if ( xc_mca_op(xch, &mc) )
        return -1;
    mc = (struct xen_mc){ .cmd = XEN_MC_mceinject };
    mc.u.mc_mceinject.mceinj_cpunr = cpu;
    return xc_mca_op(xch, &mc);
}
