/*
 * trampoline.S - where application processors start.
 *
 * A start-up IPI begins an AP in real mode at TRAMPOLINE_BASE (the boot
 * CPU copies this blob there first). It switches to protected mode with a
 * GDT it can reach, turns on long mode with the boot page tables, jumps
 * into the image, takes a CPU number and a stack, and calls
 * start_secondary(cpu). Several APs may run it at once, so nothing here
 * uses a stack before the CPU number is taken.
 */
#include <asm/boot.h>

#define TRAMP(x) (TRAMPOLINE_BASE + (x) - trampoline_start)

        .section .data.trampoline, "aw"
        .code16
        .globl trampoline_start
trampoline_start:
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        lgdtl   (tramp_gdt_desc - trampoline_start)
        mov     %cr0, %eax
        or      $CR0_PE, %eax
        mov     %eax, %cr0
        ljmpl   $BOOT_CS32, $TRAMP(tramp32)

        .code32
tramp32:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        ENTER_LONG_MODE
        ljmp    $BOOT_CS64, $ap_start64

        .align 8
tramp_gdt_desc:
        .short 0x1f
        .long boot_gdt
        .globl trampoline_end
trampoline_end:

        .text
        .code64
ap_start64:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        mov     $1, %eax
        lock xadd %eax, ap_next_cpu(%rip)   /* eax = this CPU's number */
        cmp     $NR_CPUS_ASM, %eax
        jae     2f
        mov     %eax, %edi
        lea     1(%rax), %rdx
        shl     $14, %rdx                   /* (cpu + 1) * STACK_SIZE */
        lea     cpu_stacks(%rip), %rsp
        add     %rdx, %rsp
        sub     $CPU_INFO_SIZE, %rsp
        call    start_secondary
2:      cli
        hlt
        jmp     2b

        .data
        .align 4
        .globl ap_next_cpu
ap_next_cpu:
        .long 1
