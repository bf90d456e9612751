/*
 * page_alloc.c - the machine-page allocator: a buddy allocator over the
 * RAM ranges handed in at boot.
 *
 * Each range gives up its first pages to a header, a bitmap with one bit
 * per page, "a free block starts here", and the frame table's records for
 * its pages (struct page_info, xen/frame.h; frame.c owns their meaning);
 * every free block holds its own list links and order in its first bytes,
 * reached through the direct map. The bitmap is what makes that safe: a
 * block's first bytes are read as a header only when its bit says it is
 * free, never on the word of whoever owns the memory. It also makes double
 * frees cheap to catch.
 *
 * May not touch: anything outside the ranges it was given.
 * Lock order: xen/lock-order.h.
 */
#include <xen/mm.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/frame.h>
#include <public/xen.h>
#include <wren/bitops.h>

#define FREE_BLOCK_MAGIC 0x46524545424c4bULL /* "FREEBLK" */

/* The first bytes of every free block. */
struct free_block
{
    uint64_t magic;
    unsigned int order;
    struct free_block *next, *prev;
};

/* The first bytes of every range; the bitmap follows. */
struct mem_range
{
    struct mem_range *next;
    uint64_t base_mfn;  /* where this header lives */
    uint64_t first_mfn; /* first page the allocator may hand out */
    uint64_t nr_pages;
    struct page_info *frames; /* one record per page, after the bitmap */
    uint64_t free_head[];     /* bit n: a free block starts at first_mfn + n */
};

static spinlock_t page_alloc_lock = SPIN_LOCK_UNLOCKED(LOCK_page_alloc);
static struct mem_range *ranges;
static struct free_block *free_lists[MAX_ORDER + 1];
static unsigned long nr_free, nr_total, nr_retired;

static uint64_t block_pages(unsigned int order)
{
    return 1ULL << order;
}

static struct free_block *block_at(uint64_t mfn)
{
    return mfn_to_virt(_mfn(mfn));
}

static struct mem_range *range_of(uint64_t mfn, uint64_t nr)
{
    struct mem_range *r;

    for ( r = ranges; r; r = r->next )
        if ( mfn >= r->first_mfn && mfn + nr <= r->first_mfn + r->nr_pages )
            return r;
    return NULL;
}

static bool head_bit(const struct mem_range *r, uint64_t mfn)
{
    return bitmap_test(r->free_head, mfn - r->first_mfn);
}

static void set_head_bit(struct mem_range *r, uint64_t mfn, bool on)
{
    uint64_t n = mfn - r->first_mfn;

    if ( on )
        bitmap_set(r->free_head, n);
    else
        bitmap_clear(r->free_head, n);
}

static void list_push(struct mem_range *r, uint64_t mfn, unsigned int order)
{
    struct free_block *b = block_at(mfn);

    b->magic = FREE_BLOCK_MAGIC;
    b->order = order;
    b->prev = NULL;
    b->next = free_lists[order];
    if ( b->next )
        b->next->prev = b;
    free_lists[order] = b;
    set_head_bit(r, mfn, true);
    nr_free += block_pages(order);
}

static void list_remove(struct mem_range *r, uint64_t mfn, unsigned int order)
{
    struct free_block *b = block_at(mfn);

    if ( b->magic != FREE_BLOCK_MAGIC || b->order != order )
        panic("page_alloc: free block at mfn %#llx corrupted", (unsigned long long)mfn);
    if ( b->prev )
        b->prev->next = b->next;
    else
        free_lists[order] = b->next;
    if ( b->next )
        b->next->prev = b->prev;
    b->magic = 0; /* the owner's data now, not a header */
    set_head_bit(r, mfn, false);
    nr_free -= block_pages(order);
}

/* Pages of header, bitmap and frame records a range of nr pages needs in
 * front of it (sized for nr: a little more than the pages left after). */
