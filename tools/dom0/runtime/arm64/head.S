/*
 * arm64/head.S - dom0's way in on arm64: the hypervisor enters
 * dom0_entry at EL1h with interrupts masked and its MMU off (x1 = the
 * command line's IPA in the last page of RAM, x3/x4 = the ramdisk's IPA
 * and size, 0 when there is none: arch/arm64/domain_build.c). We mask
 * everything, let FP/SIMD run at EL1 (musl uses it), clear .bss, take the
 * boot stack, turn the MMU on over an identity map (mmu.c) and call
 * rt_arm64_start, which never returns. Also rt_enter_libc.
 *
 * May not touch: memory beyond .bss before the MMU is on; every policy is
 * C's.
 */
#define BOOT_STACK 0x4000
#define CPACR_FPEN (3 << 20) /* FP/SIMD at EL1 and EL0 untrapped */

        .section .text.entry, "ax", %progbits
        .global dom0_entry
dom0_entry:
        msr     daifset, #0xf
        mov     x19, x1
        mov     x20, x3
        mov     x21, x4
        mov     x0, #CPACR_FPEN
        msr     cpacr_el1, x0
        isb
        adrp    x0, __bss_start
        add     x0, x0, :lo12:__bss_start
        adrp    x1, __bss_end
        add     x1, x1, :lo12:__bss_end
1:      cmp     x0, x1
        b.hs    2f
        stp     xzr, xzr, [x0], #16
        b       1b
2:      adrp    x0, rt_boot_stack
        add     x0, x0, :lo12:rt_boot_stack
        add     sp, x0, #BOOT_STACK
        mov     x29, #0
        bl      rt_arm64_mmu_on
        mov     x0, x19
        mov     x1, x20
        mov     x2, x21
        bl      rt_arm64_start
3:      wfi
        b       3b

/*
 * rt_enter_libc(sp, entry): switch to the process stack (argc at sp) and
 * jump to musl's _start, as the kernel's execve would.
 */
        .text
        .global rt_enter_libc
rt_enter_libc:
        mov     sp, x0
        mov     x29, #0
        mov     x30, #0
        br      x1

        .bss
        .balign 16
        .global rt_boot_stack
rt_boot_stack:  .skip BOOT_STACK

        .section .note.GNU-stack, "", %progbits
