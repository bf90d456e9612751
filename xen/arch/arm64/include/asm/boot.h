/*
 * boot.h - constants shared by the arm64 boot assembly and C: the Image
 * header, the per-CPU stacks, the CPU limit. Only numbers: no code, so
 * head.S can include it.
 */
#ifndef ASM_BOOT_H
#define ASM_BOOT_H

/* The arm64 Image header (Linux's boot protocol, which QEMU's -kernel
 * follows): loaded text_offset bytes above a 2 MiB-aligned base at the
 * start of RAM. QEMU virt's RAM starts at 1 GiB, so the image is linked at
 * 1 GiB + 2 MiB and checks that it runs there. */
#define IMAGE_MAGIC       0x644d5241 /* "ARM\x64", little-endian */
#define IMAGE_TEXT_OFFSET 0x200000
#define IMAGE_FLAGS       0x2 /* little-endian, 4K pages, 2 MiB-aligned base */
#define XEN_LINK_ADDRESS  0x40200000

#define STACK_SIZE    0x4000 /* per-CPU stack, naturally aligned */
#define CPU_INFO_SIZE 64     /* struct cpu_info at the stack's top */
#define NR_CPUS_ASM   8      /* NR_CPUS in xen/smp.h */

#define CURRENTEL_EL2 0x8 /* CurrentEL.EL (bits 3:2) == 2 */

/* SCTLR_EL2's RES1 bits (E2H == 0): 4, 5, 11, 16, 18, 22, 23, 28, 29.
 * Everything else 0: MMU, caches, alignment checks off, little-endian. */
#define SCTLR_EL2_RES1_ASM 0x30c50830

#endif /* ASM_BOOT_H */
