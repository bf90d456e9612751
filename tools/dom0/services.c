/*
 * services.c - the daemons dom0 runs beside its foreground, one line
 * each (dom0/service.h). A daemon's part defines a `const struct
 * dom0_service` under the name below; until its part is linked the weak
 * reference is NULL and the line does nothing, so adding a daemon is one
 * line here and nothing else.
 *
 * May not touch: a service's internals; only its descriptor.
 */
#include <stddef.h>
#include <stdio.h>
#include <dom0/service.h>

int dom0_services_start(void);

extern const struct dom0_service xenstored_dom0_service __attribute__((weak));
extern const struct dom0_service xenconsoled_dom0_service __attribute__((weak));
extern const struct dom0_service xl_death_service __attribute__((weak));
extern const struct dom0_service wrendm_dom0_service __attribute__((weak));

/* In start order: xenstored first, the others are its clients. */
static const struct dom0_service *const table[] = {
    &xenstored_dom0_service,
    &xenconsoled_dom0_service,
    &xl_death_service,
    &wrendm_dom0_service,
};

/* Register and initialise every linked service; nonzero if one failed. */
int dom0_services_start(void)
{
    for ( size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++ )
    {
        const struct dom0_service *s = table[i];
        if ( !s )
            continue;
        if ( s->init && s->init() )
        {
            fprintf(stderr, "dom0: service %s failed to start\n", s->name);
            return 1;
        }
        dom0_service_register(s);
    }
    return 0;
}
