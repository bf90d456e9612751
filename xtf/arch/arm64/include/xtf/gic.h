/*
 * gic.h (arm64 XTF) - a test kernel's side of the virtual GICv3 Wren
 * gives guests (Xen on Arm's layout): this vCPU's redistributor woken
 * and its private interrupts enabled, the system-register CPU interface
 * on, interrupts taken at EL1 (vectors.S, IRQ from the current EL) into
 * a handler the test sets, SGIs to other vCPUs. Declares only.
 */
#ifndef XTF_GIC_H
#define XTF_GIC_H

#include <xtf/types.h>

#define XTF_GICD_BASE      0x03001000UL
#define XTF_GICR_BASE      0x03020000UL
#define XTF_GICR_STRIDE    0x20000UL
#define XTF_PPI_VTIMER     27 /* GUEST_TIMER_VIRT_PPI */
#define XTF_PPI_EVTCHN     31 /* GUEST_EVTCHN_PPI */
#define XTF_INTID_SPURIOUS 1023

/* This vCPU (its number: MPIDR Aff0): wake its redistributor, turn on
 * the CPU interface (SRE, PMR 0xff, Group 1). IRQs stay masked. */
void xtf_gic_cpu_init(unsigned int vcpu);
/* Enable private interrupt intid (0-31) on vCPU vcpu's redistributor. */
void xtf_gic_enable(unsigned int vcpu, unsigned int intid);
/* Send SGI intid (0-15) to vCPU target (Aff0) by ICC_SGI1R_EL1. */
void xtf_gic_send_sgi(unsigned int target, unsigned int intid);
/* Called by the IRQ vector with each acknowledged INTID, before its
 * end of interrupt. NULL: an IRQ is a FAILURE. */
extern void (*xtf_irq_handler)(unsigned int intid);
/* The runtime's: vectors.S's IRQ entry calls it. */
void xtf_irq_entry(void);

static inline void xtf_irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void xtf_irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

#endif /* XTF_GIC_H */
