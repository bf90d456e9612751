/*
 * time.c - what a guest sees of time: the pvclock (vcpu_time_info) in
 * each vcpu_info, and the wallclock in shared_info.
 *
 * Both are in the domain's own terms (domain_time.c): its system time
 * and its TSC, which are the host's for a domain that never moved. The
 * pvclock uses the domain's scale and origin, with a tsc_timestamp on an
 * exact step of that scale (time_scale_exact_step): the guest's
 * system_time + scale(TSC - tsc_timestamp) is then the domain's clock to
 * the nanosecond, on every vCPU, whichever record it read, so the clock
 * is monotonic across vCPUs and records without any correction. The
 * wallclock is the host's at the domain's system time 0, so that
 * wallclock + system time is the real time on any host.
 *
 * The VCPUOP timers (singleshot, periodic) raise VIRQ_TIMER on their vCPU
 * from timer handlers; SCHEDOP_poll's timeout ends the poll (schedule.c).
 * Their deadlines are the guest's system times, armed at the host times
 * domain_to_host_time gives. They die with the vCPU: vcpu_timers_kill
 * before it is freed.
 *
 * May not touch: anything in shared_info or vcpu_info but the time and
 * wallclock fields; events only through send_guest_vcpu_virq.
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <xen/event.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/time_scale.h>
#include <xen/shared_layout.h>
#include <xen/errno.h>
#include <xen/guest_access.h>
#include <public/xen.h>
#include <public/vcpu.h>

static uint64_t boot_wc_ns; /* wallclock at host system time 0 */
static uint8_t pvclock_flags;

void time_boot_init(void)
{
    uint64_t secs = arch_wallclock_seconds();
    uint64_t now = (uint64_t)NOW();
    uint64_t wc_ns = secs * NSEC_PER_SEC;

    boot_wc_ns = wc_ns > now ? wc_ns - now : 0;
    if ( arch_cycles_invariant() )
        pvclock_flags |= XEN_PVCLOCK_TSC_STABLE_BIT;
    printk("Time: wallclock %lu s since 1970 at boot, TSC %s\n",
           (unsigned long)(boot_wc_ns / NSEC_PER_SEC),
           pvclock_flags & XEN_PVCLOCK_TSC_STABLE_BIT ? "invariant" : "not invariant");
}

/* A guest-visible version number: odd while the fields change. The
 * stores are ordered for another CPU (x86 keeps stores in order; the
 * barrier keeps the compiler from moving them). */
static void version_begin(uint32_t *version)
{
    ACCESS_ONCE(*version) = (ACCESS_ONCE(*version) + 1) | 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void version_end(uint32_t *version)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    ACCESS_ONCE(*version) = ACCESS_ONCE(*version) + 1;
}

/* A 32-bit field of shared_info at a byte offset of d's layout. */
static uint32_t *wc_field(void *s, unsigned int offset)
{
    return (uint32_t *)((uint8_t *)s + offset);
}

/* The wallclock at d's system time 0: the host's, moved by as much as
 * d's clock is ahead of the host's (none before 1970). */
static uint64_t domain_wc_ns(const struct domain *d)
{
    int64_t ahead = domain_now(d) - NOW();

    if ( ahead > 0 && (uint64_t)ahead > boot_wc_ns )
        return 0;
    return boot_wc_ns - (uint64_t)ahead;
}

/* The wallclock, at the offsets of the layout d has latched (a 32-bit
 * guest's are elsewhere, its wc_sec_hi in arch). Written again when the
 * layout changes (shinfo_latch) and when d's clock is set (settscinfo). */
void time_domain_init(struct domain *d)
{
    const struct shinfo_layout *l = shinfo_layout(d);
    void *s = d->shared_info;
    uint64_t wc_ns = domain_wc_ns(d), wc_sec = wc_ns / NSEC_PER_SEC;
    uint32_t *version;

    if ( !s )
        return;
    version = wc_field(s, l->wc_version);
    version_begin(version);
    ACCESS_ONCE(*wc_field(s, l->wc_sec)) = (uint32_t)wc_sec;
    ACCESS_ONCE(*wc_field(s, l->wc_sec_hi)) = (uint32_t)(wc_sec >> 32);
    ACCESS_ONCE(*wc_field(s, l->wc_nsec)) = (uint32_t)(wc_ns % NSEC_PER_SEC);
    version_end(version);
}

void vcpu_time_update(struct vcpu *v)
{
    struct vcpu_info *vi = vcpu_info_of(v);
    const struct domain_time *dt = &v->domain->time;
    struct vcpu_time_info *t;
    uint64_t step, stamp;

    if ( !vi )
        return;
    t = &vi->time;
    step = time_scale_exact_step(dt->scale);
    stamp = dt->origin + (domain_count(v->domain) - dt->origin) / step * step;
    version_begin(&t->version);
    t->tsc_timestamp = stamp + dt->tsc_offset;
    t->system_time = dt->base + time_scale_apply(dt->scale, stamp - dt->origin);
    t->tsc_to_system_mul = dt->scale.mul;
    t->tsc_shift = dt->scale.shift;
    t->flags = pvclock_flags;
    version_end(&t->version);
}

