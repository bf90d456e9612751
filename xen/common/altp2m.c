/*
 * altp2m.c - a domain's altp2m views: turning altp2m on and off, making
 * and destroying views, which view each vCPU runs on, and the two pieces
 * of bookkeeping the views keep beside their tables: each view's own
 * settings (sorted by gfn) and the host's per-gfn "derived" bitmap
 * (docs/designs/altp2m-sharing.md; xen/altp2m.h says who locks what).
 *
 * Everything a view holds is charged to the domain's p2m pool: its
 * struct and root (two pages), its own-settings array, the bitmap.
 *
 * May not touch: the table format, vendor state (a vCPU picks up its
 * view on its way in, altp2m_vcpu_p2m), the hypercall ABI (altp2m_op.c).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/altp2m.h>
#include <xen/arch.h>
#include <xen/frame.h>

#include "altp2m_private.h"

void altp2m_domain_init(struct domain *d)
{
    spin_lock_init(&d->altp2m.lock, LOCK_altp2m);
    d->p2m.owner = d;
    d->p2m.leaf_changed = altp2m_leaf_changed;
}

void altp2m_vcpu_init(struct vcpu *v)
{
    v->altp2m.idx = 0;
    v->altp2m.ve_gfn = INVALID_GFN_RAW;
    v->altp2m.ve_mfn = INVALID_MFN_RAW;
}

/* ---- pages charged to the pool ---- */

void *altp2m_alloc(struct domain *d, unsigned int order)
{
    mfn_t m;

    if ( p2m_pool_charge(&d->p2m_pool, 1ULL << order) )
        return NULL;
    m = alloc_zeroed_pages(order);
    if ( mfn_valid_raw(m) )
        return mfn_to_virt(m);
    p2m_pool_uncharge(&d->p2m_pool, 1ULL << order);
    return NULL;
}

void altp2m_free(struct domain *d, void *p, unsigned int order)
{
    if ( !p )
        return;
    free_pages(virt_to_mfn(p), order);
    p2m_pool_uncharge(&d->p2m_pool, 1ULL << order);
}

/* ---- the derived bitmap ---- */

static int derived_alloc(struct domain *d)
{
    struct altp2m_domain *a = &d->altp2m;
    uint64_t bits = d->p2m.max_mapped_gfn + 1;
    unsigned int order = 0;

    while ( (PAGE_SIZE * 8ULL << order) < bits && order < 8 )
        order++;
    a->derived = altp2m_alloc(d, order);
    if ( !a->derived )
        return -ENOMEM;
    a->derived_order = order;
    a->nr_derived = MIN(bits, PAGE_SIZE * 8ULL << order);
    return 0;
}

static void derived_free(struct domain *d)
{
    altp2m_free(d, d->altp2m.derived, d->altp2m.derived_order);
    d->altp2m.derived = NULL;
    d->altp2m.nr_derived = 0;
}

void altp2m_mark_derived(struct domain *d, uint64_t gfn)
{
    if ( gfn < d->altp2m.nr_derived )
        d->altp2m.derived[gfn / 64] |= 1ULL << (gfn % 64);
}

bool altp2m_is_derived(const struct domain *d, uint64_t gfn)
{
    if ( gfn >= d->altp2m.nr_derived )
        return true;
    return d->altp2m.derived[gfn / 64] & (1ULL << (gfn % 64));
}

/* ---- views ---- */

struct altp2m_view *altp2m_view_get(struct domain *d, uint16_t idx)
{
    return idx && idx < MAX_ALTP2M ? ACCESS_ONCE(d->altp2m.views[idx]) : NULL;
}

struct p2m_domain *altp2m_vcpu_p2m(struct vcpu *v)
{
    struct altp2m_view *view = altp2m_view_get(v->domain, ACCESS_ONCE(v->altp2m.idx));

    return view ? &view->p2m : &v->domain->p2m;
}

/* A view's struct and root are two pages of the pool. */
static struct altp2m_view *view_alloc(struct domain *d, uint16_t idx, uint8_t default_access)
{
    struct altp2m_view *view;
    int rc;

    BUILD_BUG_ON(sizeof(*view) > PAGE_SIZE);
    if ( p2m_pool_charge(&d->p2m_pool, 1) )
        return NULL;
    view = altp2m_alloc(d, 0);
    if ( !view )
        goto fail;
    spin_lock(&d->p2m.lock);
    rc = p2m_view_init(&view->p2m, &d->p2m, idx);
    spin_unlock(&d->p2m.lock);
    if ( rc )
        goto fail;
    view->default_access = default_access;
    view->visible = true;
    return view;
fail:
    altp2m_free(d, view, 0);
    p2m_pool_uncharge(&d->p2m_pool, 1);
    return NULL;
}

