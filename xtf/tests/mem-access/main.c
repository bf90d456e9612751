/*
 * mem-access - a dom0 listener on a domU's monitor ring gets exactly one
 * event per access that a page's access right refuses, answers it, and
 * the access then completes (XENMEM_access_op, XEN_DOMCTL_vm_event_op,
 * public/vm_event.h; Xen's xen-access is the model).
 *
 * dom0 is the listener; d1 and d2 run mem-access-target (16 MiB), which
 * writes, reads or runs its own frames on command through the mailbox.
 * The listener sets the ring up as Xen's libxc does: the target's frame
 * RING_GFN named by HVM_PARAM_MONITOR_RING_PFN, mapped here and zeroed,
 * the ring enabled, the frame given back from the target's physmap, the
 * port bound interdomain. Then:
 *  - every bad argument is refused with Xen's error, before and after the
 *    ring exists, and changes nothing (d1 itself gets -EPERM for both
 *    calls) (a set_access_multi with one bad
 *    entry leaves its good first entry alone);
 *  - writes to four rx pages: four events, in order, each with its gfn,
 *    the offset written, kind W, vCPU 0, VCPU_PAUSED; the listener gives
 *    the page rwx back and answers; each write lands with its data, and
 *    writing again makes no event; a read of an n page (kind R) and a
 *    call into an rw page (kind X) likewise; the counters agree (one
 *    violation exit per event);
 *  - an answer with the wrong version is ignored and counted (the vCPU
 *    stays paused), and so is a second answer to the same request;
 *    disabling the ring lets the vCPU go;
 *  - with the ring disabled and access not required, a write to an rx
 *    page is not lost: the page gets rwx back (counted) and the data lands;
 *  - d2 with access required and no listener is crashed, with the reason;
 *  - d1 destroyed while a vCPU waits on an event, ring on: the domain goes
 *    completely (no zombie: the ring's reference was dropped), and its
 *    frames come back;
 *  - d3's 9 vCPUs write 9 rx pages at once: the ring (8 entries) fills,
 *    the ninth vCPU waits for room (Xen's behaviour: nothing dropped, nothing
 *    queued in the hypervisor), then every page makes exactly one event,
 *    each by the vCPU that wrote it, every write lands, and the violation
 *    exits are the requests plus the waits for room.
 */

#include "../mem-access-lib/listener.c"
#include <xtf/store.h>

const char test_title[] = "mem_access: events to a dom0 listener";

#define D1           1
#define D2           2
#define D3           3
#define NR_PAR       9              /* d3's vCPUs: one more than the ring's 8 entries */
#define MA_PAR_WRITE 101            /* mem-access-target: vCPU i writes frame i */
#define MA_TRY_PRIV  102            /* mem-access-target: its own calls are -EPERM */
#define P_GFN        XTF_GFN(0x500) /* d3: NR_PAR rx pages, one per vCPU */
#define NO_DOM       77
#define W_GFN        XTF_GFN(0x400) /* four rx pages written */
#define R_GFN        XTF_GFN(0x410) /* an n page read */
#define X_GFN        XTF_GFN(0x420) /* an rw page run */
#define B_GFN        XTF_GFN(0x430) /* a bad answer first */
#define N_GFN        XTF_GFN(0x440) /* no listener */
#define D_GFN        XTF_GFN(0x450) /* destroyed while waiting */

static struct target t1 = { .dom = D1, .mb_gfn = 0x7f200, .ring_gfn = 0x7f210 };
static struct target t2 = { .dom = D2, .mb_gfn = 0x7f201, .ring_gfn = 0x7f211 };
static struct target t3 = { .dom = D3, .mb_gfn = 0x7f202, .ring_gfn = 0x7f212 };

/* Event i is a MEM_ACCESS write by some vCPU (d3's order is the CPUs'). */
static bool check_kind_w(unsigned int i)
{
    const vm_event_request_t *r = &seen[i];

    return r->reason == VM_EVENT_REASON_MEM_ACCESS &&
           (r->u.mem_access.flags & MEM_ACCESS_RWX) == MEM_ACCESS_W && r->vcpu_id < NR_PAR &&
           r->vcpu_id == r->u.mem_access.gfn - P_GFN;
}

