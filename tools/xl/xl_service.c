/* SPDX-License-Identifier: MIT */
/*
 * xl_service.c - the dom0 service that applies each created domain's
 * on_poweroff / on_reboot / on_crash when it shuts down. Xen's xl forks
 * a monitor process per domain; dom0 has one process, so this runs
 * whenever the foreground blocks (dom0/service.h) and never blocks
 * itself.
 *
 * It acts only through libxl_domain_death_poll().
 */
#include <dom0/service.h>

#include "xl.h"

static libxl_ctx *death_ctx;

static int death_init(void)
{
    return 0; /* xenstored may not run yet: the context opens lazily */
}

static bool death_run(void)
{
    if ( !death_ctx && libxl_ctx_alloc(&death_ctx, LIBXL_VERSION, 0, NULL) )
        return false;
    return libxl_domain_death_poll(death_ctx) > 0;
}

const struct dom0_service xl_death_service = {
    .name = "xl-domain-death",
    .init = death_init,
    .run = death_run,
};
