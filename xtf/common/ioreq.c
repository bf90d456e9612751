/*
 * ioreq.c - a test controller acting as an IOREQ server (xtf/ioreq.h):
 * the DMOPs, the pages mapped with XENMEM_acquire_resource at gfns of
 * the controller, the ports bound, and a serving loop that polls the
 * slots and the ring (the controller takes no interrupts: it looks
 * instead of waiting for the event the hypervisor sends).
 *
 * May not touch: anything of the target but through these calls.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/ioreq.h>
#include <xtf/p2m.h>
#include <public/memory.h>
#include <public/hvm/hvm_op.h>

static long dmop(struct xtf_ioreq_server *s, struct xen_dm_op *op)
{
    return xtf_dm_op(s->domid, op);
}

static long map_frames(struct xtf_ioreq_server *s, uint64_t frame, uint32_t nr, uint64_t gfn)
{
    xen_pfn_t gfns[2] = { gfn, gfn + 1 };
    struct xen_mem_acquire_resource r = {
        .domid = s->domid,
        .type = XENMEM_resource_ioreq_server,
        .id = s->id,
        .nr_frames = nr,
        .frame = frame,
    };

    set_xen_guest_handle(r.frame_list, gfns);
    return hypercall_memory_op(XENMEM_acquire_resource, &r);
}

static long bind_ports(struct xtf_ioreq_server *s)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_get_ioreq_server_info,
        .u.get_ioreq_server_info = { .id = s->id, .flags = XEN_DMOP_no_gfns },
    };
    long rc = dmop(s, &op);

    for ( unsigned int i = 0; !rc && i < s->nr_vcpus; i++ )
    {
        rc = evtchn_bind_interdomain(s->domid, s->iopage->vcpu_ioreq[i].vp_eport);
        s->port[i] = rc < 0 ? 0 : (uint32_t)rc;
        rc = rc < 0 ? rc : 0;
    }
    if ( rc || !s->bufpage )
        return rc;
    rc = evtchn_bind_interdomain(s->domid, op.u.get_ioreq_server_info.bufioreq_port);
    s->buf_port = rc < 0 ? 0 : (uint32_t)rc;
    return rc < 0 ? rc : 0;
}

/* The slots' page at local_gfn, the ring's (if any) at local_gfn + 1. */
static long map_pages(struct xtf_ioreq_server *s, uint64_t local_gfn)
{
    long rc = map_frames(s, XENMEM_resource_ioreq_server_frame_ioreq(0), 1, local_gfn);

    if ( !rc )
        s->iopage = (shared_iopage_t *)(uintptr_t)(local_gfn << PAGE_SHIFT);
    return rc;
}

long xtf_ioreq_create(struct xtf_ioreq_server *s, domid_t domid, unsigned int nr_vcpus,
                      int handle_bufioreq, uint64_t local_gfn, xtf_ioreq_handler_t handler)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_create_ioreq_server,
        .u.create_ioreq_server = { .handle_bufioreq = (uint8_t)handle_bufioreq },
    };
    long rc;

    memset(s, 0, sizeof(*s));
    if ( nr_vcpus > XTF_IOREQ_MAX_VCPUS )
        return -XEN_EINVAL;
    s->domid = domid;
    s->nr_vcpus = nr_vcpus;
    s->handler = handler;
    rc = xtf_dm_op(domid, &op);
    if ( rc )
        return rc;
    s->id = op.u.create_ioreq_server.id;
    rc = map_pages(s, local_gfn);
    if ( !rc && handle_bufioreq )
    {
        rc = map_frames(s, XENMEM_resource_ioreq_server_frame_bufioreq, 1, local_gfn + 1);
        if ( !rc )
            s->bufpage = (buffered_iopage_t *)(uintptr_t)((local_gfn + 1) << PAGE_SHIFT);
    }
    return rc ?: bind_ports(s);
}

static long range_op(struct xtf_ioreq_server *s, uint32_t op_nr, uint32_t kind, uint64_t start,
                     uint64_t end)
{
    struct xen_dm_op op = {
        .op = op_nr,
        .u.map_io_range_to_ioreq_server = { .id = s->id, .type = kind, .start = start, .end = end },
    };

    return dmop(s, &op);
}

long xtf_ioreq_map_range(struct xtf_ioreq_server *s, uint32_t kind, uint64_t start, uint64_t end)
{
    return range_op(s, XEN_DMOP_map_io_range_to_ioreq_server, kind, start, end);
}

