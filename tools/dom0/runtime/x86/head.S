/*
 * head.S - dom0's way from the PVH entry to C, and its two ring-0 entry
 * points: the syscall instruction (musl's system calls) and exceptions.
 *
 * The hypervisor enters dom0_entry32 (the XEN_ELFNOTE_PHYS32_ENTRY note)
 * in 32-bit protected mode, paging off, EBX = struct hvm_start_info. We
 * build identity page tables for the low 5 GiB with 2 MiB pages (RAM, the
 * hole, and the foreign-mapping window at 4 GiB; see layout.h), enable
 * long mode and call rt_start(start_info), which never returns.
 *
 * May not touch: anything above the page tables it builds; every policy
 * (what a system call does, what a fault reports) is C's.
 */
#include <xen/elfnote.h>

#define CS64   0x08
#define DS     0x10
#define CS32   0x18
#define TSS    0x20

#define PTE_P  0x001
#define PTE_RW 0x002
#define PTE_PS 0x080

#define NR_PD  5                        /* GiB identity-mapped */
#define BOOT_STACK 0x4000

        .section .note.Xen, "a", @note
        .balign 4
        .long 4
        .long 4
        .long XEN_ELFNOTE_PHYS32_ENTRY
        .asciz "Xen"
        .balign 4
        .long dom0_entry32
        .balign 4

        .section .text.entry32, "ax", @progbits
        .code32
        .global dom0_entry32
dom0_entry32:
        cld
        cli
        mov     %ebx, %esi
        mov     $__bss_start, %edi      /* page tables live in .bss */
        mov     $__bss_end, %ecx
        sub     %edi, %ecx
        shr     $2, %ecx
        xor     %eax, %eax
        rep stosl
        mov     %esi, rt_start_info_paddr

        lgdt    gdt_desc
        mov     $DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        ljmp    $CS32, $1f
1:
        /* NR_PD * 512 entries of 2 MiB; the high dword carries bits 32+. */
        mov     $rt_pd, %edi
        xor     %ecx, %ecx
2:      mov     %ecx, %eax
        shl     $21, %eax
        or      $(PTE_P | PTE_RW | PTE_PS), %eax
        mov     %eax, (%edi, %ecx, 8)
        mov     %ecx, %eax
        shr     $11, %eax
        mov     %eax, 4(%edi, %ecx, 8)
        inc     %ecx
        cmp     $(NR_PD * 512), %ecx
        jb      2b

        xor     %ecx, %ecx
3:      mov     %ecx, %eax
        shl     $12, %eax
        add     $(rt_pd + PTE_P + PTE_RW), %eax
        mov     %eax, rt_pdpt(, %ecx, 8)
        inc     %ecx
        cmp     $NR_PD, %ecx
        jb      3b
        mov     $(rt_pdpt + PTE_P + PTE_RW), %eax
        mov     %eax, rt_pml4

        mov     $rt_pml4, %eax
        mov     %eax, %cr3
        mov     %cr4, %eax
        or      $0x620, %eax            /* PAE | OSFXSR | OSXMMEXCPT */
        mov     %eax, %cr4
        mov     $0xc0000080, %ecx       /* EFER: LME | SCE */
        rdmsr
        or      $0x101, %eax
        wrmsr
        mov     %cr0, %eax
        and     $~0x4, %eax             /* no EM: SSE runs natively */
        or      $0x80000013, %eax       /* PG | ET | MP | PE */
        mov     %eax, %cr0
        ljmp    $CS64, $start64

        .text
        .code64
start64:
        mov     $DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        mov     $rt_boot_stack + BOOT_STACK, %rsp
        xor     %ebp, %ebp
        mov     rt_start_info_paddr(%rip), %edi
        call    rt_start
        ud2

/*
 * rt_enter_libc(sp, entry): switch to the process stack (argc at sp) and
 * jump to musl's _start, as the kernel's execve would.
 */
        .global rt_enter_libc
rt_enter_libc:
        mov     %rdi, %rsp
        xor     %ebp, %ebp
        xor     %edx, %edx              /* no atexit function from "ld.so" */
        jmp     *%rsi

        .global rt_load_tr
rt_load_tr:
        mov     $TSS, %eax
        ltr     %ax
        ret

        .data
        .balign 16
        .global rt_gdt
rt_gdt:
        .quad   0
        .quad   0x00af9b000000ffff      /* 0x08: 64-bit code */
        .quad   0x00cf93000000ffff      /* 0x10: flat data */
        .quad   0x00cf9b000000ffff      /* 0x18: 32-bit code (boot only) */
        .quad   0                       /* 0x20: TSS, filled by traps.c */
        .quad   0
gdt_end:
        .balign 8
        .word   0
gdt_desc:
        .word   gdt_end - rt_gdt - 1
        .quad   rt_gdt
        .global rt_start_info_paddr
rt_start_info_paddr:
        .long   0

        .bss
        .balign 4096
        .global rt_pd
rt_pml4:        .skip 4096
rt_pdpt:        .skip 4096
rt_pd:          .skip NR_PD * 4096
        .balign 16
rt_boot_stack:  .skip BOOT_STACK

        .section .note.GNU-stack, "", @progbits
