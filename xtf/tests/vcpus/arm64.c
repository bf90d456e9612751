/*
 * arm64.c - the vcpus test's Arm half: guests start vCPUs by PSCI
 * CPU_ON, and VCPUOP_initialise (x86's register context) is refused
 * (-EOPNOTSUPP on Wren; Xen on Arm refuses it too) without bringing vCPU
 * 1 up. Built only for arm64 (the whole file); touches nothing but the
 * refused call.
 */
#if defined(__aarch64__)
#include <xtf.h>
#include <public/vcpu.h>
#include "vcpus.h"

void bad_contexts(void)
{
    uint64_t ctx[64] = { 0 }; /* any bytes: the call is refused unread */
    long rc = hypercall_vcpu_op(VCPUOP_initialise, 1, ctx);

    if ( rc != -XEN_EOPNOTSUPP )
        xtf_failure("VCPUOP_initialise on Arm: %ld, not -EOPNOTSUPP", rc);
    rc = hypercall_vcpu_op(VCPUOP_is_up, 1, NULL);
    if ( rc != 0 )
        xtf_failure("VCPUOP_is_up(1) after the refused initialise: %ld", rc);
}
#endif /* __aarch64__ */
