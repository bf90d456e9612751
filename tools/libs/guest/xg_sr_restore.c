/*
 * xg_sr_restore.c - xc_domain_restore(): the strict reader of
 * docs/designs/migration-stream.md. Every record is checked whole (its
 * length against the type's limit before anything is allocated, its
 * padding, its place in the order, its contents) before any of it is
 * applied; a refusal names the record and its offset.
 *
 * Broken wins until END: once a pfn arrived as BROKEN, later data for it
 * is dropped.
 *
 * Tool code: the hypervisor only through xenctrl.h and
 * xenforeignmemory.h, and only on the domain it is given. It never
 * destroys or unpauses that domain: its caller does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xg_sr_common.h"

/* Where in the order the stream is (migration-stream.md, "Order"). */
enum sr_phase
{
    PH_STATIC, /* after the headers */
    PH_MEMORY, /* after STATIC_DATA_END: PAGE_DATA */
    PH_TSC,    /* the tail, each record once, in this order */
    PH_PARAMS,
    PH_CONTEXT,
    PH_END,
};

struct sr_restore
{
    xc_interface *xch;
    uint32_t dom;
    struct restore_callbacks *cb;
    struct sr_io io;
    enum sr_arch arch; /* the host's, which the stream's must be */
    enum sr_phase phase;
    bool static_tsc;
    uint8_t *state; /* per pfn: ST_* */
    uint8_t *buf;   /* the body being read, SR_MAX_PAGE_DATA bytes */
    uint64_t params[SR_NR_PARAMS];
};

#define ST_ABSENT    0
#define ST_POPULATED 1
#define ST_BROKEN    2

static int read_image_header(struct sr_restore *r)
{
    uint8_t h[SR_IHDR_SIZE];
    uint32_t id, ver, opt;

    if ( sr_read_all(&r->io, h, sizeof(h)) )
        return sr_fail(&r->io, EINVAL, "image header at offset 0: truncated");
    id = (uint32_t)h[8] << 24 | h[9] << 16 | h[10] << 8 | h[11];
    ver = (uint32_t)h[12] << 24 | h[13] << 16 | h[14] << 8 | h[15];
    opt = (uint32_t)h[16] << 8 | h[17];
    for ( unsigned int i = 0; i < 8; i++ )
        if ( h[i] != 0xff )
            return sr_fail(&r->io, EINVAL, "image header at offset 0: bad marker");
    if ( id != SR_IHDR_ID )
        return sr_fail(&r->io, EINVAL, "image header at offset 0: bad id %#x", id);
    if ( ver != SR_IHDR_VERSION )
        return sr_fail(&r->io, EINVAL, "image header at offset 0: version %u, not %u", ver,
                       SR_IHDR_VERSION);
    if ( opt & SR_IHDR_OPT_BE )
        return sr_fail(&r->io, EINVAL, "image header at offset 0: big-endian records");
    if ( opt || h[18] || h[19] || h[20] || h[21] || h[22] || h[23] )
        return sr_fail(&r->io, EINVAL, "image header at offset 0: reserved bits set");
    return 0;
}

static int read_domain_header(struct sr_restore *r)
{
    uint8_t h[SR_DHDR_SIZE];

    if ( sr_read_all(&r->io, h, sizeof(h)) )
        return sr_fail(&r->io, EINVAL, "domain header at offset %#x: truncated", SR_IHDR_SIZE);
    if ( sr_get32(h) != sr_dhdr_type(r->arch) )
        return sr_fail(&r->io, EINVAL, "domain header at offset %#x: type %u (%#x), not %s",
                       SR_IHDR_SIZE, sr_get32(h), sr_get32(h), sr_arch_name(r->arch));
    if ( h[4] != 12 || h[5] )
        return sr_fail(&r->io, EINVAL, "domain header at offset %#x: page shift %u, not 12",
                       SR_IHDR_SIZE, h[4] | h[5] << 8);
    if ( h[6] || h[7] )
        return sr_fail(&r->io, EINVAL, "domain header at offset %#x: reserved bits set",
                       SR_IHDR_SIZE);
    return 0;
}

