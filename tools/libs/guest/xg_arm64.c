/*
 * xg_arm64.c - xc_pvh_build() for an AArch64 kernel: the domain builder
 * for guests of Wren on arm64, chosen by the kernel's ELF machine
 * (EM_AARCH64), so the same library serves both architectures. The
 * guest gets what the hypervisor's own boot builder gives a boot module
 * (xen/arch/arm64/domain_build.c), plus the two rings xl's daemons use:
 *
 *   [0x40000000, +mem)   RAM (Xen on Arm's GUEST_RAM0_BASE)
 *   last page            the command line, NUL-terminated
 *   the page below it    the PV console ring (HVM_PARAM_CONSOLE_PFN)
 *   the page below that  the xenstore ring (HVM_PARAM_STORE_PFN)
 *   below them           the ramdisk, page-aligned, above the kernel
 *
 * vCPU 0 starts by XEN_DOMCTL_setvcpucontext (Xen's struct
 * vcpu_guest_context for Arm) at the ELF entry, EL1h with D, A, I and F
 * masked, MMU and caches off, x1 = the command line's IPA, x2 = the
 * domid, x3/x4 = the ramdisk's IPA and size (0 without one).
 *
 * Every check comes before the first call (as in xg_kernel.c). It may
 * touch only the domain it is given, through xenctrl.h and
 * xenforeignmemory.h (xg_memory.c's xg_write).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/hvm/params.h>
#include <xen/arch-arm.h>
#include "xg_private.h"

#define A64_RAM_BASE   0x40000000ULL
#define A64_MAX_MEM    (3ULL << 30)
#define A64_NR_SPECIAL 3ULL /* xenstore, console, command line */
#define EM_AARCH64     183
#define ELF_MACHINE    18 /* e_machine: 2 bytes */
#define ELF_ENTRY      24 /* e_entry: 8 bytes (ELF64) */
#define SCTLR_RES1     0x30d00800ULL

struct a64_layout
{
    uint64_t special; /* the first special page's address */
    uint64_t cmdline, console, store;
    uint64_t entry;
};

bool xg_kernel_is_arm64(const struct xc_pvh_dom *dom)
{
    const uint8_t *k = dom->kernel;
    uint16_t machine;

    if ( !k || dom->kernel_size < 64 ||
         memcmp(k,
                "\x7f"
                "ELF",
                4) )
        return false;
    memcpy(&machine, k + ELF_MACHINE, sizeof(machine));
    return machine == EM_AARCH64;
}

static int a64_check_sizes(struct xg_build *b, struct a64_layout *l)
{
    const struct xc_pvh_dom *d = b->dom;

    b->mem = d->mem_kb << 10;
    if ( d->mem_kb > (A64_MAX_MEM >> 10) || b->mem < XG_MIN_MEM )
        return xg_fail(b, EINVAL, "memory size outside 4 MiB to 3 GiB");
    if ( b->mem & (XG_PAGE_SIZE - 1) )
        return xg_fail(b, EINVAL, "memory size not a whole number of 4 KiB pages");
    if ( !d->ramdisk != !d->ramdisk_size )
        return xg_fail(b, EINVAL, "ramdisk and ramdisk size disagree (empty ramdisk?)");
    if ( !d->max_vcpus )
        return xg_fail(b, EINVAL, "no vCPUs");
    b->cmdline_len = strnlen(d->cmdline ? d->cmdline : "", XG_PAGE_SIZE);
    if ( b->cmdline_len == XG_PAGE_SIZE )
        return xg_fail(b, E2BIG, "command line longer than 4095 bytes");
    l->cmdline = A64_RAM_BASE + b->mem - XG_PAGE_SIZE;
    l->console = l->cmdline - XG_PAGE_SIZE;
    l->store = l->console - XG_PAGE_SIZE;
    l->special = l->store;
    return 0;
}

static const char *a64_segment_problem(const struct xg_build *b, const struct elf_segment *s,
                                       uint64_t top)
{
    uint64_t end = s->paddr + s->memsz;

    if ( s->paddr < A64_RAM_BASE || end > top )
        return "segment outside guest RAM (below its three special pages)";
    for ( const struct elf_segment *o = b->img.seg; o < s; o++ )
        if ( s->paddr < o->paddr + o->memsz && o->paddr < end )
            return "loadable segments overlap";
    return NULL;
}

static bool a64_entry_ok(const struct xg_build *b, uint64_t entry)
{
    if ( entry & 3 )
        return false;
    for ( unsigned int i = 0; i < b->img.nr_segments; i++ )
        if ( entry >= b->img.seg[i].paddr && entry - b->img.seg[i].paddr < b->img.seg[i].memsz )
            return true;
    return false;
}

