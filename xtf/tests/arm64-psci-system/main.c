/*
 * arm64-psci-system - PSCI SYSTEM_OFF and SYSTEM_RESET end the calling
 * domain only, with the shutdown reason Xen gives them.
 *
 * dom0 on qemu-arm64; d1 and d2 are arm64-psci-down: d1 calls
 * SYSTEM_OFF, d2 (reset=1) SYSTEM_RESET. Checks that d1 ends with
 * SHUTDOWN_poweroff, d2 with SHUTDOWN_reboot, and that dom0 (and so the
 * hypervisor) runs on.
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "PSCI SYSTEM_OFF and SYSTEM_RESET end one domain";

static void expect_reason(domid_t d, unsigned int want)
{
    unsigned int reason;
    long rc = xtf_wait_shutdown(d, XTF_POLL_LIMIT, &reason);

    if ( rc )
        xtf_failure("waiting for d%u: %ld", d, rc);
    else if ( reason != want )
        xtf_failure("d%u shut down with %s, expected %s", d, xtf_shutdown_name(reason),
                    xtf_shutdown_name(want));
    else
        printf("d%u shut down with %s, as it should\n", d, xtf_shutdown_name(reason));
}

void test_main(void)
{
    struct xen_domctl_getdomaininfo info;

    expect_reason(1, SHUTDOWN_poweroff);
    expect_reason(2, SHUTDOWN_reboot);
    if ( xtf_getdomaininfo(0, &info) || (info.flags & XEN_DOMINF_shutdown) )
        xtf_failure("dom0 is not running normally");
    xtf_success(NULL);
}
