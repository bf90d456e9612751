/*
 * ctl.c - the controller's side of the log-dirty tests: shadow_op and
 * XEN_DOMCTL_wren_logdirty wrappers, posting jobs to logdirty-target,
 * and bitmaps of what was written and what was reported.
 *
 * Not a test of its own: the logdirty-* tests and bench-logdirty include
 * it (the XTF build compiles only the files in a test's directory). The
 * target is always domain 1; its mailbox appears at LD_MB_GFN here.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <public/domctl.h>
#include <public/wren.h>
#include <wren/bitops.h>

#include "ld.h"

#define LD_LIB      static __attribute__((unused))
#define LD_TARGET   1
#define LD_MB_GFN   0x7f100UL
#define LD_MAX_GFNS XTF_GFN(64UL * 1024) /* 256 MiB of target RAM */
#define LD_WORDS    (LD_MAX_GFNS / BITS_PER_WORD)
#define GFNS_2M     512UL

typedef uint64_t ld_bits_t[LD_WORDS];

static xtf_mb_t *ld_mb;
static uint64_t ld_ram_end; /* target's first gfn past RAM */

static const char *const ld_mech_names[] = { "default", "wp", "pml", "ad" };

/* ---- bitmaps ---- */

/* One bit per gfn; bitmap_test() and bitmap_set() (wren/bitops.h). */

LD_LIB void ld_clear(uint64_t *bm)
{
    memset(bm, 0, sizeof(ld_bits_t));
}

LD_LIB void ld_or(uint64_t *dst, const uint64_t *src)
{
    for ( unsigned long w = 0; w < LD_WORDS; w++ )
        dst[w] |= src[w];
}

/* How many bits in [first, end). */
LD_LIB uint64_t ld_count(const uint64_t *bm, uint64_t first, uint64_t end)
{
    uint64_t n = 0;

    for ( uint64_t g = first; g < end; g++ )
        n += bitmap_test(bm, g);
    return n;
}

LD_LIB uint64_t ld_data_pages(void)
{
    return ld_ram_end - LD_DATA_FIRST;
}

/* The pages a WRITE_SET job with this seed and count writes. */
LD_LIB void ld_write_set(uint64_t *bm, uint64_t seed, uint64_t count)
{
    for ( uint64_t k = 0; k < count; k++ )
        bitmap_set(bm, ld_pick(seed, k, LD_DATA_FIRST, ld_data_pages()));
}

/* ---- hypercalls ---- */

static long shadow_op(domid_t domid, uint32_t op, uint32_t mode, void *bitmap, uint64_t pages,
                      struct xen_domctl_shadow_op *out)
{
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_shadow_op,
        .domain = domid,
        .u.shadow_op = { .op = op, .mode = mode, .pages = pages },
    };
    long rc;

    set_xen_guest_handle(d.u.shadow_op.dirty_bitmap, bitmap);
    rc = hypercall_domctl(&d);
    if ( out )
        *out = d.u.shadow_op;
    return rc;
}

/* shadow_op on the target; bitmap may be NULL (pages then unused). */
LD_LIB long ld_shadow(uint32_t op, uint32_t mode, void *bitmap, uint64_t pages,
                      struct xen_domctl_shadow_op *out)
{
    return shadow_op(LD_TARGET, op, mode, bitmap, pages, out);
}

/* shadow_op on any domain, without a bitmap. */
LD_LIB long ld_shadow_on(domid_t domid, uint32_t op, uint32_t mode)
{
    return shadow_op(domid, op, mode, NULL, 0, NULL);
}

/* CLEAN or PEEK into bm (zeroed first); 0 or the error. */
LD_LIB long ld_report(uint32_t op, uint32_t mode, uint64_t *bm, struct xen_domctl_shadow_op *out)
{
    ld_clear(bm);
    return ld_shadow(op, mode, bm, LD_MAX_GFNS, out);
}

LD_LIB long ld_stats(domid_t domid, struct xen_domctl_wren_logdirty *out)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_wren_logdirty, .domain = domid };
    struct xen_domctl_wren_logdirty req = { .op = WREN_LOGDIRTY_GET_STATS };
    long rc;

    _Static_assert(sizeof(req) <= sizeof(d.u), "fits the domctl union");
    memcpy(&d.u, &req, sizeof(req));
    rc = hypercall_domctl(&d);
    memcpy(out, &d.u, sizeof(*out));
    return rc;
}

LD_LIB bool ld_get_stats(struct xen_domctl_wren_logdirty *s)
{
    long rc = ld_stats(LD_TARGET, s);

    if ( rc )
        xtf_error("XEN_DOMCTL_wren_logdirty: %ld", rc);
    return !rc;
}

LD_LIB bool ld_p2m_stats(struct xen_domctl_wren_p2m *s)
{
    return xtf_p2m_stats(LD_TARGET, s);
}

LD_LIB bool ld_audit(const char *phase)
{
    return xtf_p2m_audit(LD_TARGET, phase);
}

