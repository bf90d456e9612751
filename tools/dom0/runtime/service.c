/*
 * service.c - the daemons that run inside dom0 (dom0/service.h): a list
 * of them, and one pass over it whenever the foreground would block.
 *
 * A service may itself wait (xl's death service asks xenstored, another
 * service, and waits for the answer): the wait runs every service but
 * the ones already running further up the stack, so the one it waits
 * for can answer and nobody's run() is ever entered twice.
 *
 * May not touch: anything of a service's but its callbacks.
 */
#include <dom0/service.h>
#include "rt.h"

#define MAX_SERVICES 8

static const struct dom0_service *services[MAX_SERVICES];
static bool running[MAX_SERVICES];
static unsigned int nr_services;

void dom0_service_register(const struct dom0_service *s)
{
    if ( nr_services == MAX_SERVICES )
    {
        rt_printf("dom0: too many services, '%s' not registered\n", s->name);
        return;
    }
    services[nr_services++] = s;
}

bool dom0_services_run(void)
{
    bool progress = false;
    for ( unsigned int i = 0; i < nr_services; i++ )
    {
        if ( running[i] || !services[i]->run )
            continue;
        running[i] = true;
        progress |= services[i]->run();
        running[i] = false;
    }
    return progress;
}
