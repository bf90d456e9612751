/*
 * ioreq-inval-target - helper domU for the ioreq-inval-* tests: it runs
 * one script (mode=N on its command line) against the toy DMA device of
 * xtf/mapcache.h, which the controller (dom0) serves as an IOREQ server
 * reading the frames through a mapcache. Every step is announced with a
 * MARK write, so the controller can check which invalidations came
 * between which accesses; the controller judges, this helper prints no
 * verdict and powers off when its script ends.
 *
 *  mode=1 guest:  DMA-read gfn G (value A), give G back and populate it
 *                 again with value B, DMA-read G: the device must see B.
 *                 Then map shared_info over RAM gfn G2 (value A + 2) and
 *                 DMA-read it; remove it (remove_from_physmap), DMA-read.
 *  mode=2 batch:  64 frames given back in one decrease_reservation, then
 *                 64 given back one call each; values A, B, C as above.
 *  mode=3 remote: two vCPUs DMA-read gfn R until told to stop (vCPU 1
 *                 sleeps 5 ms between reads); dom0 replaces R meanwhile.
 *  mode=4 stall:  vCPU 0 counts in the control page, touching nothing
 *                 else, until told to stop.
 *  mode=5 insn:   one REP OUTSL of two dwords to MARK; dom0 changes a
 *                 frame of ours while the first waits for its answer
 *                 (x86 only: no Arm instruction makes two MMIO accesses
 *                 a server could see; arm64 marks ERROR).
 * The instructions, vCPU 1's start and its 5 ms naps are the
 * architecture's (x86.c, arm64.c; arch.h).
 *
 * May not touch: frames other than its own image, G, the batch range, R
 * and the control page.
 */
#include <xtf.h>
#include <xtf/mapcache.h>
#include <xtf/ioreq-inval.h>
#include <xtf/fuzz.h>
#include <public/memory.h>
#include "arch.h"

const char test_title[] = "ioreq-inval helper: DMA device script";

static volatile struct inval_ctl *const ctl =
    (volatile struct inval_ctl *)(uintptr_t)(INVAL_CTL_GFN << PAGE_SHIFT);
static volatile bool ap_done;

static uint32_t dma_read(uint64_t gfn)
{
    xtf_dmadev_write(XTF_DMADEV_ADDR, (uint32_t)gfn);
    return xtf_dmadev_read(XTF_DMADEV_DATA);
}

void mark(uint32_t step)
{
    xtf_dmadev_write(XTF_DMADEV_MARK, step);
}

static void fill(uint64_t first, uint64_t nr, uint32_t base)
{
    for ( uint64_t g = first; g < first + nr; g++ )
        *(volatile uint64_t *)(uintptr_t)(g << PAGE_SHIFT) = base + (uint32_t)(g - first);
}

/* One XENMEM call over nr frames from first, each of order 0. */
static long reservation(unsigned int cmd, uint64_t first, uint64_t nr)
{
    static xen_pfn_t pfns[INVAL_BATCH_NR];
    struct xen_memory_reservation r = { .nr_extents = nr, .domid = DOMID_SELF };

    for ( uint64_t i = 0; i < nr; i++ )
        pfns[i] = first + i;
    set_xen_guest_handle(r.extent_start, pfns);
    return hypercall_memory_op(cmd, &r);
}

/* Give back nr frames from first (calls at a time) and take them again. */
static void replace(uint64_t first, uint64_t nr, uint64_t calls, uint32_t value)
{
    for ( uint64_t i = 0; i < calls; i++ )
        if ( reservation(XENMEM_decrease_reservation, first + i * (nr / calls), nr / calls) !=
             (long)(nr / calls) )
            mark(INVAL_MARK_ERROR);
    mark(INVAL_MARK_GONE);
    if ( reservation(XENMEM_populate_physmap, first, nr) != (long)nr )
        mark(INVAL_MARK_ERROR);
    fill(first, nr, value);
}

/* A change of the physmap other than a decrease, between marks. */
static void physmap_step(long rc)
{
    if ( rc )
        mark(INVAL_MARK_ERROR);
    mark(INVAL_MARK_GONE);
}

static void mode_guest(void)
{
    struct xen_add_to_physmap shinfo = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .idx = 0,
        .gpfn = INVAL_G2,
    };
    struct xen_remove_from_physmap rm = { .domid = DOMID_SELF, .gpfn = INVAL_G2 };

    fill(INVAL_G, 1, INVAL_A);
    fill(INVAL_G2, 1, INVAL_A + 2);
    dma_read(INVAL_G);
    dma_read(INVAL_G2);
    mark(INVAL_MARK_BEFORE);
    replace(INVAL_G, 1, 1, INVAL_B);
    dma_read(INVAL_G);
    mark(INVAL_MARK_BEFORE);
    physmap_step(hypercall_memory_op(XENMEM_add_to_physmap, &shinfo));
    dma_read(INVAL_G2);
    mark(INVAL_MARK_BEFORE);
    physmap_step(hypercall_memory_op(XENMEM_remove_from_physmap, &rm));
    dma_read(INVAL_G2);
    mark(INVAL_MARK_END);
}

static void mode_batch(void)
{
    const uint64_t first = INVAL_BATCH_GFN, last = first + INVAL_BATCH_NR - 1;

    fill(first, INVAL_BATCH_NR, INVAL_A);
    dma_read(first);
    dma_read(last);
    mark(INVAL_MARK_BEFORE);
    replace(first, INVAL_BATCH_NR, 1, INVAL_B);
    dma_read(first);
    dma_read(last);
    mark(INVAL_MARK_BEFORE);
    replace(first, INVAL_BATCH_NR, INVAL_BATCH_NR, INVAL_C);
    dma_read(first);
    dma_read(last);
    mark(INVAL_MARK_END);
}

static void reader(unsigned int id)
{
    while ( !ctl->stop )
    {
        if ( id )
            inval_nap();
        dma_read(INVAL_R);
        ctl->reads[id]++;
    }
    if ( id )
        ap_done = true;
}

static void mode_remote(void)
{
    if ( inval_start_ap(reader) )
    {
        mark(INVAL_MARK_ERROR);
        return;
    }
    reader(0);
    while ( !ap_done )
        hypercall_yield();
    mark(INVAL_MARK_END);
}

static void mode_stall(void)
{
    while ( !ctl->stop )
        ctl->progress++;
    mark(INVAL_MARK_END);
}

/* dom0 creates the server after we start, and says so in the control
 * page (until then the device's registers are a hole: all-ones on x86,
 * a crash on Arm). */
static void wait_for_device(void)
{
    while ( ctl->device != INVAL_READY )
        hypercall_yield();
}

void test_main(void)
{
    ctl->ready = INVAL_READY;
    wait_for_device();
    switch ( xtf_cmdline_u64("mode", 0) )
    {
    case INVAL_MODE_GUEST: mode_guest(); break;
    case INVAL_MODE_BATCH: mode_batch(); break;
    case INVAL_MODE_REMOTE: mode_remote(); break;
    case INVAL_MODE_STALL: mode_stall(); break;
    case INVAL_MODE_INSN: inval_mode_insn(); break;
    default: mark(INVAL_MARK_ERROR); break;
    }
    xtf_shutdown(SHUTDOWN_poweroff);
}
