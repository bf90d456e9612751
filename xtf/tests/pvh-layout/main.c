/*
 * pvh-layout - helper domU for the dom0-build test: a domain that dom0's
 * toolstack built (tools/libs/guest, xc_pvh_build, through xl create)
 * checks, from the inside, the layout docs/designs/toolstack.md promises:
 *
 *  - hvm_start_info at 0x9f000 (EBX), version 1, the command line the
 *    config gave ("pvh-layout marker=42");
 *  - the memory map: RAM [0, 0x9c000), the store ring reserved, the ACPI
 *    page, the console ring and start info reserved, RAM from 1 MiB to
 *    the configured 16 MiB - in that order, nothing else;
 *  - the RSDP at 0x9d000 with a valid checksum, its XSDT, and a MADT
 *    with one local APIC per vCPU (the config gives 2);
 *  - module 0 (the ramdisk): page-aligned, ending at the top of RAM,
 *    above this kernel, and holding the file dom0 read
 *    ("pvh-layout ramdisk\n");
 *  - HVM_PARAM_STORE_PFN 0x9c and HVM_PARAM_CONSOLE_PFN 0x9e.
 *
 * Its output goes to the PV console ring, which dom0's console daemon
 * reads; dom0's script waits for this test's verdict there.
 */
#include <xtf.h>
#include <public/hvm/params.h>

const char test_title[] = "dom0-build helper: the toolstack's PVH layout, from inside";

#define SI_GPA  0x9f000UL
#define RAM_END (16UL << 20)

static const char want_ramdisk[] = "pvh-layout ramdisk\n";

static const struct hvm_memmap_table_entry want_map[] = {
    { 0, 0x9c000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
    { 0x9c000, 0x1000, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
    { 0x9d000, 0x1000, XEN_HVM_MEMMAP_TYPE_ACPI, 0 },
    { 0x9e000, 0x2000, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
    { 0x100000, RAM_END - 0x100000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
};

static void check_start_info(const struct hvm_start_info *si)
{
    if ( xtf_start_info_paddr != SI_GPA )
        xtf_failure("start info at %#x, expected %#lx\n", xtf_start_info_paddr, SI_GPA);
    if ( si->magic != XEN_HVM_START_MAGIC_VALUE || si->version != 1 || si->reserved )
        xtf_failure("start info magic %#x version %u reserved %u\n", si->magic, si->version,
                    si->reserved);
    if ( strcmp(xtf_cmdline(), "pvh-layout marker=42") )
        xtf_failure("command line '%s'\n", xtf_cmdline());
}

static void check_memmap(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr;

    if ( si->memmap_entries != ARRAY_SIZE(want_map) )
    {
        xtf_failure("%u memory map entries, expected %lu\n", si->memmap_entries,
                    (unsigned long)ARRAY_SIZE(want_map));
        return;
    }
    for ( unsigned int i = 0; i < ARRAY_SIZE(want_map); i++ )
        if ( e[i].addr != want_map[i].addr || e[i].size != want_map[i].size ||
             e[i].type != want_map[i].type )
            xtf_failure("map entry %u: [%#lx +%#lx) type %u\n", i, (unsigned long)e[i].addr,
                        (unsigned long)e[i].size, e[i].type);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while ( n-- )
        s += *p++;
    return s;
}

/* The MADT's local APIC (type 0) entries. */
static unsigned int madt_cpus(const uint8_t *madt)
{
    uint32_t len;
    unsigned int n = 0;

    memcpy(&len, madt + 4, 4);
    for ( uint32_t off = 44; off + 2 <= len && madt[off + 1]; off += madt[off + 1] )
        n += madt[off] == 0;
    return n;
}

static void check_acpi(const struct hvm_start_info *si)
{
    const uint8_t *rsdp = (const void *)(uintptr_t)0x9d000, *xsdt, *madt;
    uint64_t xsdt_pa, madt_pa;

    if ( si->rsdp_paddr != 0x9d000 || memcmp(rsdp, "RSD PTR ", 8) || sum(rsdp, 20) ||
         sum(rsdp, 36) )
    {
        xtf_failure("no valid RSDP at %#lx\n", (unsigned long)si->rsdp_paddr);
        return;
    }
    memcpy(&xsdt_pa, rsdp + 24, 8);
    xsdt = (const void *)(uintptr_t)xsdt_pa;
    memcpy(&madt_pa, xsdt + 36 + 8, 8); /* the XSDT's second entry */
    madt = (const void *)(uintptr_t)madt_pa;
    if ( memcmp(xsdt, "XSDT", 4) || memcmp(madt, "APIC", 4) )
        xtf_failure("XSDT or MADT missing\n");
    else if ( madt_cpus(madt) != 2 )
        xtf_failure("MADT lists %u CPUs, expected 2\n", madt_cpus(madt));
}

static void check_ramdisk(const struct hvm_start_info *si)
{
    const struct hvm_modlist_entry *m = (const void *)(uintptr_t)si->modlist_paddr;

    if ( si->nr_modules != 1 )
    {
        xtf_failure("%u modules, expected the ramdisk\n", si->nr_modules);
        return;
    }
    if ( (m->paddr & 0xfff) || m->size != sizeof(want_ramdisk) - 1 ||
         m->paddr + m->size > RAM_END || RAM_END - (m->paddr + m->size) >= 0x1000 ||
         m->paddr < (uintptr_t)_image_end )
        xtf_failure("ramdisk at [%#lx +%#lx)\n", (unsigned long)m->paddr, (unsigned long)m->size);
    else if ( memcmp((const void *)(uintptr_t)m->paddr, want_ramdisk, m->size) )
        xtf_failure("ramdisk contents differ\n");
}

static void check_params(void)
{
    uint64_t store = 0, console = 0;

    if ( hvm_get_param(HVM_PARAM_STORE_PFN, &store) ||
         hvm_get_param(HVM_PARAM_CONSOLE_PFN, &console) || store != 0x9c || console != 0x9e )
        xtf_failure("store pfn %#lx, console pfn %#lx\n", (unsigned long)store,
                    (unsigned long)console);
}

void test_main(void)
{
    const struct hvm_start_info *si = (const void *)SI_GPA;

    if ( !xtf_start_info )
    {
        xtf_failure("no start info\n");
        return;
    }
    check_start_info(si);
    check_memmap(si);
    check_acpi(si);
    check_ramdisk(si);
    check_params();
    xtf_success(NULL);
}
