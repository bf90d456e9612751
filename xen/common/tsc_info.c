/*
 * tsc_info.c - XEN_DOMCTL_gettscinfo and XEN_DOMCTL_settscinfo: what the
 * migration stream's X86_TSC_INFO record carries (tsc_mode, gtsc_khz,
 * elapsed_nsec, incarnation).
 *
 * Wren's guests read the host's TSC unchanged (time.c), and their pvclock
 * is the host's system time, so a domain's clock is the host's: get
 * reports Xen's default mode, the host's rate and NOW() as the time
 * elapsed; set accepts what keeps that true on this host (the default
 * mode, rate 0 or the host's, an elapsed time not ahead of NOW(): the
 * guest's clock can only carry on forward) and counts the incarnation as
 * Xen does. A rate or origin of another host needs TSC scaling and an
 * offset (live migration between machines): -EOPNOTSUPP until then.
 *
 * May not touch: the guest's TSC or pvclock (time.c writes them).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <xen/timer.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/domctl.h>

static uint32_t host_khz(void)
{
    return (uint32_t)(arch_cycles_hz() / 1000);
}

static int tsc_info_check(const struct xen_domctl_tsc_info *t)
{
    if ( t->pad )
        return -EINVAL;
    if ( t->tsc_mode > XEN_TSC_MODE_NEVER_EMULATE )
        return -EINVAL;
    if ( t->tsc_mode != XEN_TSC_MODE_DEFAULT )
        return -EOPNOTSUPP;
    if ( t->gtsc_khz && t->gtsc_khz != host_khz() )
        return -EOPNOTSUPP; /* would need TSC scaling */
    if ( t->elapsed_nsec > (uint64_t)NOW() )
        return -EOPNOTSUPP; /* the guest's clock would go backwards */
    return 0;
}

long domctl_tscinfo(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    struct xen_domctl_tsc_info *t = &op->u.tsc_info;
    int rc;

    if ( d == current->domain )
        return -EINVAL;
    if ( op->cmd == XEN_DOMCTL_settscinfo )
    {
        rc = tsc_info_check(t);
        if ( !rc )
            d->tsc_incarnation = t->incarnation + 1; /* as Xen: one more life */
        return rc;
    }
    *t = (struct xen_domctl_tsc_info){
        .tsc_mode = XEN_TSC_MODE_DEFAULT,
        .gtsc_khz = host_khz(),
        .incarnation = d->tsc_incarnation,
        .elapsed_nsec = (uint64_t)NOW(),
    };
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}
