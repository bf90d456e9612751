/*
 * ioreq.h (arm64) - the stage-2 abort path's way to IOREQ servers
 * (ioreq.c): forwarding an MMIO access, and finishing it before the
 * vCPU's next entry. Called only by exits.c and guest.c; common code
 * never includes it.
 */
#ifndef ASM_IOREQ_H
#define ASM_IOREQ_H

#include <xen/types.h>

struct vcpu;

/* A data abort at ipa no one else handled: true if an IOREQ server took
 * it (answered, waited for, or refused by an injected abort). */
bool arm64_ioreq_abort(struct vcpu *v, uint64_t ipa);

/* Before every entry of v: finish an answered access, then send the
 * mapcache invalidation v owes. v may be left waiting (not runnable). */
void arm64_ioreq_before_entry(struct vcpu *v);

#endif /* ASM_IOREQ_H */
