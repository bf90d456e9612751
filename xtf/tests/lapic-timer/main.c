/*
 * lapic-timer - the emulated local APIC timer delivers its LVT vector in
 * each mode, the right number of times, and never before it is due.
 *
 * The count runs at 1 GHz divided by the divide configuration (Xen's
 * rule), so the TSC's rate is first measured against the current-count
 * register (TSC ticks per count, divide by 1). Then, in x2APIC mode:
 *  - one-shot, 2 ms: exactly one interrupt, at least 2 ms of TSC after
 *    the initial count was written, with the current count 0 afterwards
 *    and still one interrupt 4 ms later;
 *  - periodic, 1 ms with divide by 2 (count 500000): five interrupts take
 *    at least 5 ms, and stopping (initial count 0) stops them;
 *  - periodic with a count of 1: no interrupt storm (at most one per
 *    0.1 ms, Xen's floor), but it does run;
 *  - masked: the LVT mask bit keeps a one-shot silent;
 *  - TSC-deadline (CPUID.1:ECX[24] must say it exists): one interrupt,
 *    at a TSC at or after the deadline, after which the MSR reads 0; a
 *    deadline in the past fires at once; writing 0 disarms.
 */
#include <xtf.h>
#include <xtf/apic.h>

const char test_title[] = "LAPIC timer: one-shot, periodic, TSC-deadline";

#define VEC 0x70

static volatile unsigned int ticks;
static volatile uint64_t tick_tsc[16];
static uint64_t tsc_per_ms;

static void timer_handler(struct cpu_regs *regs)
{
    if ( ticks < ARRAY_SIZE(tick_tsc) )
        tick_tsc[ticks] = rdtsc();
    ticks++;
    apic_eoi();
}

static void expect(const char *what, unsigned long got, unsigned long want)
{
    if ( got != want )
        xtf_failure("%s: %lu, expected %lu", what, got, want);
}

/* Busy-wait (interrupts on) for ms milliseconds of TSC. */
static void spin_ms(uint64_t ms)
{
    uint64_t end = rdtsc() + ms * tsc_per_ms;

    asm volatile("sti" ::: "memory");
    while ( rdtsc() < end )
        cpu_relax();
    asm volatile("cli" ::: "memory");
}

/* Interrupts on until ticks reaches want or max_ms pass (the host may be
 * busy: a due interrupt can come late, never early). */
static void wait_ticks(unsigned int want, uint64_t max_ms)
{
    uint64_t end = rdtsc() + max_ms * tsc_per_ms;

    asm volatile("sti" ::: "memory");
    while ( ticks < want && rdtsc() < end )
        cpu_relax();
    asm volatile("cli" ::: "memory");
}

/* TSC ticks per millisecond of APIC count at divide-by-1 (1 GHz). */
static bool calibrate(void)
{
    uint64_t t0, t1;
    uint32_t c0, c1;

    apic_write(APIC_TDCR, 0xb); /* divide by 1 */
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VEC);
    apic_write(APIC_TMICT, 0xffffffff);
    t0 = rdtsc();
    c0 = apic_read(APIC_TMCCT);
    for ( volatile unsigned long i = 0; i < 2000000; i++ )
        ;
    t1 = rdtsc();
    c1 = apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);
    if ( c1 >= c0 || t1 <= t0 )
    {
        xtf_failure("current count does not run: %u then %u", c0, c1);
        return false;
    }
    tsc_per_ms = (t1 - t0) * 1000000 / (c0 - c1);
    printf("TSC: %lu ticks per ms of APIC count\n", (unsigned long)tsc_per_ms);
    return tsc_per_ms != 0;
}

static void one_shot(void)
{
    uint64_t t0;

    ticks = 0;
    apic_write(APIC_TDCR, 0xb);
    apic_write(APIC_LVT_TIMER, VEC);
    t0 = rdtsc();
    apic_write(APIC_TMICT, 2000000); /* 2 ms */
    wait_ticks(1, 500);
    expect("one-shot interrupts", ticks, 1);
    if ( ticks && tick_tsc[0] - t0 < 2 * tsc_per_ms )
        xtf_failure("one-shot fired after %lu TSC ticks, before 2 ms (%lu)",
                    (unsigned long)(tick_tsc[0] - t0), (unsigned long)(2 * tsc_per_ms));
    expect("one-shot current count after expiry", apic_read(APIC_TMCCT), 0);
    spin_ms(4);
    expect("one-shot interrupts 4 ms later", ticks, 1);
}

