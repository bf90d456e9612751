/* SPDX-License-Identifier: MIT */
/*
 * libxl_death.c - what happens when a domain this dom0 created shuts
 * down: its on_poweroff / on_reboot / on_crash action. Xen's xl does this
 * in a monitor process per domain; dom0 is one process, so xl's death
 * service (tools/xl/xl_service.c) calls it when @releaseDomain fires, and
 * xl's commands call it too (libxl.h says when). Only one runs at a
 * time: a call made while another waits on the store (and so lets the
 * services run) returns at once.
 *
 * It acts only on domains in the configuration registry that have shut
 * down; others (dom0, the hypervisor's boot-module domains) are left
 * alone, as is a suspended domain (it will be resumed or saved).
 */
#include <stdlib.h>

#include "libxl_internal.h"

static libxl_action_on_shutdown action_for(const libxl_domain_config *c,
                                           libxl_shutdown_reason reason)
{
    switch ( reason )
    {
    case LIBXL_SHUTDOWN_REASON_POWEROFF: return c->on_poweroff;
    case LIBXL_SHUTDOWN_REASON_REBOOT: return c->on_reboot;
    case LIBXL_SHUTDOWN_REASON_SUSPEND: return 0; /* nothing to do */
    default: return c->on_crash;
    }
}

/* Destroy, then build it again from the configuration it had. */
static int restart(libxl_ctx *ctx, libxl_domid domid, const libxl_domain_config *c)
{
    libxl_domain_config copy;
    libxl_domid new_domid;
    int rc = libxl__domain_config_copy(&copy, c);

    if ( rc )
        return rc;
    rc = libxl_domain_destroy(ctx, domid, NULL);
    if ( !rc )
        rc = libxl_domain_create_new(ctx, &copy, &new_domid, NULL);
    libxl_domain_config_dispose(&copy);
    return rc;
}

static int handle_one(libxl_ctx *ctx, const libxl_dominfo *info)
{
    const libxl_domain_config *c = libxl__config_lookup(info->domid);

    if ( !c || !info->shutdown || info->dying )
        return 0;
    switch ( action_for(c, info->shutdown_reason) )
    {
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY: libxl_domain_destroy(ctx, info->domid, NULL); return 1;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART: restart(ctx, info->domid, c); return 1;
    default: return 0;
    }
}

int libxl_domain_death_handle(libxl_ctx *ctx)
{
    static bool busy; /* one process, one thread: a plain flag suffices */
    libxl_dominfo *list = NULL;
    int nb = 0, i, handled = 0;

    if ( busy )
        return 0;
    busy = true;
    list = libxl_list_domain(ctx, &nb);
    for ( i = 0; list && i < nb; i++ )
        handled += handle_one(ctx, &list[i]);
    if ( list )
        libxl_dominfo_list_free(list, nb);
    busy = false;
    return list ? handled : ERROR_FAIL;
}

int libxl_domain_death_poll(libxl_ctx *ctx)
{
    return libxl__config_any() ? libxl_domain_death_handle(ctx) : 0;
}
