/*
 * logdirty.c - XEN_DOMCTL_shadow_op's log-dirty operations (enable, clean,
 * peek, off) over three mechanisms, the write-protect fault handler, and
 * Wren's counters domctl. The protocol (when flags are cleared, when the
 * hardware log is drained, why no write is lost) is in
 * docs/designs/log-dirty.md; the bitmap itself is logdirty-bitmap.c and
 * the table walks p2m/dirty.c.
 *
 * Every operation is decoded first (all checks, nothing changes), then
 * applied. The domctl lock serialises the operations; only
 * logdirty_mark() and the fault handler run concurrently with them.
 * This file may not touch page-table bits: it asks the p2m.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/param.h>
#include <xen/logdirty.h>
#include <xen/guest_access.h>
#include <xen/arch.h>
#include <asm/system.h>
#include <public/domctl.h>
#include <public/wren.h>

/* The public mechanism numbers are the enum's. */
BUILD_BUG_ON(WREN_LOGDIRTY_MECH_WP != LOGDIRTY_WRITE_PROTECT);
BUILD_BUG_ON(WREN_LOGDIRTY_MECH_PML != LOGDIRTY_PML);
BUILD_BUG_ON(WREN_LOGDIRTY_MECH_AD != LOGDIRTY_AD_HARVEST);

/* The p2m type owner id of log-dirty (ioreq servers use small ids). */
#define LOGDIRTY_TYPE_OWNER 0xfffe

/* ---- command line: logdirty=wp|pml|ad, logdirty_superpages=shatter|keep ---- */

static enum logdirty_mech opt_mech = LOGDIRTY_NONE; /* none: the best */
static enum logdirty_sp_policy opt_policy = LOGDIRTY_SP_SHATTER;

static void parse_mech(const char *s)
{
    if ( !strcmp(s, "wp") )
        opt_mech = LOGDIRTY_WRITE_PROTECT;
    else if ( !strcmp(s, "pml") )
        opt_mech = LOGDIRTY_PML;
    else if ( !strcmp(s, "ad") )
        opt_mech = LOGDIRTY_AD_HARVEST;
    else
        printk(XENLOG_WARNING "logdirty=%s: want wp, pml or ad\n", s);
}
custom_param("logdirty", parse_mech);

static void parse_policy(const char *s)
{
    if ( !strcmp(s, "shatter") )
        opt_policy = LOGDIRTY_SP_SHATTER;
    else if ( !strcmp(s, "keep") )
        opt_policy = LOGDIRTY_SP_KEEP;
    else
        printk(XENLOG_WARNING "logdirty_superpages=%s: want shatter or keep\n", s);
}
custom_param("logdirty_superpages", parse_policy);

/* ---- which mechanisms this machine has ---- */

static const struct logdirty_mech_ops *pml_ops(void)
{
    return arch_logdirty_hw_log();
}

/* Some table formats set dirty flags always (NPT); others only once they
 * are switched on (EPT), which the vendor does through the optional hooks. */
static bool ad_needs_vendor(void)
{
    return !arch_p2m_ops()->dirty_flags_always;
}

static bool mech_available(enum logdirty_mech m)
{
    const struct logdirty_mech_ops *pml = pml_ops();

    switch ( m )
    {
    case LOGDIRTY_WRITE_PROTECT: return true;
    case LOGDIRTY_PML: return pml != NULL;
    case LOGDIRTY_AD_HARVEST: return !ad_needs_vendor() || (pml && pml->ad_enable);
    default: return false;
    }
}

static uint32_t mech_mask(void)
{
    uint32_t mask = 0;
    unsigned int m;

    for ( m = LOGDIRTY_WRITE_PROTECT; m <= LOGDIRTY_AD_HARVEST; m++ )
        if ( mech_available(m) )
            mask |= 1U << m;
    return mask;
}

/* The command line's choice if the CPU has it, else the best there is. */
static enum logdirty_mech default_mech(void)
{
    static bool warned;

    if ( opt_mech != LOGDIRTY_NONE && mech_available(opt_mech) )
        return opt_mech;
    if ( opt_mech != LOGDIRTY_NONE && !warned )
    {
        warned = true;
        printk(XENLOG_WARNING "logdirty: mechanism %u not available, using the best\n", opt_mech);
    }
    if ( mech_available(LOGDIRTY_PML) )
        return LOGDIRTY_PML;
    if ( mech_available(LOGDIRTY_AD_HARVEST) )
        return LOGDIRTY_AD_HARVEST;
    return LOGDIRTY_WRITE_PROTECT;
}

