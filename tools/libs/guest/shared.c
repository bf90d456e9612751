/*
 * shared.c - the parts of lib/ the domain builder shares with the
 * hypervisor's boot-module builder: the ELF parser (lib/elf.c) and the
 * PVH ACPI tables (lib/pvh_acpi.c), compiled into libxenguest here so
 * that every build of the toolstack (dom0, the host tests, the fuzzers)
 * gets them with no rule of its own.
 *
 * Nothing else from lib/ comes in: its string and format functions would
 * clash with the C library's.
 */
#include "../../../lib/elf.c"
#include "../../../lib/pvh_acpi.c"
