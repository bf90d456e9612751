/*
 * mm.h - the machine-memory allocator: whole pages (buddy allocator over the
 * RAM the boot memory map reports) and a small-object heap on top of it.
 *
 * Machine addresses are reached through the direct map: virt = directmap_base
 * + maddr. In the hypervisor the low 4 GiB are identity-mapped, so
 * directmap_base is 0; host unit tests point it at a malloc'd arena.
 */
#ifndef XEN_MM_H
#define XEN_MM_H

#include <xen/types.h>

extern uintptr_t directmap_base;

static inline void *maddr_to_virt(paddr_t ma)
{
    return (void *)(directmap_base + ma);
}
static inline paddr_t virt_to_maddr(const void *va)
{
    return (uintptr_t)va - directmap_base;
}
static inline void *mfn_to_virt(mfn_t m)
{
    return maddr_to_virt(mfn_x(m) << PAGE_SHIFT);
}
static inline mfn_t virt_to_mfn(const void *va)
{
    return _mfn(virt_to_maddr(va) >> PAGE_SHIFT);
}

#define MAX_ORDER 18 /* largest block: 2^18 pages = 1 GiB */

/* Hand the range [start, end) of machine addresses to the allocator. */
void page_alloc_add_range(paddr_t start, paddr_t end);

/* Allocate 2^order contiguous, naturally aligned pages; INVALID_MFN if none. */
mfn_t alloc_pages(unsigned int order);
/* As alloc_pages, and the pages are zeroed. */
mfn_t alloc_zeroed_pages(unsigned int order);
void free_pages(mfn_t first, unsigned int order);
/* Single-page conveniences returning a direct-map pointer (NULL if none). */
void *alloc_page_zeroed(void);
void free_page_ptr(void *va);

unsigned long pages_free(void);
unsigned long pages_total(void);
/* Frames taken out of service for good (broken, xen/broken.h). */
unsigned long pages_retired(void);
/* How many free blocks of exactly 2^order pages there are (diagnostics). */
unsigned long page_alloc_free_blocks(unsigned int order);

/* fn(arg, first frame, its records, how many) for each range of frames
 * the allocator manages (the frame table, xen/frame.h). */
struct page_info;
void frame_table_for_each(void (*fn)(void *arg, mfn_t first, struct page_info *pi, uint64_t nr),
                          void *arg);

#ifdef WREN_HOST_TEST
/* Forget every range, so a host test can start from a new arena. */
void page_alloc_reset(void);
#endif

/* Small-object heap (any size; zeroed; 16-byte aligned, objects over 2 KiB
 * take whole pages). xfree(NULL) is a no-op. Lock order: xen/lock-order.h. */
void *xzalloc_bytes(size_t size);
void xfree(void *p);
#define xzalloc(type)          ((type *)xzalloc_bytes(sizeof(type)))
#define xzalloc_array(type, n) ((type *)xzalloc_bytes(sizeof(type) * (n)))

#endif /* XEN_MM_H */
