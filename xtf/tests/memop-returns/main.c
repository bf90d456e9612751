/*
 * memop-returns - XENMEM_* sub-ops answer as Xen's do.
 *
 * decrease_reservation and populate_physmap return the number of
 * extents done, counted from the resume point in the command, and never
 * -errno (Xen's do_memory_op returns start_extent for every early
 * refusal). Checked on dom0 itself:
 *  - an unreadable request, nr_extents 0, a resume point at or past
 *    nr_extents, nr_extents too large for a continuation, extent_order
 *    10, an address width of 12 bits, populate-on-demand, a missing
 *    domain: the resume point (0, or 5 when resumed at 5);
 *  - an address width of 40 bits, a node hint and nonzero padding are
 *    accepted;
 *  - an unreadable extent array: 0; one whose third entry sits on an
 *    unmapped page: 2, and the two extents really went;
 *  - a refused extent (a hole to decrease, RAM to populate over) stops
 *    the call with the count before it, first or later, and across the
 *    256-extent slice the call continues through;
 *  - the other sub-ops keep Xen's codes: current_reservation of a missing
 *    domain -ESRCH, a resume point on it -EINVAL, memory_map truncated
 *    to the caller's buffer, an unknown sub-op -ENOSYS.
 */
#include <xtf.h>
#include <xtf/p2m.h>
#include <xtf/runtime.h>
#include <public/memory.h>

const char test_title[] = "XENMEM return conventions";

#define WORK_GFN XTF_GFN(0x2000UL) /* RAM + 32 MiB: RAM the test image does not use */
#define NR_WORK  300UL
#define MISSING  0x1234 /* no such domain */

static xen_pfn_t list[NR_WORK];
static xen_pfn_t edge[1024] __attribute__((aligned(4096))); /* 2 pages */

static void expect(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: got %ld, expected %ld", what, got, want);
}

static struct xen_memory_reservation req(xen_pfn_t *gfns, unsigned long nr, unsigned int order)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr,
        .extent_order = order,
        .domid = DOMID_SELF,
    };
    set_xen_guest_handle(r.extent_start, gfns);
    return r;
}

static long call(unsigned int op, unsigned long start, struct xen_memory_reservation *r)
{
    return hypercall_memory_op(op | (start << MEMOP_EXTENT_SHIFT), r);
}

static long pages(void)
{
    domid_t self = DOMID_SELF;
    return hypercall_memory_op(XENMEM_current_reservation, &self);
}

static void fill_list(unsigned long n, uint64_t first)
{
    for ( unsigned long i = 0; i < n; i++ )
        list[i] = first + i;
}

/* Both ops, one request: the count comes back, nothing changes. */
static void refused(const char *what, struct xen_memory_reservation r, unsigned long start,
                    long want)
{
    long before = pages();
    char buf[80];

    snprintf(buf, sizeof(buf), "decrease, %s", what);
    expect(buf, call(XENMEM_decrease_reservation, start, &r), want);
    snprintf(buf, sizeof(buf), "populate, %s", what);
    expect(buf, call(XENMEM_populate_physmap, start, &r), want);
    expect("pages after a refused request", pages(), before);
}

static void early_refusals(void)
{
    struct xen_memory_reservation r;

    fill_list(4, WORK_GFN);
    expect("decrease, unreadable request", hypercall_memory_op(XENMEM_decrease_reservation, NULL),
           0);
    expect("populate, unreadable request, resumed at 3",
           hypercall_memory_op(XENMEM_populate_physmap | (3UL << MEMOP_EXTENT_SHIFT), NULL), 3);
    refused("nr_extents 0", req(list, 0, 0), 0, 0);
    refused("resumed at 5 of 2", req(list, 2, 0), 5, 5);
    refused("resumed at 2 of 2", req(list, 2, 0), 2, 2);
    refused("nr_extents 2^26", req(list, 1UL << 26, 0), 0, 0);
    refused("order 10", req(list, 1, 10), 0, 0);
    r = req(list, 1, 0);
    r.mem_flags = XENMEMF_address_bits(12);
    refused("address bits 12", r, 0, 0);
    r = req(list, 1, 0);
    r.domid = MISSING;
    refused("a missing domain", r, 0, 0);
    r = req(list, 1, 0);
    r.mem_flags = XENMEMF_populate_on_demand;
    expect("populate on demand", call(XENMEM_populate_physmap, 0, &r), 0);
    r = req(NULL, 2, 0);
    refused("a NULL extent array", r, 0, 0);
}

