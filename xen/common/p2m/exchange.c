/*
 * p2m/exchange.c - compare and exchange one 4K entry, with a caller's
 * step run under the lock between the check and the write: what memory
 * sharing needs to turn a RAM entry into a shared one (and back, or onto
 * another frame) while nothing else can change that entry.
 *
 * Part of the p2m core, on the layer of type.c: it calls walk.c and
 * table.c only, and knows nothing of sharing (the commit step is the
 * caller's). Lock order: xen/lock-order.h; takes p2m->lock itself.
 */
#include "private.h"

#include <xen/errno.h>

static int check_exchange(gfn_t gfn, mfn_t new_mfn, p2m_type_t old_t, p2m_type_t new_t)
{
    if ( gfn_x(gfn) >= P2M_GFN_LIMIT || (unsigned int)old_t >= p2m_type_count ||
         (unsigned int)new_t >= p2m_type_count || new_t == p2m_invalid )
        return -EINVAL;
    if ( !mfn_valid_raw(new_mfn) || mfn_x(new_mfn) >= P2M_MFN_LIMIT )
        return -EINVAL;
    return 0;
}

/* Does the 4K leaf (or empty entry) pte say what the caller expects? */
static bool entry_is(const struct p2m_domain *p2m, p2m_pte_t pte, mfn_t m, p2m_type_t t)
{
    if ( !p2m->ops->is_leaf(pte, 1) )
        return t == p2m_invalid;
    return p2m->ops->type(pte) == t && mfn_eq(p2m->ops->mfn(pte), m);
}

static int exchange_locked(struct p2m_domain *p2m, uint64_t gfn, mfn_t old_mfn, p2m_type_t old_t,
                           mfn_t new_mfn, p2m_type_t new_t, bool keep_old_ref,
                           int (*commit)(void *arg), void *arg)
{
    p2m_pte_t *slot, pte;
    p2m_access_t a = p2m_access_rwx;
    int rc;

    /* Building the path for a hole only adds empty tables; a shatter
     * changes no translation. Neither is visible if the check fails. */
    slot = p2m_walk_to(p2m, gfn, 1, true, &rc);
    if ( !slot )
        return rc == WALK_HOLE ? -EAGAIN : rc;
    pte = read_pte(slot);
    if ( !entry_is(p2m, pte, old_mfn, old_t) )
        return -EAGAIN;
    if ( p2m->ops->is_leaf(pte, 1) )
        a = p2m->ops->access(pte);
    if ( commit && (rc = commit(arg)) )
        return rc;
    pte = p2m->ops->make_leaf(new_mfn, 1, new_t, a);
    if ( keep_old_ref )
        p2m_install_keeping_ref(p2m, gfn, slot, pte);
    else
        p2m_install(p2m, gfn, slot, 1, pte);
    p2m_note_mapped(p2m, gfn, P2M_ORDER_4K);
    return 0;
}

int p2m_exchange_4k(struct p2m_domain *p2m, gfn_t gfn, mfn_t old_mfn, p2m_type_t old_t,
                    mfn_t new_mfn, p2m_type_t new_t, bool keep_old_ref, int (*commit)(void *arg),
                    void *arg)
{
    int rc = check_exchange(gfn, new_mfn, old_t, new_t);

    if ( rc )
        return rc;
    spin_lock(&p2m->lock);
    rc =
        exchange_locked(p2m, gfn_x(gfn), old_mfn, old_t, new_mfn, new_t, keep_old_ref, commit, arg);
    spin_unlock(&p2m->lock);
    return rc;
}
