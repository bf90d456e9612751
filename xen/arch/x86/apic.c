/*
 * apic.c - local APIC (xAPIC, MMIO at the address IA32_APIC_BASE gives).
 *
 * The timer is calibrated once against PIT channel 2 so ticks and delays
 * have real-time meaning even under emulators of very different speeds.
 * The TSC is calibrated in the same 10 ms; it is the cycle counter of
 * xen/arch.h (arch_cycles) that NOW() scales, and the APIC timer, one-shot,
 * is arch_timer_program's.
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <asm/x86.h>
#include <asm/apic.h>
#include <asm/traps.h>

#define APIC_ID       0x020
#define APIC_EOI      0x0b0
#define APIC_SVR      0x0f0
#define APIC_ICR_LO   0x300
#define APIC_ICR_HI   0x310
#define APIC_LVT_TMR  0x320
#define APIC_TMR_INIT 0x380
#define APIC_TMR_CUR  0x390
#define APIC_TMR_DIV  0x3e0

#define ICR_BUSY       (1u << 12)
#define ICR_INIT       0x00000500
#define ICR_STARTUP    0x00000600
#define ICR_ASSERT     (1u << 14)
#define ICR_ALL_BUT_ME (3u << 18)
#define LVT_PERIODIC   (1u << 17)

static volatile uint32_t *apic_mmio;
static uint64_t apic_ticks_per_ms;
static uint64_t tsc_per_us;
static uint64_t tsc_hz;

static uint32_t apic_read(uint32_t reg)
{
    return apic_mmio[reg / 4];
}
static void apic_write(uint32_t reg, uint32_t v)
{
    apic_mmio[reg / 4] = v;
}

/*
 * The BIOS leaves the 8259 PICs delivering the PIT's IRQ0 at vector 8,
 * which would look like a double fault. Move them to 0x20-0x2f (so even a
 * spurious IRQ7 lands on a harmless vector) and mask every line.
 */
void pic_disable(void)
{
    outb(0x20, 0x11);
    outb(0xa0, 0x11); /* ICW1: init, ICW4 follows */
    outb(0x21, 0x20);
    outb(0xa1, 0x28); /* ICW2: vector bases */
    outb(0x21, 0x04);
    outb(0xa1, 0x02); /* ICW3: cascade on IRQ2 */
    outb(0x21, 0x01);
    outb(0xa1, 0x01); /* ICW4: 8086 mode */
    outb(0x21, 0xff);
    outb(0xa1, 0xff); /* mask all */
}

void apic_init_cpu(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    wrmsr(MSR_IA32_APIC_BASE, base | (1u << 11)); /* global enable */
    apic_mmio = (volatile uint32_t *)(uintptr_t)(base & 0xfffff000);
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS); /* software enable */
}

uint32_t apic_id(void)
{
    return apic_read(APIC_ID) >> 24;
}
void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

static void icr_wait(void)
{
    while ( apic_read(APIC_ICR_LO) & ICR_BUSY )
        cpu_relax();
}

void apic_send_ipi(uint32_t dest, uint8_t vector)
{
    icr_wait();
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, vector | ICR_ASSERT);
}

void apic_send_init_sipi_all(uint32_t start_page)
{
    icr_wait();
    apic_write(APIC_ICR_LO, ICR_ALL_BUT_ME | ICR_INIT | ICR_ASSERT);
    udelay(10000);
    for ( int i = 0; i < 2; i++ )
    {
        icr_wait();
        apic_write(APIC_ICR_LO, ICR_ALL_BUT_ME | ICR_STARTUP | ICR_ASSERT | start_page);
        udelay(200);
    }
}

/* Busy-wait on PIT channel 2 for about ms milliseconds (one-shot). */
static void pit_wait_ms(unsigned int ms)
{
    uint16_t count = (uint16_t)(1193182u * ms / 1000);
    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* ch2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    while ( !(inb(0x61) & 0x20) )
        cpu_relax();
}

void apic_calibrate(void)
{
    uint64_t t0;
    uint32_t ticks;
    apic_write(APIC_TMR_DIV, 0x3);      /* divide by 16 */
    apic_write(APIC_LVT_TMR, 1u << 16); /* masked */
    apic_write(APIC_TMR_INIT, 0xffffffff);
    t0 = rdtsc();
    pit_wait_ms(10);
    ticks = 0xffffffff - apic_read(APIC_TMR_CUR);
    tsc_hz = (rdtsc() - t0) * 100;
    tsc_per_us = tsc_hz / 1000000;
    apic_write(APIC_TMR_INIT, 0);
    apic_ticks_per_ms = ticks / 10;
    if ( !tsc_per_us )
        tsc_per_us = 1;
    if ( !tsc_hz )
        tsc_hz = 1000000;
    if ( !apic_ticks_per_ms )
        apic_ticks_per_ms = 1000;
    printk("APIC timer: %lu ticks/ms, TSC %lu MHz\n", apic_ticks_per_ms, tsc_per_us);
}

void apic_timer_start(unsigned int hz)
{
    apic_write(APIC_TMR_DIV, 0x3);
    apic_write(APIC_LVT_TMR, LVT_PERIODIC | VECTOR_TIMER);
    apic_write(APIC_TMR_INIT, (uint32_t)(apic_ticks_per_ms * 1000 / hz));
}

uint64_t arch_cycles(void)
{
    return rdtsc();
}

uint64_t arch_cycles_hz(void)
{
    return tsc_hz;
}

/* One-shot: LVT timer mode bits 00. The count saturates at 32 bits (many
 * seconds at the divided bus clock; the tick comes sooner anyway). */
void arch_timer_program(int64_t ns)
{
    uint64_t count = (uint64_t)ns * apic_ticks_per_ms / 1000000;

    if ( count == 0 )
        count = 1;
    if ( count > 0xffffffffULL )
        count = 0xffffffffULL;
    apic_write(APIC_TMR_DIV, 0x3);
    apic_write(APIC_LVT_TMR, VECTOR_TIMER);
    apic_write(APIC_TMR_INIT, (uint32_t)count);
}

uint64_t now_us(void)
{
    return rdtsc() / (tsc_per_us ? tsc_per_us : 1);
}

void udelay(unsigned long us)
{
    uint64_t end;
    if ( !tsc_per_us )
    { /* before calibration */
        for ( volatile unsigned long i = 0; i < us * 100; i++ )
            ;
        return;
    }
    end = rdtsc() + us * tsc_per_us;
    while ( rdtsc() < end )
        cpu_relax();
}
