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
        mov     x1, sp
        bl      xtf_exception_entry     /* returns only if the test's hook took it */
        ldr     x30, [sp, #240]
        ldp     x28, x29, [sp, #224]
        ldp     x26, x27, [sp, #208]
        ldp     x24, x25, [sp, #192]
        ldp     x22, x23, [sp, #176]
        ldp     x20, x21, [sp, #160]
        ldp     x18, x19, [sp, #144]
        ldp     x16, x17, [sp, #128]
        ldp     x14, x15, [sp, #112]
        ldp     x12, x13, [sp, #96]
        ldp     x10, x11, [sp, #80]
        ldp     x8, x9, [sp, #64]
        ldp     x6, x7, [sp, #48]
        ldp     x4, x5, [sp, #32]
        ldp     x2, x3, [sp, #16]
        ldp     x0, x1, [sp, #0]
        add     sp, sp, #256
        eret
irq_save:
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x7, [sp, #48]
        stp     x8, x9, [sp, #64]
        stp     x10, x11, [sp, #80]
        stp     x12, x13, [sp, #96]
        stp     x14, x15, [sp, #112]
        stp     x16, x17, [sp, #128]
        stp     x18, x29, [sp, #144]
        str     x30, [sp, #240]
        mrs     x0, elr_el1
        mrs     x1, spsr_el1
        stp     x0, x1, [sp, #160]
        bl      xtf_irq_entry
        ldp     x0, x1, [sp, #160]
        msr     elr_el1, x0
        msr     spsr_el1, x1
        ldr     x30, [sp, #240]
        ldp     x18, x29, [sp, #144]
        ldp     x16, x17, [sp, #128]
        ldp     x14, x15, [sp, #112]
        ldp     x12, x13, [sp, #96]
        ldp     x10, x11, [sp, #80]
        ldp     x8, x9, [sp, #64]
        ldp     x6, x7, [sp, #48]
        ldp     x4, x5, [sp, #32]
        ldp     x2, x3, [sp, #16]
        ldp     x0, x1, [sp, #0]
        add     sp, sp, #256
        eret
/* clang-format on */
