/*
 * time.c - the Arm generic timer as the hypervisor's clock: the physical
 * counter (CNTPCT_EL0) at the rate firmware wrote to CNTFRQ_EL0, and
 * busy-wait delays on it. No timer interrupt yet (that needs the GIC:
 * arch_timer_program is a stub, stubs.c).
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <asm/system.h>
#include <asm/sysregs.h>
#include <asm/arm64.h>

static uint64_t counter_hz;

void time_arm64_init(void)
{
    counter_hz = READ_SYSREG(cntfrq_el0) & 0xffffffffUL;
}

/* The ISB keeps the read from being done early, ahead of older code. */
uint64_t arch_cycles(void)
{
    isb();
    return READ_SYSREG(cntpct_el0);
}

uint64_t arch_cycles_hz(void)
{
    return counter_hz;
}

/* The system counter runs at one rate whatever the CPUs do. */
bool arch_cycles_invariant(void)
{
    return true;
}

void udelay(unsigned long us)
{
    uint64_t hz = counter_hz ? counter_hz : 1000000;
    uint64_t end = arch_cycles() + us * hz / 1000000;
    while ( arch_cycles() < end )
        cpu_relax();
}
