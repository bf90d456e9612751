/*
 * bench-sharing-target - helper domU for bench-sharing (automation/
 * bench-sharing.sh). Serves the mailbox (include/xtf/mailbox.h):
 *  - XTF_MB_FILL: frames [arg0, arg0 + arg1) get arg2 + gfn in their
 *    first word (one store each), as p2m-target's;
 *  - BST_TIMED_WRITE: for each gfn[i], one store of val[i] to the first
 *    word of the frame between two RDTSCs; out[i] = the TSC's advance.
 *    Under QEMU -icount shift=0 the TSC counts the machine's
 *    instructions, so a write that faults (an unshare) costs what the
 *    hypervisor did for it on top of the store.
 * Frames below 2 MiB (the image) and past its RAM are refused. Touches
 * nothing else between commands but its image, stack and mailbox.
 * Prints no verdict; powers off on XTF_MB_EXIT.
 * May not touch: anything but its own memory.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/time.h>

const char test_title[] = "sharing bench helper: fills and timed writes";

#define BST_TIMED_WRITE 100
#define FIRST_DATA_GFN  0x200UL

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static uint64_t ram_end_gfn;

static uint64_t *frame(uint64_t gfn)
{
    return (uint64_t *)(uintptr_t)(gfn << PAGE_SHIFT);
}

static bool frames_ok(uint64_t first, uint64_t nr)
{
    return first >= FIRST_DATA_GFN && nr <= ram_end_gfn && first <= ram_end_gfn - nr;
}

static long fill(uint64_t first, uint64_t nr, uint64_t base)
{
    if ( !frames_ok(first, nr) )
        return -XEN_EINVAL;
    for ( uint64_t g = first; g < first + nr; g++ )
        __asm__ volatile("movq %1, %0" : "=m"(*frame(g)) : "r"(base + g) : "memory");
    return 0;
}

/* The TSC's advance over one store to the first word of gfn. */
static uint64_t timed_store(uint64_t gfn, uint64_t val)
{
    uint64_t *p = frame(gfn), t0 = rdtsc();

    __asm__ volatile("movq %1, %0" : "=m"(*p) : "r"(val) : "memory");
    return rdtsc() - t0;
}

static long timed_writes(uint32_t nr)
{
    if ( nr > XTF_MB_MAX )
        return -XEN_EINVAL;
    for ( uint32_t i = 0; i < nr; i++ )
        if ( !frames_ok(mb->gfn[i], 1) )
            return -XEN_EINVAL;
    for ( uint32_t i = 0; i < nr; i++ )
        mb->out[i] = timed_store(mb->gfn[i], mb->val[i]);
    return 0;
}

static long serve(uint32_t op, uint32_t nr)
{
    const volatile uint64_t *a = mb->arg;

    switch ( op )
    {
    case XTF_MB_NOP:
    case XTF_MB_EXIT: return 0;
    case XTF_MB_FILL: return fill(a[0], a[1], a[2]);
    case BST_TIMED_WRITE: return timed_writes(nr);
    default: return -XEN_ENOSYS;
    }
}

void test_main(void)
{
    ram_end_gfn = xtf_ram_end() >> PAGE_SHIFT;
    xtf_mb_serve(serve);
}
