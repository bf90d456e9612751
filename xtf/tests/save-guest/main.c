/*
 * save-guest - helper domU for the xl save/restore scenario tests
 * (tools/dom0/tests/xl-save, xl-save-errors).
 *
 * Fills 1 MiB of its memory with a pattern, measures at boot how many TSC
 * cycles make 100 ms of the pvclock, then counts ticks of that many
 * cycles in memory for ever, printing "save-guest: tick NNNNNN" (six
 * digits) on its console after checking the whole pattern at each one;
 * a broken pattern crashes it. After boot it uses nothing a restore does
 * not carry today (no xenstore, no pvclock: shared_info does not move):
 * its memory, its registers, the TSC and the console ring. A scenario proves that a restored guest carried on
 * rather than booted afresh by its count: right after the restore it
 * prints ticks in the hundred it was saved in, which a new boot reaches
 * only after a hundred ticks.
 *
 * Prints no verdict of its own.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/time.h>
#include <public/sched.h>

const char test_title[] = "save/restore helper: a counting guest with a memory pattern";

#define PATTERN_PAGES 256
#define MS            1000000ULL

static uint8_t area[PATTERN_PAGES * 4096] __attribute__((aligned(4096)));
static volatile uint64_t ticks, tick_cycles;

/* TSC cycles in 100 ms of system time, measured over 100 ms. */
static uint64_t measure_tick(void)
{
    return xtf_tsc_cycles_in(100 * MS);
}

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
    tick_cycles = measure_tick();
    printf("save-guest: started, %lu TSC cycles a tick\n", (unsigned long)tick_cycles);
    last = rdtsc();
    for ( ;; )
    {
        if ( rdtsc() - last < tick_cycles )
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
