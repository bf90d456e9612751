/*
 * shutdown-reboot - helper domU for the "shutdown" test.
 *
 * Shuts itself down with SCHEDOP_shutdown(SHUTDOWN_reboot) and prints no
 * verdict: the dom0 controller judges by the reason it sees. If the
 * hypercall returns, the runtime says so and halts, and the controller
 * reports the domain as never having shut down.
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "shutdown helper: reboot";

void test_main(void)
{
    printf("Shutting down with SHUTDOWN_reboot\n");
    xtf_shutdown(SHUTDOWN_reboot);
}
