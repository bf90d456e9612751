/*
 * xmalloc.c - the small-object heap: xzalloc_bytes() and xfree().
 *
 * Requests up to 2 KiB come from size classes (powers of two, 16..2048),
 * each carved from single pages. Larger requests take 2^order whole pages.
 * Every page the heap owns starts with a 64-byte header, so xfree() finds
 * the header by rounding the pointer down to its page: a class page keeps
 * one bit per slot (which catches double and misaligned frees), a large
 * block keeps its order and size. Class pages with a free slot sit on a
 * per-class list; a page whose last object goes is given back at once.
 *
 * All memory handed out is zeroed. The one cost of the simple layout: a
 * 2048-byte object shares its page only with the header.
 *
 * Lock order: xen/lock-order.h.
 */
#include <xen/mm.h>
#include <xen/lib.h>
#include <xen/spinlock.h>

#define CLASS_MIN_SHIFT 4  /* 16 bytes */
#define CLASS_MAX_SHIFT 11 /* 2048 bytes */
#define NR_CLASSES      (CLASS_MAX_SHIFT - CLASS_MIN_SHIFT + 1)
#define HDR_SIZE        64
#define MAX_SLOTS       (PAGE_SIZE >> CLASS_MIN_SHIFT)
#define SLAB_MAGIC      0x534c4142U /* "SLAB" */
#define LARGE_MAGIC     0x4c415247U /* "LARG" */

struct heap_page
{
    uint32_t magic;
    uint16_t shift;  /* class pages: log2 of the object size */
    uint16_t order;  /* large blocks: pages = 2^order */
    uint32_t in_use; /* class pages: objects handed out */
    uint32_t pad;
    struct heap_page *next, *prev; /* class pages with a free slot */
    uint64_t used[MAX_SLOTS / 64]; /* class pages: bit per slot */
};
BUILD_BUG_ON(sizeof(struct heap_page) != HDR_SIZE);

static spinlock_t xmalloc_lock = SPIN_LOCK_UNLOCKED(LOCK_xmalloc);
static struct heap_page *partial[NR_CLASSES];

static unsigned int first_slot(unsigned int shift)
{
    return (HDR_SIZE + (1U << shift) - 1) >> shift;
}

static unsigned int nr_slots(unsigned int shift)
{
    return PAGE_SIZE >> shift;
}

static unsigned int class_shift(size_t size)
{
    unsigned int shift = CLASS_MIN_SHIFT;

    while ( (1UL << shift) < size )
        shift++;
    return shift;
}

static bool slot_used(const struct heap_page *pg, unsigned int slot)
{
    return pg->used[slot / 64] & (1ULL << (slot % 64));
}

static void mark_slot(struct heap_page *pg, unsigned int slot, bool used)
{
    if ( used )
        pg->used[slot / 64] |= 1ULL << (slot % 64);
    else
        pg->used[slot / 64] &= ~(1ULL << (slot % 64));
}

static void partial_add(struct heap_page *pg)
{
    struct heap_page **head = &partial[pg->shift - CLASS_MIN_SHIFT];

    pg->prev = NULL;
    pg->next = *head;
    if ( pg->next )
        pg->next->prev = pg;
    *head = pg;
}

static void partial_remove(struct heap_page *pg)
{
    if ( pg->prev )
        pg->prev->next = pg->next;
    else
        partial[pg->shift - CLASS_MIN_SHIFT] = pg->next;
    if ( pg->next )
        pg->next->prev = pg->prev;
    pg->next = pg->prev = NULL;
}

static struct heap_page *new_class_page(unsigned int shift)
{
    struct heap_page *pg = alloc_page_zeroed();

    if ( !pg )
        return NULL;
    pg->magic = SLAB_MAGIC;
    pg->shift = shift;
    partial_add(pg);
    return pg;
}

static unsigned int take_free_slot(struct heap_page *pg)
{
    unsigned int slot = first_slot(pg->shift);

    while ( slot_used(pg, slot) )
        slot++;
    mark_slot(pg, slot, true);
    if ( ++pg->in_use == nr_slots(pg->shift) - first_slot(pg->shift) )
        partial_remove(pg);
    return slot;
}

static void *class_alloc(unsigned int shift)
{
    struct heap_page *pg;
    void *obj = NULL;

    spin_lock(&xmalloc_lock);
    pg = partial[shift - CLASS_MIN_SHIFT];
    if ( !pg )
        pg = new_class_page(shift);
    if ( pg )
        obj = (char *)pg + ((size_t)take_free_slot(pg) << shift);
    spin_unlock(&xmalloc_lock);

    if ( obj )
        memset(obj, 0, 1UL << shift);
    return obj;
}

static void *large_alloc(size_t size)
{
    unsigned int order = 0;
    struct heap_page *pg;
    mfn_t m;

    while ( order <= MAX_ORDER && (PAGE_SIZE << order) - HDR_SIZE < size )
        order++;
    if ( order > MAX_ORDER )
        return NULL;
    m = alloc_zeroed_pages(order);
    if ( !mfn_valid_raw(m) )
        return NULL;
    pg = mfn_to_virt(m);
    pg->magic = LARGE_MAGIC;
    pg->order = order;
    return (char *)pg + HDR_SIZE;
}

void *xzalloc_bytes(size_t size)
{
    if ( size <= (1UL << CLASS_MAX_SHIFT) )
        return class_alloc(class_shift(size));
    return large_alloc(size);
}

#define FREED_POISON 0xa5

static void class_free(struct heap_page *pg, void *p)
{
    size_t offset = (uintptr_t)p & ~PAGE_MASK;
    unsigned int slot = offset >> pg->shift;

    spin_lock(&xmalloc_lock);
    if ( (offset & ((1UL << pg->shift) - 1)) || slot < first_slot(pg->shift) ||
         !slot_used(pg, slot) )
        panic("xfree: %p is not an allocated object (double free?)", p);
    mark_slot(pg, slot, false);
    memset(p, FREED_POISON, 1UL << pg->shift);
    if ( pg->in_use-- == nr_slots(pg->shift) - first_slot(pg->shift) )
        partial_add(pg); /* it was full, now it has room */
    if ( pg->in_use == 0 )
    {
        partial_remove(pg);
        pg->magic = 0;
        free_page_ptr(pg);
    }
    spin_unlock(&xmalloc_lock);
}

static void large_free(struct heap_page *pg, void *p)
{
    if ( (char *)p != (char *)pg + HDR_SIZE )
        panic("xfree: %p is inside a large block, not its start", p);
    memset(p, FREED_POISON, (PAGE_SIZE << pg->order) - HDR_SIZE);
    pg->magic = 0;
    free_pages(virt_to_mfn(pg), pg->order);
}

/*
 * Freed objects are filled with this byte: a use after free then reads
 * pointers and frame numbers no mapping has, and faults at once instead
 * of quietly reading what the next owner wrote.
 */
void xfree(void *p)
{
    struct heap_page *pg = (struct heap_page *)((uintptr_t)p & PAGE_MASK);

    if ( !p )
        return;
    if ( pg->magic == SLAB_MAGIC && pg->shift >= CLASS_MIN_SHIFT && pg->shift <= CLASS_MAX_SHIFT )
        class_free(pg, p);
    else if ( pg->magic == LARGE_MAGIC )
        large_free(pg, p);
    else
        panic("xfree: %p was not allocated by xzalloc (or freed twice)", p);
}
