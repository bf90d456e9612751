/*
 * gic.c (arm64 XTF) - the test kernel's GICv3 driver for Wren's virtual
 * GIC: redistributor wake-up and enables by MMIO (the hypervisor traps
 * and emulates them), the CPU interface by system registers (the
 * hardware's virtual interface: ICV_* under HCR_EL2.IMO), and the IRQ
 * entry vectors.S calls. Touches only this vCPU's GIC state.
 */
#include <xtf.h>
#include <xtf/gic.h>

#define GICR_WAKER        0x0014
#define GICR_WAKER_SLEEP  (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)
#define GICR_ISENABLER0   0x10100
#define ICC_SRE_EL1       "S3_0_C12_C12_5"
#define ICC_PMR_EL1       "S3_0_C4_C6_0"
#define ICC_IGRPEN1_EL1   "S3_0_C12_C12_7"
#define ICC_IAR1_EL1      "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1     "S3_0_C12_C12_1"
#define ICC_SGI1R_EL1     "S3_0_C12_C11_5"

void (*xtf_irq_handler)(unsigned int intid);

static volatile uint32_t *gicr_reg(unsigned int vcpu, unsigned long off)
{
    return (volatile uint32_t *)(XTF_GICR_BASE + vcpu * XTF_GICR_STRIDE + off);
}

void xtf_gic_cpu_init(unsigned int vcpu)
{
    volatile uint32_t *waker = gicr_reg(vcpu, GICR_WAKER);

    *waker = *waker & ~GICR_WAKER_SLEEP;
    while ( *waker & GICR_WAKER_ASLEEP )
        ;
    __asm__ volatile("msr " ICC_SRE_EL1 ", %0; isb" ::"r"(1UL));
    __asm__ volatile("msr " ICC_PMR_EL1 ", %0" ::"r"(0xffUL));
    __asm__ volatile("msr " ICC_IGRPEN1_EL1 ", %0; isb" ::"r"(1UL));
}

void xtf_gic_enable(unsigned int vcpu, unsigned int intid)
{
    *gicr_reg(vcpu, GICR_ISENABLER0) = 1U << intid;
}

/* Aff0 = target in the target list, Aff1-3 = 0, INTID [27:24]. */
void xtf_gic_send_sgi(unsigned int target, unsigned int intid)
{
    uint64_t v = ((uint64_t)(intid & 0xf) << 24) | (1UL << target);
    __asm__ volatile("dsb ish; msr " ICC_SGI1R_EL1 ", %0; isb" ::"r"(v) : "memory");
}

/* vectors.S, IRQ at EL1: every pending interrupt, acknowledged, handled
 * and ended (EOImode 0: the end also deactivates it). */
void xtf_irq_entry(void)
{
    for ( ;; )
    {
        uint64_t iar;
        unsigned int intid;

        __asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar));
        intid = iar & 0xffffff;
        if ( intid >= 1020 && intid <= XTF_INTID_SPURIOUS )
            return;
        if ( !xtf_irq_handler )
            panic("IRQ %u with no handler", intid);
        xtf_irq_handler(intid);
        __asm__ volatile("msr " ICC_EOIR1_EL1 ", %0; isb" ::"r"(iar));
    }
}