/* ---- VCPUOP timers ------------------------------------------------------- */

/* Xen's bound: NOW() + period never overflows in 200 years of uptime. */
#define PERIOD_MAX ((s_time_t)(~0ULL >> 2))

/* Singleshot and periodic alike: the event is all there is to do. */
static void timer_event_fn(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

static void poll_timeout_fn(void *data)
{
    sched_poll_timeout(data);
}

void vcpu_timers_init(struct vcpu *v)
{
    init_timer(&v->timers.singleshot, timer_event_fn, v);
    init_timer(&v->timers.periodic, timer_event_fn, v);
    init_timer(&v->timers.poll, poll_timeout_fn, v);
}

void vcpu_timers_kill(struct vcpu *v)
{
    kill_timer(&v->timers.singleshot);
    kill_timer(&v->timers.periodic);
    kill_timer(&v->timers.poll);
}

/* d's clock moved ahead by delta (settscinfo): the deadlines the guest
 * asked for stay where they are on its clock, so each armed timer fires
 * delta earlier on the host's. */
static void timer_shift(struct timer *t, s_time_t delta)
{
    s_time_t when, period;

    if ( !timer_read(t, &when, &period) )
        return;
    if ( period )
        set_timer_periodic(t, when - delta, period);
    else
        set_timer(t, when - delta);
}

void vcpu_timers_shift(struct vcpu *v, s_time_t delta)
{
    timer_shift(&v->timers.singleshot, delta);
    timer_shift(&v->timers.periodic, delta);
    timer_shift(&v->timers.poll, delta);
}

/* Xen: the period is at least 1 ms and at most PERIOD_MAX (-EINVAL);
 * the first event comes one period from now. Any vCPU of the domain. */
static long set_periodic(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_periodic_timer p;

    if ( copy_from_guest(&p, arg, sizeof(p)) )
        return -EFAULT;
    if ( p.period_ns < (uint64_t)MILLISECS(1) || p.period_ns > (uint64_t)PERIOD_MAX )
        return -EINVAL;
    /* A period is a length, the same on either clock: only deadlines
     * need converting. */
    set_timer_periodic(&v->timers.periodic, NOW() + (s_time_t)p.period_ns, (s_time_t)p.period_ns);
    return 0;
}

static long stop_periodic(struct vcpu *v)
{
    stop_timer(&v->timers.periodic);
    return 0;
}

/* Xen: only the caller's own vCPU (-EINVAL); with VCPU_SSHOTTMR_future a
 * deadline already past is -ETIME, without it the event comes at once.
 * (Xen 4.19 and later ignore the flag and always send the event.) */
static long set_singleshot(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_singleshot_timer s;

    if ( v != current )
        return -EINVAL;
    if ( copy_from_guest(&s, arg, sizeof(s)) )
        return -EFAULT;
    if ( (s.flags & VCPU_SSHOTTMR_future) && (s_time_t)s.timeout_abs_ns < domain_now(v->domain) )
        return -ETIME;
    set_timer(&v->timers.singleshot, domain_to_host_time(v->domain, (s_time_t)s.timeout_abs_ns));
    return 0;
}

long vcpu_timer_op(unsigned int cmd, struct vcpu *v, uint64_t arg)
{
    switch ( cmd )
    {
    case VCPUOP_set_periodic_timer: return set_periodic(v, arg);
    case VCPUOP_stop_periodic_timer: return stop_periodic(v);
    case VCPUOP_set_singleshot_timer: return set_singleshot(v, arg);
    case VCPUOP_stop_singleshot_timer:
        if ( v != current )
            return -EINVAL;
        stop_timer(&v->timers.singleshot);
        return 0;
    default: return -ENOSYS;
    }
}

/* The old PV timer call (hypercall 15), which Linux falls back to when
 * the VCPUOP singleshot timer is missing, and Xen offers every guest:
 * the caller's singleshot timer at an absolute system time; 0 stops it.
 * A deadline more than 2^50 ns (about 13 days) ahead is a guest bug Xen
 * clamps to a week; so does Wren. */
long do_set_timer_op(uint64_t timeout)
{
    struct vcpu *v = current;
    s_time_t now = domain_now(v->domain), when = (s_time_t)timeout;

    if ( !timeout )
    {
        stop_timer(&v->timers.singleshot);
        return 0;
    }
    if ( when > now && (uint64_t)(when - now) >> 50 )
        when = now + SECONDS(7 * 86400);
    set_timer(&v->timers.singleshot, domain_to_host_time(v->domain, when));
    return 0;
}
