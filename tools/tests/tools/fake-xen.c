/*
 * fake-xen.c - the test double of fake-xen.h: xenctrl, xencall and
 * xenforeignmemory calls acting on one fake domain in this process.
 * Arguments are checked as Wren's hypervisor checks them (extent order
 * at most 9, aligned extents inside the address space, never populated
 * twice; only populated frames map), and a refused call changes nothing.
 *
 * It may touch only the struct fake_dom it is handed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/version.h>
#include "fake-xen.h"

static void ring_push(struct fake_dom *d, uint64_t gfn);

#define FAKE_SCRUB 0xa5
#define MAX_ORDER  9

void fake_dom_init(struct fake_dom *d, uint32_t domid, uint64_t nr_gfns)
{
    memset(d, 0, sizeof(*d));
    d->domid = domid;
    d->nr_gfns = nr_gfns;
    d->page = calloc(nr_gfns, sizeof(*d->page));
    d->populated = calloc(nr_gfns, sizeof(*d->populated));
    d->broken = calloc(nr_gfns, sizeof(*d->broken));
    d->reads = calloc(nr_gfns, sizeof(*d->reads));
    d->dirty = calloc(nr_gfns, sizeof(*d->dirty));
    d->ld_final_paused = true;
    if ( !d->page || !d->populated || !d->broken || !d->reads || !d->dirty )
        abort();
    d->xch.d = d->xcall.d = d->fmem.d = d;
}

void fake_dom_dispose(struct fake_dom *d)
{
    for ( uint64_t g = 0; g < d->nr_gfns; g++ )
        free(d->page[g]);
    for ( unsigned int i = 0; i < d->nr_maps; i++ )
    {
        free(d->maps[i].va);
        free(d->maps[i].gfns);
    }
    free(d->page);
    free(d->populated);
    free(d->broken);
    free(d->reads);
    free(d->dirty);
    free(d->ring);
    memset(d, 0, sizeof(*d));
}

bool fake_is_populated(const struct fake_dom *d, uint64_t gfn)
{
    return gfn < d->nr_gfns && d->populated[gfn];
}

void fake_read(const struct fake_dom *d, uint64_t gpa, void *buf, size_t len)
{
    uint8_t *out = buf;

    for ( size_t i = 0; i < len; i++ )
    {
        uint64_t gfn = (gpa + i) / FAKE_PAGE;
        const uint8_t *p = gfn < d->nr_gfns ? d->page[gfn] : NULL;

        if ( !fake_is_populated(d, gfn) )
            out[i] = 0xff;
        else
            out[i] = p ? p[(gpa + i) % FAKE_PAGE] : FAKE_SCRUB;
    }
}

/* Count a call; -1 with errno if this is the one to fail. */
static int call(struct fake_dom *d, uint32_t domid)
{
    if ( ++d->calls == d->fail_call )
    {
        errno = ENOMEM;
        return -1;
    }
    if ( domid != d->domid )
    {
        errno = ESRCH;
        return -1;
    }
    return 0;
}

struct xencall_handle *xc_interface_xcall(xc_interface *xch)
{
    return &xch->d->xcall;
}

uint64_t xencall_count(const xencall_handle *xcall)
{
    return xcall->d->calls;
}

static bool extent_ok(const struct fake_dom *d, xen_pfn_t gfn, unsigned int order)
{
    uint64_t n = 1ULL << order;

    if ( gfn & (n - 1) || gfn >= d->nr_gfns || n > d->nr_gfns - gfn )
        return false;
    for ( uint64_t i = 0; i < n; i++ )
        if ( d->populated[gfn + i] )
            return false;
    return true;
}

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid, unsigned long nr_extents,
                                     unsigned int extent_order, unsigned int mem_flags,
                                     xen_pfn_t *extent_start)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    d->populate_calls++;
    if ( extent_order > MAX_ORDER || mem_flags )
        return errno = EINVAL, -1;
    for ( unsigned long i = 0; i < nr_extents; i++ )
        if ( !extent_ok(d, extent_start[i], extent_order) )
            return errno = EINVAL, -1;
    for ( unsigned long i = 0; i < nr_extents; i++ )
        for ( uint64_t k = 0; k < (1ULL << extent_order); k++ )
            d->populated[extent_start[i] + k] = true;
    d->extents[extent_order] += nr_extents;
    d->populated_frames += (uint64_t)nr_extents << extent_order;
    return 0;
}

