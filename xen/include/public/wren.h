/* SPDX-License-Identifier: MIT */
/*
 * wren.h - Wren's own additions to the Xen guest ABI.
 *
 * Wren speaks Xen's ABI unchanged; anything Wren offers beyond it is
 * declared here and only here, so that a reader can see at a glance what
 * a Xen guest would not find on Xen. Each addition uses a number Xen has
 * not assigned and follows the rules of the other headers in this
 * directory: fixed-width fields, explicit zero padding, no bitfields, a
 * size assertion on every struct.
 */
#ifndef WREN_PUBLIC_WREN_H
#define WREN_PUBLIC_WREN_H

#include "xen.h"

/*
 * XEN_DOMCTL_wren_p2m (domctl.h's union member "wren_p2m"): inspect and
 * drive a domain's p2m from the control domain, for tests, benchmarks and
 * debugging. Xen has no such domctl; 0x7701 is outside Xen's numbering.
 * Privileged callers only, like every domctl.
 */
#define XEN_DOMCTL_wren_p2m 0x7701

#define WREN_P2M_GET_STATS    0 /* fill the counters below */
#define WREN_P2M_AUDIT        1 /* counters + audit_rc (0 or -EILSEQ) */
#define WREN_P2M_BEGIN_GLOBAL 2 /* arg[0] old type -> arg[1] new type, lazily */
#define WREN_P2M_FINISH       3 /* resolve everything pending (preemptible) */
#define WREN_P2M_SET_EAGER    4 /* arg[0]: 1 = apply global changes at once */
#define WREN_P2M_LOOKUP       5 /* arg[0] gfn -> arg[1] p2m type, arg[2] order */
#define WREN_P2M_TYPE_COUNT \
    6 /* arg[0] p2m type -> arg[1] present leaves of it, arg[2] their 4K frames */
#define WREN_P2M_CLAIM_TYPE   7 /* arg[0] type, arg[1] owner id (nonzero) */
#define WREN_P2M_RELEASE_TYPE 8 /* arg[0] type, arg[1] owner, arg[2] type entries become */
#define WREN_P2M_COALESCE     9 /* arg[0] gfn, arg[1] order (9 or 18) -> arg[2] 1 if merged */
#define WREN_P2M_CHANGE_RANGE \
    10 /* arg[0] gfn, arg[1] nr, arg[2] old | new << 8 -> arg[0] changed */
#define WREN_P2M_FAULT_COUNTS \
    11 /* -> arg[0] ram_ro writes dropped, arg[1] log-dirty write faults */
#define WREN_P2M_POOL \
    12 /* -> arg[0] p2m pool pages, arg[1] in use as tables,
                                   *    arg[2] frames owned (RAM allocated or not yet freed) */
#define WREN_P2M_IOREQ_INVAL \
    13 /* -> arg[0] mapcache invalidations sent (broadcasts), arg[1] vCPU
        *    flags set, arg[2] RAM frames unmapped or replaced (ioreq.md) */
/* Test knob: arg[0] 1 = XEN_DMOP_map_mem_type_to_ioreq_server sweeps
 * nothing, so a released claim's entries stay outstanding until the guest
 * touches them (the guard's tests); 0 = it sweeps (the default). */
#define WREN_P2M_IOREQ_NO_SWEEP 14

struct xen_domctl_wren_p2m
{
    uint32_t op;     /* WREN_P2M_* */
    uint32_t pad;    /* zero */
    uint64_t arg[3]; /* IN/OUT, per op */
    /* OUT: the p2m's counters (see xen/include/xen/p2m.h) */
    uint64_t entries_4k, entries_2m, entries_1g;
    uint64_t recalc_pending, recalc_resolved, leaves_recalculated;
    uint64_t global_changes, resyncs, shatters, coalesces, entries_written;
    int32_t audit_rc;
    uint32_t pad2;
};
XEN_ABI_SIZE(struct xen_domctl_wren_p2m, 128);

