/*
 * logdirty-foreign.c - log-dirty for writes another domain makes through
 * its own mapping of a domain's frame (a device model's foreign mapping,
 * XENMAPSPACE_gmfn_foreign). Those writes never pass through the
 * domain's p2m, so no fault, PML entry or dirty flag sees them.
 *
 * A bit per gfn says "another domain mapped this frame writable". It is
 * set when the mapping is made, whether log-dirty is on or not (a device
 * model maps guest RAM long before a migration starts), and every CLEAN
 * and PEEK reports every set gfn dirty. The bit is cleared only by a
 * CLEAN/PEEK that has just reported it and then finds the frame held by
 * nobody but its owner (frame_held_by_others): so the last report comes
 * after the mapping went, and covers the writes made just before.
 *
 * The bitmap covers only the span of gfns ever mapped, from a first gfn
 * (a multiple of 64) up: counting from gfn 0 cost a domain whose RAM
 * starts high (Arm's, at gfn 0x40000) a 64 KiB bitmap for one mapping.
 *
 * May not touch: p2m entries (it only looks them up), the dirty bitmap
 * other than through logdirty_mark. Its lock is taken alone.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <xen/logdirty.h>
#include <wren/bitops.h>

#define WORD_BITS 64

static uint64_t words(uint64_t bits)
{
    return MAX(bitmap_words(bits), 1);
}

static uint64_t pages(uint64_t bits)
{
    return (words(bits) * sizeof(uint64_t) + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

static int charge(struct logdirty_domain *ld, uint64_t bits)
{
    return ld->charge_to ? p2m_pool_charge(ld->charge_to, pages(bits)) : 0;
}

static void uncharge(struct logdirty_domain *ld, uint64_t bits)
{
    if ( ld->charge_to && bits )
        p2m_pool_uncharge(ld->charge_to, pages(bits));
}

/* A span of gfns: [first, first + bits), both multiples of WORD_BITS. */
struct span
{
    uint64_t first, bits;
};

static bool span_has(struct span s, uint64_t gfn)
{
    return gfn >= s.first && gfn - s.first < s.bits;
}

/* The span after growing old to cover gfn: at least twice as wide (so a
 * run of mappings grows it a logarithmic number of times), extended on
 * gfn's side. An empty old starts at gfn's word. */
static struct span grown(struct span old, uint64_t gfn)
{
    uint64_t lo = gfn & ~(uint64_t)(WORD_BITS - 1), hi = lo + WORD_BITS, want;

    if ( !old.bits )
        return (struct span){ lo, WORD_BITS };
    lo = MIN(lo, old.first);
    hi = MAX(hi, old.first + old.bits);
    want = MAX(hi - lo, old.bits * 2);
    if ( gfn >= old.first )
        return (struct span){ lo, want };
    return (struct span){ hi >= want ? hi - want : 0, want };
}

static struct span current_span(struct logdirty_domain *ld)
{
    return (struct span){ ld->foreign_first, ld->foreign_bits };
}

/* Swap in bits (covering s) if the bitmap still fits inside it; returns
 * what is to be freed: the old bitmap, or bits if another CPU grew the
 * bitmap meanwhile (the caller then looks again). Lock held. */
static uint64_t *swap_in(struct logdirty_domain *ld, uint64_t *bits, struct span s,
                         uint64_t *old_bits)
{
    struct span cur = current_span(ld);
    uint64_t *old = ld->foreign;

    if ( cur.bits && (cur.first < s.first || cur.first + cur.bits > s.first + s.bits) )
        return bits;
    if ( old )
        memcpy(bits + (cur.first - s.first) / WORD_BITS, old, words(cur.bits) * sizeof(uint64_t));
    ld->foreign = bits;
    ld->foreign_first = s.first;
    ld->foreign_bits = s.bits;
    *old_bits = cur.bits;
    return old;
}

/* The bitmap, grown to cover gfn; allocated outside the lock, swapped in
 * under it. Charged to the domain whose frames it describes. */
