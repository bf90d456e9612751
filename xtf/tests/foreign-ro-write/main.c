/*
 * foreign-ro-write - dom0 maps one of d1's frames read-only
 * (WREN_MAPSPACE_gmfn_foreign_ro) and writable beside it, then writes
 * through the read-only mapping. public/wren.h promises such a write
 * faults as one to any read-only page of dom0's own: it is dropped (the
 * instruction skipped, ro_writes_dropped counted), the frame keeps what
 * the writable mapping put there, and dom0 carries on. A write through
 * the writable mapping still lands and shows through the read-only one.
 *
 * May not touch: d1's frames other than FRAME_GFN; our slots are
 * unmapped at the end.
 */
#include <xtf.h>
#include <xtf/p2m.h>
#include <public/memory.h>
#include <public/wren.h>

const char test_title[] = "read-only foreign mapping: a write is dropped, not fatal";

#define TARGET    1
#define FRAME_GFN 0x300UL   /* d1's frame */
#define MAP_RO    0x7f200UL /* our slot for the read-only mapping */
#define MAP_RW    0x7f201UL /* and for the writable one */
#define PATTERN   0x5a5a5a5a12345678ULL
#define STRAY     0xdeadbeefdeadbeefULL

static long map_ro(uint64_t gfn, uint64_t local_gfn)
{
    return xtf_map_foreign_space(WREN_MAPSPACE_gmfn_foreign_ro, TARGET, gfn, local_gfn);
}

static volatile uint64_t *slot(uint64_t gfn)
{
    return (volatile uint64_t *)(uintptr_t)(gfn << PAGE_SHIFT);
}

static void check_writes(void)
{
    volatile uint64_t *ro = slot(MAP_RO), *rw = slot(MAP_RW);
    uint64_t before = 0, after = 0, ld;

    rw[0] = PATTERN;
    if ( ro[0] != PATTERN )
        xtf_failure("the read-only mapping reads %#lx, the writable one wrote %#lx",
                    (unsigned long)ro[0], (unsigned long)PATTERN);
    if ( xtf_p2m_fault_counts(0, &before, &ld) )
        return xtf_failure("reading dom0's fault counts");
    ro[0] = STRAY; /* dropped: the instruction is skipped */
    if ( xtf_p2m_fault_counts(0, &after, &ld) )
        return xtf_failure("reading dom0's fault counts");
    if ( rw[0] != PATTERN || ro[0] != PATTERN )
        xtf_failure("the write through the read-only mapping landed: %#lx", (unsigned long)rw[0]);
    if ( after != before + 1 )
        xtf_failure("ro_writes_dropped went %lu -> %lu, expected one more", (unsigned long)before,
                    (unsigned long)after);
    rw[0] = PATTERN + 1;
    if ( ro[0] != PATTERN + 1 )
        xtf_failure("a later write through the writable mapping does not show");
    printf("write through the read-only mapping dropped; ro_writes_dropped %lu -> %lu\n",
           (unsigned long)before, (unsigned long)after);
}

void test_main(void)
{
    long rc;

    if ( (rc = map_ro(FRAME_GFN, MAP_RO)) )
        return xtf_failure("read-only mapping of d1's %#lx: %ld", FRAME_GFN, rc);
    if ( (rc = xtf_map_foreign(TARGET, FRAME_GFN, MAP_RW)) )
        xtf_failure("writable mapping of d1's %#lx: %ld", FRAME_GFN, rc);
    else
        check_writes();
    if ( xtf_unmap_local(MAP_RO) || xtf_unmap_local(MAP_RW) )
        xtf_failure("unmapping our slots");
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
