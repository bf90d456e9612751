/*
 * privcmd.c - /dev/xen/privcmd: hypercalls on behalf of the tools, and
 * foreign mappings placed in dom0's window at 4 GiB.
 *
 * mmap() of the device reserves window addresses only; MMAPBATCH_V2 asks
 * the hypervisor to put the foreign frames there (add_to_physmap_batch,
 * gmfn_foreign: the hypervisor takes a reference on each), and munmap()
 * of the range removes every frame that was mapped (remove_from_physmap,
 * which drops it). MMAP_RESOURCE does the same with the frames of a
 * domain's resource (XENMEM_acquire_resource: an IOREQ server's pages).
 * As on Linux, a mapping outlives the descriptor.
 *
 * May not touch: guest-physical addresses outside the window; RAM is
 * never handed to the hypervisor for a mapping.
 */
#include <errno.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/wren.h>
#include <xen-sys/privcmd.h>
#include "rt.h"

#define BATCH      32
#define DM_MAX_BUF 16

struct privcmd
{
    domid_t restrict_to; /* DOMID_INVALID: not restricted */
};

static int pc_open(struct rt_file *f)
{
    struct privcmd *p = kalloc(sizeof(*p));
    if ( !p )
        return -ENOMEM;
    p->restrict_to = DOMID_INVALID;
    f->priv = p;
    return 0;
}

static void pc_release(struct rt_file *f)
{
    kfree(f->priv);
}

static long pc_mmap(struct rt_file *f, size_t len)
{
    void *va = window_alloc(len);
    return va ? (long)va : -ENOMEM;
}

static long map_chunk(const privcmd_mmapbatch_v2_t *m, unsigned int first, unsigned int n)
{
    xen_ulong_t idxs[BATCH];
    xen_pfn_t gpfns[BATCH];
    int errs[BATCH];
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF,
        .space =
            window_readonly(m->addr) ? WREN_MAPSPACE_gmfn_foreign_ro : XENMAPSPACE_gmfn_foreign,
        .size = (uint16_t)n,
        .u.foreign_domid = m->dom,
    };
    long rc, failed = 0;
    for ( unsigned int i = 0; i < n; i++ )
    {
        idxs[i] = m->arr[first + i];
        gpfns[i] = (m->addr + (uint64_t)(first + i) * RT_PAGE) / RT_PAGE;
    }
    set_xen_guest_handle(b.idxs, idxs);
    set_xen_guest_handle(b.gpfns, gpfns);
    set_xen_guest_handle(b.errs, errs);
    rc = hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, (long)&b, 0, 0, 0);
    for ( unsigned int i = 0; i < n; i++ )
    {
        m->err[first + i] = rc ? (int)rc : errs[i];
        if ( m->err[first + i] )
            failed++;
        else
            window_note_mapped(m->addr + (uint64_t)(first + i) * RT_PAGE);
    }
    return failed;
}

static long pc_mmapbatch(struct privcmd *p, privcmd_mmapbatch_v2_t *m)
{
    long failed = 0;
    if ( !m->num || m->addr & (RT_PAGE - 1) ||
         !window_owns((uintptr_t)m->addr, (size_t)m->num * RT_PAGE) )
        return -EINVAL;
    if ( p->restrict_to != DOMID_INVALID && p->restrict_to != m->dom )
        return -EPERM;
    for ( unsigned int i = 0; i < m->num; i += BATCH )
        failed += map_chunk(m, i, m->num - i < BATCH ? m->num - i : BATCH);
    return failed ? -ENOENT : 0;
}

/*
 * A resource (XENMEM_acquire_resource) placed at the window range addr:
 * the hypervisor maps the frames at the range's gfns and takes a
 * reference on each; munmap() removes them as it does foreign frames.
 */
static long pc_mmap_resource(struct privcmd *p, const privcmd_mmap_resource_t *r)
{
    xen_pfn_t gfns[BATCH];
    struct xen_mem_acquire_resource a = {
        .domid = r->dom, .type = (uint16_t)r->type, .id = r->id, .frame = r->idx
    };
    long rc;

    if ( !r->num || r->num > BATCH || r->type > UINT16_MAX || r->addr & (RT_PAGE - 1) ||
         !window_owns((uintptr_t)r->addr, (size_t)r->num * RT_PAGE) )
        return -EINVAL;
    if ( p->restrict_to != DOMID_INVALID && p->restrict_to != r->dom )
        return -EPERM;
    for ( unsigned int i = 0; i < r->num; i++ )
        gfns[i] = (r->addr + (uint64_t)i * RT_PAGE) / RT_PAGE;
    a.nr_frames = (uint32_t)r->num;
    set_xen_guest_handle(a.frame_list, gfns);
    rc = hypercall(__HYPERVISOR_memory_op, XENMEM_acquire_resource, (long)&a, 0, 0, 0);
    if ( rc )
        return rc;
    for ( unsigned int i = 0; i < r->num; i++ )
        window_note_mapped(r->addr + (uint64_t)i * RT_PAGE);
    return 0;
}

long rt_privcmd_munmap(uintptr_t va, size_t len)
{
    for ( uintptr_t a = va; a < va + len; a += RT_PAGE )
    {
        struct xen_remove_from_physmap r = { .domid = DOMID_SELF, .gpfn = a / RT_PAGE };
        long rc = hypercall(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, (long)&r, 0, 0, 0);
        if ( rc )
            rt_printf("dom0: privcmd: unmapping gfn %#lx failed (%ld)\n", a / RT_PAGE, rc);
    }
    return 0;
}

static long pc_dm_op(struct privcmd *p, const privcmd_dm_op_t *d)
{
    if ( d->num > DM_MAX_BUF )
        return -E2BIG;
    if ( p->restrict_to != DOMID_INVALID && p->restrict_to != d->dom )
        return -EPERM;
    /* privcmd_dm_op_buf_t and xen_dm_op_buf_t are both {pointer, size}. */
    return hypercall(__HYPERVISOR_dm_op, d->dom, d->num, (long)d->ubufs, 0, 0);
}

static long pc_ioctl(struct rt_file *f, unsigned long req, unsigned long arg)
{
    struct privcmd *p = f->priv;
    const privcmd_hypercall_t *h = (const void *)arg;
    switch ( req )
    {
    case IOCTL_PRIVCMD_HYPERCALL:
        if ( p->restrict_to != DOMID_INVALID )
            return -EPERM;
        return hypercall((unsigned int)h->op, (long)h->arg[0], (long)h->arg[1], (long)h->arg[2],
                         (long)h->arg[3], (long)h->arg[4]);
    case IOCTL_PRIVCMD_MMAPBATCH_V2: return pc_mmapbatch(p, (privcmd_mmapbatch_v2_t *)arg);
    case IOCTL_PRIVCMD_DM_OP: return pc_dm_op(p, (const privcmd_dm_op_t *)arg);
    case IOCTL_PRIVCMD_MMAP_RESOURCE:
        return pc_mmap_resource(p, (const privcmd_mmap_resource_t *)arg);
    case IOCTL_PRIVCMD_RESTRICT:
        if ( p->restrict_to != DOMID_INVALID && p->restrict_to != *(const domid_t *)arg )
            return -EINVAL;
        p->restrict_to = *(const domid_t *)arg;
        return 0;
    default: return -ENOTTY;
    }
}

const struct rt_fops rt_privcmd_fops = {
    .ioctl = pc_ioctl, .open = pc_open, .release = pc_release, .mmap = pc_mmap
};
