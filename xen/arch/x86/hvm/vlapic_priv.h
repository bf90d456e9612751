/*
 * vlapic_priv.h - what vlapic.c and vlapic_timer.c share and nobody else
 * may use.
 */
#ifndef HVM_VLAPIC_PRIV_H
#define HVM_VLAPIC_PRIV_H

#include <xen/types.h>

struct vcpu;

#define LVT_TIMER_MODE_MASK    (3U << 17)
#define LVT_TIMER_ONESHOT      (0U << 17)
#define LVT_TIMER_PERIODIC     (1U << 17)
#define LVT_TIMER_TSC_DEADLINE (2U << 17)

uint32_t vlapic_id(const struct vcpu *v);
void vlapic_do_init(struct vcpu *t);
void vlapic_do_sipi(struct vcpu *t, uint8_t vec);

/* vlapic_timer.c. With the vlapic lock held: set_count, current,
 * mode_changed. Without it: the rest. */
void vlapic_timer_init(struct vcpu *v);
void vlapic_timer_kill(struct vcpu *v);
void vlapic_timer_stop(struct vcpu *v);
void vlapic_timer_set_count(struct vcpu *v, uint32_t count);
uint32_t vlapic_timer_current(struct vcpu *v);
void vlapic_timer_mode_changed(struct vcpu *v);
uint64_t vlapic_timer_deadline(struct vcpu *v);
void vlapic_timer_set_deadline(struct vcpu *v, uint64_t tsc);

#endif /* HVM_VLAPIC_PRIV_H */
