/*
 * asm/idregs.h - the ID registers a guest reads (HCR_EL2.TID3 traps the
 * whole ID group 3 space to EL2): the CPU's values less the features
 * Wren does not give guests (idregs.c).
 *
 * May not touch: anything; it only reads the CPU's ID registers.
 */
#ifndef ASM_IDREGS_H
#define ASM_IDREGS_H

#include <xen/types.h>

/* iss is a trapped MRS/MSR's ISS (EC 0x18). True if it is a read of the
 * ID group 3 space (Op0 3, Op1 0, CRn 0, CRm 1-7), with the guest's value
 * in *val; false for anything else. */
bool idreg_guest_read(uint64_t iss, uint64_t *val);

#endif /* ASM_IDREGS_H */