/* ---- refusals ----------------------------------------------------------- */

/* Before d1 has a ring. */
static bool refused_without_ring(void)
{
    struct xen_domctl_vm_event_op v;
    bool ok = true;

    ok &= expect("access_op with no ring", set_access(D1, W_GFN, 1, XENMEM_access_rx), -XEN_ENODEV);
    ok &= expect("enable with no ring frame", monitor(D1, XEN_VM_EVENT_ENABLE), -XEN_EOPNOTSUPP);
    ok &= expect("enable on myself", monitor(0, XEN_VM_EVENT_ENABLE), -XEN_EINVAL);
    ok &= expect("enable on no domain", monitor(NO_DOM, XEN_VM_EVENT_ENABLE), -XEN_ESRCH);
    ok &= expect("paging mode",
                 vm_event_op(D1, XEN_VM_EVENT_ENABLE, XEN_DOMCTL_VM_EVENT_OP_PAGING, NULL),
                 -XEN_EOPNOTSUPP);
    ok &= expect("mode 9", vm_event_op(D1, XEN_VM_EVENT_ENABLE, 9, NULL), -XEN_ENOSYS);
    ok &= expect("op 7", monitor(D1, 7), -XEN_ENOSYS);
    ok &= expect("disable when off", monitor(D1, XEN_VM_EVENT_DISABLE), -XEN_EINVAL);
    ok &= expect("resume when off", monitor(D1, XEN_VM_EVENT_RESUME), -XEN_ENODEV);
    ok &= expect("get_version", vm_event_op(DOMID_INVALID, XEN_VM_EVENT_GET_VERSION, 0, &v), 0);
    ok &= expect("version", v.u.version, VM_EVENT_INTERFACE_VERSION);
    ok &= expect("ring frame not RAM", hvm_param(D1, HVM_PARAM_MONITOR_RING_PFN, 0x7ffff), 0);
    ok &= expect("enable on a hole", monitor(D1, XEN_VM_EVENT_ENABLE), -XEN_EINVAL);
    ok &= expect("access_required on myself", access_required(0, 1), -XEN_EPERM);
    ok &= expect("d1 calling them itself", call(&t1, MA_TRY_PRIV, 0), 0);
    if ( !ok )
        printf("d1's own access_op: %ld, vm_event_op: %ld\n", (long)t1.mb->out[0],
               (long)t1.mb->out[1]);
    return ok;
}

/* With d1's ring on: nothing here changes an access. */
static bool refused_with_ring(void)
{
    uint64_t pfns[3] = { W_GFN, W_GFN + 1, W_GFN + 2 };
    uint8_t acc[3] = { XENMEM_access_rx, XENMEM_access_default + 1, XENMEM_access_rx }, a = 0;
    bool ok = true;

    ok &= expect("enable twice", monitor(D1, XEN_VM_EVENT_ENABLE), -XEN_EBUSY);
    ok &= expect("access_op on myself", set_access(0, W_GFN, 1, XENMEM_access_rx), -XEN_EINVAL);
    ok &= expect("access_op on no domain", set_access(NO_DOM, W_GFN, 1, XENMEM_access_rx),
                 -XEN_ESRCH);
    ok &= expect("sub-op 2", access_op_raw(2, XENMEM_access_rx, D1, W_GFN, 1), -XEN_ENOSYS);
    ok &= expect("sub-op 9", access_op_raw(9, XENMEM_access_rx, D1, W_GFN, 1), -XEN_ENOSYS);
    ok &= expect("access 11", set_access(D1, W_GFN, 1, XENMEM_access_default + 1), -XEN_EINVAL);
    ok &= expect("access w", set_access(D1, W_GFN, 1, XENMEM_access_w), -XEN_EINVAL);
    ok &= expect("access x", set_access(D1, W_GFN, 1, XENMEM_access_x), -XEN_EINVAL);
    ok &= expect("access rx2rw", set_access(D1, W_GFN, 1, XENMEM_access_rx2rw), -XEN_EOPNOTSUPP);
    ok &= expect("pfn past the end", set_access(D1, 0x100000, 1, XENMEM_access_rx), -XEN_EINVAL);
    ok &= expect("nr 0", set_access(D1, W_GFN, 0, XENMEM_access_rx), -XEN_EINVAL);
    ok &= expect("range wraps", set_access(D1, ~0ULL - 2, 8, XENMEM_access_rx), -XEN_EINVAL);
    ok &= expect("default access rx", set_access(D1, ~0ULL, 0, XENMEM_access_rx), -XEN_EOPNOTSUPP);
    ok &= expect("get past the end", get_access(D1, 0x100000, &a), -XEN_EINVAL);
    ok &= expect("get of a hole", get_access(D1, RING_GFN, &a), -XEN_ESRCH);
    ok &= expect("multi, bad entry", set_access_multi(D1, pfns, acc, 3), -XEN_EINVAL);
    ok &= expect("multi, bad list", set_access_multi(D1, (const uint64_t *)8, acc, 3), -XEN_EFAULT);
    ok &= expect("get after refusals", get_access(D1, W_GFN, &a), 0);
    ok &= expect("first entry of the refused multi", a, XENMEM_access_rwx);
    ok &= expect("default access", get_access(D1, ~0ULL, &a), 0) &&
          expect("default", a, XENMEM_access_rwx);
    return ok;
}

