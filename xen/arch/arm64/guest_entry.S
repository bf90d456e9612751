/*
 * guest_entry.S - the world switch to an EL1 guest and back. guest_run
 * loads a vCPU's general registers, PC and PSTATE and ERETs; the lower-EL
 * vectors (entry.S sends them here) store them back with the exit's
 * ESR_EL2, FAR_EL2 and HPFAR_EL2 and return from guest_run with the
 * vector's number. The EL1 system registers and stage 2 are guest.c's;
 * this file touches only the registers named above and the stack.
 */
#include <asm/boot.h>

/* clang-format off */
#define GR_PC     248     /* struct guest_regs (asm/vcpu_arch.h) */
#define GR_ESR    264
#define GR_HPFAR  280
#define RUN_FRAME 112     /* x19-x30, the regs pointer, padding */
#define RUN_REGS  96

        .text
/* unsigned long guest_run(struct guest_regs *r): x0 = r. */
        .global guest_run
guest_run:
        sub     sp, sp, #RUN_FRAME
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        str     x0, [sp, #RUN_REGS]
        ldp     x1, x2, [x0, #GR_PC]
        msr     elr_el2, x1
        msr     spsr_el2, x2
        ldp     x2, x3, [x0, #16]
        ldp     x4, x5, [x0, #32]
        ldp     x6, x7, [x0, #48]
        ldp     x8, x9, [x0, #64]
        ldp     x10, x11, [x0, #80]
        ldp     x12, x13, [x0, #96]
        ldp     x14, x15, [x0, #112]
        ldp     x16, x17, [x0, #128]
        ldp     x18, x19, [x0, #144]
        ldp     x20, x21, [x0, #160]
        ldp     x22, x23, [x0, #176]
        ldp     x24, x25, [x0, #192]
        ldp     x26, x27, [x0, #208]
        ldp     x28, x29, [x0, #224]
        ldr     x30, [x0, #240]
        ldp     x0, x1, [x0, #0]
        eret
        dsb     nsh             /* no speculation past the ERET */
        isb

/* A lower-EL exception: SP_EL2 is guest_run's frame, as ERET left it. */
        .global guest_exit
guest_exit:
        /* x0, x1 of the guest are at [sp]; x1 holds the vector number */
        ldr     x0, [sp, #16 + RUN_REGS]
        stp     x2, x3, [x0, #16]
        stp     x4, x5, [x0, #32]
        stp     x6, x7, [x0, #48]
        stp     x8, x9, [x0, #64]
        stp     x10, x11, [x0, #80]
        stp     x12, x13, [x0, #96]
        stp     x14, x15, [x0, #112]
        stp     x16, x17, [x0, #128]
        stp     x18, x19, [x0, #144]
        stp     x20, x21, [x0, #160]
        stp     x22, x23, [x0, #176]
        stp     x24, x25, [x0, #192]
        stp     x26, x27, [x0, #208]
        stp     x28, x29, [x0, #224]
        str     x30, [x0, #240]
        mov     x2, x1
        ldp     x3, x4, [sp], #16
        stp     x3, x4, [x0, #0]
        mrs     x3, elr_el2
        mrs     x4, spsr_el2
        stp     x3, x4, [x0, #GR_PC]
        mrs     x3, esr_el2
        mrs     x4, far_el2
        stp     x3, x4, [x0, #GR_ESR]
        mrs     x3, hpfar_el2
        str     x3, [x0, #GR_HPFAR]
        mov     x0, x2
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        add     sp, sp, #RUN_FRAME
        ret
/* clang-format on */
