/*
 * ioreq-inval-remote - mapcache invalidation after another domain's
 * change: dom0 replaces a frame of d1 while d1 runs.
 *
 * d1 (ioreq-inval-target, mode 3) has two vCPUs reading gfn R through
 * the toy DMA device that dom0 serves with a mapcache (xtf/ioreq-inval.h);
 * vCPU 0 reads back to back, vCPU 1 sleeps 5 ms between reads. Once both
 * read (R holds A, cached), dom0 gives R back on d1's behalf
 * (XENMEM_decrease_reservation with domid 1), populates it again and
 * writes B there. Upstream flags only on the guest's own hypercall path,
 * so this change would never be invalidated. Here every vCPU of d1 must
 * send exactly one IOREQ_TYPE_INVALIDATE, and before any other request
 * of its own (a request already waiting when dom0 changed R is allowed);
 * no read after a vCPU's invalidation may return A, and the last reads
 * must return B. The counters must say: 2 flags, 2 broadcasts, 1 frame.
 */
#include <xtf.h>
#include <xtf/ioreq-inval.h>
#include <xtf/p2m.h>
#include <public/memory.h>

const char test_title[] = "Mapcache invalidation: dom0 replaces a frame of a running domU";

#define READS_BEFORE 20 /* of vCPU 0; vCPU 1 needs 3 */

static struct inval_server is;
static bool exempt[2]; /* a request already waiting at the change */

static long reservation(unsigned int cmd)
{
    xen_pfn_t pfn = INVAL_R;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = INVAL_TARGET };

    set_xen_guest_handle(r.extent_start, &pfn);
    return hypercall_memory_op(cmd, &r);
}

/* Serve until each vCPU did more reads than asked. */
static bool serve_reads(uint64_t r0, uint64_t r1)
{
    volatile struct inval_ctl *c = inval_ctl();

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( c->reads[0] >= r0 && c->reads[1] >= r1 )
            return true;
        if ( !xtf_ioreq_serve(&is.io) )
            hypercall_yield();
    }
    return xtf_error("d1 read %lu/%lu times, waited for %lu/%lu", (unsigned long)c->reads[0],
                     (unsigned long)c->reads[1], (unsigned long)r0, (unsigned long)r1),
           false;
}

static bool write_new_frame(void)
{
    long rc = xtf_map_foreign(INVAL_TARGET, INVAL_R, INVAL_SCRATCH);

    if ( rc )
        return xtf_error("mapping d1's new frame: %ld", rc), false;
    *(volatile uint64_t *)(uintptr_t)(INVAL_SCRATCH << PAGE_SHIFT) = INVAL_B;
    xtf_unmap_local(INVAL_SCRATCH);
    return true;
}

/* dom0's change. What each vCPU has waiting in its slot predates it. */
static bool replace_r(void)
{
    long rc = reservation(XENMEM_decrease_reservation);

    if ( rc != 1 )
        return xtf_error("decrease_reservation of d1's gfn %#lx: %ld", INVAL_R, rc), false;
    for ( unsigned int v = 0; v < 2; v++ )
    {
        const ioreq_t *slot = &is.io.iopage->vcpu_ioreq[v];

        is.owes[v] = true;
        exempt[v] = IOREQ_STATE(slot) != STATE_IOREQ_NONE && slot->type != IOREQ_TYPE_INVALIDATE;
    }
    rc = reservation(XENMEM_populate_physmap);
    if ( rc != 1 )
        return xtf_error("populate_physmap of d1's gfn %#lx: %ld", INVAL_R, rc), false;
    return write_new_frame();
}

/* Per vCPU, from the change on: one INVAL, no A after it, B at last. */
static bool check_vcpu(int change, unsigned int v)
{
    unsigned int invals = 0;
    uint32_t last = 0;

    for ( int i = change; i < (int)is.nr_log; i++ )
    {
        const struct inval_event *e = &is.log[i];

        if ( e->vcpu != v )
            continue;
        if ( e->kind == INVAL_EV_INVAL )
            invals++;
        else if ( e->kind == INVAL_EV_READ && invals && e->value == INVAL_A )
            return xtf_failure("vCPU %u read the removed frame after its invalidation", v), false;
        if ( e->kind == INVAL_EV_READ )
            last = e->value;
    }
    printf("vCPU %u: %u invalidation(s) after the change, last read %#x\n", v, invals, last);
    if ( invals != 1 )
        return xtf_failure("vCPU %u sent %u invalidations after dom0's change, not 1", v, invals),
               false;
    if ( last != INVAL_B )
        return xtf_failure("vCPU %u's last read saw %#x, not %#x", v, last, INVAL_B), false;
    return true;
}

static uint64_t sent0, flags0, frames0; /* the counters just before the change */

static bool check(int change)
{
    uint64_t sent, flags, frames;

    if ( is.overtaken > (uint64_t)(exempt[0] + exempt[1]) )
        return xtf_failure("%lu requests overtook the invalidation their vCPU owed",
                           (unsigned long)(is.overtaken - exempt[0] - exempt[1])),
               false;
    if ( !check_vcpu(change, 0) || !check_vcpu(change, 1) )
        return false;
    if ( !inval_counters(&sent, &flags, &frames) )
        return false;
    sent -= sent0, flags -= flags0, frames -= frames0;
    printf("counters for the change: %lu broadcasts, %lu flags, %lu frames gone\n",
           (unsigned long)sent, (unsigned long)flags, (unsigned long)frames);
    if ( sent != 2 || flags != 2 || frames != 1 )
        return xtf_failure("counters %lu/%lu/%lu, expected 2/2/1", (unsigned long)sent,
                           (unsigned long)flags, (unsigned long)frames),
               false;
    return true;
}

void test_main(void)
{
    volatile struct inval_ctl *c = inval_ctl();
    int change;

    if ( !inval_server_start(&is, 2) || !serve_reads(READS_BEFORE, 3) )
        return;
    change = (int)is.nr_log;
    if ( !inval_counters(&sent0, &flags0, &frames0) || !replace_r() ||
         !serve_reads(c->reads[0] + READS_BEFORE, c->reads[1] + 3) )
        return;
    c->stop = 1;
    if ( !inval_serve_until_shutdown(&is) )
    {
        xtf_error("d1 did not stop");
        return;
    }
    if ( is.log_full )
        xtf_error("the log overflowed");
    else if ( check(change) )
        xtf_success(NULL);
    else
        inval_print_log(&is);
}
