/*
 * xg_memory.c - the domain builder's calls on guest memory: populate the
 * RAM of the layout with as few hypercalls as it can (one call of 4 KiB
 * extents for the unaligned parts, one of 2 MiB extents for the rest),
 * and write guest memory through foreign mappings, one batch per
 * contiguous region (chunked at XG_MAP_CHUNK_PAGES), never per page.
 *
 * It may touch only the domain being built, only through xenctrl.h and
 * xenforeignmemory.h, and unmaps everything it maps before returning.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "xg_private.h"

static int populate(struct xg_build *b, xen_pfn_t *gfns, unsigned long n, unsigned int order)
{
    if ( !n )
        return 0;
    if ( xc_domain_populate_physmap_exact(b->xch, b->domid, n, order, 0, gfns) )
        return xg_fail(b, errno, "populating guest RAM failed");
    return 0;
}

/* The 4 KiB frames: low memory, and high RAM outside the 2 MiB-aligned
 * middle [super_start, super_end). Returns how many were written. */
static unsigned long small_frames(xen_pfn_t *gfns, uint64_t super_start, uint64_t super_end,
                                  uint64_t end)
{
    unsigned long n = 0;

    for ( uint64_t g = 0; g < (XG_LOW_END >> XG_PAGE_SHIFT); g++ )
        gfns[n++] = g;
    for ( uint64_t g = XG_HIGH_START >> XG_PAGE_SHIFT; g < super_start; g++ )
        gfns[n++] = g;
    for ( uint64_t g = super_end; g < end; g++ )
        gfns[n++] = g;
    return n;
}

int xg_populate(struct xg_build *b)
{
    uint64_t end = b->mem >> XG_PAGE_SHIFT;
    uint64_t super_start = ROUNDUP(XG_HIGH_START >> XG_PAGE_SHIFT, XG_SUPER_PAGES);
    uint64_t super_end = MAX(end & ~(XG_SUPER_PAGES - 1), super_start);
    uint64_t nr_super = (super_end - super_start) / XG_SUPER_PAGES;
    /* The most 4 KiB frames: low RAM, up to 2 MiB below and above. */
    uint64_t cap = (XG_LOW_END >> XG_PAGE_SHIFT) + 2 * XG_SUPER_PAGES + nr_super;
    xen_pfn_t *gfns = calloc(cap, sizeof(*gfns));
    unsigned long n;
    int rc;

    if ( !gfns )
        return xg_fail(b, ENOMEM, "out of memory for the populate list");
    n = small_frames(gfns, super_start, MIN(super_end, end), end);
    rc = populate(b, gfns, n, 0);
    if ( rc )
        goto out;
    for ( uint64_t i = 0; i < nr_super; i++ )
        gfns[i] = super_start + i * XG_SUPER_PAGES;
    rc = populate(b, gfns, nr_super, XG_SUPER_ORDER);
out:
    free(gfns);
    return rc;
}

/* Map frames [gfn, gfn + n) of the domain for writing, in one batch. */
static void *map_range(struct xg_build *b, uint64_t gfn, size_t n)
{
    xen_pfn_t *arr = malloc(n * sizeof(*arr));
    void *p;

    if ( !arr )
        return NULL;
    for ( size_t i = 0; i < n; i++ )
        arr[i] = gfn + i;
    p = xenforeignmemory_map(b->fmem, b->domid, PROT_READ | PROT_WRITE, n, arr, NULL);
    free(arr);
    return p;
}

/* Bytes [done, done + len) of a region whose first filesz come from src
 * and the rest are zero. */
static void fill(uint8_t *dst, const uint8_t *src, uint64_t filesz, uint64_t done, uint64_t len)
{
    uint64_t from_src = done < filesz ? MIN(len, filesz - done) : 0;

    if ( from_src )
        memcpy(dst, src + done, from_src);
    memset(dst + from_src, 0, len - from_src);
}

/* Write [gpa, gpa + size): filesz bytes from src, then zeros. Only the
 * bytes of the region change, not the rest of its first and last page. */
int xg_write(struct xg_build *b, uint64_t gpa, const void *src, uint64_t filesz, uint64_t size)
{
    uint64_t done = 0;

    while ( done < size )
    {
        uint64_t at = gpa + done, first = at >> XG_PAGE_SHIFT, off = at & (XG_PAGE_SIZE - 1);
        uint64_t last = (gpa + size - 1) >> XG_PAGE_SHIFT;
        uint64_t n = MIN(XG_MAP_CHUNK_PAGES, last - first + 1);
        uint64_t len = MIN(size - done, n * XG_PAGE_SIZE - off);
        uint8_t *p = map_range(b, first, n);

        if ( !p )
            return xg_fail(b, errno, "mapping guest memory failed");
        fill(p + off, src, filesz, done, len);
        if ( xenforeignmemory_unmap(b->fmem, p, n) )
            return xg_fail(b, errno, "unmapping guest memory failed");
        done += len;
    }
    return 0;
}

int xg_load_kernel(struct xg_build *b)
{
    const uint8_t *image = b->dom->kernel;

    for ( unsigned int i = 0; i < b->img.nr_segments; i++ )
    {
        const struct elf_segment *s = &b->img.seg[i];
        int rc = xg_write(b, s->paddr, image + s->offset, s->filesz, s->memsz);

        if ( rc )
            return rc;
    }
    return 0;
}

int xg_load_ramdisk(struct xg_build *b)
{
    if ( !b->ramdisk_gpa )
        return 0;
    return xg_write(b, b->ramdisk_gpa, b->dom->ramdisk, b->dom->ramdisk_size, b->dom->ramdisk_size);
}
