/*
 * boot.h - constants shared by the boot assembly and C: loader magics,
 * early page-table bits, the boot GDT selectors, stack geometry.
 */
#ifndef ASM_BOOT_H
#define ASM_BOOT_H

#define MB1_MAGIC      0x1BADB002
#define MB1_FLAGS      0x00010003 /* page-align modules, mem info, address fields */
#define MB1_BOOT_MAGIC 0x2BADB002
#define MB2_MAGIC      0xE85250D6
#define MB2_BOOT_MAGIC 0x36D76289

#define PTE_TABLE    0x003 /* present | writable */
#define PTE_LARGE    0x083 /* present | writable | 2 MiB page */
#define PTE_UNCACHED 0x018 /* PWT | PCD */

#define BOOT_CS64 0x08
#define BOOT_DS   0x10
#define BOOT_CS32 0x18

#define CR0_PE       0x00000001
#define CR0_NE       0x00000020
#define CR0_WP       0x00010000
#define CR0_PG       0x80000000
#define CR4_PAE      0x00000020
#define MSR_EFER_NUM 0xC0000080
#define EFER_LME_BIT 0x00000100
#define EFER_NXE_BIT 0x00000800

#define STACK_SIZE    0x4000 /* per-CPU stack, naturally aligned */
#define CPU_INFO_SIZE 64     /* struct cpu_info at the stack's top */

#define TRAMPOLINE_BASE 0x8000 /* where the AP start-up code is copied */
#define NR_CPUS_ASM     8      /* keep equal to NR_CPUS in xen/smp.h */

#endif /* ASM_BOOT_H */

#ifdef __ASSEMBLY__
/* clang-format off */
/*
 * Turn on long mode from 32-bit protected mode with the boot page tables.
 * Used by the boot CPU and by the AP trampoline (which has no usable stack
 * while several APs may run it, hence a macro rather than a call).
 */
.macro ENTER_LONG_MODE
        mov     %cr4, %eax
        or      $CR4_PAE, %eax
        mov     %eax, %cr4
        mov     $boot_pml4, %eax
        mov     %eax, %cr3
        mov     $MSR_EFER_NUM, %ecx
        rdmsr
        or      $(EFER_LME_BIT | EFER_NXE_BIT), %eax
        wrmsr
        mov     %cr0, %eax
        or      $(CR0_PG | CR0_PE | CR0_WP | CR0_NE), %eax
        mov     %eax, %cr0
.endm
/* clang-format on */
#endif
