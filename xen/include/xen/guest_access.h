/*
 * guest_access.h - copying to and from a guest's memory by guest-virtual
 * address, as hypercall arguments arrive. The address is translated
 * through the guest's own page tables (whatever paging mode its vCPU is
 * in) and then through the p2m; any failure is -EFAULT and nothing is
 * partially trusted: a copy either completes or reports how it failed.
 */
#ifndef XEN_GUEST_ACCESS_H
#define XEN_GUEST_ACCESS_H

#include <xen/types.h>

struct vcpu;
struct domain;

/* Copy between hypervisor memory and the current vCPU's virtual address
 * space. 0 on success, -EFAULT if any byte is unmapped, not RAM, or (for
 * writes) read-only. */
int copy_from_guest(void *dst, uint64_t guest_va, size_t len);
int copy_to_guest(uint64_t guest_va, const void *src, size_t len);

/* The same, for the vCPU v (used when v is not current). */
int copy_from_vcpu(struct vcpu *v, void *dst, uint64_t guest_va, size_t len);
int copy_to_vcpu(struct vcpu *v, uint64_t guest_va, const void *src, size_t len);

/* Translate v's virtual address va as its MMU would for a read (or a
 * write) through its own page tables, setting A/D bits; the frame behind
 * *gpa may be anything, RAM or not. 0, or -EFAULT if the tables refuse. */
int guest_va_to_gpa(struct vcpu *v, uint64_t va, bool write, uint64_t *gpa);

/* Why v's access to va would fault in its own tables, as the #PF error
 * code (P, W/R, U/S; reserved bits and instruction fetches aside): 0 and
 * *pfec, or -EINVAL if va is not canonical (a #GP, not a #PF). */
int guest_va_fault_code(struct vcpu *v, uint64_t va, bool write, uint32_t *pfec);

/* Copy by guest-physical address of domain d (no guest page walk). */
int copy_from_gpa(struct domain *d, void *dst, uint64_t gpa, size_t len);
int copy_to_gpa(struct domain *d, uint64_t gpa, const void *src, size_t len);

/* Map one guest frame of d for hypervisor access (RAM types only);
 * NULL if not RAM. writable: refuse read-only types. The mapping holds a
 * reference on the frame until unmap_guest_frame. */
void *map_guest_frame(struct domain *d, gfn_t gfn, bool writable);
void unmap_guest_frame(void *va);

#endif /* XEN_GUEST_ACCESS_H */
