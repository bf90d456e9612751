/*
 * xg_sr_save.c - xc_domain_save(): writes a domain as the stream of
 * docs/designs/migration-stream.md. Memory goes as rounds over a set of
 * pfns, each in batches of up to 1024 whose types are queried first
 * (XEN_DOMCTL_getpageframeinfo3), so pages without data are never read.
 * A plain save has one round, the final one, with the guest paused. A
 * live save (XCFLAGS_LIVE, docs/designs/live-migration.md) turns
 * log-dirty on, sends every pfn with the guest running, then rounds over
 * the pfns the log reports dirty until that set is small or max_rounds
 * went, stops the guest and sends the final round over what is left.
 * The dirty set comes from one place, take_dirty().
 *
 * "Broken wins until END": after each batch of the final round the types
 * are queried again and a pfn that broke meanwhile is sent again as
 * BROKEN. After the final round the HVM context is read first (with any
 * vMCE still owed to the guest), then every pfn not already sent as
 * BROKEN is queried once more, so each page a carried vMCE names goes
 * as BROKEN (docs/designs/live-migration.md, "The final round's
 * cases"). Test hooks (final_step) run at each step of the final round.
 *
 * Tool code: the hypervisor only through xenctrl.h and
 * xenforeignmemory.h; it reads the guest, never writes it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <xen/version.h>
#include <xenctrl_wren.h>

#include "xg_sr_common.h"

#define SENT_NONE 0xff

/* Entries per dirty ring (XCFLAGS_WREN_DIRTY_RING): enough for every
 * vCPU's writes of a round of a small guest; a bigger round stops the
 * writer until the next harvest, which throttles it. Also above the PML
 * reserve's minimum. */
#define RING_ENTRIES 4096
#define RING_BATCH   512 /* entries one HARVEST takes */

/* Live saves' defaults (xenguest.h). */
#define LIVE_MAX_ROUNDS      5
#define LIVE_DIRTY_THRESHOLD 50

struct sr_save
{
    xc_interface *xch;
    uint32_t dom;
    struct save_callbacks *cb;
    struct sr_io io;
    enum sr_arch arch;
    uint64_t nr_pfns;
    uint64_t *set;      /* the pfns of the round being sent (bitmap) */
    uint64_t *dirty;    /* live: the log's bitmap, as CLEAN wrote it */
    uint64_t nr_words;  /* of set and dirty */
    uint8_t *sent_type; /* per pfn: the type last sent, or SENT_NONE */
    uint32_t flags;
    bool logdirty_on;
    uint32_t nr_rings;    /* vCPU rings (XCFLAGS_WREN_DIRTY_RING), 0: none */
    uint64_t pool_before; /* the p2m pool's bytes before the rings grew it */
    bool pool_grown;
    struct xen_wren_dirty_entry *ring_buf;
    xen_pfn_t pfns[SR_BATCH], types[SR_BATCH];
    uint8_t words[SR_BATCH * 8 + 8];
    uint8_t *data; /* SR_BATCH pages */
    bool final;    /* the guest is stopped: the final round and after */
    uint8_t *ctx;  /* the HVM context, read before the last re-query */
    int ctx_len;
};

/* The test hook of the final round's step st, over pfns[0..n). */
static void final_step(struct sr_save *s, enum xc_sr_step st, const xen_pfn_t *pfns, unsigned int n)
{
    if ( s->final && s->cb->final_step )
        s->cb->final_step(s->cb->data, st, pfns, n);
}

static unsigned int pfinfo_type(xen_pfn_t t)
{
    return (unsigned int)((t & XEN_DOMCTL_PFINFO_LTAB_MASK) >> XEN_DOMCTL_PFINFO_LTAB_SHIFT);
}

static bool type_has_data(unsigned int t)
{
    return t == SR_TYPE_NOTAB;
}

