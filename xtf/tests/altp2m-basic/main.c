/*
 * altp2m-basic - a guest drives its own altp2m views (HVM_PARAM_ALTP2M
 * mixed, from its module arguments) through HVMOP_altp2m. Checks:
 *  - before altp2m is on: the state reads 0 and every other sub-op is
 *    -EOPNOTSUPP; a bad version or padding is -EINVAL, an unknown
 *    sub-op -EOPNOTSUPP;
 *  - views 1..9 can be made (10 in all with the host's view 0); one
 *    more is -EINVAL, as in Xen; destroying view 0 or 10 is -EINVAL, a
 *    view that does not exist -EBUSY (Xen's), the active one -EBUSY;
 *  - set_mem_access(view 1, A, r-x): get_mem_access says r-x in view 1
 *    and rwx in view 0; a write to A on view 0 does not trap (view 1 still
 *    says r-x afterwards); on view 1 it traps, and with nobody listening
 *    the access goes back to rwx (Xen's rule when access is not
 *    required): the write lands and view 1 then says rwx;
 *  - change_gfn(view 1, O -> A): on view 1, O shows A's data and a write
 *    through O lands in A; on view 0, O keeps its own data; INVALID_GFN
 *    reverts;
 *  - set_mem_access_multi on 300 gfns (more than one batch: the call
 *    continues through -ERESTART) sets every one;
 *  - suppress-#VE reads 1 until cleared; get_p2m_idx follows switches;
 *  - the #VE information page: one per vCPU (-EEXIST for a second),
 *    plain RAM only, a vCPU that exists, no padding;
 *  - every bad argument (view, access, padding, unmapped gfn) is refused
 *    with Xen's error and changes nothing;
 *  - altp2m off destroys the views (their indices fail afterwards).
 * Breaking the feature makes it fail: see the commit that added it.
 */
#include <xtf.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

const char test_title[] = "altp2m: views driven by the guest";

#define ACC_RX      5
#define ACC_RWX     7
#define MULTI_NR    300
#define MULTI_GFN   0x600UL   /* 6 MiB: RAM the test does not use */
#define UNMAPPED    0xfff00UL /* in the hole below 4 GiB */
#define INVALID_GFN (~0ULL)

static uint8_t page_a[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t page_o[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint64_t multi_pfns[MULTI_NR];
static uint8_t multi_access[MULTI_NR];

static uint64_t gfn_of(const void *p)
{
    return (uintptr_t)p >> PAGE_SHIFT;
}

static long op(uint32_t cmd, struct xen_hvm_altp2m_op *a)
{
    a->version = HVMOP_ALTP2M_INTERFACE_VERSION;
    a->cmd = cmd;
    a->domain = DOMID_SELF;
    return hypercall_hvm_op(HVMOP_altp2m, a);
}

static void expect(const char *what, long rc, long want)
{
    if ( rc == want )
        printf("  %-48s -> %ld: ok\n", what, rc);
    else
        xtf_failure("%s returned %ld, expected %ld", what, rc, want);
}

static long view_op(uint32_t cmd, uint16_t view)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.view.view = view;
    return op(cmd, &a);
}

static long set_access(uint16_t view, uint64_t gfn, uint16_t access)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.mem_access.view = view;
    a.u.mem_access.access = access;
    a.u.mem_access.gfn = gfn;
    return op(HVMOP_altp2m_set_mem_access, &a);
}

static long get_access(uint16_t view, uint64_t gfn)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    a.u.mem_access.view = view;
    a.u.mem_access.gfn = gfn;
    rc = op(HVMOP_altp2m_get_mem_access, &a);
    return rc ? rc : a.u.mem_access.access;
}

static long change_gfn(uint16_t view, uint64_t old_gfn, uint64_t new_gfn)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.change_gfn.view = view;
    a.u.change_gfn.old_gfn = old_gfn;
    a.u.change_gfn.new_gfn = new_gfn;
    return op(HVMOP_altp2m_change_gfn, &a);
}

static long p2m_idx(void)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc = op(HVMOP_altp2m_get_p2m_idx, &a);

    return rc ? rc : a.u.get_vcpu_p2m_idx.altp2m_idx;
}

