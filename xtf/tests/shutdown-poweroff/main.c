/*
 * shutdown-poweroff - helper domU for the "shutdown" test.
 *
 * Shuts itself down with SCHEDOP_shutdown(SHUTDOWN_poweroff) and prints no
 * verdict: the dom0 controller judges by the reason it sees. If the
 * hypercall returns, the runtime says so and halts, and the controller
 * reports the domain as never having shut down.
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "shutdown helper: poweroff";

void test_main(void)
{
    printf("Shutting down with SHUTDOWN_poweroff\n");
    xtf_shutdown(SHUTDOWN_poweroff);
}
