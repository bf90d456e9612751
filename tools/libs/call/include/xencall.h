/* SPDX-License-Identifier: MIT */
/*
 * xencall.h - the hypercall transport (Xen's libxencall): every other
 * library reaches the hypervisor through this and nothing else.
 *
 * Opens /dev/xen/privcmd and issues IOCTL_PRIVCMD_HYPERCALL. Buffers a
 * hypercall points at must come from xencall_alloc_buffer*(): on Wren's
 * dom0 any memory would do, but on a Linux dom0 they must be locked, and
 * the callers do not know which they run on. Errors: -1 with errno set
 * (the hypercall's error code, positive), as in Xen.
 */
#ifndef XENCALL_H
#define XENCALL_H

#include <stddef.h>
#include <stdint.h>

struct xentoollog_logger;
typedef struct xencall_handle xencall_handle;

/* logger may be NULL (errors go to stderr); no open_flags are defined. */
xencall_handle *xencall_open(struct xentoollog_logger *logger, unsigned int open_flags);
int xencall_close(xencall_handle *xcall);

int xencall0(xencall_handle *xcall, unsigned int op);
int xencall1(xencall_handle *xcall, unsigned int op, uint64_t arg1);
int xencall2(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2);
int xencall3(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2, uint64_t arg3);
int xencall4(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2, uint64_t arg3,
             uint64_t arg4);
int xencall5(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2, uint64_t arg3,
             uint64_t arg4, uint64_t arg5);

void *xencall_alloc_buffer(xencall_handle *xcall, size_t size);
void xencall_free_buffer(xencall_handle *xcall, void *p);
void *xencall_alloc_buffer_pages(xencall_handle *xcall, size_t nr_pages);
void xencall_free_buffer_pages(xencall_handle *xcall, void *p, size_t nr_pages);

/* How many hypercalls this handle has issued (make bench counts them). */
uint64_t xencall_count(const xencall_handle *xcall);

#endif /* XENCALL_H */
