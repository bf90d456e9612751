/*
 * gnttab-peer - helper domU for the gnttab test: the other side of every
 * grant.
 *
 * Serves the mailbox (xtf/mailbox.h) at XTF_MAILBOX_GPA. It maps its grant
 * table and writes entries the controller dictates, reports an entry's
 * flags (so the controller sees GTF_reading/GTF_writing come and go),
 * maps, unmaps and copies the controller's grants as an unprivileged
 * grantee, reads and fills its own frames and gives frames back, all with
 * its own vCPU (gnttab-peer.h lists the commands). Frames below 2 MiB
 * (its image) and the mailbox are never given back. Prints no verdict;
 * powers off on XTF_MB_EXIT.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <public/sched.h>
#include <public/memory.h>
#include <public/grant_table.h>
#include "gnttab-peer.h"

const char test_title[] = "gnttab helper: the peer domain";

#define FIRST_DATA_GFN XTF_GFN(0x200)

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static volatile struct grant_entry_v1 *const gt =
    (volatile struct grant_entry_v1 *)(PEER_GT_GFN << PAGE_SHIFT);

static volatile uint64_t *frame(uint64_t gfn)
{
    return (volatile uint64_t *)(uintptr_t)(gfn << PAGE_SHIFT);
}

static long setup(uint64_t idx)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_grant_table,
        .idx = idx,
        .gpfn = PEER_GT_GFN + idx,
    };

    return hypercall_memory_op(XENMEM_add_to_physmap, &x);
}

/* Frame and domid first, flags last: the order a granter must keep. */
static long grant(uint64_t ref, uint64_t domid, uint64_t gfn, uint64_t flags)
{
    if ( ref >= PAGE_SIZE / sizeof(*gt) )
        return -XEN_EINVAL;
    gt[ref].frame = (uint32_t)gfn;
    gt[ref].domid = (domid_t)domid;
    smp_wmb();
    gt[ref].flags = (uint16_t)flags;
    return 0;
}

static long map(uint64_t gfn, uint64_t flags, uint64_t ref, uint64_t dom)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = gfn << PAGE_SHIFT,
        .flags = (uint32_t)flags,
        .ref = (grant_ref_t)ref,
        .dom = (domid_t)dom,
    };
    long rc = hypercall_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    mb->out[0] = (uint64_t)(int64_t)op.status;
    mb->out[1] = op.handle;
    return rc;
}

static long unmap(uint64_t handle, uint64_t gfn)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = gfn << PAGE_SHIFT,
        .handle = (grant_handle_t)handle,
    };
    long rc = hypercall_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    mb->out[0] = (uint64_t)(int64_t)op.status;
    return rc;
}

static long copy_in(uint64_t dom, uint64_t ref, uint64_t len)
{
    struct gnttab_copy op = {
        .source = { .u.ref = (grant_ref_t)ref, .domid = (domid_t)dom },
        .dest = { .u.gmfn = mb->gfn[0], .domid = DOMID_SELF },
        .len = (uint16_t)len,
        .flags = GNTCOPY_source_gref,
    };
    long rc = hypercall_grant_table_op(GNTTABOP_copy, &op, 1);

    mb->out[0] = (uint64_t)(int64_t)op.status;
    return rc;
}

static long query(uint64_t dom)
{
    struct gnttab_query_size op = { .dom = (domid_t)dom };
    long rc = hypercall_grant_table_op(GNTTABOP_query_size, &op, 1);

    mb->out[0] = (uint64_t)(int64_t)op.status;
    mb->out[1] = op.nr_frames;
    mb->out[2] = op.max_nr_frames;
    return rc;
}

static long setup_table(uint64_t dom)
{
    xen_pfn_t f = 0;
    struct gnttab_setup_table op = { .dom = (domid_t)dom, .nr_frames = 1 };
    long rc;

    set_xen_guest_handle(op.frame_list, &f);
    rc = hypercall_grant_table_op(GNTTABOP_setup_table, &op, 1);
    mb->out[0] = (uint64_t)(int64_t)op.status;
    return rc;
}

static long get_version(uint64_t dom)
{
    struct gnttab_get_version op = { .dom = (domid_t)dom };
    long rc = hypercall_grant_table_op(GNTTABOP_get_version, &op, 1);

    mb->out[0] = op.version;
    return rc;
}

static long reservation(unsigned int cmd, uint64_t gfn)
{
    xen_pfn_t pfn = gfn;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, &pfn);
    return hypercall_memory_op(cmd, &r);
}

static long frames(uint32_t op, uint32_t nr)
{
    if ( nr > XTF_MB_MAX )
        return -XEN_EINVAL;
    for ( uint32_t i = 0; i < nr; i++ )
    {
        uint64_t g = mb->gfn[i];

        if ( op != XTF_MB_READ &&
             (g < FIRST_DATA_GFN || g == XTF_MAILBOX_GPA >> PAGE_SHIFT || g == PEER_GT_GFN) )
            return -XEN_EINVAL;
        if ( op == XTF_MB_READ )
            mb->out[i] = *frame(g);
        else if ( op == XTF_MB_FILL )
            *frame(g) = mb->val[i];
        else if ( reservation(op == XTF_MB_DECREASE ? XENMEM_decrease_reservation
                                                    : XENMEM_populate_physmap,
                              g) != 1 )
            return -XEN_EFAULT;
    }
    return 0;
}

static long serve(uint32_t op, uint32_t nr)
{
    const volatile uint64_t *a = mb->arg;

    switch ( op )
    {
    case XTF_MB_NOP:
    case XTF_MB_EXIT: return 0;
    case XTF_MB_READ:
    case XTF_MB_FILL:
    case XTF_MB_DECREASE:
    case XTF_MB_POPULATE: return frames(op, nr);
    case PEER_SETUP: return setup(a[0]);
    case PEER_GRANT: return grant(a[0], a[1], a[2], a[3]);
    case PEER_ENTRY: return a[0] < PAGE_SIZE / sizeof(*gt) ? gt[a[0]].flags : -XEN_EINVAL;
    case PEER_MAP: return map(a[0], a[1], a[2], a[3]);
    case PEER_UNMAP: return unmap(a[0], a[1]);
    case PEER_COPY_IN: return copy_in(a[0], a[1], a[2]);
    case PEER_QUERY: return query(a[0]);
    case PEER_SETUP_TABLE: return setup_table(a[0]);
    case PEER_GET_VERSION: return get_version(a[0]);
    default: return -XEN_ENOSYS;
    }
}

void test_main(void)
{
    xtf_mb_serve(serve);
}
