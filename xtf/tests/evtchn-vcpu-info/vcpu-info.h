/*
 * vcpu-info.h - what evtchn-vcpu-info's main.c shares with its per-arch
 * vCPU 1 case (x86.c, arm64.c). Declarations only.
 */
#ifndef VCPU_INFO_H
#define VCPU_INFO_H

#include <xtf/types.h>
#include <public/xen.h>

long reg(unsigned int vcpu, void *page, uint32_t offset, uint32_t rsvd);
void expect_reraised(const char *what, volatile struct vcpu_info *vi);
void expect_delivery(const char *what, unsigned int vcpu, volatile struct vcpu_info *vi);

/* Register vCPU 1 (down) at a (page_a + 128) and check the copy, the
 * re-raise, a second registration (at page_b) refused, and an IPI's
 * delivery there. */
void vcpu1_case(volatile struct shared_info *s, volatile struct vcpu_info *a, void *page_a,
                void *page_b);

#endif /* VCPU_INFO_H */