static uint32_t body_limit(uint32_t type)
{
    switch ( type )
    {
    case SR_REC_PAGE_DATA: return SR_MAX_PAGE_DATA;
    case SR_REC_HVM_CONTEXT: return SR_MAX_HVM_CTXT;
    default: return SR_MAX_OTHER;
    }
}

/* The next record into rec (body in r->buf); 0 or -1. */
static int read_record(struct sr_restore *r, struct sr_record *rec)
{
    uint8_t h[8], pad[8];
    size_t npad;

    rec->offset = r->io.offset;
    rec->type = 0;
    rec->body = r->buf;
    if ( sr_read_all(&r->io, h, sizeof(h)) )
        return sr_fail(&r->io, EINVAL, "record at offset %#llx: truncated header",
                       (unsigned long long)rec->offset);
    rec->type = sr_get32(h);
    rec->length = sr_get32(h + 4);
    if ( rec->length > body_limit(rec->type) )
        return sr_refuse(&r->io, rec, "length %u over the limit %u", rec->length,
                         body_limit(rec->type));
    npad = (8 - (rec->length & 7)) & 7;
    if ( sr_read_all(&r->io, r->buf, rec->length) || sr_read_all(&r->io, pad, npad) )
        return sr_refuse(&r->io, rec, "truncated");
    for ( size_t i = 0; i < npad; i++ )
        if ( pad[i] )
            return sr_refuse(&r->io, rec, "non-zero padding");
    return 0;
}

/* --- PAGE_DATA ---------------------------------------------------------- */

static int check_page_data(struct sr_restore *r, const struct sr_record *rec, unsigned int *nr_data)
{
    uint32_t count;

    if ( rec->length < 8 )
        return sr_refuse(&r->io, rec, "body shorter than its header");
    count = sr_get32(rec->body);
    if ( !count || count > SR_BATCH )
        return sr_refuse(&r->io, rec, "count %u not in 1..%u", count, SR_BATCH);
    if ( sr_get32(rec->body + 4) )
        return sr_refuse(&r->io, rec, "reserved field not zero");
    if ( rec->length < 8 + 8 * (uint64_t)count )
        return sr_refuse(&r->io, rec, "%u pfns do not fit in %u bytes", count, rec->length);
    *nr_data = 0;
    for ( uint32_t i = 0; i < count; i++ )
    {
        uint64_t w = sr_get64(rec->body + 8 + 8 * i), pfn = w & SR_PFN_MASK;
        unsigned int t = (unsigned int)(w >> 60);

        if ( w & SR_PFN_RSVD_MASK )
            return sr_refuse(&r->io, rec, "pfn[%u] %#llx has reserved bits set", i,
                             (unsigned long long)w);
        if ( t != SR_TYPE_NOTAB && t != SR_TYPE_BROKEN && t != SR_TYPE_XALLOC && t != SR_TYPE_XTAB )
            return sr_refuse(&r->io, rec, "pfn %#llx has bad page type %#x",
                             (unsigned long long)pfn, t);
        if ( t == SR_TYPE_BROKEN && r->arch == SR_ARCH_ARM64 )
            return sr_refuse(&r->io, rec, "pfn %#llx is BROKEN: arm64 has no broken pages",
                             (unsigned long long)pfn);
        if ( pfn >= r->cb->nr_pfns )
            return sr_refuse(&r->io, rec, "pfn %#llx beyond the domain's limit %#llx",
                             (unsigned long long)pfn, (unsigned long long)r->cb->nr_pfns);
        *nr_data += t == SR_TYPE_NOTAB;
    }
    if ( rec->length != 8 + 8 * (uint64_t)count + (uint64_t)*nr_data * SR_PAGE_SIZE )
        return sr_refuse(&r->io, rec, "%u data pages do not match length %u", *nr_data,
                         rec->length);
    return 0;
}

/* Populate, one 4k extent each, the pfns of the record that need a frame
 * and have none. */
static int populate(struct sr_restore *r, const struct sr_record *rec, uint32_t count)
{
    xen_pfn_t pop[SR_BATCH];
    unsigned int n = 0;

    for ( uint32_t i = 0; i < count; i++ )
    {
        uint64_t w = sr_get64(rec->body + 8 + 8 * i), pfn = w & SR_PFN_MASK;
        unsigned int t = (unsigned int)(w >> 60);

        if ( (t == SR_TYPE_NOTAB || t == SR_TYPE_XALLOC) && r->state[pfn] == ST_ABSENT )
        {
            r->state[pfn] = ST_POPULATED;
            pop[n++] = pfn;
        }
    }
    if ( n && xc_domain_populate_physmap_exact(r->xch, r->dom, n, 0, 0, pop) )
        return sr_refuse(&r->io, rec, "populating: %s", strerror(errno));
    return 0;
}