static long state(void)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc = op(HVMOP_altp2m_get_domain_state, &a);

    return rc ? rc : a.u.domain_state.state;
}

static long set_state(uint8_t on)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.domain_state.state = on;
    return op(HVMOP_altp2m_set_domain_state, &a);
}

static void before_enable(void)
{
    struct xen_hvm_altp2m_op a = { 0 };

    expect("state before enable", state(), 0);
    expect("create before enable", view_op(HVMOP_altp2m_create_p2m, 0), -XEN_EOPNOTSUPP);
    a.version = 2;
    a.cmd = HVMOP_altp2m_get_domain_state;
    a.domain = DOMID_SELF;
    expect("version 2", hypercall_hvm_op(HVMOP_altp2m, &a), -XEN_EINVAL);
    expect("sub-op 99", view_op(99, 0), -XEN_EOPNOTSUPP);
    a = (struct xen_hvm_altp2m_op){ .pad1 = 1 };
    expect("pad1 set", op(HVMOP_altp2m_get_domain_state, &a), -XEN_EINVAL);
    expect("enable", set_state(1), 0);
    expect("state after enable", state(), 1);
}

/* Views 1..9, then one too many; all but 1 and 2 destroyed again. */
static void ten_views(void)
{
    struct xen_hvm_altp2m_op a = { 0 };

    for ( unsigned int i = 1; i < 10; i++ )
    {
        a.u.view.view = 0xffff;
        a.u.view.hvmmem_default_access = ACC_RWX;
        if ( op(HVMOP_altp2m_create_p2m, &a) || a.u.view.view != i )
            xtf_failure("create view %u: got view %u", i, a.u.view.view);
    }
    expect("create an 11th view", view_op(HVMOP_altp2m_create_p2m, 0), -XEN_EINVAL);
    for ( unsigned int i = 3; i < 10; i++ )
        expect("destroy view 3..9", view_op(HVMOP_altp2m_destroy_p2m, i), 0);
    expect("destroy view 0", view_op(HVMOP_altp2m_destroy_p2m, 0), -XEN_EINVAL);
    expect("destroy view 10", view_op(HVMOP_altp2m_destroy_p2m, 10), -XEN_EINVAL);
    expect("destroy view 5 (gone)", view_op(HVMOP_altp2m_destroy_p2m, 5), -XEN_EBUSY);
    expect("switch to view 5 (gone)", view_op(HVMOP_altp2m_switch_p2m, 5), -XEN_EINVAL);
}

static long notify(uint32_t cmd, uint32_t vcpu, uint64_t gfn, uint32_t pad)
{
    struct xen_hvm_altp2m_op a = { 0 };

    if ( cmd == HVMOP_altp2m_vcpu_enable_notify )
        a.u.enable_notify = (struct xen_hvm_altp2m_vcpu_enable_notify){ vcpu, pad, gfn };
    else
        a.u.disable_notify.vcpu_id = vcpu;
    return op(cmd, &a);
}

/* The #VE information page: plain RAM, one per vCPU until disabled. */
static void ve_info(void)
{
    uint32_t en = HVMOP_altp2m_vcpu_enable_notify, dis = HVMOP_altp2m_vcpu_disable_notify;

    expect("enable_notify(vCPU 0, O)", notify(en, 0, gfn_of(page_o), 0), 0);
    expect("enable_notify again", notify(en, 0, gfn_of(page_o), 0), -XEN_EEXIST);
    expect("enable_notify(vCPU 5)", notify(en, 5, gfn_of(page_o), 0), -XEN_EINVAL);
    expect("disable_notify(vCPU 0)", notify(dis, 0, 0, 0), 0);
    expect("enable_notify: unmapped gfn", notify(en, 0, UNMAPPED, 0), -XEN_EINVAL);
    expect("enable_notify: pad", notify(en, 0, gfn_of(page_o), 1), -XEN_EINVAL);
    expect("disable_notify(vCPU 5)", notify(dis, 5, 0, 0), -XEN_EINVAL);
    expect("enable_notify(vCPU 0, O) again", notify(en, 0, gfn_of(page_o), 0), 0);
}

