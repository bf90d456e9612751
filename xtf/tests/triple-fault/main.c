/*
 * triple-fault - a guest that triple-faults takes down itself, not the
 * hypervisor.
 *
 * domU 1. Loads an empty IDT (limit 0) and executes UD2: #UD cannot be
 * delivered (#GP), nor can that (#DF), nor that: a triple fault. On bare
 * metal this resets the machine; under a hypervisor it must end only this
 * domain, as a crash. The "expect-crash" dom0 checks getdomaininfo shows
 * SHUTDOWN_crash and that dom0 itself is unharmed; this domain prints no
 * verdict. (Xen's own default for HVM guests is SHUTDOWN_reboot, chosen by
 * HVM_PARAM_TRIPLE_FAULT_REASON; Wren's test asks for crash.)
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "triple fault";

void test_main(void)
{
    struct __packed
    {
        uint16_t limit;
        uint64_t base;
    } empty = { 0, 0 };

    printf("Loading an empty IDT and executing UD2\n");
    __asm__ volatile("lidt %0; ud2" ::"m"(empty) : "memory");

    traps_load();
    printf("Still running after a triple fault\n");
    xtf_shutdown(SHUTDOWN_poweroff);
}
