/*
 * bench-altp2m - the altp2m numbers of `make bench` (automation/
 * bench-altp2m.sh, docs/bench/altp2m-sharing.md). dom0 reads the VM-exit
 * counter of a domU around work it commands, and prints one
 * machine-readable line per measurement:
 *
 *   BENCH what=W n=N exits=E [requests=R violation_exits=V]
 *
 * E is the exits of the N units minus those of a run of none (the
 * handshakes' own).
 *  - switch-hypercall / switch-vmfunc: N view switches of
 *    altp2m-hw-target (d1), 0 -> 1 -> 0 round trips, by
 *    HVMOP_altp2m_switch_p2m or by VMFUNC leaf 0 (VMX only);
 *  - ve: N writes that are an EPT violation of view 2 with suppress-#VE
 *    clear, each handled by d1's #VE handler (VMX only);
 *  - listener: N writes of mem-access-target (d2) to rx pages, each a
 *    mem_access event a dom0 listener answers (the page gets rwx back),
 *    minus the same N writes once the pages are rwx (the mailbox's own
 *    exits cancel out), each less the yields of d2's idle loop meanwhile
 *    (its idle_rounds) and each the least of 3 runs (the host's timer
 *    only adds); R and V are XEN_DOMCTL_wren_vm_event's counters over
 *    one run.
 *
 * The switches and #VEs are measured by altp2m-hw-lib/ctl.c's measure(),
 * the listener is mem-access-lib/listener.c's; this file adds the
 * listener's exit count and the baselines. The verdict is
 * SUCCESS if every measurement ran (the numbers are the bench's to judge).
 * May not touch: anything but d1 and d2 through their mailboxes, d2's
 * monitor ring and the access of d2's pages [L_GFN, L_GFN + L_NR).
 */
#include <xtf.h>
#include "../altp2m-hw-lib/ctl.c"
#include "../mem-access-lib/listener.c"

const char test_title[] = "bench: exits per altp2m view switch and per handled violation";

#define SWITCH_TRIPS 500 /* hypercall: 1000 switches */
#define VMFUNC_TRIPS 500 /* VMFUNC: 1000 switches */
#define VE_NR        200
#define L_DOM        2
#define L_GFN        0x400UL
#define L_BATCH      128UL /* writes per mailbox command */
#define L_NR         128UL
#define L_ROUNDS     3

static struct target lt = { .dom = L_DOM, .mb_gfn = 0x7f200, .ring_gfn = 0x7f210 };

static uint64_t exits_of(domid_t dom)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_wren_ioreq, .domain = dom };
    struct xen_domctl_wren_ioreq *w = (struct xen_domctl_wren_ioreq *)&op.u;

    w->server = WREN_IOREQ_DOMAIN;
    return hypercall_domctl(&op) ? ~0ULL : w->vcpu_exits;
}

/* Exits of n units of what_op less those of none (the handshakes'). */
static void report(const char *what, uint64_t what_op, uint64_t n, uint64_t units)
{
    uint64_t exits = measure(what_op, n), none = measure(what_op, 0);

    if ( exits != ~0ULL && none != ~0ULL )
        printf("BENCH what=%s n=%lu exits=%ld\n", what, (unsigned long)units, (long)(exits - none));
}

/* d2's exits over one batch of writes from its page first, less its
 * mailbox idle loop's yields meanwhile (one exit each, read within one). */
static uint64_t batch(uint64_t first)
{
    uint64_t before = exits_of(L_DOM), idle = lt.mb->idle_rounds;
    long rc;

    for ( unsigned int i = 0; i < L_BATCH; i++ )
    {
        lt.mb->gfn[i] = first + i;
        lt.mb->val[i] = VAL(first + i);
    }
    lt.mb->arg[0] = OFFSET;
    rc = call(&lt, XTF_MB_WRITE, L_BATCH);
    if ( rc )
        return xtf_mb_report(lt.mb, "writes", rc), ~0ULL;
    idle = lt.mb->idle_rounds - idle;
    return exits_of(L_DOM) - before - idle;
}

/* The same over all L_NR pages; ~0 if a batch failed. */
static uint64_t listener_writes(void)
{
    uint64_t sum = 0;

    for ( uint64_t g = L_GFN; g < L_GFN + L_NR; g += L_BATCH )
    {
        uint64_t e = batch(g);

        if ( e == ~0ULL )
            return e;
        sum += e;
    }
    return sum;
}

/* The least of L_ROUNDS runs of what: exits the host's timer adds only
 * ever add (a slow host stretches a window). */
static uint64_t least(bool rx)
{
    uint64_t best = ~0ULL;

    for ( unsigned int r = 0; r < L_ROUNDS; r++ )
    {
        uint64_t e;

        if ( rx && !expect("set rx", set_access(L_DOM, L_GFN, L_NR, XENMEM_access_rx), 0) )
            return ~0ULL;
        e = listener_writes(); /* the listener gives every page rwx back */
        if ( e == ~0ULL )
            return e;
        best = e < best ? e : best;
    }
    return best;
}

static void listener(void)
{
    struct xen_domctl_wren_vm_event s;
    uint64_t with, without;

    lt.mb = xtf_mb_attach(L_DOM, lt.mb_gfn);
    if ( !lt.mb || !ring_up(&lt) )
        return;
    nr_seen = 0;
    with = least(true);
    without = least(false);
    if ( with == ~0ULL || without == ~0ULL || counters(L_DOM, &s) )
        return xtf_failure("listener measurement failed");
    if ( !expect("events", nr_seen, L_ROUNDS * L_NR) )
        return;
    printf("BENCH what=listener n=%lu exits=%ld requests=%lu violation_exits=%lu\n", L_NR,
           (long)(with - without), (unsigned long)(s.requests / L_ROUNDS),
           (unsigned long)(s.violation_exits / L_ROUNDS));
    ring_down(&lt);
    destroy(&lt, false);
}

void test_main(void)
{
    bool vmfunc = false;

    /* d2 waits while d1 is measured: with it running, one #VE in 200 on
     * bochs-vmx named EPTP index 0 instead of 2 (see the part's section). */
    xtf_domctl_simple(XEN_DOMCTL_pausedomain, L_DOM);
    if ( start(&vmfunc) )
    {
        report("switch-hypercall", MEASURE_HCALL, SWITCH_TRIPS, 2 * SWITCH_TRIPS);
        if ( vmfunc )
        {
            report("switch-vmfunc", MEASURE_VMFUNC, VMFUNC_TRIPS, 2 * VMFUNC_TRIPS);
            run_checks(OP_VE_SETUP, "#VE setup");
            report("ve", MEASURE_VE, VE_NR, VE_NR);
        }
    }
    finish();
    xtf_domctl_simple(XEN_DOMCTL_unpausedomain, L_DOM);
    listener();
    xtf_success(NULL); /* unless something above said worse */
}