static int apply_other_types(struct sr_restore *r, const struct sr_record *rec, uint32_t count)
{
    for ( uint32_t i = 0; i < count; i++ )
    {
        uint64_t w = sr_get64(rec->body + 8 + 8 * i), pfn = w & SR_PFN_MASK;
        unsigned int t = (unsigned int)(w >> 60);
        xen_pfn_t p = pfn;

        if ( t == SR_TYPE_BROKEN && r->state[pfn] != ST_BROKEN )
        {
            if ( xc_set_broken_page_p2m(r->xch, r->dom, pfn) )
                return sr_refuse(&r->io, rec, "pfn %#llx broken: %s", (unsigned long long)pfn,
                                 strerror(errno));
            r->state[pfn] = ST_BROKEN;
            r->cb->stats.pages_broken++;
        }
        if ( t == SR_TYPE_XTAB && r->state[pfn] == ST_POPULATED )
        {
            if ( xc_domain_decrease_reservation_exact(r->xch, r->dom, 1, 0, &p) )
                return sr_refuse(&r->io, rec, "pfn %#llx released: %s", (unsigned long long)pfn,
                                 strerror(errno));
            r->state[pfn] = ST_ABSENT;
        }
    }
    return 0;
}

/* Write the data pages; those of pfns that are broken by now are
 * dropped (broken wins until END). */
static int write_data(struct sr_restore *r, const struct sr_record *rec, uint32_t count,
                      unsigned int nr_data)
{
    xen_pfn_t map[SR_BATCH];
    unsigned int src[SR_BATCH], n = 0, k = 0;
    const uint8_t *data = rec->body + 8 + 8 * (size_t)count;
    uint8_t *va;

    for ( uint32_t i = 0; i < count; i++ )
    {
        uint64_t w = sr_get64(rec->body + 8 + 8 * i);

        if ( (w >> 60) != SR_TYPE_NOTAB )
            continue;
        if ( r->state[w & SR_PFN_MASK] == ST_POPULATED )
            src[n] = k, map[n++] = w & SR_PFN_MASK;
        k++;
    }
    if ( !n )
        return 0;
    va = xenforeignmemory_map(r->cb->fmem, r->dom, PROT_READ | PROT_WRITE, n, map, NULL);
    if ( !va )
        return sr_refuse(&r->io, rec, "mapping pfns: %s", strerror(errno));
    for ( unsigned int i = 0; i < n; i++ )
        memcpy(va + (size_t)i * SR_PAGE_SIZE, data + (size_t)src[i] * SR_PAGE_SIZE, SR_PAGE_SIZE);
    xenforeignmemory_unmap(r->cb->fmem, va, n);
    r->cb->stats.pages_sent += n;
    return 0;
}

static int handle_page_data(struct sr_restore *r, const struct sr_record *rec)
{
    unsigned int nr_data;
    uint32_t count;

    if ( r->phase != PH_MEMORY )
        return sr_refuse(&r->io, rec, "out of order");
    if ( check_page_data(r, rec, &nr_data) )
        return -1;
    count = sr_get32(rec->body);
    if ( apply_other_types(r, rec, count) || populate(r, rec, count) )
        return -1;
    return write_data(r, rec, count, nr_data);
}

/* --- the other records -------------------------------------------------- */

/* X86_TSC_INFO, or arm64's WREN_ARM64_TIMER_INFO in its place: once
 * among the static data, once after the memory. */
static int time_info_phase(struct sr_restore *r, const struct sr_record *rec)
{
    if ( r->phase == PH_STATIC && !r->static_tsc )
        r->static_tsc = true;
    else if ( r->phase == PH_MEMORY )
        r->phase = PH_TSC;
    else
        return sr_refuse(&r->io, rec, "out of order");
    return 0;
}

