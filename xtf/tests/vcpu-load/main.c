/*
 * vcpu-load - what it costs the hypervisor to make vCPUs ready to enter
 * while they move between CPUs: XEN_SYSCTL_wren_vcpu_load before and
 * after a stretch of yields, printed as one BENCH line (deltas) for
 * automation/bench-vcpu-load.sh and checked for consistency.
 *
 * The same kernel runs as dom0 and as four domUs, each with four vCPUs
 * (test.cfg) on a two-CPU machine. A domU's vCPUs yield forever. dom0's
 * vCPUs 1-3 yield until told to stop; vCPU 0 reads the counters, yields
 * YIELDS times, reads them again: once with the domUs paused ("alone":
 * 4 vCPUs) and once with them running ("crowd": 20 vCPUs, more than the
 * 15 guest ASIDs QEMU offers). The scheduler moves vCPUs between CPUs,
 * which is what the counters are about: on VMX a VMCS must be cleared
 * before it is loaded on another CPU; on SVM a vCPU needs an ASID that
 * tags nothing stale on each CPU it arrives on.
 *
 * Checks (all vendors): the counters only grow, and entries happened.
 * VMX: every entry is a VMLAUNCH or a VMRESUME; a VMLAUNCH needs a clear
 * VMCS, so there are no more VMLAUNCHes than VMCLEARs... plus the ones
 * already clear at the start, hence the slack of one per vCPU. Nothing
 * in the window creates, resets or destroys a vCPU, so every VMCLEAR must
 * be one another CPU asked for: a VMCS stays loaded while its vCPU stays
 * on its CPU (before that change, every run ended in a VMCLEAR).
 * SVM: every whole-TLB flush begins an ASID generation, and a generation
 * hands out at least one ASID (before per-CPU generations, every move and
 * every entry of a vCPU sharing an ASID flushed the whole TLB).
 */
#include <xtf.h>
#include <xtf/sysctl.h>
#include <public/vcpu.h>
#include <public/domctl.h>

const char test_title[] = "vCPU load and unload counts";

#define NR_VCPUS 4
#define NR_DOMUS 4
#define YIELDS   1000UL

static bool started[NR_VCPUS], stop;

static void ap_main(unsigned int id)
{
    __atomic_store_n(&started[id], true, __ATOMIC_SEQ_CST);
    while ( !__atomic_load_n(&stop, __ATOMIC_SEQ_CST) )
        hypercall_yield();
}

static bool read_counts(struct xen_sysctl_wren_vcpu_load *c)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_wren_vcpu_load };
    long rc = hypercall_sysctl(&op);

    if ( rc )
    {
        xtf_error("XEN_SYSCTL_wren_vcpu_load: %ld", rc);
        return false;
    }
    *c = op.u.wren_vcpu_load;
    return true;
}

static bool start_aps(void)
{
    for ( unsigned int id = 1; id < NR_VCPUS; id++ )
    {
        long rc = xtf_vcpu_start(id, ap_main);

        if ( rc )
        {
            xtf_error("starting vCPU %u: %ld (test.cfg asks for %u)", id, rc, NR_VCPUS);
            return false;
        }
    }
    for ( unsigned int id = 1; id < NR_VCPUS; id++ )
    {
        unsigned long i;

        for ( i = 0; i < XTF_POLL_LIMIT && !__atomic_load_n(&started[id], __ATOMIC_SEQ_CST); i++ )
            hypercall_yield();
        if ( i == XTF_POLL_LIMIT )
        {
            xtf_failure("vCPU %u never started", id);
            return false;
        }
    }
    return true;
}

static void stop_aps(void)
{
    __atomic_store_n(&stop, true, __ATOMIC_SEQ_CST);
    for ( unsigned int id = 1; id < NR_VCPUS; id++ )
    {
        unsigned long i;

        for ( i = 0; i < XTF_POLL_LIMIT && hypercall_vcpu_op(VCPUOP_is_up, id, NULL) == 1; i++ )
            hypercall_yield();
        if ( i == XTF_POLL_LIMIT )
            xtf_failure("vCPU %u did not go down", id);
    }
}

#define D(f) (after.f - before.f)

static void report(const char *scenario, unsigned int vcpus,
                   const struct xen_sysctl_wren_vcpu_load *a,
                   const struct xen_sysctl_wren_vcpu_load *b)
{
    struct xen_sysctl_wren_vcpu_load before = *a, after = *b;

    printf("BENCH scenario=%s vcpus=%u yields=%lu entries=%lu vmlaunches=%lu "
           "vmresumes=%lu vmptrlds=%lu vmclears=%lu remote_clears=%lu "
           "asid_allocs=%lu asid_rollovers=%lu tlb_flush_all=%lu\n",
           scenario, vcpus, YIELDS, (unsigned long)D(entries), (unsigned long)D(vmlaunches),
           (unsigned long)D(vmresumes), (unsigned long)D(vmptrlds), (unsigned long)D(vmclears),
           (unsigned long)D(remote_clears), (unsigned long)D(asid_allocs),
           (unsigned long)D(asid_rollovers), (unsigned long)D(tlb_flush_all));
}