/* The types of s->pfns[0..n) into out[], checked. */
static int query_types(struct sr_save *s, unsigned int n, xen_pfn_t *out)
{
    memcpy(out, s->pfns, n * sizeof(*out));
    if ( xc_get_pfn_type_batch(s->xch, s->dom, n, out) )
        return sr_fail(&s->io, errno, "page types of pfns %#llx..: %s",
                       (unsigned long long)s->pfns[0], strerror(errno));
    for ( unsigned int i = 0; i < n; i++ )
    {
        unsigned int t = pfinfo_type(out[i]);

        if ( t != SR_TYPE_NOTAB && t != SR_TYPE_BROKEN && t != SR_TYPE_XALLOC && t != SR_TYPE_XTAB )
            return sr_fail(&s->io, EINVAL, "pfn %#llx has page type %#x, not an HVM guest's",
                           (unsigned long long)s->pfns[i], t);
    }
    return 0;
}

/* Copy the data pages of the batch into s->data; bad[i] says a page
 * could not be read (its data is zeroes, never trusted: see recheck). */
static int copy_batch(struct sr_save *s, unsigned int n, bool *bad, unsigned int *nr_data)
{
    xen_pfn_t map[SR_BATCH];
    int err[SR_BATCH];
    unsigned int k = 0;
    uint8_t *va;

    for ( unsigned int i = 0; i < n; i++ )
        if ( type_has_data(pfinfo_type(s->types[i])) )
            map[k++] = s->pfns[i];
    *nr_data = k;
    if ( !k )
        return 0;
    va = xenforeignmemory_map(s->cb->fmem, s->dom, PROT_READ, k, map, err);
    if ( !va )
        return sr_fail(&s->io, errno, "mapping pfns %#llx..: %s", (unsigned long long)map[0],
                       strerror(errno));
    final_step(s, XC_SR_STEP_COPYING, s->pfns, n);
    for ( unsigned int i = 0; i < k; i++ )
    {
        bad[i] = err[i] != 0;
        if ( bad[i] )
            memset(s->data + (size_t)i * SR_PAGE_SIZE, 0, SR_PAGE_SIZE);
        else
            memcpy(s->data + (size_t)i * SR_PAGE_SIZE, va + (size_t)i * SR_PAGE_SIZE, SR_PAGE_SIZE);
    }
    xenforeignmemory_unmap(s->cb->fmem, va, k);
    return 0;
}

/* One PAGE_DATA record: pfns[i] with types[i] (pfinfo form), and
 * nr_data pages of data from s->data. */
static int write_page_data(struct sr_save *s, const xen_pfn_t *pfns, const xen_pfn_t *types,
                           unsigned int n, unsigned int nr_data)
{
    sr_put32(s->words, n);
    sr_put32(s->words + 4, 0);
    for ( unsigned int i = 0; i < n; i++ )
        sr_put64(s->words + 8 + 8 * i, (uint64_t)pfns[i] | (uint64_t)pfinfo_type(types[i]) << 60);
    s->cb->stats.records++;
    return sr_write_record(&s->io, SR_REC_PAGE_DATA, s->words, 8 + 8 * (size_t)n, s->data,
                           (size_t)nr_data * SR_PAGE_SIZE);
}

/* Send pfns[] (n of them) again as BROKEN. */
static int send_broken(struct sr_save *s, const xen_pfn_t *pfns, unsigned int n)
{
    xen_pfn_t types[SR_BATCH];

    for ( unsigned int i = 0; i < n; i++ )
    {
        types[i] = XEN_DOMCTL_PFINFO_BROKEN;
        s->sent_type[pfns[i]] = SR_TYPE_BROKEN;
    }
    s->cb->stats.pages_rebroken += n;
    return n ? write_page_data(s, pfns, types, n, 0) : 0;
}

/* After a batch went: query again; what broke is sent again as BROKEN.
 * A page that could not be read must be one of them. */
