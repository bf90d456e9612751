/* SPDX-License-Identifier: MIT */
/*
 * fake-privcmd.h - a test double of /dev/xen/privcmd and /dev/xen/evtchn
 * for the host tests of tools/libs: it defines the wren_sys_* calls
 * (tools/libs/call/include/wren-sys.h) in place of sys.c, records every
 * hypercall, batch and event-channel request, and answers as a test
 * tells it to.
 *
 * Test code only: it never touches a real Xen device.
 */
#ifndef FAKE_PRIVCMD_H
#define FAKE_PRIVCMD_H

#include <stddef.h>
#include <stdint.h>
#include <xen-sys/privcmd.h>
#include <xen-sys/evtchn.h>

#define FAKE_MAX_CALLS 64
#define FAKE_SNAP      256

/* One hypercall as the library sent it: snap[i] is a copy of what arg[i]
 * pointed at when it pointed into a hypercall buffer (in_buf[i]). */
struct fake_call
{
    privcmd_hypercall_t hc;
    int in_buf[5];
    uint8_t snap[5][FAKE_SNAP] __attribute__((aligned(16)));
};

struct fake_batch
{
    unsigned int num;
    domid_t dom;
    uint64_t addr;
};

struct fake_state
{
    struct fake_call calls[FAKE_MAX_CALLS];
    unsigned int nr_calls;
    struct fake_batch batches[FAKE_MAX_CALLS];
    unsigned int nr_batches;
    unsigned long pages_unmapped; /* privcmd ranges munmap()ed */
    int open_fds;                 /* device fds open now */
    int open_errno;               /* nonzero: open() fails with it */
    int mlock_errno;              /* nonzero: mlock() fails with it */
    /* Hypercall: the value the ioctl returns; negative = -errno. */
    long (*hypercall)(privcmd_hypercall_t *hc);
    /* Frame of an MMAPBATCH_V2: 0 or a negative errno. */
    int (*frame_err)(domid_t dom, xen_pfn_t gfn);
    int batch_fail_at;    /* 1-based batch that fails whole (0: none) */
    int batch_fail_errno; /* ... with this errno */
    /* DM_OP: the value the ioctl returns; negative = -errno. */
    long (*dm_op)(const privcmd_dm_op_t *op);
    privcmd_dm_op_t last_dm_op;
    uint8_t dm_snap[FAKE_SNAP] __attribute__((aligned(16)));
    size_t dm_snap_size;
    /* MMAP_RESOURCE: 0 or a negative errno; each page of a mapped
     * resource starts with fake_frame_marker(dom, idx + i). */
    int (*resource)(const privcmd_mmap_resource_t *mr);
    privcmd_mmap_resource_t last_resource;
    unsigned int nr_resources;
    /* evtchn */
    unsigned long last_evtchn_cmd;
    unsigned int last_evtchn_arg[2];
    int evtchn_errno; /* nonzero: the next evtchn ioctl fails with it */
    uint32_t next_port;
    uint32_t pending[16];
    unsigned int nr_pending;
    uint32_t unmasked[16];
    unsigned int nr_unmasked;
};

extern struct fake_state fake;

/* Forget everything recorded; default answers (0, all frames map). */
void fake_reset(void);
/* Whether [p, p + len) lies in one live hypercall buffer. */
int fake_is_buffer(const void *p, size_t len);
/* Live anonymous (hypercall buffer) mappings: 0 once all are freed. */
int fake_live_buffers(void);
/* The marker the fake writes at the start of a page it maps. */
uint64_t fake_frame_marker(domid_t dom, xen_pfn_t gfn);
struct fake_call *fake_last_call(void);

#endif /* FAKE_PRIVCMD_H */