/*
 * XEN_DOMCTL_shadow_op, ENABLE_LOGDIRTY (or ENABLE with mode
 * XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY): Wren's choice of mechanism and
 * superpage policy, in bits of 'mode' that Xen leaves unused. Zero means
 * the hypervisor's default: the best mechanism the CPU has (PML, else A/D
 * harvest on NPT, else write-protect) and the shatter policy, unless the
 * command line says otherwise (logdirty=wp|pml|ad,
 * logdirty_superpages=shatter|keep). docs/designs/log-dirty.md.
 *
 * Errors of shadow_op (Wren's documented choices):
 *   -EPERM       the caller is not the control domain (the dispatcher)
 *   -EINVAL      target is the hardware domain or the caller itself;
 *                unknown op; mode bits not defined for the op; both
 *                SP_KEEP and SP_SHATTER; a mechanism number above AD;
 *                OFF, CLEAN or PEEK while log-dirty is off; CLEAN/PEEK
 *                with a bitmap of fewer 'pages' than the domain's frames
 *                (nothing is reset; 'pages' is not updated)
 *   -EBUSY       ENABLE while log-dirty is on, or while another owner
 *                holds the ram_logdirty p2m type (write-protect only)
 *   -EOPNOTSUPP  ENABLE with a mechanism this CPU does not have
 *   -EFAULT      the bitmap cannot be written: nothing is reset
 *   -ENOMEM      no room for the bitmap or the page tables a shatter needs
 *   -EAGAIN      CLEAN with a null bitmap while dirty rings are on and
 *                some frames it would reset are in no ring (dropped, or
 *                dirtied before the rings): nothing is reset; CLEAN again
 *                with a bitmap (XEN_DOMCTL_wren_dirty_ring)
 * A null dirty_bitmap is allowed: CLEAN then resets without copying.
 */
#define WREN_LOGDIRTY_MECH_SHIFT   8
#define WREN_LOGDIRTY_MECH_MASK    (0xfU << WREN_LOGDIRTY_MECH_SHIFT)
#define WREN_LOGDIRTY_MECH_DEFAULT 0 /* the hypervisor's choice */
#define WREN_LOGDIRTY_MECH_WP      1 /* write-protect faults */
#define WREN_LOGDIRTY_MECH_PML     2 /* Intel page-modification logging */
#define WREN_LOGDIRTY_MECH_AD      3 /* dirty flags of second-stage entries */
#define WREN_LOGDIRTY_MECH(m)      ((uint32_t)(m) << WREN_LOGDIRTY_MECH_SHIFT)
#define WREN_LOGDIRTY_SP_KEEP      (1U << 12) /* keep superpages, report them whole */
#define WREN_LOGDIRTY_SP_SHATTER   (1U << 13) /* split them: 4K-exact reports */
#define WREN_LOGDIRTY_MODE_MASK \
    (WREN_LOGDIRTY_MECH_MASK | WREN_LOGDIRTY_SP_KEEP | WREN_LOGDIRTY_SP_SHATTER)

/*
 * WREN_MAPSPACE_gmfn_foreign_ro: XENMEM_add_to_physmap_batch's
 * XENMAPSPACE_gmfn_foreign, mapped read-only. Xen's batch has no access
 * argument, so every foreign mapping is writable, and Wren's log-dirty
 * reports every frame another domain maps writable (logdirty-foreign.c):
 * a migration that reads the guest through such mappings would see every
 * page it sent come back dirty the round after. A read-only mapping
 * cannot be written through, so log-dirty leaves it out. A write by the
 * mapping domain faults as a write to any read-only page of its own.
 */
#define WREN_MAPSPACE_gmfn_foreign_ro 0x5704

/*
 * XEN_DOMCTL_wren_logdirty: log-dirty counters of one domain, for tests
 * and `make bench` (counts, never times). Control domain only. The
 * struct goes in struct xen_domctl's union (its 128-byte pad).
 */
#define XEN_DOMCTL_wren_logdirty 0x7702

#define WREN_LOGDIRTY_GET_STATS 0

#define WREN_LOGDIRTY_F_ENABLED      (1U << 0) /* log-dirty is on */
#define WREN_LOGDIRTY_F_KEEP         (1U << 1) /* ... with the keep policy */
#define WREN_LOGDIRTY_F_DEFAULT_KEEP (1U << 2) /* mode 0 would pick keep */

