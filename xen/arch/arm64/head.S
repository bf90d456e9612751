/*
 * head.S - where the arm64 hypervisor begins: the Image header QEMU's
 * -kernel reads, the boot CPU's entry at EL2 (x0: the device tree), the
 * secondary CPUs' entry from PSCI CPU_ON (x0: the CPU number), and
 * turning on the EL2 stage-1 MMU. Builds no page table (mm.c does) and
 * decides nothing the C code can.
 */
#include <asm/boot.h>

/* clang-format off */
        .section .text.head, "ax"
        .global _start
_start:
        b       primary_entry           /* code0 */
        .long   0                       /* code1 */
        .quad   IMAGE_TEXT_OFFSET       /* text_offset */
        .quad   __image_size            /* image_size, bss included */
        .quad   IMAGE_FLAGS
        .quad   0, 0, 0                 /* res2..res4 */
        .long   IMAGE_MAGIC
        .long   0                       /* res5: no PE header */

/*
 * Boot CPU. The protocol promises EL2 (with virtualization=on), the MMU
 * and data cache off, interrupts masked; check what can be checked. Any
 * failure before the console is known parks the CPU in a `wfe` loop
 * (x20 says which check failed, for a debugger).
 */
primary_entry:
        msr     daifset, #0xf
        mov     x19, x0                 /* device tree */
        mrs     x21, sctlr_el2          /* as the loader left it, for the report */
        mrs     x1, CurrentEL
        mov     x20, #1
        cmp     x1, #CURRENTEL_EL2
        b.ne    park
        bl      el2_reset_state
        adr     x1, _start              /* where we run ... */
        ldr     x2, =_start             /* ... and where we are linked */
        mov     x20, #2
        cmp     x1, x2
        b.ne    park
        ldr     x1, =__bss_start
        ldr     x2, =__bss_end
1:      cmp     x1, x2
        b.hs    2f
        str     xzr, [x1], #8
        b       1b
2:      ldr     x1, =cpu0_stack     /* struct cpu_info at the top, then the stack */
        ldr     x2, =(STACK_SIZE - CPU_INFO_SIZE)
        add     x1, x1, x2
        mov     sp, x1
        mov     x0, x19
        mov     x1, x21
        bl      start_xen
        b       park

/*
 * Secondary CPU, from PSCI CPU_ON with context_id = its CPU number. Its
 * stack was chosen by the boot CPU (smpboot.c: cpu_stack_top[]).
 */
        .global secondary_entry
secondary_entry:
        msr     daifset, #0xf
        mov     x19, x0
        bl      el2_reset_state
        ldr     x1, =cpu_stack_top
        ldr     x1, [x1, x19, lsl #3]
        mov     sp, x1
        mov     x0, x19
        bl      start_secondary
        b       park

park:
        wfe
        b       park

/* SCTLR_EL2 to its architectural minimum: MMU, caches and alignment
 * checks off, little-endian. Clobbers x1. */
el2_reset_state:
        ldr     x1, =SCTLR_EL2_RES1_ASM
        msr     sctlr_el2, x1
        isb
        ret

/*
 * void arm64_mmu_on(uint64_t ttbr, uint64_t tcr, uint64_t mair, uint64_t sctlr)
 * Called with the MMU off on a CPU whose tables map the code it runs on
 * at the same address (an identity map), so the next fetch after the
 * SCTLR write is found through the new tables.
 */
        .global arm64_mmu_on
arm64_mmu_on:
        msr     mair_el2, x2
        msr     tcr_el2, x1
        msr     ttbr0_el2, x0
        isb
        tlbi    alle2
        dsb     nsh
        ic      iallu
        dsb     nsh
        isb
        msr     sctlr_el2, x3
        isb
        ret

/* Secure Monitor / Hypervisor Call with PSCI's register convention:
 * function in x0, arguments in x1-x3, result in x0. */
        .global arm64_smc_call
arm64_smc_call:
        smc     #0
        ret

        .global arm64_hvc_call
arm64_hvc_call:
        hvc     #0
        ret

        .ltorg
/* clang-format on */
