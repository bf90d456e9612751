/* SPDX-License-Identifier: MIT */
/*
 * hvm/ioreq.h - what the hypervisor and an IOREQ server (a device model)
 * exchange through the server's pages: one synchronous request slot per
 * vCPU, and an optional ring of buffered (posted) writes.
 *
 * Layouts, numbers and bit positions are Xen's. Xen declares the flag
 * byte and the buffered entry's first word with bitfields; Wren's ABI has
 * none, so they are plain integers with the accessors below.
 *
 * A slot's life (docs/designs/ioreq.md): NONE -> READY (hypervisor filled
 * it, then notified vp_eport) -> INPROCESS (server took it) ->
 * IORESP_READY (server wrote data for a read, then notified its end of
 * vp_eport) -> NONE (hypervisor consumed the answer). Only the hypervisor
 * writes READY and NONE, only the server INPROCESS and IORESP_READY;
 * each side publishes the other fields before the state, with a barrier.
 */
#ifndef WREN_PUBLIC_HVM_IOREQ_H
#define WREN_PUBLIC_HVM_IOREQ_H

#include "../xen.h"

#define IOREQ_READ  1
#define IOREQ_WRITE 0

#define STATE_IOREQ_NONE      0
#define STATE_IOREQ_READY     1
#define STATE_IOREQ_INPROCESS 2
#define STATE_IORESP_READY    3

#define IOREQ_TYPE_PIO        0 /* port I/O: addr is the port */
#define IOREQ_TYPE_COPY       1 /* memory: addr is the guest-physical address */
#define IOREQ_TYPE_PCI_CONFIG 2 /* addr: SBDF << 32 | register */
#define IOREQ_TYPE_TIMEOFFSET 7
#define IOREQ_TYPE_INVALIDATE 8 /* drop every cached mapping of the domain */

/*
 * One request. count > 1 is a rep string form: count elements of size
 * bytes from addr (step size, downwards if DF); with data_is_ptr, data is
 * the guest-physical address of the RAM side of the transfer, which the
 * server reads or writes itself; otherwise data is the value.
 */
struct ioreq
{
    uint64_t addr;
    uint64_t data;
    uint32_t count;
    uint32_t size;     /* bytes: 1, 2, 4 or 8 */
    uint32_t vp_eport; /* the vCPU's port, in the served domain */
    uint16_t _pad0;
    uint8_t flags; /* IOREQ_FLAG_* below */
    uint8_t type;  /* IOREQ_TYPE_* */
};
typedef struct ioreq ioreq_t;
XEN_ABI_SIZE(struct ioreq, 32);

/* The flag byte: Xen's state:4, data_is_ptr:1, dir:1, df:1, _pad1:1. */
#define IOREQ_FLAG_STATE_MASK  0x0fU
#define IOREQ_FLAG_DATA_IS_PTR 0x10U
#define IOREQ_FLAG_DIR_READ    0x20U
#define IOREQ_FLAG_DF          0x40U

#define IOREQ_STATE(p)  ((p)->flags & IOREQ_FLAG_STATE_MASK)
#define IOREQ_DIR(p)    (((p)->flags & IOREQ_FLAG_DIR_READ) ? IOREQ_READ : IOREQ_WRITE)
#define IOREQ_IS_PTR(p) (((p)->flags & IOREQ_FLAG_DATA_IS_PTR) != 0)
#define IOREQ_DF(p)     (((p)->flags & IOREQ_FLAG_DF) != 0)

/* The synchronous page: slot i belongs to vCPU i. */
struct shared_iopage
{
    struct ioreq vcpu_ioreq[1]; /* as many as the domain has vCPUs */
};
typedef struct shared_iopage shared_iopage_t;

/*
 * One buffered write. word: type in bits 0-7, dir bit 9, size bits 10-11
 * (0: 1 byte, 1: 2, 2: 4, 3: 8, which takes two slots, the second's data
 * holding bits 63:32), addr bits 12-31 (20 bits).
 */
struct buf_ioreq
{
    uint32_t word;
    uint32_t data;
};
typedef struct buf_ioreq buf_ioreq_t;
XEN_ABI_SIZE(struct buf_ioreq, 8);

#define BUF_IOREQ_TYPE(b)  ((b)->word & 0xffU)
#define BUF_IOREQ_DIR(b)   (((b)->word >> 9) & 1U)
#define BUF_IOREQ_SIZE(b)  (1U << (((b)->word >> 10) & 3U))
#define BUF_IOREQ_ADDR(b)  ((b)->word >> 12)
#define BUF_IOREQ_ADDR_MAX ((1U << 20) - 1)
#define BUF_IOREQ_WORD(type, dir, size_log2, addr)                                                 \
    (((uint32_t)(type)&0xffU) | (((uint32_t)(dir)&1U) << 9) | (((uint32_t)(size_log2)&3U) << 10) | \
     ((uint32_t)(addr) << 12))

#define IOREQ_BUFFER_SLOT_NUM 511 /* 8 bytes each, after the two pointers */

/* The buffered page: a ring the hypervisor fills (write_pointer) and the
 * server drains (read_pointer); slot = pointer % IOREQ_BUFFER_SLOT_NUM. */
struct buffered_iopage
{
    union
    {
        struct
        {
            uint32_t read_pointer;
            uint32_t write_pointer;
        } p;
        uint64_t full; /* HVM_IOREQSRV_BUFIOREQ_ATOMIC: both at once */
    } ptrs;
    struct buf_ioreq buf_ioreq[IOREQ_BUFFER_SLOT_NUM];
};
typedef struct buffered_iopage buffered_iopage_t;
XEN_ABI_SIZE(struct buffered_iopage, 4096);

/* XENMEM_acquire_resource frames of an ioreq server: the buffered page,
 * then the synchronous page(s). */
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))

#endif /* WREN_PUBLIC_HVM_IOREQ_H */
