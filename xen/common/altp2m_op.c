/*
 * altp2m_op.c - the HVMOP_altp2m hypercall: decode (copy in, version,
 * command, target, padding, HVM_PARAM_ALTP2M's mode and who may call
 * what in it, altp2m on), then one handler per sub-op that checks its
 * own fields and calls altp2m.c / altp2m_set.c. Error codes are Xen's.
 *
 * The batch sub-ops (set_mem_access_multi, set_suppress_ve_multi) do at
 * most ALTP2M_BATCH entries per call and then write their resume point
 * into the caller's struct and return -ERESTART: the vCPU issues the
 * call again (docs/designs/hypercalls.md).
 *
 * May not touch: tables or views directly (altp2m*.c do).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/altp2m.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

#define ALTP2M_BATCH 256

/* xenmem_access_t (public/memory.h, Xen's numbering): n..rwx are 0..7
 * as p2m_access_t; rx2rw (8) and n2rwx (9) are not supported; 10 takes
 * the view's default. */
#define XENMEM_ACCESS_RWX     7
#define XENMEM_ACCESS_DEFAULT 10

typedef int (*altp2m_handler_t)(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg);

/* The p2m_access_t a xenmem_access_t asks for in view idx: 0 or -EINVAL. */
static int access_of(struct domain *d, uint16_t idx, uint16_t xa, uint8_t *out)
{
    struct altp2m_view *view = idx && idx < MAX_ALTP2M ? d->altp2m.views[idx] : NULL;

    if ( xa == XENMEM_ACCESS_DEFAULT )
    {
        *out = view ? view->default_access : p2m_access_rwx;
        return 0;
    }
    if ( xa > XENMEM_ACCESS_RWX )
        return -EINVAL;
    *out = (uint8_t)xa;
    return 0;
}

