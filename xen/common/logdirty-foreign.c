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

/* The bitmap, grown to cover gfn; allocated outside the lock, swapped in
 * under it. Charged to the domain whose frames it describes. */
static int grow(struct logdirty_domain *ld, uint64_t gfn)
{
    uint64_t want = MAX((gfn | (WORD_BITS - 1)) + 1, ld->foreign_bits * 2);
    uint64_t *bits, *old, old_bits = want;

    if ( charge(ld, want) )
        return -ENOMEM;
    bits = xzalloc_array(uint64_t, words(want));
    if ( !bits )
    {
        uncharge(ld, want);
        return -ENOMEM;
    }
    spin_lock(&ld->foreign_lock);
    if ( gfn < ld->foreign_bits ) /* another CPU grew it meanwhile */
        old = bits;
    else
    {
        old_bits = ld->foreign_bits;
        if ( ld->foreign )
            memcpy(bits, ld->foreign, words(ld->foreign_bits) * sizeof(uint64_t));
        old = ld->foreign;
        ld->foreign = bits;
        ld->foreign_bits = want;
    }
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
    ok = gfn < ld->foreign_bits;
    if ( ok )
        ld->foreign[gfn / WORD_BITS] |= 1ULL << (gfn % WORD_BITS);
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

/* Take word w's bits (clearing them); 0 past the end. */
static uint64_t take_word(struct logdirty_domain *ld, uint64_t w)
{
    uint64_t got = 0;

    spin_lock(&ld->foreign_lock);
    if ( w < words(ld->foreign_bits) && ld->foreign )
    {
        got = ld->foreign[w];
        ld->foreign[w] = 0;
    }
    spin_unlock(&ld->foreign_lock);
    return got;
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
    struct logdirty_domain *ld = &d->logdirty;
    uint64_t w, nr = words(ACCESS_ONCE(ld->foreign_bits));

    for ( w = 0; w < nr && ACCESS_ONCE(ld->foreign); w++ )
    {
        uint64_t bits = take_word(ld, w);

        while ( bits )
        {
            unsigned int b = __builtin_ctzll(bits);

            bits &= bits - 1;
            report_one(d, w * WORD_BITS + b);
        }
    }
}

void logdirty_foreign_free(struct domain *d)
{
    uncharge(&d->logdirty, d->logdirty.foreign ? d->logdirty.foreign_bits : 0);
    xfree(d->logdirty.foreign);
    d->logdirty.foreign = NULL;
    d->logdirty.foreign_bits = 0;
}
