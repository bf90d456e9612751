/*
 * rtc.c - the wallclock at boot from the device tree's PL031 real-time
 * clock (arm,pl031; QEMU's virt board has one at 0x09010000 running on
 * the host's time): RTCDR, at offset 0, counts seconds since 1970. Common
 * time code reads it once (arch_wallclock_seconds) and gives guests the
 * wallclock in shared_info from there. No PL031: 0, as before.
 *
 * May not touch: the RTC's registers other than reading RTCDR.
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <asm/fdt.h>
#include <asm/arm64.h>

#define PL031_DR 0x000 /* data register: the current time in seconds */

uint64_t arch_wallclock_seconds(void)
{
    paddr_t base = arm64_boot_info.rtc;
    if ( !base )
        return 0;
    return *(const volatile uint32_t *)(uintptr_t)(base + PL031_DR);
}
