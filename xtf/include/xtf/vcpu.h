/*
 * vcpu.h - starting secondary vCPUs.
 *
 * xtf_vcpu_start() gives vCPU 'id' a 64-bit context (the runtime's page
 * tables, its own stack, RIP in the runtime's AP entry) through
 * VCPUOP_initialise with struct vcpu_hvm_context, then VCPUOP_up. The
 * new vCPU loads the runtime's GDT and IDT and calls fn(id). When fn
 * returns the vCPU takes itself down (VCPUOP_down).
 */
#ifndef XTF_VCPU_H
#define XTF_VCPU_H

#include <xtf/types.h>

#define XTF_MAX_VCPUS  12
#define XTF_STACK_SIZE (16 * 1024)

typedef void (*xtf_vcpu_fn)(unsigned int id);

/* Returns 0, or the failing hypercall's negative XEN_E*. */
long xtf_vcpu_start(unsigned int id, xtf_vcpu_fn fn);

/* This vCPU's id from CPUID leaf base+4, or -1 if not reported. */
int xtf_vcpu_id(void);

#endif /* XTF_VCPU_H */
