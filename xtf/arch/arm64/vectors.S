/*
 * vectors.S - VBAR_EL1 of the AArch64 XTF kernel: no exception is
 * expected, so every one of the 16 entries saves x0..x30 and calls
 * xtf_exception_entry (setup.c), which reports FAILURE with ESR_EL1,
 * ELR_EL1 and FAR_EL1 and does not return, unless a test's
 * xtf_exception_hook takes the exception (the registers are then put
 * back and it returns to ELR_EL1); except an IRQ at EL1 (SP_EL1),
 * which calls xtf_irq_entry (gic.c) with the caller-saved registers
 * kept and returns. Touches only the stack.
 */
#include <wren/arm64-frame.h>
/* clang-format off */
.macro vector kind
        .balign 0x80
        sub     sp, sp, #256
        stp     x0, x1, [sp, #0]
        mov     x0, #\kind
        b       exc_save
.endm

        .text
        .balign 0x800
        .global xtf_vectors
xtf_vectors:
        vector 0
        vector 1
        vector 2
        vector 3
        vector 4
        .balign 0x80            /* 5: IRQ, current EL with SP_ELx */
        sub     sp, sp, #256
        stp     x0, x1, [sp, #0]
        b       irq_save
        vector 6
        vector 7
        vector 8
        vector 9
        vector 10
        vector 11
        vector 12
        vector 13
        vector 14
        vector 15

exc_save:
        frame_save_x2_x29
        str     x30, [sp, #240]
        mov     x1, sp
        bl      xtf_exception_entry     /* returns only if the test's hook took it */
        ldr     x30, [sp, #240]
        frame_load_x2_x29
        ldp     x0, x1, [sp, #0]
        add     sp, sp, #256
        eret
irq_save:
        frame_save_caller
        str     x30, [sp, #240]
        mrs     x0, elr_el1
        mrs     x1, spsr_el1
        stp     x0, x1, [sp, #160]
        bl      xtf_irq_entry
        ldp     x0, x1, [sp, #160]
        msr     elr_el1, x0
        msr     spsr_el1, x1
        ldr     x30, [sp, #240]
        frame_load_caller
        ldp     x0, x1, [sp, #0]
        add     sp, sp, #256
        eret
/* clang-format on */
