/*
 * logdirty.h - tracking which guest frames were written (XEN_DOMCTL_shadow_op
 * log-dirty), behind one interface with three mechanisms:
 *
 *   write-protect  RAM becomes ram_logdirty by a lazy global type change;
 *                  the first write to a page faults (npf.c), is logged,
 *                  and the page goes back to ram_rw. Every platform.
 *   PML            (a hardware write log, arch_logdirty_hw_log()) entries
 *                  stay writable with the second-stage dirty bit
 *                  clear; the CPU logs the address on the D-bit 0->1
 *                  transition into a 512-entry per-vCPU buffer; the
 *                  buffer is drained into the bitmap (by the arch).
 *   A/D harvest    (NPT, or EPT with A/D) entries stay writable; the
 *                  hardware sets D in the second-stage entries; CLEAN and
 *                  PEEK collect and clear them (p2m walk).
 *
 * Superpage policy, per domain: SHATTER (exact 4K information: a write to
 * a superpage splits it) or KEEP (the superpage stays and its whole range
 * is reported dirty). Turning log-dirty off re-coalesces every range that
 * was a superpage when it was turned on and is eligible again.
 *
 * docs/designs/log-dirty.md has the protocol: when each mechanism's
 * flags are cleared, flushed and re-armed, and why no write is lost.
 *
 * Files: logdirty.c (shadow_op, mechanisms, fault handler, stats
 * domctl), logdirty-bitmap.c (the bitmap and the superpage record; no
 * struct domain, so it runs in the host unit tests), p2m/dirty.c (the
 * table walks).
 *
 * Locking: d->logdirty.lock protects the bitmap and the counters; it is
 * taken after p2m->lock when both are needed, and logdirty_mark() may be
 * called with p2m->lock held. Everything else (enable, clean, peek, off)
 * runs under the domctl lock, one at a time per machine.
 */
#ifndef XEN_LOGDIRTY_H
#define XEN_LOGDIRTY_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/p2m.h>

struct domain;
struct vcpu;
struct p2m_domain;
struct dirty_ring;

enum logdirty_mech
{
    LOGDIRTY_NONE = 0,
    LOGDIRTY_WRITE_PROTECT,
    LOGDIRTY_PML,
    LOGDIRTY_AD_HARVEST,
};

enum logdirty_sp_policy
{
    LOGDIRTY_SP_SHATTER = 0,
    LOGDIRTY_SP_KEEP,
};

/* Counts for tests and `make bench` (never times). Reset at enable; kept
 * after disable so the restore can be read. */
struct logdirty_stats
{
    uint64_t logging_exits;       /* write-protect faults, PML-full exits */
    uint64_t pages_reported;      /* bits handed out by CLEAN/PEEK */
    uint64_t rounds;              /* CLEANs */
    uint64_t p2m_entries_written; /* p2m stores since enable, any cause */
    uint64_t superpages_before;   /* 2M/1G leaves when enabled */
    uint64_t superpages_restored; /* re-coalesced at disable */
    uint64_t pml_entries;         /* PML addresses drained (incl. duplicates) */
    uint64_t final_rounds;        /* CLEAN/PEEK with XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL */
};

/*
 * A mechanism that needs vendor help (PML) provides these; the core calls
 * them with the domain's log-dirty lock NOT held, from the domctl (the
 * domain is not paused unless said so).
 *
 *  enable        after the bitmap exists and before the dirty flags are
 *                cleared: from then on every D 0->1 must reach the
 *                bitmap (through logdirty_mark) at the next flush.
 *  flush         before every CLEAN and PEEK and before disable.
 *  disable       after that last flush; logdirty_mark ignores anything
 *                later anyway.
 *  vcpu_destroy  the vendor's own business (a vCPU going while PML is on).
 *  ad_enable/ad_disable (optional, NULL if the vendor cannot): turn the
 *                hardware's accessed/dirty flags on without logging, for
 *                the A/D-harvest mechanism on EPT (the EPTP's A/D bit).
 *                Without them A/D harvest is offered on NPT only.
 *
 * PML-full exits should be counted with logdirty_count_logging_exit()
 * and drained addresses with logdirty_count_pml().
 */