int xc_domain_set_memory_map(xc_interface *xch, uint32_t domid, struct xen_e820_entry entries[],
                             uint32_t nr_entries)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( nr_entries > FAKE_MAX_MEMMAP )
        return errno = E2BIG, -1;
    memcpy(d->memmap, entries, nr_entries * sizeof(*entries));
    d->nr_memmap = nr_entries;
    return 0;
}

int xc_hvm_param_set(xc_interface *xch, uint32_t domid, uint32_t param, uint64_t value)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( param >= FAKE_NR_PARAMS )
        return errno = EINVAL, -1;
    d->params[param] = value;
    d->params_set |= 1ULL << param;
    return 0;
}

int xc_domain_hvm_setcontext(xc_interface *xch, uint32_t domid, uint8_t *hvm_ctxt, uint32_t size)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( size > sizeof(d->ctxt) )
        return errno = E2BIG, -1;
    memcpy(d->ctxt, hvm_ctxt, size);
    d->ctxt_len = size;
    return 0;
}

/* arm64's builder: vCPU 0's struct vcpu_guest_context, kept where the
 * HVM context would be. */
int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu, const void *ctxt,
                       size_t size)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( vcpu || size > sizeof(d->ctxt) )
        return errno = EINVAL, -1;
    memcpy(d->ctxt, ctxt, size);
    d->ctxt_len = size;
    return 0;
}

uint64_t xenforeignmemory_batches(const xenforeignmemory_handle *fmem)
{
    return fmem->d->batches;
}

uint64_t xenforeignmemory_frames(const xenforeignmemory_handle *fmem)
{
    return fmem->d->frames;
}

/* The frame's contents, allocated (scrub pattern) on first use. */
static uint8_t *frame(struct fake_dom *d, uint64_t gfn)
{
    if ( !d->page[gfn] )
    {
        d->page[gfn] = malloc(FAKE_PAGE);
        if ( !d->page[gfn] )
            abort();
        memset(d->page[gfn], FAKE_SCRUB, FAKE_PAGE);
    }
    return d->page[gfn];
}

/* A broken frame maps only with an err[] to report it in. */
static bool map_ok(struct fake_dom *d, uint32_t dom, size_t pages, const xen_pfn_t arr[],
                   const int err[])
{
    if ( dom != d->domid || !pages || d->nr_maps == FAKE_MAX_MAPS )
        return false;
    for ( size_t i = 0; i < pages; i++ )
        if ( !fake_is_populated(d, arr[i]) && !(err && arr[i] < d->nr_gfns && d->broken[arr[i]]) )
            return false;
    return true;
}

/* Page i of map m: the frame's contents, or for a broken frame an error
 * and zeroes (no read happens). */
static void map_page(struct fake_dom *d, struct fake_map *m, size_t i, xen_pfn_t gfn, int *err)
{
    m->gfns[i] = gfn;
    if ( d->broken[gfn] )
    {
        d->broken_reads++;
        memset(m->va + i * FAKE_PAGE, 0, FAKE_PAGE);
        err[i] = -EFAULT;
        return;
    }
    d->reads[gfn]++;
    memcpy(m->va + i * FAKE_PAGE, frame(d, gfn), FAKE_PAGE);
    if ( err )
        err[i] = 0;
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot, size_t pages,
                           const xen_pfn_t arr[], int err[])
{
    struct fake_dom *d = fmem->d;
    struct fake_map *m = &d->maps[d->nr_maps];

    if ( ++d->batches == d->fail_map || !map_ok(d, dom, pages, arr, err) )
        return errno = EINVAL, NULL;
    m->va = aligned_alloc(FAKE_PAGE, pages * FAKE_PAGE);
    m->gfns = malloc(pages * sizeof(*m->gfns));
    if ( !m->va || !m->gfns )
        abort();
    for ( size_t i = 0; i < pages; i++ )
        map_page(d, m, i, arr[i], err);
    m->n = pages;
    d->nr_maps++;
    d->frames += pages;
    return m->va;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages)
{
    struct fake_dom *d = fmem->d;

    for ( unsigned int i = 0; i < d->nr_maps; i++ )
    {
        struct fake_map *m = &d->maps[i];

        if ( m->va != addr || m->n != pages )
            continue;
        for ( size_t k = 0; k < pages; k++ )
            if ( d->page[m->gfns[k]] )
                memcpy(d->page[m->gfns[k]], m->va + k * FAKE_PAGE, FAKE_PAGE);
        free(m->va);
        free(m->gfns);
        *m = d->maps[--d->nr_maps];
        if ( d->after_unmap )
            d->after_unmap(d);
        return 0;
    }
    return errno = EINVAL, -1;
}

