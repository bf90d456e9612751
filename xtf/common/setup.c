/*
 * setup.c - from the 64-bit entry to test_main() and the verdict.
 *
 * The boot information is copied into the image first: a loader may put
 * it anywhere in RAM, including page 0, which the runtime then unmaps (so
 * that NULL pointers fault, in tests and in hypercall arguments alike),
 * and tests such as "memory" overwrite the rest of RAM. xtf_start_info
 * points at the copy, whose memmap/cmdline/modlist addresses point at
 * copies too; xtf_start_info_paddr keeps where the original was.
 */
#include <xtf.h>
#include <xtf/runtime.h>

#define MAX_MEMMAP  64
#define MAX_MODULES 16
#define MAX_CMDLINE 1024

uint32_t xtf_start_info_paddr; /* written by head.S */
const struct hvm_start_info *xtf_start_info;

static struct hvm_start_info si_copy;
static struct hvm_memmap_table_entry memmap_copy[MAX_MEMMAP];
static struct hvm_modlist_entry modlist_copy[MAX_MODULES];
static char cmdline_copy[MAX_CMDLINE];

const char *xtf_cmdline(void)
{
    return cmdline_copy;
}

static bool below_4g(uint64_t pa, uint64_t len)
{
    return pa < XTF_MAPPED_LIMIT && len <= XTF_MAPPED_LIMIT - pa;
}

static void copy_tables(struct hvm_start_info *si)
{
    uint32_t n = MIN(si->nr_modules, MAX_MODULES);

    if ( si->cmdline_paddr && below_4g(si->cmdline_paddr, 1) )
        for ( size_t i = 0; i + 1 < MAX_CMDLINE; i++ )
            if ( !(cmdline_copy[i] = ((const char *)(uintptr_t)si->cmdline_paddr)[i]) )
                break;

    if ( n && below_4g(si->modlist_paddr, n * sizeof(modlist_copy[0])) )
        memcpy(modlist_copy, (const void *)(uintptr_t)si->modlist_paddr,
               n * sizeof(modlist_copy[0]));
    si->nr_modules = n;

    n = si->version >= 1 ? MIN(si->memmap_entries, MAX_MEMMAP) : 0;
    if ( n < si->memmap_entries )
        printf("Warning: memory map truncated to %u entries\n", n);
    if ( n && below_4g(si->memmap_paddr, n * sizeof(memmap_copy[0])) )
        memcpy(memmap_copy, (const void *)(uintptr_t)si->memmap_paddr, n * sizeof(memmap_copy[0]));
    else
        n = 0;
    si->memmap_entries = n;

    si->cmdline_paddr = (uintptr_t)cmdline_copy;
    si->modlist_paddr = (uintptr_t)modlist_copy;
    si->memmap_paddr = (uintptr_t)memmap_copy;
}

static void copy_start_info(void)
{
    const struct hvm_start_info *si = (const void *)(uintptr_t)xtf_start_info_paddr;

    if ( !xtf_start_info_paddr )
        printf("No hvm_start_info (EBX = 0)\n");
    else if ( si->magic != XEN_HVM_START_MAGIC_VALUE )
        printf("Bad hvm_start_info magic %#x at %#x\n", si->magic, xtf_start_info_paddr);
    else
    {
        /* Version 0 ends before memmap_paddr: copy only what exists. */
        memcpy(&si_copy, si,
               si->version >= 1 ? sizeof(*si) : offsetof(struct hvm_start_info, memmap_paddr));
        copy_tables(&si_copy);
        xtf_start_info = &si_copy;
    }
    xtf_unmap_low_page(0);
}

static void banner(void)
{
    printf("--- Wren XTF: %s ---\n", test_title);
    printf("Environment: PVH x86-64, Xen ABI %u.%u, domid %u%s, "
           "console: %s\n",
           xtf_xen_version >> 16, xtf_xen_version & 0xffff, xtf_domid,
           xtf_is_dom0 ? " (control domain)" : "", console_kind_name());
}

void __noreturn xtf_main(void)
{
    traps_init();
    copy_start_info();

    if ( !xen_detect() )
    {
        printf("--- Wren XTF: %s ---\n", test_title);
        xtf_error("no Xen-compatible hypervisor found in CPUID");
        xtf_report_and_exit();
    }
    xen_identify_domain();
    console_init_xen();
    banner();

    if ( !xtf_start_info )
        xtf_error("hvm_start_info missing or invalid");
    else
        test_main();

    xtf_report_and_exit();
}
