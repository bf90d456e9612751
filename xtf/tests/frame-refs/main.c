/*
 * frame-refs - a mapping holds a reference on the frame it maps.
 *
 * dom0 maps frames of d1 (p2m-target) with XENMAPSPACE_gmfn_foreign and
 * then takes the frames away from under the mappings, the two ways a
 * guest or a toolstack can:
 *  - d1 gives a mapped frame back with XENMEM_decrease_reservation and
 *    then populates and fills frames again, so that an allocator that
 *    reused the frame would hand it straight back to d1 (zeroed, then
 *    filled): dom0's mapping must keep showing the old contents, d1's
 *    p2m must no longer map the gfn, and the host's free-page count must
 *    rise by exactly one when dom0 finally unmaps it;
 *  - dom0 destroys d1 while still mapping one of its frames, then
 *    populates memory of its own to make the allocator hand out what d1
 *    gave back: the mapping must still show d1's old contents, the
 *    destroy must return d1's other frames and pool at once, and the
 *    unmap the last frame.
 * Before the frame table, the given-back frame was freed under the
 * mapping and reused: dom0 read zeroes or d1's new data.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/memory.h>

const char test_title[] = "A foreign mapping keeps its frame alive";

#define TARGET       1
#define MB_GFN       0x7f100UL /* our slot for d1's mailbox */
#define MAP_A        0x7f200UL /* our slots for d1's frames */
#define MAP_B        0x7f201UL
#define GIVEN_GFN    XTF_GFN(0x300UL) /* d1's frame it gives back */
#define KEPT_GFN     XTF_GFN(0x301UL) /* d1's frame mapped across its death */
#define CHURN_GFN    XTF_GFN(0x400UL) /* d1 gives these back and takes them again */
#define CHURN_NR     64UL
#define PATTERN      0x5a5a000000000000ULL
#define DOM0_FILL    XTF_GFN(0x40000UL) /* our own gfns for the reuse push */
#define DOM0_FILL_NR 512UL

static xtf_mb_t *mb;

static volatile uint64_t *slot(uint64_t local_gfn)
{
    return (volatile uint64_t *)(uintptr_t)(local_gfn << PAGE_SHIFT);
}

static bool call(uint32_t op, uint32_t nr, const char *what)
{
    long rc = xtf_mb_call(mb, op, nr);

    if ( rc < 0 )
        xtf_error("d1 %s: %ld", what, rc);
    return rc >= 0;
}

/* d1 gives frames [first, first + nr) back, then takes the same gfns again
 * and fills them: the allocator's most recently freed frames go to it. */
static bool churn(uint64_t first, uint64_t nr)
{
    for ( uint64_t i = 0; i < nr; i++ )
        mb->gfn[i] = first + i;
    if ( xtf_mb_call(mb, XTF_MB_DECREASE, (uint32_t)nr) != (long)nr )
        return xtf_error("d1 could not give back %lu frames", (unsigned long)nr), false;
    if ( xtf_mb_call(mb, XTF_MB_POPULATE, (uint32_t)nr) != (long)nr )
        return xtf_error("d1 could not populate %lu frames again (%ld)", (unsigned long)nr,
                         (long)mb->out[0]),
               false;
    mb->arg[0] = first;
    mb->arg[1] = nr;
    mb->arg[2] = 0x1111000000000000ULL;
    return call(XTF_MB_FILL, 0, "fill");
}

static bool given_back_frame_kept(void)
{
    uint64_t want = PATTERN + GIVEN_GFN, before, after;
    unsigned int type = 0, order;
    long rc;

    mb->gfn[0] = GIVEN_GFN;
    if ( xtf_mb_call(mb, XTF_MB_DECREASE, 1) != 1 )
        return xtf_failure("d1 could not give back gfn %#lx", GIVEN_GFN), false;
    rc = xtf_p2m_lookup(TARGET, GIVEN_GFN, &type, &order);
    if ( rc || type != 1 /* p2m_invalid */ )
        return xtf_failure("d1's gfn %#lx still mapped after decrease (type %u, rc %ld)", GIVEN_GFN,
                           type, rc),
               false;
    mb->gfn[0] = GIVEN_GFN;
    mb->arg[0] = 0;
    if ( xtf_mb_call(mb, XTF_MB_POPULATE, 1) != 1 || !churn(CHURN_GFN, CHURN_NR) )
        return false;
    if ( *slot(MAP_A) != want )
        return xtf_failure("dom0's mapping of the given-back frame reads %#lx, not %#lx: "
                           "the frame was reused",
                           (unsigned long)*slot(MAP_A), (unsigned long)want),
               false;
    before = xtf_free_pages();
    rc = xtf_unmap_local(MAP_A);
    after = xtf_free_pages();
    if ( rc || after != before + 1 )
        return xtf_failure("unmapping the last reference freed %ld frames (rc %ld), not 1",
                           (long)(after - before), rc),
               false;
    printf("Given-back frame: kept under the mapping, freed with it\n");
    return true;
}

