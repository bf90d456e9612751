/*
 * bench-ioreq-target - helper domU for bench-ioreq: runs loops of port
 * and MMIO accesses and of frames given back, on command, timing each
 * loop with its pvclock (../bench-ioreq/bench.h says what is counted).
 * Prints no verdict; powers off on XTF_MB_EXIT.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/time.h>
#include <public/memory.h>

#include "../bench-ioreq/bench.h"

const char test_title[] = "ioreq benchmark helper: timed loops";

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;

static uint32_t in32(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* Every spare frame in one call of cmd: the extents done. */
static long spare_frames(unsigned int cmd, unsigned int nr)
{
    static xen_pfn_t pfns[BI_SPARE_MAX];
    struct xen_memory_reservation r = {
        .nr_extents = nr,
        .extent_order = 0,
        .domid = DOMID_SELF,
    };

    for ( unsigned int i = 0; i < nr; i++ )
        pfns[i] = BI_SPARE_GFN + i;
    set_xen_guest_handle(r.extent_start, pfns);
    return hypercall_memory_op(cmd, &r);
}

static long give_back(uint64_t times, unsigned int nr, bool touch)
{
    for ( uint64_t i = 0; i < times; i++ )
    {
        if ( spare_frames(XENMEM_decrease_reservation, nr) != nr ||
             spare_frames(XENMEM_populate_physmap, nr) != nr )
            return -XEN_EFAULT;
        if ( touch )
            outl((uint32_t)i, BI_PORT);
    }
    return 0;
}

static long loop(uint32_t op, uint64_t times, uint64_t arg)
{
    volatile uint32_t *mmio = (volatile uint32_t *)BI_MMIO;
    uint32_t sink = 0;

    for ( uint64_t i = 0; i < times; i++ )
    {
        switch ( op )
        {
        case BI_OUT: outl((uint32_t)i, (uint16_t)arg); break;
        case BI_IN: sink += in32((uint16_t)arg); break;
        case BI_MMIO_STORE: *mmio = (uint32_t)i; break;
        }
    }
    mb->out[1] = sink;
    return 0;
}

static long serve(uint32_t op, uint32_t nr)
{
    uint64_t t0 = xtf_now();
    long rc;

    if ( op == XTF_MB_NOP || op == XTF_MB_EXIT )
        return 0;
    if ( op == BI_GIVE_BACK )
        rc = mb->arg[1] <= BI_SPARE_MAX
                 ? give_back(mb->arg[0], (unsigned int)mb->arg[1], mb->arg[2])
                 : -XEN_EINVAL;
    else if ( op >= BI_OUT && op <= BI_MMIO_STORE )
        rc = loop(op, mb->arg[0], mb->arg[1]);
    else
        return -XEN_EOPNOTSUPP;
    mb->out[0] = xtf_now() - t0;
    return rc;
}

void test_main(void)
{
    xtf_mb_serve(serve);
}
