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

/* vlapic.c, for vlapic_save.c (lock held): a register as the guest reads
 * it (off: its MMIO offset), the writable bits of LVT entry i, the LDR
 * x2APIC mode derives from an ID. */
uint32_t vlapic_read_reg(struct vcpu *v, unsigned int off);
uint32_t vlapic_lvt_writable(unsigned int i);
uint32_t vlapic_x2apic_ldr(uint32_t id);

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
/* Restore (lock held, v paused): arm the timer again from the registers
 * loaded, a count running with ccr (the current count) left (0: a one-shot that
 * already fired), or the deadline in TSC-deadline mode. */
void vlapic_timer_restore(struct vcpu *v, uint32_t ccr);

#endif /* HVM_VLAPIC_PRIV_H */
