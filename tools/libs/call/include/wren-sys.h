/* SPDX-License-Identifier: MIT */
/*
 * wren-sys.h - the system calls the lower libraries (call, foreignmemory,
 * evtchn, gnttab, devicemodel) make on the Xen devices, behind one seam.
 *
 * sys.c passes each straight to the C library; a host unit test links its
 * own definitions instead (a fake /dev/xen/privcmd and /dev/xen/evtchn),
 * so the libraries are tested without a hypervisor and without a test
 * #ifdef. Nothing but tools/libs may call these, and they add nothing to
 * the C library's behaviour: errors are -1 with errno, as there.
 */
#ifndef WREN_SYS_H
#define WREN_SYS_H

#include <stddef.h>
#include <sys/types.h>

int wren_sys_open(const char *path, int flags);
int wren_sys_close(int fd);
int wren_sys_ioctl(int fd, unsigned long request, void *arg);
void *wren_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int wren_sys_munmap(void *addr, size_t len);
int wren_sys_mlock(const void *addr, size_t len);
ssize_t wren_sys_read(int fd, void *buf, size_t len);
ssize_t wren_sys_write(int fd, const void *buf, size_t len);

#endif /* WREN_SYS_H */
