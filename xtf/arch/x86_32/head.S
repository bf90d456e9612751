/*
 * head.S - entry of the 32-bit XTF runtime (tests whose test.cfg says
 * RUNTIME=x86_32): a PVH kernel that stays in 32-bit protected mode with
 * paging off, so every hypercall it makes uses the 32-bit convention and
 * the compat struct layouts. Sets up a stack, clears .bss and calls
 * xtf32_start() (runtime.c); touches no other machine state.
 */
#include <public/elfnote.h>

        .section .note.Xen, "a", @note
        .balign 4
        .long   4                       /* namesz: "Xen" + NUL */
        .long   4                       /* descsz */
        .long   XEN_ELFNOTE_PHYS32_ENTRY
        .asciz  "Xen"
        .balign 4
        .long   xtf32_entry
        .balign 4

        .text
        .code32
        .global xtf32_entry
xtf32_entry:
        cli
        cld
        mov     $xtf32_stack_top, %esp
        mov     %ebx, %esi              /* hvm_start_info, kept across the clear */
        mov     $__bss_start, %edi
        mov     $__bss_end, %ecx
        sub     %edi, %ecx
        xor     %eax, %eax
        rep stosb
        push    %esi
        call    xtf32_start
1:      cli
        hlt
        jmp     1b

        .bss
        .balign 16
        .skip   16384
xtf32_stack_top:

/* Filled by the hypervisor once its address is written to the MSR. */
        .section .text.hypercall_page, "ax", @progbits
        .balign 4096
        .global hypercall_page
hypercall_page:
        .fill   4096, 1, 0xcc

        .section .note.GNU-stack, "", @progbits
