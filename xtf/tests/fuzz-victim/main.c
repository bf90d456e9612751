/*
 * fuzz-victim - the bystander of the hostile-guest fuzzer: a domU that
 * fills its RAM above 2 MiB with a pattern derived from its seed, then
 * re-checks it for as long as the attacker runs. It reports through its
 * status page (FUZZ_VICTIM_STATUS_GPA, mapped by the controller) and,
 * when the controller sets 'stop', through its shutdown reason after one
 * last pass: poweroff if every word is intact, crash if any is not.
 *
 * Command line: seed=S. Touches nothing but its own memory; no verdict.
 */
#include <xtf.h>
#include <xtf/fuzz.h>
#include <xtf/p2m.h>

const char test_title[] = "fuzz: victim domU";

#define FIRST_GFN FUZZ_GFN(0x200UL) /* 2 MiB into RAM, on x86 and arm64 */

static volatile struct fuzz_victim_status *const vs = (void *)FUZZ_VICTIM_STATUS_GPA;

static void fill(uint64_t seed, uint64_t first, uint64_t nr)
{
    for ( uint64_t pa = first << PAGE_SHIFT; pa < (first + nr) << PAGE_SHIFT; pa += 8 )
        *(uint64_t *)(uintptr_t)pa = fuzz_pattern(seed, pa);
}

/* One pass; counts and remembers the words that differ. */
static void check(uint64_t seed, uint64_t first, uint64_t nr)
{
    for ( uint64_t pa = first << PAGE_SHIFT; pa < (first + nr) << PAGE_SHIFT; pa += 8 )
    {
        uint64_t v = *(volatile uint64_t *)(uintptr_t)pa;

        if ( v != fuzz_pattern(seed, pa) )
        {
            vs->mismatches++;
            vs->bad_gfn = pa >> PAGE_SHIFT;
            vs->bad_val = v;
        }
    }
    vs->passes++;
}

void test_main(void)
{
    uint64_t seed = xtf_cmdline_u64("seed", 1) ^ 0x766963ULL;
    uint64_t nr = (xtf_ram_end() >> PAGE_SHIFT) - FIRST_GFN;

    memset((void *)vs, 0, sizeof(*vs));
    vs->seed = seed;
    vs->first_gfn = FIRST_GFN;
    vs->nr = nr;
    fill(seed, FIRST_GFN, nr);
    smp_wmb();
    vs->magic = FUZZ_VICTIM_MAGIC;
    printf("victim: %lu frames from gfn %#lx filled\n", (unsigned long)nr, FIRST_GFN);
    while ( !vs->stop )
    {
        check(seed, FIRST_GFN, nr);
        hypercall_yield();
    }
    check(seed, FIRST_GFN, nr);
    printf("victim: %lu passes, %lu words differ (last at gfn %#lx: %#lx)\n",
           (unsigned long)vs->passes, (unsigned long)vs->mismatches, (unsigned long)vs->bad_gfn,
           (unsigned long)vs->bad_val);
    xtf_shutdown(vs->mismatches ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
