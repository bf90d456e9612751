/*
 * arm64.c - ioreq-target's instructions on AArch64: there is no port
 * I/O (IOT_PIO and IOT_PIO_STRING answer -EOPNOTSUPP); MMIO is one
 * load or store whose syndrome describes it (LDR/STR of 1-8 bytes, the
 * sign-extending loads into X and W registers, a store of the zero
 * register), and LDP, which has no syndrome (ISV 0) and which the
 * hypervisor answers with a data abort: the abort is caught here and
 * reported in out[1] as its ESR_EL1. Built only for arm64 (the whole
 * file); touches only the mailbox.
 */
#if defined(__aarch64__)
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq_target.h>
#include "insn.h"

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static volatile uint64_t abort_esr;

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
    default: return -XEN_EOPNOTSUPP;
    }
}

#endif /* __aarch64__ */
