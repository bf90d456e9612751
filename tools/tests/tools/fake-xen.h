/*
 * fake-xen.h - a test double of the hypervisor as the domain builder
 * sees it through xenctrl.h, xencall.h and xenforeignmemory.h: one fake
 * domain (a sparse memory array, a populated map, its memory map, HVM
 * params and HVM context) and a recorder of every call, for the host
 * tests, the fuzz harness and the domain-build benchmark.
 *
 * Each library call counts as one hypercall, each map as one batch.
 * Fresh frames read 0xa5 (not zero), so a test sees what the builder
 * zeroes itself. Mappings are copies written back at unmap, so a frame
 * the builder writes but never unmaps is lost, as a leak would be
 * noticed. Failures can be injected by call or map number.
 *
 * For save/restore it also keeps page types (a frame is RAM, broken or
 * absent), TSC settings, a pause count, and counts every read of every
 * frame through a mapping, so a test can prove a broken frame is never
 * read: mapping one fails that page (err[] = -EFAULT) and counts it in
 * broken_reads.
 *
 * For live saves it keeps a log-dirty bitmap that fake_write() marks
 * while log-dirty is on (XEN_DOMCTL_shadow_op ENABLE_LOGDIRTY, CLEAN,
 * OFF, checked as logdirty.c checks them), and calls after_clean after
 * every CLEAN so a test can play a guest writing between rounds. Beside
 * it, one dirty ring (vCPU 0's; the no-vCPU ring is always empty) that
 * a newly dirty frame is pushed to, with ring_cap entries (0: what
 * ENABLE asks); a push with no room is dropped, and a CLEAN without a
 * bitmap then refuses (EAGAIN) as logdirty.c does.
 *
 * It may touch only its own struct fake_dom; nothing here is real Xen.
 */
#ifndef FAKE_XEN_H
#define FAKE_XEN_H

#include <stdbool.h>
#include <stdint.h>
#include <xenctrl.h>
#include <xenctrl_wren.h>
#include <xencall.h>
#include <xenforeignmemory.h>

#define FAKE_PAGE       4096u
#define FAKE_MAX_MAPS   16
#define FAKE_MAX_MEMMAP 16
#define FAKE_NR_PARAMS  64

struct fake_dom;

struct xc_interface_core
{
    struct fake_dom *d;
};
struct xencall_handle
{
    struct fake_dom *d;
};
struct xenforeignmemory_handle
{
    struct fake_dom *d;
};

struct fake_map
{
    uint8_t *va;
    uint64_t *gfns;
    size_t n;
};

struct fake_dom
{
    uint32_t domid;
    uint64_t nr_gfns; /* the guest-physical address space, in frames */
    uint8_t **page;   /* contents, allocated when first mapped */
    bool *populated;

    /* what the builder did */
    uint64_t calls, batches, frames;
    uint64_t populate_calls, extents[10]; /* by order */
    uint64_t populated_frames;
    struct xen_e820_entry memmap[FAKE_MAX_MEMMAP];
    unsigned int nr_memmap;
    uint64_t params[FAKE_NR_PARAMS];
    uint64_t params_set; /* bitmap */
    uint8_t ctxt[16384];
    uint32_t ctxt_len;
    struct fake_map maps[FAKE_MAX_MAPS];
    unsigned int nr_maps; /* outstanding */

    /* save/restore */
    bool *broken;
    uint32_t *reads;       /* per gfn: times mapped */
    uint64_t broken_reads; /* maps that named a broken frame */
    uint64_t broken_set;   /* xc_set_broken_page_p2m calls */
    uint32_t tsc_mode, tsc_khz, tsc_incarnation;
    uint64_t tsc_nsec;
    const char *caps; /* XENVER_capabilities; NULL: an x86 host's */
    int paused;
    /* Called after each page-type query has answered (test hook). */
    void (*after_query)(struct fake_dom *d);
    /* Called as the HVM context is read into a buffer (test hook). */
    void (*on_getcontext)(struct fake_dom *d);

    /* log-dirty */
    bool logdirty;
    bool *dirty;
    uint64_t ld_enables, ld_cleans, ld_finals, ld_offs;
    bool ld_final_paused; /* every FINAL clean came with the domain paused */
    /* the dirty ring (xc_wren_dirty_ring_*) */
    bool ring_on, ring_dropped;
    uint32_t ring_cap, ring_size, ring_head, ring_used;
    uint64_t *ring;
    uint64_t ring_enables, ring_drops, ring_eagains;
    uint64_t pool_bytes, pool_needed; /* the p2m pool; what it holds already */
    unsigned int pool_sets;
    /* Called after each unmap (a batch copied out; test hook). */
    void (*after_unmap)(struct fake_dom *d);
    /* Called after each CLEAN has answered (test hook). */
    void (*after_clean)(struct fake_dom *d);

    /* failures to inject: the Nth call / map (1-based; 0 = none) */
    uint64_t fail_call, fail_map;

    struct xc_interface_core xch;
    struct xencall_handle xcall;
    struct xenforeignmemory_handle fmem;
};

/* A domain with domid and an address space of nr_gfns frames. */
void fake_dom_init(struct fake_dom *d, uint32_t domid, uint64_t nr_gfns);
void fake_dom_dispose(struct fake_dom *d);

/* Read guest-physical memory (unpopulated reads as 0xff; never-written
 * populated frames as 0xa5). */
void fake_read(const struct fake_dom *d, uint64_t gpa, void *buf, size_t len);
bool fake_is_populated(const struct fake_dom *d, uint64_t gfn);
/* Write guest memory directly (populating nothing: gfn must be RAM). */
void fake_write(struct fake_dom *d, uint64_t gpa, const void *buf, size_t len);
/* A machine check on gfn's frame: it is broken from now on. */
void fake_break(struct fake_dom *d, uint64_t gfn);

#endif /* FAKE_XEN_H */