static void write_a(uint8_t v)
{
    ACCESS_ONCE(page_a[64]) = v;
}

/* r-x in view 1 only: view 0 writes freely, view 1's write traps. */
static void access_in_one_view(void)
{
    uint64_t a = gfn_of(page_a);

    expect("set_mem_access(1, A, rx)", set_access(1, a, ACC_RX), 0);
    expect("get_mem_access(1, A)", get_access(1, a), ACC_RX);
    expect("get_mem_access(0, A)", get_access(0, a), ACC_RWX);
    write_a(1);
    expect("view 0 write: view 1 still rx", get_access(1, a), ACC_RX);
    expect("switch to view 1", view_op(HVMOP_altp2m_switch_p2m, 1), 0);
    expect("get_p2m_idx on view 1", p2m_idx(), 1);
    expect("destroy the active view", view_op(HVMOP_altp2m_destroy_p2m, 1), -XEN_EBUSY);
    (void)ACCESS_ONCE(page_a[64]); /* a read is allowed: nothing changes */
    expect("view 1 read: still rx", get_access(1, a), ACC_RX);
    write_a(2);
    expect("view 1 write trapped: reset to rwx", get_access(1, a), ACC_RWX);
    if ( ACCESS_ONCE(page_a[64]) != 2 )
        xtf_failure("the write on view 1 did not land");
    expect("switch to view 0", view_op(HVMOP_altp2m_switch_p2m, 0), 0);
    expect("get_p2m_idx on view 0", p2m_idx(), 0);
}

static void remap(void)
{
    uint64_t a = gfn_of(page_a), o = gfn_of(page_o);

    memset(page_a, 0xaa, PAGE_SIZE);
    memset(page_o, 0x55, PAGE_SIZE);
    expect("change_gfn(1, O -> A)", change_gfn(1, o, a), 0);
    expect("switch to view 1", view_op(HVMOP_altp2m_switch_p2m, 1), 0);
    if ( ACCESS_ONCE(page_o[100]) != 0xaa )
        xtf_failure("view 1: O shows %#x, not A's 0xaa", page_o[100]);
    ACCESS_ONCE(page_o[200]) = 0x77; /* lands in A's frame */
    expect("switch to view 0", view_op(HVMOP_altp2m_switch_p2m, 0), 0);
    if ( ACCESS_ONCE(page_o[100]) != 0x55 || ACCESS_ONCE(page_o[200]) != 0x55 )
        xtf_failure("view 0: O changed (%#x %#x)", page_o[100], page_o[200]);
    if ( ACCESS_ONCE(page_a[200]) != 0x77 )
        xtf_failure("view 0: the write through view 1's O is not in A");
    expect("change_gfn(1, O -> INVALID) reverts", change_gfn(1, o, INVALID_GFN), 0);
    expect("switch to view 1", view_op(HVMOP_altp2m_switch_p2m, 1), 0);
    if ( ACCESS_ONCE(page_o[100]) != 0x55 )
        xtf_failure("view 1 after revert: O shows %#x", page_o[100]);
    expect("switch to view 0", view_op(HVMOP_altp2m_switch_p2m, 0), 0);
}

static void multi(void)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    for ( unsigned int i = 0; i < MULTI_NR; i++ )
    {
        multi_pfns[i] = MULTI_GFN + i;
        multi_access[i] = ACC_RX;
    }
    a.u.set_mem_access_multi.view = 2;
    a.u.set_mem_access_multi.nr = MULTI_NR;
    a.u.set_mem_access_multi.pfn_list = (uintptr_t)multi_pfns;
    a.u.set_mem_access_multi.access_list = (uintptr_t)multi_access;
    rc = op(HVMOP_altp2m_set_mem_access_multi, &a);
    expect("set_mem_access_multi(2, 300 gfns)", rc, 0);
    expect("multi: first gfn", get_access(2, MULTI_GFN), ACC_RX);
    expect("multi: gfn 256 (second batch)", get_access(2, MULTI_GFN + 256), ACC_RX);
    expect("multi: last gfn", get_access(2, MULTI_GFN + MULTI_NR - 1), ACC_RX);
    expect("multi: one past the list", get_access(2, MULTI_GFN + MULTI_NR), ACC_RWX);
    a.u.set_mem_access_multi.opaque = MULTI_NR + 1;
    expect("multi: opaque past nr", op(HVMOP_altp2m_set_mem_access_multi, &a), -XEN_EINVAL);
}

