/*
 * head.S - the first instructions of the hypervisor image.
 *
 * The image is flat: file offset 0 is loaded at 1 MiB. It carries both a
 * multiboot1 header (QEMU's -kernel) and a multiboot2 header (GRUB, for
 * Bochs), each using load addresses rather than ELF parsing. Both loaders
 * enter start32 in 32-bit protected mode with paging off; EAX holds the
 * loader's magic and EBX its information block. We zero .bss, build page
 * tables that identity-map the low 4 GiB with 2 MiB pages, enter long mode
 * and call __start_xen(magic, info).
 */
#include <asm/boot.h>

        .section .text.boot, "ax"
        .code32

        .align 4
mb1_header:
        .long MB1_MAGIC
        .long MB1_FLAGS
        .long -(MB1_MAGIC + MB1_FLAGS)
        .long mb1_header            /* header_addr */
        .long __image_start         /* load_addr */
        .long __load_end            /* load_end_addr */
        .long __bss_end             /* bss_end_addr */
        .long start32               /* entry_addr */

        .align 8
mb2_header:
        .long MB2_MAGIC
        .long 0                     /* architecture: i386 protected mode */
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + (mb2_header_end - mb2_header))
        .align 8                    /* address tag */
        .short 2, 0
        .long 24
        .long mb2_header, __image_start, __load_end, __bss_end
        .align 8                    /* entry address tag */
        .short 3, 0
        .long 12
        .long start32
        .align 8                    /* end tag */
        .short 0, 0
        .long 8
mb2_header_end:

        .globl start32
start32:
        cli
        cld
        mov     %eax, %edi          /* keep magic and info for C */
        mov     %ebx, %esi

        /* Zero .bss (the loaders should, but a missed byte here is costly). */
        mov     $__bss_start, %edx
1:      cmp     $__bss_end, %edx
        jae     2f
        movl    $0, (%edx)
        add     $4, %edx
        jmp     1b
2:
        /* PML4[0] -> PDPT; PDPT[0..3] -> 4 page directories of 2 MiB pages. */
        mov     $boot_pdpt, %eax
        or      $PTE_TABLE, %eax
        mov     %eax, boot_pml4
        xor     %ecx, %ecx
3:      mov     %ecx, %eax
        shl     $12, %eax
        add     $boot_pd, %eax
        or      $PTE_TABLE, %eax
        mov     %eax, boot_pdpt(,%ecx,8)
        inc     %ecx
        cmp     $4, %ecx
        jb      3b

        xor     %ecx, %ecx          /* 2048 entries cover 4 GiB */
4:      mov     %ecx, %eax
        shl     $21, %eax
        or      $PTE_LARGE, %eax
        cmp     $1536, %ecx         /* the top GiB holds MMIO: uncached */
        jb      5f
        or      $PTE_UNCACHED, %eax
5:      mov     %eax, boot_pd(,%ecx,8)
        movl    $0, boot_pd+4(,%ecx,8)
        inc     %ecx
        cmp     $2048, %ecx
        jb      4b

        lgdt    boot_gdt_desc
        ENTER_LONG_MODE
        ljmp    $BOOT_CS64, $start64

        .code64
start64:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        lea     boot_cpu_stack + STACK_SIZE - CPU_INFO_SIZE(%rip), %rsp
        mov     %edi, %edi
        mov     %esi, %esi
        call    __start_xen
6:      cli
        hlt
        jmp     6b

        .section .rodata.boot, "a"
        .align 16
        .globl boot_gdt
boot_gdt:
        .quad 0                     /* null */
        .quad 0x00af9b000000ffff    /* 0x08: 64-bit code, DPL0 */
        .quad 0x00cf93000000ffff    /* 0x10: data */
        .quad 0x00cf9b000000ffff    /* 0x18: 32-bit code */
boot_gdt_end:
        .globl boot_gdt_desc
boot_gdt_desc:
        .short boot_gdt_end - boot_gdt - 1
        .long boot_gdt
        .long 0

        .section .bss.pagetables, "aw", @nobits
        .align 4096
        .globl boot_pml4
boot_pml4:   .skip 4096
boot_pdpt:   .skip 4096
boot_pd:     .skip 4 * 4096

        .section .bss.stack, "aw", @nobits
        .align STACK_SIZE
        .globl boot_cpu_stack
boot_cpu_stack: .skip STACK_SIZE
