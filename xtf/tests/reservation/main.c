/*
 * reservation - XENMEM_decrease_reservation and XENMEM_populate_physmap:
 * a domain gives frames back and asks for frames at places it chooses.
 *
 * dom0 works on itself, checking after each step what current_reservation,
 * HVMOP_get_mem_type, the p2m (XEN_DOMCTL_wren_p2m LOOKUP) and its own
 * reads and writes say, and that the p2m audits clean:
 *  - decreasing 4 frames inside a 2 MiB superpage removes exactly them
 *    (the superpage shatters, the neighbours keep their data);
 *  - populating them again gives zeroed, writable RAM;
 *  - populating over RAM and decreasing a hole are refused: 0 extents
 *    done, Xen's answer (a count, never -errno);
 *  - with max_pages reached, populating above RAM does 0; after a
 *    decrease it succeeds there, as a 2 MiB extent too;
 *  - 600 extents (more than one slice: the call continues internally)
 *    go and come back, and the count is exact;
 *  - the frame holding shared_info cannot be given back (0 done), and
 *    the page is still mapped, still shared_info, and still counted
 *    (checked before the call could change anything, where it used to
 *    unmap the page and then fail);
 *  - a gfn at the domain's address width (getdomaininfo gpaddr_bits) is
 *    refused (0 done), one below it is accepted.
 */
#include <xtf.h>
#include <xtf/p2m.h>
#include <public/memory.h>
#include <public/domctl.h>

const char test_title[] = "decrease_reservation and populate_physmap";

#define BASE_GFN XTF_GFN(0x1200UL) /* RAM + 18 MiB: inside a 2 MiB superpage of dom0 */
#define MANY     600UL
#define MANY_GFN XTF_GFN(0x1400UL) /* RAM + 20 MiB */

static xen_pfn_t list[MANY];

static long reservation(unsigned int op, xen_pfn_t *gfns, unsigned long nr, unsigned int order)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr,
        .extent_order = order,
        .domid = DOMID_SELF,
    };
    set_xen_guest_handle(r.extent_start, gfns);
    return hypercall_memory_op(op, &r);
}

static long current_pages(void)
{
    domid_t self = DOMID_SELF;
    return hypercall_memory_op(XENMEM_current_reservation, &self);
}

static unsigned int p2m_type(uint64_t gfn)
{
    unsigned int t = 99, order;
    if ( xtf_p2m_lookup(0, gfn, &t, &order) )
        xtf_error("p2m lookup of gfn %#lx failed", (unsigned long)gfn);
    return t;
}

static void expect(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: got %ld, expected %ld", what, got, want);
}

static volatile uint64_t *page(uint64_t gfn)
{
    return (volatile uint64_t *)(gfn << PAGE_SHIFT);
}

static void give_back_and_refill(void)
{
    long before = current_pages();
    uint16_t mt = 0;

    for ( unsigned int i = 0; i < 6; i++ )
        *page(BASE_GFN - 1 + i) = 0x1111 * (i + 1);
    for ( unsigned int i = 0; i < 4; i++ )
        list[i] = BASE_GFN + i;
    expect("decrease 4 frames", reservation(XENMEM_decrease_reservation, list, 4, 0), 4);
    expect("pages after decrease", current_pages(), before - 4);
    expect("p2m type of a freed frame", p2m_type(BASE_GFN + 2), 1 /* p2m_invalid */);
    if ( xtf_get_mem_type(DOMID_SELF, BASE_GFN, &mt) || mt != HVMMEM_mmio_dm )
        xtf_failure("HVMOP_get_mem_type of a freed frame: %u, expected mmio_dm", mt);
    expect("neighbour below keeps its data", (long)*page(BASE_GFN - 1), 0x1111);
    expect("neighbour above keeps its data", (long)*page(BASE_GFN + 4), 0x6666);
    expect("decrease a hole", reservation(XENMEM_decrease_reservation, list, 1, 0), 0);
    xtf_p2m_audit(0, "after decrease");

    expect("populate the 4 frames", reservation(XENMEM_populate_physmap, list, 4, 0), 4);
    expect("pages after populate", current_pages(), before);
    expect("repopulated frame is zero", (long)*page(BASE_GFN + 1), 0);
    *page(BASE_GFN + 1) = 0xabcd;
    expect("repopulated frame is writable", (long)*page(BASE_GFN + 1), 0xabcd);
    expect("populate over RAM", reservation(XENMEM_populate_physmap, list, 1, 0), 0);
    xtf_p2m_audit(0, "after populate");
}

