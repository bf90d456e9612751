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

#include "xg_sr_common.h"

#define SENT_NONE 0xff

/* Live saves' defaults (xenguest.h). */
#define LIVE_MAX_ROUNDS      5
#define LIVE_DIRTY_THRESHOLD 50

struct sr_save
{
    xc_interface *xch;
    uint32_t dom;
    struct save_callbacks *cb;
    struct sr_io io;
    uint64_t nr_pfns;
    uint64_t *set;      /* the pfns of the round being sent (bitmap) */
    uint64_t *dirty;    /* live: the log's bitmap, as CLEAN wrote it */
    uint64_t nr_words;  /* of set and dirty */
    uint8_t *sent_type; /* per pfn: the type last sent, or SENT_NONE */
    uint32_t flags;
    bool logdirty_on;
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
    sr_put32(dh, SR_DHDR_X86_HVM);
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

/*
 * The dirty-set step: every pfn the log reports dirty since the last
 * call is added to s->set (which the caller clears between rounds) and
 * the log is reset; *nr is how many it reported. final: the guest is
 * stopped, this is the last look. The only source today is the
 * log-dirty bitmap (XEN_DOMCTL_shadow_op CLEAN); XCFLAGS_WREN_DIRTY_RING
 * adds the dirty rings here.
 */
static int take_dirty(struct sr_save *s, bool final, uint64_t *nr)
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

    if ( logdirty_on(s) )
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
    if ( write_tsc_info(s) || write_hvm_params(s) || write_hvm_context(s) ||
         sr_write_record(&s->io, SR_REC_END, NULL, 0, NULL, 0) )
        return -1;
    return logdirty_off(s);
}

static int save_setup(struct sr_save *s)
{
    xen_pfn_t max;

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
    /* The ring part adds its source to take_dirty(). */
    return !(flags & XCFLAGS_WREN_DIRTY_RING);
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
    if ( rc && paused_here )
        xc_domain_unpause(xch, dom);
    free(s->set);
    free(s->dirty);
    free(s->sent_type);
    free(s->data);
    free(s->ctx);
    free(s);
    errno = e;
    return rc;
}
