/*
 * time.h - guest time: the pvclock record in each vcpu_info, the
 * wallclock in shared_info, and the per-vCPU timers of the guest ABI.
 * NOW() and struct timer are timer.h's.
 */
#ifndef XEN_TIME_H
#define XEN_TIME_H

#include <xen/types.h>

struct vcpu;
struct domain;

/* Boot, once, after timer_init: read the wallclock. */
void time_boot_init(void);
/* A new domain's shared_info: the wallclock at system time 0. */
void time_domain_init(struct domain *d);
/* Rewrite v's vcpu_time_info (version odd while writing). The scheduler
 * calls it before v enters the guest; call it too when v's vcpu_info
 * moves (VCPUOP_register_vcpu_info). Nothing if v has no vcpu_info. */
void vcpu_time_update(struct vcpu *v);

#endif /* XEN_TIME_H */
