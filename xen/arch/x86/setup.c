/*
 * setup.c - __start_xen: from the loader's hand-off to the first guest
 * instruction. Order matters and is the whole point of this file: console
 * first (so everything after can complain), then the command line, memory,
 * traps, APIC, the other CPUs, the vendor, and finally the domains.
 */
#include <xen/lib.h>
#include <xen/timer.h>
#include <xen/time.h>
#include <xen/console.h>
#include <xen/param.h>
#include <xen/mm.h>
#include <xen/smp.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/domain_build.h>
#include <xen/version.h>
#include <asm/mce.h>
#include <asm/x86.h>
#include <asm/apic.h>
#include <asm/traps.h>
#include <asm/bootinfo.h>
#include <asm/hvm.h>
#include <asm/fpu.h>

uintptr_t directmap_base; /* identity map: machine == virtual */
static struct boot_info boot_info;

extern uint8_t __image_start[], __image_end[];

#define LOW_MEMORY_END 0x100000       /* leave the first MiB to firmware */
#define DIRECTMAP_END  0x100000000ULL /* what the boot page tables map */

static bool overlaps(paddr_t s, paddr_t e, paddr_t os, paddr_t oe)
{
    return s < oe && os < e;
}

/* Give [s, e) to the allocator minus the image and the boot modules. */
static void add_free_ram(paddr_t s, paddr_t e)
{
    paddr_t cuts[2 * (BOOT_MAX_MODULES + 1)];
    unsigned int n = 0;
    cuts[n++] = virt_to_maddr(__image_start);
    cuts[n++] = ROUNDUP(virt_to_maddr(__image_end), PAGE_SIZE);
    for ( unsigned int i = 0; i < boot_info.nr_modules; i++ )
    {
        cuts[n++] = boot_info.modules[i].start & PAGE_MASK;
        cuts[n++] = ROUNDUP(boot_info.modules[i].end, PAGE_SIZE);
    }
    for ( unsigned int i = 0; i < n; i += 2 )
    {
        if ( !overlaps(s, e, cuts[i], cuts[i + 1]) )
            continue;
        if ( s < cuts[i] )
            add_free_ram(s, cuts[i]);
        if ( cuts[i + 1] < e )
            add_free_ram(cuts[i + 1], e);
        return;
    }
    if ( s < e )
        page_alloc_add_range(s, e);
}

static void init_memory(void)
{
    for ( unsigned int i = 0; i < boot_info.nr_ranges; i++ )
    {
        const struct boot_range *r = &boot_info.ranges[i];
        paddr_t s = MAX(ROUNDUP(r->start, PAGE_SIZE), (paddr_t)LOW_MEMORY_END);
        paddr_t e = MIN(r->end & PAGE_MASK, DIRECTMAP_END);
        printk(" [%016lx, %016lx) type %u\n", r->start, r->end, r->type);
        if ( r->type == 1 && s < e )
            add_free_ram(s, e);
    }
    printk("Memory: %lu KiB free of %lu KiB given to the allocator\n", pages_free() * 4,
           pages_total() * 4);
}

static void show_modules(void)
{
    for ( unsigned int i = 0; i < boot_info.nr_modules; i++ )
        printk("Module %u: [%08lx, %08lx) '%s'\n", i, boot_info.modules[i].start,
               boot_info.modules[i].end, boot_info.modules[i].cmdline);
    if ( boot_info.dropped_modules )
        printk(XENLOG_ERR
               "%u boot modules past the first %u ignored: no domain is built from them\n",
               boot_info.dropped_modules, BOOT_MAX_MODULES);
    if ( boot_info.dropped_ranges )
        printk(XENLOG_ERR "%u memory-map entries past the first %u ignored\n",
               boot_info.dropped_ranges, BOOT_MAX_RANGES);
}

__noreturn void __start_xen(uint32_t magic, uint32_t info);

__noreturn void __start_xen(uint32_t magic, uint32_t info)
{
    struct cpu_info *ci = get_cpu_info();
    ci->cpu = 0;
    ci->curr_vcpu = NULL;
    console_init();
    printk("Wren %s (Xen ABI %d.%d) starting\n", WREN_VERSION_STRING, XEN_ABI_MAJOR, XEN_ABI_MINOR);
    lock_order_announce();
    if ( multiboot_parse(magic, info, &boot_info) )
        panic("not started by a multiboot loader (magic %#x)", magic);
    printk("Loader: %s, command line: '%s'\n", boot_info.loader, boot_info.cmdline);
    cmdline_parse(boot_info.cmdline);
    init_memory();
    show_modules();
    trap_init();
    trap_load();
    mce_cpu_init();
    fpu_cpu_init();
    pic_disable();
    apic_init_cpu();
    ci->apic_id = cpu_apic_id[0] = apic_id();
    apic_calibrate();
    timer_init();
    time_boot_init();
    if ( hvm_init() )
        panic("no usable hardware virtualization (VMX with EPT or SVM with NPT)");
    hvm_cpu_up(0);
    scheduler_init();
    smp_boot_cpus();
    if ( svm_stress_enabled() )
        svm_stress_cpu(0);
    build_boot_domains(&boot_info);
    console_start_input();
    scheduler_loop();
}
