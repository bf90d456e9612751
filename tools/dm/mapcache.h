/* SPDX-License-Identifier: MIT */
/*
 * mapcache.h - the device model's window on the served domain's RAM:
 * buckets of MAPCACHE_BUCKET_PAGES frames mapped with
 * xenforeignmemory_map, at most a fixed number at once, the least
 * recently used one unmapped to make room. mapcache_invalidate() unmaps
 * everything (IOREQ_TYPE_INVALIDATE: a frame of the domain may have been
 * replaced, seed 001).
 *
 * Private to tools/dm. Single-threaded: a pointer from mapcache_page()
 * is good until the next mapcache call.
 */
#ifndef WRENDM_MAPCACHE_H
#define WRENDM_MAPCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <xenforeignmemory.h>

#define MAPCACHE_BUCKET_PAGES 16U
#define MAPCACHE_MAX_BUCKETS  64U

struct mapcache_stats
{
    uint64_t hits;          /* a lookup found its bucket mapped */
    uint64_t misses;        /* a lookup had to map one */
    uint64_t evictions;     /* buckets unmapped to make room */
    uint64_t invalidations; /* mapcache_invalidate() calls */
    unsigned int live;      /* buckets mapped now */
    unsigned int budget;    /* at most this many */
};

struct mapcache;

/* A cache of domid's RAM holding at most budget buckets (1..MAX). */
struct mapcache *mapcache_create(xenforeignmemory_handle *fmem, uint32_t domid,
                                 unsigned int budget);
/* Unmaps every bucket and frees the cache; NULL is a no-op. */
void mapcache_destroy(struct mapcache *mc);

/* The page at gfn, read-write, or NULL (errno) if it cannot be mapped. */
void *mapcache_page(struct mapcache *mc, uint64_t gfn);
/* Copy [gpa, gpa + len) of guest RAM out or in, across pages; 0 or -1. */
int mapcache_read(struct mapcache *mc, uint64_t gpa, void *buf, size_t len);
int mapcache_write(struct mapcache *mc, uint64_t gpa, const void *buf, size_t len);

/* Drop every mapping: the next lookup of any gfn maps it afresh. */
void mapcache_invalidate(struct mapcache *mc);
void mapcache_get_stats(const struct mapcache *mc, struct mapcache_stats *st);

#endif /* WRENDM_MAPCACHE_H */
