/*
 * time.h - guest time: the pvclock record in each vcpu_info, the
 * wallclock in shared_info, and the per-vCPU timers of the guest ABI.
 * NOW() and struct timer are timer.h's.
 */
#ifndef XEN_TIME_H
#define XEN_TIME_H

#include <xen/types.h>
#include <xen/timer.h>

struct vcpu;
struct domain;

/* A vCPU's guest-visible timers (in struct vcpu). */
struct vcpu_timers
{
    struct timer singleshot; /* VCPUOP_set_singleshot_timer */
    struct timer periodic;   /* VCPUOP_set_periodic_timer */
    struct timer poll;       /* SCHEDOP_poll's timeout */
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
/* VCPUOP_{set,stop}_{singleshot,periodic}_timer on v, a vCPU of the
 * caller's domain; -ENOSYS for any other cmd. */
long vcpu_timer_op(unsigned int cmd, struct vcpu *v, uint64_t arg);

#endif /* XEN_TIME_H */
