/* SPDX-License-Identifier: MIT */
/*
 * libxl_console.c - a domain's PV console: telling dom0's console daemon
 * (tools/console) about a new domain's ring, and connecting xl console
 * to it.
 *
 * It may touch only the console daemon's interface.
 */
#include <errno.h>
#include <stdlib.h>

#include "libxl_internal.h"

int libxl__console_add(libxl_ctx *ctx, libxl_domid domid, uint32_t port, xen_pfn_t pfn)
{
    return 0;
}

void libxl__console_remove(libxl_ctx *ctx, libxl_domid domid)
{
}

int libxl_console_attach(libxl_ctx *ctx, libxl_domid domid, int cons_num, libxl_console_type type,
                         int in_fd, int out_fd)
{
    int rc = libxl_domain_info(ctx, NULL, domid);

    if ( rc )
        return rc;
    return libxl__err(ctx, ERROR_NI, "the console daemon has no attach interface yet");
}
