/*
 * entry.S - interrupt and exception entry for the hypervisor itself.
 * Every vector has a stub that makes the frame uniform (a zero error code
 * where the CPU pushes none), saves the registers into a struct
 * cpu_user_regs and calls do_trap(). Guest events never arrive here
 * directly: they come back as VM exits.
 */
        .text
        .code64

.macro SAVE_ALL
        push    %rax
        push    %rbx
        push    %rcx
        push    %rdx
        push    %rsi
        push    %rdi
        push    %rbp
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %r12
        push    %r13
        push    %r14
        push    %r15
.endm

.macro RESTORE_ALL
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rbp
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %rcx
        pop     %rbx
        pop     %rax
.endm

common_trap:
        SAVE_ALL
        cld
        mov     %rsp, %rdi
        call    do_trap
        RESTORE_ALL
        add     $16, %rsp           /* vector and error code */
        iretq

/*
 * One 16-byte stub per vector, so vector v's stub is at trap_stubs + 16 * v.
 * Vectors whose exceptions push an error code: 8 10-14 17 21 29 30.
 */
        .align 16
        .globl trap_stubs
trap_stubs:
        .set vec, 0
        .rept 256
        .align 16
        .if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
        .else
        pushq   $0
        .endif
        pushq   $vec
        jmp     common_trap
        .set vec, vec + 1
        .endr
