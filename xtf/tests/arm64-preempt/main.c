/*
 * arm64-preempt - the hypervisor's tick (the EL2 timer's PPI through the
 * GICv3) takes the CPU from a guest that never gives it up.
 *
 * One CPU (CPUS=1), two domains that make no hypercall while they spin:
 * domU "arm64-spinner" counts for ever, and dom0 here reads the counter
 * for 300 ms of counter time, noting the longest gap between two reads.
 * A gap of a millisecond or more is a slice the CPU gave to someone
 * else, and d1's cpu_time must have grown across the window: both
 * domains made progress. Without preemption whichever domain runs first
 * keeps the CPU: dom0 sees no gap (FAILURE) or never runs (no result).
 */
#include <xtf.h>

const char test_title[] = "A spinning guest is preempted";

#define WINDOW_MS 300

void test_main(void)
{
    struct xen_domctl_getdomaininfo before, after;
    uint64_t hz = read_sysreg(cntfrq_el0), start, last, now, gap = 0;
    unsigned long gaps = 0;

    if ( xtf_getdomaininfo(1, &before) )
        return xtf_failure("no domain 1 (the spinner)");
    start = last = read_sysreg(cntpct_el0);
    do
    {
        now = read_sysreg(cntpct_el0);
        if ( now - last > gap )
            gap = now - last;
        if ( now - last >= hz / 1000 )
            gaps++;
        last = now;
    } while ( now - start < hz / 1000 * WINDOW_MS );
    if ( xtf_getdomaininfo(1, &after) )
        return xtf_failure("domain 1 vanished");
    printf("%lu gaps of 1 ms or more in %u ms, the longest %lu us; d1 ran %lu us meanwhile\n", gaps,
           WINDOW_MS, (unsigned long)(gap * 1000000 / hz),
           (unsigned long)((after.cpu_time - before.cpu_time) / 1000));
    if ( !gaps )
        return xtf_failure("dom0 was never preempted in %u ms beside a spinning domU", WINDOW_MS);
    if ( after.cpu_time <= before.cpu_time )
        return xtf_failure("d1 did not run while dom0 was preempted");
    xtf_success(NULL);
}
