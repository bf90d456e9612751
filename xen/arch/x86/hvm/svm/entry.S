/*
 * svm/entry.S - one trip into an SVM guest and back.
 *
 * svm_enter(struct guest_regs *regs, paddr_t vmcb, paddr_t host_area):
 * load the guest GPRs the VMCB does not hold (all but rax and rsp), VMLOAD
 * the guest's FS/GS/TR/LDTR/syscall MSRs, VMRUN, VMSAVE them back, VMLOAD
 * the hypervisor's own, store the guest GPRs. The caller has GIF clear
 * (CLGI) and IF set, so the interrupt that ends the guest waits for STGI.
 */
        .text
        .code64
        .globl svm_enter
svm_enter:
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        push    %rdi                    /* regs */
        push    %rdx                    /* host area */
        push    %rsi                    /* guest vmcb */

        mov     %rdi, %rax
        mov     8*1(%rax), %rbx
        mov     8*2(%rax), %rcx
        mov     8*3(%rax), %rdx
        mov     8*4(%rax), %rsi
        mov     8*6(%rax), %rbp
        mov     8*8(%rax), %r8
        mov     8*9(%rax), %r9
        mov     8*10(%rax), %r10
        mov     8*11(%rax), %r11
        mov     8*12(%rax), %r12
        mov     8*13(%rax), %r13
        mov     8*14(%rax), %r14
        mov     8*15(%rax), %r15
        mov     8*5(%rax), %rdi
        mov     (%rsp), %rax            /* guest vmcb */
        vmload  %rax
        vmrun   %rax
        vmsave  %rax

        push    %rdi                    /* guest rdi, regs pointer needs rdi */
        mov     8*3(%rsp), %rdi         /* regs */
        mov     %rbx, 8*1(%rdi)
        mov     %rcx, 8*2(%rdi)
        mov     %rdx, 8*3(%rdi)
        mov     %rsi, 8*4(%rdi)
        mov     %rbp, 8*6(%rdi)
        mov     %r8,  8*8(%rdi)
        mov     %r9,  8*9(%rdi)
        mov     %r10, 8*10(%rdi)
        mov     %r11, 8*11(%rdi)
        mov     %r12, 8*12(%rdi)
        mov     %r13, 8*13(%rdi)
        mov     %r14, 8*14(%rdi)
        mov     %r15, 8*15(%rdi)
        pop     %rax                    /* guest rdi */
        mov     %rax, 8*5(%rdi)
        mov     8*1(%rsp), %rax         /* host area */
        vmload  %rax

        add     $16, %rsp               /* vmcb, host area */
        pop     %rdi
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret
