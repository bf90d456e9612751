/*
 * arm64-abort - a guest's load from an IPA with nothing behind it is a
 * stage-2 data abort at EL2 that crashes that domain only.
 *
 * domU 1 on qemu-arm64 (dom0 is expect-crash, which gives the verdict:
 * d1 must end with SHUTDOWN_crash while dom0 and the hypervisor go on).
 * It reads 4 bytes at IPA 0x10000000, below guest RAM, where no device
 * is emulated: the hypervisor decodes the abort (ISV, 4 bytes, the
 * register, read) and crashes the domain. Should the load return, the
 * hypervisor let the guest read nothing as something: FAILURE, and an
 * orderly poweroff that expect-crash also reports as a failure.
 */
#include <xtf.h>

const char test_title[] = "Data abort to an unmapped IPA";

#define HOLE_IPA 0x10000000UL

void test_main(void)
{
    uint32_t v;

    printf("Reading IPA %#lx, where nothing is mapped\n", HOLE_IPA);
    v = *(volatile uint32_t *)HOLE_IPA;
    xtf_failure("the load returned %#x instead of crashing this domain", v);
}