static int recheck_batch(struct sr_save *s, unsigned int n, const bool *bad)
{
    xen_pfn_t now[SR_BATCH], broke[SR_BATCH];
    unsigned int nb = 0, k = 0;

    if ( query_types(s, n, now) )
        return -1;
    for ( unsigned int i = 0; i < n; i++ )
    {
        unsigned int was = pfinfo_type(s->types[i]);
        bool is_broken = pfinfo_type(now[i]) == SR_TYPE_BROKEN;

        if ( type_has_data(was) && bad[k++] && !is_broken )
            return sr_fail(&s->io, EIO, "pfn %#llx could not be read",
                           (unsigned long long)s->pfns[i]);
        if ( was != SR_TYPE_BROKEN && is_broken )
            broke[nb++] = s->pfns[i];
    }
    return send_broken(s, broke, nb);
}

static int send_batch(struct sr_save *s, unsigned int n)
{
    bool bad[SR_BATCH];
    unsigned int nr_data;

    final_step(s, XC_SR_STEP_QUERY, s->pfns, n);
    if ( query_types(s, n, s->types) )
        return -1;
    final_step(s, XC_SR_STEP_COPY, s->pfns, n);
    if ( copy_batch(s, n, bad, &nr_data) )
        return -1;
    if ( s->cb->batch_copied )
        s->cb->batch_copied(s->cb->data, s->pfns, n);
    if ( write_page_data(s, s->pfns, s->types, n, nr_data) )
        return -1;
    final_step(s, XC_SR_STEP_SENT, s->pfns, n);
    for ( unsigned int i = 0; i < n; i++ )
    {
        unsigned int t = pfinfo_type(s->types[i]);

        s->sent_type[s->pfns[i]] = (uint8_t)t;
        s->cb->stats.pages_sent += type_has_data(t);
        s->cb->stats.pages_broken += t == SR_TYPE_BROKEN;
    }
    return recheck_batch(s, n, bad);
}

static bool in_set(const uint64_t *set, uint64_t pfn)
{
    return set[pfn / 64] >> (pfn % 64) & 1;
}

/* One round: every pfn of s->set, in batches. */
static int send_round(struct sr_save *s)
{
    unsigned int n = 0;

    s->cb->stats.rounds++;
    for ( uint64_t pfn = 0; pfn < s->nr_pfns; pfn++ )
    {
        if ( !in_set(s->set, pfn) )
            continue;
        s->pfns[n++] = pfn;
        if ( n == SR_BATCH && send_batch(s, n) )
            return -1;
        if ( n == SR_BATCH )
            n = 0;
    }
    return n ? send_batch(s, n) : 0;
}

/* Just before the tail, after the HVM context was read: every pfn not
 * already sent as BROKEN is queried once more (the thread's case B.II,
 * and case A: a page the final round did not send at all). */
static int recheck_all(struct sr_save *s)
{
    xen_pfn_t now[SR_BATCH], broke[SR_BATCH];
    unsigned int n = 0, nb = 0;

    for ( uint64_t pfn = 0; pfn <= s->nr_pfns; pfn++ )
    {
        if ( pfn < s->nr_pfns && s->sent_type[pfn] == SR_TYPE_BROKEN )
            continue;
        if ( pfn < s->nr_pfns )
            s->pfns[n++] = pfn;
        if ( n < SR_BATCH && pfn < s->nr_pfns )
            continue;
        if ( n && query_types(s, n, now) )
            return -1;
        for ( unsigned int i = 0; i < n; i++ )
            if ( pfinfo_type(now[i]) == SR_TYPE_BROKEN )
                broke[nb++] = s->pfns[i];
        if ( send_broken(s, broke, nb) )
            return -1;
        n = nb = 0;
    }
    return 0;
}

static int write_headers(struct sr_save *s)
{
    uint8_t ih[SR_IHDR_SIZE] = { 0 }, dh[SR_DHDR_SIZE] = { 0 };
    int ver = xc_version(s->xch, XENVER_version, NULL);

    if ( ver < 0 )
        return sr_fail(&s->io, errno, "XENVER_version: %s", strerror(errno));
    memset(ih, 0xff, 8);
    ih[8] = 0x58, ih[9] = 0x45, ih[10] = 0x4e, ih[11] = 0x46;
    ih[15] = SR_IHDR_VERSION;
    sr_put32(dh, sr_dhdr_type(s->arch));
    dh[4] = 12;
    sr_put32(dh + 8, (uint32_t)ver >> 16);
    sr_put32(dh + 12, (uint32_t)ver & 0xffff);
    if ( sr_write_all(&s->io, ih, sizeof(ih)) || sr_write_all(&s->io, dh, sizeof(dh)) )
        return -1;
    return sr_write_record(&s->io, SR_REC_STATIC_DATA_END, NULL, 0, NULL, 0);
}