/* Flags and padding Xen does not refuse. */
static void accepted(void)
{
    struct xen_memory_reservation r = req(list, 2, 0);
    long before = pages();

    fill_list(2, WORK_GFN);
    r.mem_flags = XENMEMF_address_bits(40) | XENMEMF_node(0) | XENMEMF_vnode;
    r.pad[0] = 0xdead;
    expect("decrease with address bits 40, a node, padding",
           call(XENMEM_decrease_reservation, 0, &r), 2);
    expect("pages after", pages(), before - 2);
    expect("populate with the same", call(XENMEM_populate_physmap, 0, &r), 2);
    expect("pages after", pages(), before);
}

/* The array's third entry is on an unmapped page. */
static void partial_array(void)
{
    xen_pfn_t *tail = &edge[512 - 2];
    struct xen_memory_reservation r = req(tail, 3, 0);
    long before = pages();

    tail[0] = WORK_GFN + 10;
    tail[1] = WORK_GFN + 11;
    xtf_unmap_low_page((uint64_t)(uintptr_t)&edge[512]);
    expect("decrease, third entry unmapped", call(XENMEM_decrease_reservation, 0, &r), 2);
    expect("pages after", pages(), before - 2);
    expect("populate, third entry unmapped", call(XENMEM_populate_physmap, 0, &r), 2);
    expect("pages after", pages(), before);
}

static void refused_extents(void)
{
    uint64_t hole = (xtf_ram_end() >> PAGE_SHIFT) + 0x100;
    struct xen_memory_reservation r = req(list, 3, 0);
    long before = pages();

    fill_list(3, WORK_GFN + 20);
    list[1] = hole;
    expect("decrease RAM, hole, RAM", call(XENMEM_decrease_reservation, 0, &r), 1);
    expect("pages after", pages(), before - 1);
    list[0] = hole;
    expect("decrease a hole first", call(XENMEM_decrease_reservation, 0, &r), 0);
    fill_list(3, WORK_GFN + 20);
    expect("populate a hole, RAM, RAM", call(XENMEM_populate_physmap, 0, &r), 1);
    expect("populate RAM first", call(XENMEM_populate_physmap, 0, &r), 0);
    expect("pages after", pages(), before);

    /* the 280th extent refused, past the first 256-extent slice */
    fill_list(NR_WORK, WORK_GFN + 0x100);
    list[279] = hole;
    r = req(list, NR_WORK, 0);
    expect("decrease 300 with #279 a hole", call(XENMEM_decrease_reservation, 0, &r), 279);
    expect("pages after", pages(), before - 279);
    expect("populate them back", call(XENMEM_populate_physmap, 0, &r), 279);
    expect("pages after", pages(), before);
    expect("populate 300 resumed at 100, all RAM", call(XENMEM_populate_physmap, 100, &r), 100);
}

static void other_subops(void)
{
    domid_t missing = MISSING, self = DOMID_SELF;
    struct xen_memory_map map;
    struct
    {
        uint64_t addr, size;
        uint32_t type, pad;
    } e820[1];

    expect("current_reservation of a missing domain",
           hypercall_memory_op(XENMEM_current_reservation, &missing), -XEN_ESRCH);
    expect("current_reservation with a resume point",
           hypercall_memory_op(XENMEM_current_reservation | (1UL << MEMOP_EXTENT_SHIFT), &self),
           -XEN_EINVAL);
    map.nr_entries = 1;
    set_xen_guest_handle(map.buffer, e820);
    if ( !XTF_HAS_MEMORY_MAP ) /* Xen on Arm has no XENMEM_memory_map */
        expect("memory_map", hypercall_memory_op(XENMEM_memory_map, &map), -XEN_ENOSYS);
    else
    {
        expect("memory_map into one entry", hypercall_memory_op(XENMEM_memory_map, &map), 0);
        expect("memory_map entries", map.nr_entries, 1);
    }
    expect("an unknown sub-op", hypercall_memory_op(50, NULL), -XEN_ENOSYS);
}

void test_main(void)
{
    if ( !xtf_is_ram(WORK_GFN << PAGE_SHIFT, 4 << 20) )
        return xtf_error("test frames are not RAM in this domain's map");
    if ( (uintptr_t)&edge[512] - XTF_RAM_BASE >= (2 << 20) ) /* the guard-page range */
        return xtf_error("the array page is not in the first 2 MiB");
    early_refusals();
    accepted();
    partial_array();
    refused_extents();
    other_subops();
    xtf_success(NULL);
}
