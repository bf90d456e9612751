/*
 * apic.h - the local APIC in xAPIC (MMIO) mode: identity, end of
 * interrupt, the periodic timer that drives preemption, and IPIs.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <xen/types.h>

void pic_disable(void);   /* boot CPU, before interrupts are on */
void apic_init_cpu(void); /* enable this CPU's APIC */
uint32_t apic_id(void);
void apic_eoi(void);
void apic_timer_start(unsigned int hz); /* periodic, VECTOR_TIMER */
void apic_send_ipi(uint32_t apic_id, uint8_t vector);
void apic_send_init_sipi_all(uint32_t start_page);
void udelay(unsigned long us); /* calibrated against the PIT */
uint64_t now_us(void);         /* microseconds on this CPU's TSC */
void apic_calibrate(void);

#endif /* ASM_APIC_H */
