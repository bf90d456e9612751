/*
 * time.h - guest time: the pvclock record in each vcpu_info, the
 * wallclock in shared_info, and the per-vCPU timers of the guest ABI.
 * NOW() and struct timer are timer.h's.
 */
#ifndef XEN_TIME_H
#define XEN_TIME_H

#include <xen/types.h>
#include <xen/timer.h>
#include <xen/time_scale.h>

struct vcpu;
struct domain;

/* A vCPU's guest-visible timers (in struct vcpu). */
struct vcpu_timers
{
    struct timer singleshot; /* VCPUOP_set_singleshot_timer */
    struct timer periodic;   /* VCPUOP_set_periodic_timer */
    struct timer poll;       /* SCHEDOP_poll's timeout */
};

/*
 * A domain's own time (domain_time.c): its TSC runs at khz, as the host's
 * count times ratio plus tsc_offset, and its system time is
 * base + scale(count - origin), count being the host's TSC times ratio
 * (without the offset). A new domain's is the host's: ratio 1, offset 0,
 * NOW()'s scale and origin, base 0. Written only while the domain is
 * paused (settscinfo, the CPU record's load).
 */
struct domain_time
{
    uint32_t khz;            /* the guest's TSC rate, as gettscinfo says it */
    bool emulated;           /* a rate not the host's: RDTSC(P) exit */
    uint64_t ratio;          /* guest count per host count, 32.32 */
    struct time_scale scale; /* guest count to ns */
    uint64_t origin;         /* guest count at system time base */
    uint64_t base;           /* the guest's system time at origin */
    uint64_t tsc_offset;     /* guest TSC - guest count (mod 2^64) */
};

/* Boot, once, after timer_init: read the wallclock. */
void time_boot_init(void);
/* A new domain's shared_info: the wallclock at system time 0. */
void time_domain_init(struct domain *d);
/* Rewrite v's vcpu_time_info (version odd while writing). The scheduler
 * calls it before v enters the guest; call it too when v's vcpu_info
 * moves (VCPUOP_register_vcpu_info). Nothing if v has no vcpu_info. */
void vcpu_time_update(struct vcpu *v);

/* vcpu_create: the timers exist (disarmed). */
void vcpu_timers_init(struct vcpu *v);
/* Disarm v's timers for good and wait out running handlers: after this
 * no timer touches v. Before v is freed; any number of times. */
void vcpu_timers_kill(struct vcpu *v);
/* v's domain's clock moved ahead by delta ns: its armed timers keep
 * their deadlines on that clock. */
void vcpu_timers_shift(struct vcpu *v, s_time_t delta);
/* VCPUOP_{set,stop}_{singleshot,periodic}_timer on v, a vCPU of the
 * caller's domain; -ENOSYS for any other cmd. */
long vcpu_timer_op(unsigned int cmd, struct vcpu *v, uint64_t arg);

/* ---- a domain's own time (domain_time.c) ---- */

/* domain_create: the host's time, unscaled. */
void domain_time_init(struct domain *d);
/* The domain's system time now: what its pvclock says. */
s_time_t domain_now(const struct domain *d);
/* The host time (NOW() terms) at which d's clock reads t, and back: what
 * a timer is armed with for a guest's deadline, and what a save reports
 * of an armed timer. Never earlier than d's clock says. */
s_time_t domain_to_host_time(const struct domain *d, s_time_t t);
s_time_t host_to_domain_time(const struct domain *d, s_time_t h);
/* The guest's TSC now, and the host time at which it reads tsc (past
 * values: now). */
uint64_t domain_tsc(const struct domain *d);
s_time_t domain_tsc_to_host_time(const struct domain *d, uint64_t tsc);
/* The guest's count now: its TSC without the offset (time.c's record). */
uint64_t domain_count(const struct domain *d);
/* The CPU record's TSC: the guest's TSC reads tsc from now on. */
void domain_tsc_set(struct domain *d, uint64_t tsc);
/* settscinfo: khz (checked by the caller, not 0) and the time the guest's clock
 * carries on from; the TSC value and every vCPU's runstate carry on. */
void domain_time_set(struct domain *d, uint32_t khz, uint64_t elapsed);

#endif /* XEN_TIME_H */
