/* SPDX-License-Identifier: MIT */
/*
 * xenforeignmemory.c - libxenforeignmemory: other domains' frames mapped
 * into this process through /dev/xen/privcmd (mmap() for the range,
 * IOCTL_PRIVCMD_MMAPBATCH_V2 for the frames, XENFOREIGNMEMORY_BATCH at a
 * time).
 *
 * Reaches the device through wren-sys.h only; issues no hypercall itself
 * (the device takes the references a mapping holds).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <xen-sys/privcmd.h>

#include "private.h"
#include "wren-sys.h"
#include "xenforeignmemory.h"

#define XENFOREIGNMEMORY_PAGE_SIZE 4096UL

struct xenforeignmemory_handle
{
    int fd;
    uint64_t batches;
    uint64_t frames;
};

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
                                               unsigned int open_flags)
{
    xenforeignmemory_handle *fmem;

    if ( open_flags )
    {
        errno = EINVAL;
        return NULL;
    }
    fmem = calloc(1, sizeof(*fmem));
    if ( !fmem )
        return NULL;
    fmem->fd = wren_sys_open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if ( fmem->fd < 0 )
    {
        int err = errno;

        fprintf(stderr, "xenforeignmemory: cannot open /dev/xen/privcmd: errno %d\n", err);
        free(fmem);
        errno = err;
        return NULL;
    }
    return fmem;
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
    int rc;

    if ( !fmem )
        return 0;
    rc = wren_sys_close(fmem->fd);
    free(fmem);
    return rc;
}

/*
 * One batch: frames [first, first + num) of the range at addr. Returns 0
 * when every frame mapped, 1 when some failed (err[] says which), -1 when
 * the batch as a whole was refused (errno set, err[] meaningless).
 */
static int fmem_batch(xenforeignmemory_handle *fmem, uint32_t dom, char *addr, size_t first,
                      unsigned int num, const xen_pfn_t arr[], int err[])
{
    privcmd_mmapbatch_v2_t batch = {
        .num = num,
        .dom = (domid_t)dom,
        .addr = (uint64_t)(uintptr_t)(addr + first * XENFOREIGNMEMORY_PAGE_SIZE),
        .arr = arr + first,
        .err = err + first,
    };
    unsigned int i;
    int rc;

    fmem->batches++;
    rc = wren_sys_ioctl(fmem->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &batch);
    if ( rc < 0 && errno != ENOENT )
        return -1;
    for ( i = 0; i < num; i++ )
        fmem->frames += !err[first + i];
    return rc < 0;
}

/* Every batch of the range; 1 if any frame failed, -1 as fmem_batch. */
static int fmem_map_all(xenforeignmemory_handle *fmem, uint32_t dom, char *addr, size_t pages,
                        const xen_pfn_t arr[], int err[])
{
    int some_failed = 0;
    size_t first;

    for ( first = 0; first < pages; first += XENFOREIGNMEMORY_BATCH )
    {
        size_t left = pages - first;
        unsigned int num = left < XENFOREIGNMEMORY_BATCH ? left : XENFOREIGNMEMORY_BATCH;
        int rc = fmem_batch(fmem, dom, addr, first, num, arr, err);

        if ( rc < 0 )
            return -1;
        some_failed |= rc;
    }
    return some_failed;
}

/* The first frame's error, as a positive errno (all-or-nothing callers). */
static int fmem_first_error(const int err[], size_t pages)
{
    size_t i;

    for ( i = 0; i < pages; i++ )
        if ( err[i] )
            return -err[i];
    return EIO;
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot, size_t pages,
                           const xen_pfn_t arr[], int err[])
{
    size_t len = pages * XENFOREIGNMEMORY_PAGE_SIZE;
    int *errs = err;
    void *addr = MAP_FAILED;
    int rc, saved = 0;

    if ( !pages || !arr || dom > UINT16_MAX || pages > SIZE_MAX / XENFOREIGNMEMORY_PAGE_SIZE ||
         (prot & ~(PROT_READ | PROT_WRITE)) )
    {
        errno = EINVAL;
        return NULL;
    }
    if ( !errs )
        errs = calloc(pages, sizeof(*errs));
    if ( !errs )
        return NULL;
    addr = wren_sys_mmap(NULL, len, prot, MAP_SHARED, fmem->fd, 0);
    if ( addr == MAP_FAILED )
    {
        saved = errno;
        goto out;
    }
    rc = fmem_map_all(fmem, dom, addr, pages, arr, errs);
    if ( rc < 0 || (rc > 0 && !err) )
    {
        saved = rc < 0 ? errno : fmem_first_error(errs, pages);
        wren_sys_munmap(addr, len);
        addr = MAP_FAILED;
    }
out:
    if ( errs != err )
        free(errs);
    if ( addr == MAP_FAILED )
    {
        errno = saved;
        return NULL;
    }
    return addr;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages)
{
    if ( !addr || !pages )
    {
        errno = EINVAL;
        return -1;
    }
    return wren_sys_munmap(addr, pages * XENFOREIGNMEMORY_PAGE_SIZE);
}

uint64_t xenforeignmemory_batches(const xenforeignmemory_handle *fmem)
{
    return fmem->batches;
}

uint64_t xenforeignmemory_frames(const xenforeignmemory_handle *fmem)
{
    return fmem->frames;
}

struct xenforeignmemory_resource_handle
{
    void *addr;
    size_t nr_frames;
};

xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
    xenforeignmemory_handle *fmem, domid_t domid, unsigned int type, unsigned int id,
    unsigned long frame, unsigned long nr_frames, void **paddr, int prot, int flags)
{
    xenforeignmemory_resource_handle *fres;
    privcmd_mmap_resource_t mr = {
        .dom = domid, .type = type, .id = id, .idx = (uint32_t)frame, .num = nr_frames
    };
    size_t len = nr_frames * XENFOREIGNMEMORY_PAGE_SIZE;
    int saved;

    if ( !paddr || !nr_frames || frame > UINT32_MAX || nr_frames > UINT32_MAX ||
         (prot & ~(PROT_READ | PROT_WRITE)) || flags || *paddr )
    {
        errno = EINVAL;
        return NULL;
    }
    fres = calloc(1, sizeof(*fres));
    if ( !fres )
        return NULL;
    fres->addr = wren_sys_mmap(NULL, len, prot, MAP_SHARED, fmem->fd, 0);
    if ( fres->addr == MAP_FAILED )
        goto fail;
    fres->nr_frames = nr_frames;
    mr.addr = (uint64_t)(uintptr_t)fres->addr;
    if ( wren_sys_ioctl(fmem->fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &mr) < 0 )
    {
        saved = errno;
        wren_sys_munmap(fres->addr, len);
        errno = saved;
        goto fail;
    }
    *paddr = fres->addr;
    return fres;
fail:
    saved = errno;
    free(fres);
    errno = saved;
    return NULL;
}

int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
                                    xenforeignmemory_resource_handle *fres)
{
    int rc;

    if ( !fres )
        return 0;
    rc = wren_sys_munmap(fres->addr, fres->nr_frames * XENFOREIGNMEMORY_PAGE_SIZE);
    free(fres);
    return rc;
}
