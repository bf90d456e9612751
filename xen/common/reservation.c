/*
 * reservation.c - a guest giving RAM back (XENMEM_decrease_reservation)
 * and asking for it at chosen frames (XENMEM_populate_physmap).
 *
 * Both walk a guest array of frame numbers, one extent of 2^extent_order
 * pages each, and return what Xen returns: the number of extents done,
 * counted from the resume point, and nothing else. Every refusal - an
 * unreadable request or array, a missing or forbidden domain, an order
 * or flag Xen refuses, an extent that cannot be done - ends the call
 * with the count so far (0 if the first extent fails), never -errno; a
 * refused extent changes nothing. Work is cut into slices of SLICE
 * extents: a call with more records its progress in the command's upper
 * bits and continues.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/reservation.h>
#include <xen/frame.h>
#include <public/memory.h>

#define SLICE 256

/* Largest extent order Xen gives a domU; the control domain may ask for
 * 2^12 pages in Xen, but no p2m leaf is that size here. */
#define GUEST_MAX_ORDER 9

/* Could Xen carry out this request at all? Xen accepts NUMA node hints
 * (there is one node here) and address widths above a page; it refuses
 * a width of a page or less. Populate-on-demand is not offered. */
static bool request_ok(const struct xen_memory_reservation *r, unsigned int op)
{
    unsigned int bits = XENMEMF_get_address_bits(r->mem_flags);

    if ( r->extent_order > GUEST_MAX_ORDER || (bits && bits <= PAGE_SHIFT) )
        return false;
    return op != XENMEM_populate_physmap || !(r->mem_flags & XENMEMF_populate_on_demand);
}

/* Is [gfn, gfn + 2^order) inside d's address width and aligned? */
static bool extent_ok(const struct domain *d, uint64_t gfn, unsigned int order)
{
    return domain_gfn_ok(d, gfn) && !(gfn & ((1ULL << order) - 1)) &&
           domain_gfn_ok(d, gfn + (1ULL << order) - 1);
}

static long populate_one(struct domain *d, uint64_t gfn, unsigned int order)
{
    if ( !extent_ok(d, gfn, order) )
        return -EINVAL;
    if ( !p2m_range_types_in(&d->p2m, gfn, 1ULL << order, P2M_TYPE_BIT(p2m_invalid)) )
        return -EBUSY;
    return domain_add_ram(d, gfn, order);
}

/* Is every frame of the extent RAM allocated to d (so that it may be
 * given back)? shared_info, the console ring, foreign and shared frames
 * are not, and neither is a hole. */
static bool extent_is_own_ram(struct domain *d, uint64_t gfn, unsigned int order)
{
    const uint32_t plain_ram =
        P2M_TYPE_BIT(p2m_ram_rw) | P2M_TYPE_BIT(p2m_ram_logdirty) | P2M_TYPE_BIT(p2m_ram_ro);
    if ( !p2m_range_types_in(&d->p2m, gfn, 1ULL << order, plain_ram) )
        return false;
    for ( uint64_t i = 0; i < (1ULL << order); i++ )
    {
        mfn_t m = p2m_lookup(&d->p2m, _gfn(gfn + i), NULL, NULL, NULL);
        if ( !frame_is_allocated_to(m, d->domain_id) )
            return false;
    }
    return true;
}

/* Unmap one extent of d's own RAM and hand its frames back; checked
 * whole first, so a refused extent changes nothing. A frame another
 * domain still maps leaves d now and is freed when that mapping goes. */
static long decrease_one(struct domain *d, uint64_t gfn, unsigned int order)
{
    if ( !extent_ok(d, gfn, order) || !extent_is_own_ram(d, gfn, order) )
        return -EINVAL;
    for ( uint64_t i = 0; i < (1ULL << order); i++ )
    {
        long rc = domain_remove_ram(d, gfn + i);
        if ( rc )
            return rc;
    }
    return 0;
}

/* Act on extents [start, end) of r; returns the first not done. */
static uint64_t walk_extents(struct domain *d, const struct xen_memory_reservation *r,
                             uint64_t start, uint64_t end, bool populate)
{
    uint64_t i;
    for ( i = start; i < end; i++ )
    {
        xen_pfn_t gfn;
        if ( copy_from_guest(&gfn, r->extent_start + i * sizeof(gfn), sizeof(gfn)) )
            break;
        if ( populate ? populate_one(d, gfn, r->extent_order)
                      : decrease_one(d, gfn, r->extent_order) )
            break;
    }
    return i;
}

/* Continuations keep the resume point in the command's upper bits, which
 * a 32-bit guest's command has 26 of. */
#define MAX_EXTENTS (UINT32_MAX >> MEMOP_EXTENT_SHIFT)

long memop_reservation(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    uint64_t end, done;
    if ( copy_from_guest(&r, arg, sizeof(r)) || r.nr_extents > MAX_EXTENTS ||
         start >= r.nr_extents || !request_ok(&r, op) || domain_for_caller(r.domid, &d) )
        return (long)start;
    end = MIN(r.nr_extents, start + SLICE);
    done = walk_extents(d, &r, start, end, op == XENMEM_populate_physmap);
    put_domain(d);
    if ( done == end && end < r.nr_extents )
    {
        hypercall_set_arg(0, op | (end << MEMOP_EXTENT_SHIFT));
        return -ERESTART;
    }
    return (long)done;
}
