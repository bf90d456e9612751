/*
 * service.c - the daemons that run inside dom0 (dom0/service.h): a list
 * of them, and one pass over it whenever the foreground would block.
 *
 * May not touch: anything of a service's but its callbacks.
 */
#include <dom0/service.h>
#include "rt.h"

#define MAX_SERVICES 8

static const struct dom0_service *services[MAX_SERVICES];
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
        if ( services[i]->run && services[i]->run() )
            progress = true;
    return progress;
}
