/*
 * ring3.h - cpu-faults' one trip to CPL 3 (ring3.c).
 */
#ifndef CPU_FAULTS_RING3_H
#define CPU_FAULTS_RING3_H

#include <xtf/types.h>

/* XSETBV(0, 3) at CPL 3: its exinfo, 0 if it did not fault. */
uint64_t xsetbv_at_cpl3(void);

#endif /* CPU_FAULTS_RING3_H */
