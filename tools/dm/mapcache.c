/* SPDX-License-Identifier: MIT */
/*
 * mapcache.c - the device model's mapcache (mapcache.h): a fixed array
 * of buckets, each MAPCACHE_BUCKET_PAGES frames of the served domain
 * mapped in one xenforeignmemory_map call, found by a linear search on
 * the bucket's first gfn (the budget is small), evicted least recently
 * used first.
 *
 * May not touch: anything but its own mappings; a frame that would not
 * map (past the end of RAM, a hole) fails only its own lookups.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mapcache.h"

#define MC_PAGE       4096UL
#define MC_PAGE_SHIFT 12

struct mc_bucket
{
    char *va;       /* NULL: free */
    uint64_t first; /* gfn of page 0 */
    uint64_t used;  /* the cache's clock at the last lookup */
    uint16_t bad;   /* bit i: page i did not map */
};

struct mapcache
{
    xenforeignmemory_handle *fmem;
    uint32_t domid;
    uint64_t clock;
    struct mapcache_stats st;
    struct mc_bucket b[MAPCACHE_MAX_BUCKETS];
};

struct mapcache *mapcache_create(xenforeignmemory_handle *fmem, uint32_t domid, unsigned int budget)
{
    struct mapcache *mc;

    if ( !fmem || !budget || budget > MAPCACHE_MAX_BUCKETS )
    {
        errno = EINVAL;
        return NULL;
    }
    mc = calloc(1, sizeof(*mc));
    if ( !mc )
        return NULL;
    mc->fmem = fmem;
    mc->domid = domid;
    mc->st.budget = budget;
    return mc;
}

static void mc_drop(struct mapcache *mc, struct mc_bucket *bk)
{
    xenforeignmemory_unmap(mc->fmem, bk->va, MAPCACHE_BUCKET_PAGES);
    bk->va = NULL;
    mc->st.live--;
}

void mapcache_invalidate(struct mapcache *mc)
{
    unsigned int i;

    for ( i = 0; i < mc->st.budget; i++ )
        if ( mc->b[i].va )
            mc_drop(mc, &mc->b[i]);
    mc->st.invalidations++;
}

void mapcache_destroy(struct mapcache *mc)
{
    if ( !mc )
        return;
    mapcache_invalidate(mc);
    free(mc);
}

/* A free bucket, or the least recently used one unmapped. */
static struct mc_bucket *mc_victim(struct mapcache *mc)
{
    struct mc_bucket *lru = &mc->b[0];
    unsigned int i;

    for ( i = 0; i < mc->st.budget; i++ )
    {
        if ( !mc->b[i].va )
            return &mc->b[i];
        if ( mc->b[i].used < lru->used )
            lru = &mc->b[i];
    }
    mc_drop(mc, lru);
    mc->st.evictions++;
    return lru;
}

/* Map the bucket starting at first; pages that fail are marked bad. */
static struct mc_bucket *mc_fill(struct mapcache *mc, uint64_t first)
{
    xen_pfn_t gfns[MAPCACHE_BUCKET_PAGES];
    int err[MAPCACHE_BUCKET_PAGES];
    struct mc_bucket *bk = mc_victim(mc);
    unsigned int i;
    char *va;

    for ( i = 0; i < MAPCACHE_BUCKET_PAGES; i++ )
        gfns[i] = first + i;
    va = xenforeignmemory_map(mc->fmem, mc->domid, PROT_READ | PROT_WRITE, MAPCACHE_BUCKET_PAGES,
                              gfns, err);
    if ( !va )
        return NULL;
    bk->va = va;
    bk->first = first;
    bk->bad = 0;
    for ( i = 0; i < MAPCACHE_BUCKET_PAGES; i++ )
        bk->bad |= (uint16_t)((err[i] != 0) << i);
    mc->st.live++;
    return bk;
}

static struct mc_bucket *mc_lookup(struct mapcache *mc, uint64_t first)
{
    unsigned int i;

    for ( i = 0; i < mc->st.budget; i++ )
        if ( mc->b[i].va && mc->b[i].first == first )
        {
            mc->st.hits++;
            return &mc->b[i];
        }
    mc->st.misses++;
    return mc_fill(mc, first);
}

void *mapcache_page(struct mapcache *mc, uint64_t gfn)
{
    uint64_t first = gfn & ~(uint64_t)(MAPCACHE_BUCKET_PAGES - 1);
    unsigned int idx = (unsigned int)(gfn - first);
    struct mc_bucket *bk;

    if ( gfn >> (64 - MC_PAGE_SHIFT) )
    {
        errno = EINVAL;
        return NULL;
    }
    bk = mc_lookup(mc, first);
    if ( !bk )
        return NULL;
    bk->used = ++mc->clock;
    if ( bk->bad & (1U << idx) )
    {
        /* Not kept: the frame may be populated before the next look. */
        mc_drop(mc, bk);
        errno = EFAULT;
        return NULL;
    }
    return bk->va + idx * MC_PAGE;
}

/* Copy across pages; to_guest says which way. */
static int mc_copy(struct mapcache *mc, uint64_t gpa, void *buf, size_t len, bool to_guest)
{
    char *p = buf;

    if ( gpa + len < gpa )
    {
        errno = EINVAL;
        return -1;
    }
    while ( len )
    {
        size_t off = gpa & (MC_PAGE - 1), n = MC_PAGE - off < len ? MC_PAGE - off : len;
        char *page = mapcache_page(mc, gpa >> MC_PAGE_SHIFT);

        if ( !page )
            return -1;
        if ( to_guest )
            memcpy(page + off, p, n);
        else
            memcpy(p, page + off, n);
        p += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

int mapcache_read(struct mapcache *mc, uint64_t gpa, void *buf, size_t len)
{
    return mc_copy(mc, gpa, buf, len, false);
}

int mapcache_write(struct mapcache *mc, uint64_t gpa, const void *buf, size_t len)
{
    return mc_copy(mc, gpa, (void *)buf, len, true);
}

void mapcache_get_stats(const struct mapcache *mc, struct mapcache_stats *st)
{
    *st = mc->st;
}
