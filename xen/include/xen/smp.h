/*
 * smp.h - physical CPUs: numbering, the per-CPU block at the top of each
 * CPU's stack, and cross-CPU kicks.
 */
#ifndef XEN_SMP_H
#define XEN_SMP_H

#include <xen/types.h>
#include <asm/boot.h>
#include <asm/system.h>

#define NR_CPUS NR_CPUS_ASM

struct vcpu;

/*
 * Lives in the top CPU_INFO_SIZE bytes of every CPU's stack, so any code can
 * find its CPU from its stack pointer, without registers a guest could disturb.
 */
struct cpu_info
{
    unsigned int cpu;
    uint32_t apic_id;
    struct vcpu *curr_vcpu;     /* vCPU whose state is loaded, or NULL */
    volatile bool need_resched; /* set by the tick and by kicks */
    uint8_t pad[CPU_INFO_SIZE - 4 - 4 - 8 - 1];
};
_Static_assert(sizeof(struct cpu_info) == CPU_INFO_SIZE, "cpu_info size");

static inline struct cpu_info *get_cpu_info(void)
{
    uintptr_t sp = arch_stack_pointer();
    return (struct cpu_info *)((sp & ~(uintptr_t)(STACK_SIZE - 1)) + STACK_SIZE - CPU_INFO_SIZE);
}
static inline unsigned int smp_processor_id(void)
{
    return get_cpu_info()->cpu;
}
#define current (get_cpu_info()->curr_vcpu)

extern unsigned int nr_online_cpus;
extern uint32_t cpu_apic_id[NR_CPUS];

void smp_boot_cpus(void);
/* Make cpu leave guest context (if in it) and look at its scheduler. */
void smp_kick_cpu(unsigned int cpu);

#endif /* XEN_SMP_H */
