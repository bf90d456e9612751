/*
 * time.h - guest time for the time tests: the pvclock read by its
 * version protocol, the TSC.
 */
#ifndef XTF_TIME_H
#define XTF_TIME_H

#include <xtf/types.h>
#include <xtf/tsc.h>
#include <public/xen.h>

/* System time now, from this vCPU's record in shared_info (mapped with
 * xtf_shared_info(), xtf/evtchn.h, which the caller has done). */
uint64_t xtf_now(void);

/* TSC cycles that pass in ns of system time, measured by yielding
 * until the pvclock says ns went (maps shared_info itself). */
uint64_t xtf_tsc_cycles_in(uint64_t ns);

/* Scale a TSC delta the pvclock way (128-bit product, no overflow). */
uint64_t xtf_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift);

/* System time from this record and the TSC now. *version (if not NULL)
 * gets the even version the values were read under, *tsc (if not NULL)
 * the TSC value the time was computed from. */
uint64_t xtf_pvclock_read(const volatile struct vcpu_time_info *t, uint32_t *version,
                          uint64_t *tsc);

/* This vCPU's record in shared_info. */
const volatile struct vcpu_time_info *xtf_pvclock_of(volatile struct shared_info *s,
                                                     unsigned int vcpu);

#endif /* XTF_TIME_H */