static uint64_t meta_pages(uint64_t nr)
{
    uint64_t bytes = sizeof(struct mem_range) + bitmap_words(nr) * sizeof(uint64_t) +
                     nr * sizeof(struct page_info);

    return (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* The largest naturally aligned block that starts at mfn and ends by end. */
static unsigned int largest_block(uint64_t mfn, uint64_t end)
{
    unsigned int order = 0;

    while ( order < MAX_ORDER && !(mfn & block_pages(order)) &&
            mfn + block_pages(order + 1) <= end )
        order++;
    return order;
}

static void add_range_blocks(struct mem_range *r)
{
    uint64_t mfn = r->first_mfn, end = r->first_mfn + r->nr_pages;

    while ( mfn < end )
    {
        unsigned int order = largest_block(mfn, end);

        list_push(r, mfn, order);
        mfn += block_pages(order);
    }
}

static bool overlaps_known_range(uint64_t first, uint64_t last)
{
    const struct mem_range *r;

    for ( r = ranges; r; r = r->next )
        if ( first < r->first_mfn + r->nr_pages && r->base_mfn < last )
            return true;
    return false;
}

void page_alloc_add_range(paddr_t start, paddr_t end)
{
    uint64_t first = ROUNDUP(start, PAGE_SIZE) >> PAGE_SHIFT;
    uint64_t last = end >> PAGE_SHIFT, meta;
    struct mem_range *r;

    if ( last <= first )
        return;
    meta = meta_pages(last - first);
    if ( last - first <= meta )
        return;

    spin_lock(&page_alloc_lock);
    if ( overlaps_known_range(first, last) )
    {
        spin_unlock(&page_alloc_lock);
        printk(XENLOG_ERR "page_alloc: %#llx-%#llx overlaps a range already given; ignored\n",
               (unsigned long long)start, (unsigned long long)end);
        return;
    }
    r = mfn_to_virt(_mfn(first));
    memset(r, 0, meta << PAGE_SHIFT);
    r->base_mfn = first;
    r->first_mfn = first + meta;
    r->nr_pages = last - first - meta;
    r->frames = (struct page_info *)&r->free_head[bitmap_words(r->nr_pages)];
    r->next = ranges;
    ranges = r;
    nr_total += r->nr_pages;
    add_range_blocks(r);
    spin_unlock(&page_alloc_lock);
}

static void mark_frames(struct mem_range *r, uint64_t mfn, uint64_t nr, enum frame_use use)
{
    struct page_info *pi = &r->frames[mfn - r->first_mfn];
    struct page_info rec = { .owner = use == FRAME_FREE ? DOMID_INVALID : DOMID_XEN,
                             .use = (uint8_t)use };

    for ( uint64_t i = 0; i < nr; i++ )
    {
        /* FRAME_BROKEN is set lock-free by the #MC path: never lose it. */
        uint64_t old = __atomic_exchange_n(&pi[i].raw, rec.raw, __ATOMIC_ACQ_REL);
        struct page_info was = { .raw = old };

        if ( was.flags & FRAME_BROKEN )
            __atomic_fetch_or(&pi[i].flags, FRAME_BROKEN, __ATOMIC_ACQ_REL);
    }
}

static bool block_has_broken(const struct mem_range *r, uint64_t mfn, uint64_t nr)
{
    const struct page_info *pi = &r->frames[mfn - r->first_mfn];

    for ( uint64_t i = 0; i < nr; i++ )
        if ( __atomic_load_n(&pi[i].flags, __ATOMIC_ACQUIRE) & FRAME_BROKEN )
            return true;
    return false;
}

/* A frame still referenced must never reach the free lists. */
static void check_unreferenced(const struct mem_range *r, uint64_t mfn, uint64_t nr)
{
    const struct page_info *pi = &r->frames[mfn - r->first_mfn];

    for ( uint64_t i = 0; i < nr; i++ )
        if ( pi[i].count )
            panic("free_pages: mfn %#llx still has %u references (owner %u)",
                  (unsigned long long)(mfn + i), pi[i].count, pi[i].owner);
}

struct page_info *mfn_to_page(mfn_t m)
{
    struct mem_range *r = range_of(mfn_x(m), 1);

    return r ? &r->frames[mfn_x(m) - r->first_mfn] : NULL;
}

void frame_table_for_each(void (*fn)(void *arg, mfn_t first, struct page_info *pi, uint64_t nr),
                          void *arg)
{
    for ( struct mem_range *r = ranges; r; r = r->next )
        fn(arg, _mfn(r->first_mfn), r->frames, r->nr_pages);
}

static unsigned int smallest_free_order(unsigned int order)
{
    while ( order <= MAX_ORDER && !free_lists[order] )
        order++;
    return order;
}

static void give_back(struct mem_range *r, uint64_t mfn, unsigned int order);

/* Take a free block of 2^order pages off the lists, with the lock held;
 * INVALID_MFN if there is none. A frame that broke while it was free is
 * found here: the block goes back without it and another is taken. */
static mfn_t take_block(unsigned int order)
{
    for ( ;; )
    {
        unsigned int have = smallest_free_order(order);
        uint64_t mfn;
        struct mem_range *r;

        if ( have > MAX_ORDER )
            return INVALID_MFN;
        mfn = mfn_x(virt_to_mfn(free_lists[have]));
        r = range_of(mfn, block_pages(have));
        list_remove(r, mfn, have);
        if ( block_has_broken(r, mfn, block_pages(have)) )
        {
            give_back(r, mfn, have);
            continue;
        }
        while ( have-- > order ) /* give back the upper halves */
            list_push(r, mfn + block_pages(have), have);
        mark_frames(r, mfn, block_pages(order), FRAME_XEN);
        return _mfn(mfn);
    }
}

mfn_t alloc_pages(unsigned int order)
{
    mfn_t m;

    if ( order > MAX_ORDER )
        return INVALID_MFN;
    spin_lock(&page_alloc_lock);
    m = take_block(order);
    spin_unlock(&page_alloc_lock);
    return m;
}

mfn_t alloc_zeroed_pages(unsigned int order)
{
    mfn_t m = alloc_pages(order);

    if ( mfn_valid_raw(m) )
        memset(mfn_to_virt(m), 0, PAGE_SIZE << order);
    return m;
}

/* Does a free block start inside [mfn, mfn + nr)? Whole words at a time. */
static bool any_head_inside(const struct mem_range *r, uint64_t mfn, uint64_t nr)
{
    uint64_t n = mfn - r->first_mfn, end = n + nr;

    while ( n < end )
    {
        bool whole_word = !(n % BITS_PER_WORD) && end - n >= BITS_PER_WORD;

        if ( whole_word ? r->free_head[n / BITS_PER_WORD] != 0 : head_bit(r, r->first_mfn + n) )
            return true;
        n += whole_word ? BITS_PER_WORD : 1;
    }
    return false;
}

/* Does a free block that starts at or before mfn cover it? */
static bool covered_by_free_block(const struct mem_range *r, uint64_t mfn)
{
    unsigned int order;

    for ( order = 0; order <= MAX_ORDER; order++ )
    {
        uint64_t head = mfn & ~(block_pages(order) - 1);

        if ( head >= r->first_mfn && head_bit(r, head) && block_at(head)->order >= order )
            return true;
    }
    return false;
}

static void check_free(const struct mem_range *r, uint64_t mfn, unsigned int order)
{
    if ( !r || (mfn & (block_pages(order) - 1)) )
        panic("free_pages: mfn %#llx order %u is not an allocated block", (unsigned long long)mfn,
              order);
    if ( covered_by_free_block(r, mfn) || any_head_inside(r, mfn, block_pages(order)) )
        panic("free_pages: mfn %#llx order %u is already free", (unsigned long long)mfn, order);
}

static bool buddy_is_free(const struct mem_range *r, uint64_t buddy, unsigned int order)
{
    return buddy >= r->first_mfn && buddy + block_pages(order) <= r->first_mfn + r->nr_pages &&
           head_bit(r, buddy) && block_at(buddy)->order == order;
}

static void merge_and_push(struct mem_range *r, uint64_t mfn, unsigned int order);

/* Put an unreferenced block back, leaving out its broken frames: they
 * are retired (owned by the hypervisor, never on a free list again). */
static void give_back(struct mem_range *r, uint64_t mfn, unsigned int order)
{
    if ( !block_has_broken(r, mfn, block_pages(order)) )
    {
        mark_frames(r, mfn, block_pages(order), FRAME_FREE);
        merge_and_push(r, mfn, order);
        return;
    }
    if ( order == 0 )
    {
        mark_frames(r, mfn, 1, FRAME_XEN);
        nr_retired++;
        return;
    }
    give_back(r, mfn, order - 1);
    give_back(r, mfn + block_pages(order - 1), order - 1);
}

void free_pages(mfn_t first, unsigned int order)
{
    uint64_t mfn = mfn_x(first);
    struct mem_range *r;

    spin_lock(&page_alloc_lock);
    r = order <= MAX_ORDER ? range_of(mfn, block_pages(order)) : NULL;
    check_free(r, mfn, order);
    check_unreferenced(r, mfn, block_pages(order));
    give_back(r, mfn, order);
    spin_unlock(&page_alloc_lock);
}

static void merge_and_push(struct mem_range *r, uint64_t mfn, unsigned int order)
{
    while ( order < MAX_ORDER )
    {
        uint64_t buddy = mfn ^ block_pages(order);

        if ( !buddy_is_free(r, buddy, order) )
            break;
        list_remove(r, buddy, order);
        mfn &= ~block_pages(order);
        order++;
    }
    list_push(r, mfn, order);
}

void *alloc_page_zeroed(void)
{
    mfn_t m = alloc_zeroed_pages(0);

    return mfn_valid_raw(m) ? mfn_to_virt(m) : NULL;
}

void free_page_ptr(void *va)
{
    if ( va )
        free_pages(virt_to_mfn(va), 0);
}

unsigned long pages_free(void)
{
    return nr_free;
}
unsigned long pages_total(void)
{
    return nr_total;
}
unsigned long pages_retired(void)
{
    return nr_retired;
}

unsigned long page_alloc_free_blocks(unsigned int order)
{
    const struct free_block *b;
    unsigned long n = 0;

    if ( order > MAX_ORDER )
        return 0;
    spin_lock(&page_alloc_lock);
    for ( b = free_lists[order]; b; b = b->next )
        n++;
    spin_unlock(&page_alloc_lock);
    return n;
}

#ifdef WREN_HOST_TEST
void page_alloc_reset(void)
{
    memset(free_lists, 0, sizeof(free_lists));
    ranges = NULL;
    nr_free = nr_total = nr_retired = 0;
}
#endif
