/* SPDX-License-Identifier: MIT */
/*
 * test-libxengnttab.c - host tests of libxengnttab and libxendevicemodel
 * against the fake privcmd: the grant-table queries send the right
 * grant_table_op from a hypercall buffer and map status codes to errno,
 * the grant-mapping stubs say ENOSYS, and set_mem_type sends Xen's
 * dm_op layout through IOCTL_PRIVCMD_DM_OP.
 *
 * Test code only.
 */
#include <errno.h>
#include <sys/mman.h>
#include <xen/grant_table.h>
#include <xen/hvm/dm_op.h>

#include "harness.h"
#include "fake-privcmd.h"
#include "xendevicemodel.h"
#include "xengnttab.h"

static long reply_gnttab(privcmd_hypercall_t *hc)
{
    struct gnttab_query_size *q = (void *)(uintptr_t)hc->arg[1];
    struct gnttab_get_version *v = (void *)(uintptr_t)hc->arg[1];

    if ( hc->arg[0] == GNTTABOP_get_version )
    {
        v->version = 1;
        return 0;
    }
    q->status = q->dom == 9 ? GNTST_bad_domain : GNTST_okay;
    q->nr_frames = 1;
    q->max_nr_frames = 64;
    return 0;
}

static void test_gnttab_queries(void)
{
    uint32_t nr = 0, max = 0;
    xengnttab_handle *xgt;
    struct fake_call *c;

    fake_reset();
    xgt = xengnttab_open(NULL, 0);
    CHECK(xgt);
    fake.hypercall = reply_gnttab;
    CHECK_EQ(xengnttab_query_size(xgt, 3, &nr, &max), 0);
    c = fake_last_call();
    CHECK_EQ(c->hc.op, __HYPERVISOR_grant_table_op);
    CHECK_EQ(c->hc.arg[0], GNTTABOP_query_size);
    CHECK_EQ(c->hc.arg[2], 1);
    CHECK(c->in_buf[1]);
    CHECK_EQ(((struct gnttab_query_size *)c->snap[1])->dom, 3);
    CHECK_EQ(nr, 1);
    CHECK_EQ(max, 64);
    CHECK_EQ(xengnttab_query_size(xgt, 9, &nr, &max), -1);
    CHECK_EQ(errno, ESRCH);
    CHECK_EQ(xengnttab_get_version(xgt, 3), 1);
    CHECK_EQ(fake_last_call()->hc.arg[0], GNTTABOP_get_version);
    CHECK_EQ(xengnttab_set_max_grants(xgt, 0), -1);
    CHECK_EQ(xengnttab_set_max_grants(xgt, 128), 0);
    CHECK(!xengnttab_map_grant_ref(xgt, 3, 8, PROT_READ));
    CHECK_EQ(errno, ENOSYS);
    CHECK_EQ(xengnttab_unmap(xgt, NULL, 1), -1);
    CHECK_EQ(errno, ENOSYS);
    CHECK_EQ(xengnttab_close(xgt), 0);
    CHECK_EQ(fake.open_fds, 0);
    CHECK_EQ(fake_live_buffers(), 0);
}

static long reply_dm_op(const privcmd_dm_op_t *op)
{
    return op->dom == 9 ? -ESRCH : 0;
}

static void test_set_mem_type(void)
{
    xendevicemodel_handle *dmod;
    struct xen_dm_op *op;

    fake_reset();
    dmod = xendevicemodel_open(NULL, 0);
    CHECK(dmod);
    fake.dm_op = reply_dm_op;
    CHECK_EQ(xendevicemodel_set_mem_type(dmod, 4, HVMMEM_ram_ro, 0x1234, 16), 0);
    CHECK_EQ(fake.last_dm_op.dom, 4);
    CHECK_EQ(fake.last_dm_op.num, 1);
    CHECK_EQ(fake.dm_snap_size, sizeof(struct xen_dm_op));
    op = (struct xen_dm_op *)fake.dm_snap;
    CHECK_EQ(op->op, XEN_DMOP_set_mem_type);
    CHECK_EQ(op->u.set_mem_type.mem_type, HVMMEM_ram_ro);
    CHECK_EQ(op->u.set_mem_type.first_pfn, 0x1234);
    CHECK_EQ(op->u.set_mem_type.nr, 16);
    CHECK_EQ(xendevicemodel_set_mem_type(dmod, 9, HVMMEM_ram_rw, 0, 1), -1);
    CHECK_EQ(errno, ESRCH);
    CHECK_EQ(xendevicemodel_set_mem_type(dmod, 4, 0x10000, 0, 1), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xendevicemodel_restrict(dmod, 4), 0);
    CHECK_EQ(xendevicemodel_close(dmod), 0);
    CHECK_EQ(fake.open_fds, 0);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "gnttab_queries", test_gnttab_queries },
        { "dm_set_mem_type", test_set_mem_type },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
