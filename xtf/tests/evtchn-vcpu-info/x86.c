/*
 * x86.c - evtchn-vcpu-info's vCPU 1 case on x86: vCPU 1 has a vcpu_info
 * in shared_info, whose contents (the upcall mask, arch.cr2) registering
 * must copy, and which must stay quiet afterwards. Built only for x86
 * (the whole file); touches vCPU 1's vcpu_infos only.
 */
#if defined(__x86_64__)
#include <xtf.h>
#include <xtf/evtchn.h>
#include "vcpu-info.h"

void vcpu1_case(volatile struct shared_info *s, volatile struct vcpu_info *a, void *page_a,
                void *page_b)
{
    s->vcpu_info[1].evtchn_upcall_mask = 1;
    s->vcpu_info[1].arch.cr2 = 0x1234;
    s->vcpu_info[1].evtchn_upcall_pending = 0;
    s->vcpu_info[1].evtchn_pending_sel = 0;
    if ( evtchn_expect("register vCPU 1", reg(1, page_a, 128, 0), 0) )
    {
        evtchn_expect("copied upcall mask", a->evtchn_upcall_mask, 1);
        evtchn_expect("copied arch.cr2", (long)a->arch.cr2, 0x1234);
        expect_reraised("vCPU 1", a);
        evtchn_expect("register vCPU 1 again", reg(1, page_b, 0, 0), -XEN_EINVAL);
        expect_delivery("IPI to vCPU 1", 1, a);
        evtchn_expect(
            "shared_info's vcpu_info[1] left alone",
            (long)(s->vcpu_info[1].evtchn_pending_sel | s->vcpu_info[1].evtchn_upcall_pending), 0);
    }
}
#endif /* __x86_64__ */