static int a64_check_kernel(struct xg_build *b, struct a64_layout *l)
{
    const char *why = NULL;

    if ( elf_parse(&b->img, b->dom->kernel, b->dom->kernel_size, &why) )
        return xg_fail(b, ENOEXEC, why);
    if ( !b->img.is64 )
        return xg_fail(b, ENOEXEC, "an AArch64 kernel must be ELF64");
    for ( unsigned int i = 0; i < b->img.nr_segments; i++ )
        if ( (why = a64_segment_problem(b, &b->img.seg[i], l->special)) )
            return xg_fail(b, ENOEXEC, why);
    memcpy(&l->entry, b->img.data + ELF_ENTRY, sizeof(l->entry));
    if ( !a64_entry_ok(b, l->entry) )
        return xg_fail(b, ENOEXEC, "entry point unaligned or outside every loadable segment");
    return 0;
}

/* The ramdisk right below the special pages, above the kernel. */
static int a64_place_ramdisk(struct xg_build *b, const struct a64_layout *l)
{
    uint64_t kernel_end = A64_RAM_BASE;

    b->ramdisk_gpa = 0;
    if ( !b->dom->ramdisk )
        return 0;
    for ( unsigned int i = 0; i < b->img.nr_segments; i++ )
        kernel_end = MAX(kernel_end, b->img.seg[i].paddr + b->img.seg[i].memsz);
    if ( b->dom->ramdisk_size > l->special - ROUNDUP(kernel_end, XG_PAGE_SIZE) )
        return xg_fail(b, ENOSPC, "no room for the ramdisk between the kernel and the end of RAM");
    b->ramdisk_gpa = (l->special - b->dom->ramdisk_size) & ~(XG_PAGE_SIZE - 1);
    return 0;
}

/* RAM in 2 MiB extents (the base is aligned), the rest in 4 KiB ones. */
static int a64_populate(struct xg_build *b)
{
    uint64_t pages = b->mem >> XG_PAGE_SHIFT, supers = pages / XG_SUPER_PAGES;
    uint64_t small = pages - supers * XG_SUPER_PAGES, base = A64_RAM_BASE >> XG_PAGE_SHIFT;
    xen_pfn_t *gfns = malloc((supers + small + 1) * sizeof(*gfns));
    int rc = 0;

    if ( !gfns )
        return xg_fail(b, ENOMEM, "no memory for the frame list");
    for ( uint64_t i = 0; i < supers; i++ )
        gfns[i] = base + i * XG_SUPER_PAGES;
    if ( supers &&
         xc_domain_populate_physmap_exact(b->xch, b->domid, supers, XG_SUPER_ORDER, 0, gfns) )
        rc = xg_fail(b, errno, "populating guest RAM failed");
    for ( uint64_t i = 0; !rc && i < small; i++ )
        gfns[i] = base + supers * XG_SUPER_PAGES + i;
    if ( !rc && small && xc_domain_populate_physmap_exact(b->xch, b->domid, small, 0, 0, gfns) )
        rc = xg_fail(b, errno, "populating guest RAM failed");
    free(gfns);
    return rc;
}

static int a64_load(struct xg_build *b, const struct a64_layout *l)
{
    const char *cmdline = b->dom->cmdline ? b->dom->cmdline : "";
    int rc = xg_load_kernel(b);

    if ( !rc )
        rc = xg_load_ramdisk(b);
    if ( !rc ) /* both rings empty, the command line and zeros to the end */
        rc = xg_write(b, l->special, NULL, 0, 2 * XG_PAGE_SIZE);
    if ( !rc )
        rc = xg_write(b, l->cmdline, cmdline, b->cmdline_len, XG_PAGE_SIZE);
    return rc;
}

static int a64_vcpu0(struct xg_build *b, const struct a64_layout *l)
{
    struct vcpu_guest_context c = { .flags = VGCF_online, .sctlr = SCTLR_RES1 };

    c.user_regs.pc64 = l->entry;
    c.user_regs.cpsr = PSR_GUEST_DAIF | PSR_GUEST64_EL1h;
    c.user_regs.x[1] = l->cmdline;
    c.user_regs.x[2] = b->domid;
    c.user_regs.x[3] = b->ramdisk_gpa;
    c.user_regs.x[4] = b->ramdisk_gpa ? b->dom->ramdisk_size : 0;
    if ( xc_vcpu_setcontext(b->xch, b->domid, 0, &c, sizeof(c)) )
        return xg_fail(b, errno, "setting vCPU 0's context failed");
    return 0;
}

int xg_arm64_build(struct xg_build *b)
{
    struct a64_layout l = { 0 };
    int rc = a64_check_sizes(b, &l);

    if ( !rc )
        rc = a64_check_kernel(b, &l);
    if ( !rc )
        rc = a64_place_ramdisk(b, &l);
    if ( rc )
        return rc;
    b->store_pfn = l.store >> XG_PAGE_SHIFT;
    b->console_pfn = l.console >> XG_PAGE_SHIFT;
    rc = a64_populate(b);
    if ( !rc )
        rc = a64_load(b, &l);
    if ( !rc )
        rc = xg_set_params(b);
    if ( !rc )
        rc = a64_vcpu0(b, &l);
    return rc;
}
