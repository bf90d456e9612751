/*
 * entry.S - the EL2 exception vector table (VBAR_EL2): every entry saves
 * the whole register file as a struct cpu_user_regs (asm/traps.h) and
 * calls do_trap (traps.c), which never returns: the hypervisor takes no
 * exception on purpose, except an IRQ at EL2 (the timer, a kick SGI),
 * which saves the caller-saved registers, calls gic_handle_irq (gic.c)
 * and returns where it struck. The eight lower-EL entries are guest exits: they
 * keep x0/x1 on the stack and go to guest_exit (guest_entry.S), which
 * returns from guest_run.
 */
#include <asm/boot.h>
#include <wren/arm64-frame.h>

/* clang-format off */
#define FRAME_SIZE   304        /* CPU_USER_REGS_SIZE */
#define FRAME_SP     248
#define FRAME_ELR    256
#define FRAME_ESR    272
#define FRAME_KIND   288

/* One 128-byte slot: make room, keep x0/x1, say which slot, go on. */
.macro vector kind
        .balign 0x80
        sub     sp, sp, #FRAME_SIZE
        stp     x0, x1, [sp, #0]
        mov     x1, #\kind
        b       trap_save
.endm

/* An IRQ at EL2: handled and returned from. */
.macro irq_vector
        .balign 0x80
        sub     sp, sp, #FRAME_SIZE
        stp     x0, x1, [sp, #0]
        b       irq_save
.endm

/* A guest exit: guest_exit stores the guest's registers. */
.macro guest_vector kind
        .balign 0x80
        stp     x0, x1, [sp, #-16]!
        mov     x1, #\kind
        b       guest_exit
.endm

        .text
        .balign 0x800
        .global el2_vectors
el2_vectors:
        vector  0               /* current EL, SP_EL0: synchronous */
        vector  1               /* IRQ */
        vector  2               /* FIQ */
        vector  3               /* SError */
        vector  4               /* current EL, SP_EL2: synchronous */
        irq_vector              /* IRQ at EL2 with SP_EL2: taken, returned from */
        vector  6
        vector  7
        guest_vector 8               /* lower EL, AArch64 */
        guest_vector 9
        guest_vector 10
        guest_vector 11
        guest_vector 12              /* lower EL, AArch32 */
        guest_vector 13
        guest_vector 14
        guest_vector 15

trap_save:
        frame_save_x2_x29
        add     x2, sp, #FRAME_SIZE
        stp     x30, x2, [sp, #240]
        mrs     x2, elr_el2
        mrs     x3, spsr_el2
        stp     x2, x3, [sp, #FRAME_ELR]
        mrs     x2, esr_el2
        mrs     x3, far_el2
        stp     x2, x3, [sp, #FRAME_ESR]
        stp     x1, xzr, [sp, #FRAME_KIND]
        mov     x0, sp
        bl      do_trap
1:      wfe
        b       1b
/* The caller-saved registers (the C code keeps x19-x29), ELR and SPSR;
 * IRQs stay masked until the ERET. */
irq_save:
        frame_save_caller
        str     x30, [sp, #240]
        mrs     x2, elr_el2
        mrs     x3, spsr_el2
        stp     x2, x3, [sp, #FRAME_ELR]
        bl      gic_handle_irq
        ldp     x2, x3, [sp, #FRAME_ELR]
        msr     elr_el2, x2
        msr     spsr_el2, x3
        ldr     x30, [sp, #240]
        frame_load_caller
        ldp     x0, x1, [sp, #0]
        add     sp, sp, #FRAME_SIZE
        eret
/* clang-format on */
