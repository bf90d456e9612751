/*
 * arm64/task_switch.S - rt_task_switch(save, next): the stack switch
 * under dom0's cooperative tasks (task.c). It keeps what AAPCS64 says a
 * callee keeps (x19-x29, the return address x30, d8-d15 and FPCR) on the
 * old stack, stores SP in *save, loads next and returns on the other
 * stack the same way. The frame is arch.c's rt_arch_task_sp's.
 *
 * May not touch: anything but the two stacks.
 */
        .text
        .global rt_task_switch
rt_task_switch:
        sub     sp, sp, #176
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mrs     x2, fpcr
        str     x2, [sp, #160]
        mov     x2, sp
        str     x2, [x0]
        mov     sp, x1
        ldr     x2, [sp, #160]
        msr     fpcr, x2
        ldp     d14, d15, [sp, #144]
        ldp     d12, d13, [sp, #128]
        ldp     d10, d11, [sp, #112]
        ldp     d8, d9, [sp, #96]
        ldp     x29, x30, [sp, #80]
        ldp     x27, x28, [sp, #64]
        ldp     x25, x26, [sp, #48]
        ldp     x23, x24, [sp, #32]
        ldp     x21, x22, [sp, #16]
        ldp     x19, x20, [sp, #0]
        add     sp, sp, #176
        ret

        .section .note.GNU-stack, "", %progbits