/* ---- events ------------------------------------------------------------- */

static bool writes(void)
{
    uint8_t a = 0;
    long rc;

    if ( !expect("set rx", set_access(D1, W_GFN, 4, XENMEM_access_rx), 0) ||
         !expect("get", get_access(D1, W_GFN + 3, &a), 0) || !expect("rx", a, XENMEM_access_rx) )
        return false;
    for ( unsigned int i = 0; i < 4; i++ )
    {
        t1.mb->gfn[i] = W_GFN + i;
        t1.mb->val[i] = VAL(W_GFN + i);
    }
    t1.mb->arg[0] = OFFSET;
    nr_seen = 0;
    rc = call(&t1, XTF_MB_WRITE, 4);
    if ( rc )
        return xtf_mb_report(t1.mb, "writes to rx pages", rc), false;
    if ( !expect("events for four writes", nr_seen, 4) )
        return false;
    for ( unsigned int i = 0; i < 4; i++ )
        if ( !check_event(i, W_GFN + i, MEM_ACCESS_W, OFFSET) ||
             !expect("written data", (long)t1.mb->out[i], (long)VAL(W_GFN + i)) )
            return false;
    rc = call(&t1, XTF_MB_WRITE, 4);
    return expect("second writes", rc, 0) && expect("events for writes to rwx pages", nr_seen, 4) &&
           stats_are(D1, "after the writes", 4, 4, 0, 4, 0);
}

/* A read of an n page (kind R), a call into an rw page (kind X). */
static bool read_and_run(void)
{
    long rc;

    t1.mb->gfn[0] = X_GFN;
    t1.mb->val[0] = XTF_RET_INSN;
    t1.mb->arg[0] = 0;
    if ( !expect("write a RET", call(&t1, XTF_MB_WRITE, 1), 0) ||
         !expect("set n", set_access(D1, R_GFN, 1, XENMEM_access_n), 0) ||
         !expect("set rw", set_access(D1, X_GFN, 1, XENMEM_access_rw), 0) )
        return false;
    nr_seen = 0;
    t1.mb->gfn[0] = R_GFN;
    rc = call(&t1, XTF_MB_READ, 1);
    if ( !expect("read of an n page", rc, 0) || !expect("events for one read", nr_seen, 1) ||
         !check_event(0, R_GFN, MEM_ACCESS_R, 0) )
        return false;
    nr_seen = 0;
    t1.mb->gfn[0] = X_GFN;
    rc = call(&t1, MA_EXEC, 1);
    if ( !expect("call into an rw page", rc, 0) || !expect("events for one call", nr_seen, 1) ||
         !check_event(0, X_GFN, MEM_ACCESS_X, 0) )
        return false;
    return stats_are(D1, "after the read and the call", 6, 6, 0, 6, 0);
}

/*
 * A wrong version is ignored and counted: the vCPU waits on. A second
 * answer to the same request is refused (the ring holds one answer per
 * request: more would let the listener run the indexes past each other).
 * Disabling the ring lets the vCPU go.
 */
