/*
 * smpboot.c - bring up the application processors. The boot CPU copies the
 * real-mode trampoline to TRAMPOLINE_BASE and broadcasts INIT, SIPI, SIPI;
 * each AP enters long mode, takes the next CPU number and its stack
 * (trampoline.S) and arrives in start_secondary().
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/sched.h>
#include <xen/mm.h>
#include <asm/mce.h>
#include <asm/x86.h>
#include <asm/apic.h>
#include <asm/traps.h>
#include <asm/hvm.h>
#include <asm/fpu.h>

unsigned int nr_online_cpus = 1;
uint32_t cpu_apic_id[NR_CPUS];
uint8_t cpu_stacks[NR_CPUS][STACK_SIZE] __aligned(STACK_SIZE)
    __attribute__((section(".bss.stack")));

extern const uint8_t trampoline_start[], trampoline_end[];
extern volatile uint32_t ap_next_cpu;

__noreturn void start_secondary(unsigned int cpu);

__noreturn void start_secondary(unsigned int cpu)
{
    struct cpu_info *ci = get_cpu_info();
    ci->cpu = cpu;
    ci->curr_vcpu = NULL;
    trap_load();
    mce_cpu_init();
    fpu_cpu_init();
    apic_init_cpu();
    ci->apic_id = cpu_apic_id[cpu] = apic_id();
    hvm_cpu_up(cpu);
    __atomic_add_fetch(&nr_online_cpus, 1, __ATOMIC_SEQ_CST);
    printk("CPU%u up (APIC id %u)\n", cpu, ci->apic_id);
    if ( svm_stress_enabled() )
        svm_stress_cpu(cpu);
    scheduler_loop();
}

void smp_boot_cpus(void)
{
    unsigned int waited;
    memcpy(maddr_to_virt(TRAMPOLINE_BASE), trampoline_start, trampoline_end - trampoline_start);
    apic_send_init_sipi_all(TRAMPOLINE_BASE >> 12);
    /* Wait until the APs stop arriving: 100 ms without a new one. */
    for ( waited = 0; waited < 100; waited++ )
    {
        unsigned int seen = ACCESS_ONCE(nr_online_cpus);
        udelay(1000);
        if ( ACCESS_ONCE(nr_online_cpus) != seen )
            waited = 0;
    }
    printk("%u CPUs online\n", nr_online_cpus);
}

void smp_kick_cpu(unsigned int cpu)
{
    if ( cpu == smp_processor_id() )
        get_cpu_info()->need_resched = true;
    else
        apic_send_ipi(cpu_apic_id[cpu], VECTOR_KICK);
}