static void check(const struct xen_sysctl_wren_vcpu_load *a,
                  const struct xen_sysctl_wren_vcpu_load *b)
{
    struct xen_sysctl_wren_vcpu_load before = *a, after = *b;
    bool vmx = after.vmlaunches + after.vmresumes != 0;

    if ( D(entries) < YIELDS || (int64_t)D(vmclears) < 0 || (int64_t)D(asid_allocs) < 0 ||
         (int64_t)D(tlb_flush_all) < 0 )
        xtf_failure("counters went backwards or too few entries (%lu)", (unsigned long)D(entries));
    if ( vmx && D(vmlaunches) + D(vmresumes) != D(entries) )
        xtf_failure("VMX: %lu entries but %lu VMLAUNCH + %lu VMRESUME", (unsigned long)D(entries),
                    (unsigned long)D(vmlaunches), (unsigned long)D(vmresumes));
    if ( vmx && D(vmlaunches) > D(vmclears) + NR_VCPUS )
        xtf_failure("VMX: %lu VMLAUNCHes after only %lu VMCLEARs", (unsigned long)D(vmlaunches),
                    (unsigned long)D(vmclears));
    if ( vmx && D(vmclears) != D(remote_clears) )
        xtf_failure("VMX: %lu VMCLEARs, only %lu of them for a vCPU that moved",
                    (unsigned long)D(vmclears), (unsigned long)D(remote_clears));
    if ( !vmx && (D(tlb_flush_all) != D(asid_rollovers) || D(asid_rollovers) > D(asid_allocs)) )
        xtf_failure("SVM: %lu whole-TLB flushes, %lu ASID generations, %lu ASIDs",
                    (unsigned long)D(tlb_flush_all), (unsigned long)D(asid_rollovers),
                    (unsigned long)D(asid_allocs));
}

/* Has domU d brought all its vCPUs up? Until then its own vCPU
 * bring-up (a VMCS reset, so a VMCLEAR) could fall into a window. */
static bool domu_all_online(domid_t d)
{
    struct xen_domctl_getdomaininfo info;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( !xtf_getdomaininfo(d, &info) && info.nr_online_vcpus == NR_VCPUS )
            return true;
        hypercall_yield();
    }
    xtf_error("d%u: only %u of its %u vCPUs came online", d, info.nr_online_vcpus, NR_VCPUS);
    return false;
}

/* Every domU must have its four vCPUs, or "crowd" would measure less
 * than it says (a domU whose module string was lost gets one), and have
 * them online before anything is measured. */
static bool domus_complete(void)
{
    for ( domid_t d = 1; d <= NR_DOMUS; d++ )
    {
        struct xen_domctl_getdomaininfo info;
        long rc = xtf_getdomaininfo(d, &info);

        if ( rc || info.max_vcpu_id + 1 != NR_VCPUS )
        {
            xtf_error("d%u: getdomaininfo %ld, %u vCPUs; test.cfg asks for %u", d, rc,
                      rc ? 0 : info.max_vcpu_id + 1, NR_VCPUS);
            return false;
        }
        if ( !domu_all_online(d) )
            return false;
    }
    return true;
}

/* Pause (or unpause) every domU; false after an ERROR. */
static bool set_domus_paused(bool pause)
{
    uint32_t cmd = pause ? XEN_DOMCTL_pausedomain : XEN_DOMCTL_unpausedomain;

    for ( domid_t d = 1; d <= NR_DOMUS; d++ )
    {
        long rc = xtf_domctl_simple(cmd, d);

        if ( rc )
        {
            xtf_error("%s d%u: %ld", pause ? "pausing" : "unpausing", d, rc);
            return false;
        }
    }
    return true;
}

/* YIELDS yields of vCPU 0, counted and checked. */
static bool measure(const char *scenario, unsigned int vcpus)
{
    struct xen_sysctl_wren_vcpu_load before, after;

    if ( !read_counts(&before) )
        return false;
    for ( unsigned long i = 0; i < YIELDS; i++ )
        hypercall_yield();
    if ( !read_counts(&after) )
        return false;
    report(scenario, vcpus, &before, &after);
    check(&before, &after);
    return true;
}

static void domu_main(void)
{
    if ( !start_aps() )
        return;
    for ( ;; )
        hypercall_yield();
}

void test_main(void)
{
    if ( !xtf_is_dom0 )
        return domu_main();
    if ( xtf_count_domus() != NR_DOMUS )
    {
        xtf_error("%u domUs, test.cfg asks for %u", xtf_count_domus(), NR_DOMUS);
        return;
    }
    if ( !domus_complete() || !set_domus_paused(true) || !start_aps() )
        return;
    if ( !measure("alone", NR_VCPUS) || !set_domus_paused(false) ||
         !measure("crowd", NR_VCPUS * (1 + NR_DOMUS)) )
        return;
    stop_aps();
    xtf_success(NULL);
}