static bool bad_answer(void)
{
    struct xen_domctl_wren_vm_event s;

    if ( !expect("set rx", set_access(D1, B_GFN, 1, XENMEM_access_rx), 0) )
        return false;
    t1.mb->gfn[0] = B_GFN;
    t1.mb->val[0] = VAL(B_GFN);
    t1.mb->arg[0] = 0;
    nr_seen = 0;
    answer_version = VM_EVENT_INTERFACE_VERSION - 1;
    post(t1.mb, XTF_MB_WRITE, 1);
    for ( unsigned long i = 0; !nr_seen && i < XTF_POLL_LIMIT; i++ )
        if ( !listen(&t1) )
            hypercall_yield();
    answer_version = VM_EVENT_INTERFACE_VERSION;
    if ( !expect("events for a write answered wrongly", nr_seen, 1) || !wait_paused(D1, 1) )
        return false;
    answer(&t1, &seen[0]);
    if ( !expect("resume", monitor(D1, XEN_VM_EVENT_RESUME), 0) || counters(D1, &s) ||
         !expect("bad answers", s.bad_responses, 2) || !expect("still waiting", s.paused_now, 1) ||
         !ring_down(&t1) )
        return false;
    return expect("write after the disable", call(&t1, XTF_MB_NOP, 0), 0) &&
           expect("data", (long)t1.mb->out[0], (long)VAL(B_GFN)) &&
           stats_are(D1, "after bad answers", 7, 6, 2, 7, 0) && ring_up(&t1);
}

/* ---- no listener -------------------------------------------------------- */

/* Ring off, access not required: the write lands, the page is rwx again. */
static bool no_listener_resets(void)
{
    long rc;

    if ( !expect("set rx", set_access(D1, N_GFN, 1, XENMEM_access_rx), 0) || !ring_down(&t1) )
        return false;
    t1.mb->gfn[0] = N_GFN;
    t1.mb->val[0] = VAL(N_GFN);
    t1.mb->arg[0] = 0;
    nr_seen = 0;
    rc = xtf_mb_call(t1.mb, XTF_MB_WRITE, 1);
    if ( rc )
        return xtf_mb_report(t1.mb, "write with no listener", rc), false;
    if ( !expect("data", (long)t1.mb->out[0], (long)VAL(N_GFN)) ||
         !stats_are(D1, "with no listener", 7, 6, 2, 8, 1) || !ring_up(&t1) )
        return false;
    rc = xtf_mb_call(t1.mb, XTF_MB_WRITE, 1);
    return expect("write again", rc, 0) && stats_are(D1, "write again", 7, 6, 2, 8, 1);
}

/* d2: access required and nobody listening: d2 is crashed. */
static bool no_listener_crashes(void)
{
    unsigned int reason = 0;
    long rc;

    if ( !ring_up(&t2) || !expect("set rx", set_access(D2, N_GFN, 1, XENMEM_access_rx), 0) ||
         !expect("access required", access_required(D2, 1), 0) || !ring_down(&t2) )
        return false;
    t2.mb->gfn[0] = N_GFN;
    t2.mb->val[0] = VAL(N_GFN);
    t2.mb->arg[0] = 0;
    rc = xtf_mb_call(t2.mb, XTF_MB_WRITE, 1);
    if ( !expect("write with access required", rc, -XEN_ESRCH) ||
         !expect("d2 gone", xtf_mb_target_gone(t2.mb, &reason), true) ||
         !expect("d2's shutdown reason", reason, SHUTDOWN_crash) )
        return false;
    printf("d2 crashed, as access is required and nobody listens\n");
    return stats_are(D2, "d2 crashed", 0, 0, 0, 1, 0);
}

/* ---- a full ring -------------------------------------------------------- */

static bool ring_was_full;

/* The mailbox's idle work while d3's vCPUs write: take nothing until the
 * ring holds its 8 requests and all NR_PAR vCPUs wait (8 for answers, the
 * rest for room); then answer everything. */