struct xen_domctl_wren_logdirty
{
    uint32_t op;           /* IN: WREN_LOGDIRTY_GET_STATS */
    uint32_t pad;          /* IN: zero */
    uint32_t mech;         /* OUT: WREN_LOGDIRTY_MECH_* in use (last used if off) */
    uint32_t flags;        /* OUT: WREN_LOGDIRTY_F_* */
    uint32_t available;    /* OUT: bit m set if mechanism m can be enabled */
    uint32_t default_mech; /* OUT: what WREN_LOGDIRTY_MECH_DEFAULT picks */
    /* OUT: counted since the last enable (kept after disable) */
    uint64_t logging_exits;       /* write-protect faults and PML-full exits */
    uint64_t pages_reported;      /* bits set in the bitmaps CLEAN/PEEK returned */
    uint64_t rounds;              /* CLEANs */
    uint64_t final_rounds;        /* CLEAN/PEEK with LOGDIRTY_FINAL */
    uint64_t p2m_entries_written; /* p2m entry stores since enable, any cause */
    uint64_t superpages_before;   /* 2M/1G leaves at enable */
    uint64_t superpages_restored; /* re-coalesced at disable */
    uint64_t pml_entries;         /* PML addresses drained, duplicates included */
    /* OUT: now */
    uint64_t vcpu_exits;   /* VM exits of all the domain's vCPUs, ever */
    uint64_t bitmap_pages; /* frames the bitmap covers (0 while off) */
};
XEN_ABI_SIZE(struct xen_domctl_wren_logdirty, 104);

/*
 * XEN_DOMCTL_wren_ioreq: the IOREQ counters of one domain (server
 * WREN_IOREQ_DOMAIN) or of one of its servers, for tests, xl and `make
 * bench` (docs/designs/ioreq.md). Control domain only. The struct goes
 * in struct xen_domctl's union (its 128-byte pad). An id with no server
 * is answered with flags 0 and zero counters.
 */
#define XEN_DOMCTL_wren_ioreq 0x7703

#define WREN_IOREQ_DOMAIN 0xffffU

#define WREN_IOREQ_F_EXISTS  (1U << 0) /* the server exists */
#define WREN_IOREQ_F_ENABLED (1U << 1) /* ... and is enabled */
#define WREN_IOREQ_F_RING    (1U << 2) /* ... and has a buffered ring */

struct xen_domctl_wren_ioreq
{
    uint32_t server;     /* IN: an ioservid_t, or WREN_IOREQ_DOMAIN */
    uint32_t flags;      /* OUT: WREN_IOREQ_F_* (a server) */
    uint64_t sent;       /* OUT: synchronous requests sent */
    uint64_t posted;     /* OUT: writes posted to a ring */
    uint64_t answered;   /* OUT: answers taken */
    uint64_t bad;        /* OUT: answers ignored (bad state, nothing asked), bad ring pointers */
    uint64_t ring_full;  /* OUT: the domain's writes sent synchronously for a full ring */
    uint64_t vcpu_exits; /* OUT: VM exits of all the domain's vCPUs, ever */
    uint32_t nr_servers; /* OUT: the domain's servers */
    uint16_t emulator;   /* OUT: the server's creator (a server) */
    uint16_t pad;
};
XEN_ABI_SIZE(struct xen_domctl_wren_ioreq, 64);

/*
 * XEN_SYSCTL_wren_vcpu_load (sysctl.h's union member "wren_vcpu_load"):
 * how often the hypervisor made a vCPU's VMCS or ASID ready on a CPU,
 * summed over every CPU since boot, for tests and `make bench` (counts,
 * never times). Xen has no such sysctl; 0x7780 is outside its numbering.
 * Control domain only. A vendor leaves the other vendor's fields zero.
 */
#define XEN_SYSCTL_wren_vcpu_load 0x7780

