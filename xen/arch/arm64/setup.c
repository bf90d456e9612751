/*
 * setup.c - start_xen on arm64: from head.S (EL2, MMU off, x0 = the device
 * tree) to a running hypervisor. Order is the point of this file: the
 * device tree first (it says where RAM and the UART are), then the EL2
 * identity map and caches, the vectors, the console, the command line,
 * the timer, PSCI and the other CPUs, RAM for the allocator; then either
 * the boot self-test the command line asks for and power-off, or the
 * domains of the boot modules and the scheduler (docs/designs/arm64.md).
 */
#include <xen/lib.h>
#include <xen/console.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/version.h>
#include <xen/arch.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <asm/guest.h>
#include <asm/arm64.h>
#include <asm/gic.h>
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

extern uint8_t __image_start[], __image_end[];

static bool overlaps(paddr_t s, paddr_t e, paddr_t os, paddr_t oe)
{
    return s < oe && os < e;
}

/* What the allocator may not have: the image, the modules, the tree. */
static unsigned int boot_cuts(const struct arm64_boot_info *bi, paddr_t *cuts)
{
    unsigned int n = 0;
    cuts[n++] = (uintptr_t)__image_start & PAGE_MASK;
    cuts[n++] = ROUNDUP((uintptr_t)__image_end, PAGE_SIZE);
    cuts[n++] = (uintptr_t)bi->fdt & PAGE_MASK;
    cuts[n++] = ROUNDUP((uintptr_t)bi->fdt + bi->fdt_size, PAGE_SIZE);
    for ( unsigned int i = 0; i < bi->nr_modules; i++ )
    {
        cuts[n++] = bi->modules[i].start & PAGE_MASK;
        cuts[n++] = ROUNDUP(bi->modules[i].start + bi->modules[i].size, PAGE_SIZE);
    }
    return n;
}

/* Give [s, e) to the allocator minus the cuts. */
static void add_free_ram(paddr_t s, paddr_t e, const paddr_t *cuts, unsigned int n)
{
    for ( unsigned int i = 0; i < n; i += 2 )
    {
        if ( !overlaps(s, e, cuts[i], cuts[i + 1]) )
            continue;
        if ( s < cuts[i] )
            add_free_ram(s, cuts[i], cuts, n);
        if ( cuts[i + 1] < e )
            add_free_ram(cuts[i + 1], e, cuts, n);
        return;
    }
    if ( s < e )
        page_alloc_add_range(s, e);
}

static void init_memory(const struct arm64_boot_info *bi)
{
    paddr_t cuts[2 * (DT_MAX_MODULES + 2)];
    unsigned int n = boot_cuts(bi, cuts);
    for ( unsigned int i = 0; i < bi->nr_memory; i++ )
        if ( mm_is_mapped(bi->memory[i].start) )
            add_free_ram(bi->memory[i].start, bi->memory[i].start + bi->memory[i].size, cuts, n);
    printk("Memory: %lu KiB free of %lu KiB given to the allocator\n", pages_free() * 4,
           pages_total() * 4);
}

/* The boot modules' domains, then the scheduler on every CPU. */
static __noreturn void run_guests(void)
{
    timer_init();
    time_boot_init();
    guest_cpu_init();
    gic_init(arm64_boot_info.gicd.start, arm64_boot_info.gicr.start, arm64_boot_info.gicr.size);
    gic_cpu_init();
    scheduler_init();
    /* Before any guest runs: CONSOLEIO_read arms the console's input poll. */
    console_start_input();
    if ( !arm64_build_boot_domains() )
    {
        printk("No boot modules: no domains to run\n");
        machine_power_off();
    }
    smp_start_scheduling();
    scheduler_loop();
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
    init_memory(bi);
    if ( selftest_run() )
        machine_power_off();
    run_guests();
}
