/*
 * destroy-race - a hypercall that names a domain being destroyed.
 *
 * dom0's vCPU 1 loops over every call that names another domain and is
 * not serialised with XEN_DOMCTL_destroydomain by the domctl lock:
 * XENMEM_current_reservation, a foreign map and unmap of one of d1's
 * frames (one at a time, and 4096 in one long XENMEM_add_to_physmap_batch
 * that holds d1 for a long time), HVMOP_get_param, HVMOP_get_mem_type, EVTCHNOP_status and
 * EVTCHNOP_bind_interdomain to one of d1's ports. vCPU 0 destroys d1
 * while that runs. Every call must return success or -ESRCH (the foreign
 * map and the bind also -EINVAL), never anything else, and the
 * hypervisor must survive: a call that found d1 before the destroy holds
 * a reference, so the domain it works on is dying but not freed (the
 * heap poisons freed objects, so a use after free faults at once). After
 * the loop stops, d1's frames, pool and shared pages are back.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <xtf/vcpu.h>
#include <public/memory.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/event_channel.h>

const char test_title[] = "Hypercalls racing a domain's destruction";

#define TARGET     1
#define MB_GFN     0x7f100UL
#define MAP_GFN    0x7f300UL
#define BEFORE     3UL  /* rounds before the destroy */
#define AFTER      20UL /* rounds that must see d1 gone */
#define LONG_BATCH 4096U

static volatile unsigned long rounds, gone_rounds, bad;
static volatile long bad_rc;
static volatile const char *bad_call;
static volatile bool stop, stopped;

static void check(const char *call, long rc, bool einval_ok)
{
    if ( rc >= 0 || rc == -XEN_ESRCH || (einval_ok && rc == -XEN_EINVAL) )
        return;
    bad++;
    bad_rc = rc;
    bad_call = call;
}

static xen_ulong_t batch_idx[LONG_BATCH];
static xen_pfn_t batch_gpfn[LONG_BATCH];
static int32_t batch_err[LONG_BATCH];

/* Map d1's frame at our one slot 4096 times over in a single call. */
static void long_batch(void)
{
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_gmfn_foreign,
        .size = LONG_BATCH,
        .u.foreign_domid = TARGET,
    };

    for ( unsigned int i = 0; i < LONG_BATCH; i++ )
    {
        batch_idx[i] = 0x300;
        batch_gpfn[i] = MAP_GFN;
    }
    set_xen_guest_handle(b.idxs, batch_idx);
    set_xen_guest_handle(b.gpfns, batch_gpfn);
    set_xen_guest_handle(b.errs, batch_err);
    check("long batch", hypercall_memory_op(XENMEM_add_to_physmap_batch, &b), false);
    for ( unsigned int i = 0; i < LONG_BATCH; i++ )
        check("long batch entry", batch_err[i], true);
    xtf_unmap_local(MAP_GFN);
}

static bool one_round(void)
{
    domid_t dom = TARGET;
    struct xen_hvm_param p = { .domid = TARGET, .index = HVM_PARAM_CONSOLE_PFN };
    struct xen_hvm_get_mem_type mt = { .domid = TARGET, .pfn = 0x300 };
    struct evtchn_status st = { .dom = TARGET, .port = 1 };
    struct evtchn_bind_interdomain bi = { .remote_dom = TARGET, .remote_port = 1 };
    long rc, all = 0;

    long_batch();
    rc = hypercall_memory_op(XENMEM_current_reservation, &dom);
    check("current_reservation", rc, false);
    all |= rc;
    rc = xtf_map_foreign(TARGET, 0x300, MAP_GFN);
    check("map foreign", rc, true);
    if ( rc == 0 )
        check("unmap", xtf_unmap_local(MAP_GFN), false);
    check("get_param", hypercall_hvm_op(HVMOP_get_param, &p), false);
    check("get_mem_type", hypercall_hvm_op(HVMOP_get_mem_type, &mt), false);
    check("evtchn status", hypercall_event_channel_op(EVTCHNOP_status, &st), false);
    rc = hypercall_event_channel_op(EVTCHNOP_bind_interdomain, &bi);
    check("bind_interdomain", rc, true); /* d1's port 1 is not ours: -EINVAL */
    return all == -XEN_ESRCH && rc == -XEN_ESRCH;
}

static void hammer(unsigned int id)
{
    while ( !stop )
    {
        if ( one_round() )
            gone_rounds++;
        rounds++;
    }
    stopped = true;
    for ( ;; )
        hypercall_yield();
}

static bool wait_for(volatile unsigned long *count, unsigned long n)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && *count < n; i++ )
        hypercall_yield();
    return *count >= n;
}

void test_main(void)
{
    xtf_mb_t *mb = xtf_mb_attach(TARGET, MB_GFN);
    uint64_t before, after, pool = 0, owned = 0;
    long rc;

    if ( !mb || xtf_p2m_pool(TARGET, &pool, NULL, &owned) )
        return xtf_error("cannot reach d1");
    xtf_unmap_local(MB_GFN);
    rc = xtf_vcpu_start(1, hammer);
    if ( rc )
        return xtf_error("starting vCPU 1: %ld", rc);
    if ( !wait_for(&rounds, BEFORE) )
        return xtf_error("vCPU 1 made only %lu rounds", rounds);
    before = xtf_free_pages();
    rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, TARGET);
    if ( rc )
        return xtf_failure("destroydomain(d1): %ld", rc);
    if ( !wait_for(&gone_rounds, AFTER) )
        xtf_failure("after the destroy, only %lu of %lu rounds saw d1 gone", gone_rounds, rounds);
    stop = true;
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && !stopped; i++ )
        hypercall_yield();
    after = xtf_free_pages();
    printf("%lu rounds, %lu after d1 was gone; %lu frames came back (d1 owned %lu, pool %lu)\n",
           rounds, gone_rounds, (unsigned long)(after - before), (unsigned long)owned,
           (unsigned long)pool);
    if ( bad )
        return xtf_failure("%lu calls failed oddly; last: %s returned %ld", bad, bad_call, bad_rc);
    if ( after - before < owned + pool )
        return xtf_failure("only %lu frames came back", (unsigned long)(after - before));
    if ( !xtf_p2m_audit(0, "dom0 after the race") )
        return;
    xtf_success(NULL);
}