struct xen_sysctl_wren_vcpu_load
{
    uint64_t entries;        /* OUT: VM entries attempted (VMX, SVM) */
    uint64_t vmlaunches;     /* OUT: ... of them VMLAUNCH (VMX) */
    uint64_t vmresumes;      /* OUT: ... of them VMRESUME (VMX) */
    uint64_t vmptrlds;       /* OUT: VMPTRLDs (VMX) */
    uint64_t vmclears;       /* OUT: VMCLEARs, creation included (VMX) */
    uint64_t remote_clears;  /* OUT: of those, done for another CPU (VMX) */
    uint64_t asid_allocs;    /* OUT: ASIDs handed to a vCPU on a CPU (SVM) */
    uint64_t asid_rollovers; /* OUT: a CPU ran out and began a generation (SVM) */
    uint64_t tlb_flush_all;  /* OUT: VMRUNs with TLB_CONTROL "flush all" (SVM) */
};
XEN_ABI_SIZE(struct xen_sysctl_wren_vcpu_load, 72);

/*
 * XEN_SYSCTL_wren_frame (sysctl.h's union member "wren_frame"): one
 * machine frame's state in the frame table and the broken-frame counters
 * (docs/designs/vmce.md), for tests. Xen has no such sysctl; 0x7781 is
 * outside its numbering. Control domain only.
 *
 *   WREN_FRAME_QUERY   IN mfn                -> flags, owner, count
 *   WREN_FRAME_OF_GFN  IN domid, gfn -> mfn (~0 if none), p2m_type, and
 *                      the same as QUERY of that mfn
 *
 * Either fills the counters. -EINVAL: unknown op, pad not zero, gfn
 * beyond the domain's limit; -ESRCH: no such domain.
 */
#define XEN_SYSCTL_wren_frame 0x7781

#define WREN_FRAME_QUERY  0
#define WREN_FRAME_OF_GFN 1

#define WREN_FRAME_F_MANAGED (1U << 0) /* a frame the allocator manages */
#define WREN_FRAME_F_FREE    (1U << 1) /* in the allocator */
#define WREN_FRAME_F_GUEST   (1U << 2) /* a domain's (owner says whose) */
#define WREN_FRAME_F_BROKEN  (1U << 3) /* out of service for good */

struct xen_sysctl_wren_frame
{
    uint32_t op;    /* IN: WREN_FRAME_* */
    domid_t domid;  /* IN: OF_GFN */
    uint16_t pad;   /* zero */
    uint64_t gfn;   /* IN: OF_GFN */
    uint64_t mfn;   /* IN: QUERY; OUT: OF_GFN */
    uint32_t flags; /* OUT: WREN_FRAME_F_* */
    domid_t owner;  /* OUT: with F_GUEST */
    uint16_t pad2;
    uint32_t count;    /* OUT: references */
    uint32_t p2m_type; /* OUT: OF_GFN, the entry's type */
    uint64_t retired;  /* OUT: frames the allocator retired */
    uint64_t reported; /* OUT: frames machine checks named */
    uint64_t owned;    /* OUT: ... that were a domain's RAM, entry made broken */
    uint64_t injected; /* OUT: vMCEs delivered */
    uint64_t crashed;  /* OUT: domains crashed for want of CR4.MCE */
    uint64_t dropped;  /* OUT: reports no owner was told of */
};
XEN_ABI_SIZE(struct xen_sysctl_wren_frame, 88);

/*
 * XEN_SYSCTL_wren_link (sysctl.h's union member "wren_link"): where the
 * two-machine link's shared memory is in the control domain's
 * guest-physical space (docs/designs/live-migration.md, "Two machines").
 * The hypervisor finds QEMU's ivshmem device (PCI 1af4:1110) on bus 0 at
 * boot and maps its BAR2 into the control domain, and only there, as
 * mmio_direct at gfn == mfn. Xen has no such sysctl; 0x7782 is outside
 * its numbering. Control domain only. -ENODEV: no device, or one whose
 * BAR could not be mapped (the boot log says why): nothing is mapped.
 * -EINVAL: pad not zero.
 */
#define XEN_SYSCTL_wren_link 0x7782

struct xen_sysctl_wren_link
{
    uint64_t gfn;       /* OUT: the region's first frame in the control domain */
    uint64_t nr_frames; /* OUT: its length in frames (a power of two) */
    uint64_t mfn;       /* OUT: the BAR's first machine frame */
    uint16_t bdf;       /* OUT: bus << 8 | device << 3 | function */
    uint16_t pad[3];    /* zero on the way in */
};
XEN_ABI_SIZE(struct xen_sysctl_wren_link, 32);

