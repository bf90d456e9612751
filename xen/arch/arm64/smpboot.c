/*
 * smpboot.c - the other CPUs: one stack each (struct cpu_info at its top,
 * as xen/smp.h wants), started one at a time with PSCI CPU_ON at
 * secondary_entry (head.S), each reporting itself online before the next
 * starts. A started CPU runs selftest.c's part of a boot test, then
 * waits for the boot CPU to have built the domains and joins the
 * scheduler; it never returns here.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/errno.h>
#include <asm/arm64.h>
#include <asm/traps.h>
#include <asm/system.h>
#include <asm/sysregs.h>
#include <asm/guest.h>
#include <asm/gic.h>
#include <xen/sched.h>

#define CPU_START_TIMEOUT_US 2000000

_Static_assert(DT_MAX_CPUS == NR_CPUS, "one device-tree CPU per CPU slot");

uint8_t cpu0_stack[STACK_SIZE] __attribute__((aligned(STACK_SIZE), section(".bss.stack")));
static uint8_t cpu_stacks[NR_CPUS - 1][STACK_SIZE]
    __attribute__((aligned(STACK_SIZE), section(".bss.stack")));

/* Read by secondary_entry with the MMU off (cleaned before CPU_ON). */
uint64_t cpu_stack_top[NR_CPUS];

unsigned int nr_online_cpus = 1;
static volatile bool online[NR_CPUS] = { true };
static bool scheduling; /* the domains are built: join the scheduler */

extern uint8_t secondary_entry[];

bool cpu_is_online(unsigned int cpu)
{
    return cpu < NR_CPUS && online[cpu];
}

static struct cpu_info *stack_cpu_info(uint8_t *stack)
{
    return (struct cpu_info *)(stack + STACK_SIZE - CPU_INFO_SIZE);
}

static bool wait_online(unsigned int cpu)
{
    for ( unsigned int us = 0; us < CPU_START_TIMEOUT_US; us += 100 )
    {
        if ( online[cpu] )
            return true;
        udelay(100);
    }
    return false;
}

static void start_one(unsigned int cpu, uint64_t mpidr)
{
    struct cpu_info *ci = stack_cpu_info(cpu_stacks[cpu - 1]);
    int rc;

    ci->cpu = cpu;
    ci->curr_vcpu = NULL;
    cpu_stack_top[cpu] = (uintptr_t)ci;
    clean_dcache_range(ci, sizeof(*ci));
    clean_dcache_range(&cpu_stack_top[cpu], sizeof(cpu_stack_top[cpu]));
    rc = psci_cpu_on(mpidr, (uintptr_t)secondary_entry, cpu);
    if ( rc )
        printk(XENLOG_ERR "CPU%u (MPIDR %#lx): PSCI CPU_ON failed: %d\n", cpu, mpidr, rc);
    else if ( !wait_online(cpu) )
        printk(XENLOG_ERR "CPU%u (MPIDR %#lx) did not come up\n", cpu, mpidr);
    else
        nr_online_cpus++;
}

void smp_boot_cpus(void)
{
    const struct arm64_boot_info *bi = &arm64_boot_info;
    uint64_t self = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
    unsigned int next = 1;

    mm_publish_for_secondaries();
    for ( unsigned int i = 0; i < bi->nr_cpus; i++ )
    {
        if ( bi->cpu_mpidr[i] == self )
            continue;
        if ( bi->psci == PSCI_NONE )
        {
            printk(XENLOG_WARNING "no PSCI: CPU MPIDR %#lx stays off\n", bi->cpu_mpidr[i]);
            continue;
        }
        start_one(next++, bi->cpu_mpidr[i]);
    }
    printk("%u CPU%s online\n", nr_online_cpus, nr_online_cpus == 1 ? "" : "s");
}

__noreturn void start_secondary(unsigned int cpu)
{
    mm_enable_this_cpu();
    trap_init();
    printk("CPU%u up: MPIDR %#lx, EL%lu\n", cpu, READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK,
           (READ_SYSREG(CurrentEL) >> 2) & 3);
    smp_mb();
    online[cpu] = true;
    selftest_secondary(cpu);
    while ( !ACCESS_ONCE(scheduling) )
        wfe();
    smp_mb();
    guest_cpu_init();
    gic_cpu_init();
    printk("CPU%u joins the scheduler\n", cpu);
    scheduler_loop();
}

void smp_start_scheduling(void)
{
    smp_mb();
    scheduling = true;
    smp_kick_cpu(0);
}

/* Make CPU cpu look at the scheduler again: an SGI once its GIC is up
 * (it wakes the WFI of safe_halt, or preempts what it runs); before
 * that, SEV for the WFE loop a secondary waits in for the scheduler. */
void smp_kick_cpu(unsigned int cpu)
{
    if ( gic_cpu_ready(cpu) )
        gic_send_sgi(cpu, GIC_SGI_KICK);
    else
        asm volatile("dsb ish; sev" ::: "memory");
}
