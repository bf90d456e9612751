/*
 * arch.h - what ioreq-inval-target's main.c asks of its architecture's
 * file (x86.c, arm64.c). Declarations only.
 */
#ifndef IOREQ_INVAL_TARGET_ARCH_H
#define IOREQ_INVAL_TARGET_ARCH_H

#include <xtf/types.h>

/* A step of the script: a MARK write to the device (main.c). */
void mark(uint32_t step);
/* Start vCPU 1 on fn(1); 0 or a negative error. */
long inval_start_ap(void (*fn)(unsigned int id));
/* vCPU 1 sleeps about 5 ms, off the CPU. */
void inval_nap(void);
/* mode 5: one instruction making two device writes (INVAL_INSN_1, _2). */
void inval_mode_insn(void);

#endif /* IOREQ_INVAL_TARGET_ARCH_H */