long xtf_ioreq_unmap_range(struct xtf_ioreq_server *s, uint32_t kind, uint64_t start, uint64_t end)
{
    return range_op(s, XEN_DMOP_unmap_io_range_from_ioreq_server, kind, start, end);
}

long xtf_ioreq_set_state(struct xtf_ioreq_server *s, bool enabled)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_set_ioreq_server_state,
        .u.set_ioreq_server_state = { .id = s->id, .enabled = enabled },
    };

    return dmop(s, &op);
}

long xtf_ioreq_map_mem_type(struct xtf_ioreq_server *s, uint32_t flags)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_map_mem_type_to_ioreq_server,
        .u.map_mem_type_to_ioreq_server = { .id = s->id,
                                            .type = HVMMEM_ioreq_server,
                                            .flags = flags },
    };

    return dmop(s, &op);
}

long xtf_ioreq_destroy(struct xtf_ioreq_server *s)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_destroy_ioreq_server,
        .u.destroy_ioreq_server = { .id = s->id },
    };

    for ( unsigned int i = 0; i < s->nr_vcpus; i++ )
        if ( s->port[i] )
            evtchn_close(s->port[i]);
    if ( s->buf_port )
        evtchn_close(s->buf_port);
    return dmop(s, &op);
}

/* ---- serving -------------------------------------------------------------- */

static void handle(struct xtf_ioreq_server *s, ioreq_t *p)
{
    if ( p->type == IOREQ_TYPE_INVALIDATE )
        s->invalidates++;
    if ( s->handler )
        s->handler(s, p);
}

/* Every buffered write, in order, before any slot (QEMU's rule). */
static unsigned int drain_ring(struct xtf_ioreq_server *s)
{
    volatile buffered_iopage_t *pg = s->bufpage;
    unsigned int n = 0;
    uint32_t rd, wr;

    if ( !pg )
        return 0;
    rd = pg->ptrs.p.read_pointer;
    wr = pg->ptrs.p.write_pointer;
    smp_rmb();
    while ( rd != wr )
    {
        buf_ioreq_t b = pg->buf_ioreq[rd % IOREQ_BUFFER_SLOT_NUM];
        ioreq_t p = { .addr = BUF_IOREQ_ADDR(&b),
                      .data = b.data,
                      .count = 1,
                      .size = BUF_IOREQ_SIZE(&b),
                      .type = (uint8_t)BUF_IOREQ_TYPE(&b) };

        rd++;
        if ( p.size == 8 )
            p.data |= (uint64_t)pg->buf_ioreq[rd++ % IOREQ_BUFFER_SLOT_NUM].data << 32;
        handle(s, &p);
        s->posted++;
        n++;
    }
    smp_mb();
    pg->ptrs.p.read_pointer = rd;
    return n;
}

static unsigned int serve_slot(struct xtf_ioreq_server *s, unsigned int i)
{
    volatile ioreq_t *slot = &s->iopage->vcpu_ioreq[i];
    uint8_t flags = slot->flags;

    if ( (flags & IOREQ_FLAG_STATE_MASK) != STATE_IOREQ_READY )
        return 0;
    smp_rmb();
    slot->flags = (uint8_t)((flags & ~IOREQ_FLAG_STATE_MASK) | STATE_IOREQ_INPROCESS);
    handle(s, (ioreq_t *)slot);
    smp_wmb();
    slot->flags = (uint8_t)((flags & ~IOREQ_FLAG_STATE_MASK) | STATE_IORESP_READY);
    evtchn_send(s->port[i]);
    s->handled++;
    return 1;
}

unsigned int xtf_ioreq_serve(struct xtf_ioreq_server *s)
{
    unsigned int n = drain_ring(s);

    for ( unsigned int i = 0; i < s->nr_vcpus; i++ )
        n += serve_slot(s, i);
    return n;
}

struct serving
{
    struct xtf_ioreq_server **srv;
    unsigned int n;
};

static bool serve_all(void *arg)
{
    const struct serving *w = arg;
    unsigned int done = 0;

    for ( unsigned int k = 0; k < w->n; k++ )
        done += xtf_ioreq_serve(w->srv[k]);
    return done;
}

long xtf_mb_call_serving(xtf_mb_t *mb, uint32_t op, uint32_t nr, struct xtf_ioreq_server **srv,
                         unsigned int n)
{
    struct serving w = { .srv = srv, .n = n };

    return xtf_mb_call_idle(mb, op, nr, serve_all, &w);
}
