/*
 * p2m-target - helper domU for the p2m-* controller tests.
 *
 * Serves the mailbox (include/xtf/mailbox.h) at XTF_MAILBOX_GPA: the
 * controller asks it to read, write or fill lists of its own frames, so
 * every access is made by this domain's own vCPU through this domain's
 * own p2m, and it reports what it read back. A write is one MOV to the
 * first 8 bytes of the frame, so a write the hypervisor drops (ram_ro)
 * is one dropped instruction, and a read-back shows whether it landed.
 *
 * Between commands it touches nothing but its image, its stack and the
 * mailbox, so a controller can count the faults one command causes.
 * Frames outside [2 MiB, end of RAM) are refused (-EINVAL): the image
 * lives below 2 MiB. vCPU 1, if the controller starts it, writes and
 * reads back a range of frames in a loop and counts the reads that did
 * not return what it wrote. It gives frames back and populates new ones
 * on command (XTF_MB_DECREASE, XTF_MB_POPULATE): decreases are refused
 * below 2 MiB and for the mailbox, populates go anywhere the controller
 * says. Prints no verdict; powers off on XTF_MB_EXIT.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <public/sched.h>
#include <public/memory.h>

const char test_title[] = "p2m helper: mailbox target";

#define FIRST_DATA_GFN XTF_GFN(0x200) /* 2 MiB: above the image */

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static uint64_t ram_end_gfn;

/* The background writer's orders (vCPU 0 -> vCPU 1). */
static volatile uint64_t bg_first, bg_nr, bg_gen;
static volatile bool bg_idle = true, bg_started;

static uint64_t *frame(uint64_t gfn)
{
    return (uint64_t *)(uintptr_t)(gfn << PAGE_SHIFT);
}

/* Exactly one store instruction, so a dropped write is one dropped MOV. */
static inline void store(uint64_t *p, uint64_t v)
{
    xtf_store64(p, v);
}

static inline uint64_t load(const uint64_t *p)
{
    return *(const volatile uint64_t *)p;
}

static bool frames_ok(uint64_t first, uint64_t nr)
{
    return first >= FIRST_DATA_GFN && nr <= ram_end_gfn && first <= ram_end_gfn - nr;
}

static long do_frames(uint32_t op, uint32_t nr)
{
    if ( nr > XTF_MB_MAX )
        return -XEN_EINVAL;
    for ( uint32_t i = 0; i < nr; i++ )
        if ( !frames_ok(mb->gfn[i], 1) )
            return -XEN_EINVAL;
    for ( uint32_t i = 0; i < nr; i++ )
    {
        uint64_t *p = frame(mb->gfn[i]);

        if ( op == XTF_MB_WRITE )
            store(p, mb->val[i]);
        mb->out[i] = load(p);
    }
    return 0;
}

static long do_fill(uint64_t first, uint64_t nr, uint64_t base)
{
    if ( !frames_ok(first, nr) )
        return -XEN_EINVAL;
    for ( uint64_t g = first; g < first + nr; g++ )
        store(frame(g), base + g);
    return 0;
}

static long reservation(unsigned int cmd, uint64_t gfn, unsigned int order)
{
    xen_pfn_t pfn = gfn;
    struct xen_memory_reservation r = {
        .nr_extents = 1,
        .extent_order = order,
        .domid = DOMID_SELF,
    };

    set_xen_guest_handle(r.extent_start, &pfn);
    return hypercall_memory_op(cmd, &r);
}

static long do_decrease(uint32_t nr)
{
    long done = 0;

    if ( nr > XTF_MB_MAX )
        return -XEN_EINVAL;
    for ( uint32_t i = 0; i < nr; i++ )
        if ( mb->gfn[i] < FIRST_DATA_GFN || mb->gfn[i] == XTF_MAILBOX_GPA >> PAGE_SHIFT )
            return -XEN_EINVAL;
    for ( uint32_t i = 0; i < nr; i++ )
    {
        long rc = reservation(XENMEM_decrease_reservation, mb->gfn[i], 0);

        if ( rc != 1 )
            return done ? done : (rc < 0 ? rc : -XEN_EFAULT);
        done++;
    }
    return done;
}

static long do_populate(uint32_t nr, unsigned int order)
{
    long done = 0;

    if ( nr > XTF_MB_MAX )
        return -XEN_EINVAL;
    mb->out[0] = 0;
    for ( uint32_t i = 0; i < nr; i++ )
    {
        long rc = reservation(XENMEM_populate_physmap, mb->gfn[i], order);

        if ( rc != 1 )
        {
            mb->out[0] = (uint64_t)rc; /* 0: refused (Xen returns a count) */
            break;
        }
        done++;
    }
    return done;
}

static void bg_main(unsigned int id)
{
    uint64_t seen = 0;

    for ( ;; )
    {
        while ( bg_gen == seen )
            hypercall_yield();
        seen = bg_gen;
        for ( uint64_t pass = 1; !mb->bg_stop; pass++ )
        {
            for ( uint64_t g = bg_first; g < bg_first + bg_nr; g++ )
            {
                uint64_t v = pass << 32 | g;

                store(frame(g), v);
                if ( load(frame(g)) != v )
                {
                    mb->bg_mismatches++;
                    mb->bg_bad_gfn = g;
                }
            }
            mb->bg_passes = pass;
        }
        bg_idle = true;
    }
}

static long bg_start(uint64_t first, uint64_t nr)
{
    if ( !nr || !frames_ok(first, nr) || !bg_idle )
        return -XEN_EINVAL;
    bg_first = first;
    bg_nr = nr;
    mb->bg_passes = mb->bg_mismatches = mb->bg_bad_gfn = mb->bg_stop = 0;
    bg_idle = false; /* vCPU 1 sets it again when it stops */
    smp_wmb();
    bg_gen++;
    if ( !bg_started )
    {
        long rc = xtf_vcpu_start(1, bg_main);

        if ( rc )
            return rc;
        bg_started = true;
    }
    return 0;
}

static long bg_stop(void)
{
    mb->bg_stop = 1;
    smp_mb();
    while ( !bg_idle )
        hypercall_yield();
    return (long)mb->bg_passes;
}

static long serve(uint32_t op, uint32_t nr)
{
    const volatile uint64_t *a = mb->arg;

    switch ( op )
    {
    case XTF_MB_NOP: return 0;
    case XTF_MB_READ:
    case XTF_MB_WRITE: return do_frames(op, nr);
    case XTF_MB_FILL: return do_fill(a[0], a[1], a[2]);
    case XTF_MB_DM_OP:
        return xtf_dm_set_mem_type((domid_t)a[0], a[1], (uint32_t)a[2], (uint16_t)a[3]);
    case XTF_MB_BG_START: return bg_start(a[0], a[1]);
    case XTF_MB_BG_STOP: return bg_stop();
    case XTF_MB_EXIT: return 0;
    case XTF_MB_DECREASE: return do_decrease(nr);
    case XTF_MB_POPULATE: return do_populate(nr, (unsigned int)a[0]);
    default: return -XEN_ENOSYS;
    }
}

void test_main(void)
{
    ram_end_gfn = xtf_ram_end() >> PAGE_SHIFT;
    xtf_mb_serve(serve);
}
