/*
 * el2.S - entry and the one exception vector of the stage-2 QEMU
 * cross-check program (xcheck.c): QEMU's -kernel enters at EL2 with the
 * MMU off; the vector takes EL1's synchronous exceptions with every
 * general register saved, so xcheck_trap() can resume EL1 where it wants.
 * A test program only: it touches no Wren code.
 */
    .section .text.boot
    .global _start
_start:
    ldr     x0, =xcheck_stack_top
    mov     sp, x0
    bl      xcheck_main
1:  wfi
    b       1b

/* VBAR_EL2: only "lower EL, AArch64, synchronous" (offset 0x400) is
 * expected; anything else spins. */
    .balign 2048
    .global xcheck_vectors
xcheck_vectors:
    .rept   8
    b       .
    .balign 128
    .endr
    b       lower_sync
    .balign 128
    .rept   7
    b       .
    .balign 128
    .endr

lower_sync:
    sub     sp, sp, #256
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
    mov     x0, sp
    bl      xcheck_trap
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    add     sp, sp, #256
    eret
