/*
 * p2m.h - the second-stage translation (guest frame -> machine frame, with a
 * type and access rights per entry), arch-neutral part.
 *
 * The core (xen/common/p2m.c) owns policy: which types exist, how ranges are
 * cut into 1G/2M/4K pieces, locking, counters. It reaches the hardware table
 * format only through a struct p2m_pte_ops backend (EPT, NPT), which knows
 * bit layouts and nothing else. The core compiles for the host unit tests.
 *
 * Locking: p2m->lock protects the table and the counters. Take it after any
 * domain-level lock, never while holding a vCPU's scheduler lock.
 */
#ifndef XEN_P2M_H
#define XEN_P2M_H

#include <xen/types.h>
#include <xen/spinlock.h>

/* Types: Xen's x86 numbering (a fact of the ABI, see HVMOP_get_mem_type). */
typedef enum {
    p2m_ram_rw = 0,
    p2m_invalid = 1,
    p2m_ram_logdirty = 2,
    p2m_ram_ro = 3,
    p2m_mmio_dm = 4,
    p2m_mmio_direct = 5,
    p2m_populate_on_demand = 6,
    p2m_ram_paging_out = 7,
    p2m_ram_paged = 8,
    p2m_ram_paging_in = 9,
    p2m_grant_map_rw = 10,
    p2m_grant_map_ro = 11,
    p2m_ram_shared = 12,
    p2m_ram_broken = 13,
    p2m_map_foreign = 14,
    p2m_ioreq_server = 15,
    p2m_type_count = 16,
} p2m_type_t;

typedef enum {
    p2m_access_n = 0,
    p2m_access_r = 1,
    p2m_access_w = 2,
    p2m_access_rw = 3,
    p2m_access_x = 4,
    p2m_access_rx = 5,
    p2m_access_wx = 6,
    p2m_access_rwx = 7,
} p2m_access_t;

/* Page orders of the pieces a range is cut into. */
#define P2M_ORDER_4K 0
#define P2M_ORDER_2M 9
#define P2M_ORDER_1G 18
#define P2M_LEVELS   4          /* both EPT and NPT use 4-level tables */

/* Four 9-bit levels over 4K pages: 48-bit guest-physical addresses. */
#define P2M_GFN_LIMIT (1ULL << 36)
/* Both formats hold a 40-bit frame number; the all-ones value is how a
 * backend stores INVALID_MFN, so a real frame must be below it. */
#define P2M_MFN_LIMIT ((1ULL << 40) - 1)

typedef uint64_t p2m_pte_t;

/*
 * Table-format backend. "level" is 1 for a 4K leaf, 2 for a 2M entry,
 * 3 for a 1G entry, 4 for the root's entries. The backend stores the type
 * and access in software bits and derives the hardware permission bits from
 * them (type and access both restrict).
 */
struct p2m_pte_ops {
    const char *name;
    p2m_pte_t (*make_leaf)(mfn_t mfn, unsigned int level, p2m_type_t t, p2m_access_t a);
    p2m_pte_t (*make_table)(mfn_t table);
    bool (*is_valid)(p2m_pte_t pte);             /* maps something (leaf or table) */
    bool (*is_leaf)(p2m_pte_t pte, unsigned int level);
    mfn_t (*mfn)(p2m_pte_t pte);
    p2m_type_t (*type)(p2m_pte_t pte);
    p2m_access_t (*access)(p2m_pte_t pte);
    unsigned int max_leaf_level;                  /* 3 if 1G leaves are allowed */
    /* Bits the MMU may set by itself (accessed/dirty): two entries that
     * differ only here say the same thing. */
    p2m_pte_t hw_managed_bits;
};

/*
 * The most a type lets the guest do; the entry's access narrows it further.
 * Types without "r" are emulated, paged, broken or absent: the guest's
 * access must fault so that the hypervisor sees it.
 */