/*
 * XEN_DOMCTL_wren_dirty_ring: per-vCPU rings of dirtied gfns beside the
 * log-dirty bitmap (docs/designs/live-migration.md, "The dirty ring").
 * Xen has no such domctl (KVM has a dirty ring); 0x7704 is outside Xen's
 * numbering. Control domain only. The struct goes in struct xen_domctl's
 * union (its 128-byte pad).
 *
 * While log-dirty is on and the rings are enabled, every gfn the bitmap
 * newly records (once per CLEAN interval: a gfn already dirty since the
 * last CLEAN is not pushed again) is also pushed as one entry into the
 * ring of the vCPU that dirtied it: write-protect faults and PML drains
 * have one; hypervisor writes made during a vCPU's own hypercall are
 * that vCPU's. Marks that no vCPU of the domain made (A/D harvest at
 * CLEAN, other domains' writes, device models) go to one more ring,
 * WREN_DIRTY_RING_NO_VCPU. The bitmap keeps working as before.
 *
 * Full ring: once a vCPU's ring holds soft_limit entries, that vCPU
 * leaves the guest and is not run again until a HARVEST takes it below
 * soft_limit (full_exits counts such stops; STATUS and HARVEST report
 * WREN_DIRTY_RING_F_STOPPED meanwhile). The reserve above soft_limit
 * takes what one exit can still push (a PML buffer, a hypercall's
 * writes). An entry that finds no room at all (the no-vCPU ring, which
 * stops nobody, or a reserve exhausted) is dropped, counted in
 * 'dropped', and the bitmap still has it: F_DROPPED_TAKEN then says the
 * bitmap the last CLEAN returned holds gfns some ring missed, so a
 * caller using the rings must use that bitmap for that round. A CLEAN
 * with a null bitmap refuses such a round (-EAGAIN, nothing reset), so
 * a ring user CLEANs without a bitmap, and again with one on -EAGAIN.
 *
 *   ENABLE   IN entries (per ring: a power of two in [MIN, MAX] and at
 *            least RESERVE_PML * 2 under PML). Log-dirty must be on.
 *   HARVEST  IN vcpu, buffer (struct xen_wren_dirty_entry[max]), max:
 *            the oldest min(max, in the ring) entries are copied out and
 *            their slots freed; OUT count (copied) and STATUS's fields.
 *   DISABLE  frees the rings, restarts stopped vCPUs. (Log-dirty's OFF
 *            and the domain's destruction do the same.)
 *
 * The rings are charged to the domain's p2m pool: entries * 16 bytes
 * rounded up to pages, for each of max_vcpus + 1 rings, plus one page
 * per 64 rings (rounded up). A toolstack grows the pool by that much
 * first if it must.
 *   STATUS   IN vcpu; OUT count (entries in the ring) and the rest.
 *
 * Errors, decided before anything changes:
 *   -EPERM   the caller is not the control domain (the dispatcher)
 *   -EINVAL  unknown op; pad or an IN field the op does not take not
 *            zero; target is the caller or the hardware domain; entries
 *            not a power of two or out of range; ENABLE while log-dirty
 *            is off; HARVEST/STATUS/DISABLE while the rings are off;
 *            vcpu neither a vCPU of the domain at ENABLE (nr_rings)
 *            nor NO_VCPU (a vCPU XEN_DOMCTL_max_vcpus added later has
 *            no ring: its marks go to NO_VCPU's); HARVEST with
 *            max 0 or no buffer
 *   -EBUSY   ENABLE while the rings are on
 *   -ENOMEM  no room for the rings in the domain's p2m pool
 *   -EFAULT  the buffer cannot be written: nothing is taken
 */
#define XEN_DOMCTL_wren_dirty_ring 0x7704

#define WREN_DIRTY_RING_ENABLE  0
#define WREN_DIRTY_RING_HARVEST 1
#define WREN_DIRTY_RING_DISABLE 2
#define WREN_DIRTY_RING_STATUS  3

