/*
 * mem.c - dom0's memory: the heap of RAM pages above the image (mmap,
 * brk, and the runtime's own kalloc), and the window of guest-physical
 * space at 4 GiB that privcmd mappings are placed in.
 *
 * One bitmap of pages per range; first fit from a moving hint. RAM is
 * identity-mapped, so a page's address is its guest-physical address.
 *
 * May not touch: the p2m (privcmd.c maps and unmaps the window's frames;
 * this file only hands out its addresses).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "rt.h"

#define HEAP_MAX_PAGES (1UL << 18) /* 1 GiB: the most RAM a domain gets */
#define WIN_PAGES      (RT_WINDOW_LEN / RT_PAGE)
#define BRK_MAX        (8UL << 20)

struct pagemap
{
    uintptr_t base;
    size_t pages, hint;
    uint64_t *used;
};

static uint64_t heap_bits[HEAP_MAX_PAGES / 64], win_bits[WIN_PAGES / 64];
static uint64_t win_mapped[WIN_PAGES / 64];
static uint64_t win_ro[WIN_PAGES / 64]; /* mmap()ed without PROT_WRITE */
static struct pagemap heap = { .used = heap_bits }, win = { .used = win_bits };
static uintptr_t brk_base, brk_cur;

static bool bit(const uint64_t *m, size_t i)
{
    return m[i / 64] >> (i % 64) & 1;
}

static void set_bits(uint64_t *m, size_t i, size_t n, bool v)
{
    for ( ; n; n--, i++ )
        m[i / 64] = v ? m[i / 64] | 1UL << (i % 64) : m[i / 64] & ~(1UL << (i % 64));
}

static bool run_free(const struct pagemap *pm, size_t i, size_t n)
{
    for ( size_t j = 0; j < n; j++ )
        if ( i + j >= pm->pages || bit(pm->used, i + j) )
            return false;
    return true;
}

static long pm_alloc(struct pagemap *pm, size_t n)
{
    for ( size_t tries = 0, i = pm->hint; tries < pm->pages; tries++, i++ )
    {
        if ( i + n > pm->pages )
            i = 0;
        if ( run_free(pm, i, n) )
        {
            set_bits(pm->used, i, n, true);
            pm->hint = i + n;
            return (long)i;
        }
    }
    return -1;
}

static size_t pages_of(size_t bytes)
{
    return (bytes + RT_PAGE - 1) / RT_PAGE;
}

static bool pm_owns(const struct pagemap *pm, uintptr_t va, size_t len)
{
    return va >= pm->base && va + len >= va && va + len <= pm->base + pm->pages * RT_PAGE;
}

void rt_mem_init(uintptr_t start, uintptr_t end)
{
    start = (start + RT_PAGE - 1) & ~(RT_PAGE - 1);
    brk_base = brk_cur = start;
    start += BRK_MAX;
    heap.base = start;
    heap.pages = end > start ? (end - start) / RT_PAGE : 0;
    if ( heap.pages > HEAP_MAX_PAGES )
        heap.pages = HEAP_MAX_PAGES;
    win.base = RT_WINDOW;
    win.pages = WIN_PAGES;
}

void *rt_pages_alloc(size_t bytes)
{
    long i = pm_alloc(&heap, pages_of(bytes));
    void *p;
    if ( i < 0 )
        return NULL;
    p = (void *)(heap.base + (size_t)i * RT_PAGE);
    memset(p, 0, pages_of(bytes) * RT_PAGE);
    return p;
}

void rt_pages_free(void *p, size_t bytes)
{
    if ( p && pm_owns(&heap, (uintptr_t)p, bytes) )
        set_bits(heap.used, ((uintptr_t)p - heap.base) / RT_PAGE, pages_of(bytes), false);
}

/* ---- kalloc: power-of-two classes from 32 bytes to 2 KiB, then pages ---- */

#define KCLASSES 7
struct khdr
{
    size_t size; /* class size, or the page-rounded bytes of a big block */
    struct khdr *next;
};
static struct khdr *kfree_list[KCLASSES];

static int kclass(size_t total)
{
    for ( int c = 0; c < KCLASSES; c++ )
        if ( total <= (32UL << c) )
            return c;
    return -1;
}

static struct khdr *kcarve(int c)
{
    size_t sz = 32UL << c;
    uint8_t *page = rt_pages_alloc(RT_PAGE);
    if ( !page )
        return NULL;
    for ( size_t off = sz; off + sz <= RT_PAGE; off += sz )
    {
        struct khdr *h = (struct khdr *)(page + off);
        h->size = sz;
        h->next = kfree_list[c];
        kfree_list[c] = h;
    }
    ((struct khdr *)page)->size = sz;
    return (struct khdr *)page;
}

void *kalloc(size_t bytes)
{
    size_t total = bytes + sizeof(struct khdr);
    int c = kclass(total);
    struct khdr *h;
    if ( c < 0 )
    {
        h = rt_pages_alloc(total);
        if ( h )
            h->size = pages_of(total) * RT_PAGE;
        return h ? h + 1 : NULL;
    }
    h = kfree_list[c];
    if ( h )
        kfree_list[c] = h->next;
    else
        h = kcarve(c);
    if ( !h )
        return NULL;
    memset(h + 1, 0, h->size - sizeof(*h));
    return h + 1;
}

