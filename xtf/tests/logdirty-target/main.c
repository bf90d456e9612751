/*
 * logdirty-target - helper domU for the log-dirty tests and benchmark.
 *
 * Serves the mailbox (include/xtf/mailbox.h) with the commands of
 * ../logdirty-lib/ld.h. Both of its vCPUs take part in every write job,
 * so writes come from two CPUs at once: for a write set, vCPU 0 writes
 * the even picks and vCPU 1 the odd ones; for a stream, each writes one
 * half of the range. Every write is one 8-byte store through this
 * domain's own p2m, and the pages come only from the seed, so the
 * controller knows exactly which pages were written.
 *
 * Between jobs both vCPUs touch nothing but the image, the stacks and the
 * mailbox, all below LD_DATA_FIRST. During a write set vCPU 0 publishes
 * how far it got in the mailbox's out[0]; out[1] counts the yields both
 * make while waiting (their only exits of their own). vCPU 1 is started at boot; the target
 * needs "vcpus=2". Prints no verdict; powers off on XTF_MB_EXIT.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <public/sched.h>
#include <public/domctl.h>
#include <public/version.h>
#include <public/wren.h>

#include "../logdirty-lib/ld.h"

const char test_title[] = "log-dirty helper: mailbox target";

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static uint64_t ram_end_gfn;

/* The current job, published by vCPU 0 before it bumps job_gen. */
static uint32_t job_op;
static uint64_t job_arg[3];
static volatile uint64_t job_gen, job_done;
static volatile uint64_t read_sink;

/* Every voluntary exit (a yield while waiting) is counted in the
 * mailbox's out[1], so a benchmark can tell them from the exits that
 * log-dirty causes. */
static void yield(void)
{
    __atomic_fetch_add(&mb->out[1], 1, __ATOMIC_RELAXED);
    hypercall_yield();
}

static void store(uint64_t gfn, unsigned int offset, uint64_t v)
{
    uint64_t *p = (uint64_t *)(uintptr_t)((gfn << PAGE_SHIFT) + offset);

    xtf_store64(p, v);
}

static void delay(uint64_t loops)
{
    for ( uint64_t i = 0; i < loops; i++ )
        cpu_relax();
}

static uint64_t data_pages(void)
{
    return ram_end_gfn - LD_DATA_FIRST;
}

static void write_set(unsigned int me)
{
    uint64_t seed = job_arg[0], count = job_arg[1];

    for ( uint64_t k = me; k < count; k += 2 )
    {
        store(ld_pick(seed, k, LD_DATA_FIRST, data_pages()), ld_offset(seed, k), ld_value(seed, k));
        if ( !me )
            mb->out[0] = k + 2; /* progress, for a controller racing us */
        delay(job_arg[2]);
    }
}

/* My half of [first, first + nr). */
static void my_half(unsigned int me, uint64_t first, uint64_t nr, uint64_t *lo, uint64_t *hi)
{
    *lo = me ? first + nr / 2 : first;
    *hi = me ? first + nr : first + nr / 2;
}

static void stream(unsigned int me)
{
    uint64_t lo, hi;

    my_half(me, job_arg[0], job_arg[1], &lo, &hi);
    for ( uint64_t pass = 1; pass <= job_arg[2]; pass++ )
        for ( uint64_t g = lo; g < hi; g++ )
            store(g, 0, pass << 32 | g);
}

static void read_all(unsigned int me)
{
    uint64_t lo, hi, sum = 0;

    my_half(me, LD_DATA_FIRST, data_pages(), &lo, &hi);
    for ( uint64_t g = lo; g < hi; g++ )
        sum += *(volatile uint64_t *)(uintptr_t)(g << PAGE_SHIFT);
    read_sink = sum;
}

static void run_job(unsigned int me)
{
    switch ( job_op )
    {
    case LD_MB_WRITE_SET: write_set(me); break;
    case LD_MB_STREAM: stream(me); break;
    case LD_MB_READ_ALL: read_all(me); break;
    }
}

static void worker(unsigned int id)
{
    uint64_t seen = 0;

    for ( ;; )
    {
        while ( job_gen == seen )
            yield();
        smp_rmb();
        seen = job_gen;
        run_job(1);
        smp_wmb();
        job_done = seen;
    }
}

