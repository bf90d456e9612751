/*
 * hello - the domU of the demo: says hello and powers off.
 *
 * Its words go through the PV console ring when the builder gave it one
 * (the hypervisor prefixes them with "(d1) "), so the demo shows a domU
 * talking the way a real Xen guest does. Prints no verdict: the demo's
 * dom0 checks that it powered off.
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "hello domU";

void test_main(void)
{
    printf("Hello from domain %u, speaking through the %s.\n", xtf_domid, console_kind_name());
    if ( console_kind() != XTF_CONSOLE_RING )
        printf("(no PV console ring was set up for me)\n");
    printf("Goodbye.\n");
    xtf_shutdown(SHUTDOWN_poweroff);
}
