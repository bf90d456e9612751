/*
 * arm64.c - evtchn-vcpu-info's vCPU 1 case on Arm: shared_info holds
 * vCPU 0's vcpu_info only (XEN_LEGACY_MAX_VCPUS 1), so vCPU 1 has none
 * before it registers: the new place starts from zeroes (the upcall mask
 * clear) before the re-raise. Built only for arm64 (the whole file);
 * touches vCPU 1's vcpu_info only.
 */
#if defined(__aarch64__)
#include <xtf.h>
#include <xtf/evtchn.h>
#include "vcpu-info.h"

void vcpu1_case(volatile struct shared_info *s, volatile struct vcpu_info *a, void *page_a,
                void *page_b)
{
    (void)s;
    a->evtchn_upcall_mask = 1; /* what registering must overwrite */
    if ( evtchn_expect("register vCPU 1", reg(1, page_a, 128, 0), 0) )
    {
        evtchn_expect("upcall mask of a vCPU with no vcpu_info before", a->evtchn_upcall_mask, 0);
        expect_reraised("vCPU 1", a);
        evtchn_expect("register vCPU 1 again", reg(1, page_b, 0, 0), -XEN_EINVAL);
        expect_delivery("IPI to vCPU 1", 1, a);
    }
}
#endif /* __aarch64__ */
