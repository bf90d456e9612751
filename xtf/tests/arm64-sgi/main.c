/*
 * arm64-sgi - SGIs between the vCPUs of one guest through the virtual
 * GICv3: ICC_SGI1R_EL1 (trapped to the hypervisor) on vCPU 0, taken as
 * an IRQ on vCPU 1.
 *
 * dom0 with two vCPUs. vCPU 1 (PSCI CPU_ON) wakes its redistributor,
 * enables SGI 3 and waits in WFI with IRQs on, counting what it takes.
 * vCPU 0 sends SGI 3 twenty times, each after the previous one was
 * counted, and every one must arrive on vCPU 1 (MPIDR Aff0 1). Then SGI
 * 5, which vCPU 1 has not enabled: it must stay pending, not delivered,
 * until vCPU 0 enables it in vCPU 1's redistributor, and then arrive
 * once. Last, eight SGIs (8-15) sent while vCPU 1 has IRQs masked, more
 * than the four list registers hold: each must arrive exactly once when
 * vCPU 1 unmasks. Shared words are volatile and aligned (stage 1 is off).
 */
#include <xtf.h>
#include <xtf/gic.h>

const char test_title[] = "SGIs between vCPUs through the vGIC";

#define SGI_MAIN  3
#define SGI_LATER 5
#define SGI_BURST 8 /* 8..15 */
#define ROUNDS    20
#define POLLS     200000UL

static volatile uint64_t ready, stop, count_main, count_later, bad_intid, wrong_cpu;
static volatile uint64_t burst_masked, burst_go, burst_seen[16];

static void on_irq(unsigned int intid)
{
    if ( (read_sysreg(mpidr_el1) & 0xff) != 1 )
        wrong_cpu++;
    if ( intid == SGI_MAIN )
        count_main++;
    else if ( intid == SGI_LATER )
        count_later++;
    else if ( intid >= SGI_BURST && intid < 16 )
        burst_seen[intid]++;
    else
        bad_intid = intid;
}

static void secondary(uint64_t unused)
{
    xtf_gic_cpu_init(1);
    xtf_gic_enable(1, SGI_MAIN);
    for ( unsigned int i = SGI_BURST; i < 16; i++ )
        xtf_gic_enable(1, i);
    ready = 1;
    xtf_irq_enable();
    while ( !stop )
    {
        if ( burst_go == 1 )
        {
            xtf_irq_disable();
            burst_masked = 1;
            while ( burst_go != 2 )
                hypercall_yield();
            xtf_irq_enable();
            burst_go = 3;
        }
        __asm__ volatile("wfi");
    }
    xtf_irq_disable();
}

static bool wait_count(volatile uint64_t *c, uint64_t want)
{
    for ( unsigned long i = 0; i < POLLS; i++ )
    {
        if ( *c >= want )
            return true;
        hypercall_yield();
    }
    return false;
}

static bool send_rounds(void)
{
    for ( unsigned int i = 1; i <= ROUNDS; i++ )
    {
        xtf_gic_send_sgi(1, SGI_MAIN);
        if ( !wait_count(&count_main, i) )
            return xtf_failure("SGI %u number %u never reached vCPU 1", SGI_MAIN, i), false;
    }
    printf("%u SGIs %u taken by vCPU 1\n", ROUNDS, SGI_MAIN);
    return true;
}

static bool send_disabled(void)
{
    xtf_gic_send_sgi(1, SGI_LATER);
    for ( unsigned int i = 0; i < 200; i++ )
        hypercall_yield();
    if ( count_later )
        return xtf_failure("SGI %u arrived while disabled", SGI_LATER), false;
    xtf_gic_enable(1, SGI_LATER);
    if ( !wait_count(&count_later, 1) )
        return xtf_failure("SGI %u, pending while disabled, not delivered once enabled", SGI_LATER),
               false;
    printf("SGI %u held while disabled, delivered once enabled\n", SGI_LATER);
    return true;
}

static bool send_burst(void)
{
    burst_go = 1;
    xtf_gic_send_sgi(1, SGI_MAIN); /* out of its WFI, to mask */
    if ( !wait_count(&burst_masked, 1) )
        return xtf_failure("vCPU 1 did not mask its IRQs"), false;
    for ( unsigned int i = SGI_BURST; i < 16; i++ )
        xtf_gic_send_sgi(1, i);
    burst_go = 2;
    for ( unsigned int i = SGI_BURST; i < 16; i++ )
        if ( !wait_count(&burst_seen[i], 1) || burst_seen[i] != 1 )
            return xtf_failure("burst: SGI %u came %lu times", i, burst_seen[i]), false;
    printf("8 SGIs pending at once (4 list registers) each taken once\n");
    return true;
}

void test_main(void)
{
    xtf_irq_handler = on_irq;
    xtf_gic_cpu_init(0);
    if ( xtf_psci_start(1, secondary, 0) != PSCI_SUCCESS )
        return xtf_failure("CPU_ON of vCPU 1 failed");
    if ( !wait_count(&ready, 1) )
        return xtf_failure("vCPU 1 never got ready");
    if ( !send_rounds() || !send_disabled() || !send_burst() )
        return;
    stop = 1;
    xtf_gic_send_sgi(1, SGI_MAIN); /* out of its WFI */
    if ( bad_intid || wrong_cpu )
        return xtf_failure("interrupt %lu, or %lu taken on the wrong vCPU", bad_intid, wrong_cpu);
    if ( count_later != 1 )
        return xtf_failure("SGI %u came %lu times", SGI_LATER, count_later);
    xtf_success(NULL);
}
