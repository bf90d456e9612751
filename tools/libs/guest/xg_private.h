/*
 * xg_private.h - the domain builder's internals (libxenguest, PVH part):
 * the guest-physical layout of docs/designs/toolstack.md as constants,
 * the state one xc_pvh_build() call carries between its steps, and the
 * steps themselves, one file each:
 *
 *   xg_kernel.c   check the kernel, the ramdisk and the sizes (no calls)
 *   xg_memory.c   populate RAM, map guest memory in batches, load
 *   xg_start.c    the special pages: rings, ACPI, hvm_start_info
 *   xg_cpu.c      vCPU 0's HVM context record
 *   xg_arm64.c    the same for an AArch64 kernel (Wren on arm64)
 *   xg_build.c    xc_pvh_build(): the order, the counters, the errors
 *   shared.c      lib/'s ELF parser and ACPI tables, compiled in here
 *
 * Tool code: it reaches the hypervisor only through xenctrl.h and
 * xenforeignmemory.h, and never destroys or unpauses the domain.
 */
#ifndef XG_PRIVATE_H
#define XG_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <xenguest.h>
#include <wren/elf.h>

#define XG_PAGE_SHIFT 12
#define XG_PAGE_SIZE  (1ULL << XG_PAGE_SHIFT)

/* The layout (docs/designs/toolstack.md, "Guest-physical layout"). */
#define XG_STORE_PFN      0x9cULL /* xenstore ring */
#define XG_ACPI_PFN       0x9dULL /* RSDP first */
#define XG_CONSOLE_PFN    0x9eULL /* PV console ring */
#define XG_START_INFO_PFN 0x9fULL /* start info, map, module, cmdline */
#define XG_SPECIAL_PFN    XG_STORE_PFN
#define XG_NR_SPECIAL     4ULL
#define XG_LOW_END        0xa0000ULL  /* end of low memory; hole above */
#define XG_HIGH_START     0x100000ULL /* RAM again from 1 MiB */

/* Inside the start-info page. */
#define XG_SI_MEMMAP_OFF  0x40ULL
#define XG_SI_MODLIST_OFF 0x380ULL
#define XG_SI_CMDLINE_OFF 0x400ULL
#define XG_SI_CMDLINE_MAX (XG_PAGE_SIZE - XG_SI_CMDLINE_OFF) /* with NUL */

/* RAM limits: the hypervisor builds nothing under 4 MiB, and with no
 * MMIO hole yet RAM must stay below the local APIC and the 4 GiB line. */
#define XG_MIN_MEM (4ULL << 20)
#define XG_MAX_MEM (3ULL << 30)

/* Extents: 2 MiB (order 9, the largest Wren's populate accepts) where
 * aligned, else 4 KiB. */
#define XG_SUPER_ORDER 9
#define XG_SUPER_PAGES (1ULL << XG_SUPER_ORDER)

/* The most frames one foreign mapping covers: a region larger than this
 * (a big ramdisk) is mapped a chunk at a time, bounding dom0's address
 * space and the frame list. */
#define XG_MAP_CHUNK_PAGES 8192ULL /* 32 MiB */

#define XG_NR_MEMMAP 5

struct xg_build
{
    xc_interface *xch;
    xenforeignmemory_handle *fmem;
    uint32_t domid;
    struct xc_pvh_dom *dom;

    uint64_t mem;         /* RAM bytes, page-aligned */
    struct elf_image img; /* the kernel, parsed */
    uint32_t entry;       /* XEN_ELFNOTE_PHYS32_ENTRY */
    uint64_t ramdisk_gpa; /* 0: no ramdisk */
    size_t cmdline_len;   /* without the NUL */
    struct xen_e820_entry memmap[XG_NR_MEMMAP];
    xen_pfn_t store_pfn, console_pfn; /* the rings, for the HVM params */
};

/* xg_kernel.c: every check before the first call. 0, or -1 with errno
 * and dom->error set. */
int xg_check(struct xg_build *b);
void xg_memmap(struct xg_build *b);

/* xg_memory.c */
int xg_populate(struct xg_build *b);
int xg_write(struct xg_build *b, uint64_t gpa, const void *src, uint64_t len, uint64_t zero_to);
int xg_load_kernel(struct xg_build *b);
int xg_load_ramdisk(struct xg_build *b);

/* xg_start.c: fill the special pages (XG_NR_SPECIAL pages from
 * XG_SPECIAL_PFN, mapped at `pages`). */
int xg_fill_special(const struct xg_build *b, uint8_t *pages);
int xg_load_special(struct xg_build *b);

/* xg_cpu.c: the HVM context blob for vCPU 0; returns its size. */
#define XG_HVM_CTXT_MAX 2048
size_t xg_cpu_context(const struct xg_build *b, uint8_t *buf);

/* xg_build.c: the rings' HVM params from b->store_pfn/console_pfn. */
int xg_set_params(struct xg_build *b);

/* xg_arm64.c: is dom's kernel an AArch64 ELF? Then xg_arm64_build
 * builds the domain instead of the PVH steps. */
bool xg_kernel_is_arm64(const struct xc_pvh_dom *dom);
int xg_arm64_build(struct xg_build *b);

/* Fail with errno e and the static reason why. */
int xg_fail(struct xg_build *b, int e, const char *why);

#endif /* XG_PRIVATE_H */
