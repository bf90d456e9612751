/*
 * arm64-timer - the guest's virtual timer (CNTV) reaches it as PPI 27
 * through the virtual GICv3, not before its deadline.
 *
 * dom0 (one vCPU) wakes its redistributor, enables PPI 27, and arms CNTV
 * 20 ms ahead twice: once spinning with IRQs unmasked (the timer fires
 * while the vCPU runs: the physical PPI 27 at EL2, injected by a list
 * register), once waiting in WFI (the vCPU blocks; the hypervisor's own
 * timer for the deadline injects it and wakes the vCPU). Each time
 * exactly one PPI 27 must arrive, at a virtual count at or past CVAL,
 * and within 2 s. The virtual counter must run behind the physical one
 * (CNTVOFF_EL2 is the count at the domain's creation).
 */
#include <xtf.h>
#include <xtf/gic.h>

const char test_title[] = "Virtual timer PPI 27 through the vGIC";

#define CNTV_CTL_ENABLE 1UL
#define DELAY_MS        20

static volatile unsigned int fired, other;
static volatile uint64_t fired_at;

static void on_irq(unsigned int intid)
{
    if ( intid != XTF_PPI_VTIMER )
    {
        other = intid;
        return;
    }
    fired_at = read_sysreg(cntvct_el0);
    fired++;
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(0UL));
}

/* Arm CNTV DELAY_MS ahead; wait (spinning or in WFI) for its PPI. */
static bool one_shot(const char *how, bool wfi)
{
    uint64_t hz = read_sysreg(cntfrq_el0), start = read_sysreg(cntvct_el0);
    uint64_t cval = start + hz / 1000 * DELAY_MS, limit = start + 2 * hz;

    fired = 0;
    __asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(cval),
                     "r"(CNTV_CTL_ENABLE));
    xtf_irq_enable();
    while ( !fired && read_sysreg(cntvct_el0) < limit )
        if ( wfi )
            __asm__ volatile("wfi");
    xtf_irq_disable();
    if ( !fired )
        return xtf_failure("%s: no PPI 27 within 2 s of arming CNTV", how), false;
    if ( fired_at < cval )
        return xtf_failure("%s: PPI 27 at count %lu, %lu before the deadline", how, fired_at,
                           cval - fired_at),
               false;
    printf("%s: PPI 27 %lu us after the deadline\n", how,
           (unsigned long)((fired_at - cval) * 1000000 / hz));
    return true;
}

void test_main(void)
{
    uint64_t vct = read_sysreg(cntvct_el0), pct = read_sysreg(cntpct_el0);

    printf("CNTVCT %#lx CNTPCT %#lx\n", vct, pct);
    if ( vct >= pct )
        return xtf_failure("the virtual counter is not offset (CNTVOFF_EL2 0?)");
    xtf_irq_handler = on_irq;
    xtf_gic_cpu_init(0);
    xtf_gic_enable(0, XTF_PPI_VTIMER);
    if ( !one_shot("spinning", false) || !one_shot("in WFI", true) )
        return;
    if ( other )
        return xtf_failure("unexpected interrupt %u", other);
    if ( fired != 1 )
        return xtf_failure("PPI 27 came %u times for one deadline", fired);
    xtf_success(NULL);
}
