/*
 * apic.c - the runtime's local APIC helpers (include/xtf/apic.h): the
 * mode from MSR_APIC_BASE, registers through x2APIC MSRs or xAPIC MMIO.
 * Touches nothing but this vCPU's APIC.
 */
#include <xtf.h>
#include <xtf/apic.h>

enum apic_mode apic_mode(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    if ( !(base & APIC_BASE_ENABLE) )
        return APIC_MODE_DISABLED;
    return base & APIC_BASE_EXTD ? APIC_MODE_X2APIC : APIC_MODE_XAPIC;
}

static volatile uint32_t *mmio(unsigned int reg)
{
    return (volatile uint32_t *)(uintptr_t)((rdmsr(MSR_APIC_BASE) & ~0xfffULL) + reg);
}

uint32_t apic_read(unsigned int reg)
{
    if ( apic_mode() == APIC_MODE_X2APIC )
        return (uint32_t)rdmsr(0x800 + (reg >> 4));
    return *mmio(reg);
}

/* A register store ("mov %reg, mem"), whatever the compiler would pick:
 * the test is of the APIC, not of the emulator's immediate forms. */
static void mmio_write(unsigned int reg, uint32_t val)
{
    asm volatile("movl %1, %0" : "=m"(*mmio(reg)) : "r"(val) : "memory");
}

void apic_write(unsigned int reg, uint32_t val)
{
    if ( apic_mode() == APIC_MODE_X2APIC )
        wrmsr(0x800 + (reg >> 4), val);
    else
        mmio_write(reg, val);
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

void apic_icr_write(uint32_t dest, uint32_t lo)
{
    if ( apic_mode() == APIC_MODE_X2APIC )
    {
        wrmsr(0x800 + (APIC_ICR >> 4), ((uint64_t)dest << 32) | lo);
        return;
    }
    mmio_write(APIC_ICR2, dest << 24);
    mmio_write(APIC_ICR, lo);
}

int apic_init(enum apic_mode mode)
{
    uint64_t base = rdmsr(MSR_APIC_BASE) & ~(APIC_BASE_ENABLE | APIC_BASE_EXTD);

    if ( apic_mode() == APIC_MODE_X2APIC && mode != APIC_MODE_X2APIC )
        wrmsr(MSR_APIC_BASE, base); /* x2APIC -> xAPIC only through disabled */
    if ( mode == APIC_MODE_DISABLED )
    {
        wrmsr(MSR_APIC_BASE, base);
        return 0;
    }
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    if ( mode == APIC_MODE_X2APIC )
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_EXTD);
    if ( apic_mode() != mode )
        return -1;
    apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xff);
    return 0;
}