/* --- save and restore --------------------------------------------------- */

void fake_write(struct fake_dom *d, uint64_t gpa, const void *buf, size_t len)
{
    const uint8_t *in = buf;

    for ( size_t i = 0; i < len; i++ )
    {
        uint64_t gfn = (gpa + i) / FAKE_PAGE;

        if ( !fake_is_populated(d, gfn) )
            abort();
        frame(d, gfn)[(gpa + i) % FAKE_PAGE] = in[i];
        if ( d->logdirty && !d->dirty[gfn] )
            ring_push(d, gfn);
        if ( d->logdirty )
            d->dirty[gfn] = true;
    }
}

static void ring_push(struct fake_dom *d, uint64_t gfn)
{
    if ( !d->ring_on )
        return;
    if ( d->ring_used == d->ring_size )
    {
        d->ring_dropped = true;
        d->ring_drops++;
        return;
    }
    d->ring[(d->ring_head + d->ring_used++) % d->ring_size] = gfn;
}

void fake_break(struct fake_dom *d, uint64_t gfn)
{
    if ( gfn >= d->nr_gfns || !d->populated[gfn] )
        abort();
    d->populated[gfn] = false;
    d->broken[gfn] = true;
    free(d->page[gfn]);
    d->page[gfn] = NULL;
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
    if ( call(xch->d, domid) )
        return -1;
    xch->d->paused++;
    return 0;
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
    if ( call(xch->d, domid) )
        return -1;
    xch->d->paused--;
    return 0;
}

int xc_version(xc_interface *xch, int cmd, void *arg)
{
    const char *caps = xch->d->caps ? xch->d->caps : "hvm-3.0-x86_64 hvm-3.0-x86_32";

    if ( cmd == XENVER_capabilities )
        return strncpy(arg, caps, sizeof(xen_capabilities_info_t)), 0;
    return cmd == 0 ? (4 << 16) | 17 : (errno = EINVAL, -1);
}

int xc_get_pfn_type_batch(xc_interface *xch, uint32_t dom, unsigned int num, xen_pfn_t *arr)
{
    struct fake_dom *d = xch->d;

    if ( call(d, dom) )
        return -1;
    if ( !num || num > 1024 )
        return errno = EINVAL, -1;
    for ( unsigned int i = 0; i < num; i++ )
    {
        xen_pfn_t g = arr[i] & ~(xen_pfn_t)XEN_DOMCTL_PFINFO_LTAB_MASK;

        if ( g < d->nr_gfns && d->broken[g] )
            arr[i] = g | XEN_DOMCTL_PFINFO_BROKEN;
        else
            arr[i] =
                g | (fake_is_populated(d, g) ? XEN_DOMCTL_PFINFO_NOTAB : XEN_DOMCTL_PFINFO_XTAB);
    }
    if ( d->after_query )
        d->after_query(d);
    return 0;
}

int xc_domain_maximum_gpfn(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns)
{
    struct fake_dom *d = xch->d;
    uint64_t g = 0;

    if ( call(d, domid) )
        return -1;
    for ( uint64_t i = 0; i < d->nr_gfns; i++ )
        if ( d->populated[i] || d->broken[i] )
            g = i;
    *gpfns = g;
    return 0;
}

