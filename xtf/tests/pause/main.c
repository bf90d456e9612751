/*
 * pause - XEN_DOMCTL_pausedomain really stops a domain, and unpause
 * really lets it go on.
 *
 * dom0 controller; domain 1 runs "counter", which increments a uint64_t
 * at guest-physical WREN_TEST_COUNTER_GPA forever. dom0 maps that frame
 * of d1 into its own physmap with XENMEM_add_to_physmap_batch
 * (XENMAPSPACE_gmfn_foreign) at a free frame above its RAM, then checks:
 *  - the count advances (the mapping shows d1's live page);
 *  - after pausedomain, getdomaininfo shows XEN_DOMINF_paused and the
 *    count stays still across PAUSED_YIELDS yields (pausing is
 *    synchronous: no vCPU of d1 may still be running when it returns);
 *  - after unpausedomain the flag clears and the count advances again;
 *  - XENMEM_remove_from_physmap takes the foreign mapping away again.
 */
#include <xtf.h>
#include <public/memory.h>

const char test_title[] = "Pause and unpause a domain";

#define TARGET        1
#define MAP_GFN       0x7f000UL /* 2032 MiB: above any test's RAM */
#define PAUSED_YIELDS 5000UL

static volatile uint64_t *counter;

static uint64_t ram_end(void)
{
    const struct hvm_memmap_table_entry *map =
        (const void *)(uintptr_t)xtf_start_info->memmap_paddr;
    uint64_t end = 0;

    for ( unsigned int i = 0; i < xtf_start_info->memmap_entries; i++ )
        if ( map[i].type == XEN_HVM_MEMMAP_TYPE_RAM )
            end = MAX(end, map[i].addr + map[i].size);
    return end;
}

static bool map_counter(void)
{
    xen_ulong_t idx = WREN_TEST_COUNTER_GPA >> PAGE_SHIFT;
    xen_pfn_t gpfn = MAP_GFN;
    int err = -1;
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_gmfn_foreign,
        .size = 1,
        .u.foreign_domid = TARGET,
    };
    long rc;

    if ( ram_end() > (MAP_GFN << PAGE_SHIFT) )
    {
        xtf_error("dom0 RAM reaches %#lx, over the mapping slot", (unsigned long)ram_end());
        return false;
    }
    set_xen_guest_handle(b.idxs, &idx);
    set_xen_guest_handle(b.gpfns, &gpfn);
    set_xen_guest_handle(b.errs, &err);
    rc = hypercall_memory_op(XENMEM_add_to_physmap_batch, &b);
    if ( rc || err )
    {
        xtf_failure("mapping d%u gfn %#lx at %#lx: rc %ld, err %d", TARGET, (unsigned long)idx,
                    (unsigned long)gpfn, rc, err);
        return false;
    }
    counter = (volatile uint64_t *)((MAP_GFN << PAGE_SHIFT) | (WREN_TEST_COUNTER_GPA & ~PAGE_MASK));
    return true;
}

static bool advances(const char *when)
{
    uint64_t start = *counter;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( *counter != start )
            return true;
        hypercall_yield();
    }
    xtf_failure("counter stuck at %lu %s", (unsigned long)start, when);
    return false;
}

static bool paused_flag(bool want)
{
    struct xen_domctl_getdomaininfo info;
    long rc = xtf_getdomaininfo(TARGET, &info);

    if ( rc )
        xtf_failure("getdomaininfo(d%u): %ld", TARGET, rc);
    else if ( !!(info.flags & XEN_DOMINF_paused) != want )
        xtf_failure("XEN_DOMINF_paused is %s, expected %s", want ? "clear" : "set",
                    want ? "set" : "clear");
    else
        return true;
    return false;
}

static void check_still(void)
{
    uint64_t before = *counter, after;

    for ( unsigned long i = 0; i < PAUSED_YIELDS; i++ )
        hypercall_yield();
    after = *counter;
    printf("While paused: %lu -> %lu over %lu yields\n", (unsigned long)before,
           (unsigned long)after, PAUSED_YIELDS);
    if ( after != before )
        xtf_failure("a paused domain kept counting");
}

static void pause_cycle(void)
{
    long rc = xtf_domctl_simple(XEN_DOMCTL_pausedomain, TARGET);

    if ( rc )
    {
        xtf_failure("pausedomain(d%u): %ld", TARGET, rc);
        return;
    }
    if ( paused_flag(true) )
        check_still();

    rc = xtf_domctl_simple(XEN_DOMCTL_unpausedomain, TARGET);
    if ( rc )
    {
        xtf_failure("unpausedomain(d%u): %ld", TARGET, rc);
        return;
    }
    if ( paused_flag(false) && advances("after unpause") )
        printf("Counting again after unpause: %lu\n", (unsigned long)*counter);
}

void test_main(void)
{
    struct xen_remove_from_physmap rm = {
        .domid = DOMID_SELF,
        .gpfn = MAP_GFN,
    };
    struct xen_domctl_getdomaininfo info;
    long rc;

    if ( xtf_getdomaininfo(TARGET, &info) )
    {
        xtf_error("d%u (the counter) does not exist", TARGET);
        return;
    }
    if ( !map_counter() || !advances("before pausing") )
        return;
    printf("d%u is counting: %lu\n", TARGET, (unsigned long)*counter);

    pause_cycle();

    rc = hypercall_memory_op(XENMEM_remove_from_physmap, &rm);
    if ( rc )
        xtf_failure("XENMEM_remove_from_physmap(%#lx): %ld", MAP_GFN, rc);
    xtf_success(NULL);
}
