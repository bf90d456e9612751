/*
 * entry.S - exception entry stubs and the hypercall page.
 *
 * Each of the 32 exception vectors gets a stub that makes the frame
 * uniform (pushes a zero error code when the CPU does not), pushes the
 * vector number and joins exc_common, which saves the general registers
 * as a struct cpu_regs (include/xtf/traps.h) and calls do_exception().
 * do_exception() may rewrite RIP and RAX in the frame (the fixup path),
 * so they are restored from it before IRETQ.
 *
 * Vectors 32-255 (interrupts) get a 16-byte stub each, at irq_stubs +
 * (vector - 32) * 16, which takes the same path; do_exception() hands
 * them to the handler a test installed (xtf_set_vector_handler).
 */

        .text
        .code64

.macro EXC_STUB vec, has_ec
        .balign 16
exc_stub_\vec:
        .if \has_ec == 0
        pushq   $0
        .endif
        pushq   $\vec
        jmp     exc_common
.endm

/* Vectors for which the CPU pushes an error code. */
.irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
        EXC_STUB \v, 0
.endr
.irp v, 8,10,11,12,13,14,17,21,29,30
        EXC_STUB \v, 1
.endr

        .balign 16
        .global irq_stubs
irq_stubs:
        .set    vec, 32
        .rept   224
        .balign 16
        pushq   $0
        pushq   $vec
        jmp     exc_common
        .set    vec, vec + 1
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
        cld
        call    do_exception
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
        add     $16, %rsp               /* vector and error code */
        iretq

        .section .rodata
        .balign 8
        .global exc_stubs
exc_stubs:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad   exc_stub_\v
.endr

/*
 * The hypervisor overwrites this page when its address is written to the
 * hypercall MSR. Until then every byte is INT3, so calling a hypercall
 * too early shows up as a #BP register dump instead of running garbage.
 */
        .section .text.hypercall_page, "ax", @progbits
        .balign 4096
        .global hypercall_page
hypercall_page:
        .fill   4096, 1, 0xcc

        .section .note.GNU-stack, "", @progbits