int xc_domain_get_tsc_info(xc_interface *xch, uint32_t domid, uint32_t *tsc_mode,
                           uint64_t *elapsed_nsec, uint32_t *gtsc_khz, uint32_t *incarnation)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    *tsc_mode = d->tsc_mode;
    *elapsed_nsec = d->tsc_nsec;
    *gtsc_khz = d->tsc_khz;
    *incarnation = d->tsc_incarnation;
    return 0;
}

int xc_domain_set_tsc_info(xc_interface *xch, uint32_t domid, uint32_t tsc_mode,
                           uint64_t elapsed_nsec, uint32_t gtsc_khz, uint32_t incarnation)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    d->tsc_mode = tsc_mode;
    d->tsc_nsec = elapsed_nsec;
    d->tsc_khz = gtsc_khz;
    d->tsc_incarnation = incarnation;
    return 0;
}

int xc_set_broken_page_p2m(xc_interface *xch, uint32_t domid, unsigned long pfn)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( pfn >= d->nr_gfns )
        return errno = EINVAL, -1;
    d->populated[pfn] = false;
    d->broken[pfn] = true;
    free(d->page[pfn]);
    d->page[pfn] = NULL;
    d->broken_set++;
    return 0;
}

int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents, unsigned int extent_order,
                                         xen_pfn_t *extent_start)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( extent_order )
        return errno = EINVAL, -1;
    for ( unsigned long i = 0; i < nr_extents; i++ )
        if ( !fake_is_populated(d, extent_start[i]) )
            return errno = EINVAL, -1;
    for ( unsigned long i = 0; i < nr_extents; i++ )
    {
        d->populated[extent_start[i]] = false;
        free(d->page[extent_start[i]]);
        d->page[extent_start[i]] = NULL;
    }
    return 0;
}

int xc_hvm_param_get(xc_interface *xch, uint32_t domid, uint32_t param, uint64_t *value)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( param >= FAKE_NR_PARAMS )
        return errno = EINVAL, -1;
    *value = d->params[param];
    return 0;
}

int xc_domain_hvm_getcontext(xc_interface *xch, uint32_t domid, uint8_t *ctxt_buf, uint32_t size)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( !ctxt_buf )
        return (int)d->ctxt_len;
    if ( size < d->ctxt_len )
        return errno = ENOSPC, -1;
    if ( d->on_getcontext )
        d->on_getcontext(d);
    memcpy(ctxt_buf, d->ctxt, d->ctxt_len);
    return (int)d->ctxt_len;
}

/* Log-dirty's covered frames: the highest gfn the domain has, + 1. */
static uint64_t ld_covered(const struct fake_dom *d)
{
    uint64_t n = 0;

    for ( uint64_t g = 0; g < d->nr_gfns; g++ )
        if ( d->populated[g] || d->broken[g] )
            n = g + 1;
    return n;
}

static int ld_clean(struct fake_dom *d, unsigned long *bitmap, unsigned long pages, uint32_t mode)
{
    uint64_t covered = ld_covered(d);

    if ( !d->logdirty || mode & ~XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL || (bitmap && pages < covered) )
        return errno = EINVAL, -1;
    if ( !bitmap && d->ring_on && d->ring_dropped )
    {
        d->ring_eagains++;
        return errno = EAGAIN, -1; /* nothing reset */
    }
    d->ring_dropped = false;
    for ( uint64_t g = 0; g < covered; g++ )
    {
        if ( bitmap && d->dirty[g] )
            bitmap[g / (8 * sizeof(long))] |= 1UL << (g % (8 * sizeof(long)));
        d->dirty[g] = false;
    }
    d->ld_cleans++;
    if ( mode )
    {
        d->ld_finals++;
        d->ld_final_paused &= d->paused > 0;
    }
    if ( d->after_clean )
        d->after_clean(d);
    return (int)covered;
}

