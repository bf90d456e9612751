/*
 * altp2m-view-race - the view-specific HVMOP_altp2m sub-ops racing the
 * destroy of their view (review13). The guest (altp2m mixed) runs, on
 * vCPU 1, set_mem_access, get_mem_access, change_gfn and set/get
 * suppress-#VE on view 1 for ever, while vCPU 0 makes and destroys
 * view 1 1500 times (300 under Bochs). Each call must answer 0 (the
 * view was there) or -EINVAL (it was not), and the hypervisor must
 * survive: a view looked
 * up before the host p2m lock was taken could be freed by the destroy
 * in between, and the call then wrote into the freed view and its freed
 * tables. At the end altp2m goes off and on again and view 1 is made
 * once more, to show the domain's views are still sane.
 *
 * May not touch: anything but its own domain's altp2m state.
 */
#include <xtf.h>
#include <xtf/x86.h>
#include <xtf/vcpu.h>
#include <public/hvm/hvm_op.h>

const char test_title[] = "altp2m: view sub-ops racing the view's destroy";

/* Rounds of create and destroy: fewer under Bochs (Intel), whose
 * vCPUs interleave every few instructions but run slowly. */
#define ROUNDS_AMD   1500
#define ROUNDS_INTEL 300
#define ACC_R        1
#define ACC_RWX      7

static uint8_t page_a[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t page_o[PAGE_SIZE] __aligned(PAGE_SIZE);

static volatile bool stop, v1_done;
static volatile uint64_t v1_calls, v1_hits, v1_bad;
static volatile long v1_bad_rc;

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

static long set_state(uint8_t on)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.domain_state.state = on;
    return op(HVMOP_altp2m_set_domain_state, &a);
}

static long create_view(void)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    a.u.view.hvmmem_default_access = ACC_RWX;
    rc = op(HVMOP_altp2m_create_p2m, &a);
    return rc ? rc : a.u.view.view;
}

static long destroy_view(uint16_t view)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.view.view = view;
    return op(HVMOP_altp2m_destroy_p2m, &a);
}

/* One call on view 1 of each racing kind: its answer. */
static long race_call(unsigned int kind)
{
    struct xen_hvm_altp2m_op a = { 0 };
    uint64_t ga = gfn_of(page_a), go = gfn_of(page_o);

    switch ( kind % 5 )
    {
    case 0:
        a.u.mem_access =
            (struct xen_hvm_altp2m_mem_access){ .view = 1, .access = ACC_R, .gfn = ga };
        return op(HVMOP_altp2m_set_mem_access, &a);
    case 1:
        a.u.mem_access = (struct xen_hvm_altp2m_mem_access){ .view = 1, .gfn = ga };
        return op(HVMOP_altp2m_get_mem_access, &a);
    case 2:
        a.u.change_gfn =
            (struct xen_hvm_altp2m_change_gfn){ .view = 1, .old_gfn = go, .new_gfn = ga };
        return op(HVMOP_altp2m_change_gfn, &a);
    case 3:
        a.u.suppress_ve = (struct xen_hvm_altp2m_suppress_ve){ .view = 1, .gfn = ga };
        return op(HVMOP_altp2m_set_suppress_ve, &a);
    default:
        a.u.suppress_ve = (struct xen_hvm_altp2m_suppress_ve){ .view = 1, .gfn = ga };
        return op(HVMOP_altp2m_get_suppress_ve, &a);
    }
}

static void v1_main(unsigned int id)
{
    for ( unsigned int i = 0; !stop; i++ )
    {
        long rc = race_call(i);

        v1_calls++;
        v1_hits += rc == 0;
        if ( rc && rc != -XEN_EINVAL )
        {
            v1_bad++;
            v1_bad_rc = rc;
        }
    }
    smp_wmb();
    v1_done = true;
}

static void expect(const char *what, long rc, long want)
{
    if ( rc != want )
        xtf_failure("%s returned %ld, expected %ld", what, rc, want);
}

static unsigned int rounds(void)
{
    return cpuid(0).b == 0x756e6547 /* "Genu" */ ? ROUNDS_INTEL : ROUNDS_AMD;
}

void test_main(void)
{
    unsigned int made = 0, n = rounds();
    long rc;

    page_a[0] = page_o[0] = 1; /* populated and mapped */
    expect("enable", set_state(1), 0);
    rc = xtf_vcpu_start(1, v1_main);
    if ( rc )
    {
        xtf_error("starting vCPU 1: %ld", rc);
        return;
    }
    for ( unsigned int i = 0; i < n && xtf_current_result() != XTF_FAILURE; i++ )
    {
        rc = create_view();
        expect("create view 1", rc, 1);
        made += rc == 1;
        expect("destroy view 1", destroy_view(1), 0);
    }
    stop = true;
    while ( !v1_done )
        cpu_relax();
    smp_rmb();
    printf("  %u views made and destroyed; vCPU 1 made %lu calls, %lu found the view\n", made,
           (unsigned long)v1_calls, (unsigned long)v1_hits);
    if ( v1_bad )
        xtf_failure("vCPU 1: %lu answers neither 0 nor -EINVAL (last %ld)", (unsigned long)v1_bad,
                    v1_bad_rc);
    expect("disable", set_state(0), 0);
    expect("enable again", set_state(1), 0);
    expect("view 1 again", create_view(), 1);
    expect("disable at the end", set_state(0), 0);
    xtf_success(NULL);
}