/* No vCPU may run on it any more (the caller flushed). */
static void view_free(struct domain *d, struct altp2m_view *view)
{
    spin_lock(&d->p2m.lock);
    p2m_teardown(&view->p2m);
    spin_unlock(&d->p2m.lock);
    altp2m_own_free(d, view);
    altp2m_free(d, view, 0);
    p2m_pool_uncharge(&d->p2m_pool, 1); /* the root */
}

int altp2m_view_create(struct domain *d, uint8_t default_access, uint16_t *idx)
{
    struct altp2m_domain *a = &d->altp2m;
    int rc = -EINVAL; /* Xen's answer when every slot is taken */
    uint16_t i;

    spin_lock(&a->lock);
    for ( i = 1; i < MAX_ALTP2M && a->views[i]; i++ )
        ;
    if ( !a->active )
        rc = -EOPNOTSUPP; /* turned off (or the domain died) since the decode */
    else if ( i < MAX_ALTP2M )
    {
        struct altp2m_view *view = view_alloc(d, i, default_access);

        rc = view ? 0 : -ENOMEM;
        if ( view )
        {
            spin_lock(&d->p2m.lock);
            a->views[i] = view;
            spin_unlock(&d->p2m.lock);
            *idx = i;
        }
    }
    spin_unlock(&a->lock);
    return rc;
}

static bool view_in_use(struct domain *d, uint16_t idx)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && ACCESS_ONCE(d->vcpu[i]->altp2m.idx) == idx )
            return true;
    return false;
}

/* Take view idx out of the list: no fault, switch or propagation finds
 * it afterwards; once flushed, no CPU runs on it either. */
static struct altp2m_view *view_unlist(struct domain *d, uint16_t idx)
{
    struct altp2m_view *view = d->altp2m.views[idx];

    spin_lock(&d->p2m.lock);
    d->altp2m.views[idx] = NULL;
    spin_unlock(&d->p2m.lock);
    return view;
}

int altp2m_view_destroy(struct domain *d, uint16_t idx)
{
    struct altp2m_view *view = NULL;
    int rc = -EBUSY; /* Xen's, for a view in use and for no view */

    if ( !idx || idx >= MAX_ALTP2M )
        return -EINVAL;
    spin_lock(&d->altp2m.lock);
    if ( d->altp2m.views[idx] && !view_in_use(d, idx) )
    {
        view = view_unlist(d, idx);
        rc = 0;
    }
    spin_unlock(&d->altp2m.lock);
    if ( !view )
        return rc;
    arch_flush_guest_tlbs(d); /* synchronous: nobody walks its root after */
    view_free(d, view);
    return 0;
}

static void switch_locked(struct vcpu *v, uint16_t idx)
{
    if ( v->altp2m.idx == idx )
        return;
    ACCESS_ONCE(v->altp2m.idx) = idx;
    v->domain->altp2m.switches++;
}