const char *logdirty_default_mech_name(void)
{
    static const char *const names[] = {
        [LOGDIRTY_WRITE_PROTECT] = "wp (write-protect)",
        [LOGDIRTY_PML] = "pml (hardware log)",
        [LOGDIRTY_AD_HARVEST] = "ad (dirty flags harvested at CLEAN)",
    };
    return names[default_mech()];
}

/* ---- marking ---- */

void logdirty_mark(struct domain *d, uint64_t gfn, unsigned int order)
{
    logdirty_bitmap_set(&d->logdirty, gfn, order);
}

void logdirty_note_hypervisor_write(struct domain *d, uint64_t gfn)
{
    unsigned int order = P2M_ORDER_4K;

    if ( !ACCESS_ONCE(d->logdirty.enabled) )
        return;
    /* Under the keep policy a write anywhere in a superpage reports all of
     * it, as a guest write there would. */
    if ( d->logdirty.policy == LOGDIRTY_SP_KEEP )
        p2m_lookup(&d->p2m, _gfn(gfn), NULL, NULL, &order);
    gfn &= ~((1ULL << order) - 1);
    /* Made for one of d's vCPUs (its own hypercall): that vCPU's ring. */
    if ( current && current->domain == d )
        logdirty_mark_vcpu(current, gfn, order);
    else
        logdirty_mark(d, gfn, order);
}

/* ---- RAM given back to the guest's writes ---- */

/*
 * An ioreq_server (or ram_ro) frame becoming ordinary RAM again: while
 * log-dirty is on it becomes ram_logdirty whatever the mechanism, so its
 * first write faults and is logged. (Under PML or A/D a ram_rw entry
 * could carry a dirty flag from before it was ioreq_server and log
 * nothing; the fault does not depend on the flag.)
 */
p2m_type_t logdirty_ram_type(struct domain *d)
{
    return ACCESS_ONCE(d->logdirty.enabled) ? p2m_ram_logdirty : p2m_ram_rw;
}

/*
 * The caller made frames ram_rw because logdirty_ram_type said so, and
 * log-dirty may have come on since: its ram_rw -> ram_logdirty change,
 * begun before those entries were written, does not reach them. enable
 * sets "enabled" before it begins that change, so reading it again after
 * the write settles it: on, and the frames are armed here; off, and the
 * change (if any) begins after the write and arms them itself.
 */
void logdirty_rearm_range(struct domain *d, uint64_t gfn, uint64_t nr)
{
    smp_mb();
    if ( ACCESS_ONCE(d->logdirty.enabled) )
        p2m_change_type_range(&d->p2m, _gfn(gfn), nr, p2m_ram_rw, p2m_ram_logdirty);
}

/* The same for a global change to ram_rw (an ioreq_server release). */
void logdirty_rearm_all(struct domain *d)
{
    smp_mb();
    if ( ACCESS_ONCE(d->logdirty.enabled) )
        p2m_begin_global_change(&d->p2m, p2m_ram_rw, p2m_ram_logdirty);
}

static void count_locked(struct domain *d, uint64_t *counter, uint64_t n)
{
    struct logdirty_domain *ld = &d->logdirty;

    spin_lock(&ld->lock);
    if ( ld->enabled )
        *counter += n;
    spin_unlock(&ld->lock);
}

void logdirty_count_logging_exit(struct domain *d)
{
    count_locked(d, &d->logdirty.stats.logging_exits, 1);
}

void logdirty_count_pml(struct domain *d, uint64_t n)
{
    count_locked(d, &d->logdirty.stats.pml_entries, n);
}

static void count_fault(struct domain *d)
{
    struct logdirty_domain *ld = &d->logdirty;

    __atomic_fetch_add(&d->logdirty_faults, 1, __ATOMIC_RELAXED);
    spin_lock(&ld->lock);
    if ( ld->enabled )
    {
        ld->fault_count++;
        ld->stats.logging_exits++;
    }
    spin_unlock(&ld->lock);
}

