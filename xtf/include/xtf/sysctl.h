/*
 * sysctl.h - the control domain's questions about the host
 * (XEN_SYSCTL_*, public/sysctl.h).
 */
#ifndef XTF_SYSCTL_H
#define XTF_SYSCTL_H

#include <xtf/types.h>
#include <public/sysctl.h>

/* Fills in interface_version, then issues the sysctl. */
long hypercall_sysctl(struct xen_sysctl *op);

/* XEN_SYSCTL_physinfo into *pi: 0 or the hypercall's negative XEN_E*. */
long xtf_physinfo(struct xen_sysctl_physinfo *pi);

/* physinfo's free_pages, or ~0 (and an ERROR reported) if the call fails. */
uint64_t xtf_free_pages(void);

#endif /* XTF_SYSCTL_H */
