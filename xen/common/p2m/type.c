/*
 * p2m/type.c - which type changes are legal, and changing the type of one
 * frame or of a range: only entries now of the old type change, frames
 * and access stay.
 *
 * Part of the p2m core; lock order: xen/lock-order.h. Pending global
 * changes on the way are resolved first (p2m_walk_resolving), so "now of
 * the old type" means after every change begun so far.
 */
#include "private.h"

#include <xen/errno.h>

int p2m_check_type_change(p2m_type_t old, p2m_type_t new)
{
    if ( (unsigned int)old >= p2m_type_count || (unsigned int)new >= p2m_type_count )
        return -EINVAL;
    if ( old == new || old == p2m_invalid || new == p2m_invalid )
        return -EINVAL; /* removal and mapping are set_entry's */
    if ( old == p2m_ram_broken )
        return -EINVAL; /* only a new frame mends a broken one */
    /* An entry that holds a frame reference keeps its type for life: a
     * change would lose the reference, or claim one never taken. */
    if ( p2m_holds_ref(old) || p2m_holds_ref(new) )
        return -EINVAL;
    /* Types without rights may have no frame: they cannot gain rights. */
    if ( p2m_type_rights(new) != p2m_access_n && p2m_type_rights(old) == p2m_access_n )
        return -EINVAL;
    return 0;
}

/* Walk [gfn, end) leaf by leaf; a superpage sticking out of the range is
 * shattered so that only the frames inside change. */
static int64_t change_range_locked(struct p2m_domain *p2m, uint64_t gfn, uint64_t end,
                                   p2m_type_t old, p2m_type_t new, bool *narrowed)
{
    int64_t changed = 0;

    while ( gfn < end )
    {
        p2m_pte_t *slot;
        unsigned int level = p2m_walk_resolving(p2m, gfn, &slot);
        uint64_t span = level_span(level), next = (gfn | (span - 1)) + 1;
        p2m_pte_t pte = read_pte(slot);
        int rc;

        if ( !p2m->ops->is_leaf(pte, level) || p2m->ops->type(pte) != old )
        {
            gfn = next;
            continue;
        }
        if ( (gfn & (span - 1)) || next > end )
        {
            rc = p2m_shatter(p2m, slot, level);
            if ( rc )
                return rc;
            continue;
        }
        *narrowed |= p2m_retype_leaf(p2m, slot, level, new);
        p2m_note_leaf_changed(p2m, gfn, level);
        changed += span;
        gfn = next;
    }
    return changed;
}

static int64_t change_range(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr, p2m_type_t old,
                            p2m_type_t new, bool owned)
{
    int rc = p2m_check_type_change(old, new);
    bool narrowed = false;
    int64_t changed;

    if ( rc )
        return rc;
    if ( gfn_x(gfn) >= P2M_GFN_LIMIT || nr > P2M_GFN_LIMIT - gfn_x(gfn) )
        return -EINVAL;
    spin_lock(&p2m->lock);
    if ( owned && !p2m->changes->type_owner[new] )
        changed = -EINVAL;
    else
        changed = change_range_locked(p2m, gfn_x(gfn), gfn_x(gfn) + nr, old, new, &narrowed);
    if ( narrowed )
        p2m_flush(p2m);
    spin_unlock(&p2m->lock);
    return changed;
}

int64_t p2m_change_type_range(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr, p2m_type_t old,
                              p2m_type_t new)
{
    return change_range(p2m, gfn, nr, old, new, false);
}

int64_t p2m_change_type_range_owned(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr, p2m_type_t old,
                                    p2m_type_t new)
{
    return change_range(p2m, gfn, nr, old, new, true);
}

int p2m_change_type_one(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t old, p2m_type_t new)
{
    return p2m_change_type_range(p2m, gfn, 1, old, new);
}