int xc_shadow_control(xc_interface *xch, uint32_t domid, unsigned int sop,
                      unsigned long *dirty_bitmap, unsigned long pages, unsigned long *mb,
                      uint32_t mode, xc_shadow_op_stats_t *stats)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    switch ( sop )
    {
    case XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY:
        if ( d->logdirty )
            return errno = EBUSY, -1;
        d->logdirty = true;
        d->ld_enables++;
        memset(d->dirty, 0, d->nr_gfns * sizeof(*d->dirty));
        return 0;
    case XEN_DOMCTL_SHADOW_OP_CLEAN: return ld_clean(d, dirty_bitmap, pages, mode);
    case XEN_DOMCTL_SHADOW_OP_OFF:
        if ( !d->logdirty )
            return errno = EINVAL, -1;
        d->logdirty = false;
        d->ld_offs++;
        free(d->ring); /* OFF takes the rings */
        d->ring = NULL;
        d->ring_on = false;
        return 0;
    default: return errno = EINVAL, -1;
    }
}

/* ---- the dirty ring, and the p2m pool it is charged to ---- */

int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid, xc_domaininfo_t *info)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    memset(info, 0, sizeof(*info));
    info->domain = (domid_t)domid;
    info->max_vcpu_id = 0;
    return 0;
}

int xc_get_paging_mempool_size(xc_interface *xch, uint32_t domid, uint64_t *size)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    *size = d->pool_bytes;
    return 0;
}

int xc_set_paging_mempool_size(xc_interface *xch, uint32_t domid, uint64_t size)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    d->pool_bytes = size;
    d->pool_sets++;
    return 0;
}

int xc_wren_dirty_ring_enable(xc_interface *xch, uint32_t domid, uint32_t entries)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( !d->logdirty || !entries )
        return errno = EINVAL, -1;
    if ( d->ring_on )
        return errno = EBUSY, -1;
    if ( d->pool_bytes < d->pool_needed + 2ULL * entries * 16 )
        return errno = ENOMEM, -1; /* the rings are charged to the pool */
    d->ring_size = d->ring_cap ? d->ring_cap : entries;
    d->ring = calloc(d->ring_size, sizeof(*d->ring));
    if ( !d->ring )
        return errno = ENOMEM, -1;
    d->ring_head = d->ring_used = 0;
    d->ring_on = d->ring_dropped = true; /* frames dirtied before: in no ring */
    d->ring_enables++;
    return 0;
}

int xc_wren_dirty_ring_disable(xc_interface *xch, uint32_t domid)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    if ( !d->ring_on )
        return errno = EINVAL, -1;
    free(d->ring);
    d->ring = NULL;
    d->ring_on = false;
    return 0;
}

static int ring_answer(struct fake_dom *d, uint32_t vcpu, struct xen_domctl_wren_dirty_ring *st)
{
    if ( !d->ring_on || (vcpu && vcpu != WREN_DIRTY_RING_NO_VCPU) )
        return errno = EINVAL, -1;
    if ( st )
        *st = (struct xen_domctl_wren_dirty_ring){
            .vcpu = vcpu,
            .entries = d->ring_size,
            .count = vcpu ? 0 : d->ring_used,
            .flags = WREN_DIRTY_RING_F_ENABLED,
            .nr_rings = 1,
            .total_dropped = d->ring_drops,
        };
    return 0;
}

int xc_wren_dirty_ring_status(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                              struct xen_domctl_wren_dirty_ring *st)
{
    struct fake_dom *d = xch->d;

    if ( call(d, domid) )
        return -1;
    return ring_answer(d, vcpu, st);
}

int xc_wren_dirty_ring_harvest(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                               struct xen_wren_dirty_entry *buf, uint32_t max,
                               struct xen_domctl_wren_dirty_ring *st)
{
    struct fake_dom *d = xch->d;
    uint32_t n;

    if ( call(d, domid) )
        return -1;
    if ( !buf || !max || ring_answer(d, vcpu, NULL) )
        return errno = EINVAL, -1;
    n = vcpu ? 0 : (max < d->ring_used ? max : d->ring_used);
    for ( uint32_t i = 0; i < n; i++ )
        buf[i] = (struct xen_wren_dirty_entry){ .gfn = d->ring[(d->ring_head + i) % d->ring_size] };
    d->ring_head = (d->ring_head + n) % d->ring_size;
    d->ring_used -= n;
    ring_answer(d, vcpu, st);
    if ( st )
        st->count = n;
    return (int)n;
}
