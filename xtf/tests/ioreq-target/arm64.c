/*
 * arm64.c - ioreq-target's instructions on AArch64: there is no port
 * I/O (IOT_PIO and IOT_PIO_STRING answer -EOPNOTSUPP); MMIO is one
 * load or store whose syndrome describes it (LDR/STR of 1-8 bytes, the
 * sign-extending loads into X and W registers, a store of the zero
 * register), and LDP, which has no syndrome (ISV 0) and which the
 * hypervisor answers with a data abort: the abort is caught here and
 * reported in out[1] as its ESR_EL1; and a load whose answer is late
 * while the virtual timer falls due, to see which comes first. Built only for arm64 (the whole
 * file); touches only the mailbox.
 */
#if defined(__aarch64__)
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq_target.h>
#include <xtf/gic.h>
#include "insn.h"

#define CNTV_CTL_ENABLE 1UL
#define IRQ_DELAY_MS    10

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static volatile uint64_t abort_esr;
static volatile uint64_t irq_addr, irq_value;
static volatile unsigned int irq_count;

long iot_pio(void)
{
    return -XEN_EOPNOTSUPP;
}

long iot_pio_string(void)
{
    return -XEN_EOPNOTSUPP;
}

static uint64_t load(volatile void *m, unsigned int size)
{
    uint64_t v;

    switch ( size )
    {
    case 1: __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(m) : "memory"); break;
    case 2: __asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(m) : "memory"); break;
    case 4: __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(m) : "memory"); break;
    default: __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(m) : "memory"); break;
    }
    return v;
}

static void store(volatile void *m, unsigned int size, uint64_t v)
{
    switch ( size )
    {
    case 1: __asm__ volatile("strb %w0, [%1]" ::"r"(v), "r"(m) : "memory"); break;
    case 2: __asm__ volatile("strh %w0, [%1]" ::"r"(v), "r"(m) : "memory"); break;
    case 4: __asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(m) : "memory"); break;
    default: __asm__ volatile("str %0, [%1]" ::"r"(v), "r"(m) : "memory"); break;
    }
}

/* The register is preset to all-ones so a load that left bits alone
 * would show. */
static long load_signed(volatile void *m, unsigned int size, bool wreg)
{
    uint64_t v = ~0UL;

    switch ( size | wreg << 4 )
    {
    case 0x01: __asm__ volatile("ldrsb %0, [%1]" : "+r"(v) : "r"(m) : "memory"); break;
    case 0x02: __asm__ volatile("ldrsh %0, [%1]" : "+r"(v) : "r"(m) : "memory"); break;
    case 0x04: __asm__ volatile("ldrsw %0, [%1]" : "+r"(v) : "r"(m) : "memory"); break;
    case 0x11: __asm__ volatile("ldrsb %w0, [%1]" : "+r"(v) : "r"(m) : "memory"); break;
    case 0x12: __asm__ volatile("ldrsh %w0, [%1]" : "+r"(v) : "r"(m) : "memory"); break;
    default: return -XEN_EINVAL;
    }
    mb->out[0] = v;
    return 0;
}

static long store_zero(volatile void *m, unsigned int size)
{
    if ( size == 4 )
        __asm__ volatile("str wzr, [%0]" ::"r"(m) : "memory");
    else if ( size == 8 )
        __asm__ volatile("str xzr, [%0]" ::"r"(m) : "memory");
    else
        return -XEN_EINVAL;
    return 0;
}

/* The abort the hypervisor injects for LDP: note it, skip the LDP. */
static bool abort_hook(uint64_t kind, uint64_t *regs)
{
    abort_esr = read_sysreg(esr_el1);
    write_sysreg(read_sysreg(elr_el1) + 4, elr_el1);
    return true;
}

static long load_pair(volatile void *m)
{
    uint64_t a = 0x5a5a5a5a5a5a5a5aUL, b = a;

    abort_esr = 0;
    xtf_exception_hook = abort_hook;
    __asm__ volatile("ldp %0, %1, [%2]" : "+r"(a), "+r"(b) : "r"(m) : "memory");
    xtf_exception_hook = NULL;
    mb->out[0] = a;
    mb->out[1] = abort_esr;
    mb->out[2] = b;
    return 0;
}

/* The timer's PPI: stop the timer (its level drops), then an MMIO load
 * of the handler's own. */
static void timer_irq(unsigned int intid)
{
    if ( intid != XTF_PPI_VTIMER )
        return;
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(0UL));
    irq_value = load((volatile void *)(uintptr_t)irq_addr, 4);
    irq_count++;
}

/* A load that waits for its server while an interrupt becomes due: the
 * load must finish before the interrupt is taken (the handler's access
 * comes second, and the load is not sent again). */
static long load_with_irq(volatile void *m, uint64_t second)
{
    uint64_t hz = read_sysreg(cntfrq_el0), now = read_sysreg(cntvct_el0), v;

    irq_addr = second;
    irq_count = 0;
    xtf_gic_cpu_init(0);
    xtf_gic_enable(0, XTF_PPI_VTIMER);
    xtf_irq_handler = timer_irq;
    __asm__ volatile(
        "msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(now + hz / 1000 * IRQ_DELAY_MS),
        "r"(CNTV_CTL_ENABLE));
    xtf_irq_enable();
    v = load(m, 4);
    while ( !irq_count && read_sysreg(cntvct_el0) < now + 2 * hz )
        cpu_relax();
    xtf_irq_disable();
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(0UL));
    mb->out[0] = v;
    mb->out[2] = irq_value;
    mb->out[3] = irq_count;
    return 0;
}

long iot_mmio(void)
{
    volatile uint64_t *m = (volatile uint64_t *)(uintptr_t)mb->arg[0];
    unsigned int size = (unsigned int)mb->arg[1], kind = (unsigned int)mb->arg[2];

    mb->out[1] = 0;
    switch ( kind )
    {
    case IOT_MMIO_LOAD: mb->out[0] = load(m, size); return 0;
    case IOT_MMIO_STORE: store(m, size, mb->arg[3]); return 0;
    case IOT_MMIO_LOAD_SX: return load_signed(m, size, false);
    case IOT_MMIO_LOAD_SW: return load_signed(m, size, true);
    case IOT_MMIO_STORE_ZR: return store_zero(m, size);
    case IOT_MMIO_LDP: return load_pair(m);
    case IOT_MMIO_LOAD_IRQ: return load_with_irq(m, mb->arg[3]);
    default: return -XEN_EOPNOTSUPP;
    }
}

#endif /* __aarch64__ */
