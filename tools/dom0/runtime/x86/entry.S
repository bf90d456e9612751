/*
 * entry.S - the two ways into dom0's runtime from running code.
 *
 * rt_syscall_entry (MSR_LSTAR): musl executes `syscall` in ring 0. The
 * CPU has put the return address in RCX and RFLAGS in R11 and masked IF,
 * TF, DF and AC (MSR_FMASK), but kept the stack: the caller may hold data
 * in the 128 bytes below RSP, so we step over them first. Everything but
 * RAX, RCX and R11 comes back unchanged, SSE state included (FXSAVE), as
 * Linux promises. SYSRET would drop to ring 3: we return by restoring
 * RFLAGS and jumping.
 *
 * rt_exc_stubs: one 16-byte stub per exception vector, all on IST1 (so a
 * fault never writes into a red zone or an overflowed stack); they build
 * a struct rt_excframe and call rt_exception(), which does not return.
 *
 * May not touch: anything but the stack; all decisions are C's.
 */

        .text
        .code64
        .global rt_syscall_entry
rt_syscall_entry:
        sub     $128, %rsp
        push    %rcx
        push    %r11
        push    %rbp
        mov     %rsp, %rbp
        and     $-16, %rsp
        sub     $512, %rsp
        fxsave64 (%rsp)
        sub     $8, %rsp
        push    %r9
        push    %r8
        push    %r10
        push    %rdx
        push    %rsi
        push    %rdi
        push    %rax                    /* struct rt_sysframe: nr, a[6] */
        mov     %rsp, %rdi
        call    rt_syscall
        add     $8, %rsp
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %r10
        pop     %r8
        pop     %r9
        add     $8, %rsp
        fxrstor64 (%rsp)
        mov     %rbp, %rsp
        pop     %rbp
        pop     %r11
        pop     %rcx
        push    %r11
        popfq
        lea     128(%rsp), %rsp         /* lea leaves RFLAGS alone */
        jmp     *%rcx

/* Vectors whose exception pushes an error code: 8, 10-14, 17, 21, 29, 30. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                    (v) == 21 || (v) == 29 || (v) == 30)

        .balign 16
        .global rt_exc_stubs
rt_exc_stubs:
        vec = 0
        .rept 32
        .balign 16
        .if !HAS_ERR(vec)
        pushq   $0
        .endif
        pushq   $vec
        jmp     exc_common
        vec = vec + 1
        .endr

exc_common:
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
        mov     %rsp, %rdi
        and     $-16, %rsp
        call    rt_exception
        ud2

        .section .note.GNU-stack, "", @progbits
