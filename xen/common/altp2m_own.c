/*
 * altp2m_own.c - each view's own settings: per view gfn, the access the
 * view gives it, the host gfn it shows (change_gfn) and its suppress-#VE
 * bit. An array sorted by gfn, in pages charged to the domain's p2m pool,
 * doubled when full. The view's table is a cache of (host entry, own
 * setting); this array is what the view says.
 *
 * May not touch: any table (altp2m_fault.c rebuilds entries). Every
 * function expects the host p2m lock held.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>

#include "altp2m_private.h"

#define OWN_PER_PAGE (PAGE_SIZE / sizeof(struct altp2m_own))

/* The first setting whose gfn is >= gfn. */
static uint32_t own_lower_bound(const struct altp2m_view *view, uint64_t gfn)
{
    uint32_t lo = 0, hi = view->nr_own;

    while ( lo < hi )
    {
        uint32_t mid = lo + (hi - lo) / 2;

        if ( view->own[mid].gfn < gfn )
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct altp2m_own *altp2m_own_find(struct altp2m_view *view, uint64_t gfn)
{
    uint32_t i = own_lower_bound(view, gfn);

    return i < view->nr_own && view->own[i].gfn == gfn ? &view->own[i] : NULL;
}

static uint64_t own_capacity(const struct altp2m_view *view)
{
    return view->own ? OWN_PER_PAGE << view->own_order : 0;
}

/* Room for one more: the array doubled (copied into new pages). */
static int own_grow(struct domain *d, struct altp2m_view *view)
{
    unsigned int order = view->own ? view->own_order + 1 : 0;
    struct altp2m_own *bigger;

    if ( view->nr_own < own_capacity(view) )
        return 0;
    if ( order > 10 )
        return -ENOMEM;
    bigger = altp2m_alloc(d, order);
    if ( !bigger )
        return -ENOMEM;
    if ( view->own )
        memcpy(bigger, view->own, view->nr_own * sizeof(*bigger));
    altp2m_free(d, view->own, view->own_order);
    view->own = bigger;
    view->own_order = order;
    return 0;
}

struct altp2m_own *altp2m_own_get(struct domain *d, struct altp2m_view *view, uint64_t gfn)
{
    struct altp2m_own *own = altp2m_own_find(view, gfn);
    uint32_t i;

    if ( own )
        return own;
    if ( own_grow(d, view) )
        return NULL;
    i = own_lower_bound(view, gfn);
    memmove(&view->own[i + 1], &view->own[i], (view->nr_own - i) * sizeof(view->own[0]));
    view->nr_own++;
    view->own[i] = (struct altp2m_own){ .gfn = gfn, .src = gfn };
    return &view->own[i];
}

void altp2m_own_tidy(struct altp2m_view *view, struct altp2m_own *own)
{
    uint32_t i = own - view->own;

    if ( own->flags )
        return;
    memmove(&view->own[i], &view->own[i + 1], (view->nr_own - i - 1) * sizeof(view->own[0]));
    view->nr_own--;
}

void altp2m_own_free(struct domain *d, struct altp2m_view *view)
{
    altp2m_free(d, view->own, view->own_order);
    view->own = NULL;
    view->nr_own = 0;
    view->own_order = 0;
}