void kfree(void *p)
{
    struct khdr *h = (struct khdr *)p - 1;
    int c;
    if ( !p )
        return;
    c = kclass(h->size);
    if ( c < 0 || h->size > (32UL << (KCLASSES - 1)) )
    {
        rt_pages_free(h, h->size);
        return;
    }
    h->next = kfree_list[c];
    kfree_list[c] = h;
}

/* ---- the foreign-mapping window ---- */

void *window_alloc(size_t bytes)
{
    long i = pm_alloc(&win, pages_of(bytes));
    return i < 0 ? NULL : (void *)(win.base + (size_t)i * RT_PAGE);
}

bool window_owns(uintptr_t va, size_t len)
{
    return pm_owns(&win, va, len);
}

/* A window region mmap()ed without PROT_WRITE: its foreign frames are
 * mapped read-only (WREN_MAPSPACE_gmfn_foreign_ro), which log-dirty does
 * not report as written by dom0. */
static void window_note_prot(uintptr_t va, size_t len, int prot)
{
    set_bits(win_ro, (va - win.base) / RT_PAGE, pages_of(len), !(prot & PROT_WRITE));
}

bool window_readonly(uintptr_t va)
{
    return window_owns(va, RT_PAGE) && bit(win_ro, (va - win.base) / RT_PAGE);
}

void window_note_mapped(uintptr_t va)
{
    set_bits(win_mapped, (va - win.base) / RT_PAGE, 1, true);
}

/* Give back window pages; each one still mapped is unmapped first. */
long rt_window_free(uintptr_t va, size_t len)
{
    size_t first = (va - win.base) / RT_PAGE, n = pages_of(len);
    for ( size_t i = first; i < first + n; i++ )
    {
        if ( bit(win_mapped, i) )
            rt_privcmd_munmap(win.base + i * RT_PAGE, RT_PAGE);
        set_bits(win_mapped, i, 1, false);
    }
    set_bits(win_ro, first, n, false);
    set_bits(win.used, first, n, false);
    return 0;
}

/* ---- guard pages ---- */

/* Make va's page fault on any access (NULL, below the process stack):
 * the architecture's page tables say how. */
int rt_guard_page(uintptr_t va)
{
    if ( va >= RT_WINDOW + RT_WINDOW_LEN )
        return -1;
    return rt_arch_guard_page(va);
}

/* ---- the system calls ---- */

static long sys_brk(uintptr_t want)
{
    if ( want < brk_base || want > brk_base + BRK_MAX )
        return (long)brk_cur;
    if ( want > brk_cur )
        memset((void *)brk_cur, 0, want - brk_cur);
    brk_cur = want;
    return (long)brk_cur;
}

static long sys_mmap(const long *a)
{
    size_t len = (size_t)a[1];
    int flags = (int)a[3];
    void *p;
    if ( !len || (flags & MAP_FIXED) )
        return -EINVAL;
    if ( !(flags & MAP_ANONYMOUS) )
    {
        struct rt_file *f = rt_fd_get((int)a[4]);
        if ( !f )
            return -EBADF;
        long va = f->ops->mmap && !a[5] ? f->ops->mmap(f, len) : -ENODEV;

        if ( va > 0 && window_owns((uintptr_t)va, len) )
            window_note_prot((uintptr_t)va, len, (int)a[2]);
        return va;
    }
    p = rt_pages_alloc(len);
    return p ? (long)p : -ENOMEM;
}

static long sys_munmap(uintptr_t va, size_t len)
{
    if ( va & (RT_PAGE - 1) || !len )
        return -EINVAL;
    if ( window_owns(va, len) )
        return rt_window_free(va, len);
    rt_pages_free((void *)va, len);
    return 0;
}

static long sys_mremap(uintptr_t old, size_t olen, size_t nlen, int flags)
{
    size_t op = pages_of(olen), np = pages_of(nlen);
    void *p;
    if ( old & (RT_PAGE - 1) || !nlen || !pm_owns(&heap, old, olen) )
        return -EINVAL;
    if ( np <= op )
    {
        rt_pages_free((void *)(old + np * RT_PAGE), (op - np) * RT_PAGE);
        return (long)old;
    }
    if ( run_free(&heap, (old - heap.base) / RT_PAGE + op, np - op) )
    {
        set_bits(heap.used, (old - heap.base) / RT_PAGE + op, np - op, true);
        memset((void *)(old + op * RT_PAGE), 0, (np - op) * RT_PAGE);
        return (long)old;
    }
    if ( !(flags & MREMAP_MAYMOVE) || !(p = rt_pages_alloc(nlen)) )
        return -ENOMEM;
    memcpy(p, (void *)old, olen);
    rt_pages_free((void *)old, olen);
    return (long)p;
}

long rt_sys_mem(long nr, const long *a)
{
    switch ( nr )
    {
    case 9: return sys_mmap(a);
    case 10: return 0; /* mprotect: everything is RWX */
    case 11: return sys_munmap((uintptr_t)a[0], (size_t)a[1]);
    case 12: return sys_brk((uintptr_t)a[0]);
    case 25: return sys_mremap((uintptr_t)a[0], (size_t)a[1], (size_t)a[2], (int)a[3]);
    case 28: return 0; /* madvise */
    case 149:
    case 150:
    case 151:
    case 152: return 0; /* mlock, munlock, mlockall, munlockall: nothing is ever paged out */
    default: return RT_UNHANDLED;
    }
}