static long sve(uint32_t cmd, uint16_t view, uint64_t gfn, uint8_t on)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    a.u.suppress_ve.view = view;
    a.u.suppress_ve.gfn = gfn;
    a.u.suppress_ve.suppress_ve = on;
    rc = op(cmd, &a);
    return rc || cmd != HVMOP_altp2m_get_suppress_ve ? rc : a.u.suppress_ve.suppress_ve;
}

static void suppress_ve(void)
{
    uint64_t a = gfn_of(page_a);

    expect("get_suppress_ve default", sve(HVMOP_altp2m_get_suppress_ve, 1, a, 0), 1);
    expect("set_suppress_ve(0)", sve(HVMOP_altp2m_set_suppress_ve, 1, a, 0), 0);
    expect("get_suppress_ve after clear", sve(HVMOP_altp2m_get_suppress_ve, 1, a, 0), 0);
    expect("get_suppress_ve in view 2", sve(HVMOP_altp2m_get_suppress_ve, 2, a, 0), 1);
}

static void bad_arguments(void)
{
    uint64_t a = gfn_of(page_a), o = gfn_of(page_o);
    struct xen_hvm_altp2m_op x = { 0 };

    expect("set_access: view 10", set_access(10, a, ACC_RX), -XEN_EINVAL);
    expect("set_access: view 5 (gone)", set_access(5, a, ACC_RX), -XEN_EINVAL);
    expect("set_access: access 99", set_access(1, a, 99), -XEN_EINVAL);
    expect("set_access: unmapped gfn", set_access(1, UNMAPPED, ACC_RX), -XEN_ESRCH);
    x.u.mem_access =
        (struct xen_hvm_altp2m_mem_access){ .view = 1, .access = ACC_RX, .pad = 1, .gfn = a };
    expect("set_access: pad", op(HVMOP_altp2m_set_mem_access, &x), -XEN_EINVAL);
    expect("change_gfn: new unmapped", change_gfn(1, o, UNMAPPED), -XEN_EINVAL);
    expect("change_gfn: old unmapped", change_gfn(1, UNMAPPED, a), -XEN_ESRCH);
    expect("change_gfn: view 0", change_gfn(0, o, a), -XEN_EINVAL);
    x = (struct xen_hvm_altp2m_op){ 0 };
    x.u.change_gfn =
        (struct xen_hvm_altp2m_change_gfn){ .view = 1, .pad2 = 1, .old_gfn = o, .new_gfn = a };
    expect("change_gfn: pad", op(HVMOP_altp2m_change_gfn, &x), -XEN_EINVAL);
    expect("get_access: view 7 (gone)", get_access(7, a), -XEN_EINVAL);
    expect("switch: view 10", view_op(HVMOP_altp2m_switch_p2m, 10), -XEN_EINVAL);
    /* Nothing changed by any of them. */
    expect("view 1 access of A unchanged", get_access(1, a), ACC_RWX);
    expect("view 1 access of O unchanged", get_access(1, o), ACC_RWX);
    expect("still on view 0", p2m_idx(), 0);
}

static void disable(void)
{
    expect("disable", set_state(0), 0);
    expect("state after disable", state(), 0);
    expect("get_access after disable", get_access(1, gfn_of(page_a)), -XEN_EOPNOTSUPP);
    expect("enable again", set_state(1), 0);
    expect("view 1 is gone", get_access(1, gfn_of(page_a)), -XEN_EINVAL);
    expect("disable again", set_state(0), 0);
}

void test_main(void)
{
    before_enable();
    ten_views();
    ve_info();
    access_in_one_view();
    remap();
    multi();
    suppress_ve();
    bad_arguments();
    disable();
    xtf_success(NULL);
}
