/*
 * ioreq-errors - the IOREQ server interfaces check every argument before
 * they change anything, and answer with Xen's codes; the served guest
 * cannot touch the ports of its servers; a device model's garbage in the
 * shared page is ignored.
 *
 * dom0 against d1 (ioreq-target):
 *  - create: bufioreq handling 3 or a non-zero pad -EINVAL, a buffer too
 *    short for the op -EFAULT; dm_op on dom0 itself -EINVAL;
 *  - get_info: without XEN_DMOP_no_gfns -EOPNOTSUPP, unknown flags
 *    -EINVAL, an unknown id -ENOENT; with no ring the port is 0;
 *  - map/unmap: start > end, an unknown kind, a port past 0xffff, an
 *    SBDF past 32 bits, a non-zero pad -EINVAL; an unknown id -ENOENT;
 *    unmapping what was never mapped -ENOENT;
 *  - set_state and destroy: unknown id -ENOENT, pad -EINVAL; destroying
 *    twice -ENOENT;
 *  - acquire_resource: another resource type -EOPNOTSUPP, flags -EINVAL,
 *    the query (no list, nr 0) says 2 frames, frame 0 of a server with no
 *    ring -EINVAL, 3 frames or frame 2 -EINVAL, an unknown server
 *    -ENOENT, a missing domain -ESRCH, our own domain -EINVAL, a gfn of
 *    our RAM -EBUSY;
 *  - d1 as a device model: DMOP create and acquire_resource -EPERM;
 *  - d1 sending on, closing or moving its vCPU's vp_eport: -EINVAL;
 *  - an IORESP_READY nobody asked for, notified: ignored; the next load
 *    from the server's page is answered with the right value (MMIO, so
 *    the same on x86 and arm64).
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/evtchn.h>
#include <xtf/ioreq.h>
#include <xtf/ioreq_target.h>
#include <xtf/p2m.h>
#include <public/memory.h>

const char test_title[] = "ioreq: argument checks and error codes";

#define TARGET 1
#define MB_GFN 0x7f100UL
#define IO_GFN 0x7f200UL
#define PORT   0x300

static xtf_mb_t *mb;
static struct xtf_ioreq_server srv;
static struct xtf_ioreq_server *srvs[] = { &srv };

static void handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    if ( IOREQ_DIR(p) == IOREQ_READ )
        p->data = 0x600d;
}

static void check(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: %ld, expected %ld", what, got, want);
}

static long dmop_len(struct xen_dm_op *op, uint64_t len)
{
    struct xen_dm_op_buf buf = { .size = len };

    set_xen_guest_handle(buf.h, op);
    return hypercall_dm_op(TARGET, 1, &buf);
}

static long dmop(uint32_t nr, uint32_t a, uint32_t b, uint64_t c, uint64_t d)
{
    struct xen_dm_op op = { .op = nr };
    struct xen_dm_op_ioreq_server_range *r = &op.u.map_io_range_to_ioreq_server;

    r->id = (ioservid_t)a;
    r->pad = (uint16_t)(a >> 16);
    r->type = b;
    r->start = c;
    r->end = d;
    return dmop_len(&op, sizeof(op));
}

static void create_checks(void)
{
    struct xen_dm_op op = { .op = XEN_DMOP_create_ioreq_server };

    op.u.create_ioreq_server.handle_bufioreq = 3;
    check("create with bufioreq 3", dmop_len(&op, sizeof(op)), -XEN_EINVAL);
    op.u.create_ioreq_server.handle_bufioreq = 0;
    op.u.create_ioreq_server.pad[1] = 1;
    check("create with a pad", dmop_len(&op, sizeof(op)), -XEN_EINVAL);
    op.u.create_ioreq_server.pad[1] = 0;
    check("create with a short buffer", dmop_len(&op, 10), -XEN_EFAULT);
    check("dm_op on dom0 itself", xtf_dm_op(0, &op), -XEN_EINVAL);
}

static void info_checks(void)
{
    struct xen_dm_op op = { .op = XEN_DMOP_get_ioreq_server_info };

    op.u.get_ioreq_server_info.id = srv.id;
    check("get_info with gfns", dmop_len(&op, sizeof(op)), -XEN_EOPNOTSUPP);
    op.u.get_ioreq_server_info.flags = XEN_DMOP_no_gfns | 2;
    check("get_info with unknown flags", dmop_len(&op, sizeof(op)), -XEN_EINVAL);
    op.u.get_ioreq_server_info.flags = XEN_DMOP_no_gfns;
    op.u.get_ioreq_server_info.id = 7;
    check("get_info of no server", dmop_len(&op, sizeof(op)), -XEN_ENOENT);
    op.u.get_ioreq_server_info.id = srv.id;
    op.u.get_ioreq_server_info.bufioreq_port = 99;
    check("get_info", dmop_len(&op, sizeof(op)), 0);
    check("the port of no ring", op.u.get_ioreq_server_info.bufioreq_port, 0);
}

static void range_checks(void)
{
    const uint32_t map = XEN_DMOP_map_io_range_to_ioreq_server;

    check("start > end", dmop(map, srv.id, XEN_DMOP_IO_RANGE_PORT, 0x310, 0x30f), -XEN_EINVAL);
    check("kind 3", dmop(map, srv.id, 3, 0x300, 0x300), -XEN_EINVAL);
    check("port 0x10000", dmop(map, srv.id, XEN_DMOP_IO_RANGE_PORT, 0xfff0, 0x10000), -XEN_EINVAL);
    check("SBDF past 32 bits", dmop(map, srv.id, XEN_DMOP_IO_RANGE_PCI, 0, 1ULL << 32),
          -XEN_EINVAL);
    check("range pad", dmop(map, srv.id | 1U << 16, XEN_DMOP_IO_RANGE_PORT, 0x300, 0x300),
          -XEN_EINVAL);
    check("map to no server", dmop(map, 6, XEN_DMOP_IO_RANGE_PORT, 0x300, 0x300), -XEN_ENOENT);
    check("unmap what was never mapped",
          dmop(XEN_DMOP_unmap_io_range_from_ioreq_server, srv.id, XEN_DMOP_IO_RANGE_MEMORY, 0x1000,
               0x1fff),
          -XEN_ENOENT);
    check("set_state of no server", dmop(XEN_DMOP_set_ioreq_server_state, 5, 0, 0, 0), -XEN_ENOENT);
    check("destroy no server", dmop(XEN_DMOP_destroy_ioreq_server, 5, 0, 0, 0), -XEN_ENOENT);
}

static long acquire(domid_t dom, uint16_t type, uint32_t id, uint32_t nr, uint64_t frame,
                    uint32_t flags, xen_pfn_t *list)
{
    struct xen_mem_acquire_resource r = {
        .domid = dom,
        .type = type,
        .id = id,
        .nr_frames = nr,
        .frame = frame,
        .flags = flags,
    };
    long rc;

    set_xen_guest_handle(r.frame_list, list);
    rc = hypercall_memory_op(XENMEM_acquire_resource, &r);
    return rc ? rc : (long)r.nr_frames;
}

static void acquire_checks(void)
{
    xen_pfn_t gfns[3] = { IO_GFN + 4, IO_GFN + 5, IO_GFN + 6 };
    xen_pfn_t ram = (uintptr_t)test_title >> PAGE_SHIFT; /* our own image */

    check("grant-table resource",
          acquire(TARGET, XENMEM_resource_grant_table, srv.id, 1, 0, 0, gfns), -XEN_EOPNOTSUPP);
    check("flags", acquire(TARGET, XENMEM_resource_ioreq_server, srv.id, 1, 1, 1, gfns),
          -XEN_EINVAL);
    check("the query", acquire(TARGET, XENMEM_resource_ioreq_server, srv.id, 0, 0, 0, NULL), 2);
    check("frame 0 with no ring",
          acquire(TARGET, XENMEM_resource_ioreq_server, srv.id, 1, 0, 0, gfns), -XEN_EINVAL);
    check("3 frames", acquire(TARGET, XENMEM_resource_ioreq_server, srv.id, 3, 0, 0, gfns),
          -XEN_EINVAL);
    check("frame 2", acquire(TARGET, XENMEM_resource_ioreq_server, srv.id, 1, 2, 0, gfns),
          -XEN_EINVAL);
    check("no server", acquire(TARGET, XENMEM_resource_ioreq_server, 4, 1, 1, 0, gfns),
          -XEN_ENOENT);
    check("no domain", acquire(77, XENMEM_resource_ioreq_server, srv.id, 1, 1, 0, gfns),
          -XEN_ESRCH);
    check("our own domain", acquire(DOMID_SELF, XENMEM_resource_ioreq_server, 0, 1, 1, 0, gfns),
          -XEN_EINVAL);
    check("over our RAM", acquire(TARGET, XENMEM_resource_ioreq_server, srv.id, 1, 1, 0, &ram),
          -XEN_EBUSY);
}

