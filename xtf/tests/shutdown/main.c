/*
 * shutdown - a domain's SCHEDOP_shutdown reason reaches the toolstack.
 *
 * dom0 controller. Domains 1, 2 and 3 (shutdown-poweroff, shutdown-reboot,
 * shutdown-crash) each shut themselves down with that reason. dom0 polls
 * XEN_DOMCTL_getdomaininfo until each shows XEN_DOMINF_shutdown and checks
 * that the code in flags bits 23:16 is the one the domain asked for.
 * A domain that never shuts down, or whose reason is lost or mixed up
 * with another's, is a FAILURE.
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "Shutdown reasons reach getdomaininfo";

static const struct
{
    domid_t domid;
    unsigned int reason;
} expected[] = {
    { 1, SHUTDOWN_poweroff },
    { 2, SHUTDOWN_reboot },
    { 3, SHUTDOWN_crash },
};

static void check_domain(domid_t domid, unsigned int want)
{
    unsigned int reason;
    long rc = xtf_wait_shutdown(domid, XTF_POLL_LIMIT, &reason);

    if ( rc == -XEN_ESRCH )
        xtf_error("d%u does not exist (test.cfg starts three domUs)", domid);
    else if ( rc == -XEN_ETIMEDOUT )
        xtf_failure("d%u never shut down (expected %s)", domid, xtf_shutdown_name(want));
    else if ( rc )
        xtf_failure("getdomaininfo(d%u) failed: %ld", domid, rc);
    else if ( reason != want )
        xtf_failure("d%u shut down with %s (%u), expected %s (%u)", domid,
                    xtf_shutdown_name(reason), reason, xtf_shutdown_name(want), want);
    else
        printf("d%u: shut down with reason %s, as asked\n", domid, xtf_shutdown_name(reason));
}

void test_main(void)
{
    for ( unsigned int i = 0; i < ARRAY_SIZE(expected); i++ )
        check_domain(expected[i].domid, expected[i].reason);
    xtf_success(NULL);
}
