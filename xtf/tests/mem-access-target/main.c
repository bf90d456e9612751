/*
 * mem-access-target - helper domU for the mem-access tests.
 *
 * Serves the mailbox (include/xtf/mailbox.h): on command it writes
 * val[i] at byte arg0 of each frame gfn[i] (XTF_MB_WRITE, one MOV, then
 * reads it back into out[i]), reads the first word of each
 * (XTF_MB_READ), or calls the start of each frame (MA_EXEC: the frame
 * must hold code; a RET written there first returns at once), or has
 * vCPU i write val[i] to frame gfn[i], every vCPU at once (MA_PAR_WRITE,
 * once: vCPUs 1.. are started for it), or checks that it may not use
 * the mem_access calls itself (MA_TRY_PRIV). Every
 * access is its own vCPU's, through its own p2m, so a page whose access
 * right refuses it stops this vCPU until the listener answers. Frames
 * outside [2 MiB, end of RAM) are refused (-EINVAL): the image lives
 * below 2 MiB. Prints no verdict; powers off on XTF_MB_EXIT.
 *
 * May not touch: any frame the controller did not name.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/vcpu.h>
#include <public/memory.h>
#include <public/domctl.h>

const char test_title[] = "mem_access helper: mailbox target";

#define FIRST_DATA_GFN XTF_GFN(0x200) /* 2 MiB into RAM: above the image */
#define MA_EXEC        100            /* call the start of each frame */
#define MA_PAR_WRITE   101            /* vCPU i writes frame gfn[i], all at once */
#define MA_TRY_PRIV    102            /* the mem_access calls on itself: -EPERM */

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static uint64_t ram_end_gfn;

static uint8_t *frame(uint64_t gfn)
{
    return (uint8_t *)(uintptr_t)(gfn << PAGE_SHIFT);
}

static inline uint64_t load(const uint64_t *p)
{
    return *(const volatile uint64_t *)p;
}

static bool frames_ok(uint32_t nr)
{
    if ( nr > XTF_MB_MAX )
        return false;
    for ( uint32_t i = 0; i < nr; i++ )
        if ( mb->gfn[i] < FIRST_DATA_GFN || mb->gfn[i] >= ram_end_gfn )
            return false;
    return true;
}

static long do_frames(uint32_t op, uint32_t nr)
{
    uint64_t offset = mb->arg[0] & (PAGE_SIZE - 8) & ~7UL;

    if ( !frames_ok(nr) )
        return -XEN_EINVAL;
    for ( uint32_t i = 0; i < nr; i++ )
    {
        uint64_t *p = (uint64_t *)(frame(mb->gfn[i]) + (op == XTF_MB_WRITE ? offset : 0));

        if ( op == XTF_MB_WRITE )
            xtf_store64(p, mb->val[i]);
        if ( op == MA_EXEC )
            ((void (*)(void))(uintptr_t)p)();
        mb->out[i] = load(p);
    }
    return 0;
}

/* MA_PAR_WRITE: vCPUs 1..nr-1 are started once, each writes its frame
 * and goes down; vCPU 0 writes frame 0 and waits for them. */
static volatile uint32_t par_done;

static void par_write_one(unsigned int id)
{
    uint64_t *p = (uint64_t *)frame(mb->gfn[id]);

    xtf_store64(p, mb->val[id]);
    mb->out[id] = load(p);
}

static void par_worker(unsigned int id)
{
    par_write_one(id);
    __atomic_add_fetch(&par_done, 1, __ATOMIC_SEQ_CST);
}

static long par_write(uint32_t nr)
{
    static bool done_once;

    if ( done_once || nr < 2 || nr > XTF_MAX_VCPUS || !frames_ok(nr) )
        return -XEN_EINVAL;
    done_once = true;
    for ( unsigned int id = 1; id < nr; id++ )
        if ( xtf_vcpu_start(id, par_worker) )
            return -XEN_EINVAL;
    par_write_one(0);
    while ( par_done != nr - 1 )
        hypercall_yield();
    return 0;
}

/* A domU may not restrict pages nor run a listener, even its own: both
 * calls are the control domain's (-EPERM before anything else). out[0]
 * and out[1] say what each returned. */
static long try_privileged(void)
{
    struct xen_mem_access_op m = {
        .op = XENMEM_access_op_set_access,
        .access = XENMEM_access_rx,
        .domid = DOMID_SELF,
        .nr = 1,
        .pfn = FIRST_DATA_GFN,
    };
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_vm_event_op,
        .domain = xtf_domid,
        .u.vm_event_op = { .op = XEN_VM_EVENT_ENABLE, .mode = XEN_DOMCTL_VM_EVENT_OP_MONITOR },
    };

    mb->out[0] = (uint64_t)hypercall_memory_op(XENMEM_access_op, &m);
    mb->out[1] = (uint64_t)hypercall_domctl(&d);
    return (long)mb->out[0] == -XEN_EPERM && (long)mb->out[1] == -XEN_EPERM ? 0 : -XEN_EINVAL;
}

static long serve(uint32_t op, uint32_t nr)
{
    switch ( op )
    {
    case XTF_MB_NOP:
    case XTF_MB_EXIT: return 0;
    case XTF_MB_READ:
    case XTF_MB_WRITE:
    case MA_EXEC: return do_frames(op, nr);
    case MA_PAR_WRITE: return par_write(nr);
    case MA_TRY_PRIV: return try_privileged();
    default: return -XEN_EINVAL;
    }
}

void test_main(void)
{
    ram_end_gfn = xtf_ram_end() >> PAGE_SHIFT;
    xtf_mb_serve(serve);
}