static long call(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    mb->arg[0] = a0;
    mb->arg[1] = a1;
    mb->arg[2] = a2;
    mb->arg[3] = a3;
    return xtf_mb_call_serving(mb, op, 0, srvs, 1);
}

static void guest_checks(void)
{
    uint32_t port = srv.iopage->vcpu_ioreq[0].vp_eport;

    check("d1's DMOP create", call(IOT_DM_CALL, 0, 0, 0, 0), -XEN_EPERM);
    check("d1's acquire_resource", call(IOT_DM_CALL, 1, 0, srv.id, 0), -XEN_EPERM);
    check("d1 sends on its vp_eport", call(IOT_EVTCHN, EVTCHNOP_send, port, 0, 0), -XEN_EINVAL);
    check("d1 closes its vp_eport", call(IOT_EVTCHN, EVTCHNOP_close, port, 0, 0), -XEN_EINVAL);
    check("d1 moves its vp_eport", call(IOT_EVTCHN, EVTCHNOP_bind_vcpu, port, 0, 0), -XEN_EINVAL);
}

/* An answer to nothing, then a real round trip. */
static void garbage_answer(void)
{
    volatile ioreq_t *slot = &srv.iopage->vcpu_ioreq[0];

    slot->data = 0xbad;
    slot->flags = STATE_IORESP_READY;
    evtchn_send(srv.port[0]);
    slot->flags = STATE_IOREQ_NONE;
    if ( call(IOT_MMIO, IOT_MMIO_BASE, 2, IOT_MMIO_LOAD, 0) )
        return xtf_mb_report(mb, "a load after a garbage answer", -1);
    check("a load after a garbage answer", (long)mb->out[0], 0x600d);
}

