/*
 * bootinfo.h - what the boot loader told us, in one loader-neutral form.
 * multiboot.c fills it from a multiboot1 or multiboot2 information block.
 */
#ifndef ASM_BOOTINFO_H
#define ASM_BOOTINFO_H

#include <xen/types.h>

#define BOOT_MAX_RANGES  128 /* memory-map entries kept; more are reported and dropped */
#define BOOT_MAX_MODULES 64  /* dom0 and up to 63 dom0less domUs; more are reported */

struct boot_range
{
    paddr_t start, end; /* [start, end) */
    uint32_t type;      /* e820 type: 1 = RAM */
};

struct boot_module
{
    paddr_t start, end;
    const char *cmdline; /* first word names the file, as GRUB/QEMU give it */
};

struct boot_info
{
    const char *loader; /* "multiboot1" or "multiboot2" */
    const char *cmdline;
    unsigned int nr_ranges, nr_modules;
    unsigned int dropped_ranges, dropped_modules; /* past the limits above */
    struct boot_range ranges[BOOT_MAX_RANGES];
    struct boot_module modules[BOOT_MAX_MODULES];
};

/* Returns 0, or -EINVAL if magic names no loader we know. */
int multiboot_parse(uint32_t magic, paddr_t info, struct boot_info *bi);

#endif /* ASM_BOOTINFO_H */
