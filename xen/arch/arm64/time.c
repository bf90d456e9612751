/*
 * time.c - the Arm generic timer as the hypervisor's clock: the physical
 * counter (CNTPCT_EL0) at the rate firmware wrote to CNTFRQ_EL0, and
 * busy-wait delays on it, and the EL2 physical timer (CNTHP_*_EL2, PPI
 * 26 through gic.c) as common timer.c's one-shot deadline: the tick
 * that preempts a guest. The guests' timers (CNTV) are not touched here.
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <asm/system.h>
#include <asm/sysregs.h>
#include <asm/arm64.h>
#include <xen/timer.h>
#include <asm/gic.h>

#define CNTHP_CTL_ENABLE (1UL << 0)
#define CNTHP_CTL_IMASK  (1UL << 1)
#define MAX_PROGRAM_NS   10000000000L /* 10 s: no overflow below */

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

/* Fire in ns nanoseconds (at least 1 counter tick from now). The timer
 * is level-triggered: it stays asserted until CVAL moves past the count,
 * which the handler's own call of this function does. */
void arch_timer_program(int64_t ns)
{
    uint64_t ticks;
    if ( ns > MAX_PROGRAM_NS )
        ns = MAX_PROGRAM_NS;
    ticks = ns > 0 ? (uint64_t)ns * counter_hz / 1000000000UL : 0;
    WRITE_SYSREG(arch_cycles() + (ticks ? ticks : 1), cnthp_cval_el2);
    WRITE_SYSREG(CNTHP_CTL_ENABLE, cnthp_ctl_el2);
    isb();
}

void hyp_timer_interrupt(void)
{
    /* Mask it until timer_interrupt reprograms it: no second IRQ meanwhile. */
    WRITE_SYSREG(CNTHP_CTL_ENABLE | CNTHP_CTL_IMASK, cnthp_ctl_el2);
    isb();
    timer_interrupt();
}