static bool listen_after_full(void *arg)
{
    struct xen_domctl_wren_vm_event s;

    if ( ring_was_full )
        return listen(arg);
    if ( counters(D3, &s) || s.requests != VM_EVENT_RING_ENTRIES || s.paused_now != NR_PAR ||
         s.ring_waits < NR_PAR - VM_EVENT_RING_ENTRIES )
        return false;
    printf("d3: ring full: %lu requests, %lu vCPUs waiting, %lu waits for room\n",
           (unsigned long)s.requests, (unsigned long)s.paused_now, (unsigned long)s.ring_waits);
    ring_was_full = true;
    return true;
}

/* Every gfn of P_GFN.. exactly once among the events seen. */
static bool each_once(void)
{
    unsigned int count[NR_PAR] = { 0 };

    for ( unsigned int i = 0; i < nr_seen && i < ARRAY_SIZE(seen); i++ )
        if ( seen[i].u.mem_access.gfn - P_GFN < NR_PAR )
            count[seen[i].u.mem_access.gfn - P_GFN]++;
    for ( unsigned int i = 0; i < NR_PAR; i++ )
        if ( count[i] != 1 || !check_kind_w(i) )
            return xtf_failure("d3: gfn %#lx had %u events", (unsigned long)(P_GFN + i), count[i]),
                   false;
    return true;
}

/* NR_PAR vCPUs write NR_PAR rx pages at once: the ring fills, the last
 * vCPUs wait for room, nothing is lost: one event per page, every write
 * lands, and every violation exit is a request or a wait for room. */
static bool full_ring(void)
{
    struct xen_domctl_wren_vm_event s;
    long rc;

    if ( !ring_up(&t3) || !expect("set rx", set_access(D3, P_GFN, NR_PAR, XENMEM_access_rx), 0) )
        return false;
    for ( unsigned int i = 0; i < NR_PAR; i++ )
    {
        t3.mb->gfn[i] = P_GFN + i;
        t3.mb->val[i] = VAL(P_GFN + i);
    }
    nr_seen = 0;
    hold = false;
    rc = xtf_mb_call_idle(t3.mb, MA_PAR_WRITE, NR_PAR, listen_after_full, &t3);
    if ( rc )
        return xtf_mb_report(t3.mb, "d3's vCPUs writing", rc), false;
    if ( !ring_was_full || !expect("d3 events", nr_seen, NR_PAR) || !each_once() )
        return xtf_failure("d3: the ring never filled, or events were lost"), false;
    for ( unsigned int i = 0; i < NR_PAR; i++ )
        if ( !expect("d3 data", (long)t3.mb->out[i], (long)VAL(P_GFN + i)) )
            return false;
    if ( counters(D3, &s) || !expect("d3 requests", s.requests, NR_PAR) ||
         !expect("d3 responses", s.responses, NR_PAR) ||
         !expect("d3 exits = requests + waits", s.violation_exits, s.requests + s.ring_waits) )
        return false;
    printf("d3: %lu violation exits for %u events (%lu waits for room)\n",
           (unsigned long)s.violation_exits, NR_PAR, (unsigned long)s.ring_waits);
    return true;
}

static bool destroy_while_waiting(void)
{
    if ( !expect("set rx", set_access(D1, D_GFN, 1, XENMEM_access_rx), 0) )
        return false;
    t1.mb->gfn[0] = D_GFN;
    t1.mb->val[0] = VAL(D_GFN);
    hold = true;
    post(t1.mb, XTF_MB_WRITE, 1);
    if ( !wait_paused(D1, 1) )
        return false;
    return destroy(&t1, true);
}

void test_main(void)
{
    t1.mb = xtf_mb_attach(D1, t1.mb_gfn);
    t2.mb = xtf_mb_attach(D2, t2.mb_gfn);
    t3.mb = xtf_mb_attach(D3, t3.mb_gfn);
    if ( !t1.mb || !t2.mb || !t3.mb )
        return;
    if ( !refused_without_ring() || !ring_up(&t1) || !refused_with_ring() || !writes() ||
         !read_and_run() || !bad_answer() || !no_listener_resets() || !no_listener_crashes() ||
         !destroy_while_waiting() || !destroy(&t2, false) || !full_ring() || !destroy(&t3, true) )
        return;
    xtf_success(NULL);
}
