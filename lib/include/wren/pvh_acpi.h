/*
 * wren/pvh_acpi.h - the ACPI tables of a PVH domain (lib/pvh_acpi.c) and
 * the platform facts they describe, which the emulation must agree with:
 * the APIC ID of each vCPU, the local APIC's address, and the ports of
 * the hardware-reduced sleep and reset registers (the hypervisor's
 * hvm/pm_ports.c). Both domain builders use it: the hypervisor's for
 * boot-module domains (xen/arch/x86/pvh_build.c) and the toolstack's
 * (tools/libs/guest), so every PVH domain sees the same tables.
 */
#ifndef WREN_PVH_ACPI_H
#define WREN_PVH_ACPI_H

#include <wren/types.h>

/* The tables fill one page. */
#define PVH_ACPI_SIZE 4096u

/* vCPU n has APIC ID 2n, as on Xen. */
#define PVH_ACPI_APIC_ID(vcpu) ((uint32_t)(vcpu)*2)
#define PVH_ACPI_LAPIC_ADDRESS 0xfee00000u

/* FADT sleep control: write SLP_TYP (bits 4:2) with SLP_EN (bit 5). */
#define PVH_ACPI_SLEEP_CONTROL_PORT 0xb004
#define PVH_ACPI_SLEEP_STATUS_PORT  0xb005
#define PVH_ACPI_SLP_TYP_S5         5 /* the \_S5 package's value */
#define PVH_ACPI_SLP_TYP_SHIFT      2
#define PVH_ACPI_SLP_TYP_MASK       (7u << PVH_ACPI_SLP_TYP_SHIFT)
#define PVH_ACPI_SLP_EN             (1u << 5)
/* FADT reset register: the PCI reset control port, value 6 (full reset). */
#define PVH_ACPI_RESET_PORT  0xcf9
#define PVH_ACPI_RESET_VALUE 0x06

/* Fill page (PVH_ACPI_SIZE bytes) with RSDP, XSDT, FADT, MADT (nr_vcpus
 * entries) and DSDT, addressed as if the page were at guest-physical base
 * (the RSDP is at its start). 0, or -1 if the MADT would not fit (the
 * callers turn that into their own error code). */
int pvh_acpi_fill(uint8_t *page, uint64_t base, unsigned int nr_vcpus);

#endif /* WREN_PVH_ACPI_H */
