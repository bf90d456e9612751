/*
 * bench-ioreq - what forwarding costs, in counts: VM exits per forwarded
 * write, machine instructions per request round trip and per mapcache
 * invalidation broadcast, and invalidations sent per frame given back in
 * one call. Run by automation/bench-ioreq.sh (make bench), not by make
 * test.
 *
 * dom0 is the device model: a synchronous server for BI_PORT and
 * BI_MMIO, and a server with a ring for BI_POST_PORT (its writes are
 * posted). d1 (bench-ioreq-target) runs each loop on command and times
 * it with its pvclock; the descriptor runs QEMU with one CPU and
 * -icount shift=0, so a time is an instruction count of the whole
 * machine. Every measure is a loop of N minus a loop of 0 (the mailbox's
 * own cost), divided by N. Exits are the target's (wren_logdirty's
 * vcpu_exits) minus its idle yields. Prints one line per measure:
 *
 *   BENCH what=NAME n=N exits=E insns=I requests=R invalidates=V
 *
 * with E, I, R, V totals over the N operations.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq.h>
#include <public/domctl.h>
#include <public/wren.h>

#include "bench.h"

const char test_title[] = "ioreq benchmark: exits and instructions per request";

#define TARGET   1
#define MB_GFN   0x7f100UL
#define IO_GFN   0x7f200UL
#define POST_GFN 0x7f300UL
#define LOOPS    500

static xtf_mb_t *mb;
static struct xtf_ioreq_server sync_srv, post_srv;
static struct xtf_ioreq_server *const srvs[] = { &sync_srv, &post_srv };
static uint64_t requests, invalidates;

static void handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    if ( p->type == IOREQ_TYPE_INVALIDATE )
        invalidates++;
    else
        requests++;
    if ( IOREQ_DIR(p) == IOREQ_READ )
        p->data = 0x1234;
}

static bool target_exits(uint64_t *exits)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_wren_logdirty, .domain = TARGET };
    struct xen_domctl_wren_logdirty req = { .op = WREN_LOGDIRTY_GET_STATS };
    long rc;

    memcpy(&d.u, &req, sizeof(req));
    rc = hypercall_domctl(&d);
    memcpy(&req, &d.u, sizeof(req));
    *exits = req.vcpu_exits - mb->idle_rounds;
    if ( rc )
        xtf_error("XEN_DOMCTL_wren_logdirty: %ld", rc);
    return !rc;
}

struct run
{
    uint64_t exits, insns, requests, invalidates;
};

static bool run(uint32_t op, uint64_t n, uint64_t a1, uint64_t a2, struct run *r)
{
    uint64_t e0, e1, q0 = requests, v0 = invalidates;
    long rc;

    if ( !target_exits(&e0) )
        return false;
    mb->arg[0] = n;
    mb->arg[1] = a1;
    mb->arg[2] = a2;
    rc = xtf_mb_call_serving(mb, op, 0, (struct xtf_ioreq_server **)srvs, 2);
    if ( rc )
    {
        xtf_mb_report(mb, "benchmark loop", rc);
        return false;
    }
    if ( !target_exits(&e1) )
        return false;
    r->exits = e1 - e0;
    r->insns = mb->out[0];
    r->requests = requests - q0;
    r->invalidates = invalidates - v0;
    return true;
}

/* LOOPS operations minus none, reported as one BENCH line. */
static void measure(const char *what, uint32_t op, uint64_t a1, uint64_t a2)
{
    struct run base, full;

    if ( !run(op, 0, a1, a2, &base) || !run(op, LOOPS, a1, a2, &full) )
        return;
    printf("BENCH what=%s n=%u exits=%ld insns=%ld requests=%ld invalidates=%ld\n", what, LOOPS,
           (long)(full.exits - base.exits), (long)(full.insns - base.insns),
           (long)(full.requests - base.requests), (long)(full.invalidates - base.invalidates));
}

static long server(struct xtf_ioreq_server *s, int ring, uint64_t gfn, uint64_t port)
{
    long rc = xtf_ioreq_create(s, TARGET, 1, ring, gfn, handler);

    if ( !rc )
        rc = xtf_ioreq_map_range(s, XEN_DMOP_IO_RANGE_PORT, port, port + 3);
    if ( !rc && !ring )
        rc = xtf_ioreq_map_range(s, XEN_DMOP_IO_RANGE_MEMORY, BI_MMIO, BI_MMIO + 0xfff);
    if ( !rc )
        rc = xtf_ioreq_set_state(s, true);
    return rc;
}

static void give_back(unsigned int frames)
{
    char what[40];

    snprintf(what, sizeof(what), "give-back-%u", frames);
    measure(what, BI_GIVE_BACK, frames, 1);
}

void test_main(void)
{
    long rc;

    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
        return xtf_error("cannot attach d%u's mailbox", TARGET);
    rc = server(&sync_srv, HVM_IOREQSRV_BUFIOREQ_OFF, IO_GFN, BI_PORT);
    if ( !rc )
        rc = server(&post_srv, HVM_IOREQSRV_BUFIOREQ_ATOMIC, POST_GFN, BI_POST_PORT);
    if ( rc )
        return xtf_failure("setting up the servers: %ld", rc);
    measure("pio-write", BI_OUT, BI_PORT, 0);
    measure("pio-read", BI_IN, BI_PORT, 0);
    measure("pio-write-posted", BI_OUT, BI_POST_PORT, 0);
    measure("mmio-write", BI_MMIO_STORE, 0, 0);
    measure("give-back-1-no-access", BI_GIVE_BACK, 1, 0);
    give_back(1);
    give_back(8);
    give_back(64);
    /* The same loops with every server disabled: no broadcast is owed. */
    if ( xtf_ioreq_set_state(&sync_srv, false) || xtf_ioreq_set_state(&post_srv, false) )
        return xtf_failure("disabling the servers failed");
    measure("give-back-1-no-server", BI_GIVE_BACK, 1, 0);
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_success(NULL);
}
