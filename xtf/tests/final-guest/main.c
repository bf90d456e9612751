/*
 * final-guest - helper domU for the final-round scenario
 * (tools/dom0/tests/xl-final-break): a guest that is owed a vMCE across a
 * save or migration, and says what it got.
 *
 * It sets CR4.MCE and takes #MC with its own handler, which reads bank 1
 * (as a guest OS would), prints "final-guest: #MC for gfn G" with the
 * bank, clears the bank and MCIP, and remembers G as broken. At every
 * tick its main loop probes each page it knows is broken with one load:
 * a broken page answers with a #MC at that load (the handler counts it
 * and says nothing), any data means the page is RAM again, which it
 * prints ("probe of gfn G read V: NOT broken"). A second vMCE (not a
 * probe's) for a page it already knew as broken prints "second vMCE for
 * gfn G". It counts ticks of 100 ms (measured at boot) over a 64-page
 * pattern at [3 MiB, 3 MiB + 256 KiB), skipping the pages it knows are
 * broken, and prints "final-guest: tick N, vMCEs K, broken B poisoned
 * P, pattern intact" (P: of the B pages, how many the probe found
 * broken); a changed word crashes it. Between ticks it writes a running
 * count into the hot page at gfn 0x340, a word at a time, for ever, so
 * that page is dirty in any live migration's final round; at each tick
 * it checks the last word it wrote is there (a write lost in a move
 * crashes it too), unless the page is one it knows is broken.
 *
 * After boot it uses only what a restore carries (no pvclock, no
 * xenstore). Prints no verdict of its own.
 *
 * May not touch: memory outside its image, the pattern and the hot page;
 * a page it knows is broken, but with the one probe instruction.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/time.h>
#include <xtf/vmce.h>
#include <public/sched.h>

const char test_title[] = "final-round helper: a guest owed a vMCE across a move";

#define PATTERN_GFN 0x300UL
#define PATTERN_NR  64UL
#define HOT_GFN     0x340UL
#define MAX_BROKEN  8
#define MS          1000000ULL

static volatile uint64_t vmces, broken[MAX_BROKEN];
static volatile unsigned int nr_broken;
static uint64_t tick_cycles, hot_count;

uint64_t final_probe_read(const uint64_t *p);
extern const char final_probe[], final_probe_done[];
__asm__(".pushsection .text\n\t"
        ".globl final_probe_read\n"
        "final_probe_read:\n"
        "final_probe:\n\t"
        "movq (%rdi), %rax\n"
        "final_probe_done:\n\t"
        "ret\n\t"
        ".popsection");

static uint64_t word(uint64_t gfn, unsigned int i)
{
    return 0xf1a1000000000000ULL ^ (gfn << 24) ^ i;
}

static uint64_t *page(uint64_t gfn)
{
    return (uint64_t *)(uintptr_t)(gfn << PAGE_SHIFT);
}

static bool known_broken(uint64_t gfn)
{
    for ( unsigned int i = 0; i < nr_broken; i++ )
        if ( broken[i] == gfn )
            return true;
    return false;
}

/* A vMCE delivered for a page (not a probe's): remembered, probed at
 * each tick. */
static void owed_vmce(uint64_t gfn)
{
    vmces++;
    if ( known_broken(gfn) )
    {
        printf("final-guest: second vMCE for gfn %#lx\n", (unsigned long)gfn);
        return;
    }
    if ( nr_broken < MAX_BROKEN )
        broken[nr_broken++] = gfn;
}

static void mc_handler(struct cpu_regs *regs)
{
    uint64_t mcg = rdmsr(MSR_MCG_STATUS), st = rdmsr(MSR_MC1_STATUS);
    uint64_t gfn = rdmsr(MSR_MC1_ADDR) >> PAGE_SHIFT;

    wrmsr(MSR_MC1_STATUS, 0);
    wrmsr(MSR_MCG_STATUS, 0); /* MCIP clear: the next one is not a shutdown */
    if ( regs->rip == (uint64_t)(uintptr_t)final_probe )
    {
        regs->rip = (uint64_t)(uintptr_t)final_probe_done;
        regs->rax = VMCE_POISON;
        return;
    }
    printf("final-guest: #MC for gfn %#lx: MCG_STATUS %#lx MC1_STATUS %#lx\n", (unsigned long)gfn,
           (unsigned long)mcg, (unsigned long)st);
    owed_vmce(gfn);
}

/* How many of the pages known broken still are. */
static unsigned int probe_broken(void)
{
    unsigned int poisoned = 0;

    for ( unsigned int i = 0; i < nr_broken; i++ )
    {
        uint64_t v = final_probe_read(page(broken[i]));

        if ( v == VMCE_POISON )
            poisoned++;
        else
            printf("final-guest: probe of gfn %#lx read %#lx: NOT broken\n",
                   (unsigned long)broken[i], (unsigned long)v);
    }
    return poisoned;
}

static void check_pattern(uint64_t ticks)
{
    for ( uint64_t g = PATTERN_GFN; g < PATTERN_GFN + PATTERN_NR; g++ )
    {
        if ( known_broken(g) )
            continue;
        for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
            if ( page(g)[i] != word(g, i) )
            {
                printf("final-guest: pattern broken at gfn %#lx word %u, tick %lu\n",
                       (unsigned long)g, i, (unsigned long)ticks);
                xtf_shutdown(SHUTDOWN_crash);
            }
    }
}

/* One more word of the hot page, unless it is broken. */
static void write_hot(void)
{
    if ( known_broken(HOT_GFN) )
        return;
    hot_count++;
    page(HOT_GFN)[hot_count % (PAGE_SIZE / 8)] = hot_count;
}

static void check_hot(uint64_t ticks)
{
    if ( known_broken(HOT_GFN) || !hot_count )
        return;
    if ( page(HOT_GFN)[hot_count % (PAGE_SIZE / 8)] != hot_count )
    {
        printf("final-guest: hot page lost write %lu, tick %lu\n", (unsigned long)hot_count,
               (unsigned long)ticks);
        xtf_shutdown(SHUTDOWN_crash);
    }
}

/* TSC cycles in 100 ms of system time (the pvclock, at boot only). */
static uint64_t measure_tick(void)
{
    return xtf_tsc_cycles_in(100 * MS);
}

void test_main(void)
{
    uint64_t last, ticks = 0;

    xtf_set_vector_handler(X86_EXC_MC, mc_handler);
    __asm__ volatile("mov %0, %%cr4" ::"r"(read_cr4() | (1UL << 6)));
    for ( uint64_t g = PATTERN_GFN; g < PATTERN_GFN + PATTERN_NR; g++ )
        for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
            page(g)[i] = word(g, i);
    tick_cycles = measure_tick();
    printf("final-guest: started, CR4.MCE set, pattern at gfn %#lx..%#lx\n",
           (unsigned long)PATTERN_GFN, (unsigned long)(PATTERN_GFN + PATTERN_NR - 1));
    last = rdtsc();
    for ( ;; )
    {
        unsigned int poisoned;

        if ( rdtsc() - last < tick_cycles )
        {
            write_hot();
            hypercall_yield();
            continue;
        }
        last = rdtsc();
        poisoned = probe_broken();
        check_pattern(++ticks);
        check_hot(ticks);
        printf("final-guest: tick %06lu, vMCEs %lu, broken %u poisoned %u, pattern intact\n",
               (unsigned long)ticks, (unsigned long)vmces, nr_broken, poisoned);
    }
}