static int write_tsc_info(struct sr_save *s)
{
    uint8_t b[SR_TSC_INFO_SIZE] = { 0 };
    uint32_t mode, khz, inc;
    uint64_t nsec;

    if ( xc_domain_get_tsc_info(s->xch, s->dom, &mode, &nsec, &khz, &inc) )
        return sr_fail(&s->io, errno, "TSC info: %s", strerror(errno));
    sr_put32(b, mode);
    sr_put32(b + 4, khz);
    sr_put64(b + 8, nsec);
    sr_put32(b + 16, inc);
    return sr_write_record(&s->io, SR_REC_X86_TSC_INFO, b, sizeof(b), NULL, 0);
}

/* arm64's counterpart of X86_TSC_INFO, in its place: the counter
 * frequency the guest reads, which the receiver must have too (guest
 * time itself moves in the HVM context's WREN_ARM_VTIMER records). */
static int write_timer_info(struct sr_save *s)
{
    uint8_t b[SR_TIMER_INFO_SIZE];

    sr_put64(b, sr_counter_hz());
    return sr_write_record(&s->io, SR_REC_WREN_ARM64_TIMER_INFO, b, sizeof(b), NULL, 0);
}

static int write_time_info(struct sr_save *s)
{
    return s->arch == SR_ARCH_ARM64 ? write_timer_info(s) : write_tsc_info(s);
}

static int write_hvm_params(struct sr_save *s)
{
    uint8_t b[8 + SR_NR_PARAMS * 16];
    uint32_t n = 0;

    for ( unsigned int i = 0; i < SR_NR_PARAMS; i++ )
    {
        uint64_t v;

        if ( xc_hvm_param_get(s->xch, s->dom, sr_params[i], &v) )
            return sr_fail(&s->io, errno, "HVM param %u: %s", sr_params[i], strerror(errno));
        if ( !v )
            continue;
        sr_put64(b + 8 + 16 * n, sr_params[i]);
        sr_put64(b + 16 + 16 * n, v);
        n++;
    }
    sr_put32(b, n);
    sr_put32(b + 4, 0);
    return sr_write_record(&s->io, SR_REC_HVM_PARAMS, b, 8 + 16 * (size_t)n, NULL, 0);
}

/* Read before the last re-query: a vMCE it carries was queued after its
 * frame's entry became broken, so that re-query sees the page broken. */
static int read_hvm_context(struct sr_save *s)
{
    int len = xc_domain_hvm_getcontext(s->xch, s->dom, NULL, 0);

    if ( len <= 0 || (uint32_t)len > SR_MAX_HVM_CTXT )
        return sr_fail(&s->io, len < 0 ? errno : EINVAL, "HVM context size %d", len);
    s->ctx = malloc((size_t)len);
    if ( !s->ctx )
        return sr_fail(&s->io, ENOMEM, "HVM context: out of memory");
    s->ctx_len = xc_domain_hvm_getcontext(s->xch, s->dom, s->ctx, (uint32_t)len);
    if ( s->ctx_len <= 0 )
        return sr_fail(&s->io, errno, "HVM context: %s", strerror(errno));
    return 0;
}

static int write_hvm_context(struct sr_save *s)
{
    return sr_write_record(&s->io, SR_REC_HVM_CONTEXT, s->ctx, (size_t)s->ctx_len, NULL, 0);
}

