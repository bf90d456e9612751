/*
 * params.c (arm64) - HVMOP_get_param for the common libraries that read
 * the toolstack's HVM params (xenstore.c); x86 has it in common/xen.c,
 * next to the CPUID probing that cannot build here. Touches nothing but
 * the caller's value.
 */
#include <xtf.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

long hvm_get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = hypercall_hvm_op(HVMOP_get_param, &p);

    if ( !rc )
        *value = p.value;
    return rc;
}
