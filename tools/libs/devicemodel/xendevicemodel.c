/* SPDX-License-Identifier: MIT */
/*
 * xendevicemodel.c - libxendevicemodel: dm_ops through /dev/xen/privcmd's
 * IOCTL_PRIVCMD_DM_OP, which checks the handle's restriction and passes
 * the buffers to __HYPERVISOR_dm_op (so they need not be xencall
 * buffers: the device bounces them).
 *
 * Reaches the device through wren-sys.h only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <xen/hvm/dm_op.h>
#include <xen-sys/privcmd.h>

#include "wren-sys.h"
#include "xendevicemodel.h"

struct xendevicemodel_handle
{
    int fd;
};

xendevicemodel_handle *xendevicemodel_open(struct xentoollog_logger *logger,
                                           unsigned int open_flags)
{
    xendevicemodel_handle *dmod;

    if ( open_flags )
    {
        errno = EINVAL;
        return NULL;
    }
    dmod = calloc(1, sizeof(*dmod));
    if ( !dmod )
        return NULL;
    dmod->fd = wren_sys_open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if ( dmod->fd < 0 )
    {
        int err = errno;

        fprintf(stderr, "xendevicemodel: cannot open /dev/xen/privcmd: errno %d\n", err);
        free(dmod);
        errno = err;
        return NULL;
    }
    return dmod;
}

int xendevicemodel_close(xendevicemodel_handle *dmod)
{
    int rc;

    if ( !dmod )
        return 0;
    rc = wren_sys_close(dmod->fd);
    free(dmod);
    return rc;
}

int xendevicemodel_restrict(xendevicemodel_handle *dmod, domid_t domid)
{
    return wren_sys_ioctl(dmod->fd, IOCTL_PRIVCMD_RESTRICT, &domid);
}

/* One dm_op whose only buffer is op itself. */
static int dm_op_one(xendevicemodel_handle *dmod, domid_t domid, struct xen_dm_op *op)
{
    privcmd_dm_op_buf_t buf = { .uptr = op, .size = sizeof(*op) };
    privcmd_dm_op_t call = { .dom = domid, .num = 1, .ubufs = &buf };

    return wren_sys_ioctl(dmod->fd, IOCTL_PRIVCMD_DM_OP, &call);
}

int xendevicemodel_set_mem_type(xendevicemodel_handle *dmod, domid_t domid, hvmmem_type_t mem_type,
                                uint64_t first_pfn, uint32_t nr)
{
    struct xen_dm_op op = { .op = XEN_DMOP_set_mem_type };

    if ( mem_type > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    op.u.set_mem_type.mem_type = (uint16_t)mem_type;
    op.u.set_mem_type.first_pfn = first_pfn;
    op.u.set_mem_type.nr = nr;
    return dm_op_one(dmod, domid, &op);
}