void test_main(void)
{
    long rc;

    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
        return xtf_error("cannot attach d%u's mailbox", TARGET);
    create_checks();
    rc = xtf_ioreq_create(&srv, TARGET, 1, HVM_IOREQSRV_BUFIOREQ_OFF, IO_GFN, handler);
    rc = rc ?: xtf_ioreq_map_range(&srv, XEN_DMOP_IO_RANGE_PORT, PORT, PORT + 1);
    rc = rc
             ?: xtf_ioreq_map_range(&srv, XEN_DMOP_IO_RANGE_MEMORY, IOT_MMIO_BASE,
                                    IOT_MMIO_BASE + 0xfff);
    rc = rc ?: xtf_ioreq_set_state(&srv, true);
    if ( rc )
        return xtf_failure("setting up the server: %ld", rc);
    info_checks();
    range_checks();
    acquire_checks();
    guest_checks();
    garbage_answer();
    check("set_state with a pad", dmop(XEN_DMOP_set_ioreq_server_state, srv.id | 1U << 24, 0, 0, 0),
          -XEN_EINVAL);
    check("destroy", xtf_ioreq_destroy(&srv), 0);
    check("destroy again", dmop(XEN_DMOP_destroy_ioreq_server, srv.id, 0, 0, 0), -XEN_ENOENT);
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_success(NULL);
}