/* ---- the write-protect fault ---- */

/* Keep policy: the whole leaf the write hit becomes writable and dirty. */
static unsigned int fault_order(struct domain *d, uint64_t gfn)
{
    unsigned int order = P2M_ORDER_4K;

    if ( d->logdirty.enabled && d->logdirty.policy == LOGDIRTY_SP_KEEP )
        p2m_lookup(&d->p2m, _gfn(gfn), NULL, NULL, &order);
    return order;
}

/*
 * The type changes before the bit is set: a CLEAN that takes the bitmap
 * in between re-arms the page after taking it, so the bit lands in the
 * next round and the page faults again. The other order could hand the
 * bit out and then leave the page writable, unseen (log-dirty.md).
 */
bool logdirty_handle_write_fault(struct vcpu *v, uint64_t gfn)
{
    struct domain *d = v->domain;
    unsigned int order = fault_order(d, gfn);
    uint64_t base = gfn & ~((1ULL << order) - 1);
    int64_t rc =
        p2m_change_type_range(&d->p2m, _gfn(base), 1ULL << order, p2m_ram_logdirty, p2m_ram_rw);

    if ( rc < 0 )
        return false;
    count_fault(d);
    logdirty_mark_vcpu(v, base, order);
    return true; /* 0 changed: another CPU got there first, retry */
}

/* ---- helpers of the operations ---- */

/* Until v has left guest mode once since the call (or was not in it). */
static void wait_for_exit(struct vcpu *v)
{
    int cpu = ACCESS_ONCE(v->processor);
    uint64_t exits = ACCESS_ONCE(v->exits);
    unsigned int spins = 0;

    if ( cpu < 0 || cpu == (int)smp_processor_id() )
        return;
    while ( ACCESS_ONCE(v->processor) == cpu && ACCESS_ONCE(v->exits) == exits )
    {
        if ( !(spins++ % 1024) )
            smp_kick_cpu(cpu);
        cpu_relax();
    }
}

/*
 * Call after a p2m flush: returns when no vCPU of d runs on translations
 * from before it, each having left guest mode once (and so flushing at
 * its next entry). Needed because an arch's flush may only kick, and a write
 * through a stale TLB entry sets no dirty flag and takes no write-protect
 * fault. Waits without pausing the domain.
 */
static void sync_vcpus(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            wait_for_exit(d->vcpu[i]);
}

static void set_enabled(struct logdirty_domain *ld, bool on)
{
    spin_lock(&ld->lock);
    ld->enabled = on;
    spin_unlock(&ld->lock);
}

static void harvest_mark(void *arg, uint64_t gfn, unsigned int order)
{
    logdirty_bitmap_set(arg, gfn, order);
}

/* Every leaf of at least min_order with its dirty flag set goes into the
 * bitmap; the flags stay (they are cleared once the bits are out). */
static void harvest(struct domain *d, unsigned int min_order)
{
    p2m_harvest_dirty(&d->p2m, min_order, false, harvest_mark, &d->logdirty);
}

static uint64_t bits_needed(struct domain *d)
{
    return MAX(d->logdirty.nr_bits, d->p2m.max_mapped_gfn + 1);
}

/* ---- enable ---- */

struct ld_request
{
    uint32_t op;
    enum logdirty_mech mech;
    enum logdirty_sp_policy policy;
    bool final;
    bool copy;       /* a bitmap buffer was given */
    uint64_t needed; /* bits CLEAN/PEEK will cover */
};

/* Write-protect: every ram_rw page becomes ram_logdirty, lazily. */
static int arm_wp(struct domain *d)
{
    int rc = p2m_claim_type(&d->p2m, p2m_ram_logdirty, LOGDIRTY_TYPE_OWNER);

    if ( rc )
        return rc;
    rc = p2m_begin_global_change(&d->p2m, p2m_ram_rw, p2m_ram_logdirty);
    if ( rc )
        p2m_release_type(&d->p2m, p2m_ram_logdirty, LOGDIRTY_TYPE_OWNER, p2m_ram_rw);
    return rc;
}