static void beyond_ram(void)
{
    uint64_t top = (xtf_ram_end() >> PAGE_SHIFT) + 0x1000; /* a hole above RAM */
    xen_pfn_t gfn = top & ~0x1ffUL, small = BASE_GFN + 8;

    expect("populate above RAM at max_pages", reservation(XENMEM_populate_physmap, &gfn, 1, 0), 0);
    for ( unsigned int i = 0; i < 512; i++ )
        list[i] = MANY_GFN + 512 + i;
    expect("decrease 512 frames", reservation(XENMEM_decrease_reservation, list, 512, 0), 512);
    expect("populate a 2M extent above RAM", reservation(XENMEM_populate_physmap, &gfn, 1, 9), 1);
    expect("the new extent is one 2M leaf", (long)p2m_type(gfn), 0 /* p2m_ram_rw */);
    *page(gfn + 511) = 0x77;
    expect("the new extent is writable", (long)*page(gfn + 511), 0x77);
    expect("populate a misaligned 2M extent", reservation(XENMEM_populate_physmap, &small, 1, 9),
           0);
    xtf_p2m_audit(0, "after populating above RAM");
}

static void many_extents(void)
{
    long before = current_pages();

    for ( unsigned long i = 0; i < MANY; i++ )
        list[i] = MANY_GFN + i;
    expect("decrease 600 frames", reservation(XENMEM_decrease_reservation, list, MANY, 0), MANY);
    expect("pages after 600 decreased", current_pages(), before - (long)MANY);
    expect("populate 600 frames", reservation(XENMEM_populate_physmap, list, MANY, 0), MANY);
    expect("pages after 600 populated", current_pages(), before);
    xtf_p2m_audit(0, "after 600 extents");
}

#define SHINFO_GFN XTF_GFN(0x1600UL) /* RAM + 22 MiB */

static void shared_info_stays(void)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .idx = 0,
        .gpfn = SHINFO_GFN,
    };
    long before;
    xen_pfn_t gfn = SHINFO_GFN;
    volatile struct shared_info *si = (volatile void *)page(SHINFO_GFN);

    expect("map shared_info", hypercall_memory_op(XENMEM_add_to_physmap, &x), 0);
    si->evtchn_mask[7] = 0x1234;
    before = current_pages();
    expect("decrease the shared_info frame", reservation(XENMEM_decrease_reservation, &gfn, 1, 0),
           0);
    expect("shared_info still mapped", (long)p2m_type(SHINFO_GFN), 0 /* p2m_ram_rw */);
    expect("shared_info keeps its contents", (long)si->evtchn_mask[7], 0x1234);
    expect("pages after the refused decrease", current_pages(), before);
    si->evtchn_mask[7] = 0;
}

static void address_width(void)
{
    struct xen_domctl_getdomaininfo info;
    xen_pfn_t gfn;

    if ( xtf_getdomaininfo(xtf_domid, &info) )
    {
        xtf_error("getdomaininfo(self) failed");
        return;
    }
    gfn = 1UL << (info.gpaddr_bits - PAGE_SHIFT);
    expect("populate at the address-width limit", reservation(XENMEM_populate_physmap, &gfn, 1, 0),
           0);
    list[0] = MANY_GFN;
    expect("make room", reservation(XENMEM_decrease_reservation, list, 1, 0), 1);
    gfn--;
    expect("populate just below the limit", reservation(XENMEM_populate_physmap, &gfn, 1, 0), 1);
    expect("give it back", reservation(XENMEM_decrease_reservation, &gfn, 1, 0), 1);
    expect("take the room back", reservation(XENMEM_populate_physmap, list, 1, 0), 1);
    printf("Address width %u bits: gfn %#lx is the last one\n", info.gpaddr_bits,
           (unsigned long)gfn);
}

void test_main(void)
{
    if ( !xtf_is_ram(BASE_GFN << PAGE_SHIFT, 2 << 20) ||
         !xtf_is_ram(MANY_GFN << PAGE_SHIFT, 8 << 20) )
    {
        xtf_error("test frames are not RAM in this domain's map");
        return;
    }
    give_back_and_refill();
    many_extents();
    beyond_ram();
    shared_info_stays();
    address_width();
    xtf_p2m_audit(0, "at the end");
    xtf_success(NULL);
}
