/*
 * task_switch.S - rt_task_switch(save, next): the stack switch under
 * dom0's cooperative tasks (task.c). It keeps what the System V ABI
 * says a callee keeps (RBX, RBP, R12-R15, the x87 control word and
 * MXCSR's control bits) on the old stack, stores RSP in *save, loads
 * next and returns on the other stack the same way.
 *
 * May not touch: anything but the two stacks.
 */
        .text
        .code64
        .global rt_task_switch
rt_task_switch:
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        sub     $16, %rsp
        stmxcsr 8(%rsp)
        fnstcw  (%rsp)
        mov     %rsp, (%rdi)
        mov     %rsi, %rsp
        ldmxcsr 8(%rsp)
        fldcw   (%rsp)
        add     $16, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret

        .section .note.GNU-stack, "", @progbits