/* PML or A/D: the hardware's dirty flags on, then all of them cleared. */
static int arm_flags(struct domain *d)
{
    struct logdirty_domain *ld = &d->logdirty;
    const struct logdirty_mech_ops *pml = pml_ops();
    int rc = 0;

    if ( ld->policy == LOGDIRTY_SP_SHATTER )
        rc = p2m_shatter_superpages(&d->p2m);
    if ( !rc && ld->mech == LOGDIRTY_PML )
        rc = pml->enable(d);
    else if ( !rc && ad_needs_vendor() )
        rc = pml->ad_enable(d);
    if ( !rc )
        p2m_harvest_dirty(&d->p2m, P2M_ORDER_4K, true, NULL, NULL);
    return rc;
}

/*
 * Start the mechanism. On failure it is not running (a partial shatter
 * stays). Writes until every vCPU has been out of guest mode once count
 * as made before enable (the caller copies every page afterwards).
 * Except one case: a vendor applies PML at a vCPU's next entry, so a
 * page first written between the clearing and that entry has D set and
 * no log entry, and would never log again. After the barrier every D
 * 0->1 logs, so harvesting once more catches exactly those pages.
 */
static int arm(struct domain *d)
{
    int rc = d->logdirty.mech == LOGDIRTY_WRITE_PROTECT ? arm_wp(d) : arm_flags(d);

    if ( rc )
        return rc;
    altp2m_logdirty_rearm(d); /* views' remaps write-protected (rule 5) */
    sync_vcpus(d);
    if ( d->logdirty.mech == LOGDIRTY_PML )
        harvest(d, P2M_ORDER_4K);
    return 0;
}

/* Stop the mechanism (the vendor's last flush comes first). */
static void disarm(struct domain *d)
{
    struct logdirty_domain *ld = &d->logdirty;
    const struct logdirty_mech_ops *pml = pml_ops();

    if ( ld->mech == LOGDIRTY_PML )
        pml->flush(d);
    set_enabled(ld, false);
    if ( ld->mech == LOGDIRTY_WRITE_PROTECT )
        p2m_release_type(&d->p2m, p2m_ram_logdirty, LOGDIRTY_TYPE_OWNER, p2m_ram_rw);
    else if ( ld->mech == LOGDIRTY_PML )
        pml->disable(d);
    else if ( ad_needs_vendor() )
        pml->ad_disable(d);
    /* Frames made ram_logdirty by logdirty_ram_type under PML or A/D
     * (write-protect's release above covers them too). */
    if ( ld->mech != LOGDIRTY_WRITE_PROTECT )
        p2m_begin_global_change(&d->p2m, p2m_ram_logdirty, p2m_ram_rw);
}

static void start_stats(struct domain *d)
{
    struct logdirty_domain *ld = &d->logdirty;

    memset(&ld->stats, 0, sizeof(ld->stats));
    ld->fault_count = ld->dirty_count = 0;
    ld->written_at_enable = d->p2m.stats.entries_written;
}

/* Off: the mechanism stops, superpages come back (if restore), the
 * bitmap goes. The counters stay for the stats domctl. */
static void disable(struct domain *d, bool restore)
{
    struct logdirty_domain *ld = &d->logdirty;

    disarm(d);
    logdirty_ring_free(d);
    if ( restore )
        logdirty_restore_superpages(ld, &d->p2m);
    ld->stats.p2m_entries_written = d->p2m.stats.entries_written - ld->written_at_enable;
    logdirty_bitmap_free(ld);
}

static long enable(struct domain *d, const struct ld_request *r)
{
    struct logdirty_domain *ld = &d->logdirty;
    int rc;

    start_stats(d);
    ld->mech = r->mech;
    ld->policy = r->policy;
    rc = logdirty_bitmap_alloc(ld, bits_needed(d));
    if ( !rc )
        rc = logdirty_record_superpages(ld, &d->p2m);
    if ( rc )
    {
        logdirty_bitmap_free(ld);
        return rc;
    }
    set_enabled(ld, true);
    rc = arm(d);
    if ( rc )
    {
        set_enabled(ld, false);
        logdirty_restore_superpages(ld, &d->p2m);
        logdirty_bitmap_free(ld);
    }
    return rc;
}

/* ---- clean and peek ---- */

