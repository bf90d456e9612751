/* SPDX-License-Identifier: MIT */
/*
 * xenguest.h - the domain builder (Xen's libxenguest, PVH part): fills an
 * already created, paused, empty domain from an ELF kernel so that
 * unpausing it boots the kernel by Xen's PVH boot ABI.
 *
 * It populates RAM, loads the ELF segments, places the ramdisk, writes
 * the ACPI tables, the memory map (also given to the hypervisor with
 * XENMEM_set_memory_map), struct hvm_start_info with the command line,
 * sets HVM_PARAM_{STORE,CONSOLE}_{PFN,EVTCHN}, and gives vCPU 0 its
 * registers with an HVM context record (public/hvm/save.h). Guest memory
 * is written through batched foreign mappings.
 *
 * It never destroys the domain: on failure it returns -1 with errno set
 * and the caller (tools/libs/light) tears down. The guest-physical layout
 * is docs/designs/toolstack.md's and the same as the hypervisor's
 * boot-module builder (xen/arch/x86/pvh_build.c).
 */
#ifndef XENGUEST_H
#define XENGUEST_H

#include <stddef.h>
#include <stdint.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

struct xc_pvh_dom
{
    /* in */
    const void *kernel; /* an ELF64 or ELF32 image with XEN_ELFNOTE_PHYS32_ENTRY */
    size_t kernel_size;
    const void *ramdisk; /* NULL: none */
    size_t ramdisk_size;
    const char *cmdline; /* NULL: empty */
    uint64_t mem_kb;     /* guest RAM, KiB */
    unsigned int max_vcpus;
    uint32_t store_domid, console_domid;   /* the backends' domain (0) */
    uint32_t store_evtchn, console_evtchn; /* ports in the guest, already
                                            * allocated unbound to the backends */
    /* out */
    xen_pfn_t store_pfn, console_pfn; /* the rings' guest frames */
    /* why the kernel or layout was refused (a static string), or NULL */
    const char *error;
    /* cost, for make bench */
    uint64_t hypercalls, map_batches, frames_mapped;
};

int xc_pvh_build(xc_interface *xch, xenforeignmemory_handle *fmem, uint32_t domid,
                 struct xc_pvh_dom *dom);

/*
 * Save and restore (docs/designs/migration-stream.md): the stream is
 * written to / read from io_fd. Both return 0, or -1 with errno set and
 * the reason in callbacks->error. Neither destroys a domain: after a
 * failed restore the caller destroys the one it created; after a failed
 * save the guest is left paused (if the library paused it) for the
 * caller to unpause.
 */
struct xc_sr_stats
{
    uint64_t rounds, records, pages_sent, pages_broken, pages_rebroken;
    /* live saves (docs/designs/live-migration.md), for xl and make bench */
    uint64_t guest_pages; /* pfns the first round covered */
    uint64_t final_pages; /* data pages the final round sent */
    uint64_t final_dirty; /* pfns the log reported dirty for the final round */
};

/* One round of a save, as the progress callback sees it after it went. */
struct xc_sr_round
{
    unsigned int round;     /* 1: the first (every pfn) */
    unsigned int final;     /* 1: the guest was stopped for it */
    uint64_t pfns;          /* pfns the round covered */
    uint64_t pages_sent;    /* data pages it sent */
    uint64_t pages_dirtied; /* pfns the log reported dirty while it went */
    uint64_t ns;            /* how long it took (for a rate; never tested) */
};

/* XCFLAGS_LIVE (Xen's value): rounds over the log-dirty bitmap while the
 * guest runs, then the final round. XCFLAGS_WREN_DIRTY_RING: the rounds
 * read the per-vCPU dirty rings instead of the bitmap (Wren only). */
#define XCFLAGS_LIVE            (1U << 0)
#define XCFLAGS_WREN_DIRTY_RING (1U << 16)

/* The steps of the final round (the guest stopped) at which a test may
 * act through save_callbacks.final_step, e.g. break a frame
 * (docs/designs/live-migration.md, "The final round's cases"). */
enum xc_sr_step
{
    XC_SR_STEP_STOPPED, /* the guest stopped, no batch yet (pfns NULL) */
    XC_SR_STEP_QUERY,   /* a batch, before its types are queried */
    XC_SR_STEP_COPY,    /* its types queried, before it is mapped */
    XC_SR_STEP_COPYING, /* mapped, before its pages are read */
    XC_SR_STEP_SENT,    /* its PAGE_DATA written, before its re-query */
    XC_SR_STEP_TAIL,    /* every batch sent, before the HVM context is read (pfns NULL) */
};

struct save_callbacks
{
    xenforeignmemory_handle *fmem; /* in: maps the guest's memory */
    /* Stops the guest before the final round. NULL: xc_domain_pause. */
    int (*suspend)(void *data);
    /* Test hook: the data of a batch is copied, before its re-query. */
    void (*batch_copied)(void *data, const xen_pfn_t *pfns, unsigned int n);
    /* Test hook: each step of the final round (NULL: none). */
    void (*final_step)(void *data, enum xc_sr_step step, const xen_pfn_t *pfns, unsigned int n);
    /* Live saves: called after every round (NULL: none). */
    void (*round_done)(void *data, const struct xc_sr_round *r);
    /* Live saves: rounds before the final one at most (0: 5), and the
     * dirty set small enough to stop early (0: 50 pfns). */
    unsigned int max_rounds;
    uint64_t dirty_threshold;
    void *data;
    char error[192];          /* out: why it failed */
    struct xc_sr_stats stats; /* out */
};

struct restore_callbacks
{
    xenforeignmemory_handle *fmem; /* in: maps the new domain's memory */
    uint64_t nr_pfns;              /* in: the domain's limit: pfns >= are refused */
    void *data;
    char error[192];          /* out: why it was refused */
    struct xc_sr_stats stats; /* out */
};

/* flags: XCFLAGS_LIVE, XCFLAGS_WREN_DIRTY_RING (with LIVE). */
int xc_domain_save(xc_interface *xch, int io_fd, uint32_t dom, uint32_t flags,
                   struct save_callbacks *callbacks);
/* dom: created paused and empty by the caller. The event channels are
 * this host's, already allocated; *store_mfn and *console_mfn come back
 * from the stream's HVM params. */
int xc_domain_restore(xc_interface *xch, int io_fd, uint32_t dom, unsigned int store_evtchn,
                      unsigned long *store_mfn, uint32_t store_domid, unsigned int console_evtchn,
                      unsigned long *console_mfn, uint32_t console_domid,
                      struct restore_callbacks *callbacks);

#endif /* XENGUEST_H */
