/* SPDX-License-Identifier: MIT */
/*
 * libxl_memshare.c - memory sharing from the toolstack (xl mem-share):
 * find the pages two domains hold identically and share them, and read
 * the hypervisor's counters and audit.
 *
 * The scan pauses both domains, then walks a gfn range in chunks: each
 * chunk of both is mapped read-only (foreign maps), compared page by
 * page, and unmapped before the identical pairs are nominated and shared
 * (a frame mapped here has a reference too many to be nominated). Gfns
 * already shared are left out (a foreign map would unshare them). With
 * by_hash, a page of the second domain may match a page of the first at
 * any gfn: the first's pages are hashed, candidates compared in full;
 * each page of the first takes one match per scan.
 * The domains are unpaused on every path; a failure leaves what was
 * shared shared (each pair is complete or untouched).
 *
 * It may change only the two domains it is asked about.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "libxl_internal.h"

#define CHUNK         64
#define PAGE          4096
#define NO_GFN        (~0ULL)
#define MIN_U64(a, b) ((a) < (b) ? (a) : (b))

/* One page of the first domain, by content (by_hash). */
struct page_hash
{
    uint64_t hash, gfn;
};

struct scan
{
    libxl_ctx *ctx;
    libxl_domid a, b;
    libxl_mem_share_result *r;
    struct page_hash *table; /* by_hash: open addressing, size a power of 2 */
    uint64_t table_size;
    uint8_t *copy; /* by_hash: one page of b's */
};

static uint64_t page_hash(const void *page)
{
    const uint64_t *w = page;
    uint64_t h = 0xcbf29ce484222325ULL;

    for ( unsigned int i = 0; i < PAGE / 8; i++ )
        h = (h ^ w[i]) * 0x100000001b3ULL;
    return h | 1; /* 0 marks an empty slot */
}

/* Nominate both and share b's gfn onto a's frame. */
static int share_pair(struct scan *s, uint64_t ga, uint64_t gb)
{
    xc_interface *xch = s->ctx->xch;
    uint64_t ha, hb;

    if ( xc_memshr_nominate_gfn(xch, s->a, ga, &ha) || xc_memshr_nominate_gfn(xch, s->b, gb, &hb) ||
         xc_memshr_share_gfns(xch, s->a, ga, ha, s->b, gb, hb) )
        return errno == ENOMEM ? ERROR_NOMEM : 0; /* one pair refused: go on */
    s->r->shared++;
    return 0;
}

/* Is dom's gfn shared already? Mapping it would unshare it (as Xen). */
static bool is_shared(struct scan *s, libxl_domid dom, uint64_t gfn)
{
    return xc_memshr_debug_gfn(s->ctx->xch, dom, gfn) > 0;
}

/* Map n gfns of dom from first, read-only, but for the shared ones
 * (their err[] says so); NULL if none would map. */
static void *map_chunk(struct scan *s, libxl_domid dom, uint64_t first, size_t n, int *err)
{
    xen_pfn_t gfns[CHUNK] = { 0 };

    for ( size_t i = 0; i < n && i < CHUNK; i++ )
        gfns[i] = is_shared(s, dom, first + i) ? NO_GFN : first + i;
    return xenforeignmemory_map(s->ctx->fmem, dom, PROT_READ, n, gfns, err);
}

/* The same-gfn pairs of [first, first + n) that hold the same bytes. */
static int compare_chunk(struct scan *s, uint64_t first, size_t n, bool *same)
{
    int ea[CHUNK], eb[CHUNK];
    uint8_t *pa = map_chunk(s, s->a, first, n, ea);
    uint8_t *pb = pa ? map_chunk(s, s->b, first, n, eb) : NULL;

    memset(same, 0, n * sizeof(*same));
    for ( size_t i = 0; pb && i < n; i++ )
    {
        if ( ea[i] || eb[i] )
            continue; /* a hole, a frame not ours to map, or shared already */
        s->r->compared++;
        same[i] = !memcmp(pa + i * PAGE, pb + i * PAGE, PAGE);
        s->r->identical += same[i];
    }
    if ( pb )
        xenforeignmemory_unmap(s->ctx->fmem, pb, n);
    if ( pa )
        xenforeignmemory_unmap(s->ctx->fmem, pa, n);
    return pb ? 0
              : libxl__err_errno(s->ctx, ERROR_FAIL, "cannot map gfns %#llx+%zu",
                                 (unsigned long long)first, n);
}

