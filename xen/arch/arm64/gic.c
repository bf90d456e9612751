/*
 * gic.c - the physical GICv3 (Arm IHI 0069): the distributor with
 * affinity routing on, each CPU's redistributor woken and its SGIs and
 * PPIs in Group 1, the system-register CPU interface at EL2, SGIs
 * between CPUs, and the IRQ handler that acknowledges and ends each
 * interrupt. The hypervisor takes only private interrupts: the EL2
 * timer's PPI, the guests' virtual timer PPI (handed to vgic.c) and the
 * kick SGI; no SPI is enabled.
 *
 * May not touch: the virtual CPU interface (ICH_*: vgic.c), guests'
 * state, the scheduler (a kick only wakes a CPU; the tick's handler is
 * common timer.c's).
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <asm/arm64.h>
#include <asm/gic.h>
#include <asm/system.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>

/* clang-format off */
#define GICD_CTLR        0x0000
#define GICD_CTLR_RWP    (1U << 31)
#define GICD_CTLR_ARE    (1U << 4)  /* ARE_NS, or ARE with DS = 1 */
#define GICD_CTLR_GRP1   (1U << 1)  /* EnableGrp1NS, or EnableGrp1 */
#define GICR_CTLR        0x0000
#define GICR_CTLR_RWP    (1U << 3)
#define GICR_TYPER       0x0008
#define GICR_TYPER_VLPIS (1UL << 1)
#define GICR_TYPER_LAST  (1UL << 4)
#define GICR_WAKER       0x0014
#define GICR_WAKER_SLEEP (1U << 1)  /* ProcessorSleep */
#define GICR_WAKER_ASLEEP (1U << 2) /* ChildrenAsleep */
#define GICR_SGI_FRAME   0x10000
#define GICR_IGROUPR0    0x0080
#define GICR_ISENABLER0  0x0100
#define GICR_ICENABLER0  0x0180
#define GICR_IPRIORITYR  0x0400
#define ICC_SRE_SRE      (1UL << 0)
#define ICC_SRE_ENABLE   (1UL << 3) /* EL1 may use ICC_SRE_EL1 */
#define HYP_PRIORITY     0x80
/* clang-format on */

static uintptr_t gicd_base, gicr_start;
static uint64_t gicr_len;
static uintptr_t cpu_rd[NR_CPUS]; /* each CPU's RD_base */
static uint64_t cpu_aff[NR_CPUS]; /* and its MPIDR affinity */
static volatile bool ready[NR_CPUS];

static inline uint32_t rd32(uintptr_t a)
{
    return *(volatile uint32_t *)a;
}
static inline void wr32(uintptr_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}
static inline uint64_t rd64(uintptr_t a)
{
    return *(volatile uint64_t *)a;
}

static void wait_clear(uintptr_t reg, uint32_t bit)
{
    for ( unsigned int i = 0; i < 1000000 && (rd32(reg) & bit); i++ )
        cpu_relax();
}