struct logdirty_mech_ops
{
    const char *name;
    int (*enable)(struct domain *d);   /* per-vCPU buffers, A/D in the EPTP... */
    void (*disable)(struct domain *d); /* after a final flush */
    /* Drain every vCPU's hardware log into the bitmap (logdirty_mark),
     * kicking running vCPUs and waiting for them; before CLEAN/PEEK. */
    void (*flush)(struct domain *d);
    void (*vcpu_destroy)(struct vcpu *v); /* flush and free v's buffer */
    int (*ad_enable)(struct domain *d);   /* optional: EPT A/D, no logging */
    void (*ad_disable)(struct domain *d);
};

struct logdirty_domain
{
    spinlock_t lock;
    bool enabled;
    enum logdirty_mech mech;
    enum logdirty_sp_policy policy;
    uint64_t *bitmap;           /* one bit per gfn, allocated at enable */
    uint64_t *snap;             /* what CLEAN/PEEK hand out (domctl only) */
    struct p2m_pool *charge_to; /* bitmap and snap are charged here (NULL: nowhere) */
    uint64_t nr_bits;           /* gfns covered: max gfn + 1 */
    uint64_t *was_superpage;    /* one bit per 2M region, for re-coalescing */
    uint64_t nr_regions;
    uint64_t *was_1g; /* one bit per 1G region */
    uint64_t nr_1g;
    uint64_t written_at_enable;        /* p2m entries_written then */
    uint32_t fault_count, dirty_count; /* shadow_op stats since last CLEAN */
    struct logdirty_stats stats;
    /* The dirty rings (logdirty-ring.c), NULL while off: one per vCPU,
     * then the ring of marks no vCPU made (index nr_rings - 1). Pushed
     * to under lock, in the same section that sets the bits. */
    struct dirty_ring *rings;
    unsigned int nr_rings;
    uint32_t ring_entries;
    bool ring_dropped_now;   /* a push found no room since the last CLEAN */
    bool ring_dropped_taken; /* ... before the last CLEAN took the bitmap */
    /* Frames other domains have mapped writable (logdirty-foreign.c),
     * whether log-dirty is on or not: one bit per gfn of
     * [foreign_first, foreign_first + foreign_bits). */
    spinlock_t foreign_lock;
    uint64_t *foreign;
    uint64_t foreign_first;
    uint64_t foreign_bits;
};

/*
 * Record [gfn, gfn + 2^order) as dirty. Any context, any CPU; ignored
 * while log-dirty is off. Code that maps new RAM into a domain while
 * log-dirty is on should call it for the new range: with write-protect a
 * fresh ram_rw entry is not armed until the next CLEAN.
 */
void logdirty_mark(struct domain *d, uint64_t gfn, unsigned int order);
/* The same, made by v (a vCPU of d, running this code for itself): a gfn
 * newly dirty goes into v's dirty ring, and a full ring stops v. */
void logdirty_mark_vcpu(struct vcpu *v, uint64_t gfn, unsigned int order);

/* The hypervisor wrote gfn itself (a copy to the guest, A/D bits of its
 * page tables): no fault, PML entry or dirty bit saw it. Any context. */
void logdirty_note_hypervisor_write(struct domain *d, uint64_t gfn);

/* The type a frame made writable RAM again (ioreq_server reset, ram_ro
 * made rw) takes: ram_logdirty while log-dirty is on, else ram_rw. After
 * writing ram_rw on its word, call logdirty_rearm_range (a range) or
 * logdirty_rearm_all (a global change): log-dirty may have started in
 * between. */
p2m_type_t logdirty_ram_type(struct domain *d);
void logdirty_rearm_range(struct domain *d, uint64_t gfn, uint64_t nr);
void logdirty_rearm_all(struct domain *d);

/*
 * Writes through other domains' mappings (logdirty-foreign.c). They
 * bypass d's p2m, so nothing logs them. Call logdirty_foreign_mapped
 * after taking the reference of a writable mapping of d's gfn and before
 * making the entry (-ENOMEM: refuse the mapping). From then on the gfn is
 * reported dirty at every CLEAN and PEEK, up to and including the first
 * one that finds the frame held by nobody but d: so the writes made while
 * it was mapped, and those just before it was unmapped, are all seen.
 */
int logdirty_foreign_mapped(struct domain *d, uint64_t gfn);
void logdirty_foreign_report(struct domain *d);
void logdirty_foreign_free(struct domain *d);

/* For the vendor's PML code: one PML-full exit; n addresses drained. */
void logdirty_count_logging_exit(struct domain *d);
void logdirty_count_pml(struct domain *d, uint64_t n);

