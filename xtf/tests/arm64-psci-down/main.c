/*
 * arm64-psci-down - helper domU of arm64-psci-system: ends itself with
 * PSCI SYSTEM_OFF, or SYSTEM_RESET when its command line says reset=1,
 * and prints no verdict. Should the call return, it shuts down with
 * SHUTDOWN_crash, which the controller reports as a failure.
 */
#include <xtf.h>
#include <xtf/fuzz.h>
#include <public/sched.h>

#define PSCI_SYSTEM_RESET 0x84000009U

const char test_title[] = "PSCI SYSTEM_OFF / SYSTEM_RESET helper";

void test_main(void)
{
    bool reset = xtf_cmdline_u64("reset", 0) != 0;
    long rc;

    printf("Calling PSCI %s\n", reset ? "SYSTEM_RESET" : "SYSTEM_OFF");
    rc = psci_call(reset ? PSCI_SYSTEM_RESET : PSCI_SYSTEM_OFF, 0, 0, 0);
    printf("PSCI call returned %ld\n", rc);
    xtf_shutdown(SHUTDOWN_crash);
}
