/*
 * p2m_debug.c - XEN_DOMCTL_wren_p2m: counters, audit, lookups and global
 * type changes of one domain's p2m, for the control domain's tests and
 * benchmarks. Decode first (every argument checked), then act.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <xen/guest_access.h>
#include <xen/p2m_debug.h>
#include <public/wren.h>

#define FINISH_BUDGET 64 /* tables per continuation slice */

static void fill_stats(struct p2m_domain *p2m, struct xen_domctl_wren_p2m *op)
{
    const struct p2m_counters *c = &p2m->stats;
    op->entries_4k = c->entries_by_order[0];
    op->entries_2m = c->entries_by_order[1];
    op->entries_1g = c->entries_by_order[2];
    op->recalc_pending = c->recalc_pending;
    op->recalc_resolved = c->recalc_resolved;
    op->leaves_recalculated = c->leaves_recalculated;
    op->global_changes = c->global_changes;
    op->resyncs = c->resyncs;
    op->shatters = c->shatters;
    op->coalesces = c->coalesces;
    op->entries_written = c->entries_written;
}

static bool type_ok(uint64_t t)
{
    return t < p2m_type_count;
}

/* Every argument of every op, checked before anything happens. */
static long check_args(const struct xen_domctl_wren_p2m *op)
{
    const uint64_t *a = op->arg;
    if ( op->pad )
        return -EINVAL;
    switch ( op->op )
    {
    case WREN_P2M_GET_STATS:
    case WREN_P2M_AUDIT:
    case WREN_P2M_FINISH:
    case WREN_P2M_FAULT_COUNTS:
    case WREN_P2M_POOL:
    case WREN_P2M_IOREQ_INVAL: return 0;
    case WREN_P2M_BEGIN_GLOBAL:
        return type_ok(a[0]) && type_ok(a[1]) ? p2m_check_type_change(a[0], a[1]) : -EINVAL;
    case WREN_P2M_SET_EAGER:
    case WREN_P2M_IOREQ_NO_SWEEP: return a[0] <= 1 ? 0 : -EINVAL;
    case WREN_P2M_LOOKUP: return a[0] < P2M_GFN_LIMIT ? 0 : -EINVAL;
    case WREN_P2M_TYPE_COUNT: return type_ok(a[0]) ? 0 : -EINVAL;
    case WREN_P2M_CLAIM_TYPE:
    case WREN_P2M_RELEASE_TYPE:
        return type_ok(a[0]) && a[1] && a[1] <= 0xffff && type_ok(a[2]) ? 0 : -EINVAL;
    case WREN_P2M_COALESCE:
        return a[0] < P2M_GFN_LIMIT && (a[1] == P2M_ORDER_2M || a[1] == P2M_ORDER_1G) &&
                       !(a[0] & ((1ULL << a[1]) - 1))
                   ? 0
                   : -EINVAL;
    case WREN_P2M_CHANGE_RANGE:
        return a[0] < P2M_GFN_LIMIT && a[1] && a[1] <= P2M_GFN_LIMIT - a[0] && (a[2] >> 16) == 0 &&
                       type_ok(a[2] & 0xff) && type_ok(a[2] >> 8)
                   ? p2m_check_type_change(a[2] & 0xff, a[2] >> 8)
                   : -EINVAL;
    default: return -ENOSYS;
    }
}

static long do_lookup(struct p2m_domain *p2m, struct xen_domctl_wren_p2m *op)
{
    p2m_type_t t;
    unsigned int order;
    p2m_lookup(p2m, _gfn(op->arg[0]), &t, NULL, &order);
    op->arg[1] = t;
    op->arg[2] = order;
    return 0;
}

static long do_change_range(struct p2m_domain *p2m, struct xen_domctl_wren_p2m *op)
{
    int64_t n = p2m_change_type_range(p2m, _gfn(op->arg[0]), op->arg[1], op->arg[2] & 0xff,
                                      op->arg[2] >> 8);
    if ( n < 0 )
        return n;
    op->arg[0] = (uint64_t)n;
    return 0;
}

static long do_audit(struct p2m_domain *p2m, struct xen_domctl_wren_p2m *op)
{
    char why[160];
    op->audit_rc = p2m_audit(p2m, why, sizeof(why));
    if ( op->audit_rc )
        printk(XENLOG_ERR "p2m audit failed: %s\n", why);
    return 0;
}

static long act(struct domain *d, struct xen_domctl_wren_p2m *op)
{
    struct p2m_domain *p2m = &d->p2m;
    const uint64_t *a = op->arg;
    switch ( op->op )
    {
    case WREN_P2M_AUDIT: return do_audit(p2m, op);
    case WREN_P2M_BEGIN_GLOBAL: return p2m_begin_global_change(p2m, a[0], a[1]);
    case WREN_P2M_FINISH: return p2m_finish_pending(p2m, FINISH_BUDGET);
    case WREN_P2M_SET_EAGER: p2m_set_eager(p2m, a[0]); return 0;
    case WREN_P2M_LOOKUP: return do_lookup(p2m, op);
    case WREN_P2M_TYPE_COUNT:
        op->arg[1] = p2m->stats.entries_by_type[a[0]];
        op->arg[2] = p2m->stats.frames_by_type[a[0]];
        return 0;
    case WREN_P2M_IOREQ_NO_SWEEP: d->ioreq_memtype_no_sweep = a[0]; return 0;
    case WREN_P2M_CLAIM_TYPE: return p2m_claim_type(p2m, a[0], (uint16_t)a[1]);
    case WREN_P2M_RELEASE_TYPE: return p2m_release_type(p2m, a[0], (uint16_t)a[1], a[2]);
    case WREN_P2M_COALESCE: op->arg[2] = p2m_try_coalesce(p2m, _gfn(a[0]), a[1]); return 0;
    case WREN_P2M_CHANGE_RANGE: return do_change_range(p2m, op);
    case WREN_P2M_FAULT_COUNTS:
        op->arg[0] = d->ro_writes_dropped;
        op->arg[1] = d->logdirty_faults;
        return 0;
    case WREN_P2M_POOL:
        op->arg[0] = p2m_pool_size(&d->p2m_pool);
        op->arg[1] = d->p2m_pool.nr_used;
        op->arg[2] = frames_count_owner(d->domain_id);
        return 0;
    case WREN_P2M_IOREQ_INVAL:
        op->arg[0] = ACCESS_ONCE(d->ioreq.invalidates_sent);
        op->arg[1] = ACCESS_ONCE(d->ioreq.invalidate_flags_set);
        op->arg[2] = p2m->stats.ram_frames_gone;
        return 0;
    default: return 0; /* GET_STATS */
    }
}

long domctl_wren_p2m(struct domain *d, struct xen_domctl_wren_p2m *op, uint64_t out_va)
{
    long rc = check_args(op);
    if ( rc )
        return rc;
    rc = act(d, op);
    if ( rc == -ERESTART || rc < 0 )
        return rc;
    fill_stats(&d->p2m, op);
    return copy_to_guest(out_va, op, sizeof(*op)) ? -EFAULT : rc;
}
