/*
 * head.S - how a test kernel gets from the PVH entry to C.
 *
 * The domain builder enters xtf_entry32 (named by the XEN_ELFNOTE_PHYS32_ENTRY
 * note below) in 32-bit protected mode with paging off, flat segments and
 * EBX = guest-physical address of struct hvm_start_info. We clear .bss,
 * build identity page tables for the low 4 GiB inside .bss, turn on
 * PAE + long mode + paging, and far-jump into 64-bit code. The first
 * 2 MiB use 4 KiB pages so that page 0 can be unmapped once the boot
 * information (which a loader may well put there) has been copied, and
 * so that tests can make guard pages; everything else uses 2 MiB pages.
 *
 * Secondary vCPUs start in xtf_ap_entry64, already in long mode on these
 * page tables (see common/vcpu.c), and only need a GDT and segments.
 */
#include <public/elfnote.h>

#define XTF_CS64  0x08
#define XTF_DS    0x10
#define XTF_CS32  0x18

#define XTF_BOOT_STACK_SIZE 0x4000

#define PTE_P     0x001
#define PTE_RW    0x002
#define PTE_PS    0x080

        .section .note.Xen, "a", @note
        .balign 4
        .long 4                         /* namesz: "Xen" + NUL */
        .long 4                         /* descsz: a 32-bit address */
        .long XEN_ELFNOTE_PHYS32_ENTRY
        .asciz "Xen"
        .balign 4
        .long xtf_entry32
        .balign 4

        .section .text.entry32, "ax", @progbits
        .code32
        .global xtf_entry32
xtf_entry32:
        cld
        cli
        mov     %ebx, %esi              /* start_info survives the clear */

        /* Loaders zero .bss too, but the page tables must not trust that. */
        mov     $__bss_start, %edi
        mov     $__bss_end, %ecx
        sub     %edi, %ecx
        shr     $2, %ecx
        xor     %eax, %eax
        rep stosl
        mov     %esi, xtf_start_info_paddr

        lgdt    gdt_desc
        mov     $XTF_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        ljmp    $XTF_CS32, $1f
1:
        /* No stack exists yet (ESP is undefined at entry): no calls. */

        /* 2048 x 2 MiB entries: 4 GiB, identity. */
        mov     $xtf_pd, %edi
        xor     %ecx, %ecx
2:      mov     %ecx, %eax
        shl     $21, %eax
        or      $(PTE_P | PTE_RW | PTE_PS), %eax
        mov     %eax, (%edi, %ecx, 8)
        inc     %ecx
        cmp     $2048, %ecx
        jb      2b

        /* First 2 MiB: 4 KiB pages. */
        mov     $xtf_pt_low, %edi
        xor     %ecx, %ecx
3:      mov     %ecx, %eax
        shl     $12, %eax
        or      $(PTE_P | PTE_RW), %eax
        mov     %eax, (%edi, %ecx, 8)
        inc     %ecx
        cmp     $512, %ecx
        jb      3b
        mov     $(xtf_pt_low + PTE_P + PTE_RW), %eax
        mov     %eax, xtf_pd

        /* PDPT[i] -> page directory i; PML4[0] -> PDPT. */
        xor     %ecx, %ecx
4:      mov     %ecx, %eax
        shl     $12, %eax
        add     $(xtf_pd + PTE_P + PTE_RW), %eax
        mov     %eax, xtf_pdpt(, %ecx, 8)
        inc     %ecx
        cmp     $4, %ecx
        jb      4b
        mov     $(xtf_pdpt + PTE_P + PTE_RW), %eax
        mov     %eax, xtf_pml4

        mov     $xtf_pml4, %eax
        mov     %eax, %cr3
        mov     %cr4, %eax
        or      $0x20, %eax             /* CR4.PAE */
        mov     %eax, %cr4
        mov     $0xc0000080, %ecx       /* EFER */
        rdmsr
        or      $0x100, %eax            /* EFER.LME */
        wrmsr
        mov     %cr0, %eax
        or      $0x80000011, %eax       /* CR0.PG | CR0.ET | CR0.PE */
        mov     %eax, %cr0
        ljmp    $XTF_CS64, $start64

        .text
        .code64
start64:
        mov     $XTF_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        mov     $xtf_boot_stack + XTF_BOOT_STACK_SIZE, %rsp
        xor     %ebp, %ebp
        call    xtf_main
        ud2

/* Secondary vCPU: RSP = its stack top, RDI = its id (from vcpu.c). */
        .global xtf_ap_entry64
xtf_ap_entry64:
        lgdt    gdt_desc(%rip)
        mov     $XTF_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        pushq   $XTF_CS64
        lea     5f(%rip), %rax
        push    %rax
        lretq
5:      xor     %ebp, %ebp
        call    xtf_ap_main
        ud2

        .data
        .balign 16
gdt:
        .quad   0                       /* null */
        .quad   0x00af9b000000ffff      /* 0x08: 64-bit code, DPL0 */
        .quad   0x00cf93000000ffff      /* 0x10: flat data, DPL0 */
        .quad   0x00cf9b000000ffff      /* 0x18: flat 32-bit code, DPL0 */
gdt_end:
        .balign 8
        .word   0
gdt_desc:
        .word   gdt_end - gdt - 1
        .quad   gdt

        .bss
        .balign 4096
        .global xtf_pml4, xtf_pdpt, xtf_pd, xtf_pt_low
xtf_pml4:       .skip 4096
xtf_pdpt:       .skip 4096
xtf_pd:         .skip 4 * 4096
xtf_pt_low:     .skip 4096
        .global xtf_boot_stack
xtf_boot_stack: .skip XTF_BOOT_STACK_SIZE

        .section .note.GNU-stack, "", @progbits