static int grow(struct logdirty_domain *ld, uint64_t gfn)
{
    struct span s;
    uint64_t *bits, *old, old_bits;

    spin_lock(&ld->foreign_lock);
    s = grown(current_span(ld), gfn);
    spin_unlock(&ld->foreign_lock);
    old_bits = s.bits;
    if ( charge(ld, s.bits) )
        return -ENOMEM;
    bits = xzalloc_array(uint64_t, words(s.bits));
    if ( !bits )
    {
        uncharge(ld, s.bits);
        return -ENOMEM;
    }
    spin_lock(&ld->foreign_lock);
    old = swap_in(ld, bits, s, &old_bits);
    spin_unlock(&ld->foreign_lock);
    xfree(old);
    uncharge(ld, old_bits);
    return 0;
}

/* Set gfn's bit if the bitmap covers it; false if it does not. */
static bool set_bit_locked(struct logdirty_domain *ld, uint64_t gfn)
{
    bool ok;

    spin_lock(&ld->foreign_lock);
    ok = span_has(current_span(ld), gfn);
    if ( ok )
    {
        uint64_t i = gfn - ld->foreign_first;

        ld->foreign[i / WORD_BITS] |= 1ULL << (i % WORD_BITS);
    }
    spin_unlock(&ld->foreign_lock);
    return ok;
}

int logdirty_foreign_mapped(struct domain *d, uint64_t gfn)
{
    struct logdirty_domain *ld = &d->logdirty;

    if ( gfn >= P2M_GFN_LIMIT )
        return -EINVAL;
    while ( !set_bit_locked(ld, gfn) )
        if ( grow(ld, gfn) )
            return -ENOMEM;
    return 0;
}

/* Take the bits (clearing them) of the word holding the first covered
 * gfn at or above from, and the gfn of its bit 0; false past the end. The
 * bitmap may grow, and its first gfn move down, between calls: walking by
 * gfn, not by word index, misses none of the bits that were set. */
static bool take_word(struct logdirty_domain *ld, uint64_t from, uint64_t *gfn0, uint64_t *got)
{
    struct span s;
    bool ok;

    spin_lock(&ld->foreign_lock);
    s = current_span(ld);
    from = MAX(from, s.first);
    ok = ld->foreign && span_has(s, from);
    if ( ok )
    {
        uint64_t w = (from - s.first) / WORD_BITS;

        *got = ld->foreign[w];
        ld->foreign[w] = 0;
        *gfn0 = s.first + w * WORD_BITS;
    }
    spin_unlock(&ld->foreign_lock);
    return ok;
}

/*
 * Report gfn; keep its bit while the frame is still held by another
 * domain. The bit was taken before the check: a mapping made after the
 * take sets it again itself, one made before holds its reference already
 * and the check sees it.
 */
static void report_one(struct domain *d, uint64_t gfn)
{
    mfn_t mfn;

    logdirty_mark(d, gfn, P2M_ORDER_4K);
    mfn = p2m_lookup(&d->p2m, _gfn(gfn), NULL, NULL, NULL);
    if ( mfn_valid_raw(mfn) && frame_held_by_others(mfn, d->domain_id) )
        set_bit_locked(&d->logdirty, gfn);
}

void logdirty_foreign_report(struct domain *d)
{
    uint64_t gfn0, bits, from = 0;

    while ( take_word(&d->logdirty, from, &gfn0, &bits) )
    {
        while ( bits )
        {
            unsigned int b = __builtin_ctzll(bits);

            bits &= bits - 1;
            report_one(d, gfn0 + b);
        }
        from = gfn0 + WORD_BITS;
    }
}

void logdirty_foreign_free(struct domain *d)
{
    uncharge(&d->logdirty, d->logdirty.foreign ? d->logdirty.foreign_bits : 0);
    xfree(d->logdirty.foreign);
    d->logdirty.foreign = NULL;
    d->logdirty.foreign_first = 0;
    d->logdirty.foreign_bits = 0;
}
