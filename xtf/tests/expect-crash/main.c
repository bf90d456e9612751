/*
 * expect-crash - dom0 controller for tests in which domU 1 must crash.
 *
 * Waits for d1 to shut down and requires the reason SHUTDOWN_crash; any
 * other reason, or no shutdown at all, is a FAILURE. Then checks that
 * dom0 itself is unharmed: hypercalls still work and getdomaininfo shows
 * dom0 neither dying nor shut down.
 */
#include <xtf.h>
#include <public/sched.h>
#include <public/version.h>

const char test_title[] = "d1 must crash, dom0 must survive";

static void check_dom0(void)
{
    struct xen_domctl_getdomaininfo info;
    long v = hypercall_xen_version(XENVER_version, NULL);
    long rc = xtf_getdomaininfo(0, &info);

    if ( v != (long)xtf_xen_version )
        xtf_failure("xen_version now returns %#lx", v);
    if ( rc )
        xtf_failure("getdomaininfo(d0): %ld", rc);
    else if ( info.flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown) )
        xtf_failure("dom0 flags %#x: dying or shut down", info.flags);
    else
        printf("dom0 is fine (flags %#x)\n", info.flags);
}

void test_main(void)
{
    unsigned int reason;
    long rc = xtf_wait_shutdown(1, XTF_POLL_LIMIT, &reason);

    if ( rc == -XEN_ESRCH )
        xtf_error("there is no d1");
    else if ( rc == -XEN_ETIMEDOUT )
        xtf_failure("d1 never shut down");
    else if ( rc )
        xtf_failure("getdomaininfo(d1): %ld", rc);
    else if ( reason != SHUTDOWN_crash )
        xtf_failure("d1 shut down with %s, expected crash", xtf_shutdown_name(reason));
    else
        printf("d1 crashed, as it should\n");

    check_dom0();
    xtf_success(NULL);
}