static int handle_tsc_info(struct sr_restore *r, const struct sr_record *rec)
{
    const uint8_t *b = rec->body;

    if ( r->arch != SR_ARCH_X86 )
        return sr_refuse(&r->io, rec, "an x86 record in a %s stream", sr_arch_name(r->arch));
    if ( time_info_phase(r, rec) )
        return -1;
    if ( rec->length != SR_TSC_INFO_SIZE )
        return sr_refuse(&r->io, rec, "length %u, not %u", rec->length, SR_TSC_INFO_SIZE);
    if ( sr_get32(b + 20) )
        return sr_refuse(&r->io, rec, "reserved field not zero");
    if ( xc_domain_set_tsc_info(r->xch, r->dom, sr_get32(b), sr_get64(b + 8), sr_get32(b + 4),
                                sr_get32(b + 16)) )
        return sr_refuse(&r->io, rec, "setting it: %s", strerror(errno));
    return 0;
}

/* The guest reads the counter frequency from the hardware, and the
 * virtual counter cannot be scaled: only an equal one will do. */
static int handle_timer_info(struct sr_restore *r, const struct sr_record *rec)
{
    uint64_t hz;

    if ( r->arch != SR_ARCH_ARM64 )
        return sr_refuse(&r->io, rec, "unknown mandatory record");
    if ( time_info_phase(r, rec) )
        return -1;
    if ( rec->length != SR_TIMER_INFO_SIZE )
        return sr_refuse(&r->io, rec, "length %u, not %u", rec->length, SR_TIMER_INFO_SIZE);
    hz = sr_get64(rec->body);
    if ( hz != sr_counter_hz() )
        return sr_refuse(&r->io, rec, "counter frequency %llu Hz, this host's is %llu Hz",
                         (unsigned long long)hz, (unsigned long long)sr_counter_hz());
    return 0;
}

static int param_slot(uint64_t index)
{
    for ( unsigned int i = 0; i < SR_NR_PARAMS; i++ )
        if ( sr_params[i] == index )
            return (int)i;
    return -1;
}

static int handle_hvm_params(struct sr_restore *r, const struct sr_record *rec)
{
    uint32_t count;

    if ( r->phase != PH_TSC )
        return sr_refuse(&r->io, rec, "out of order");
    r->phase = PH_PARAMS;
    if ( rec->length < 8 || sr_get32(rec->body + 4) )
        return sr_refuse(&r->io, rec, "bad header");
    count = sr_get32(rec->body);
    if ( rec->length != 8 + 16 * (uint64_t)count )
        return sr_refuse(&r->io, rec, "%u params do not match length %u", count, rec->length);
    for ( uint32_t i = 0; i < count; i++ )
        if ( param_slot(sr_get64(rec->body + 8 + 16 * i)) < 0 )
            return sr_refuse(&r->io, rec, "param %llu is not one a stream carries",
                             (unsigned long long)sr_get64(rec->body + 8 + 16 * i));
    for ( uint32_t i = 0; i < count; i++ )
    {
        uint64_t index = sr_get64(rec->body + 8 + 16 * i), v = sr_get64(rec->body + 16 + 16 * i);

        if ( xc_hvm_param_set(r->xch, r->dom, (uint32_t)index, v) )
            return sr_refuse(&r->io, rec, "param %llu: %s", (unsigned long long)index,
                             strerror(errno));
        r->params[param_slot(index)] = v;
    }
    return 0;
}

static int handle_hvm_context(struct sr_restore *r, const struct sr_record *rec)
{
    if ( r->phase != PH_PARAMS )
        return sr_refuse(&r->io, rec, "out of order");
    r->phase = PH_CONTEXT;
    if ( !rec->length )
        return sr_refuse(&r->io, rec, "empty");
    if ( xc_domain_hvm_setcontext(r->xch, r->dom, rec->body, rec->length) )
        return sr_refuse(&r->io, rec, "the hypervisor refused it: %s", strerror(errno));
    return 0;
}

/* END, STATIC_DATA_END: empty records that move the phase. */
static int handle_marker(struct sr_restore *r, const struct sr_record *rec, enum sr_phase from,
                         enum sr_phase to)
{
    if ( r->phase != from )
        return sr_refuse(&r->io, rec, "out of order");
    if ( rec->length )
        return sr_refuse(&r->io, rec, "length %u, not 0", rec->length);
    r->phase = to;
    return 0;
}