int altp2m_switch_all(struct domain *d, uint16_t idx)
{
    int rc = 0;

    if ( idx >= MAX_ALTP2M )
        return -EINVAL;
    spin_lock(&d->altp2m.lock);
    if ( idx && !d->altp2m.views[idx] )
        rc = -EINVAL;
    for ( unsigned int i = 0; !rc && i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            switch_locked(d->vcpu[i], idx);
    spin_unlock(&d->altp2m.lock);
    if ( !rc )
        arch_flush_guest_tlbs(d); /* every vCPU re-enters on its new view */
    return rc;
}

int altp2m_vcpu_switch(struct vcpu *v, uint16_t idx)
{
    struct domain *d = v->domain;
    int rc = 0;

    if ( idx >= MAX_ALTP2M )
        return -EINVAL;
    spin_lock(&d->altp2m.lock);
    if ( !d->altp2m.active || (idx && !d->altp2m.views[idx]) )
        rc = -EINVAL;
    else
        switch_locked(v, idx);
    spin_unlock(&d->altp2m.lock);
    return rc;
}

int altp2m_set_visibility(struct domain *d, uint16_t idx, bool visible)
{
    int rc = -EINVAL;

    spin_lock(&d->altp2m.lock);
    if ( idx && idx < MAX_ALTP2M && d->altp2m.views[idx] )
    {
        d->altp2m.views[idx]->visible = visible;
        rc = 0;
    }
    else if ( !idx )
        rc = 0; /* the host p2m is always in the list */
    spin_unlock(&d->altp2m.lock);
    return rc;
}

static bool get_for_owner(mfn_t m, void *owner)
{
    return get_page(m, *(const domid_t *)owner);
}

/* altp2m lock held. */
static void ve_clear_locked(struct vcpu *v)
{
    uint64_t m = v->altp2m.ve_mfn;

    if ( m == INVALID_MFN_RAW )
        return;
    ACCESS_ONCE(v->altp2m.ve_mfn) = INVALID_MFN_RAW;
    ACCESS_ONCE(v->altp2m.ve_gfn) = INVALID_GFN_RAW;
    arch_flush_guest_tlbs(v->domain); /* synchronous: v re-enters without it */
    put_page(_mfn(m));
}

/* A reference on gfn's frame if it is plain RAM of v's domain. */
static mfn_t ve_frame_get(struct vcpu *v, uint64_t gfn)
{
    struct domain *d = v->domain;
    p2m_type_t t;
    mfn_t m;

    if ( gfn >= P2M_GFN_LIMIT )
        return INVALID_MFN;
    m = p2m_lookup_get(&d->p2m, _gfn(gfn), &t, get_for_owner, &d->domain_id);
    if ( mfn_valid_raw(m) && t != p2m_ram_rw && t != p2m_ram_logdirty )
    {
        put_page(m);
        m = INVALID_MFN;
    }
    return m;
}

int altp2m_set_ve_info(struct vcpu *v, uint64_t gfn)
{
    struct domain *d = v->domain;
    mfn_t m = INVALID_MFN;
    int rc = 0;

    if ( gfn != INVALID_GFN_RAW && !mfn_valid_raw(m = ve_frame_get(v, gfn)) )
        return -EINVAL;
    spin_lock(&d->altp2m.lock);
    if ( gfn == INVALID_GFN_RAW )
        ve_clear_locked(v);
    else if ( !d->altp2m.active )
        rc = -EOPNOTSUPP; /* off (or the domain died) since the decode: nobody would drop it */
    else if ( v->altp2m.ve_gfn != INVALID_GFN_RAW )
        rc = -EEXIST;
    else
    {
        ACCESS_ONCE(v->altp2m.ve_mfn) = mfn_x(m);
        ACCESS_ONCE(v->altp2m.ve_gfn) = gfn;
    }
    spin_unlock(&d->altp2m.lock);
    if ( rc )
        put_page(m);
    return rc;
}

/* ---- on and off ---- */

/* Every view goes; every vCPU is back on the host p2m. */
static void destroy_all_locked(struct domain *d)
{
    struct altp2m_view *gone[MAX_ALTP2M] = { NULL };

    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            switch_locked(d->vcpu[i], 0);
            ve_clear_locked(d->vcpu[i]);
        }
    for ( uint16_t i = 1; i < MAX_ALTP2M; i++ )
        if ( d->altp2m.views[i] )
            gone[i] = view_unlist(d, i);
    arch_flush_guest_tlbs(d);
    for ( uint16_t i = 1; i < MAX_ALTP2M; i++ )
        if ( gone[i] )
            view_free(d, gone[i]);
}

/* Off: every view and the bitmap go, whatever the state said. */
static void disable_locked(struct domain *d)
{
    destroy_all_locked(d);
    spin_lock(&d->p2m.lock);
    derived_free(d);
    spin_unlock(&d->p2m.lock);
    d->altp2m.active = false;
}

int altp2m_set_active(struct domain *d, bool on)
{
    struct altp2m_domain *a = &d->altp2m;
    int rc = 0;

    spin_lock(&a->lock);
    if ( on && !a->active )
    {
        /* A dying domain's views were torn down once: none may follow. */
        rc = ACCESS_ONCE(d->is_dying) ? -ESRCH : derived_alloc(d);
        a->active = !rc;
    }
    else if ( !on && a->active )
        disable_locked(d);
    spin_unlock(&a->lock);
    return rc;
}

void altp2m_domain_destroy(struct domain *d)
{
    if ( d->altp2m.lock.class == LOCK_unclassed )
        return; /* never initialised: creation failed early */
    spin_lock(&d->altp2m.lock);
    disable_locked(d);
    spin_unlock(&d->altp2m.lock);
}
