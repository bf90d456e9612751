/*
 * domain_time.c - a domain's own time, as Xen's TSC modes give one: its
 * TSC at its own rate and its system time from its own origin, so that a
 * guest moved to a host with another TSC rate or another boot time sees
 * both carry on (docs/designs/save-restore.md, "Time across hosts").
 *
 * The guest count is the host's TSC times a 32.32 ratio (tsc_scale.h;
 * exactly the host's TSC at ratio 1). The guest's TSC is that count plus
 * an offset, and its system time is base + scale(count - origin), scale
 * being the count's own rate: the pvclock (time.c) hands the guest the
 * same scale, so its arithmetic and this file's agree to the nanosecond.
 * A new domain's time is the host's (NOW() and the host TSC).
 *
 * May not touch: the VMCB/VMCS (the vendor code reads d->time before each
 * entry), the pvclock records and shared_info (time.c), the timers
 * themselves (their owners convert deadlines through here; a clock that
 * jumps moves them only through time.c's vcpu_timers_shift).
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/time_scale.h>
#include <xen/tsc_scale.h>

/* The scheduler's lock (schedule.c): runstate times change under it. */
extern spinlock_t sched_lock;

/* Deadlines further than this (about 146 years) saturate. */
#define FAR_AHEAD ((s_time_t)(1ULL << 62))

void domain_time_init(struct domain *d)
{
    struct domain_time *t = &d->time;

    t->khz = (uint32_t)(arch_cycles_hz() / 1000);
    t->emulated = false;
    t->ratio = TSC_RATIO_ONE;
    time_get_scale(&t->scale, &t->origin);
    t->base = 0;
    t->tsc_offset = 0;
}

uint64_t domain_count(const struct domain *d)
{
    return tsc_scale(arch_cycles(), d->time.ratio);
}

uint64_t domain_tsc(const struct domain *d)
{
    return domain_count(d) + d->time.tsc_offset;
}

/* The host's system time at cycle count c: NOW()'s arithmetic. */
static s_time_t host_at(uint64_t c)
{
    struct time_scale s;
    uint64_t origin;

    time_get_scale(&s, &origin);
    return (s_time_t)time_scale_apply(s, c - origin);
}

/* d's system time at host cycle count c (mod 2^64: a base below the
 * host's clock is a negative offset). */
static s_time_t guest_at(const struct domain *d, uint64_t c)
{
    const struct domain_time *t = &d->time;

    return (s_time_t)(t->base + time_scale_apply(t->scale, tsc_scale(c, t->ratio) - t->origin));
}

s_time_t domain_now(const struct domain *d)
{
    return guest_at(d, arch_cycles());
}

/* Both clocks at one instant: at the host's rate they are a constant
 * apart, so converting a time there and back is exact. */
static void both_now(const struct domain *d, s_time_t *guest, s_time_t *host)
{
    uint64_t c = arch_cycles();

    *guest = guest_at(d, c);
    *host = host_at(c);
}

/* A host deadline delta ns after host, saturating; one ns more (and a
 * little per second) when the guest's scale is not the host's, so the
 * rounding of two scales never lets a timer fire before the guest's
 * clock reaches its deadline. */
static s_time_t host_after(const struct domain *d, s_time_t host, uint64_t delta)
{
    if ( d->time.emulated )
        delta += (delta >> 26) + 1;
    return host + (delta > (uint64_t)FAR_AHEAD ? FAR_AHEAD : (s_time_t)delta);
}

s_time_t domain_to_host_time(const struct domain *d, s_time_t t)
{
    s_time_t guest, host;

    both_now(d, &guest, &host);
    if ( t <= guest )
        return host;
    return host_after(d, host, (uint64_t)t - (uint64_t)guest);
}

s_time_t host_to_domain_time(const struct domain *d, s_time_t h)
{
    s_time_t guest, host;

    both_now(d, &guest, &host);
    return guest + (h - host);
}

s_time_t domain_tsc_to_host_time(const struct domain *d, uint64_t tsc)
{
    uint64_t now = domain_tsc(d), delta;

    if ( tsc <= now )
        return NOW();
    delta = tsc - now;
    if ( delta >> 50 ) /* beyond days at any rate Wren accepts */
        return NOW() + FAR_AHEAD;
    return host_after(d, NOW(), time_scale_apply(d->time.scale, delta));
}

void domain_tsc_set(struct domain *d, uint64_t tsc)
{
    d->time.tsc_offset = tsc - domain_count(d);
}

/* Every vCPU's run-state clock moves with the domain's. */
static void runstate_rebase(struct domain *d, uint64_t delta)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);

    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            d->vcpu[i]->runstate.state_entry_time += delta;
    spin_unlock_irqrestore(&sched_lock, f);
}

/* The rate: the host's (ratio 1, NOW()'s scale and origin, so the clock
 * is the host's plus a constant) or another (the count's own scale). */
static void set_rate(struct domain_time *t, uint32_t khz)
{
    uint64_t host_hz = arch_cycles_hz();

    t->khz = khz;
    t->emulated = khz != (uint32_t)(host_hz / 1000);
    if ( !t->emulated )
    {
        t->ratio = TSC_RATIO_ONE;
        time_get_scale(&t->scale, &t->origin);
        return;
    }
    t->ratio = tsc_ratio((uint64_t)khz * 1000, host_hz);
    t->scale = time_scale_for_hz(tsc_scaled_hz(host_hz, t->ratio));
}

/* The clock reads elapsed at host count c. */
static void set_origin(struct domain_time *t, uint64_t c, uint64_t elapsed)
{
    if ( !t->emulated )
    {
        t->base = elapsed - (uint64_t)host_at(c);
        return;
    }
    t->origin = tsc_scale(c, t->ratio);
    t->base = elapsed;
}

void domain_time_set(struct domain *d, uint32_t khz, uint64_t elapsed)
{
    struct domain_time *t = &d->time;
    uint64_t c = arch_cycles();
    uint64_t tsc = tsc_scale(c, t->ratio) + t->tsc_offset;
    s_time_t before = guest_at(d, c);

    set_rate(t, khz);
    set_origin(t, c, elapsed);
    t->tsc_offset = tsc - tsc_scale(c, t->ratio);
    runstate_rebase(d, elapsed - (uint64_t)before);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_timers_shift(d->vcpu[i], (s_time_t)(elapsed - (uint64_t)before));
    time_domain_init(d); /* the wallclock against the new origin */
}
