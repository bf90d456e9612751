/*
 * altp2m_fault.c - a view's entries: made from the host entry and the
 * view's own setting at the view's first fault on a gfn (rule 2: host
 * lock, then the view's), dropped when the host entry they derive from
 * changes (rule 3, through the host's leaf_changed hook, before the
 * host drops the old frame), and the view-specific settings that change
 * them (access, change_gfn, suppress-#VE).
 *
 * A view's table is a cache: its entry for gfn is always what (the host
 * entry of the source gfn, the view's own setting) say, or absent. So a
 * host change only has to drop the entries that derive from the changed
 * gfns and flush; the next fault rebuilds them.
 *
 * May not touch: vendor state, the hypercall ABI, the host's entries
 * (it reads them; only the host-view access op writes one, through the
 * core). Every function here runs under the host p2m lock unless it
 * says otherwise.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <xen/logdirty.h>

#include "altp2m_private.h"

/* ---- hooks the other parts fill (xen/altp2m.h) ---- */

__attribute__((weak)) int mem_access_check(struct vcpu *v, gfn_t gfn, uint16_t view,
                                           unsigned int kind)
{
    return 0; /* no listener yet (part vmevent) */
}

__attribute__((weak)) int mem_sharing_rmap_add(struct domain *d, uint16_t view, gfn_t gfn,
                                               mfn_t mfn)
{
    return 0; /* no reverse map yet (part sharing) */
}

__attribute__((weak)) void mem_sharing_rmap_del(struct domain *d, uint16_t view, gfn_t gfn,
                                                mfn_t mfn)
{
}

/* ---- one entry ---- */

void altp2m_view_drop(struct altp2m_view *view, uint64_t gfn)
{
    spin_lock(&view->p2m.lock);
    p2m_set_entry_locked(&view->p2m, _gfn(gfn), INVALID_MFN, P2M_ORDER_4K, p2m_invalid,
                         p2m_access_n);
    spin_unlock(&view->p2m.lock);
}

/* A reference for the view's copy of an entry that holds one. */
static bool take_ref(p2m_type_t t, mfn_t m)
{
    const struct page_info *pg = mfn_to_page(m);

    return !p2m_holds_ref(t) || (pg && get_page(m, pg->owner));
}

/* The reverse-map node of a shared copy goes in before the entry: if it
 * cannot, nothing was written and the caller drops the reference it took.
 * (Written first, the entry's removal would have dropped that reference
 * through put_frame, and the caller would have dropped it again.) */
static int write_copy(struct domain *d, struct altp2m_view *view, uint64_t gfn, mfn_t m,
                      p2m_type_t t, p2m_access_t a)
{
    int rc = 0;

    spin_lock(&view->p2m.lock);
    if ( t == p2m_ram_shared )
        rc = mem_sharing_rmap_add(d, view->p2m.view, _gfn(gfn), m);
    if ( !rc )
    {
        rc = p2m_set_entry_locked(&view->p2m, _gfn(gfn), m, P2M_ORDER_4K, t, a);
        if ( rc && t == p2m_ram_shared )
            mem_sharing_rmap_del(d, view->p2m.view, _gfn(gfn), m);
    }
    spin_unlock(&view->p2m.lock);
    return rc;
}

/*
 * Rule 5: log-dirty counts frames by host gfn, but the hardware (PML,
 * dirty flags) would record a remap's write against the view's gfn. So
 * while log-dirty is on a remap is written write-protected, until a
 * write has marked its source (ALTP2M_OWN_OPEN, until the next re-arm).
 */
static bool remap_protected(const struct domain *d, const struct altp2m_own *own, p2m_type_t t)
{
    return own && (own->flags & ALTP2M_OWN_REMAP) && !(own->flags & ALTP2M_OWN_OPEN) &&
           t == p2m_ram_rw && ACCESS_ONCE(d->logdirty.enabled);
}

/*
 * Rule 2: the view's entry for gfn from the host entry of its source gfn
 * and the view's own access. 1 if written, 0 if the host has no frame
 * there to copy (the host's fault handling decides), -ENOMEM.
 */
static int view_fill(struct domain *d, struct altp2m_view *view, uint64_t gfn)
{
    struct altp2m_own *own = altp2m_own_find(view, gfn);
    uint64_t src = own ? own->src : gfn;
    p2m_type_t t;
    p2m_access_t a;
    mfn_t m = p2m_lookup_locked(&d->p2m, _gfn(src), &t, &a, NULL);
    int rc;

    if ( !mfn_valid_raw(m) || p2m_type_rights(t) == p2m_access_n || !take_ref(t, m) )
        return 0;
    if ( own && (own->flags & ALTP2M_OWN_ACCESS) )
        a = own->access;
    if ( own && (own->flags & ALTP2M_OWN_VE) )
        a |= P2M_ACCESS_VE; /* the backend clears suppress-#VE (EPT bit 63) */
    if ( remap_protected(d, own, t) )
        t = p2m_ram_logdirty;
    altp2m_mark_derived(d, src);
    rc = write_copy(d, view, gfn, m, t, a);
    if ( rc && p2m_holds_ref(t) )
        put_page(m);
    if ( rc )
        return rc;
    d->altp2m.fills++;
    return 1;
}

/* ---- rule 3: a host change reaches every view ---- */

/* Drop what view derives from host gfns [gfn, end): its copies of them
 * (own settings of the same gfn included) and its remaps onto them. */
