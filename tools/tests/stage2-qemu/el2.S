/*
 * el2.S - entry and the one exception vector of the stage-2 QEMU
 * cross-check program (xcheck.c): QEMU's -kernel enters at EL2 with the
 * MMU off; the vector takes EL1's synchronous exceptions with every
 * general register saved, so xcheck_trap() can resume EL1 where it wants.
 * A test program only: it touches no Wren code.
 */
#include <wren/arm64-frame.h>
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
    frame_save_x2_x29
    str     x30, [sp, #240]
    mov     x0, sp
    bl      xcheck_trap
    ldp     x0, x1, [sp, #0]
    frame_load_x2_x29
    ldr     x30, [sp, #240]
    add     sp, sp, #256
    eret
