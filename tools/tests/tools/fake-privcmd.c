/* SPDX-License-Identifier: MIT */
/*
 * fake-privcmd.c - the test double of fake-privcmd.h: wren_sys_* over
 * a recorded, scriptable /dev/xen/privcmd and /dev/xen/evtchn.
 *
 * Memory is real (the C library's mmap), so the libraries read and write
 * what they would on a dom0; only the devices are pretend.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wren-sys.h"
#include "fake-privcmd.h"

#define FAKE_PRIVCMD_FD 1000
#define FAKE_EVTCHN_FD  1001
#define FAKE_PAGE       4096UL
#define FAKE_REGIONS    256

struct fake_region
{
    char *addr;
    size_t len;
    int privcmd; /* mmap of the privcmd fd, else a hypercall buffer */
};

struct fake_state fake;
static struct fake_region regions[FAKE_REGIONS];

void fake_reset(void)
{
    memset(&fake, 0, sizeof(fake));
    fake.next_port = 5;
}

static struct fake_region *fake_region_of(const void *p, size_t len)
{
    const char *c = p;
    unsigned int i;

    for ( i = 0; i < FAKE_REGIONS; i++ )
        if ( regions[i].addr && c >= regions[i].addr &&
             c + len <= regions[i].addr + regions[i].len )
            return &regions[i];
    return NULL;
}

int fake_is_buffer(const void *p, size_t len)
{
    struct fake_region *r = fake_region_of(p, len);

    return r && !r->privcmd;
}

int fake_live_buffers(void)
{
    unsigned int i;
    int n = 0;

    for ( i = 0; i < FAKE_REGIONS; i++ )
        n += regions[i].addr && !regions[i].privcmd;
    return n;
}

uint64_t fake_frame_marker(domid_t dom, xen_pfn_t gfn)
{
    return ((uint64_t)dom << 48) | gfn | 0xf00dULL << 32;
}

struct fake_call *fake_last_call(void)
{
    return fake.nr_calls ? &fake.calls[fake.nr_calls - 1] : NULL;
}

static long fake_fail(int err)
{
    errno = err;
    return -1;
}

int wren_sys_open(const char *path, int flags)
{
    if ( fake.open_errno )
        return fake_fail(fake.open_errno);
    if ( !strcmp(path, "/dev/xen/privcmd") )
    {
        fake.open_fds++;
        return FAKE_PRIVCMD_FD;
    }
    if ( !strcmp(path, "/dev/xen/evtchn") )
    {
        fake.open_fds++;
        return FAKE_EVTCHN_FD;
    }
    return fake_fail(ENOENT);
}

int wren_sys_close(int fd)
{
    if ( fd != FAKE_PRIVCMD_FD && fd != FAKE_EVTCHN_FD )
        return fake_fail(EBADF);
    fake.open_fds--;
    return 0;
}

void *wren_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    int privcmd = fd == FAKE_PRIVCMD_FD;
    unsigned int i;
    char *p;

    if ( !privcmd && !(flags & MAP_ANONYMOUS) )
        return errno = EBADF, MAP_FAILED;
    for ( i = 0; i < FAKE_REGIONS && regions[i].addr; i++ )
        continue;
    if ( i == FAKE_REGIONS )
        return errno = ENOMEM, MAP_FAILED;
    /* The range must be writable here for the fake to fill it. */
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ( p == MAP_FAILED )
        return MAP_FAILED;
    regions[i] = (struct fake_region){ p, len, privcmd };
    return p;
}

int wren_sys_munmap(void *addr, size_t len)
{
    struct fake_region *r = fake_region_of(addr, len);

    if ( !r || r->addr != addr || r->len != len )
        return fake_fail(EINVAL);
    if ( r->privcmd )
        fake.pages_unmapped += len / FAKE_PAGE;
    r->addr = NULL;
    return munmap(addr, len);
}

int wren_sys_mlock(const void *addr, size_t len)
{
    if ( fake.mlock_errno )
        return fake_fail(fake.mlock_errno);
    return fake_is_buffer(addr, len) ? 0 : fake_fail(EINVAL);
}

static int fake_hypercall(privcmd_hypercall_t *hc)
{
    struct fake_call *c = &fake.calls[fake.nr_calls % FAKE_MAX_CALLS];
    unsigned int i;
    long rc;

    memset(c, 0, sizeof(*c));
    c->hc = *hc;
    for ( i = 0; i < 5; i++ )
    {
        void *p = (void *)(uintptr_t)hc->arg[i];

        c->in_buf[i] = hc->arg[i] > 4096 && fake_is_buffer(p, 1);
        if ( c->in_buf[i] )
            memcpy(c->snap[i], p, fake_is_buffer(p, FAKE_SNAP) ? FAKE_SNAP : 1);
    }
    fake.nr_calls++;
    rc = fake.hypercall ? fake.hypercall(hc) : 0;
    return rc < 0 ? fake_fail((int)-rc) : (int)rc;
}