static int handle_record(struct sr_restore *r, const struct sr_record *rec)
{
    r->cb->stats.records++;
    switch ( rec->type )
    {
    case SR_REC_END: return handle_marker(r, rec, PH_CONTEXT, PH_END);
    case SR_REC_STATIC_DATA_END: return handle_marker(r, rec, PH_STATIC, PH_MEMORY);
    case SR_REC_PAGE_DATA: return handle_page_data(r, rec);
    case SR_REC_X86_TSC_INFO: return handle_tsc_info(r, rec);
    case SR_REC_WREN_ARM64_TIMER_INFO: return handle_timer_info(r, rec);
    case SR_REC_SHARED_INFO:
        return sr_refuse(&r->io, rec, "a PV guest's record: an HVM stream carries none");
    case SR_REC_HVM_PARAMS: return handle_hvm_params(r, rec);
    case SR_REC_HVM_CONTEXT: return handle_hvm_context(r, rec);
    case SR_REC_VERIFY:
    case SR_REC_CHECKPOINT:
    case SR_REC_X86_CPUID: return sr_refuse(&r->io, rec, "not supported by Wren");
    }
    if ( rec->type & SR_REC_OPTIONAL )
        return 0; /* an optional record Wren does not know: skipped */
    return sr_refuse(&r->io, rec, "unknown mandatory record");
}

/* --- the entry point ---------------------------------------------------- */

static int restore_stream(struct sr_restore *r)
{
    struct sr_record rec;

    if ( read_image_header(r) || read_domain_header(r) )
        return -1;
    while ( r->phase != PH_END )
        if ( read_record(r, &rec) || handle_record(r, &rec) )
            return -1;
    return 0;
}

/* The event channels are this host's; the rings' pfns came in the
 * stream. */
static int restore_finish(struct sr_restore *r, unsigned int store_evtchn, unsigned long *store_mfn,
                          unsigned int console_evtchn, unsigned long *console_mfn)
{
    if ( xc_hvm_param_set(r->xch, r->dom, HVM_PARAM_STORE_EVTCHN, store_evtchn) ||
         xc_hvm_param_set(r->xch, r->dom, HVM_PARAM_CONSOLE_EVTCHN, console_evtchn) )
        return sr_fail(&r->io, errno, "setting the event channels: %s", strerror(errno));
    if ( store_mfn )
        *store_mfn = (unsigned long)r->params[param_slot(HVM_PARAM_STORE_PFN)];
    if ( console_mfn )
        *console_mfn = (unsigned long)r->params[param_slot(HVM_PARAM_CONSOLE_PFN)];
    return 0;
}

int xc_domain_restore(xc_interface *xch, int io_fd, uint32_t dom, unsigned int store_evtchn,
                      unsigned long *store_mfn, uint32_t store_domid, unsigned int console_evtchn,
                      unsigned long *console_mfn, uint32_t console_domid,
                      struct restore_callbacks *cb)
{
    struct sr_restore r = { .xch = xch, .dom = dom, .cb = cb };
    int rc, e;

    if ( !cb || !cb->fmem || !cb->nr_pfns || cb->nr_pfns > (1ULL << 40) )
        return errno = EINVAL, -1;
    memset(cb->error, 0, sizeof(cb->error));
    memset(&cb->stats, 0, sizeof(cb->stats));
    r.io = (struct sr_io){ .fd = io_fd, .error = cb->error, .error_len = sizeof(cb->error) };
    r.state = calloc(cb->nr_pfns, 1);
    r.buf = malloc(SR_MAX_PAGE_DATA);
    if ( !r.state || !r.buf )
        rc = sr_fail(&r.io, ENOMEM, "out of memory for %llu pfns", (unsigned long long)cb->nr_pfns);
    else if ( sr_host_arch(xch, &r.arch) )
        rc = sr_fail(&r.io, errno, "XENVER_capabilities: %s", strerror(errno));
    else
        rc = restore_stream(&r) ||
                     restore_finish(&r, store_evtchn, store_mfn, console_evtchn, console_mfn)
                 ? -1
                 : 0;
    e = errno;
    free(r.state);
    free(r.buf);
    errno = e;
    return rc;
}
