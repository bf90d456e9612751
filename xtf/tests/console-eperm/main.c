/*
 * console-eperm - an unprivileged domain may not use console_io.
 *
 * domU 1 (dom0 is "idle"; this domain gives the verdict). As on Xen,
 * console_io belongs to the control domain: a domU has its PV console
 * ring, and must not be able to write to (or read) the hypervisor's
 * console directly. Checks, with no "domu_console_io" option given:
 *  - CONSOLEIO_write of a valid buffer returns -EPERM, and so does a
 *    write from address 0 (the permission check comes before the
 *    arguments are looked at);
 *  - CONSOLEIO_read and an unknown command return -EPERM;
 *  - this domain's output reaches the log anyway: the runtime prints
 *    through the PV console ring, which is how the verdict line gets out.
 */
#include <xtf.h>

const char test_title[] = "console_io is refused to domUs";

static void expect_eperm(const char *what, long rc)
{
    if ( rc == -XEN_EPERM )
        printf("  %-28s -> -EPERM: ok\n", what);
    else
        xtf_failure("%s returned %ld, expected -EPERM (%d)", what, rc, -XEN_EPERM);
}

void test_main(void)
{
    static const char msg[] = "console_io from a domU: must not appear\n";
    char buf[16];

    if ( console_kind() != XTF_CONSOLE_RING )
    {
        xtf_error("no PV console ring: this domain could not report");
        return;
    }
    expect_eperm("CONSOLEIO_write", hypercall_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg));
    expect_eperm("CONSOLEIO_write from 0", hypercall_console_io(CONSOLEIO_write, 16, NULL));
    expect_eperm("CONSOLEIO_read", hypercall_console_io(CONSOLEIO_read, sizeof(buf), buf));
    expect_eperm("console_io command 99", hypercall_console_io(99, 0, NULL));
    xtf_success(NULL);
}