static void view_forget_range(struct domain *d, struct altp2m_view *view, uint64_t gfn,
                              uint64_t end)
{
    for ( uint64_t g = gfn; g < end; g++ )
    {
        struct altp2m_own *own;

        if ( !altp2m_is_derived(d, g) )
            continue;
        own = altp2m_own_find(view, g);
        if ( !own || own->src == g )
            altp2m_view_drop(view, g);
    }
    for ( uint32_t i = 0; i < view->nr_own; i++ )
        if ( view->own[i].src >= gfn && view->own[i].src < end &&
             view->own[i].src != view->own[i].gfn )
            altp2m_view_drop(view, view->own[i].gfn);
}

void altp2m_leaf_changed(struct p2m_domain *host, uint64_t gfn, unsigned int order)
{
    struct domain *d = host->owner;

    ASSERT(spin_is_locked(&host->lock));
    if ( !d || !d->altp2m.active )
        return;
    for ( uint16_t i = 1; i < MAX_ALTP2M; i++ )
        if ( d->altp2m.views[i] )
        {
            view_forget_range(d, d->altp2m.views[i], gfn, gfn + (1ULL << order));
            d->altp2m.propagations++;
        }
}

void altp2m_logdirty_rearm(struct domain *d)
{
    spin_lock(&d->p2m.lock);
    for ( uint16_t i = 1; i < MAX_ALTP2M; i++ )
    {
        struct altp2m_view *view = d->altp2m.views[i];

        for ( uint32_t k = 0; view && k < view->nr_own; k++ )
            if ( view->own[k].flags & ALTP2M_OWN_REMAP )
            {
                view->own[k].flags &= ~ALTP2M_OWN_OPEN;
                altp2m_view_drop(view, view->own[k].gfn);
            }
    }
    spin_unlock(&d->p2m.lock);
}

/* ---- the fault ---- */

#define ALTP2M_NPF_ACCESS 2 /* the view's own access refused it */

/* A write to a remap write-protected by rule 5, its source's host entry
 * writable: log the source, and let the remap be written until the next
 * re-arm. false if the host entry is log-dirty itself: the host's fault
 * handling on the source logs it (and the remap is rebuilt after). */
static bool remap_write(struct vcpu *v, struct altp2m_view *view, struct altp2m_own *own)
{
    p2m_type_t t;

    p2m_lookup_locked(&v->domain->p2m, _gfn(own->src), &t, NULL, NULL);
    if ( t != p2m_ram_rw )
        return false;
    logdirty_mark_vcpu(v, own->src, P2M_ORDER_4K);
    own->flags |= ALTP2M_OWN_OPEN;
    altp2m_view_drop(view, own->gfn);
    return true;
}

static int view_fault(struct vcpu *v, struct altp2m_view *view, uint64_t gfn, unsigned int kind,
                      uint64_t *src)
{
    struct altp2m_own *own = altp2m_own_find(view, gfn);
    p2m_type_t t;
    p2m_access_t a;
    unsigned int have;
    int rc;

    *src = own ? own->src : gfn;
    if ( p2m_resolve_fault(&view->p2m, _gfn(gfn)) > 0 )
        return ALTP2M_NPF_RETRY;
    if ( !mfn_valid_raw(p2m_lookup(&view->p2m, _gfn(gfn), &t, &a, NULL)) )
    {
        rc = view_fill(v->domain, view, gfn);
        if ( rc < 0 )
            domain_crash(v->domain, "altp2m: no pool page left for a view's tables");
        return rc ? ALTP2M_NPF_RETRY : ALTP2M_NPF_HOST;
    }
    have = p2m_type_rights(t) & a;
    if ( !(kind & ~have) )
        return ALTP2M_NPF_RETRY; /* another vCPU fixed it */
    if ( (kind & p2m_access_w) && t == p2m_ram_logdirty && own && (own->flags & ALTP2M_OWN_REMAP) &&
         remap_write(v, view, own) )
        return ALTP2M_NPF_RETRY;
    if ( own && (own->flags & ALTP2M_OWN_ACCESS) && !(kind & ~p2m_type_rights(t)) )
        return ALTP2M_NPF_ACCESS;
    return ALTP2M_NPF_HOST;
}

/* Xen's rule when nobody listens and access is not required: the
 * restricted entry goes back to rwx (counted, so a test can see it). */
static void reset_access(struct domain *d, uint16_t idx, uint64_t gfn)
{
    struct altp2m_view *view;
    struct altp2m_own *own;

    spin_lock(&d->p2m.lock);
    view = altp2m_view_get(d, idx);
    own = view ? altp2m_own_find(view, gfn) : NULL;
    if ( own && (own->flags & ALTP2M_OWN_ACCESS) )
    {
        own->flags &= ~ALTP2M_OWN_ACCESS;
        own->access = p2m_access_rwx;
        altp2m_view_drop(view, gfn);
        altp2m_own_tidy(view, own);
        d->altp2m.access_resets++;
    }
    spin_unlock(&d->p2m.lock);
}

int altp2m_npf(struct vcpu *v, uint64_t gfn, unsigned int kind, uint64_t *src)
{
    struct domain *d = v->domain;
    uint16_t idx = ACCESS_ONCE(v->altp2m.idx);
    struct altp2m_view *view;
    int rc = ALTP2M_NPF_HOST;

    *src = gfn;
    spin_lock(&d->p2m.lock);
    view = altp2m_view_get(d, idx);
    if ( view )
        rc = view_fault(v, view, gfn, kind, src);
    spin_unlock(&d->p2m.lock);
    if ( rc != ALTP2M_NPF_ACCESS )
        return rc;
    /* With no p2m lock held: the listener's ring has a lock of its own. */
    if ( mem_access_check(v, _gfn(gfn), idx, kind) <= 0 )
        reset_access(d, idx, gfn);
    return ALTP2M_NPF_RETRY;
}
