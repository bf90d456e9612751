/*
 * head.S - the AArch64 XTF kernel's entry at EL1h (MMU off, interrupts
 * masked), as domain_build.c starts it: x0 = the guest device tree
 * (xtf_boot_dt), x1 = the command line's IPA, x2 = the domid. Sets the stack and the vectors,
 * clears .bss and calls xtf_main. xtf_ap_entry is where PSCI CPU_ON
 * starts a secondary vCPU, x0 = its start block (setup.c). Touches only
 * SP, VBAR_EL1 and memory of the image.
 */
/* clang-format off */
        .section .text.head, "ax"
        .global _start
_start:
        mov     x19, x1
        mov     x20, x2
        mov     x21, x0
        ldr     x0, =boot_stack_top
        mov     sp, x0
        ldr     x0, =xtf_vectors
        msr     vbar_el1, x0
        isb
        ldr     x0, =__bss_start
        ldr     x1, =__bss_end
1:      cmp     x0, x1
        b.hs    2f
        str     xzr, [x0], #8
        b       1b
2:      mov     x0, x19
        mov     x1, x20
        mov     x2, x21
        bl      xtf_main
3:      b       3b

/* x0 = struct ap_start { sp, fn, arg } */
        .global xtf_ap_entry
xtf_ap_entry:
        ldr     x1, [x0, #0]
        mov     sp, x1
        ldr     x1, =xtf_vectors
        msr     vbar_el1, x1
        isb
        ldp     x1, x0, [x0, #8]
        blr     x1
        bl      xtf_ap_exit
4:      b       4b

        .bss
        .balign 16
boot_stack:
        .skip   16384
boot_stack_top:
/* clang-format on */