static uint64_t now_ns(void)
{
    struct timespec t;

    if ( clock_gettime(CLOCK_MONOTONIC, &t) )
        return 0;
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static uint64_t set_count(const struct sr_save *s)
{
    uint64_t n = 0;

    for ( uint64_t w = 0; w < s->nr_words; w++ )
        n += (uint64_t)__builtin_popcountll(s->set[w]);
    return n;
}

/* Send the round over s->set and tell the caller how it went; dirtied
 * is what the log reported after it (see live_rounds). */
static int sent_round(struct sr_save *s, struct xc_sr_round *r)
{
    uint64_t before = s->cb->stats.pages_sent, t0 = now_ns();

    r->round = (unsigned int)s->cb->stats.rounds + 1;
    r->pfns = set_count(s);
    if ( send_round(s) )
        return -1;
    r->pages_sent = s->cb->stats.pages_sent - before;
    r->ns = now_ns() - t0;
    return 0;
}

static void report_round(struct sr_save *s, const struct xc_sr_round *r)
{
    if ( s->cb->round_done )
        s->cb->round_done(s->cb->data, r);
}

/* The log-dirty bitmap's frames since the last CLEAN into s->set. */
static int take_bitmap(struct sr_save *s, bool final, uint64_t *nr)
{
    unsigned long bits = (unsigned long)(s->nr_words * 64);
    uint32_t mode = final ? XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL : 0;
    int covered;

    memset(s->dirty, 0, s->nr_words * 8);
    covered = xc_shadow_control(s->xch, s->dom, XEN_DOMCTL_SHADOW_OP_CLEAN,
                                (unsigned long *)s->dirty, bits, NULL, mode, NULL);
    if ( covered < 0 )
        return sr_fail(&s->io, errno, "domain %u: reading the dirty log: %s", s->dom,
                       strerror(errno));
    if ( (uint64_t)covered > s->nr_pfns )
        return sr_fail(&s->io, EOVERFLOW, "domain %u grew to %d pfns while it was saved", s->dom,
                       covered);
    *nr = 0;
    for ( uint64_t w = 0; w < s->nr_words; w++ )
    {
        *nr += (uint64_t)__builtin_popcountll(s->dirty[w]);
        s->set[w] |= s->dirty[w];
    }
    return 0;
}

/* One ring entry's frames into s->set; *nr counts those not there yet. */
static int take_entry(struct sr_save *s, const struct xen_wren_dirty_entry *e, uint64_t *nr)
{
    uint64_t n = e->order < 32 ? 1ULL << e->order : 0;

    if ( !n || e->gfn >= s->nr_pfns || n > s->nr_pfns - e->gfn )
        return sr_fail(&s->io, EOVERFLOW,
                       "domain %u: dirty ring entry %#llx order %u past %llu pfns", s->dom,
                       (unsigned long long)e->gfn, e->order, (unsigned long long)s->nr_pfns);
    for ( uint64_t g = e->gfn; g < e->gfn + n; g++ )
    {
        uint64_t bit = 1ULL << (g % 64);

        *nr += !(s->set[g / 64] & bit);
        s->set[g / 64] |= bit;
    }
    return 0;
}

/* Empty one ring (a vCPU's, or WREN_DIRTY_RING_NO_VCPU's) into s->set. */
static int take_ring(struct sr_save *s, uint32_t ring, uint64_t *nr)
{
    struct xen_domctl_wren_dirty_ring st;
    int got;

    do
    {
        got = xc_wren_dirty_ring_harvest(s->xch, s->dom, ring, s->ring_buf, RING_BATCH, &st);
        if ( got < 0 )
            return sr_fail(&s->io, errno, "domain %u: harvesting dirty ring %#x: %s", s->dom, ring,
                           strerror(errno));
        s->cb->stats.ring_entries += (uint64_t)got;
        for ( int i = 0; i < got; i++ )
            if ( take_entry(s, &s->ring_buf[i], nr) )
                return -1;
    } while ( got == RING_BATCH );
    s->cb->stats.ring_full_exits = st.total_full_exits;
    return 0;
}

/* Every ring, vCPUs' and the no-vCPU one, into s->set. */
static int take_all_rings(struct sr_save *s, uint64_t *nr)
{
    for ( uint32_t v = 0; v <= s->nr_rings; v++ )
        if ( take_ring(s, v == s->nr_rings ? WREN_DIRTY_RING_NO_VCPU : v, nr) )
            return -1;
    return 0;
}

/*
 * The rings' round: harvest, then CLEAN without copying the bitmap (it
 * resets the log and re-arms). Harvest first: an entry belongs to the
 * interval between two CLEANs, and a frame taken from that interval
 * while it is still open would miss the writes after the harvest (they
 * push nothing: the frame is dirty in it already); taken before the
 * CLEAN that closes it, the frame is copied after that CLEAN. Entries
 * pushed during the CLEAN (A/D harvest, a PML flush) wait for the next
 * round, except the final one, which harvests again: the guest is
 * stopped, nothing is open. If the hypervisor answers that the rings
 * lack some frames (EAGAIN, nothing reset), CLEAN with the bitmap and
 * take it too. *nr: frames newly in s->set.
 */
static int take_rings(struct sr_save *s, bool final, uint64_t *nr)
{
    uint32_t mode = final ? XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL : 0;
    uint64_t before = set_count(s), scratch = 0;
    int covered;

    if ( take_all_rings(s, &scratch) )
        return -1;
    covered =
        xc_shadow_control(s->xch, s->dom, XEN_DOMCTL_SHADOW_OP_CLEAN, NULL, 0, NULL, mode, NULL);
    if ( covered < 0 && errno != EAGAIN )
        return sr_fail(&s->io, errno, "domain %u: resetting the dirty log: %s", s->dom,
                       strerror(errno));
    s->cb->stats.ring_bitmap_rounds += covered < 0;
    if ( covered < 0 && take_bitmap(s, final, &scratch) )
        return -1;
    if ( final && take_all_rings(s, &scratch) )
        return -1;
    *nr = set_count(s) - before;
    return 0;
}

/*
 * The dirty-set step: every pfn the log reports dirty since the last
 * call is added to s->set (which the caller clears between rounds) and
 * the log is reset; *nr is how many it reported. final: the guest is
 * stopped, this is the last look. Two sources: the log-dirty bitmap, or
 * (XCFLAGS_WREN_DIRTY_RING) the dirty rings.
 */
static int take_dirty(struct sr_save *s, bool final, uint64_t *nr)
{
    return s->nr_rings ? take_rings(s, final, nr) : take_bitmap(s, final, nr);
}

/* What the rings of a domain with max_vcpu_id cost its p2m pool, in
 * bytes (public/wren.h: the slots, plus a page per 64 rings). */
static uint64_t rings_bytes(uint32_t max_vcpu_id)
{
    uint64_t rings = (uint64_t)max_vcpu_id + 2, per = RING_ENTRIES * 16ULL;

    return rings * ((per + 4095) & ~4095ULL) + (rings + 63) / 64 * 4096;
}

/* The rings are charged to the domain's p2m pool: grow it by as much
 * first (given back at the end, whatever happened). */
static int grow_pool(struct sr_save *s)
{
    xc_domaininfo_t info;
    uint64_t pool;

    if ( xc_domain_getinfo_single(s->xch, s->dom, &info) ||
         xc_get_paging_mempool_size(s->xch, s->dom, &pool) )
        return sr_fail(&s->io, errno, "domain %u: reading its p2m pool: %s", s->dom,
                       strerror(errno));
    if ( xc_set_paging_mempool_size(s->xch, s->dom, pool + rings_bytes(info.max_vcpu_id)) )
        return sr_fail(&s->io, errno, "domain %u: growing its p2m pool for the dirty rings: %s",
                       s->dom, strerror(errno));
    s->pool_before = pool;
    s->pool_grown = true;
    return 0;
}

/* XCFLAGS_WREN_DIRTY_RING: the rings, once log-dirty is on. Log-dirty
 * OFF frees them, on every path. */
static int rings_on(struct sr_save *s)
{
    struct xen_domctl_wren_dirty_ring st;

    if ( !(s->flags & XCFLAGS_WREN_DIRTY_RING) )
        return 0;
    s->ring_buf = calloc(RING_BATCH, sizeof(*s->ring_buf));
    if ( !s->ring_buf )
        return sr_fail(&s->io, ENOMEM, "out of memory for the dirty rings");
    if ( grow_pool(s) )
        return -1;
    if ( xc_wren_dirty_ring_enable(s->xch, s->dom, RING_ENTRIES) ||
         xc_wren_dirty_ring_status(s->xch, s->dom, WREN_DIRTY_RING_NO_VCPU, &st) )
        return sr_fail(&s->io, errno, "domain %u: turning the dirty rings on: %s", s->dom,
                       strerror(errno));
    s->nr_rings = st.nr_rings;
    return 0;
}

static int logdirty_on(struct sr_save *s)
{
    if ( xc_shadow_control(s->xch, s->dom, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, NULL, 0, NULL, 0,
                           NULL) < 0 )
        return sr_fail(&s->io, errno, "domain %u: turning log-dirty on: %s", s->dom,
                       strerror(errno));
    s->logdirty_on = true;
    return 0;
}

static int logdirty_off(struct sr_save *s)
{
    if ( !s->logdirty_on )
        return 0;
    if ( xc_shadow_control(s->xch, s->dom, XEN_DOMCTL_SHADOW_OP_OFF, NULL, 0, NULL, 0, NULL) < 0 )
        return sr_fail(&s->io, errno, "domain %u: turning log-dirty off: %s", s->dom,
                       strerror(errno));
    s->logdirty_on = false;
    return 0;
}

/*
 * With the guest running: round 1 over every pfn, then rounds over what
 * the log reported while the previous one went. A round's report waits
 * for the CLEAN after it (its pages_dirtied). Leaves in s->set the pfns
 * dirtied since the last round sent, for the final round.
 */
static int live_rounds(struct sr_save *s)
{
    unsigned int max = s->cb->max_rounds ? s->cb->max_rounds : LIVE_MAX_ROUNDS;
    uint64_t threshold = s->cb->dirty_threshold ? s->cb->dirty_threshold : LIVE_DIRTY_THRESHOLD;
    struct xc_sr_round r = { 0 };

    if ( logdirty_on(s) || rings_on(s) )
        return -1;
    memset(s->set, 0xff, s->nr_words * 8);
    s->set[s->nr_words - 1] = s->nr_pfns % 64 ? (1ULL << (s->nr_pfns % 64)) - 1 : ~0ULL;
    for ( ;; )
    {
        if ( sent_round(s, &r) )
            return -1;
        memset(s->set, 0, s->nr_words * 8);
        if ( take_dirty(s, false, &r.pages_dirtied) )
            return -1;
        report_round(s, &r);
        if ( r.pages_dirtied <= threshold || r.round >= max )
            return 0;
    }
}

/* After the guest stopped: the final round and the tail. */
static int save_final(struct sr_save *s)
{
    struct xc_sr_round r = { .final = 1 };
    uint64_t nr = 0, before = s->cb->stats.pages_sent;

    if ( !(s->flags & XCFLAGS_LIVE) )
        memset(s->set, 0xff, s->nr_words * 8);
    else if ( take_dirty(s, true, &nr) )
        return -1;
    s->final = true;
    final_step(s, XC_SR_STEP_STOPPED, NULL, 0);
    s->cb->stats.final_dirty = s->flags & XCFLAGS_LIVE ? set_count(s) : 0;
    if ( sent_round(s, &r) )
        return -1;
    final_step(s, XC_SR_STEP_TAIL, NULL, 0);
    if ( read_hvm_context(s) || recheck_all(s) )
        return -1;
    s->cb->stats.final_pages = s->cb->stats.pages_sent - before;
    r.pages_dirtied = nr;
    report_round(s, &r);
    if ( write_time_info(s) || write_hvm_params(s) || write_hvm_context(s) ||
         sr_write_record(&s->io, SR_REC_END, NULL, 0, NULL, 0) )
        return -1;
    return logdirty_off(s);
}

static int save_setup(struct sr_save *s)
{
    xen_pfn_t max;

    if ( sr_host_arch(s->xch, &s->arch) )
        return sr_fail(&s->io, errno, "XENVER_capabilities: %s", strerror(errno));
    if ( xc_domain_maximum_gpfn(s->xch, s->dom, &max) )
        return sr_fail(&s->io, errno, "domain %u: highest pfn: %s", s->dom, strerror(errno));
    s->nr_pfns = (uint64_t)max + 1;
    s->nr_words = (s->nr_pfns + 63) / 64;
    s->set = calloc(s->nr_words, 8);
    s->dirty = calloc(s->nr_words, 8);
    s->sent_type = malloc(s->nr_pfns);
    s->data = malloc((size_t)SR_BATCH * SR_PAGE_SIZE);
    if ( !s->set || !s->dirty || !s->sent_type || !s->data )
        return sr_fail(&s->io, ENOMEM, "out of memory for %llu pfns",
                       (unsigned long long)s->nr_pfns);
    memset(s->sent_type, SENT_NONE, s->nr_pfns);
    s->cb->stats.guest_pages = s->nr_pfns;
    return 0;
}

static int save_stop_guest(struct sr_save *s, bool *paused_here)
{
    if ( s->cb->suspend )
        return s->cb->suspend(s->cb->data)
                   ? sr_fail(&s->io, errno ? errno : EIO, "the guest did not suspend")
                   : 0;
    if ( xc_domain_pause(s->xch, s->dom) )
        return sr_fail(&s->io, errno, "pausing domain %u: %s", s->dom, strerror(errno));
    *paused_here = true;
    return 0;
}

static int save_all(struct sr_save *s, bool *paused_here)
{
    if ( save_setup(s) || write_headers(s) )
        return -1;
    if ( (s->flags & XCFLAGS_LIVE) && live_rounds(s) )
        return -1;
    return save_stop_guest(s, paused_here) || save_final(s) ? -1 : 0;
}

static bool flags_ok(uint32_t flags)
{
    if ( flags & ~(XCFLAGS_LIVE | XCFLAGS_WREN_DIRTY_RING) )
        return false;
    /* The rings are a source of live rounds. */
    return !(flags & XCFLAGS_WREN_DIRTY_RING) || (flags & XCFLAGS_LIVE);
}

int xc_domain_save(xc_interface *xch, int io_fd, uint32_t dom, uint32_t flags,
                   struct save_callbacks *cb)
{
    struct sr_save *s;
    bool paused_here = false;
    int rc, e;

    if ( !cb || !cb->fmem || !flags_ok(flags) )
        return errno = EINVAL, -1;
    memset(cb->error, 0, sizeof(cb->error));
    memset(&cb->stats, 0, sizeof(cb->stats));
    s = calloc(1, sizeof(*s));
    if ( !s )
        return errno = ENOMEM, -1;
    *s = (struct sr_save){ .xch = xch, .dom = dom, .cb = cb, .flags = flags };
    s->io = (struct sr_io){ .fd = io_fd, .error = cb->error, .error_len = sizeof(cb->error) };
    rc = save_all(s, &paused_here);
    e = errno;
    /* A failed save leaves the guest as it found it: running, and
     * nothing logging its writes (a failed OFF is tried once more). */
    if ( rc && s->logdirty_on )
        xc_shadow_control(xch, dom, XEN_DOMCTL_SHADOW_OP_OFF, NULL, 0, NULL, 0, NULL);
    /* The rings went with log-dirty: their pool pages can go too (if
     * the tables took some meanwhile, the pool stays bigger). */
    if ( s->pool_grown )
        xc_set_paging_mempool_size(xch, dom, s->pool_before);
    if ( rc && paused_here )
        xc_domain_unpause(xch, dom);
    free(s->set);
    free(s->dirty);
    free(s->ring_buf);
    free(s->sent_type);
    free(s->data);
    free(s->ctx);
    free(s);
    errno = e;
    return rc;
}