static inline p2m_access_t p2m_type_rights(p2m_type_t t)
{
    static const uint8_t rights[p2m_type_count] = {
        [p2m_ram_rw]             = p2m_access_rwx,
        [p2m_invalid]            = p2m_access_n,
        [p2m_ram_logdirty]       = p2m_access_rx,   /* first write is logged */
        [p2m_ram_ro]             = p2m_access_rx,
        [p2m_mmio_dm]            = p2m_access_n,    /* device model emulates */
        [p2m_mmio_direct]        = p2m_access_rw,
        [p2m_populate_on_demand] = p2m_access_n,
        [p2m_ram_paging_out]     = p2m_access_rx,   /* a write cancels paging */
        [p2m_ram_paged]          = p2m_access_n,
        [p2m_ram_paging_in]      = p2m_access_n,
        [p2m_grant_map_rw]       = p2m_access_rw,
        [p2m_grant_map_ro]       = p2m_access_r,
        [p2m_ram_shared]         = p2m_access_rx,   /* a write unshares */
        [p2m_ram_broken]         = p2m_access_n,
        [p2m_map_foreign]        = p2m_access_rw,
        [p2m_ioreq_server]       = p2m_access_rx,   /* writes go to the server */
    };
    return (unsigned int)t < p2m_type_count ? (p2m_access_t)rights[t] : p2m_access_n;
}

extern const struct p2m_pte_ops ept_pte_ops;
extern const struct p2m_pte_ops npt_pte_ops;

struct p2m_counters {
    uint64_t entries_by_order[3];    /* present leaves: [0]=4K, [1]=2M, [2]=1G */
    uint64_t entries_by_type[p2m_type_count];
    uint64_t tables;                  /* tables below the root */
    uint64_t shatters;                /* superpages split into 512 children */
    uint64_t coalesces;               /* superpages made by p2m_try_coalesce */
};

struct p2m_domain {
    spinlock_t lock;
    const struct p2m_pte_ops *ops;
    mfn_t root;                       /* level-4 table */
    uint64_t max_mapped_gfn;
    struct p2m_counters stats;
    /* Called after entries were changed or removed, so the arch code can
     * flush the translations every CPU caches for this table. Called with
     * p2m->lock held: it must not take it, and must not wait for a CPU
     * that may be spinning on it with interrupts off. */
    void (*flush_tlbs)(struct p2m_domain *p2m);
    void *flush_arg;
};

/* Allocates the root (-ENOMEM) and clears the counters and flush_tlbs:
 * set flush_tlbs after p2m_init. */
int p2m_init(struct p2m_domain *p2m, const struct p2m_pte_ops *ops);
/* Frees every table, root included. No CPU may still use the table. */
void p2m_teardown(struct p2m_domain *p2m);

/* Map [gfn, gfn + 2^order) to [mfn, ...) with one type and access. Pass
 * INVALID_MFN with p2m_invalid to remove. Returns 0 or -errno (-ENOMEM).
 * order is P2M_ORDER_4K/2M/1G, gfn and mfn aligned to it (-EINVAL).
 * INVALID_MFN is allowed only with types that grant no rights (mmio_dm,
 * populate_on_demand, paged, broken...). A superpage that covers the
 * target is shattered. On -ENOMEM no translation has changed. */
int p2m_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, unsigned int order,
                  p2m_type_t t, p2m_access_t a);

/* Map a range of nr frames, choosing the largest pieces alignment allows.
 * Arguments are checked before anything changes (-EINVAL); on -ENOMEM
 * the pieces before the failing one are mapped. */
int p2m_set_range(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, uint64_t nr,
                  p2m_type_t t, p2m_access_t a);

/* Replace the tables under the 2M (order 9) or 1G (order 18) block at gfn
 * by one superpage, if all its leaves have one type and access and
 * contiguous frames aligned to the block (or all INVALID_MFN). A 1G block
 * that cannot merge still has each of its 2M blocks merged where they can.
 * Returns true if the block is now a single superpage. */
bool p2m_try_coalesce(struct p2m_domain *p2m, gfn_t gfn, unsigned int order);

/* Look up one gfn. Returns INVALID_MFN (type p2m_invalid) if unmapped.
 * Any of t, a, order may be NULL. *order is the order of the leaf found;
 * for a hole, the order of the empty entry met (at most P2M_ORDER_1G), so
 * a caller scanning a range may skip the whole aligned block. */
mfn_t p2m_lookup(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
                 p2m_access_t *a, unsigned int *order);

/* Machine address of the root table (what goes into the EPTP / nCR3). */
static inline paddr_t p2m_root_maddr(const struct p2m_domain *p2m)
{
    return mfn_x(p2m->root) << PAGE_SHIFT;
}

/* Check that the table and the counters agree; 0 if so, else -EILSEQ and a
 * description of the first mismatch in buf. */
int p2m_audit(struct p2m_domain *p2m, char *buf, size_t len);

static inline bool p2m_is_ram(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_ram_logdirty || t == p2m_ram_ro ||
           t == p2m_ram_shared || t == p2m_ioreq_server;
}

#endif /* XEN_P2M_H */
