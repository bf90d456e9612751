/*
 * save-guest - helper domU for the xl save/restore scenario tests
 * (tools/dom0/tests/xl-save, xl-save-errors).
 *
 * Fills 1 MiB of its memory with a pattern, then counts ticks of 2^27
 * TSC cycles in memory for ever, printing "save-guest: tick NNNNNN" (six
 * digits) on its console after checking the whole pattern at each one;
 * a broken pattern crashes it. It uses nothing a restore does not carry
 * today (no xenstore, no pvclock): its memory, its registers, the TSC and
 * the console ring. A scenario proves that a restored guest carried on
 * rather than booted afresh by its count: right after the restore it
 * prints ticks in the hundred it was saved in, which a new boot reaches
 * only after a hundred ticks.
 *
 * Prints no verdict of its own.
 */
#include <xtf.h>
#include <xtf/time.h>
#include <public/sched.h>

const char test_title[] = "save/restore helper: a counting guest with a memory pattern";

#define PATTERN_PAGES 256
#define TICK_CYCLES   (1ULL << 27)

static uint8_t area[PATTERN_PAGES * 4096] __attribute__((aligned(4096)));
static volatile uint64_t ticks;

static uint8_t pattern(unsigned long i)
{
    return (uint8_t)(i * 131 + (i >> 12) * 7 + 1);
}

static void check_pattern(void)
{
    for ( unsigned long i = 0; i < sizeof(area); i++ )
        if ( area[i] != pattern(i) )
        {
            printf("save-guest: pattern broken at byte %#lx, tick %lu\n", i, (unsigned long)ticks);
            xtf_shutdown(SHUTDOWN_crash);
        }
}

void test_main(void)
{
    uint64_t last;

    for ( unsigned long i = 0; i < sizeof(area); i++ )
        area[i] = pattern(i);
    printf("save-guest: started\n");
    last = rdtsc();
    for ( ;; )
    {
        if ( rdtsc() - last < TICK_CYCLES )
        {
            hypercall_yield();
            continue;
        }
        last = rdtsc();
        ticks++;
        check_pattern();
        printf("save-guest: tick %06lu, pattern intact\n", (unsigned long)ticks);
    }
}