static int scan_same_gfn(struct scan *s, uint64_t first, uint64_t last)
{
    bool same[CHUNK];

    for ( uint64_t g = first; g <= last; g += CHUNK )
    {
        size_t n = (size_t)MIN_U64((uint64_t)CHUNK, last - g + 1);
        int rc = compare_chunk(s, g, n, same);

        for ( size_t i = 0; !rc && i < n; i++ )
            if ( same[i] )
                rc = share_pair(s, g + i, g + i);
        if ( rc )
            return rc;
    }
    return 0;
}

/* ---- by hash ---- */

static void table_put(struct scan *s, uint64_t hash, uint64_t gfn)
{
    uint64_t i = hash & (s->table_size - 1);

    while ( s->table[i].hash && s->table[i].hash != hash )
        i = (i + 1) & (s->table_size - 1);
    if ( !s->table[i].hash ) /* keep the first page with this content */
        s->table[i] = (struct page_hash){ hash, gfn };
}

static uint64_t table_get(const struct scan *s, uint64_t hash)
{
    uint64_t i = hash & (s->table_size - 1);

    while ( s->table[i].hash && s->table[i].hash != hash )
        i = (i + 1) & (s->table_size - 1);
    return s->table[i].hash ? s->table[i].gfn : NO_GFN;
}

/* Hash every page of a in [first, last]. */
static int hash_first(struct scan *s, uint64_t first, uint64_t last)
{
    int err[CHUNK];

    for ( uint64_t g = first; g <= last; g += CHUNK )
    {
        size_t n = (size_t)MIN_U64((uint64_t)CHUNK, last - g + 1);
        uint8_t *p = map_chunk(s, s->a, g, n, err);

        if ( !p )
            return libxl__err_errno(s->ctx, ERROR_FAIL, "cannot map gfns of domain %u", s->a);
        for ( size_t i = 0; i < n; i++ )
            if ( !err[i] )
                table_put(s, page_hash(p + i * PAGE), g + i);
        xenforeignmemory_unmap(s->ctx->fmem, p, n);
    }
    return 0;
}

/* Does a's gfn ga hold exactly the bytes of page? A page this scan has
 * shared already is not read again (the map would unshare it): each page
 * of a takes at most one match per scan. */
static bool same_as(struct scan *s, uint64_t ga, const uint8_t *page)
{
    xen_pfn_t gfn = is_shared(s, s->a, ga) ? NO_GFN : ga;
    int err = 0;
    uint8_t *p = xenforeignmemory_map(s->ctx->fmem, s->a, PROT_READ, 1, &gfn, &err);
    bool same = p && !err && !memcmp(p, page, PAGE);

    if ( p )
        xenforeignmemory_unmap(s->ctx->fmem, p, 1);
    return same;
}

/* One page of b: its match in a, if any (b's page is unmapped first). */
static int match_one(struct scan *s, uint64_t gb)
{
    xen_pfn_t gfn = is_shared(s, s->b, gb) ? NO_GFN : gb;
    int err = 0;
    uint8_t *p = xenforeignmemory_map(s->ctx->fmem, s->b, PROT_READ, 1, &gfn, &err);
    uint64_t ga;

    if ( p && !err )
        memcpy(s->copy, p, PAGE);
    if ( p )
        xenforeignmemory_unmap(s->ctx->fmem, p, 1);
    if ( !p || err )
        return 0; /* a hole, or shared already */
    s->r->compared++;
    ga = table_get(s, page_hash(s->copy));
    if ( ga == NO_GFN || !same_as(s, ga, s->copy) )
        return 0;
    s->r->identical++;
    return share_pair(s, ga, gb);
}

