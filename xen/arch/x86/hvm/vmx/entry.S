/*
 * entry.S - the world switch into a VMX guest and back.
 *
 *   int vmx_enter(struct guest_regs *regs, bool launched)
 *
 * Called with interrupts off and the vCPU's VMCS current. Saves the
 * callee-saved registers and the regs pointer on this stack, points the
 * VMCS host RSP at them (the stack differs per CPU, so it is written on
 * every entry), loads the guest GPRs and does VMLAUNCH or VMRESUME. A VM
 * exit arrives at vmx_exit_stub (the VMCS host RIP) with that RSP; the
 * guest GPRs go back into *regs and vmx_enter returns VMX_ENTER_EXITED.
 * If the instruction itself fails, it returns VMX_ENTER_FAIL_VALID or
 * VMX_ENTER_FAIL_INVALID and the guest registers are simply dropped.
 * Guest RSP, RIP and RFLAGS live in the VMCS, not here.
 */
#include <asm/vmx.h>
#include "vmx_priv.h"

        .text
        .code64

        .globl vmx_enter
vmx_enter:
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        push    %rdi                    /* found at (%rsp) after the exit */

        mov     $VMCS_HOST_RSP, %eax
        vmwrite %rsp, %rax

        test    %esi, %esi              /* flags survive the movs below */
        mov     GREG_RAX(%rdi), %rax
        mov     GREG_RBX(%rdi), %rbx
        mov     GREG_RCX(%rdi), %rcx
        mov     GREG_RDX(%rdi), %rdx
        mov     GREG_RSI(%rdi), %rsi
        mov     GREG_RBP(%rdi), %rbp
        mov     GREG_R8(%rdi), %r8
        mov     GREG_R9(%rdi), %r9
        mov     GREG_R10(%rdi), %r10
        mov     GREG_R11(%rdi), %r11
        mov     GREG_R12(%rdi), %r12
        mov     GREG_R13(%rdi), %r13
        mov     GREG_R14(%rdi), %r14
        mov     GREG_R15(%rdi), %r15
        mov     GREG_RDI(%rdi), %rdi
        jnz     1f
        vmlaunch
        jmp     2f
1:      vmresume
2:      /* Still here: the entry failed. CF: no current VMCS; ZF: see the
         * VM-instruction error field. */
        mov     $VMX_ENTER_FAIL_INVALID, %eax
        jc      3f
        mov     $VMX_ENTER_FAIL_VALID, %eax
3:      add     $8, %rsp                /* the regs pointer */
        jmp     .Lreturn

        .globl vmx_exit_stub
vmx_exit_stub:
        push    %rdi                    /* guest RDI; regs pointer above it */
        mov     8(%rsp), %rdi
        mov     %rax, GREG_RAX(%rdi)
        mov     %rbx, GREG_RBX(%rdi)
        mov     %rcx, GREG_RCX(%rdi)
        mov     %rdx, GREG_RDX(%rdi)
        mov     %rsi, GREG_RSI(%rdi)
        mov     %rbp, GREG_RBP(%rdi)
        mov     %r8, GREG_R8(%rdi)
        mov     %r9, GREG_R9(%rdi)
        mov     %r10, GREG_R10(%rdi)
        mov     %r11, GREG_R11(%rdi)
        mov     %r12, GREG_R12(%rdi)
        mov     %r13, GREG_R13(%rdi)
        mov     %r14, GREG_R14(%rdi)
        mov     %r15, GREG_R15(%rdi)
        pop     %rax
        mov     %rax, GREG_RDI(%rdi)
        add     $8, %rsp                /* the regs pointer */
        xor     %eax, %eax              /* VMX_ENTER_EXITED */

.Lreturn:
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret
