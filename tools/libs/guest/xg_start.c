/*
 * xg_start.c - the special pages below 640 KiB: the xenstore ring and
 * the console ring (zeroed), the ACPI tables (lib/pvh_acpi.c, the same
 * tables the hypervisor's builder writes) and the start-info page
 * (struct hvm_start_info version 1, the memory map, the ramdisk as module
 * 0, the command line), all in one mapping.
 *
 * It may touch only the special pages of the domain being built.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/hvm/start_info.h>
#include <wren/pvh_acpi.h>
#include "xg_private.h"

#define PAGE_AT(pages, pfn) ((pages) + ((pfn)-XG_SPECIAL_PFN) * XG_PAGE_SIZE)
#define SI_GPA              (XG_START_INFO_PFN << XG_PAGE_SHIFT)

static void fill_memmap(const struct xg_build *b, uint8_t *si_page)
{
    for ( unsigned int i = 0; i < XG_NR_MEMMAP; i++ )
    {
        struct hvm_memmap_table_entry e = { b->memmap[i].addr, b->memmap[i].size, b->memmap[i].type,
                                            0 };

        memcpy(si_page + XG_SI_MEMMAP_OFF + i * sizeof(e), &e, sizeof(e));
    }
}

static void fill_start_info(const struct xg_build *b, uint8_t *si_page)
{
    bool rd = b->ramdisk_gpa != 0;
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,
        .nr_modules = rd ? 1 : 0,
        .modlist_paddr = rd ? SI_GPA + XG_SI_MODLIST_OFF : 0,
        .cmdline_paddr = SI_GPA + XG_SI_CMDLINE_OFF,
        .rsdp_paddr = XG_ACPI_PFN << XG_PAGE_SHIFT,
        .memmap_paddr = SI_GPA + XG_SI_MEMMAP_OFF,
        .memmap_entries = XG_NR_MEMMAP,
    };
    struct hvm_modlist_entry mod = { b->ramdisk_gpa, b->dom->ramdisk_size, 0, 0 };

    memcpy(si_page, &si, sizeof(si));
    fill_memmap(b, si_page);
    if ( rd )
        memcpy(si_page + XG_SI_MODLIST_OFF, &mod, sizeof(mod));
    if ( b->cmdline_len )
        memcpy(si_page + XG_SI_CMDLINE_OFF, b->dom->cmdline, b->cmdline_len);
    si_page[XG_SI_CMDLINE_OFF + b->cmdline_len] = '\0';
}

int xg_fill_special(const struct xg_build *b, uint8_t *pages)
{
    _Static_assert(XG_SI_MEMMAP_OFF + XG_NR_MEMMAP * sizeof(struct hvm_memmap_table_entry) <=
                       XG_SI_MODLIST_OFF,
                   "memory map overlaps the module list");
    _Static_assert(XG_SI_MODLIST_OFF + sizeof(struct hvm_modlist_entry) <= XG_SI_CMDLINE_OFF,
                   "module list overlaps the command line");
    memset(pages, 0, XG_NR_SPECIAL * XG_PAGE_SIZE);
    if ( pvh_acpi_fill(PAGE_AT(pages, XG_ACPI_PFN), XG_ACPI_PFN << XG_PAGE_SHIFT,
                       b->dom->max_vcpus) )
        return -1; /* xg_check() made sure it fits */
    fill_start_info(b, PAGE_AT(pages, XG_START_INFO_PFN));
    return 0;
}

int xg_load_special(struct xg_build *b)
{
    xen_pfn_t arr[XG_NR_SPECIAL];
    uint8_t *pages;
    int rc;

    for ( unsigned int i = 0; i < XG_NR_SPECIAL; i++ )
        arr[i] = XG_SPECIAL_PFN + i;
    pages =
        xenforeignmemory_map(b->fmem, b->domid, PROT_READ | PROT_WRITE, XG_NR_SPECIAL, arr, NULL);
    if ( !pages )
        return xg_fail(b, errno, "mapping the special pages failed");
    rc = xg_fill_special(b, pages) ? xg_fail(b, E2BIG, "too many vCPUs for the ACPI MADT") : 0;
    if ( xenforeignmemory_unmap(b->fmem, pages, XG_NR_SPECIAL) && !rc )
        rc = xg_fail(b, errno, "unmapping the special pages failed");
    return rc;
}