void gic_init(paddr_t gicd, paddr_t gicr, uint64_t gicr_size)
{
    if ( !gicd || !gicr || !mm_is_mapped(gicd) || !mm_is_mapped(gicr) )
        panic("no GICv3 in the device tree: guests need one");
    gicd_base = gicd;
    gicr_start = gicr;
    gicr_len = gicr_size;
    wr32(gicd_base + GICD_CTLR, 0);
    wait_clear(gicd_base + GICD_CTLR, GICD_CTLR_RWP);
    wr32(gicd_base + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
    wait_clear(gicd_base + GICD_CTLR, GICD_CTLR_RWP);
    printk("GICv3: GICD_CTLR %#x, GICR_TYPER %#lx, ICH_VTR_EL2 %#lx\n", rd32(gicd_base + GICD_CTLR),
           rd64(gicr_start + GICR_TYPER), READ_SYSREG(ICH_VTR_EL2));
}

/* GICR_TYPER[63:32] is Aff3.Aff2.Aff1.Aff0 of the CPU a frame serves. */
static uintptr_t find_rd(uint64_t mpidr)
{
    uint32_t want = (uint32_t)(((mpidr >> 8) & 0xff000000UL) | (mpidr & 0xffffffUL));
    uintptr_t rd = gicr_start;
    while ( rd < gicr_start + gicr_len )
    {
        uint64_t typer = rd64(rd + GICR_TYPER);
        if ( (uint32_t)(typer >> 32) == want )
            return rd;
        if ( typer & GICR_TYPER_LAST )
            break;
        rd += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
    }
    return 0;
}

static void rd_init(uintptr_t rd)
{
    uintptr_t sgi = rd + GICR_SGI_FRAME;
    wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
    wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP);
    wr32(sgi + GICR_ICENABLER0, 0xffffffffU);
    wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
    wr32(sgi + GICR_IGROUPR0, 0xffffffffU);
    for ( unsigned int i = 0; i < 32; i += 4 )
        wr32(sgi + GICR_IPRIORITYR + i, HYP_PRIORITY * 0x01010101U);
    wr32(sgi + GICR_ISENABLER0,
         (1U << GIC_SGI_KICK) | (1U << GIC_PPI_HYP_TIMER) | (1U << GIC_PPI_VIRT_TIMER));
}

static void cpu_interface_init(void)
{
    WRITE_SYSREG(ICC_SRE_SRE | ICC_SRE_ENABLE, ICC_SRE_EL2);
    isb();
    WRITE_SYSREG(0xff, ICC_PMR_EL1);
    WRITE_SYSREG(0, ICC_BPR1_EL1);
    WRITE_SYSREG(0, ICC_CTLR_EL1); /* EOImode 0: EOIR also deactivates */
    WRITE_SYSREG(1, ICC_IGRPEN1_EL1);
    isb();
}

/* This CPU: find and wake its redistributor, then its CPU interface. */
void gic_cpu_init(void)
{
    unsigned int cpu = smp_processor_id();
    uint64_t mpidr = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
    uintptr_t rd = find_rd(mpidr);
    if ( !rd )
        panic("GICv3: no redistributor for MPIDR %#lx", mpidr);
    cpu_rd[cpu] = rd;
    cpu_aff[cpu] = mpidr;
    rd_init(rd);
    cpu_interface_init();
    smp_mb();
    ready[cpu] = true;
}

bool gic_cpu_ready(unsigned int cpu)
{
    return cpu < NR_CPUS && ready[cpu];
}

/* ICC_SGI1R_EL1: Aff3 [55:48], Aff2 [39:32], INTID [27:24], Aff1
 * [23:16], a target list of Aff0 values 0-15 [15:0]. */
void gic_send_sgi(unsigned int cpu, unsigned int intid)
{
    uint64_t aff = cpu_aff[cpu];
    uint64_t v = (((aff >> 32) & 0xff) << 48) | (((aff >> 16) & 0xff) << 32) |
                 ((uint64_t)(intid & 0xf) << 24) | (((aff >> 8) & 0xff) << 16) |
                 (1UL << (aff & 0xf));
    asm volatile("dsb ishst" ::: "memory");
    WRITE_SYSREG(v, ICC_SGI1R_EL1);
    isb();
}

static void handle_one(unsigned int intid)
{
    switch ( intid )
    {
    case GIC_PPI_HYP_TIMER: hyp_timer_interrupt(); break;
    case GIC_PPI_VIRT_TIMER: vgic_vtimer_irq(); break;
    case GIC_SGI_KICK: break; /* waking was the point */
    default: printk(XENLOG_WARNING "GICv3: unexpected interrupt %u\n", intid); break;
    }
}

void gic_handle_irq(void)
{
    for ( ;; )
    {
        uint64_t iar = READ_SYSREG(ICC_IAR1_EL1);
        unsigned int intid = iar & 0xffffff;
        if ( intid >= GIC_INTID_SPURIOUS && intid < 1024 )
            return;
        handle_one(intid);
        WRITE_SYSREG(iar, ICC_EOIR1_EL1);
        isb();
    }
}
