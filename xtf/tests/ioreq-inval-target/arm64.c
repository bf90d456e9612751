/*
 * arm64.c - ioreq-inval-target's AArch64 pieces: vCPU 1 by PSCI
 * CPU_ON, its naps in WFI until its virtual timer's PPI 27 (5 ms), and
 * no mode 5 (an Arm instruction with two MMIO accesses, LDP/STP, has no
 * syndrome and never reaches a server). The whole file is arm64's; it
 * touches nothing but vCPU 1's timer and the device.
 */
#if defined(__aarch64__)
#include <xtf.h>
#include <xtf/gic.h>
#include <xtf/ioreq-inval.h>
#include "arch.h"

#define CNTV_CTL_ENABLE 1UL

static void (*ap_fn)(unsigned int id);
static volatile bool woke;

static void ap_entry(uint64_t arg)
{
    xtf_gic_cpu_init(1);
    xtf_gic_enable(1, XTF_PPI_VTIMER);
    ap_fn(1);
}

long inval_start_ap(void (*fn)(unsigned int id))
{
    ap_fn = fn;
    return xtf_psci_start(1, ap_entry, 0);
}

static void timer_irq(unsigned int intid)
{
    if ( intid != XTF_PPI_VTIMER )
        return;
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(0UL));
    woke = true;
}

/* WFI blocks the vCPU in the hypervisor until the timer's PPI. */
void inval_nap(void)
{
    uint64_t hz = read_sysreg(cntfrq_el0), now = read_sysreg(cntvct_el0);

    woke = false;
    xtf_irq_handler = timer_irq;
    __asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(now + hz / 200),
                     "r"(CNTV_CTL_ENABLE));
    xtf_irq_enable();
    while ( !woke )
        __asm__ volatile("wfi" ::: "memory");
    xtf_irq_disable();
}

void inval_mode_insn(void)
{
    mark(INVAL_MARK_ERROR);
}

#endif /* __aarch64__ */
