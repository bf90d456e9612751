/*
 * arm64/entry.S - dom0's exception vectors (VBAR_EL1): the one way into
 * the runtime from running code on arm64.
 *
 * dom0 runs at EL1h with IRQ, FIQ, SError and debug masked, so the only
 * exceptions are synchronous. musl's `svc #0` (EC 0x15: number in x8,
 * arguments x0-x5, result in x0) is a system call: every other register
 * comes back unchanged, FP/SIMD included, as Linux promises, and ELR/SPSR
 * are restored from the frame because a task switch inside the call
 * (task.c) may have run another task's call in between. Anything else is
 * fatal: the frame goes to rt_exception (traps.c), which does not return.
 *
 * Frame (struct rt_arm64_frame): x0-x30, ELR, SPSR, ESR, the vector
 * number, one pad word: 288 bytes. The SVC path adds the FP/SIMD
 * registers (512 + FPSR/FPCR) and a struct rt_sysframe below it.
 *
 * May not touch: anything but the stack; all decisions are C's.
 */
#include <wren/arm64-frame.h>
#define FRAME    288
#define FPFRAME  528
#define SYSFRAME 64
#define EC_SVC64 0x15

        .macro  vector n
        .balign 0x80
        sub     sp, sp, #FRAME
        stp     x0, x1, [sp, #0]
        mov     x1, #\n
        b       exc_save
        .endm

        .text
        .balign 0x800
        .global rt_vectors
rt_vectors:
        vector  0
        vector  1
        vector  2
        vector  3
        vector  4
        vector  5
        vector  6
        vector  7
        vector  8
        vector  9
        vector  10
        vector  11
        vector  12
        vector  13
        vector  14
        vector  15

exc_save:
        str     x1, [sp, #272]
        frame_save_x2_x29
        mrs     x0, elr_el1
        stp     x30, x0, [sp, #240]
        mrs     x0, spsr_el1
        mrs     x2, esr_el1
        stp     x0, x2, [sp, #256]
        cmp     x1, #4                  /* current EL, SP_ELx, synchronous */
        b.ne    exc_fatal
        lsr     x2, x2, #26
        cmp     x2, #EC_SVC64
        b.ne    exc_fatal

        sub     sp, sp, #FPFRAME
        stp     q0, q1, [sp, #0]
        stp     q2, q3, [sp, #32]
        stp     q4, q5, [sp, #64]
        stp     q6, q7, [sp, #96]
        stp     q8, q9, [sp, #128]
        stp     q10, q11, [sp, #160]
        stp     q12, q13, [sp, #192]
        stp     q14, q15, [sp, #224]
        stp     q16, q17, [sp, #256]
        stp     q18, q19, [sp, #288]
        stp     q20, q21, [sp, #320]
        stp     q22, q23, [sp, #352]
        stp     q24, q25, [sp, #384]
        stp     q26, q27, [sp, #416]
        stp     q28, q29, [sp, #448]
        stp     q30, q31, [sp, #480]
        mrs     x0, fpsr
        mrs     x1, fpcr
        add     x2, sp, #512
        stp     x0, x1, [x2]

        sub     sp, sp, #SYSFRAME       /* struct rt_sysframe: nr, a[6] */
        add     x9, sp, #(SYSFRAME + FPFRAME)
        ldr     x0, [x9, #64]           /* x8 */
        str     x0, [sp, #0]
        ldp     x0, x1, [x9, #0]
        stp     x0, x1, [sp, #8]
        ldp     x0, x1, [x9, #16]
        stp     x0, x1, [sp, #24]
        ldp     x0, x1, [x9, #32]
        stp     x0, x1, [sp, #40]
        mov     x0, sp
        bl      rt_arm64_syscall
        add     sp, sp, #SYSFRAME
        str     x0, [sp, #FPFRAME]      /* the result is the caller's x0 */

        add     x2, sp, #512
        ldp     x0, x1, [x2]
        msr     fpsr, x0
        msr     fpcr, x1
        ldp     q0, q1, [sp, #0]
        ldp     q2, q3, [sp, #32]
        ldp     q4, q5, [sp, #64]
        ldp     q6, q7, [sp, #96]
        ldp     q8, q9, [sp, #128]
        ldp     q10, q11, [sp, #160]
        ldp     q12, q13, [sp, #192]
        ldp     q14, q15, [sp, #224]
        ldp     q16, q17, [sp, #256]
        ldp     q18, q19, [sp, #288]
        ldp     q20, q21, [sp, #320]
        ldp     q22, q23, [sp, #352]
        ldp     q24, q25, [sp, #384]
        ldp     q26, q27, [sp, #416]
        ldp     q28, q29, [sp, #448]
        ldp     q30, q31, [sp, #480]
        add     sp, sp, #FPFRAME

        ldr     x0, [sp, #256]
        msr     spsr_el1, x0
        ldp     x30, x0, [sp, #240]
        msr     elr_el1, x0
        ldp     x0, x1, [sp, #0]
        frame_load_x2_x29
        add     sp, sp, #FRAME
        eret

exc_fatal:
        mov     x0, sp
        bl      rt_exception
1:      wfi
        b       1b

        .section .note.GNU-stack, "", %progbits
