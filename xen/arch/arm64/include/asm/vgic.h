/*
 * vgic.h - the virtual GICv3 of arm64 guests (vgic.c, vgic_mmio.c): the
 * guest-physical frames (Xen on Arm's public layout), the PPIs Xen on
 * Arm guests expect, and what guest.c and exits.c call. Common code
 * never includes it.
 */
#ifndef ASM_VGIC_H
#define ASM_VGIC_H

#include <xen/types.h>

struct vcpu;

/* Xen's public arch-arm.h: GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICR0_BASE. */
#define VGIC_GICD_BASE   0x03001000UL
#define VGIC_GICD_SIZE   0x10000UL
#define VGIC_GICR_BASE   0x03020000UL
#define VGIC_GICR_STRIDE 0x20000UL
/* GUEST_TIMER_VIRT_PPI and GUEST_EVTCHN_PPI. */
#define VGIC_PPI_VTIMER 27
#define VGIC_PPI_EVTCHN 31

void vgic_cpu_init(void);
void vgic_vcpu_init(struct vcpu *v);
void vgic_vcpu_destroy(struct vcpu *v);
void vgic_switch_in(struct vcpu *v);
void vgic_switch_out(struct vcpu *v);
void vgic_flush(struct vcpu *v); /* before each entry, IRQs off */
void vgic_inject(struct vcpu *v, unsigned int intid);
void vgic_vtimer_irq(void); /* the physical PPI 27 at EL2 */
bool vgic_mmio(struct vcpu *v, uint64_t ipa, unsigned int size, bool write, uint64_t *val);
void vgic_sgi1r(struct vcpu *v, uint64_t val);

#endif /* ASM_VGIC_H */
