/*
 * arm64.h - what the arm64 files share among themselves: the boot's
 * device-tree facts, the MMU, the generic timer, PSCI, the PL011, the
 * other CPUs and the boot self-tests. Common code never includes it.
 */
#ifndef ASM_ARM64_H
#define ASM_ARM64_H

#include <xen/types.h>
#include <xen/smp.h>
#include <asm/fdt.h>

extern struct arm64_boot_info arm64_boot_info;
extern uint64_t boot_sctlr_el2; /* SCTLR_EL2 at entry (head.S) */

/* mm.c: the EL2 stage-1 identity map. */
void mm_build_boot_map(const struct arm64_boot_info *bi);
void mm_enable_boot_cpu(void);
void mm_enable_this_cpu(void);
bool mm_is_mapped(paddr_t pa);
void clean_dcache_range(const void *p, size_t len);
void mm_publish_for_secondaries(void);
void arm64_mmu_on(uint64_t ttbr, uint64_t tcr, uint64_t mair, uint64_t sctlr);

/* time.c: the generic timer. */
void time_arm64_init(void);

/* psci.c */
void psci_init(enum psci_conduit conduit);
uint32_t psci_version(void);
int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);
__noreturn void psci_system_off(void);
uint64_t arm64_smc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t arm64_hvc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* drivers/char/pl011.c: where serial_init finds the UART. */
void pl011_set_base(paddr_t base);

/* smpboot.c: bring the device tree's other CPUs up; each runs
 * selftest_secondary(cpu) once online. */
void smp_boot_cpus(void);
bool cpu_is_online(unsigned int cpu);
extern uint64_t cpu_stack_top[NR_CPUS];
__noreturn void start_secondary(unsigned int cpu);
/* Let the other CPUs into the scheduler (after the domains are built). */
void smp_start_scheduling(void);

/* selftest.c: the boot tests the runner picks with wren_selftest=. */
bool selftest_run(void); /* false: no self-test was asked for */
void selftest_secondary(unsigned int cpu);

#endif /* ASM_ARM64_H */