/* Order of the leaf mapping gfn in the target's p2m (~0 on error). */
LD_LIB unsigned int ld_order(uint64_t gfn)
{
    unsigned int order = ~0U;

    if ( xtf_p2m_lookup(LD_TARGET, gfn, NULL, &order) )
        xtf_error("LOOKUP %#lx failed", (unsigned long)gfn);
    return order;
}

LD_LIB bool ld_pause(bool pause)
{
    long rc =
        xtf_domctl_simple(pause ? XEN_DOMCTL_pausedomain : XEN_DOMCTL_unpausedomain, LD_TARGET);

    if ( rc )
        xtf_error("%spausedomain: %ld", pause ? "" : "un", rc);
    return !rc;
}

/* ---- jobs for the target ---- */

LD_LIB bool ld_attach(void)
{
    ld_mb = xtf_mb_attach(LD_TARGET, LD_MB_GFN);
    if ( !ld_mb )
    {
        xtf_error("no mailbox to d%u", LD_TARGET);
        return false;
    }
    ld_ram_end = ld_mb->ram_end >> PAGE_SHIFT;
    if ( ld_ram_end > LD_MAX_GFNS || ld_ram_end < LD_DATA_FIRST + GFNS_2M )
    {
        xtf_error("target RAM end %#lx out of range", (unsigned long)ld_ram_end);
        return false;
    }
    return true;
}

/* Post a command without waiting; returns its sequence number. */
LD_LIB uint32_t ld_post(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint32_t seq = ld_mb->seq + 1;

    ld_mb->op = op;
    ld_mb->nr = 0;
    ld_mb->arg[0] = a0;
    ld_mb->arg[1] = a1;
    ld_mb->arg[2] = a2;
    ld_mb->result = -XEN_ETIMEDOUT;
    ld_mb->out[0] = 0;
    smp_wmb();
    ld_mb->seq = seq;
    return seq;
}

LD_LIB long ld_wait(uint32_t seq)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( ld_mb->ack == seq )
        {
            smp_rmb();
            return ld_mb->result;
        }
        hypercall_yield();
    }
    return -XEN_ETIMEDOUT;
}

LD_LIB bool ld_job(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
    long rc = ld_wait(ld_post(op, a0, a1, a2));

    if ( rc )
        xtf_error("target job %#x: %ld", op, rc);
    return !rc;
}

/* ---- judging a report ---- */

/* What a round may report beyond the pages written: with the keep
 * policy, the rest of every superpage that was written. */
struct ld_allow
{
    bool keep;
    const uint64_t *super; /* 2M regions that are superpages */
};

static bool region_written(const uint64_t *want, uint64_t region)
{
    for ( uint64_t g = region * GFNS_2M; g < (region + 1) * GFNS_2M; g++ )
        if ( bitmap_test(want, g) )
            return true;
    return false;
}

/* Keep policy: a written superpage must be reported whole. */
static bool check_whole(const uint64_t *got, const uint64_t *want, const struct ld_allow *allow,
                        const char *what)
{
    for ( uint64_t r = LD_DATA_FIRST / GFNS_2M; r < ld_ram_end / GFNS_2M; r++ )
    {
        uint64_t n;

        if ( !allow->keep || !bitmap_test(allow->super, r) || !region_written(want, r) )
            continue;
        n = ld_count(got, r * GFNS_2M, (r + 1) * GFNS_2M);
        if ( n != GFNS_2M )
        {
            xtf_failure("%s: superpage at %#lx written, %lu of its 512 pages reported", what,
                        (unsigned long)(r * GFNS_2M), (unsigned long)n);
            return false;
        }
    }
    return true;
}

/* Every written data page reported; nothing else in the data range but
 * what the policy allows. Returns the data pages reported. */
LD_LIB uint64_t ld_check(const uint64_t *got, const uint64_t *want, const struct ld_allow *allow,
                         const char *what)
{
    uint64_t misses = 0, extra = 0, first_miss = 0, first_extra = 0;

    for ( uint64_t g = LD_DATA_FIRST; g < ld_ram_end; g++ )
    {
        bool w = bitmap_test(want, g), r = bitmap_test(got, g);
        bool allowed = allow->keep && bitmap_test(allow->super, g / GFNS_2M) &&
                       region_written(want, g / GFNS_2M);

        if ( w && !r && !misses++ )
            first_miss = g;
        if ( r && !w && !allowed && !extra++ )
            first_extra = g;
    }
    if ( misses )
        xtf_failure("%s: %lu written pages not reported (first %#lx)", what, (unsigned long)misses,
                    (unsigned long)first_miss);
    if ( extra )
        xtf_failure("%s: %lu pages reported that were not written (first %#lx)", what,
                    (unsigned long)extra, (unsigned long)first_extra);
    check_whole(got, want, allow, what);
    return ld_count(got, LD_DATA_FIRST, ld_ram_end);
}

/* Which 2M regions of the data range are superpages now. */
LD_LIB void ld_superpages(uint64_t *super)
{
    ld_clear(super);
    for ( uint64_t r = LD_DATA_FIRST / GFNS_2M; r < ld_ram_end / GFNS_2M; r++ )
        if ( ld_order(r * GFNS_2M) >= 9 )
            bitmap_set(super, r);
}
