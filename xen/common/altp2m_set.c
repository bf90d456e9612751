/*
 * altp2m_set.c - the view-specific settings the HVMOP_altp2m sub-ops
 * make and read: a gfn's access in a view, change_gfn (a view gfn shows
 * another host gfn's frame; INVALID_GFN reverts), suppress-#VE. Each
 * records the setting (altp2m_own.c) and drops the view's entry, which
 * the next fault rebuilds (altp2m_fault.c). Arguments are checked, and
 * the host entry read, before anything changes.
 *
 * May not touch: vendor state, the ABI (altp2m_op.c decodes). Takes the
 * host p2m lock; a view's lock only through altp2m_view_drop.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>

#include "altp2m_private.h"

/* The host entry of gfn, if it maps a frame: 0, or -ESRCH (Xen's). */
static int host_entry(struct domain *d, uint64_t gfn, p2m_type_t *t, p2m_access_t *a, mfn_t *m)
{
    if ( gfn >= P2M_GFN_LIMIT )
        return -EINVAL;
    *m = p2m_lookup_locked(&d->p2m, _gfn(gfn), t, a, NULL);
    return mfn_valid_raw(*m) ? 0 : -ESRCH;
}

/* The host types whose entries map a frame: the ones view 0's access
 * may be set on (a hole is -ESRCH, as Xen). */
#define HOST_FRAME_TYPES                                                                    \
    (P2M_TYPE_BIT(p2m_ram_rw) | P2M_TYPE_BIT(p2m_ram_logdirty) | P2M_TYPE_BIT(p2m_ram_ro) | \
     P2M_TYPE_BIT(p2m_mmio_direct) | P2M_TYPE_BIT(p2m_grant_map_rw) |                       \
     P2M_TYPE_BIT(p2m_grant_map_ro) | P2M_TYPE_BIT(p2m_ram_shared) |                        \
     P2M_TYPE_BIT(p2m_map_foreign) | P2M_TYPE_BIT(p2m_ioreq_server))

/* View 0 is the host p2m: its access is the host entry's, changed in
 * place. A rewrite by set_entry would drop the reference of an entry
 * that holds one (grant, foreign, shared) while it still maps the frame. */
static int host_set_access(struct domain *d, uint64_t gfn, uint8_t access)
{
    int64_t changed;

    if ( gfn >= P2M_GFN_LIMIT )
        return -EINVAL;
    changed = p2m_set_access_range(&d->p2m, _gfn(gfn), 1, access, HOST_FRAME_TYPES);
    if ( changed < 0 )
        return (int)changed;
    return changed ? 0 : -ESRCH;
}

/* The views list holds still under the host lock (view_unlist and
 * create write it under it, and a view is freed only after it is
 * unlisted): a view is looked up there, never before, or a destroy on
 * another CPU could free it between the look-up and the lock. */
static int set_access_locked(struct domain *d, struct altp2m_view *view, uint64_t gfn,
                             uint8_t access)
{
    struct altp2m_own *own = altp2m_own_find(view, gfn);
    p2m_type_t t;
    p2m_access_t a;
    mfn_t m;
    int rc = host_entry(d, own ? own->src : gfn, &t, &a, &m);

    own = rc ? NULL : altp2m_own_get(d, view, gfn);
    if ( !rc && !own )
        rc = -ENOMEM;
    if ( own )
    {
        own->flags |= ALTP2M_OWN_ACCESS;
        own->access = access;
        altp2m_mark_derived(d, own->src);
        altp2m_view_drop(view, gfn);
    }
    return rc;
}

int altp2m_set_access(struct domain *d, uint16_t idx, uint64_t gfn, uint8_t access)
{
    struct altp2m_view *view;
    int rc = -EINVAL;

    if ( access > p2m_access_rwx )
        return -EINVAL;
    if ( !idx )
        return host_set_access(d, gfn, access);
    spin_lock(&d->p2m.lock);
    view = altp2m_view_get(d, idx);
    if ( view )
        rc = set_access_locked(d, view, gfn, access);
    spin_unlock(&d->p2m.lock);
    return rc;
}

int altp2m_get_access(struct domain *d, uint16_t idx, uint64_t gfn, uint8_t *access)
{
    struct altp2m_view *view;
    struct altp2m_own *own = NULL;
    p2m_type_t t;
    p2m_access_t a;
    mfn_t m;
    int rc = -EINVAL;

    spin_lock(&d->p2m.lock);
    view = altp2m_view_get(d, idx);
    if ( !idx || view )
    {
        own = view ? altp2m_own_find(view, gfn) : NULL;
        rc = host_entry(d, own ? own->src : gfn, &t, &a, &m);
        if ( own && (own->flags & ALTP2M_OWN_ACCESS) )
            a = own->access;
    }
    spin_unlock(&d->p2m.lock);
    if ( !rc )
        *access = a;
    return rc;
}