/* The mechanism ENABLE_LOGDIRTY picks when the caller names none (the
 * logdirty= choice if this machine has it, else the best), for the boot
 * log. */
const char *logdirty_default_mech_name(void);

/* Called by npf.c for a write to ram_logdirty; true if handled. */
bool logdirty_handle_write_fault(struct vcpu *v, uint64_t gfn);

void logdirty_domain_init(struct domain *d);
/* Before the vCPUs go: ends log-dirty (no restore) and frees it all. */
void logdirty_domain_destroy(struct domain *d);

/* XEN_DOMCTL_shadow_op; op is the copied-in struct, out_va where it goes back. */
struct xen_domctl_shadow_op;
long logdirty_shadow_op(struct domain *d, struct xen_domctl_shadow_op *op, uint64_t out_va);

/* XEN_DOMCTL_wren_dirty_ring (logdirty-ring.c). */
struct xen_domctl_wren_dirty_ring;
long logdirty_ring_domctl(struct domain *d, struct xen_domctl_wren_dirty_ring *op, uint64_t out_va);
/* Free the rings, restart the vCPUs they stopped (log-dirty OFF, domain
 * destruction). */
void logdirty_ring_free(struct domain *d);

/* XEN_DOMCTL_wren_logdirty (public/wren.h): counters for tests and bench. */
struct xen_domctl_wren_logdirty;
long logdirty_wren_domctl(struct domain *d, struct xen_domctl_wren_logdirty *op, uint64_t out_va);

/*
 * ---- The bitmap and the superpage record (logdirty-bitmap.c) ----
 *
 * These know struct logdirty_domain and the p2m, never struct domain, so
 * the host unit tests run them as they are.
 */

/* Allocate bitmap and snap for nr_bits (both zero). 0 or -ENOMEM. */
int logdirty_bitmap_alloc(struct logdirty_domain *ld, uint64_t nr_bits);
/* Free everything allocated here (bitmaps and superpage record). */
void logdirty_bitmap_free(struct logdirty_domain *ld);
/* Set [gfn, gfn + 2^order) & [0, nr_bits) under ld->lock if enabled;
 * counts newly set bits in dirty_count. Returns them. */
uint64_t logdirty_bitmap_set(struct logdirty_domain *ld, uint64_t gfn, unsigned int order);
/* The same, and if any bit was newly set and the rings are on, one entry
 * for the range goes into ring 'ring' (clipped to the last ring: the
 * no-vCPU one). *stop: that ring just reached its soft limit. */
uint64_t logdirty_bitmap_set_by(struct logdirty_domain *ld, uint64_t gfn, unsigned int order,
                                unsigned int ring, bool *stop);
/* Cover nr_bits gfns (no-op if already). The new bits start SET: a frame
 * mapped since enable may have been written unseen. 0 or -ENOMEM. */
int logdirty_bitmap_grow(struct logdirty_domain *ld, uint64_t nr_bits);
/* Copy the bitmap into snap, and (reset) zero it, atomically with
 * respect to logdirty_bitmap_set; the shadow_op counters as they were
 * then go to *fault_count and *dirty_count (and restart if reset).
 * Returns the number of bits in snap. */
uint64_t logdirty_bitmap_take(struct logdirty_domain *ld, bool reset, uint32_t *fault_count,
                              uint32_t *dirty_count);
/* Undo a take with reset whose copy-out failed (or that a ring user must
 * see through a bitmap): OR snap back in, and the rings' drop flag. */
void logdirty_bitmap_untake(struct logdirty_domain *ld);
/* Bytes CLEAN/PEEK copy out: the bitmap rounded up to whole bytes. */
static inline uint64_t logdirty_bitmap_bytes(const struct logdirty_domain *ld)
{
    return (ld->nr_bits + 7) / 8;
}

/* Note which 2M and 1G regions p2m maps with superpages now, and count
 * them in stats.superpages_before. 0 or -ENOMEM. */
int logdirty_record_superpages(struct logdirty_domain *ld, struct p2m_domain *p2m);
/* Re-coalesce every recorded region that is not a superpage any more and
 * can be one; returns how many became one again (also added to
 * stats.superpages_restored). */
uint64_t logdirty_restore_superpages(struct logdirty_domain *ld, struct p2m_domain *p2m);

#endif /* XEN_LOGDIRTY_H */