/* Bring everything the hardware knows into the bitmap. */
static void collect(struct domain *d)
{
    struct logdirty_domain *ld = &d->logdirty;

    if ( ld->mech == LOGDIRTY_PML )
    {
        pml_ops()->flush(d);
        /* PML logs one 4K address for a superpage's D 0->1; later writes
         * elsewhere in it log nothing, so its dirty flag speaks for all. */
        if ( ld->policy == LOGDIRTY_SP_KEEP )
            harvest(d, P2M_ORDER_2M);
    }
    else if ( ld->mech == LOGDIRTY_AD_HARVEST )
        harvest(d, P2M_ORDER_4K);
}

/* After a CLEAN handed the bits out: the next write to any of those
 * pages must be seen again. */
static void rearm(struct domain *d)
{
    struct logdirty_domain *ld = &d->logdirty;

    if ( ld->mech == LOGDIRTY_WRITE_PROTECT )
        p2m_begin_global_change(&d->p2m, p2m_ram_rw, p2m_ram_logdirty);
    else
        p2m_clear_dirty_bitmap(&d->p2m, ld->snap, ld->nr_bits);
    altp2m_logdirty_rearm(d); /* views' remaps write-protected (rule 5) */
    sync_vcpus(d);
}

static long report(struct domain *d, const struct ld_request *r, struct xen_domctl_shadow_op *op)
{
    struct logdirty_domain *ld = &d->logdirty;
    bool clean = r->op == XEN_DOMCTL_SHADOW_OP_CLEAN;
    uint32_t faults, dirty;
    uint64_t n;

    logdirty_foreign_report(d);
    collect(d);
    if ( logdirty_bitmap_grow(ld, r->needed) )
        return -ENOMEM;
    n = logdirty_bitmap_take(ld, clean, &faults, &dirty);
    /* Dirty rings on, and some of these frames are in no ring: a caller
     * that takes its frames from the rings must have this bitmap. */
    if ( clean && !r->copy && ld->rings && ld->ring_dropped_taken )
    {
        logdirty_bitmap_untake(ld);
        return -EAGAIN;
    }
    if ( r->copy && copy_to_guest(op->dirty_bitmap, ld->snap, logdirty_bitmap_bytes(ld)) )
    {
        if ( clean )
            logdirty_bitmap_untake(ld);
        return -EFAULT;
    }
    if ( clean )
    {
        rearm(d);
        ld->stats.rounds++;
    }
    ld->stats.pages_reported += n;
    ld->stats.final_rounds += r->final;
    op->pages = ld->nr_bits;
    op->stats.fault_count = faults;
    op->stats.dirty_count = dirty;
    return 0;
}

/* ---- decode: every check, nothing changed ---- */

static long decode_enable(struct domain *d, uint32_t mode, struct ld_request *r)
{
    uint32_t m = (mode & WREN_LOGDIRTY_MECH_MASK) >> WREN_LOGDIRTY_MECH_SHIFT;

    if ( d->logdirty.enabled )
        return -EBUSY;
    if ( (mode & ~WREN_LOGDIRTY_MODE_MASK) || m > WREN_LOGDIRTY_MECH_AD ||
         ((mode & WREN_LOGDIRTY_SP_KEEP) && (mode & WREN_LOGDIRTY_SP_SHATTER)) )
        return -EINVAL;
    r->mech = m ? (enum logdirty_mech)m : default_mech();
    if ( !mech_available(r->mech) )
        return -EOPNOTSUPP;
    r->policy = mode & WREN_LOGDIRTY_SP_KEEP      ? LOGDIRTY_SP_KEEP
                : mode & WREN_LOGDIRTY_SP_SHATTER ? LOGDIRTY_SP_SHATTER
                                                  : opt_policy;
    return 0;
}

static long decode_report(struct domain *d, const struct xen_domctl_shadow_op *op,
                          struct ld_request *r)
{
    if ( !d->logdirty.enabled || (op->mode & ~XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL) )
        return -EINVAL;
    r->final = op->mode & XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL;
    r->copy = op->dirty_bitmap != 0;
    r->needed = bits_needed(d);
    return r->copy && op->pages < r->needed ? -EINVAL : 0;
}