static int fake_mmapbatch(privcmd_mmapbatch_v2_t *b)
{
    struct fake_region *r = fake_region_of((void *)(uintptr_t)b->addr, b->num * FAKE_PAGE);
    int failed = 0;
    unsigned int i;

    fake.batches[fake.nr_batches % FAKE_MAX_CALLS] =
        (struct fake_batch){ .num = b->num, .dom = b->dom, .addr = b->addr };
    fake.nr_batches++;
    if ( !r || !r->privcmd )
        return fake_fail(EINVAL);
    if ( fake.batch_fail_at && fake.nr_batches == (unsigned int)fake.batch_fail_at )
        return fake_fail(fake.batch_fail_errno);
    for ( i = 0; i < b->num; i++ )
    {
        uint64_t *page = (uint64_t *)(uintptr_t)(b->addr + i * FAKE_PAGE);

        b->err[i] = fake.frame_err ? fake.frame_err(b->dom, b->arr[i]) : 0;
        failed |= b->err[i] != 0;
        *page = b->err[i] ? 0 : fake_frame_marker(b->dom, b->arr[i]);
    }
    return failed ? fake_fail(ENOENT) : 0;
}

static int fake_dm_op(privcmd_dm_op_t *op)
{
    long rc;

    fake.last_dm_op = *op;
    fake.dm_snap_size = 0;
    if ( op->num && op->ubufs[0].size <= FAKE_SNAP )
    {
        memcpy(fake.dm_snap, op->ubufs[0].uptr, op->ubufs[0].size);
        fake.dm_snap_size = op->ubufs[0].size;
    }
    rc = fake.dm_op ? fake.dm_op(op) : 0;
    return rc < 0 ? fake_fail((int)-rc) : (int)rc;
}

static int fake_mmap_resource(privcmd_mmap_resource_t *mr)
{
    struct fake_region *r;
    int rc;

    fake.last_resource = *mr;
    fake.nr_resources++;
    if ( mr->num > 64 )
        return fake_fail(EINVAL);
    r = fake_region_of((void *)(uintptr_t)mr->addr, mr->num * FAKE_PAGE);
    if ( !r || !r->privcmd )
        return fake_fail(EINVAL);
    rc = fake.resource ? fake.resource(mr) : 0;
    if ( rc )
        return fake_fail(-rc);
    for ( uint64_t i = 0; i < mr->num; i++ )
        *(uint64_t *)(uintptr_t)(mr->addr + i * FAKE_PAGE) =
            fake_frame_marker(mr->dom, mr->idx + i);
    return 0;
}

static int fake_evtchn_ioctl(unsigned long request, void *arg)
{
    unsigned int *words = arg;

    fake.last_evtchn_cmd = request;
    fake.last_evtchn_arg[0] = words ? words[0] : 0;
    fake.last_evtchn_arg[1] = request == IOCTL_EVTCHN_BIND_INTERDOMAIN ? words[1] : 0;
    if ( fake.evtchn_errno )
        return fake_fail(fake.evtchn_errno);
    switch ( request )
    {
    case IOCTL_EVTCHN_BIND_VIRQ:
    case IOCTL_EVTCHN_BIND_INTERDOMAIN:
    case IOCTL_EVTCHN_BIND_UNBOUND_PORT: return (int)fake.next_port++;
    case IOCTL_EVTCHN_UNBIND:
    case IOCTL_EVTCHN_NOTIFY: return 0;
    default: return fake_fail(ENOTTY);
    }
}

int wren_sys_ioctl(int fd, unsigned long request, void *arg)
{
    if ( fd == FAKE_EVTCHN_FD )
        return fake_evtchn_ioctl(request, arg);
    if ( fd != FAKE_PRIVCMD_FD )
        return fake_fail(EBADF);
    switch ( request )
    {
    case IOCTL_PRIVCMD_HYPERCALL: return fake_hypercall(arg);
    case IOCTL_PRIVCMD_MMAPBATCH_V2: return fake_mmapbatch(arg);
    case IOCTL_PRIVCMD_DM_OP: return fake_dm_op(arg);
    case IOCTL_PRIVCMD_RESTRICT: return 0;
    case IOCTL_PRIVCMD_MMAP_RESOURCE: return fake_mmap_resource(arg);
    default: return fake_fail(ENOTTY);
    }
}

ssize_t wren_sys_read(int fd, void *buf, size_t len)
{
    if ( fd != FAKE_EVTCHN_FD )
        return fake_fail(EBADF);
    if ( !fake.nr_pending )
        return fake_fail(EAGAIN);
    if ( len < sizeof(uint32_t) )
        return fake_fail(EINVAL);
    memcpy(buf, &fake.pending[0], sizeof(uint32_t));
    memmove(&fake.pending[0], &fake.pending[1], --fake.nr_pending * sizeof(uint32_t));
    return sizeof(uint32_t);
}

ssize_t wren_sys_write(int fd, const void *buf, size_t len)
{
    if ( fd != FAKE_EVTCHN_FD )
        return fake_fail(EBADF);
    if ( len != sizeof(uint32_t) || fake.nr_unmasked == 16 )
        return fake_fail(EINVAL);
    memcpy(&fake.unmasked[fake.nr_unmasked++], buf, sizeof(uint32_t));
    return (ssize_t)len;
}
