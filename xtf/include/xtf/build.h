/*
 * build.h - helpers for controller tests that build a domain themselves,
 * the way a toolstack does: XEN_DOMCTL_createdomain, populate_physmap on
 * the new domain, max_mem, and HVM context buffers (public/hvm/save.h)
 * for XEN_DOMCTL_get/sethvmcontext.
 *
 * Every call returns what the hypercall returns (0, a count, or a
 * negative XEN_E*) and changes nothing else. May not touch: the test's
 * own domain. common/build.c on both arches; the x86 CPU record helpers
 * (xtf_hvm_cpu_pvh, xtf_hvm_xsave_record, xtf_hvm_context_one) are
 * arch/x86/hvm_context.c's.
 */
#ifndef XTF_BUILD_H
#define XTF_BUILD_H

#include <xtf/types.h>
#include <public/xen.h>
#include <public/domctl.h>
#include <public/hvm/save.h>

/* A configuration createdomain accepts: HAP HVM, PVH's LAPIC only,
 * default grant and event channel limits. */
struct xen_domctl_createdomain xtf_pvh_config(unsigned int vcpus);

/* createdomain asking for id want (0: any); *out is the id given. */
long xtf_createdomain(domid_t want, const struct xen_domctl_createdomain *c, domid_t *out);

/* XEN_DOMCTL_max_mem in KiB. */
long xtf_set_max_mem(domid_t domid, uint64_t kb);

/* populate_physmap of nr extents of 2^order frames on domid, from gfn up
 * (aligned): the number of extents done. */
long xtf_populate(domid_t domid, uint64_t gfn, unsigned int order, unsigned int nr);

/* A CPU record of Xen's PVH entry state: 32-bit flat protected mode,
 * paging off, EIP = entry, EBX = ebx. */
void xtf_hvm_cpu_pvh(struct hvm_hw_cpu *cpu, uint32_t entry, uint32_t ebx);

/* HEADER, cpu as the record of vCPU instance, END, into buf (at least
 * XTF_HVM_CTX_ONE bytes): the length written. */
#define XTF_HVM_CTX_ONE (3 * 8 + HVM_SAVE_LENGTH_HEADER + HVM_SAVE_LENGTH_CPU)
/* What gethvmcontext writes for each vCPU that is up (CPU, CPU_XSAVE
 * where the CPU has XSAVE, LAPIC, LAPIC_REGS, MTRR, VMCE_VCPU,
 * WREN_VCPU_TIMERS, WREN_VMCE_PENDING), and in all for n of them. The
 * CPU_XSAVE record's length is the host's (xtf_hvm_xsave_record()), so
 * XTF_HVM_CTX_SAVED is computed at run time; _MAX bounds it for buffers. */
#define XTF_HVM_CTX_VCPU_FIXED                                                             \
    (7 * 8 + HVM_SAVE_LENGTH_CPU + HVM_SAVE_LENGTH_LAPIC + HVM_SAVE_LENGTH_LAPIC_REGS +    \
     HVM_SAVE_LENGTH_MTRR + HVM_SAVE_LENGTH_VMCE_VCPU + HVM_SAVE_LENGTH_WREN_VCPU_TIMERS + \
     HVM_SAVE_LENGTH_WREN_VMCE_PENDING)
#define XTF_HVM_XSAVE_RECORD_MAX (8 + 24 + 4096)
#define XTF_HVM_CTX_VCPU         (XTF_HVM_CTX_VCPU_FIXED + xtf_hvm_xsave_record())
#define XTF_HVM_CTX_SAVED(n)     (2 * 8 + HVM_SAVE_LENGTH_HEADER + (n)*XTF_HVM_CTX_VCPU)
#define XTF_HVM_CTX_SAVED_MAX(n) \
    (2 * 8 + HVM_SAVE_LENGTH_HEADER + (n) * (XTF_HVM_CTX_VCPU_FIXED + XTF_HVM_XSAVE_RECORD_MAX))
/* Descriptor and body of one CPU_XSAVE record as the hypervisor writes
 * them (24 bytes and the XSAVE image of everything CPUID offers), 0
 * without XSAVE. */
uint32_t xtf_hvm_xsave_record(void);
uint32_t xtf_hvm_context_one(void *buf, const struct hvm_hw_cpu *cpu, uint16_t instance);

/* A one-vCPU context of XTF_HVM_CTX_ONE bytes or fewer, for calls that
 * must be refused whatever it holds (domctl-eperm): x86, a valid PVH one
 * (HEADER, CPU at 1 MiB, END); arm64, zeroes. Its length. */
uint32_t xtf_hvm_context_sample(void *buf);

long xtf_sethvmcontext(domid_t domid, const void *buf, uint32_t size);
/* buf NULL: *size becomes the size needed. Else *size is IN and OUT. */
long xtf_gethvmcontext(domid_t domid, void *buf, uint32_t *size);

/* XEN_DOMCTL_getvcpuinfo of vCPU vcpu into *info. */
long xtf_getvcpuinfo(domid_t domid, uint32_t vcpu, struct xen_domctl_getvcpuinfo *info);

#endif /* XTF_BUILD_H */
