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
 * The bits cover a window of words that grows to take in each mapped
 * gfn, downwards as well as upwards: a domain whose RAM starts high (Arm's
 * at gfn 0x40000) pays for the gfns it has, not for the ones below. Words
 * are named by their absolute index (gfn / 64), so a report that runs
 * while the window moves still finds every word that was set before it.
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

#define WORD_BITS 64

static uint64_t pages(uint64_t words)
{
    return (words * sizeof(uint64_t) + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

static int charge(struct logdirty_domain *ld, uint64_t words)
{
    return ld->charge_to ? p2m_pool_charge(ld->charge_to, pages(words)) : 0;
}

static void uncharge(struct logdirty_domain *ld, uint64_t words)
{
    if ( ld->charge_to && words )
        p2m_pool_uncharge(ld->charge_to, pages(words));
}

/* The window [first, first + nr) words, under foreign_lock. */
struct window
{
    uint64_t first, nr;
};

static bool covers(struct window w, uint64_t word)
{
    return w.nr && word >= w.first && word - w.first < w.nr;
}

/* The window after taking in word: twice the old size at least (so
 * growing is rare), on the side the word is on. */
static struct window widened(struct window w, uint64_t word)
{
    struct window n;
    uint64_t end;

    if ( !w.nr )
        return (struct window){ .first = word, .nr = 1 };
    if ( word < w.first )
    {
        end = w.first + w.nr;
        n.first = MIN(word, end > 2 * w.nr ? end - 2 * w.nr : 0);
        n.nr = end - n.first;
        return n;
    }
    n.first = w.first;
    n.nr = MAX(word - w.first + 1, 2 * w.nr);
    return n;
}

static struct window current_window(struct logdirty_domain *ld)
{
    return (struct window){ .first = ld->foreign_first, .nr = ld->foreign ? ld->foreign_words : 0 };
}

/*
 * Grow the window to cover word: the new bitmap is charged and allocated
 * outside the lock and swapped in under it, the old bits copied to their
 * place in it. Charged to the domain whose frames it describes.
 */
static int grow(struct logdirty_domain *ld, uint64_t word)
{
    struct window old, want;
    uint64_t *bits, *drop, drop_words;

    spin_lock(&ld->foreign_lock);
    want = widened(current_window(ld), word);
    spin_unlock(&ld->foreign_lock);
    if ( charge(ld, want.nr) )
        return -ENOMEM;
    bits = xzalloc_array(uint64_t, want.nr);
    if ( !bits )
    {
        uncharge(ld, want.nr);
        return -ENOMEM;
    }
    spin_lock(&ld->foreign_lock);
    old = current_window(ld);
    if ( covers(old, word) ||
         (old.nr && !(covers(want, old.first) && covers(want, old.first + old.nr - 1))) )
    {
        drop = bits; /* another CPU grew it meanwhile: try again */
        drop_words = want.nr;
    }
    else
    {
        if ( old.nr )
            memcpy(bits + (old.first - want.first), ld->foreign, old.nr * sizeof(uint64_t));
        drop = ld->foreign;
        drop_words = old.nr;
        ld->foreign = bits;
        ld->foreign_first = want.first;
        ld->foreign_words = want.nr;
    }
    spin_unlock(&ld->foreign_lock);
    xfree(drop);
    uncharge(ld, drop_words);
    return 0;
}

/* Set gfn's bit if the window covers it; false if it does not. */
static bool set_bit_locked(struct logdirty_domain *ld, uint64_t gfn)
{
    uint64_t word = gfn / WORD_BITS;
    bool ok;

    spin_lock(&ld->foreign_lock);
    ok = covers(current_window(ld), word);
    if ( ok )
        ld->foreign[word - ld->foreign_first] |= 1ULL << (gfn % WORD_BITS);
    spin_unlock(&ld->foreign_lock);
    return ok;
}

int logdirty_foreign_mapped(struct domain *d, uint64_t gfn)
{
    struct logdirty_domain *ld = &d->logdirty;

    if ( gfn >= P2M_GFN_LIMIT )
        return -EINVAL;
    while ( !set_bit_locked(ld, gfn) )
        if ( grow(ld, gfn / WORD_BITS) )
            return -ENOMEM;
    return 0;
}

/* Take the bits of absolute word `word` (clearing them); 0 outside the
 * window. */
static uint64_t take_word(struct logdirty_domain *ld, uint64_t word)
{
    uint64_t got = 0;

    spin_lock(&ld->foreign_lock);
    if ( covers(current_window(ld), word) )
    {
        got = ld->foreign[word - ld->foreign_first];
        ld->foreign[word - ld->foreign_first] = 0;
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

/* Every word the window held when the report began keeps its absolute
 * index however the window grows meanwhile, so none is missed; words it
 * grows by were mapped during the report and are the next one's. */
void logdirty_foreign_report(struct domain *d)
{
    struct logdirty_domain *ld = &d->logdirty;
    struct window w;
    uint64_t word;

    spin_lock(&ld->foreign_lock);
    w = current_window(ld);
    spin_unlock(&ld->foreign_lock);
    for ( word = w.first; word < w.first + w.nr; word++ )
    {
        uint64_t bits = take_word(ld, word);

        while ( bits )
        {
            unsigned int b = __builtin_ctzll(bits);

            bits &= bits - 1;
            report_one(d, word * WORD_BITS + b);
        }
    }
}

void logdirty_foreign_free(struct domain *d)
{
    uncharge(&d->logdirty, d->logdirty.foreign ? d->logdirty.foreign_words : 0);
    xfree(d->logdirty.foreign);
    d->logdirty.foreign = NULL;
    d->logdirty.foreign_first = 0;
    d->logdirty.foreign_words = 0;
}