#define WREN_DIRTY_RING_NO_VCPU     0xffffffffU /* the ring of marks no vCPU made */
#define WREN_DIRTY_RING_MIN_ENTRIES 128
#define WREN_DIRTY_RING_MAX_ENTRIES 65536
/* Entries above soft_limit: what one exit may push after the limit. */
#define WREN_DIRTY_RING_RESERVE     64
#define WREN_DIRTY_RING_RESERVE_PML (64 + 512) /* + one whole PML buffer */

#define WREN_DIRTY_RING_F_ENABLED         (1U << 0) /* the rings exist */
#define WREN_DIRTY_RING_F_STOPPED         (1U << 1) /* this vCPU waits for a harvest */
#define WREN_DIRTY_RING_F_DROPPED_TAKEN   (1U << 2) /* last CLEAN's bitmap has dropped gfns */
#define WREN_DIRTY_RING_F_DROPPED_PENDING (1U << 3) /* a gfn dropped since the last CLEAN */

struct xen_wren_dirty_entry
{
    uint64_t gfn;   /* first frame of the range */
    uint32_t order; /* 2^order frames (0; 9 or 18 for a kept superpage) */
    uint32_t pad;   /* zero */
};
XEN_ABI_SIZE(struct xen_wren_dirty_entry, 16);

struct xen_domctl_wren_dirty_ring
{
    uint32_t op;         /* IN: WREN_DIRTY_RING_* */
    uint32_t vcpu;       /* IN: HARVEST, STATUS: a vCPU id or NO_VCPU */
    uint32_t entries;    /* IN: ENABLE; OUT: entries per ring (0 while off) */
    uint32_t max;        /* IN: HARVEST: entries the buffer holds */
    uint64_t buffer;     /* IN: HARVEST: guest address of the entries */
    uint32_t count;      /* OUT: HARVEST copied; STATUS in the ring */
    uint32_t flags;      /* OUT: WREN_DIRTY_RING_F_* */
    uint32_t soft_limit; /* OUT: entries at which the vCPU stops */
    uint32_t nr_rings;   /* OUT: vCPU rings (the NO_VCPU ring not counted) */
    /* OUT: this ring, since ENABLE */
    uint64_t pushed;     /* entries pushed */
    uint64_t harvested;  /* entries taken by HARVEST */
    uint64_t full_exits; /* times its vCPU stopped for a full ring */
    uint64_t dropped;    /* entries with no room (the bitmap has them) */
    /* OUT: all rings */
    uint64_t total_full_exits;
    uint64_t total_dropped;
};
XEN_ABI_SIZE(struct xen_domctl_wren_dirty_ring, 88);

/*
 * XENMEM_sharing_op additions (memory.h's struct xen_mem_sharing_op).
 * Xen unshares only on a write; Wren also unshares on request, for tests
 * and for a toolstack that wants a gfn private before it maps it. 0x80 is
 * above Xen's sharing op numbers. The gfn is u.nominate.u.gfn of the
 * domain named by the op; 0, or -ENOMEM when the domain's reservation
 * has no room for the copy (nothing changes then).
 */
#define WREN_SHARING_OP_unshare 0x80

/*
 * XEN_DOMCTL_wren_vm_event: the mem_access and vm_event counters of one
 * domain (common/vm_event.c, common/mem_access.c), for tests and `make
 * bench`. Control domain only. Xen has no such domctl; 0x7709 is outside
 * its numbering.
 */
#define XEN_DOMCTL_wren_vm_event 0x7709

struct xen_domctl_wren_vm_event
{
    uint32_t op;              /* IN: 0 (get) */
    uint32_t flags;           /* OUT: bit 0 ring on, bit 1 access_required */
    uint64_t requests;        /* OUT: requests put on the ring */
    uint64_t responses;       /* OUT: responses taken (well-formed) */
    uint64_t bad_responses;   /* OUT: responses ignored (version, vCPU, state) */
    uint64_t ring_waits;      /* OUT: violations that found the ring full */
    uint64_t violation_exits; /* OUT: exits that were mem_access violations */
    uint64_t access_resets;   /* OUT: pages given rwx back for want of a listener */
    uint64_t paused_now;      /* OUT: vCPUs waiting for a response or for room */
};
XEN_ABI_SIZE(struct xen_domctl_wren_vm_event, 64);

#endif /* WREN_PUBLIC_WREN_H */
