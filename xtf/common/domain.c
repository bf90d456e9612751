/*
 * domain.c - helpers for controller tests that watch other domains.
 */
#include <xtf.h>
#include <public/sched.h>

long xtf_getdomaininfo(domid_t domid, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op = {
        .cmd = XEN_DOMCTL_getdomaininfo,
        .domain = domid,
    };
    long rc = hypercall_domctl(&op);

    if ( rc )
        return rc;
    *info = op.u.getdomaininfo;
    return info->domain == domid ? 0 : -XEN_ESRCH;
}

long xtf_domctl_simple(uint32_t cmd, domid_t domid)
{
    struct xen_domctl op = { .cmd = cmd, .domain = domid };

    return hypercall_domctl(&op);
}

unsigned int xtf_count_domus(void)
{
    struct xen_domctl_getdomaininfo info;
    unsigned int n = 0;

    while ( n + 1 < DOMID_FIRST_RESERVED && !xtf_getdomaininfo((domid_t)(n + 1), &info) )
        n++;
    return n;
}

long xtf_wait_shutdown(domid_t domid, unsigned long max_polls, unsigned int *reason)
{
    struct xen_domctl_getdomaininfo info;

    for ( unsigned long i = 0; i < max_polls; i++ )
    {
        long rc = xtf_getdomaininfo(domid, &info);

        if ( rc )
            return rc;
        if ( info.flags & XEN_DOMINF_shutdown )
        {
            *reason = XEN_DOMINF_SHUTDOWN_REASON(info.flags);
            return 0;
        }
        hypercall_yield();
    }
    return -XEN_ETIMEDOUT;
}

const char *xtf_shutdown_name(unsigned int reason)
{
    static const char *const names[] = {
        [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
        [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
        [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
    };

    return reason < ARRAY_SIZE(names) ? names[reason] : "unknown";
}

void xtf_expect_domu_refused(domid_t domid, const char *what)
{
    unsigned int reason = ~0U;
    long rc = xtf_wait_shutdown(domid, XTF_POLL_LIMIT, &reason);

    if ( rc )
        xtf_error("waiting for d%u: %ld", domid, rc);
    else if ( reason != SHUTDOWN_poweroff )
        xtf_failure("d%u got something other than %s (it shut down: %s)", domid, what,
                    xtf_shutdown_name(reason));
    else
        printf("d%u was refused with %s\n", domid, what);
}
