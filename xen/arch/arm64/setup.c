/*
 * setup.c - start_xen on arm64: from head.S (EL2, MMU off, x0 = the device
 * tree) to a running hypervisor. Order is the point of this file: the
 * device tree first (it says where RAM and the UART are), then the EL2
 * identity map and caches, the vectors, the console, the command line,
 * the timer, PSCI and the other CPUs; then the boot self-test the command
 * line asks for, and power-off (no guests yet: docs/designs/arm64.md).
 */
#include <xen/lib.h>
#include <xen/console.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/version.h>
#include <xen/arch.h>
#include <asm/arm64.h>
#include <asm/traps.h>
#include <asm/system.h>
#include <asm/sysregs.h>

#define GICD_PIDR2            0xffe8 /* GICv3 distributor: ArchRev in bits 7:4 */
#define GICD_PIDR2_ARCHREV(v) (((v) >> 4) & 0xf)

struct arm64_boot_info arm64_boot_info;
uint64_t boot_sctlr_el2; /* SCTLR_EL2 as the loader left it */

__noreturn void start_xen(const void *fdt, uint64_t entry_sctlr);

static void show_memory(const struct arm64_boot_info *bi)
{
    for ( unsigned int i = 0; i < bi->nr_memory; i++ )
        printk("RAM [%016lx, %016lx)\n", bi->memory[i].start,
               bi->memory[i].start + bi->memory[i].size);
    if ( bi->dropped_memory )
        printk(XENLOG_ERR "%u memory ranges past the first %u ignored\n", bi->dropped_memory,
               DT_MAX_MEMORY);
}

static void show_modules(const struct arm64_boot_info *bi)
{
    for ( unsigned int i = 0; i < bi->nr_modules; i++ )
        printk("Module %u: [%08lx, %08lx) %s '%s'\n", i, bi->modules[i].start,
               bi->modules[i].start + bi->modules[i].size, bi->modules[i].kind,
               bi->modules[i].cmdline);
    if ( bi->dropped_modules )
        printk(XENLOG_ERR "%u boot modules past the first %u ignored\n", bi->dropped_modules,
               DT_MAX_MODULES);
}

/* The GICv3 is only found for now; its ArchRev says it is one. */
static void show_gic(const struct arm64_boot_info *bi)
{
    volatile uint32_t *gicd = (volatile uint32_t *)(uintptr_t)bi->gicd.start;
    if ( !bi->gicd.start || !mm_is_mapped(bi->gicd.start) )
    {
        printk(XENLOG_WARNING "no GICv3 in the device tree\n");
        return;
    }
    printk("GICv3: distributor %#lx, redistributors %#lx (%#lx bytes), ArchRev %u\n",
           bi->gicd.start, bi->gicr.start, bi->gicr.size, GICD_PIDR2_ARCHREV(gicd[GICD_PIDR2 / 4]));
}

static void show_platform(const struct arm64_boot_info *bi)
{
    const char *psci = bi->psci == PSCI_SMC ? "smc" : bi->psci == PSCI_HVC ? "hvc" : "none";
    uint32_t v = psci_version();
    printk("Device tree at %p (%u bytes), command line: '%s'\n", bi->fdt, bi->fdt_size,
           bi->cmdline);
    show_memory(bi);
    show_modules(bi);
    printk("Console: PL011 at %#lx\n", bi->uart);
    show_gic(bi);
    printk("PSCI %u.%u by %s; %u CPU%s in the device tree\n", v >> 16, v & 0xffff, psci,
           bi->nr_cpus, bi->nr_cpus == 1 ? "" : "s");
    printk("Generic timer: %lu Hz\n", arch_cycles_hz());
}

/* No console before the device tree is read: a bad tree parks the CPU. */
static void park_without_console(void)
{
    for ( ;; )
        halt();
}

__noreturn void start_xen(const void *fdt, uint64_t entry_sctlr)
{
    struct arm64_boot_info *bi = &arm64_boot_info;
    struct cpu_info *ci = get_cpu_info();

    boot_sctlr_el2 = entry_sctlr;
    ci->cpu = 0;
    ci->curr_vcpu = NULL;
    if ( fdt_parse(fdt, bi) || !bi->uart || !bi->nr_memory )
        park_without_console();
    mm_build_boot_map(bi);
    mm_enable_boot_cpu();
    trap_init();
    pl011_set_base(bi->uart);
    console_init();
    printk("Wren %s (Xen ABI %d.%d) starting on arm64 at EL%lu\n", WREN_VERSION_STRING,
           XEN_ABI_MAJOR, XEN_ABI_MINOR, (READ_SYSREG(CurrentEL) >> 2) & 3);
    lock_order_announce();
    cmdline_parse(bi->cmdline);
    time_arm64_init();
    psci_init(bi->psci);
    show_platform(bi);
    smp_boot_cpus();
    selftest_run();
    machine_power_off();
}
