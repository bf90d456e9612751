/*
 * broken_p2m.c - the restore side of broken pages (xen/broken.h's
 * domain_set_gfn_broken) and the two domctls the save/restore toolstack
 * uses to read and write a domain's page types:
 * XEN_DOMCTL_getpageframeinfo3 (the type of each of a batch of gfns) and
 * XEN_DOMCTL_set_broken_page_p2m (a gfn broken on the sending side).
 *
 * May not touch: frames another domain owns or maps (a broken entry only
 * ever replaces d's own RAM or a hole), the frame table's broken state
 * (common/vmce.c marks machine frames; here no frame is involved).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/frame.h>
#include <xen/broken.h>
#include <public/domctl.h>

/* At most this many gfns per getpageframeinfo3 (Xen's limit). */
#define PFINFO_MAX 1024

/* Under d->lock: drop whatever RAM of d's own is at gfn and leave a
 * broken entry with no frame. Only d's RAM or a hole may become broken. */
static int set_broken_locked(struct domain *d, uint64_t gfn)
{
    p2m_type_t t;
    mfn_t m = p2m_lookup(&d->p2m, _gfn(gfn), &t, NULL, NULL);
    bool own = p2m_is_ram(t) && t != p2m_ram_shared && frame_is_allocated_to(m, d->domain_id);
    int rc;

    if ( t == p2m_ram_broken )
        return 0;
    if ( t != p2m_invalid && !own )
        return -EINVAL; /* MMIO, foreign, grant, shared: not RAM of d's */
    rc = p2m_set_entry(&d->p2m, _gfn(gfn), INVALID_MFN, P2M_ORDER_4K, p2m_ram_broken, p2m_access_n);
    if ( !rc && own && frame_release(m) )
        d->tot_pages--;
    return rc;
}

int domain_set_gfn_broken(struct domain *d, uint64_t gfn)
{
    int rc;

    if ( !domain_gfn_ok(d, gfn) )
        return -EINVAL;
    spin_lock(&d->lock);
    rc = set_broken_locked(d, gfn);
    spin_unlock(&d->lock);
    return rc;
}

long domctl_set_broken_page(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    if ( d == current->domain )
        return -EINVAL;
    return domain_set_gfn_broken(d, op->u.set_broken_page_p2m.pfn);
}

/* The XEN_DOMCTL_PFINFO_* type of d's gfn: RAM of d's own (or shared) is NOTAB, a
 * broken entry BROKEN, anything else (holes, MMIO, foreign and grant
 * mappings, pages the hypervisor shares with d) XTAB, as in Xen. */
static uint32_t gfn_pfinfo(struct domain *d, uint64_t gfn)
{
    p2m_type_t t;
    mfn_t m;

    if ( !domain_gfn_ok(d, gfn) )
        return XEN_DOMCTL_PFINFO_XTAB;
    m = p2m_lookup(&d->p2m, _gfn(gfn), &t, NULL, NULL);
    if ( t == p2m_ram_broken )
        return XEN_DOMCTL_PFINFO_BROKEN;
    if ( p2m_is_ram(t) && frame_is_allocated_to(m, d->domain_id) )
        return XEN_DOMCTL_PFINFO_NOTAB;
    if ( t == p2m_ram_shared )
        return XEN_DOMCTL_PFINFO_NOTAB; /* the domain's RAM; mapping it unshares it */
    return XEN_DOMCTL_PFINFO_XTAB;
}

long domctl_pageframeinfo3(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    struct xen_domctl_getpageframeinfo3 *p = &op->u.getpageframeinfo3;
    uint64_t at = p->array;

    if ( p->num > PFINFO_MAX )
        return -E2BIG;
    for ( uint64_t i = 0; i < p->num; i++, at += sizeof(xen_pfn_t) )
    {
        xen_pfn_t gfn;

        if ( copy_from_guest(&gfn, at, sizeof(gfn)) )
            return -EFAULT;
        gfn |= gfn_pfinfo(d, gfn); /* as Xen: the entry as given is the gfn */
        if ( copy_to_guest(at, &gfn, sizeof(gfn)) )
            return -EFAULT;
    }
    return 0;
}
