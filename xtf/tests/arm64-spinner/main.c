/*
 * arm64-spinner - helper domU for "arm64-preempt": counts for ever
 * without a hypercall, a WFI or a WFE, so only the hypervisor's tick
 * can take its CPU away. Prints no verdict.
 */
#include <xtf.h>

const char test_title[] = "arm64-preempt helper: spinner";

static volatile unsigned long count;

void test_main(void)
{
    for ( ;; )
        count++;
}
