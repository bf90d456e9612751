/*
 * mem-access-altp2m - mem_access events from altp2m views (Xen's
 * xen-access altp2m_write is the model): dom0 listens on d1's monitor
 * ring (mem-access-lib/listener.c) and drives d1's views from outside
 * (HVM_PARAM_ALTP2M external). d1 runs mem-access-target (16 MiB).
 *  - View 1 restricts four pages to rx (HVMOP_altp2m_set_mem_access);
 *    each time d1's vCPU runs in view 1 and writes one of them, exactly
 *    one event names gfn, offset, kind W, vCPU 0 and view 1
 *    (VM_EVENT_FLAG_ALTERNATE_P2M); the answer switches the vCPU to
 *    view 0, where the write lands; the vCPU is then in view 0 and view
 *    1 still says rx.
 *  - A page the host p2m restricts (XENMEM_access_op), written in view
 *    1: the event names view 1 (the vCPU's), the listener gives the host
 *    page rwx back, and the view's copy of the host entry follows (the
 *    write lands, the vCPU stays in view 1).
 *  - An answer switching to a view that does not exist is counted as bad;
 *    the vCPU runs on in its view and faults again: a second event, whose
 *    answer switches to view 0; the write lands.
 *  - d1 destroyed with its view and ring: no zombie, frames back.
 */
#include "../mem-access-lib/listener.c"

const char test_title[] = "mem_access: events from altp2m views";

#define D1    1
#define A_GFN 0x400UL /* four pages rx in view 1 */
#define H_GFN 0x410UL /* rx in the host p2m */
#define S_GFN 0x420UL /* rx in view 1, a bad switch first */

static struct target t1 = { .dom = D1, .mb_gfn = 0x7f200, .ring_gfn = 0x7f210 };
static uint16_t view;

static long altp2m(uint32_t cmd, struct xen_hvm_altp2m_op *a)
{
    a->version = HVMOP_ALTP2M_INTERFACE_VERSION;
    a->cmd = cmd;
    a->domain = D1;
    return hypercall_hvm_op(HVMOP_altp2m, a);
}

static long view_access(uint16_t idx, uint64_t gfn, uint16_t access)
{
    struct xen_hvm_altp2m_op a = { .u.mem_access = { .view = idx, .access = access, .gfn = gfn } };

    return altp2m(HVMOP_altp2m_set_mem_access, &a);
}

static long view_access_of(uint16_t idx, uint64_t gfn, uint16_t *access)
{
    struct xen_hvm_altp2m_op a = { .u.mem_access = { .view = idx, .gfn = gfn } };
    long rc = altp2m(HVMOP_altp2m_get_mem_access, &a);

    *access = a.u.mem_access.access;
    return rc;
}

static long switch_all(uint16_t idx)
{
    struct xen_hvm_altp2m_op a = { .u.view = { .view = idx } };

    return altp2m(HVMOP_altp2m_switch_p2m, &a);
}

/* vCPU 0's active view, or -1. */
static long vcpu_view(void)
{
    struct xen_hvm_altp2m_op a = { .u.get_vcpu_p2m_idx = { .vcpu_id = 0 } };
    long rc = altp2m(HVMOP_altp2m_get_p2m_idx, &a);

    return rc ? -1 : a.u.get_vcpu_p2m_idx.altp2m_idx;
}

static bool views_up(void)
{
    struct xen_hvm_altp2m_op a = { .u.domain_state = { .state = 1 } };

    if ( !expect("HVM_PARAM_ALTP2M", hvm_param(D1, HVM_PARAM_ALTP2M, XEN_ALTP2M_external), 0) ||
         !expect("altp2m on", altp2m(HVMOP_altp2m_set_domain_state, &a), 0) )
        return false;
    memset(&a, 0, sizeof(a));
    a.u.view.hvmmem_default_access = XENMEM_access_rwx;
    if ( !expect("create a view", altp2m(HVMOP_altp2m_create_p2m, &a), 0) )
        return false;
    view = a.u.view.view;
    printf("d1: view %u created\n", view);
    return true;
}

/* d1 writes gfn in view: one event naming the view, answered by 'to'. */
static bool write_in_view(uint64_t gfn, int to, unsigned int events)
{
    long rc;

    if ( !expect("switch to the view", switch_all(view), 0) )
        return false;
    t1.mb->gfn[0] = gfn;
    t1.mb->val[0] = VAL(gfn);
    t1.mb->arg[0] = OFFSET;
    nr_seen = 0;
    answer_view = to;
    expect_view = view;
    rc = call(&t1, XTF_MB_WRITE, 1);
    if ( rc )
        return xtf_mb_report(t1.mb, "a write in the view", rc), false;
    if ( !expect("events", nr_seen, events) )
        return false;
    for ( unsigned int i = 0; i < events; i++ )
        if ( !check_event(i, gfn, MEM_ACCESS_W, OFFSET) )
            return false;
    return expect("data", (long)t1.mb->out[0], (long)VAL(gfn));
}

/* xen-access altp2m_write: the answer moves the vCPU to view 0. */
static bool view_restricts(void)
{
    uint16_t a = 0;

    for ( unsigned int i = 0; i < 4; i++ )
        if ( !expect("view rx", view_access(view, A_GFN + i, XENMEM_access_rx), 0) )
            return false;
    for ( unsigned int i = 0; i < 4; i++ )
        if ( !write_in_view(A_GFN + i, 0, 1) || !expect("vCPU 0's view after", vcpu_view(), 0) ||
             !expect("get view access", view_access_of(view, A_GFN + i, &a), 0) ||
             !expect("view access after", a, XENMEM_access_rx) )
            return false;
    return stats_are(D1, "view writes", 4, 4, 0, 4, 0);
}

/* The host restricts: the view's copy follows the host's new access. */
static bool host_restricts(void)
{
    if ( !expect("host rx", set_access(D1, H_GFN, 1, XENMEM_access_rx), 0) ||
         !write_in_view(H_GFN, -1, 1) )
        return false;
    return expect("vCPU 0 stays in the view", vcpu_view(), view) &&
           stats_are(D1, "host restriction seen from the view", 5, 5, 0, 5, 0);
}

static bool bad_switch(void)
{
    long rc;

    if ( !expect("view rx", view_access(view, S_GFN, XENMEM_access_rx), 0) ||
         !expect("switch to the view", switch_all(view), 0) )
        return false;
    t1.mb->gfn[0] = S_GFN;
    t1.mb->val[0] = VAL(S_GFN);
    nr_seen = 0;
    expect_view = view;
    first_answer_view = 7; /* no such view; the answers after it: view 0 */
    answer_view = 0;
    rc = call(&t1, XTF_MB_WRITE, 1);
    first_answer_view = -2;
    if ( rc )
        return xtf_mb_report(t1.mb, "a write answered with a bad switch", rc), false;
    return expect("events", nr_seen, 2) && check_event(0, S_GFN, MEM_ACCESS_W, OFFSET) &&
           check_event(1, S_GFN, MEM_ACCESS_W, OFFSET) &&
           expect("data", (long)t1.mb->out[0], (long)VAL(S_GFN)) &&
           expect("vCPU 0's view", vcpu_view(), 0) &&
           stats_are(D1, "after a bad switch", 7, 7, 1, 7, 0);
}

void test_main(void)
{
    t1.mb = xtf_mb_attach(D1, t1.mb_gfn);
    if ( !t1.mb || !ring_up(&t1) || !views_up() || !view_restricts() || !host_restricts() ||
         !bad_switch() || !destroy(&t1, true) )
        return;
    xtf_success(NULL);
}
