/*
 * p2m/access.c - changing the access rights of a range of frames: only
 * leaves of the types asked for change, frames and types stay. The
 * mem_access interface (common/mem_access.c) is the caller.
 *
 * Part of the p2m core (layer 4, beside type.c); lock order:
 * xen/lock-order.h. May not touch: types, frames, references; pending
 * global changes on the way are resolved first (p2m_walk_resolving), so
 * "a leaf of type t" means after every change begun so far.
 */
#include "private.h"

#include <xen/errno.h>

/* Walk [gfn, end) leaf by leaf; a superpage sticking out of the range is
 * shattered so that only the frames inside change. */
static int64_t access_range_locked(struct p2m_domain *p2m, uint64_t gfn, uint64_t end,
                                   p2m_access_t a, uint32_t types, bool *narrowed)
{
    int64_t changed = 0;

    while ( gfn < end )
    {
        p2m_pte_t *slot;
        unsigned int level = p2m_walk_resolving(p2m, gfn, &slot);
        uint64_t span = level_span(level), next = (gfn | (span - 1)) + 1;
        p2m_pte_t pte = read_pte(slot);
        int rc;

        if ( !p2m->ops->is_leaf(pte, level) || !(types & P2M_TYPE_BIT(p2m->ops->type(pte))) )
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
        if ( p2m->ops->access(pte) != a )
        {
            *narrowed |= p2m_reaccess_leaf(p2m, slot, level, a);
            p2m_note_leaf_changed(p2m, gfn, level); /* views drop their copies */
        }
        changed += span;
        gfn = next;
    }
    return changed;
}

int64_t p2m_set_access_range(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr, p2m_access_t a,
                             uint32_t types)
{
    bool narrowed = false;
    int64_t changed;

    if ( (unsigned int)a > p2m_access_rwx )
        return -EINVAL;
    if ( gfn_x(gfn) >= P2M_GFN_LIMIT || nr > P2M_GFN_LIMIT - gfn_x(gfn) )
        return -EINVAL;
    spin_lock(&p2m->lock);
    changed = access_range_locked(p2m, gfn_x(gfn), gfn_x(gfn) + nr, a, types, &narrowed);
    if ( narrowed )
        p2m_flush(p2m);
    spin_unlock(&p2m->lock);
    return changed;
}
