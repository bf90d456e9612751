/*
 * xg_kernel.c - everything the domain builder checks before it makes its
 * first call: the sizes, the kernel (lib/elf.c parses it; here is where
 * its segments may land), the entry note, the ramdisk's place, the
 * command line and the vCPU count. A refusal names the problem in
 * dom->error and leaves the domain untouched.
 *
 * Pure: it may not call the hypervisor or map anything.
 */
#include <errno.h>
#include <string.h>
#include <xen/elfnote.h>
#include <wren/pvh_acpi.h>
#include "xg_private.h"

static int check_sizes(struct xg_build *b)
{
    const struct xc_pvh_dom *d = b->dom;

    if ( d->mem_kb > (XG_MAX_MEM >> 10) )
        return xg_fail(b, EINVAL, "memory size above 3 GiB (no MMIO hole below 4 GiB yet)");
    b->mem = d->mem_kb << 10;
    if ( b->mem < XG_MIN_MEM )
        return xg_fail(b, EINVAL, "memory size below 4 MiB");
    if ( b->mem & (XG_PAGE_SIZE - 1) )
        return xg_fail(b, EINVAL, "memory size not a whole number of 4 KiB pages");
    if ( !d->kernel || !d->kernel_size )
        return xg_fail(b, EINVAL, "no kernel image");
    if ( !d->ramdisk != !d->ramdisk_size )
        return xg_fail(b, EINVAL, "ramdisk and ramdisk size disagree (empty ramdisk?)");
    return 0;
}

static int check_cmdline_vcpus(struct xg_build *b)
{
    uint8_t scratch[PVH_ACPI_SIZE];
    const char *cmdline = b->dom->cmdline ? b->dom->cmdline : "";

    b->cmdline_len = strnlen(cmdline, XG_SI_CMDLINE_MAX);
    if ( b->cmdline_len == XG_SI_CMDLINE_MAX )
        return xg_fail(b, E2BIG, "command line longer than 3071 bytes");
    if ( !b->dom->max_vcpus )
        return xg_fail(b, EINVAL, "no vCPUs");
    if ( pvh_acpi_fill(scratch, XG_ACPI_PFN << XG_PAGE_SHIFT, b->dom->max_vcpus) )
        return xg_fail(b, E2BIG, "too many vCPUs for the ACPI MADT");
    return 0;
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return a < b_end && b < a_end;
}

/* Where segment s may not go; the parser already refused wrapping. */
static const char *segment_problem(const struct xg_build *b, const struct elf_segment *s)
{
    uint64_t end = s->paddr + s->memsz;

    if ( end > b->mem )
        return "segment beyond the end of RAM";
    if ( overlaps(s->paddr, end, XG_SPECIAL_PFN << XG_PAGE_SHIFT, XG_LOW_END) )
        return "segment overlaps the special pages (0x9c000-0x9ffff)";
    if ( overlaps(s->paddr, end, XG_LOW_END, XG_HIGH_START) )
        return "segment in the hole below 1 MiB";
    for ( const struct elf_segment *o = b->img.seg; o < s; o++ )
        if ( overlaps(s->paddr, end, o->paddr, o->paddr + o->memsz) )
            return "loadable segments overlap";
    return NULL;
}

static bool entry_in_segment(const struct xg_build *b)
{
    for ( unsigned int i = 0; i < b->img.nr_segments; i++ )
        if ( b->entry >= b->img.seg[i].paddr &&
             b->entry - b->img.seg[i].paddr < b->img.seg[i].memsz )
            return true;
    return false;
}

/* The PVH entry: Xen reads a 4-byte note; Linux writes 8 bytes (still
 * below 4 GiB). */
static int check_entry(struct xg_build *b)
{
    uint64_t v = 0;
    int n = elf_find_xen_note(&b->img, XEN_ELFNOTE_PHYS32_ENTRY, &v, sizeof(v));

    if ( n < 0 )
        return xg_fail(b, ENOEXEC, "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel");
    if ( n != 4 && n != 8 )
        return xg_fail(b, ENOEXEC, "XEN_ELFNOTE_PHYS32_ENTRY note is not 4 or 8 bytes");
    if ( v >> 32 )
        return xg_fail(b, ENOEXEC, "PVH entry point above 4 GiB");
    b->entry = (uint32_t)v;
    if ( !entry_in_segment(b) )
        return xg_fail(b, ENOEXEC, "PVH entry point outside every loadable segment");
    return 0;
}

static int check_kernel(struct xg_build *b)
{
    const char *why = NULL;

    if ( elf_parse(&b->img, b->dom->kernel, b->dom->kernel_size, &why) )
        return xg_fail(b, ENOEXEC, why);
    for ( unsigned int i = 0; i < b->img.nr_segments; i++ )
    {
        why = segment_problem(b, &b->img.seg[i]);
        if ( why )
            return xg_fail(b, ENOEXEC, why);
    }
    return check_entry(b);
}

/* The ramdisk goes at the top of RAM, page-aligned, above the kernel. */
static int place_ramdisk(struct xg_build *b)
{
    uint64_t kernel_end = XG_HIGH_START, at;

    b->ramdisk_gpa = 0;
    if ( !b->dom->ramdisk )
        return 0;
    for ( unsigned int i = 0; i < b->img.nr_segments; i++ )
        kernel_end = MAX(kernel_end, b->img.seg[i].paddr + b->img.seg[i].memsz);
    kernel_end = ROUNDUP(kernel_end, XG_PAGE_SIZE);
    if ( b->dom->ramdisk_size > b->mem - kernel_end )
        return xg_fail(b, ENOSPC, "no room for the ramdisk between the kernel and the end of RAM");
    at = (b->mem - b->dom->ramdisk_size) & ~(XG_PAGE_SIZE - 1);
    b->ramdisk_gpa = at;
    return 0;
}

int xg_check(struct xg_build *b)
{
    int rc = check_sizes(b);

    if ( !rc )
        rc = check_cmdline_vcpus(b);
    if ( !rc )
        rc = check_kernel(b);
    if ( !rc )
        rc = place_ramdisk(b);
    return rc;
}

void xg_memmap(struct xg_build *b)
{
    const uint64_t special = XG_SPECIAL_PFN << XG_PAGE_SHIFT;

    b->memmap[0] = (struct xen_e820_entry){ 0, special, E820_RAM };
    b->memmap[1] = (struct xen_e820_entry){ special, XG_PAGE_SIZE, E820_RESERVED };
    b->memmap[2] = (struct xen_e820_entry){ XG_ACPI_PFN << XG_PAGE_SHIFT, XG_PAGE_SIZE, E820_ACPI };
    b->memmap[3] =
        (struct xen_e820_entry){ XG_CONSOLE_PFN << XG_PAGE_SHIFT, 2 * XG_PAGE_SIZE, E820_RESERVED };
    b->memmap[4] = (struct xen_e820_entry){ XG_HIGH_START, b->mem - XG_HIGH_START, E820_RAM };
}
