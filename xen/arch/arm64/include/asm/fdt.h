/*
 * fdt.h - what the arm64 boot learns from the device tree (fdt.c) and
 * hands to setup.c: memory, the command line, the console UART, the
 * GICv3, how to call PSCI, the CPUs and the boot modules. Plain data:
 * fdt.c fills it, nothing else writes it. Includes nothing of the
 * architecture, so the host tests build fdt.c too (tools/tests/test-fdt.c).
 */
#ifndef ASM_FDT_H
#define ASM_FDT_H

#include <xen/types.h>

#define DT_MAX_MEMORY  8
#define DT_MAX_MODULES 64
#define DT_MAX_CPUS    8 /* NR_CPUS (smpboot.c checks) */

enum psci_conduit
{
    PSCI_NONE, /* no PSCI 0.2+ node: one CPU, no power-off */
    PSCI_SMC,
    PSCI_HVC,
};

struct dt_range
{
    paddr_t start;
    uint64_t size;
};

/* A `multiboot,module` node under /chosen, as Xen on Arm reads them. */
struct dt_module
{
    paddr_t start;
    uint64_t size;
    const char *cmdline; /* its bootargs, or "" */
    const char *kind;    /* "kernel", "ramdisk" or "module" (compatible) */
};

struct arm64_boot_info
{
    const void *fdt;
    uint32_t fdt_size;
    const char *cmdline; /* /chosen xen,xen-bootargs, else bootargs, else "" */
    struct dt_range memory[DT_MAX_MEMORY];
    unsigned int nr_memory, dropped_memory;
    paddr_t uart;           /* the first enabled arm,pl011; 0: none */
    paddr_t rtc;            /* the first enabled arm,pl031; 0: none */
    struct dt_range gicd;   /* arm,gic-v3: distributor */
    struct dt_range gicr;   /* and the redistributors */
    enum psci_conduit psci; /* /psci's method */
    uint64_t cpu_mpidr[DT_MAX_CPUS];
    unsigned int nr_cpus, dropped_cpus;
    struct dt_module modules[DT_MAX_MODULES];
    unsigned int nr_modules, dropped_modules;
};

/* Read the flattened device tree at fdt into *bi. 0, or -EINVAL if fdt
 * is no device tree this parser understands (magic, version) or one that
 * does not hold together (a token, a name or a property past its block).
 * Runs with the MMU off: touches only the tree and *bi. */
int fdt_parse(const void *fdt, struct arm64_boot_info *bi);

#endif /* ASM_FDT_H */
