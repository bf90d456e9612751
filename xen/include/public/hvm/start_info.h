/* SPDX-License-Identifier: MIT */
/*
 * hvm/start_info.h - what a PVH kernel finds in EBX at its entry point.
 *
 * The domain builder enters XEN_ELFNOTE_PHYS32_ENTRY in 32-bit protected
 * mode, paging off, CS/DS/ES/SS flat 4 GiB (CS execute/read, the rest
 * read/write), TR a valid 32-bit TSS of size 0x67, all other registers
 * undefined except EBX = guest-physical address of struct hvm_start_info.
 * All addresses below are guest-physical. Version 1 added the memory map;
 * a version 0 structure ends at memmap_paddr. Layout follows Xen's public
 * ABI (arch-x86/hvm/start_info.h).
 */
#ifndef WREN_PUBLIC_HVM_START_INFO_H
#define WREN_PUBLIC_HVM_START_INFO_H

#include <stdint.h>
#include <stddef.h>

#ifndef XEN_ABI_ASSERT
#ifdef __cplusplus
#define XEN_ABI_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define XEN_ABI_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
#endif

/* "xEn3" with bit 7 of 'E' set, read as a little-endian uint32. */
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578U

struct hvm_start_info
{
    uint32_t magic;   /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version; /* 0 or 1 */
    uint32_t flags;   /* SIF_* (xen.h) */
    uint32_t nr_modules;
    uint64_t modlist_paddr; /* struct hvm_modlist_entry[nr_modules] */
    uint64_t cmdline_paddr; /* NUL-terminated ASCII; 0 if none */
    uint64_t rsdp_paddr;    /* ACPI RSDP; 0 if none */
    /* version >= 1 */
    uint64_t memmap_paddr;   /* struct hvm_memmap_table_entry[] */
    uint32_t memmap_entries; /* 0: no map given */
    uint32_t reserved;       /* must be 0 */
};
XEN_ABI_ASSERT(sizeof(struct hvm_start_info) == 56, "hvm_start_info size");
XEN_ABI_ASSERT(offsetof(struct hvm_start_info, memmap_paddr) == 40,
               "hvm_start_info v0 ends at memmap_paddr");

struct hvm_modlist_entry
{
    uint64_t paddr;         /* module start */
    uint64_t size;          /* bytes */
    uint64_t cmdline_paddr; /* module's command line; 0 if none */
    uint64_t reserved;
};
XEN_ABI_ASSERT(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry");

struct hvm_memmap_table_entry
{
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* XEN_HVM_MEMMAP_TYPE_* */
    uint32_t reserved;
};
XEN_ABI_ASSERT(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry");

/* Same values as the E820 / ACPI address range types. */
#define XEN_HVM_MEMMAP_TYPE_RAM      1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2
#define XEN_HVM_MEMMAP_TYPE_ACPI     3
#define XEN_HVM_MEMMAP_TYPE_NVS      4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE 5
#define XEN_HVM_MEMMAP_TYPE_DISABLED 6
#define XEN_HVM_MEMMAP_TYPE_PMEM     7

#endif /* WREN_PUBLIC_HVM_START_INFO_H */
