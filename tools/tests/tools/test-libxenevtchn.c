/* SPDX-License-Identifier: MIT */
/*
 * test-libxenevtchn.c - host tests of libxenevtchn against the fake
 * /dev/xen/evtchn: each call's ioctl and its argument, the port it
 * returns, read() of fired ports and write() to unmask, and errno.
 *
 * Test code only.
 */
#include <errno.h>

#include "harness.h"
#include "fake-privcmd.h"
#include "xenevtchn.h"

static void test_binds(void)
{
    xenevtchn_handle *xce;

    fake_reset();
    xce = xenevtchn_open(NULL, 0);
    CHECK(xce);
    CHECK(xenevtchn_fd(xce) >= 0);
    CHECK_EQ(xenevtchn_bind_unbound_port(xce, 3), 5);
    CHECK_EQ(fake.last_evtchn_cmd, IOCTL_EVTCHN_BIND_UNBOUND_PORT);
    CHECK_EQ(fake.last_evtchn_arg[0], 3);
    CHECK_EQ(xenevtchn_bind_interdomain(xce, 4, 9), 6);
    CHECK_EQ(fake.last_evtchn_cmd, IOCTL_EVTCHN_BIND_INTERDOMAIN);
    CHECK_EQ(fake.last_evtchn_arg[0], 4);
    CHECK_EQ(fake.last_evtchn_arg[1], 9);
    CHECK_EQ(xenevtchn_bind_virq(xce, 1), 7);
    CHECK_EQ(fake.last_evtchn_cmd, IOCTL_EVTCHN_BIND_VIRQ);
    CHECK_EQ(fake.last_evtchn_arg[0], 1);
    CHECK_EQ(xenevtchn_notify(xce, 6), 0);
    CHECK_EQ(fake.last_evtchn_cmd, IOCTL_EVTCHN_NOTIFY);
    CHECK_EQ(fake.last_evtchn_arg[0], 6);
    CHECK_EQ(xenevtchn_unbind(xce, 5), 0);
    CHECK_EQ(fake.last_evtchn_cmd, IOCTL_EVTCHN_UNBIND);
    CHECK_EQ(fake.last_evtchn_arg[0], 5);
    fake.evtchn_errno = EINVAL;
    CHECK_EQ(xenevtchn_bind_interdomain(xce, 4, 9), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xenevtchn_close(xce), 0);
    CHECK_EQ(fake.open_fds, 0);
}

static void test_pending_unmask(void)
{
    xenevtchn_handle *xce;

    fake_reset();
    xce = xenevtchn_open(NULL, 0);
    fake.pending[0] = 12;
    fake.pending[1] = 3;
    fake.nr_pending = 2;
    CHECK_EQ(xenevtchn_pending(xce), 12);
    CHECK_EQ(xenevtchn_pending(xce), 3);
    CHECK_EQ(xenevtchn_pending(xce), -1);
    CHECK_EQ(errno, EAGAIN);
    CHECK_EQ(xenevtchn_unmask(xce, 12), 0);
    CHECK_EQ(xenevtchn_unmask(xce, 3), 0);
    CHECK_EQ(fake.nr_unmasked, 2);
    CHECK_EQ(fake.unmasked[0], 12);
    CHECK_EQ(fake.unmasked[1], 3);
    xenevtchn_close(xce);
    fake.open_errno = EACCES;
    CHECK(!xenevtchn_open(NULL, 0));
    CHECK_EQ(errno, EACCES);
    CHECK_EQ(fake.open_fds, 0);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "evtchn_binds", test_binds },
        { "evtchn_pending_unmask", test_pending_unmask },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