static void periodic(void)
{
    uint64_t t0;

    ticks = 0;
    apic_write(APIC_TDCR, 0x0); /* divide by 2 */
    apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | VEC);
    t0 = rdtsc();
    apic_write(APIC_TMICT, 500000); /* 1 ms */
    asm volatile("sti" ::: "memory");
    for ( unsigned long i = 0; ticks < 5 && rdtsc() - t0 < 100 * tsc_per_ms; i++ )
        cpu_relax();
    asm volatile("cli" ::: "memory");
    apic_write(APIC_TMICT, 0);
    if ( ticks < 5 )
        return xtf_failure("periodic: %u interrupts in 100 ms, expected 5 by 5 ms", ticks);
    if ( tick_tsc[4] - t0 < 5 * tsc_per_ms )
        xtf_failure("periodic: 5 interrupts after %lu TSC ticks, before 5 ms (%lu)",
                    (unsigned long)(tick_tsc[4] - t0), (unsigned long)(5 * tsc_per_ms));
    spin_ms(20); /* one in flight as it stopped may still land */
    ticks = 0;
    spin_ms(5);
    expect("periodic interrupts after stopping", ticks, 0);
}

/* A periodic count of 1 (1 ns) would be an interrupt storm: like Xen,
 * the period is at least 0.1 ms. */
static void tiny_period(void)
{
    ticks = 0;
    apic_write(APIC_TDCR, 0xb);
    apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | VEC);
    apic_write(APIC_TMICT, 1);
    spin_ms(5);
    if ( ticks > 60 )
        xtf_failure("periodic count 1: %u interrupts in 5 ms, expected at most 60", ticks);
    wait_ticks(1, 500);
    apic_write(APIC_TMICT, 0);
    if ( ticks == 0 )
        xtf_failure("periodic count 1: no interrupt at all");
    spin_ms(20);
}

static void masked(void)
{
    ticks = 0;
    apic_write(APIC_TDCR, 0xb);
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VEC);
    apic_write(APIC_TMICT, 1000000);
    spin_ms(3);
    expect("masked one-shot interrupts", ticks, 0);
    apic_write(APIC_TMICT, 0);
}

static void deadline(void)
{
    uint64_t due;

    if ( !(cpuid(1).c & (1u << 24)) )
        return xtf_failure("CPUID.1:ECX.TSC_DEADLINE clear");
    ticks = 0;
    apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DLINE | VEC);
    due = rdtsc() + 1000 * tsc_per_ms; /* far enough that no delay fires it */
    wrmsr(MSR_TSC_DEADLINE, due);
    expect("deadline reads back", rdmsr(MSR_TSC_DEADLINE) == due, 1);
    due = rdtsc() + 2 * tsc_per_ms;
    wrmsr(MSR_TSC_DEADLINE, due);
    wait_ticks(1, 500);
    expect("deadline interrupts", ticks, 1);
    if ( ticks && tick_tsc[0] < due )
        xtf_failure("deadline fired %lu TSC ticks early", (unsigned long)(due - tick_tsc[0]));
    spin_ms(2);
    expect("deadline interrupts 2 ms later", ticks, 1);
    expect("deadline MSR after firing", rdmsr(MSR_TSC_DEADLINE), 0);

    ticks = 0;
    wrmsr(MSR_TSC_DEADLINE, rdtsc() - 1000);
    wait_ticks(1, 500);
    expect("a deadline in the past fires", ticks, 1);

    ticks = 0;
    wrmsr(MSR_TSC_DEADLINE, rdtsc() + 50 * tsc_per_ms);
    wrmsr(MSR_TSC_DEADLINE, 0);
    spin_ms(60);
    expect("a disarmed deadline stays silent", ticks, 0);
}

void test_main(void)
{
    if ( apic_init(APIC_MODE_X2APIC) )
        return xtf_failure("cannot enter x2APIC mode");
    xtf_set_vector_handler(VEC, timer_handler);
    if ( !calibrate() )
        return;
    one_shot();
    periodic();
    tiny_period();
    masked();
    deadline();
    xtf_success(NULL);
}
