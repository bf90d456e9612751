/*
 * tsc_info.c - XEN_DOMCTL_gettscinfo and XEN_DOMCTL_settscinfo: what the
 * migration stream's X86_TSC_INFO record carries (tsc_mode, gtsc_khz,
 * elapsed_nsec, incarnation).
 *
 * A domain's time is its own (domain_time.c): get reports Xen's default
 * mode, the guest's TSC rate and the guest's own system time as the
 * time elapsed. Set, on a paused domain, gives it a rate (the host's,
 * or another host's: the TSC is scaled, RDTSC emulated) and makes
 * its clock carry on from elapsed_nsec, whatever this host's NOW(); it
 * counts the incarnation as Xen does. Refused: padding, a mode Wren does
 * not have, a rate of 0 (Xen reads it as the host's; Wren's streams
 * always name one, so a 0 is a broken stream), below 1 MHz or beyond 16
 * times the host's either way, an elapsed time beyond 2^62 ns (the
 * bound of every deadline).
 *
 * May not touch: the guest's TSC or pvclock (domain_time.c and time.c
 * write them).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/domctl.h>

#define KHZ_MIN     1000ULL      /* 1 MHz */
#define RATIO_MAX   16           /* either way from the host's */
#define ELAPSED_MAX (~0ULL >> 2) /* time.c's and save_timers.c's bound */

static bool rate_ok(uint32_t khz)
{
    uint64_t host = arch_cycles_hz() / 1000;

    return khz >= KHZ_MIN && khz <= host * RATIO_MAX && (uint64_t)khz * RATIO_MAX >= host;
}

static int tsc_info_check(const struct domain *d, const struct xen_domctl_tsc_info *t)
{
    if ( t->pad )
        return -EINVAL;
    if ( t->tsc_mode > XEN_TSC_MODE_NEVER_EMULATE )
        return -EINVAL;
    if ( t->tsc_mode != XEN_TSC_MODE_DEFAULT )
        return -EOPNOTSUPP;
    if ( !rate_ok(t->gtsc_khz) || t->elapsed_nsec > ELAPSED_MAX )
        return -EINVAL;
    if ( !d->pause_count )
        return -EBUSY; /* its vCPUs could be reading the clock we change */
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
        rc = tsc_info_check(d, t);
        if ( rc )
            return rc;
        domain_time_set(d, t->gtsc_khz, t->elapsed_nsec);
        d->tsc_incarnation = t->incarnation + 1; /* as Xen: one more life */
        return 0;
    }
    *t = (struct xen_domctl_tsc_info){
        .tsc_mode = XEN_TSC_MODE_DEFAULT,
        .gtsc_khz = d->time.khz,
        .incarnation = d->tsc_incarnation,
        .elapsed_nsec = (uint64_t)domain_now(d),
    };
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}