static long do_job(uint32_t op)
{
    job_op = op;
    mb->out[0] = 0;
    for ( unsigned int i = 0; i < 3; i++ )
        job_arg[i] = mb->arg[i];
    if ( op == LD_MB_STREAM &&
         (job_arg[0] < LD_DATA_FIRST || job_arg[1] > ram_end_gfn - job_arg[0]) )
        return -XEN_EINVAL;
    smp_wmb();
    job_gen++;
    run_job(0);
    while ( job_done != job_gen )
        yield();
    return 0;
}

/* A shadow_op from this unprivileged domain: the caller wants -EPERM. */
static long shadow_op(domid_t domid, uint32_t op)
{
    static uint8_t bitmap[PAGE_SIZE];
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_shadow_op,
        .domain = domid,
        .u.shadow_op = { .op = op, .pages = sizeof(bitmap) * 8 },
    };

    set_xen_guest_handle(d.u.shadow_op.dirty_bitmap, bitmap);
    return hypercall_domctl(&d);
}

/* A dirty-ring domctl from this unprivileged domain: -EPERM wanted. */
static long dirty_ring_op(domid_t domid, uint32_t vcpu)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_wren_dirty_ring, .domain = domid };
    struct xen_domctl_wren_dirty_ring r = { .op = WREN_DIRTY_RING_STATUS, .vcpu = vcpu };

    _Static_assert(sizeof(r) <= sizeof(d.u), "fits the domctl union");
    memcpy(&d.u, &r, sizeof(r));
    return hypercall_domctl(&d);
}

/* Pages only the hypervisor writes: the output buffer of a hypercall. */
static long hv_writes(uint64_t seed, uint64_t count)
{
    long failed = 0;

    for ( uint64_t k = 0; k < count; k++ )
    {
        uint64_t gfn = ld_pick(seed, k, LD_DATA_FIRST, data_pages());
        unsigned int off = MIN(ld_offset(seed, k), PAGE_SIZE - 16);
        void *buf = (void *)(uintptr_t)((gfn << PAGE_SHIFT) + off);

        if ( hypercall_xen_version(XENVER_extraversion, buf) < 0 )
            failed++;
    }
    return failed;
}

static long serve(uint32_t op)
{
    switch ( op )
    {
    case XTF_MB_NOP:
    case XTF_MB_EXIT: return 0;
    case LD_MB_WRITE_SET:
    case LD_MB_STREAM:
    case LD_MB_READ_ALL: return do_job(op);
    case LD_MB_SHADOW_OP: return shadow_op((domid_t)mb->arg[0], (uint32_t)mb->arg[1]);
    case LD_MB_HV_WRITES: return hv_writes(mb->arg[0], mb->arg[1]);
    case LD_MB_DIRTY_RING: return dirty_ring_op((domid_t)mb->arg[0], (uint32_t)mb->arg[1]);
    default: return -XEN_ENOSYS;
    }
}

static void start(void)
{
    long rc;

    if ( !xtf_is_ram(XTF_MAILBOX_GPA, PAGE_SIZE) )
    {
        printf("mailbox %#lx is not RAM in my memory map\n", XTF_MAILBOX_GPA);
        xtf_shutdown(SHUTDOWN_crash);
    }
    ram_end_gfn = xtf_ram_end() >> PAGE_SHIFT;
    rc = xtf_vcpu_start(1, worker);
    if ( rc || ram_end_gfn <= LD_DATA_FIRST + 2 )
    {
        printf("cannot start vCPU 1 (%ld) or no data pages (RAM end %#lx)\n", rc,
               (unsigned long)ram_end_gfn);
        xtf_shutdown(SHUTDOWN_crash);
    }
    mb->seq = mb->ack = 0;
    mb->ram_end = ram_end_gfn << PAGE_SHIFT;
    smp_wmb();
    mb->magic = XTF_MB_MAGIC;
    printf("Serving the log-dirty mailbox, RAM up to %#lx\n", (unsigned long)mb->ram_end);
}

void test_main(void)
{
    uint32_t last = 0;

    start();
    for ( ;; )
    {
        uint32_t seq = mb->seq, op;

        if ( seq == last )
        {
            yield();
            continue;
        }
        smp_rmb();
        last = seq;
        op = mb->op;
        mb->result = serve(op);
        smp_wmb();
        mb->ack = seq;
        if ( op == XTF_MB_EXIT )
            xtf_shutdown(SHUTDOWN_poweroff);
    }
}
