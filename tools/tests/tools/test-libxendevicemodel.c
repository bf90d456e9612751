/* SPDX-License-Identifier: MIT */
/*
 * test-libxendevicemodel.c - host tests of libxendevicemodel's IOREQ
 * server calls and xenforeignmemory_map_resource against the fake
 * privcmd: each dm_op is marshalled as dm_op.h lays it out (op number,
 * fields, PCI SBDF, XEN_DMOP_no_gfns), OUT fields come back, errors are
 * -1 with errno, bad arguments never reach the device, and a resource
 * mapping is IOCTL_PRIVCMD_MMAP_RESOURCE over a privcmd range that is
 * unmapped again on failure and on unmap.
 *
 * Test code only.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/memory.h>
#include <xen/hvm/dm_op.h>
#include <xen/hvm/ioreq.h>

#include "harness.h"
#include "fake-privcmd.h"
#include "xendevicemodel.h"
#include "xenforeignmemory.h"

static xendevicemodel_handle *dmod;
static struct xen_dm_op_modified_memory_extent last_extent;
static unsigned int dm_calls;

/* The hypervisor's side: OUT fields, and domain 9 does not exist. */
static long reply(const privcmd_dm_op_t *call)
{
    struct xen_dm_op *op = call->ubufs[0].uptr;

    dm_calls++;
    if ( call->dom == 9 )
        return -ESRCH;
    if ( op->op == XEN_DMOP_create_ioreq_server )
        op->u.create_ioreq_server.id = 3;
    if ( op->op == XEN_DMOP_get_ioreq_server_info )
    {
        op->u.get_ioreq_server_info.bufioreq_port = 41;
        op->u.get_ioreq_server_info.ioreq_gfn = 0xfeed;
        op->u.get_ioreq_server_info.bufioreq_gfn = 0xbeef;
    }
    if ( op->op == XEN_DMOP_modified_memory && call->num == 2 &&
         call->ubufs[1].size == sizeof(last_extent) )
        memcpy(&last_extent, call->ubufs[1].uptr, sizeof(last_extent));
    return 0;
}

static struct xen_dm_op *sent(void)
{
    CHECK_EQ(fake.dm_snap_size, sizeof(struct xen_dm_op));
    return (struct xen_dm_op *)fake.dm_snap;
}

static void setup(void)
{
    fake_reset();
    dm_calls = 0;
    dmod = xendevicemodel_open(NULL, 0);
    CHECK(dmod);
    fake.dm_op = reply;
}

static void teardown(void)
{
    CHECK_EQ(xendevicemodel_close(dmod), 0);
    CHECK_EQ(fake.open_fds, 0);
}