/* dom0 populates memory of its own, so the allocator hands out what was
 * freed last; then gives it back. */
static bool dom0_push(void)
{
    static xen_pfn_t pfns[DOM0_FILL_NR];
    struct xen_memory_reservation r = {
        .nr_extents = DOM0_FILL_NR,
        .extent_order = 0,
        .domid = DOMID_SELF,
    };
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl mm = { .cmd = XEN_DOMCTL_max_mem, .domain = xtf_domid };
    long rc;

    if ( xtf_getdomaininfo(xtf_domid, &info) )
        return xtf_error("getdomaininfo(self) failed"), false;
    mm.u.max_mem.max_memkb = (info.tot_pages + DOM0_FILL_NR) * 4;
    if ( (rc = hypercall_domctl(&mm)) )
        return xtf_error("max_mem(self): %ld", rc), false;

    for ( uint64_t i = 0; i < DOM0_FILL_NR; i++ )
        pfns[i] = DOM0_FILL + i;
    set_xen_guest_handle(r.extent_start, pfns);
    rc = hypercall_memory_op(XENMEM_populate_physmap, &r);
    if ( rc != (long)DOM0_FILL_NR )
        return xtf_error("dom0 populated %ld of %lu frames", rc, DOM0_FILL_NR), false;
    for ( uint64_t i = 0; i < (uint64_t)(rc > 0 ? rc : 0); i++ )
        *slot(DOM0_FILL + i) = 0x2222000000000000ULL | i;
    if ( rc > 0 )
    {
        r.nr_extents = (xen_ulong_t)rc;
        hypercall_memory_op(XENMEM_decrease_reservation, &r);
    }
    return true;
}

static bool mapping_survives_destroy(void)
{
    uint64_t want = PATTERN + KEPT_GFN, pool = 0, owned = 0, before, after, freed;
    long rc;

    if ( xtf_p2m_pool(TARGET, &pool, NULL, &owned) )
        return xtf_error("WREN_P2M_POOL on d1 failed"), false;
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_unmap_local(MB_GFN);
    before = xtf_free_pages();
    rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, TARGET);
    after = xtf_free_pages();
    if ( rc )
        return xtf_failure("destroydomain(d1): %ld", rc), false;
    freed = after - before;
    printf("Destroy freed %lu frames (d1 owned %lu, pool %lu)\n", (unsigned long)freed,
           (unsigned long)owned, (unsigned long)pool);
    if ( freed < owned - 1 + pool )
        return xtf_failure("destroy gave back %lu frames, expected at least %lu",
                           (unsigned long)freed, (unsigned long)(owned - 1 + pool)),
               false;
    if ( !dom0_push() )
        return false;
    if ( *slot(MAP_B) != want )
        return xtf_failure("dom0's mapping of dead d1's frame reads %#lx, not %#lx",
                           (unsigned long)*slot(MAP_B), (unsigned long)want),
               false;
    before = xtf_free_pages();
    rc = xtf_unmap_local(MAP_B);
    after = xtf_free_pages();
    if ( rc || after != before + 1 )
        return xtf_failure("unmapping dead d1's last frame freed %ld frames (rc %ld), not 1",
                           (long)(after - before), rc),
               false;
    printf("Dead domain's frame: kept under the mapping, freed with it\n");
    return true;
}

static bool setup(void)
{
    long rc;

    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
        return false;
    mb->arg[0] = GIVEN_GFN;
    mb->arg[1] = 2;
    mb->arg[2] = PATTERN;
    if ( !call(XTF_MB_FILL, 0, "fill") )
        return false;
    rc = xtf_map_foreign(TARGET, GIVEN_GFN, MAP_A);
    if ( !rc )
        rc = xtf_map_foreign(TARGET, KEPT_GFN, MAP_B);
    if ( rc )
        return xtf_error("mapping d1's frames: %ld", rc), false;
    if ( *slot(MAP_A) != PATTERN + GIVEN_GFN || *slot(MAP_B) != PATTERN + KEPT_GFN )
        return xtf_error("foreign mappings do not show d1's data"), false;
    return true;
}

void test_main(void)
{
    if ( !setup() )
        return;
    if ( !given_back_frame_kept() || !mapping_survives_destroy() )
        return;
    xtf_success(NULL);
}