static long decode(struct domain *d, const struct xen_domctl_shadow_op *op, struct ld_request *r)
{
    r->op = op->op;
    if ( d == hardware_domain || d == current->domain )
        return -EINVAL;
    switch ( op->op )
    {
    case XEN_DOMCTL_SHADOW_OP_OFF: return d->logdirty.enabled ? 0 : -EINVAL;
    case XEN_DOMCTL_SHADOW_OP_ENABLE:
        if ( !(op->mode & XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY) )
            return -EINVAL;
        return decode_enable(d, op->mode & ~XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY, r);
    case XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY: return decode_enable(d, op->mode, r);
    case XEN_DOMCTL_SHADOW_OP_CLEAN:
    case XEN_DOMCTL_SHADOW_OP_PEEK: return decode_report(d, op, r);
    case XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION:
    case XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION: return 0;
    default: return -EINVAL;
    }
}

/* ---- the domctls ---- */

static long act(struct domain *d, const struct ld_request *r, struct xen_domctl_shadow_op *op)
{
    switch ( r->op )
    {
    case XEN_DOMCTL_SHADOW_OP_OFF: disable(d, true); return 0;
    case XEN_DOMCTL_SHADOW_OP_ENABLE:
    case XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY: return enable(d, r);
    case XEN_DOMCTL_SHADOW_OP_CLEAN:
    case XEN_DOMCTL_SHADOW_OP_PEEK: return report(d, r, op);
    case XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION: /* the p2m pool, in MiB rounded up */
        op->mb = (uint32_t)((p2m_pool_size(&d->p2m_pool) + 255) >> 8);
        return 0;
    case XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION:
        return domain_set_paging_pool(d, (uint64_t)op->mb << 8);
    default: return 0;
    }
}

long logdirty_shadow_op(struct domain *d, struct xen_domctl_shadow_op *op, uint64_t out_va)
{
    struct ld_request r = { 0 };
    long rc = decode(d, op, &r);

    if ( !rc )
        rc = act(d, &r, op);
    if ( rc )
        return rc;
    return copy_to_guest(out_va, op, sizeof(*op)) ? -EFAULT : 0;
}

static uint64_t vcpu_exits(const struct domain *d)
{
    uint64_t n = 0;
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            n += d->vcpu[i]->exits;
    return n;
}

static void fill_stats(struct domain *d, struct xen_domctl_wren_logdirty *op)
{
    const struct logdirty_domain *ld = &d->logdirty;
    const struct logdirty_stats *s = &ld->stats;

    op->mech = ld->mech;
    op->flags = (ld->enabled ? WREN_LOGDIRTY_F_ENABLED : 0) |
                (ld->policy == LOGDIRTY_SP_KEEP ? WREN_LOGDIRTY_F_KEEP : 0) |
                (opt_policy == LOGDIRTY_SP_KEEP ? WREN_LOGDIRTY_F_DEFAULT_KEEP : 0);
    op->available = mech_mask();
    op->default_mech = default_mech();
    op->logging_exits = s->logging_exits;
    op->pages_reported = s->pages_reported;
    op->rounds = s->rounds;
    op->final_rounds = s->final_rounds;
    op->p2m_entries_written =
        ld->enabled ? d->p2m.stats.entries_written - ld->written_at_enable : s->p2m_entries_written;
    op->superpages_before = s->superpages_before;
    op->superpages_restored = s->superpages_restored;
    op->pml_entries = s->pml_entries;
    op->vcpu_exits = vcpu_exits(d);
    op->bitmap_pages = ld->nr_bits;
}

long logdirty_wren_domctl(struct domain *d, struct xen_domctl_wren_logdirty *op, uint64_t out_va)
{
    if ( op->op != WREN_LOGDIRTY_GET_STATS || op->pad )
        return -EINVAL;
    fill_stats(d, op);
    return copy_to_guest(out_va, op, sizeof(*op)) ? -EFAULT : 0;
}

/* ---- domain life ---- */

void logdirty_domain_init(struct domain *d)
{
    memset(&d->logdirty, 0, sizeof(d->logdirty));
    spin_lock_init(&d->logdirty.lock, LOCK_logdirty);
    spin_lock_init(&d->logdirty.foreign_lock, LOCK_logdirty_foreign);
    d->logdirty.charge_to = &d->p2m_pool; /* the bitmaps are the domain's cost */
}

void logdirty_domain_destroy(struct domain *d)
{
    if ( d->logdirty.enabled )
        disable(d, false);
    logdirty_bitmap_free(&d->logdirty);
    logdirty_foreign_free(d);
}
