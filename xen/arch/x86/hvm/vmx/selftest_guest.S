/*
 * selftest_guest.S - the guest program of the vmx_selftest debug option
 * (selftest.c). Data, not hypervisor code: it is copied to guest-physical
 * GUEST_BASE and entered in Xen's PVH state (32-bit flat, paging off).
 *
 * The guest reports progress with VMCALL, EAX = checkpoint number, and
 * gives up with EAX = 0xbad; HLT ends a stage.
 *  stage 1 (CPU0): one exit of each basic kind, and a spin with IF = 0
 *          long enough for the preemption timer;
 *  stage 2 (CPU0): CR0.NE hidden, long mode entered the way the CPU does
 *          it (no exit), MSR pass-through, DR7 and CR8 across an exit, an
 *          intercepted MSR, an injected #GP, an EPT violation;
 *  stage 3 (CPU1): the vCPU has migrated; it leaves long mode and enters
 *          it again through an intercepted CR0 write;
 *  stage 4 (CPU1): the two snippets are the entry points of initial
 *          contexts, 64-bit and 32-bit with PAE paging (where an
 *          intercepted CR0 write must reload the PDPTEs).
 */
#define GUEST_BASE 0x1000
#define G(x) ((x) - vmx_selftest_guest + GUEST_BASE)
#define CHECKPOINT(n) mov $(n), %eax; vmcall

        .section .rodata.vmx_selftest, "a"
        .globl vmx_selftest_guest, vmx_selftest_guest_end
        .globl vmx_selftest_snippet32, vmx_selftest_snippet64

        .code32
        .align 16
vmx_selftest_guest:
        /* ---- stage 1 ---- */
        cmp     $0x1234, %ebx           /* the PVH start_info pointer */
        jne     fail
        xor     %eax, %eax
        cpuid
        cmp     $0x6e657257, %eax       /* "Wren", from the harness */
        jne     fail
        mov     $'W', %al
        out     %al, $0xe9
        mov     $300000, %ecx           /* a few ms with IF = 0: the quantum */
1:      loop    1b                      /* must still bring us back */
        CHECKPOINT(1)
        hlt

        /* ---- stage 2 ---- */
        mov     %cr0, %eax
        test    $0x20, %eax             /* NE: forced on by VMX, hidden */
        jnz     fail
        mov     %cr4, %eax
        test    $0x2000, %eax           /* VMXE: likewise */
        jnz     fail
        movl    $0x5003, 0x4000         /* PML4[0] -> PDPT */
        movl    $0x6003, 0x5000         /* PDPT[0] -> PD */
        movl    $0x83, 0x6000           /* PD[0]: 2 MiB identity page */
        mov     $0x4000, %eax
        mov     %eax, %cr3
        mov     %cr4, %eax
        or      $0x20, %eax
        mov     %eax, %cr4              /* PAE: not intercepted */
        mov     $0xc0000080, %ecx
        rdmsr
        or      $0x100, %eax
        wrmsr                           /* EFER.LME: passed through */
        lgdt    G(gdt_desc)
        mov     %cr0, %eax
        or      $0x20, %eax
        mov     %eax, %cr0              /* NE differs from the shadow: exits */
        mov     %cr0, %eax
        test    $0x20, %eax
        jz      fail
        or      $0x80000000, %eax
        mov     %eax, %cr0              /* PG: no exit, the CPU sets LMA */
        ljmp    $0x08, $G(long64)

        .code64
long64:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     $0x8000, %esp
        mov     $G(gp_handler), %eax
        mov     %ax, G(idt) + 13 * 16
        movw    $0x08, G(idt) + 13 * 16 + 2
        movw    $0x8e00, G(idt) + 13 * 16 + 4
        shr     $16, %eax
        mov     %ax, G(idt) + 13 * 16 + 6
        lidt    G(idt_desc)
        CHECKPOINT(2)
        mov     $0xc0000082, %ecx       /* LSTAR: kept by the MSR lists */
        mov     $0x80001000, %eax
        mov     $0xffffffff, %edx
        wrmsr
        mov     $0x500, %eax            /* DR7.LE: harmless, and ours to keep */
        mov     %rax, %dr7
        mov     $15, %eax               /* CR8: the TPR shadow, not the host's TPR */
        mov     %rax, %cr8
        CHECKPOINT(3)
        call    check_lstar
        mov     %dr7, %rax
        cmp     $0x500, %eax
        jne     fail
        mov     %cr8, %rax
        cmp     $15, %eax
        jne     fail
        xor     %eax, %eax
        mov     %rax, %cr8
        mov     $0x1b, %ecx
        rdmsr                           /* intercepted: the harness answers */
        cmp     $0xfee00900, %eax
        jne     fail
        mov     $0x12345, %ecx
        rdmsr                           /* #GP injected, the handler skips it */
        cmpl    $1, G(gp_count)
        jne     fail
        movl    $0xabcd, 0x100000       /* gfn 0x100 unmapped: EPT violation */
        cmpl    $0xabcd, 0x100000
        jne     fail
        CHECKPOINT(4)
        hlt

        /* ---- stage 3 ---- */
        CHECKPOINT(5)
        call    check_lstar
        ljmpl   *G(compat_ptr)
        .code32
compat:
        mov     %cr0, %eax
        and     $0x7fffffff, %eax
        mov     %eax, %cr0              /* paging off: no exit, LMA clears */
        CHECKPOINT(6)
        mov     %cr0, %eax
        and     $~0x20, %eax
        or      $0x80000000, %eax
        mov     %eax, %cr0              /* NE cleared: exits, we set LMA */
        ljmp    $0x08, $G(back64)
        .code64
back64:
        CHECKPOINT(7)
        hlt
        jmp     fail

check_lstar:
        mov     $0xc0000082, %ecx
        rdmsr
        cmp     $0x80001000, %eax
        jne     fail
        cmp     $0xffffffff, %edx
        jne     fail
        ret

gp_handler:
        add     $8, %rsp                /* error code */
        incl    G(gp_count)
        addq    $2, (%rsp)              /* past the 2-byte RDMSR */
        iretq

        /* ---- stage 4 ---- */
vmx_selftest_snippet64:
        CHECKPOINT(8)
        hlt
        .code32
vmx_selftest_snippet32:                 /* PAE paging, PDPT at 0x5800 */
        CHECKPOINT(9)
        mov     %cr0, %eax
        or      $0x40000000, %eax
        mov     %eax, %cr0              /* CD is ours: exits, PDPTEs reload */
        and     $~0x40000000, %eax
        mov     %eax, %cr0
        CHECKPOINT(10)
        hlt

/* Same bytes in 32-bit and 64-bit mode. */
fail:
        mov     $0xbad, %eax
        vmcall
        hlt
        jmp     fail

        .align 8
gdt:
        .quad 0
        .quad 0x00af9b000000ffff        /* 0x08: 64-bit code */
        .quad 0x00cf93000000ffff        /* 0x10: data */
        .quad 0x00cf9b000000ffff        /* 0x18: 32-bit code */
gdt_desc:
        .word 4 * 8 - 1
        .long G(gdt)
        .align 8
idt_desc:
        .word 14 * 16 - 1
        .quad G(idt)
compat_ptr:
        .long G(compat)
        .word 0x18
gp_count:
        .long 0
        .align 16
idt:
        .skip 14 * 16
vmx_selftest_guest_end:
