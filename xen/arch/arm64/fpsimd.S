/*
 * fpsimd.S - copies a vCPU's FP/SIMD registers (V0-V31, FPSR, FPCR)
 * between the CPU and its struct fpsimd_state (asm/vcpu_arch.h). The
 * hypervisor is built without FP/SIMD (-mgeneral-regs-only), so these
 * are the only instructions in it that name a V register; the caller
 * (guest.c) must have cleared CPTR_EL2.TFP first. Touches no other state.
 */
        .arch   armv8-a+fp+simd
        .text

/* void fpsimd_save(struct fpsimd_state *s): x0 = s, 16-byte aligned. */
        .global fpsimd_save
fpsimd_save:
        stp     q0, q1, [x0, #0]
        stp     q2, q3, [x0, #32]
        stp     q4, q5, [x0, #64]
        stp     q6, q7, [x0, #96]
        stp     q8, q9, [x0, #128]
        stp     q10, q11, [x0, #160]
        stp     q12, q13, [x0, #192]
        stp     q14, q15, [x0, #224]
        stp     q16, q17, [x0, #256]
        stp     q18, q19, [x0, #288]
        stp     q20, q21, [x0, #320]
        stp     q22, q23, [x0, #352]
        stp     q24, q25, [x0, #384]
        stp     q26, q27, [x0, #416]
        stp     q28, q29, [x0, #448]
        stp     q30, q31, [x0, #480]
        mrs     x1, fpsr
        mrs     x2, fpcr
        add     x3, x0, #512
        stp     x1, x2, [x3]
        ret

/* void fpsimd_load(const struct fpsimd_state *s): x0 = s. */
        .global fpsimd_load
fpsimd_load:
        ldp     q0, q1, [x0, #0]
        ldp     q2, q3, [x0, #32]
        ldp     q4, q5, [x0, #64]
        ldp     q6, q7, [x0, #96]
        ldp     q8, q9, [x0, #128]
        ldp     q10, q11, [x0, #160]
        ldp     q12, q13, [x0, #192]
        ldp     q14, q15, [x0, #224]
        ldp     q16, q17, [x0, #256]
        ldp     q18, q19, [x0, #288]
        ldp     q20, q21, [x0, #320]
        ldp     q22, q23, [x0, #352]
        ldp     q24, q25, [x0, #384]
        ldp     q26, q27, [x0, #416]
        ldp     q28, q29, [x0, #448]
        ldp     q30, q31, [x0, #480]
        add     x3, x0, #512
        ldp     x1, x2, [x3]
        msr     fpsr, x1
        msr     fpcr, x2
        ret
