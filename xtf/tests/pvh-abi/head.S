/*
 * head.S - entry of the standalone pvh-abi kernel (no XTF runtime).
 *
 * Records the machine state exactly as the domain builder left it, before
 * changing any of it, then calls pvh_main() in 32-bit protected mode with
 * paging still off. The only state we must create is a stack: ESP is
 * undefined at entry. Loading ESP changes no flag, so EFLAGS is captured
 * after that and before CLI/CLD.
 */
#include <public/elfnote.h>

        .section .note.Xen, "a", @note
        .balign 4
        .long   4                       /* namesz: "Xen" + NUL */
        .long   4                       /* descsz */
        .long   XEN_ELFNOTE_PHYS32_ENTRY
        .asciz  "Xen"
        .balign 4
        .long   pvh_entry
        .balign 4

        .text
        .code32
        .global pvh_entry
pvh_entry:
        mov     %ebx, entry_ebx
        mov     $stack_top, %esp
        pushfl
        popl    entry_eflags
        cli
        cld
        mov     %cr0, %eax
        mov     %eax, entry_cr0
        mov     %cr4, %eax
        mov     %eax, entry_cr4

        /* SS and DS must both be flat: a push must be visible through DS. */
        mov     %esp, %eax
        pushl   $0x5a17a5e5
        cmpl    $0x5a17a5e5, -4(%eax)
        sete    entry_ss_ds_agree
        addl    $4, %esp

        call    pvh_main
1:      cli
        hlt
        jmp     1b

        .global entry_ebx, entry_eflags, entry_cr0, entry_cr4
        .global entry_ss_ds_agree
        .data
        .balign 4
entry_ebx:              .long 0
entry_eflags:           .long 0
entry_cr0:              .long 0
entry_cr4:              .long 0
entry_ss_ds_agree:      .byte 0

        .bss
        .balign 16
        .skip   8192
stack_top:

/* Filled by the hypervisor once its address is written to the MSR. */
        .section .text.hypercall_page, "ax", @progbits
        .balign 4096
        .global hypercall_page
hypercall_page:
        .fill   4096, 1, 0xcc

        .section .note.GNU-stack, "", @progbits