static int scan_by_hash(struct scan *s, uint64_t first, uint64_t last)
{
    uint64_t pages = last - first + 1;
    int rc;

    for ( s->table_size = 1; s->table_size < 2 * pages; s->table_size <<= 1 )
        ;
    s->table = calloc(s->table_size, sizeof(*s->table));
    s->copy = malloc(PAGE);
    rc = s->table && s->copy ? hash_first(s, first, last)
                             : libxl__err(s->ctx, ERROR_NOMEM, "no memory for %llu page hashes",
                                          (unsigned long long)pages);
    for ( uint64_t g = first; !rc && g <= last; g++ )
        rc = match_one(s, g);
    free(s->table);
    free(s->copy);
    return rc;
}

/* ---- the call ---- */

static int check_domains(libxl_ctx *ctx, libxl_domid a, libxl_domid b, uint64_t *last)
{
    xen_pfn_t max_a = 0, max_b = 0;
    int rc;

    if ( a == 0 || b == 0 )
        return libxl__err(ctx, ERROR_INVAL, "domain 0's memory is not shared");
    if ( a == b )
        return libxl__err(ctx, ERROR_INVAL, "a domain cannot share with itself");
    if ( (rc = libxl_domain_info(ctx, NULL, a)) || (rc = libxl_domain_info(ctx, NULL, b)) )
        return rc;
    if ( xc_domain_maximum_gpfn(ctx->xch, a, &max_a) < 0 ||
         xc_domain_maximum_gpfn(ctx->xch, b, &max_b) < 0 )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot read the domains' highest gfns");
    *last = MIN_U64(*last, MIN_U64((uint64_t)max_a, (uint64_t)max_b));
    if ( xc_memshr_control(ctx->xch, a, 1) || xc_memshr_control(ctx->xch, b, 1) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot enable sharing");
    return 0;
}

int libxl_mem_share(libxl_ctx *ctx, libxl_domid a, libxl_domid b, uint64_t first, uint64_t last,
                    bool by_hash, libxl_mem_share_result *r)
{
    struct scan s = { ctx, a, b, r, NULL, 0, NULL };
    long saved_before;
    int rc;

    memset(r, 0, sizeof(*r));
    if ( first > last )
        return libxl__err(ctx, ERROR_INVAL, "the range's first gfn is above its last");
    if ( (rc = check_domains(ctx, a, b, &last)) )
        return rc;
    if ( first > last )
        return 0; /* nothing of the range is RAM of both */
    if ( xc_domain_pause(ctx->xch, a) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot pause domain %u", a);
    if ( xc_domain_pause(ctx->xch, b) )
    {
        xc_domain_unpause(ctx->xch, a);
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot pause domain %u", b);
    }
    saved_before = xc_sharing_freed_pages(ctx->xch);
    rc = by_hash ? scan_by_hash(&s, first, last) : scan_same_gfn(&s, first, last);
    r->saved = (uint64_t)(xc_sharing_freed_pages(ctx->xch) - saved_before);
    xc_domain_unpause(ctx->xch, b);
    xc_domain_unpause(ctx->xch, a);
    return rc;
}

int libxl_mem_share_info(libxl_ctx *ctx, libxl_mem_share_info_t *info)
{
    long shared = xc_sharing_used_frames(ctx->xch), saved = xc_sharing_freed_pages(ctx->xch);
    int audit = xc_memshr_audit(ctx->xch);

    if ( shared < 0 || saved < 0 || audit < 0 )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot read the sharing counters");
    info->shared_frames = (uint64_t)shared;
    info->saved_frames = (uint64_t)saved;
    info->audit_errors = (uint64_t)audit;
    return 0;
}

int libxl_domain_shared_pages(libxl_ctx *ctx, libxl_domid domid, uint64_t *pages)
{
    xc_domaininfo_t info;

    if ( xc_domain_getinfo_single(ctx->xch, domid, &info) < 0 )
        return errno == ESRCH ? ERROR_DOMAIN_NOTFOUND
                              : libxl__err_errno(ctx, ERROR_FAIL, "cannot read domain %u", domid);
    *pages = info.shr_pages;
    return 0;
}