/* A frame change_gfn may show elsewhere: RAM the guest may read. */
static bool remappable(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_ram_logdirty || t == p2m_ram_shared;
}

static int remap_locked(struct domain *d, struct altp2m_view *view, uint64_t old_gfn,
                        uint64_t new_gfn)
{
    struct altp2m_own *own = altp2m_own_find(view, old_gfn);
    p2m_type_t t;
    p2m_access_t a;
    mfn_t m;

    if ( new_gfn == INVALID_GFN_RAW || new_gfn == old_gfn )
    {
        if ( !own || !(own->flags & ALTP2M_OWN_REMAP) )
            return 0; /* nothing to revert */
        own->src = old_gfn;
        own->flags &= ~ALTP2M_OWN_REMAP;
        altp2m_view_drop(view, old_gfn);
        altp2m_own_tidy(view, own);
        return 0;
    }
    if ( host_entry(d, old_gfn, &t, &a, &m) )
        return -ESRCH;
    if ( host_entry(d, new_gfn, &t, &a, &m) || !remappable(t) )
        return -EINVAL;
    own = altp2m_own_get(d, view, old_gfn);
    if ( !own )
        return -ENOMEM;
    own->src = new_gfn;
    own->flags |= ALTP2M_OWN_REMAP;
    altp2m_mark_derived(d, new_gfn);
    altp2m_view_drop(view, old_gfn);
    return 0;
}

int altp2m_change_gfn(struct domain *d, uint16_t idx, uint64_t old_gfn, uint64_t new_gfn)
{
    struct altp2m_view *view;
    int rc = -EINVAL;

    if ( old_gfn >= P2M_GFN_LIMIT || (new_gfn != INVALID_GFN_RAW && new_gfn >= P2M_GFN_LIMIT) )
        return -EINVAL;
    spin_lock(&d->p2m.lock);
    view = altp2m_view_get(d, idx);
    if ( view )
        rc = remap_locked(d, view, old_gfn, new_gfn);
    spin_unlock(&d->p2m.lock);
    return rc;
}

/* Suppress-#VE is kept per view entry, set unless cleared (Xen's
 * default); the host p2m (view 0) keeps none. Host lock held. */
static int set_sve_locked(struct domain *d, struct altp2m_view *view, uint64_t gfn, bool sve)
{
    struct altp2m_own *own = altp2m_own_find(view, gfn);
    p2m_type_t t;
    p2m_access_t a;
    mfn_t m;
    int rc = host_entry(d, own ? own->src : gfn, &t, &a, &m);

    own = rc || (sve && !own) ? own : altp2m_own_get(d, view, gfn);
    if ( !rc && !sve && !own )
        rc = -ENOMEM;
    if ( !rc && own )
    {
        own->flags = sve ? own->flags & ~ALTP2M_OWN_VE : own->flags | ALTP2M_OWN_VE;
        altp2m_view_drop(view, gfn); /* rebuilt with the new bit at its next fault */
        altp2m_own_tidy(view, own);
    }
    return rc;
}

int altp2m_set_suppress_ve(struct domain *d, uint16_t idx, uint64_t gfn, bool sve)
{
    struct altp2m_view *view;
    int rc = -EINVAL;

    spin_lock(&d->p2m.lock);
    view = altp2m_view_get(d, idx);
    if ( view )
        rc = set_sve_locked(d, view, gfn, sve);
    spin_unlock(&d->p2m.lock);
    return rc;
}

int altp2m_get_suppress_ve(struct domain *d, uint16_t idx, uint64_t gfn, bool *sve)
{
    struct altp2m_view *view;
    struct altp2m_own *own;
    p2m_type_t t;
    p2m_access_t a;
    mfn_t m;
    int rc = -EINVAL;

    spin_lock(&d->p2m.lock);
    view = altp2m_view_get(d, idx);
    if ( view )
    {
        own = altp2m_own_find(view, gfn);
        rc = host_entry(d, own ? own->src : gfn, &t, &a, &m);
        *sve = !(own && (own->flags & ALTP2M_OWN_VE));
    }
    spin_unlock(&d->p2m.lock);
    return rc;
}
