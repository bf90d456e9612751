/*
 * altp2m-hw-lib/ctl.c - the controller side shared by altp2m-vmfunc and
 * altp2m-ve (included by their main.c): attach to altp2m-hw-target
 * (domain 1), set up its views, and count the VM exits of a measured
 * command (XEN_DOMCTL_wren_ioreq's vcpu_exits, read while the target
 * spins between the two handshakes, see altp2m-hw-target/main.c).
 * May not touch: anything but domain 1 through the mailbox.
 */
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/domctl.h>
#include <public/wren.h>
#include "ops.h"

#define TARGET 1
#define MB_GFN 0x7f100UL

static xtf_mb_t *mb;

static uint64_t target_exits(void)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_wren_ioreq, .domain = TARGET };
    struct xen_domctl_wren_ioreq *w = (struct xen_domctl_wren_ioreq *)&op.u;

    w->server = WREN_IOREQ_DOMAIN;
    if ( hypercall_domctl(&op) )
        return ~0ULL;
    return w->vcpu_exits;
}

struct window
{
    unsigned int stage;
    uint64_t exits[2];
};

/* While the target works: read the counter at each handshake. */
static bool step(void *arg)
{
    struct window *w = arg;

    if ( w->stage < 2 && mb->out[w->stage] )
    {
        w->exits[w->stage] = target_exits();
        mb->arg[3] = ++w->stage;
        return true;
    }
    return false;
}

/* Exits of the target during n units of `what`; ~0 if it failed. */
static uint64_t measure(uint64_t what, uint64_t n)
{
    struct window w = { 0 };
    long rc;

    mb->out[0] = mb->out[1] = mb->out[2] = 0;
    mb->arg[0] = what;
    mb->arg[1] = n;
    mb->arg[3] = 0;
    rc = xtf_mb_call_idle(mb, OP_MEASURE, 0, step, &w);
    if ( rc || w.stage != 2 )
    {
        xtf_failure("measure %lu x %lu: %ld, %lu wrong, stage %u", (unsigned long)what,
                    (unsigned long)n, rc, (unsigned long)mb->out[2], w.stage);
        return ~0ULL;
    }
    return w.exits[1] - w.exits[0];
}

/* Attach and make the views: true if the target has VMFUNC. */
static bool start(bool *vmfunc)
{
    long rc;

    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
    {
        xtf_error("cannot attach d%u's mailbox", TARGET);
        return false;
    }
    rc = xtf_mb_call(mb, OP_SETUP, 0);
    if ( rc )
    {
        xtf_mb_report(mb, "setup", rc);
        return false;
    }
    *vmfunc = mb->out[0];
    return true;
}

static void run_checks(uint32_t cmd, const char *what)
{
    long rc = xtf_mb_call(mb, cmd, 0);

    if ( rc < 0 )
        xtf_mb_report(mb, what, rc);
    else if ( rc )
        xtf_failure("%s: %ld checks went wrong (see d%u's lines)", what, rc, TARGET);
}

/*
 * The target powers off and is destroyed with its views and #VE page
 * still set up: every frame it owned and its whole p2m pool come back,
 * and it leaves no zombie (a reference still held on one of its frames,
 * the #VE page's say, would keep its id dying).
 */
static void finish(void)
{
    struct xen_domctl_getdomaininfo info;
    uint64_t pool = 0, owned = 0, before, freed;
    long rc;

    if ( !mb )
        return;
    if ( xtf_p2m_pool(TARGET, &pool, NULL, &owned) )
        return xtf_error("WREN_P2M_POOL on d%u failed", TARGET);
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_unmap_local(MB_GFN);
    before = xtf_free_pages();
    rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, TARGET);
    freed = xtf_free_pages() - before;
    printf("destroy of d%u freed %lu frames (it owned %lu, pool %lu)\n", TARGET,
           (unsigned long)freed, (unsigned long)owned, (unsigned long)pool);
    if ( rc || freed < owned + pool )
        xtf_failure("destroy of d%u: %ld, %lu frames back, expected at least %lu", TARGET, rc,
                    (unsigned long)freed, (unsigned long)(owned + pool));
    if ( !xtf_getdomaininfo(TARGET, &info) )
        xtf_failure("d%u still there after destroy (flags %#x): a frame is still held", TARGET,
                    info.flags);
}