static void test_create_and_info(void)
{
    ioservid_t id = 0;
    xen_pfn_t g1 = 0, g2 = 0;
    evtchn_port_t port = 0;

    setup();
    CHECK_EQ(xendevicemodel_create_ioreq_server(dmod, 4, HVM_IOREQSRV_BUFIOREQ_ATOMIC, &id), 0);
    CHECK_EQ(id, 3);
    CHECK_EQ(fake.last_dm_op.dom, 4);
    CHECK_EQ(sent()->op, XEN_DMOP_create_ioreq_server);
    CHECK_EQ(sent()->u.create_ioreq_server.handle_bufioreq, HVM_IOREQSRV_BUFIOREQ_ATOMIC);
    CHECK_EQ(xendevicemodel_get_ioreq_server_info(dmod, 4, 3, NULL, NULL, &port), 0);
    CHECK_EQ(port, 41);
    CHECK_EQ(sent()->op, XEN_DMOP_get_ioreq_server_info);
    CHECK_EQ(sent()->u.get_ioreq_server_info.id, 3);
    CHECK_EQ(sent()->u.get_ioreq_server_info.flags, XEN_DMOP_no_gfns);
    /* Asking for a gfn drops the flag (Wren's hypervisor then refuses). */
    CHECK_EQ(xendevicemodel_get_ioreq_server_info(dmod, 4, 3, &g1, &g2, NULL), 0);
    CHECK_EQ(sent()->u.get_ioreq_server_info.flags, 0);
    CHECK_EQ(g1, 0xfeed);
    CHECK_EQ(g2, 0xbeef);
    /* Bad arguments never reach the device. */
    CHECK_EQ(xendevicemodel_create_ioreq_server(dmod, 4, 3, &id), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xendevicemodel_create_ioreq_server(dmod, 4, 0, NULL), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(dm_calls, 3);
    CHECK_EQ(xendevicemodel_create_ioreq_server(dmod, 9, 0, &id), -1);
    CHECK_EQ(errno, ESRCH);
    teardown();
}

static void check_range(uint32_t op, uint32_t type, uint64_t start, uint64_t end)
{
    CHECK_EQ(sent()->op, op);
    CHECK_EQ(sent()->u.map_io_range_to_ioreq_server.id, 3);
    CHECK_EQ(sent()->u.map_io_range_to_ioreq_server.type, type);
    CHECK_EQ(sent()->u.map_io_range_to_ioreq_server.start, start);
    CHECK_EQ(sent()->u.map_io_range_to_ioreq_server.end, end);
}

static void test_ranges(void)
{
    setup();
    CHECK_EQ(xendevicemodel_map_io_range_to_ioreq_server(dmod, 4, 3, 0, 0x2f8, 0x2ff), 0);
    check_range(XEN_DMOP_map_io_range_to_ioreq_server, XEN_DMOP_IO_RANGE_PORT, 0x2f8, 0x2ff);
    CHECK_EQ(xendevicemodel_map_io_range_to_ioreq_server(dmod, 4, 3, 1, 0xf0000000, 0xf0000fff), 0);
    check_range(XEN_DMOP_map_io_range_to_ioreq_server, XEN_DMOP_IO_RANGE_MEMORY, 0xf0000000,
                0xf0000fff);
    CHECK_EQ(xendevicemodel_unmap_io_range_from_ioreq_server(dmod, 4, 3, 1, 0xf0000000, 0xf0000fff),
             0);
    check_range(XEN_DMOP_unmap_io_range_from_ioreq_server, XEN_DMOP_IO_RANGE_MEMORY, 0xf0000000,
                0xf0000fff);
    /* segment 1, bus 2, device 3, function 4: (1 << 16) | (2 << 8) | (3 << 3) | 4 */
    CHECK_EQ(xendevicemodel_map_pcidev_to_ioreq_server(dmod, 4, 3, 1, 2, 3, 4), 0);
    check_range(XEN_DMOP_map_io_range_to_ioreq_server, XEN_DMOP_IO_RANGE_PCI, 0x1021c, 0x1021c);
    CHECK_EQ(xendevicemodel_unmap_pcidev_from_ioreq_server(dmod, 4, 3, 0, 0xff, 0x1f, 7), 0);
    check_range(XEN_DMOP_unmap_io_range_from_ioreq_server, XEN_DMOP_IO_RANGE_PCI, 0xffff, 0xffff);
    CHECK_EQ(dm_calls, 5);
    CHECK_EQ(xendevicemodel_map_pcidev_to_ioreq_server(dmod, 4, 3, 0, 0, 32, 0), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xendevicemodel_map_pcidev_to_ioreq_server(dmod, 4, 3, 0, 0, 0, 8), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xendevicemodel_map_io_range_to_ioreq_server(dmod, 4, 3, 0, 0x300, 0x2ff), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(dm_calls, 5);
    teardown();
}

static void test_state_memtype_destroy(void)
{
    setup();
    CHECK_EQ(xendevicemodel_set_ioreq_server_state(dmod, 4, 3, 7), 0);
    CHECK_EQ(sent()->op, XEN_DMOP_set_ioreq_server_state);
    CHECK_EQ(sent()->u.set_ioreq_server_state.id, 3);
    CHECK_EQ(sent()->u.set_ioreq_server_state.enabled, 1);
    CHECK_EQ(xendevicemodel_map_mem_type_to_ioreq_server(dmod, 4, 3, HVMMEM_ioreq_server,
                                                         XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
             0);
    CHECK_EQ(sent()->op, XEN_DMOP_map_mem_type_to_ioreq_server);
    CHECK_EQ(sent()->u.map_mem_type_to_ioreq_server.type, HVMMEM_ioreq_server);
    CHECK_EQ(sent()->u.map_mem_type_to_ioreq_server.flags, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE);
    CHECK_EQ(sent()->u.map_mem_type_to_ioreq_server.opaque, 0);
    CHECK_EQ(xendevicemodel_map_mem_type_to_ioreq_server(dmod, 4, 3, HVMMEM_ioreq_server, 4), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xendevicemodel_modified_memory(dmod, 4, 0x500, 3), 0);
    CHECK_EQ(fake.last_dm_op.num, 2);
    CHECK_EQ(sent()->op, XEN_DMOP_modified_memory);
    CHECK_EQ(sent()->u.modified_memory.nr_extents, 1);
    CHECK_EQ(last_extent.first_pfn, 0x500);
    CHECK_EQ(last_extent.nr, 3);
    CHECK_EQ(xendevicemodel_destroy_ioreq_server(dmod, 4, 3), 0);
    CHECK_EQ(sent()->op, XEN_DMOP_destroy_ioreq_server);
    CHECK_EQ(sent()->u.destroy_ioreq_server.id, 3);
    CHECK_EQ(xendevicemodel_destroy_ioreq_server(dmod, 9, 3), -1);
    CHECK_EQ(errno, ESRCH);
    teardown();
}

static int resource_absent(const privcmd_mmap_resource_t *mr)
{
    return mr->id == 5 ? -ENOENT : 0;
}

static void test_map_resource(void)
{
    xenforeignmemory_handle *fmem;
    xenforeignmemory_resource_handle *fres;
    void *addr = NULL;

    fake_reset();
    fmem = xenforeignmemory_open(NULL, 0);
    CHECK(fmem);
    fres = xenforeignmemory_map_resource(fmem, 4, XENMEM_resource_ioreq_server, 3, 0, 2, &addr,
                                         PROT_READ | PROT_WRITE, 0);
    CHECK(fres);
    CHECK(addr);
    CHECK_EQ(fake.last_resource.dom, 4);
    CHECK_EQ(fake.last_resource.type, XENMEM_resource_ioreq_server);
    CHECK_EQ(fake.last_resource.id, 3);
    CHECK_EQ(fake.last_resource.idx, 0);
    CHECK_EQ(fake.last_resource.num, 2);
    CHECK_EQ(fake.last_resource.addr, (uintptr_t)addr);
    CHECK_EQ(*(uint64_t *)((char *)addr + 4096), fake_frame_marker(4, 1));
    CHECK_EQ(xenforeignmemory_unmap_resource(fmem, fres), 0);
    CHECK_EQ(fake.pages_unmapped, 2);
    /* A refused resource leaves nothing mapped, and says why. */
    fake.resource = resource_absent;
    addr = NULL;
    CHECK(!xenforeignmemory_map_resource(fmem, 4, 0, 5, 1, 1, &addr, PROT_READ, 0));
    CHECK_EQ(errno, ENOENT);
    CHECK_EQ(fake.pages_unmapped, 3);
    CHECK(!addr);
    /* Never sent: no frames, a fixed address, flags, a frame past 32 bits. */
    CHECK(!xenforeignmemory_map_resource(fmem, 4, 0, 3, 0, 0, &addr, PROT_READ, 0));
    CHECK_EQ(errno, EINVAL);
    CHECK(!xenforeignmemory_map_resource(fmem, 4, 0, 3, 0, 1, &addr, PROT_READ, MAP_FIXED));
    CHECK_EQ(errno, EINVAL);
    CHECK(!xenforeignmemory_map_resource(fmem, 4, 0, 3, 1UL << 32, 1, &addr, PROT_READ, 0));
    CHECK_EQ(errno, EINVAL);
    CHECK(!xenforeignmemory_map_resource(fmem, 4, 0, 3, 0, 1, NULL, PROT_READ, 0));
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(fake.nr_resources, 2);
    CHECK_EQ(xenforeignmemory_close(fmem), 0);
    CHECK_EQ(fake.open_fds, 0);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "dm_create_and_info", test_create_and_info },
        { "dm_ranges", test_ranges },
        { "dm_state_memtype_destroy", test_state_memtype_destroy },
        { "fmem_map_resource", test_map_resource },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
