/*
 * gic.h - the physical GICv3 as the hypervisor drives it (gic.c): the
 * distributor, one redistributor and the system-register CPU interface
 * per CPU, interrupts taken at EL2, and the interrupt numbers it uses.
 * The register encodings of the CPU interface (Arm GICv3 architecture
 * specification, "ICC_*" and "ICH_*") for gic.c and vgic.c. Common code
 * never includes it.
 */
#ifndef ASM_GIC_H
#define ASM_GIC_H

#include <xen/types.h>

/* INTIDs: SGIs 0-15, PPIs 16-31 (QEMU virt's timer PPIs as Xen on Arm
 * uses them). */
#define GIC_SGI_KICK       0  /* "look at the scheduler again" */
#define GIC_PPI_HYP_TIMER  26 /* CNTHP: the hypervisor's tick */
#define GIC_PPI_VIRT_TIMER 27 /* CNTV: the guest's timer */
#define GIC_INTID_SPURIOUS 1020

/* clang-format off */
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_DIR_EL1     S3_0_C12_C11_1
#define ICC_SGI1R_EL1   S3_0_C12_C11_5
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICC_BPR1_EL1    S3_0_C12_C12_3
#define ICC_CTLR_EL1    S3_0_C12_C12_4
#define ICC_SRE_EL1     S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SRE_EL2     S3_4_C12_C9_5
#define ICH_AP1R0_EL2   S3_4_C12_C9_0
#define ICH_HCR_EL2     S3_4_C12_C11_0
#define ICH_VTR_EL2     S3_4_C12_C11_1
#define ICH_MISR_EL2    S3_4_C12_C11_2
#define ICH_ELRSR_EL2   S3_4_C12_C11_5
#define ICH_VMCR_EL2    S3_4_C12_C11_7
#define ICH_LR0_EL2     S3_4_C12_C12_0
#define ICH_LR1_EL2     S3_4_C12_C12_1
#define ICH_LR2_EL2     S3_4_C12_C12_2
#define ICH_LR3_EL2     S3_4_C12_C12_3
/* clang-format on */

/* The distributor (once) and this CPU's redistributor and interface. */
void gic_init(paddr_t gicd, paddr_t gicr, uint64_t gicr_size);
void gic_cpu_init(void);
bool gic_cpu_ready(unsigned int cpu);
/* Send SGI intid to physical CPU cpu. */
void gic_send_sgi(unsigned int cpu, unsigned int intid);
/* Take every pending interrupt (entry.S, the EL2 IRQ vector). */
void gic_handle_irq(void);

/* time.c: the EL2 physical timer (CNTHP) behind arch_timer_program. */
void hyp_timer_interrupt(void);

#endif /* ASM_GIC_H */
