/* SPDX-License-Identifier: MIT */
/*
 * xl_service.c - the dom0 service that applies a created domain's
 * on_poweroff / on_reboot / on_crash as soon as it shuts down. Xen's xl
 * forks a monitor process per domain; dom0 is one process, so this runs
 * whenever the foreground blocks (dom0/service.h): it watches
 * @releaseDomain on a store connection of its own, and when the watch
 * fires it lets libxl act. The store requests that makes may wait: the
 * runtime then runs the other services (xenstored answers), never this
 * one again inside itself.
 *
 * It acts only through libxl_domain_death_handle(); xl's commands also
 * call that, and libxl keeps the two from running into each other.
 */
#include <stdlib.h>
#include <dom0/service.h>
#include <xenstore.h>

#include "xl.h"

#define DEATH_TOKEN "xl-domain-death"

static libxl_ctx *death_ctx;
static struct xs_handle *death_xs;

static int death_init(void)
{
    return 0; /* xenstored may not run yet: both open lazily */
}

/* The store connection and its watch; false until xenstored is up. */
static bool death_open(void)
{
    if ( death_xs )
        return true;
    if ( !death_ctx && libxl_ctx_alloc(&death_ctx, LIBXL_VERSION, 0, NULL) )
        return false;
    death_xs = xs_open(0);
    if ( death_xs && !xs_watch(death_xs, "@releaseDomain", DEATH_TOKEN) )
    {
        xs_close(death_xs);
        death_xs = NULL;
    }
    return death_xs != NULL;
}

static bool death_run(void)
{
    char **ev;
    bool fired = false;

    if ( !death_open() )
        return false;
    while ( (ev = xs_check_watch(death_xs)) )
    {
        fired = true;
        free(ev);
    }
    return fired && libxl_domain_death_handle(death_ctx) > 0;
}

const struct dom0_service xl_death_service = {
    .name = "xl-domain-death",
    .init = death_init,
    .run = death_run,
};
