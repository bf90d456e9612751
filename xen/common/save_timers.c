/*
 * save_timers.c - Wren's WREN_VCPU_TIMERS record of the HVM context
 * (public/hvm/save.h): a vCPU's VCPUOP singleshot and periodic timers,
 * which Xen's records do not carry, as absolute system times of the
 * domain's own clock (domain_time.c), converted from and to the host's
 * timers here. A guest
 * that armed one before the save gets its event after the restore, at
 * the time it asked for (or at once if that passed while it was away).
 *
 * May not touch: the poll timeout (a vCPU is never saved mid-poll: the
 * pause ends it) or any other vCPU state; the timers only through
 * xen/timer.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/timer.h>
#include <xen/hvm_save.h>
#include <public/hvm/save.h>

/* time.c's bounds on a VCPUOP periodic timer. */
#define PERIOD_MIN MILLISECS(1)
#define PERIOD_MAX ((s_time_t)(~0ULL >> 2))

/* A host expiry in the guest's terms, never 0 (0 is "not armed"). */
static uint64_t guest_time(const struct domain *d, s_time_t when)
{
    s_time_t t = host_to_domain_time(d, when);

    return t > 0 ? (uint64_t)t : 1;
}

void hvm_timers_save(struct vcpu *v, struct hvm_wren_vcpu_timers *r)
{
    s_time_t when, period;

    memset(r, 0, sizeof(*r));
    if ( timer_read(&v->timers.singleshot, &when, &period) )
        r->singleshot = guest_time(v->domain, when);
    if ( timer_read(&v->timers.periodic, &when, &period) && period )
    {
        r->periodic = guest_time(v->domain, when);
        r->period = (uint64_t)period;
    }
}

int hvm_timers_check(struct vcpu *v, const struct hvm_wren_vcpu_timers *r)
{
    if ( r->singleshot > (uint64_t)PERIOD_MAX || r->periodic > (uint64_t)PERIOD_MAX )
        return -EINVAL;
    if ( !r->periodic != !r->period )
        return -EINVAL;
    if ( r->period && (r->period < (uint64_t)PERIOD_MIN || r->period > (uint64_t)PERIOD_MAX) )
        return -EINVAL;
    return 0;
}

int hvm_timers_load(struct vcpu *v, const struct hvm_wren_vcpu_timers *r)
{
    stop_timer(&v->timers.singleshot);
    stop_timer(&v->timers.periodic);
    if ( r->singleshot )
        set_timer(&v->timers.singleshot, domain_to_host_time(v->domain, (s_time_t)r->singleshot));
    if ( r->periodic )
        set_timer_periodic(&v->timers.periodic,
                           domain_to_host_time(v->domain, (s_time_t)r->periodic),
                           (s_time_t)r->period);
    return 0;
}
