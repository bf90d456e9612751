/* SPDX-License-Identifier: MIT */
/*
 * sys.c - the production side of wren-sys.h: each call is the C library's
 * own (musl on Wren's dom0, glibc on a Linux dom0). No logic lives here,
 * so that the host tests, which replace this file, test all of it.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wren-sys.h"

int wren_sys_open(const char *path, int flags)
{
    return open(path, flags);
}

int wren_sys_close(int fd)
{
    return close(fd);
}

int wren_sys_ioctl(int fd, unsigned long request, void *arg)
{
    return ioctl(fd, request, arg);
}

void *wren_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    return mmap(addr, len, prot, flags, fd, off);
}

int wren_sys_munmap(void *addr, size_t len)
{
    return munmap(addr, len);
}

int wren_sys_mlock(const void *addr, size_t len)
{
    return mlock(addr, len);
}

ssize_t wren_sys_read(int fd, void *buf, size_t len)
{
    return read(fd, buf, len);
}

ssize_t wren_sys_write(int fd, const void *buf, size_t len)
{
    return write(fd, buf, len);
}
