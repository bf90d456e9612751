/*
 * x86_bmi.h - the arithmetic of the BMI1, BMI2 and ADX instructions
 * (ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX, PDEP, PEXT, RORX,
 * SARX, SHLX, SHRX, ADCX, ADOX), for an emulator that carries one out
 * on a memory operand.
 *
 * Pure functions of their arguments: no guest state, no memory. Built
 * into the host unit tests (tools/tests/test-bmi.c), which compare every
 * result and flag with the host CPU's own.
 *
 * Compiles on its own, freestanding or hosted.
 */
#ifndef ASM_X86_BMI_H
#define ASM_X86_BMI_H

#include <xen/types.h>

enum x86_bmi_op
{
    X86_ANDN,   /* ~a & b */
    X86_BEXTR,  /* bits of a from b[7:0], b[15:8] of them */
    X86_BLSI,   /* the lowest set bit of a */
    X86_BLSMSK, /* a mask up to the lowest set bit of a */
    X86_BLSR,   /* a with its lowest set bit cleared */
    X86_BZHI,   /* a with the bits from b[7:0] up cleared */
    X86_PDEP,   /* the low bits of a deposited where mask b has ones */
    X86_PEXT,   /* the bits of a where mask b has ones, packed low */
    X86_RORX,   /* a rotated right by b */
    X86_SARX,   /* a shifted right arithmetically by b */
    X86_SHLX,   /* a shifted left by b */
    X86_SHRX,   /* a shifted right by b */
    X86_ADCX,   /* a + b + CF, carry out into CF */
    X86_ADOX,   /* a + b + OF, carry out into OF */
};

/*
 * op on a and b at operand size 'size' (4 or 8), inputs taken modulo
 * that size; counts (RORX, SARX, SHLX, SHRX) masked to 5 bits, 6 for
 * size 8, as the CPU does. Returns the result (zero-extended) and updates
 * *rflags as the instruction does: ANDN, BLS*, BZHI, BEXTR set the flags
 * the SDM defines and clear the ones it leaves undefined (as Intel's
 * CPUs do); ADCX changes only CF, ADOX only OF; the rest change nothing.
 */
uint64_t x86_bmi(enum x86_bmi_op op, unsigned int size, uint64_t a, uint64_t b, uint64_t *rflags);

/* MULX: the unsigned double-width product of a and b at size 4 or 8;
 * returns the low half, *hi the high half. No flag changes. */
uint64_t x86_mulx(unsigned int size, uint64_t a, uint64_t b, uint64_t *hi);

#endif /* ASM_X86_BMI_H */