static struct vcpu *vcpu_of(struct domain *d, uint32_t id)
{
    return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

/* ---- sub-ops ---- */

static int op_get_state(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    a->u.domain_state.state = d->altp2m.active;
    return copy_to_guest(arg, a, sizeof(*a)) ? -EFAULT : 0;
}

static int op_set_state(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    return altp2m_set_active(d, a->u.domain_state.state);
}

static int op_enable_notify(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct vcpu *v = vcpu_of(d, a->u.enable_notify.vcpu_id);

    if ( !v || a->u.enable_notify.gfn == INVALID_GFN_RAW )
        return -EINVAL;
    return altp2m_set_ve_info(v, a->u.enable_notify.gfn);
}

static int op_disable_notify(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct vcpu *v = vcpu_of(d, a->u.disable_notify.vcpu_id);

    return v ? altp2m_set_ve_info(v, INVALID_GFN_RAW) : -EINVAL;
}

static int op_create(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    uint8_t def;
    int rc = access_of(d, 0, a->u.view.hvmmem_default_access, &def);

    if ( !rc )
        rc = altp2m_view_create(d, def, &a->u.view.view);
    if ( !rc && copy_to_guest(arg, a, sizeof(*a)) )
        rc = -EFAULT; /* the view stays, as in Xen */
    return rc;
}

static int op_destroy(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    return altp2m_view_destroy(d, a->u.view.view);
}

static int op_switch(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    return altp2m_switch_all(d, a->u.view.view);
}

static int op_set_access(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct xen_hvm_altp2m_mem_access *m = &a->u.mem_access;
    uint8_t acc;

    if ( m->pad || m->view >= MAX_ALTP2M )
        return -EINVAL;
    if ( access_of(d, m->view, m->access, &acc) )
        return -EINVAL;
    return altp2m_set_access(d, m->view, m->gfn, acc);
}

static int op_get_access(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct xen_hvm_altp2m_mem_access *m = &a->u.mem_access;
    uint8_t acc;
    int rc;

    if ( m->pad || m->view >= MAX_ALTP2M )
        return -EINVAL;
    rc = altp2m_get_access(d, m->view, m->gfn, &acc);
    if ( rc )
        return rc;
    m->access = acc;
    return copy_to_guest(arg, a, sizeof(*a)) ? -EFAULT : 0;
}

/* One entry of the lists: 0, or -EFAULT / the setting's error. */
static int access_multi_one(struct domain *d, struct xen_hvm_altp2m_set_mem_access_multi *m,
                            uint64_t i)
{
    uint64_t gfn;
    uint8_t xa, acc;

    if ( copy_from_guest(&gfn, m->pfn_list + i * sizeof(gfn), sizeof(gfn)) ||
         copy_from_guest(&xa, m->access_list + i, sizeof(xa)) )
        return -EFAULT;
    if ( access_of(d, m->view, xa, &acc) )
        return -EINVAL;
    return altp2m_set_access(d, m->view, gfn, acc);
}

static int op_access_multi(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct xen_hvm_altp2m_set_mem_access_multi *m = &a->u.set_mem_access_multi;
    uint64_t i;
    int rc = 0;

    if ( m->pad || m->opaque > m->nr || m->view >= MAX_ALTP2M ||
         (m->view && !d->altp2m.views[m->view]) )
        return -EINVAL;
    for ( i = m->opaque; i < m->nr && !rc; i++ )
    {
        if ( i - m->opaque == ALTP2M_BATCH )
        {
            m->opaque = i;
            return copy_to_guest(arg, a, sizeof(*a)) ? -EFAULT : -ERESTART;
        }
        rc = access_multi_one(d, m, i);
    }
    return rc;
}

static int op_change_gfn(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct xen_hvm_altp2m_change_gfn *c = &a->u.change_gfn;

    if ( c->pad1 || c->pad2 )
        return -EINVAL;
    return altp2m_change_gfn(d, c->view, c->old_gfn, c->new_gfn);
}

static int op_set_sve(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct xen_hvm_altp2m_suppress_ve *s = &a->u.suppress_ve;

    if ( s->pad1 || s->pad2 )
        return -EINVAL;
    return altp2m_set_suppress_ve(d, s->view, s->gfn, s->suppress_ve);
}

static int op_get_sve(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct xen_hvm_altp2m_suppress_ve *s = &a->u.suppress_ve;
    bool sve;
    int rc;

    if ( s->pad1 || s->pad2 )
        return -EINVAL;
    rc = altp2m_get_suppress_ve(d, s->view, s->gfn, &sve);
    if ( rc )
        return rc;
    s->suppress_ve = sve;
    return copy_to_guest(arg, a, sizeof(*a)) ? -EFAULT : 0;
}

/* Errors are recorded (the first one) and the range goes on, as Xen. */
static int op_sve_multi(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct xen_hvm_altp2m_suppress_ve_multi *s = &a->u.suppress_ve_multi;
    uint64_t start = s->first_gfn;

    if ( s->pad1 || s->first_gfn > s->last_gfn || s->last_gfn >= P2M_GFN_LIMIT ||
         s->view >= MAX_ALTP2M || !d->altp2m.views[s->view] )
        return -EINVAL;
    for ( ; s->first_gfn <= s->last_gfn; s->first_gfn++ )
    {
        int rc;

        if ( s->first_gfn - start == ALTP2M_BATCH )
            return copy_to_guest(arg, a, sizeof(*a)) ? -EFAULT : -ERESTART;
        rc = altp2m_set_suppress_ve(d, s->view, s->first_gfn, s->suppress_ve);
        if ( rc && !s->first_error )
        {
            s->first_error = rc;
            s->first_error_gfn = s->first_gfn;
        }
    }
    return copy_to_guest(arg, a, sizeof(*a)) ? -EFAULT : 0;
}

static int op_get_idx(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct vcpu *v = vcpu_of(d, a->u.get_vcpu_p2m_idx.vcpu_id);

    if ( !v )
        return -EINVAL;
    a->u.get_vcpu_p2m_idx.altp2m_idx = ACCESS_ONCE(v->altp2m.idx);
    return copy_to_guest(arg, a, sizeof(*a)) ? -EFAULT : 0;
}

static int op_visibility(struct domain *d, struct xen_hvm_altp2m_op *a, uint64_t arg)
{
    struct xen_hvm_altp2m_set_visibility *s = &a->u.set_visibility;

    if ( s->pad )
        return -EINVAL;
    return altp2m_set_visibility(d, s->altp2m_idx, s->visible);
}

static const altp2m_handler_t handlers[] = {
    [HVMOP_altp2m_get_domain_state] = op_get_state,
    [HVMOP_altp2m_set_domain_state] = op_set_state,
    [HVMOP_altp2m_vcpu_enable_notify] = op_enable_notify,
    [HVMOP_altp2m_create_p2m] = op_create,
    [HVMOP_altp2m_destroy_p2m] = op_destroy,
    [HVMOP_altp2m_switch_p2m] = op_switch,
    [HVMOP_altp2m_set_mem_access] = op_set_access,
    [HVMOP_altp2m_change_gfn] = op_change_gfn,
    [HVMOP_altp2m_set_mem_access_multi] = op_access_multi,
    [HVMOP_altp2m_set_suppress_ve] = op_set_sve,
    [HVMOP_altp2m_get_suppress_ve] = op_get_sve,
    [HVMOP_altp2m_get_mem_access] = op_get_access,
    [HVMOP_altp2m_vcpu_disable_notify] = op_disable_notify,
    [HVMOP_altp2m_get_p2m_idx] = op_get_idx,
    [HVMOP_altp2m_set_suppress_ve_multi] = op_sve_multi,
    [HVMOP_altp2m_set_visibility] = op_visibility,
};

/* ---- decode ---- */

/* Xen's rules per HVM_PARAM_ALTP2M mode: mixed, the domain itself or
 * its toolstack; external, only the toolstack; limited, the domain may
 * only ask for #VE notification. */
static int mode_permits(const struct domain *d, uint64_t mode, uint32_t cmd)
{
    bool self = current->domain == d;

    switch ( mode )
    {
    case XEN_ALTP2M_mixed: return 0;
    case XEN_ALTP2M_limited:
        if ( cmd == HVMOP_altp2m_vcpu_enable_notify )
            return 0;
        return self ? -EPERM : 0;
    case XEN_ALTP2M_external: return self ? -EPERM : 0;
    default: return -EPERM;
    }
}

static bool pad_ok(const struct xen_hvm_altp2m_op *a)
{
    return !a->pad1 && !a->pad2 &&
           (a->cmd != HVMOP_altp2m_vcpu_enable_notify || !a->u.enable_notify.pad);
}

/* Everything but the sub-op's own fields, in Xen's order. */
static int altp2m_decode(struct xen_hvm_altp2m_op *a, struct domain *d)
{
    uint64_t mode = ACCESS_ONCE(d->hvm_params[HVM_PARAM_ALTP2M]);
    int rc;

    if ( !pad_ok(a) || mode == XEN_ALTP2M_disabled )
        return -EINVAL;
    rc = mode_permits(d, mode, a->cmd);
    if ( rc )
        return rc;
    if ( a->cmd != HVMOP_altp2m_get_domain_state && a->cmd != HVMOP_altp2m_set_domain_state &&
         !ACCESS_ONCE(d->altp2m.active) )
        return -EOPNOTSUPP;
    return 0;
}

long hvmop_altp2m(uint64_t arg)
{
    struct xen_hvm_altp2m_op a;
    struct domain *d;
    long rc;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( a.version != HVMOP_ALTP2M_INTERFACE_VERSION )
        return -EINVAL;
    if ( a.cmd >= ARRAY_SIZE(handlers) || !handlers[a.cmd] )
        return -EOPNOTSUPP;
    rc = domain_for_caller(a.domain, &d);
    if ( rc )
        return rc;
    rc = altp2m_decode(&a, d);
    if ( !rc )
        rc = handlers[a.cmd](d, &a, arg);
    put_domain(d);
    return rc;
}
