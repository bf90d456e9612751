/*
 * asm/guest_dt.h - the device tree the hypervisor writes for a guest it
 * builds (guest_dt.c): what the builder tells it.
 *
 * May not touch: anything but the caller's buffer.
 */
#ifndef ASM_GUEST_DT_H
#define ASM_GUEST_DT_H

#include <xen/types.h>

/* Xen on Arm's guest-physical regions (public/arch-arm.h): 16 MiB for
 * the grant table frames (the `hypervisor` node's reg) and 16 MiB of
 * "magic" pages, the PV console ring first. */
#define GUEST_GNTTAB_BASE 0x38000000UL
#define GUEST_GNTTAB_SIZE 0x01000000UL
#define GUEST_MAGIC_BASE  0x39000000UL
#define GUEST_CONSOLE_GFN (GUEST_MAGIC_BASE >> 12)

#define GUEST_DT_MAX 0x10000UL /* bytes the builder sets aside */

struct guest_dt_info
{
    uint64_t ram_base, ram_size;
    unsigned int nr_vcpus;
    const char *bootargs;
    uint64_t initrd_start, initrd_end; /* both 0: no ramdisk */
};

/* Write the tree into buf: its size, or -ENOSPC. */
long guest_dt_build(const struct guest_dt_info *gi, void *buf, size_t cap);

#endif /* ASM_GUEST_DT_H */
