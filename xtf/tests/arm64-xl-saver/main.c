/*
 * arm64-xl-saver - the arm64 guest the dom0 tests xl-save-arm64 and
 * xl-migrate-arm64 save, restore and migrate with xl (a helper, not a
 * test by itself). It writes a pattern over 1 MiB, loads V0-V31, FPCR
 * and FPSR, and then for ever: every 200 ms of its virtual counter it
 * checks them all and that the counter never went back, and prints
 * "arm64-xl-saver: tick N, moved M" (N counting on from 1) or, at the
 * first difference, "arm64-xl-saver: BAD <what>" and stops. M counts the
 * times the distance between the physical and the virtual counter
 * changed: a move to another domain (the load sets a new counter offset
 * so that the virtual count goes on). So a restored or migrated guest
 * says "moved 1" with every tick after its checks passed, which a guest
 * booted afresh never says (the dom0 tests look for that: a line that
 * must not appear cannot be checked in `xl dmesg`, which also holds the
 * script's own echo of the check).
 *
 * Between ticks it writes its pattern's pages again (the same values),
 * so a live migration has dirty pages in every round.
 *
 * May not touch: anything but its own RAM.
 */
#include <xtf.h>

const char test_title[] = "arm64-xl-saver: ticks and checks while xl saves and moves it";

#define PATTERN_GFN 0x40800UL /* 8 MiB into its 16 MiB */
#define PATTERN_NR  256UL
#define CPACR_FPEN  (3UL << 20)
#define FPCR_VALUE  0x00c00000UL
#define FPSR_VALUE  0x08000011UL

static uint64_t want[64] __attribute__((aligned(16)));
static uint64_t got[64] __attribute__((aligned(16)));

static volatile uint64_t *word(uint64_t n, unsigned int i)
{
    return (volatile uint64_t *)(((PATTERN_GFN + n) << PAGE_SHIFT) + 8 * i);
}

static uint64_t value(uint64_t n, unsigned int i)
{
    return ((PATTERN_GFN + n) << 16) ^ (0x9e3779b97f4a7c15UL * (i + 1));
}

static void write_pattern(void)
{
    for ( uint64_t n = 0; n < PATTERN_NR; n++ )
        for ( unsigned int i = 0; i < PAGE_SIZE / 8; i += 64 )
            *word(n, i) = value(n, i);
}

static bool pattern_ok(void)
{
    for ( uint64_t n = 0; n < PATTERN_NR; n++ )
        for ( unsigned int i = 0; i < PAGE_SIZE / 8; i += 64 )
            if ( *word(n, i) != value(n, i) )
                return false;
    return true;
}

static void fp_load(void)
{
    for ( unsigned int i = 0; i < 64; i++ )
        want[i] = 0x0123456789abcdefUL * (i + 3);
    __asm__ volatile("msr cpacr_el1, %0; isb" ::"r"(read_sysreg(cpacr_el1) | CPACR_FPEN));
    xtf_fp_load_v(want);
    __asm__ volatile("msr fpcr, %0; msr fpsr, %1" ::"r"(FPCR_VALUE), "r"(FPSR_VALUE));
}

static bool fp_ok(void)
{
    xtf_fp_save_v(got);
    for ( unsigned int i = 0; i < 64; i++ )
        if ( got[i] != want[i] )
            return false;
    return read_sysreg(fpcr) == FPCR_VALUE && read_sysreg(fpsr) == FPSR_VALUE;
}

/* Spin (rewriting the pattern) until the counter reaches end; false if
 * it ever went back. */
static bool wait_until(uint64_t end, uint64_t *last)
{
    for ( ;; )
    {
        uint64_t now = read_sysreg(cntvct_el0);

        if ( now < *last )
            return false;
        *last = now;
        if ( now >= end )
            return true;
        write_pattern();
    }
}

/* CNTPCT - CNTVCT, from a pair of physical reads at most 1 ms apart
 * (the vCPU may lose its CPU between two reads). */
static uint64_t counter_offset(void)
{
    uint64_t ms = read_sysreg(cntfrq_el0) / 1000;

    for ( ;; )
    {
        uint64_t p1 = read_sysreg(cntpct_el0), v = read_sysreg(cntvct_el0);
        uint64_t p2 = read_sysreg(cntpct_el0);

        if ( p2 - p1 < ms )
            return p1 - v;
    }
}

/* The offset changed by more than 2 ms since *off: a move. */
static bool moved(uint64_t *off)
{
    uint64_t now = counter_offset(), ms = read_sysreg(cntfrq_el0) / 1000;
    bool m = now - *off > 2 * ms && *off - now > 2 * ms;

    *off = now;
    return m;
}

void test_main(void)
{
    uint64_t step = read_sysreg(cntfrq_el0) / 5, last = read_sysreg(cntvct_el0);
    uint64_t off = counter_offset();
    unsigned long moves = 0;

    write_pattern();
    fp_load();
    for ( unsigned long tick = 1;; tick++ )
    {
        if ( !wait_until(last + step, &last) )
            return printf("arm64-xl-saver: BAD the virtual counter went back\n"), (void)0;
        if ( !pattern_ok() )
            return printf("arm64-xl-saver: BAD pattern\n"), (void)0;
        if ( !fp_ok() )
            return printf("arm64-xl-saver: BAD V0-V31, FPCR or FPSR\n"), (void)0;
        moves += moved(&off);
        printf("arm64-xl-saver: tick %lu, moved %lu\n", tick, moves);
    }
}
