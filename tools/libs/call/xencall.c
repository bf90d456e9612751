/* SPDX-License-Identifier: MIT */
/*
 * xencall.c - libxencall: hypercalls through /dev/xen/privcmd's
 * IOCTL_PRIVCMD_HYPERCALL, and the buffers their arguments live in.
 *
 * The only file that issues IOCTL_PRIVCMD_HYPERCALL; it reaches the
 * device through wren-sys.h alone, and knows nothing of what a hypercall
 * means (that is libxenctrl's business).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <xen-sys/privcmd.h>

#include "wren-sys.h"
#include "xencall.h"

#define XENCALL_PAGE_SIZE 4096UL

/* A small buffer sits after this header in pages of its own, so that it
 * can be freed without the caller saying how big it was. */
struct xencall_buf_head
{
    size_t nr_pages;
    size_t pad; /* keeps the caller's part 16-byte aligned */
};

struct xencall_handle
{
    int fd;
    uint64_t count;
};

xencall_handle *xencall_open(struct xentoollog_logger *logger, unsigned int open_flags)
{
    xencall_handle *xcall;

    if ( open_flags )
    {
        errno = EINVAL;
        return NULL;
    }
    xcall = calloc(1, sizeof(*xcall));
    if ( !xcall )
        return NULL;
    xcall->fd = wren_sys_open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if ( xcall->fd < 0 )
    {
        int err = errno;

        fprintf(stderr, "xencall: cannot open /dev/xen/privcmd: errno %d\n", err);
        free(xcall);
        errno = err;
        return NULL;
    }
    return xcall;
}

int xencall_close(xencall_handle *xcall)
{
    int rc;

    if ( !xcall )
        return 0;
    rc = wren_sys_close(xcall->fd);
    free(xcall);
    return rc;
}

static int xencall_issue(xencall_handle *xcall, unsigned int op, uint64_t a1, uint64_t a2,
                         uint64_t a3, uint64_t a4, uint64_t a5)
{
    privcmd_hypercall_t hc = { .op = op, .arg = { a1, a2, a3, a4, a5 } };

    xcall->count++;
    return wren_sys_ioctl(xcall->fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
}

int xencall0(xencall_handle *xcall, unsigned int op)
{
    return xencall_issue(xcall, op, 0, 0, 0, 0, 0);
}

int xencall1(xencall_handle *xcall, unsigned int op, uint64_t arg1)
{
    return xencall_issue(xcall, op, arg1, 0, 0, 0, 0);
}

int xencall2(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2)
{
    return xencall_issue(xcall, op, arg1, arg2, 0, 0, 0);
}

int xencall3(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2, uint64_t arg3)
{
    return xencall_issue(xcall, op, arg1, arg2, arg3, 0, 0);
}

int xencall4(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2, uint64_t arg3,
             uint64_t arg4)
{
    return xencall_issue(xcall, op, arg1, arg2, arg3, arg4, 0);
}

int xencall5(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2, uint64_t arg3,
             uint64_t arg4, uint64_t arg5)
{
    return xencall_issue(xcall, op, arg1, arg2, arg3, arg4, arg5);
}

/*
 * Pages the hypervisor may write while the hypercall runs: anonymous and
 * locked, so a Linux dom0 cannot page them out under it. Wren's dom0 has
 * no paging, and its runtime may answer mlock() with ENOSYS: that is fine.
 */
void *xencall_alloc_buffer_pages(xencall_handle *xcall, size_t nr_pages)
{
    size_t len = nr_pages * XENCALL_PAGE_SIZE;
    void *p;

    if ( !nr_pages )
    {
        errno = EINVAL;
        return NULL;
    }
    p = wren_sys_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ( p == MAP_FAILED )
        return NULL;
    if ( wren_sys_mlock(p, len) && errno != ENOSYS )
    {
        int err = errno;

        wren_sys_munmap(p, len);
        errno = err;
        return NULL;
    }
    return p;
}

void xencall_free_buffer_pages(xencall_handle *xcall, void *p, size_t nr_pages)
{
    if ( p )
        wren_sys_munmap(p, nr_pages * XENCALL_PAGE_SIZE);
}

void *xencall_alloc_buffer(xencall_handle *xcall, size_t size)
{
    size_t total = size + sizeof(struct xencall_buf_head);
    size_t nr_pages = (total + XENCALL_PAGE_SIZE - 1) / XENCALL_PAGE_SIZE;
    struct xencall_buf_head *head;

    if ( total < size )
    {
        errno = ENOMEM;
        return NULL;
    }
    head = xencall_alloc_buffer_pages(xcall, nr_pages);
    if ( !head )
        return NULL;
    head->nr_pages = nr_pages;
    return head + 1;
}

void xencall_free_buffer(xencall_handle *xcall, void *p)
{
    struct xencall_buf_head *head;

    if ( !p )
        return;
    head = (struct xencall_buf_head *)p - 1;
    xencall_free_buffer_pages(xcall, head, head->nr_pages);
}

uint64_t xencall_count(const xencall_handle *xcall)
{
    return xcall->count;
}
