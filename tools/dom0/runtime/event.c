/*
 * event.c - event channels as the runtime sees them, and the one place
 * dom0 blocks.
 *
 * dom0 runs with interrupts off and every upcall masked: nothing ever
 * interrupts the code, so no handler can overwrite a red zone or find a
 * data structure half-changed. Instead, whoever cannot progress calls
 * rt_wait(): it runs the services (dom0/service.h), moves pending ports
 * to the evtchn device that owns them, and if nothing happened blocks
 * the vCPU with SCHEDOP_poll on the ports that could wake it, with the
 * caller's deadline as the timeout. With a second task (task.c) that
 * task runs first, and only if neither can progress does dom0 sleep.
 *
 * A port is "soft-masked" after it fired until its owner unmasks it
 * (Linux's evtchn semantics); a soft-masked port stays pending in
 * shared_info and is left out of the poll, so it cannot wake us in a loop.
 *
 * May not touch: ports it was not given (rt_port_own), and the p2m beyond
 * placing the shared_info page once.
 */
#include <string.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <dom0/service.h>
#include "rt.h"

#define NR_PORTS   4096 /* the 2-level ABI on 64-bit */
#define POLL_MAX   128  /* Xen's limit per SCHEDOP_poll */
#define CONSOLE_MS 20   /* without VIRQ_CONSOLE: look this often */

struct port
{
    struct rt_evdev *owner;
    bool masked, console;
};

static uint8_t shinfo_page[RT_PAGE] __attribute__((aligned(4096)));
static struct port ports[NR_PORTS];
static bool console_virq; /* VIRQ_CONSOLE bound: input wakes us */
bool rt_console_waiting;

volatile struct shared_info *rt_shared_info(void)
{
    return (volatile struct shared_info *)shinfo_page;
}

void rt_event_init(void)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .gpfn = (uintptr_t)shinfo_page / RT_PAGE,
    };
    long rc = hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (long)&x, 0, 0, 0);
    if ( rc )
    {
        rt_printf("dom0: cannot map shared_info (%ld)\n", rc);
        rt_shutdown(SHUTDOWN_crash);
    }
    rt_shared_info()->vcpu_info[0].evtchn_upcall_mask = 1;
}

static void hw_mask(unsigned int port, bool on)
{
    volatile xen_ulong_t *w = &rt_shared_info()->evtchn_mask[port / 64];
    if ( on )
        __atomic_fetch_or(w, 1UL << (port % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(w, ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

int rt_port_own(unsigned int port, struct rt_evdev *dev)
{
    if ( port >= NR_PORTS || ports[port].owner || ports[port].console )
        return -1;
    hw_mask(port, true); /* no upcall, ever: we poll */
    ports[port] = (struct port){ .owner = dev };
    return 0;
}

void rt_console_port(unsigned int port)
{
    if ( port < NR_PORTS )
    {
        hw_mask(port, true);
        ports[port] = (struct port){ .console = true };
        console_virq = true;
    }
}

void rt_port_disown(unsigned int port)
{
    if ( port < NR_PORTS )
        ports[port] = (struct port){ 0 };
}

struct rt_evdev *rt_port_owner(unsigned int port)
{
    return port < NR_PORTS ? ports[port].owner : NULL;
}

void rt_port_unmask(unsigned int port)
{
    if ( port < NR_PORTS )
        ports[port].masked = false;
}

static bool take_pending(unsigned int port)
{
    volatile xen_ulong_t *w = &rt_shared_info()->evtchn_pending[port / 64];
    uint64_t bitv = 1UL << (port % 64);
    return __atomic_fetch_and(w, ~bitv, __ATOMIC_SEQ_CST) & bitv;
}

static bool scan_word(unsigned int w, uint64_t pend)
{
    bool any = false;
    for ( ; pend; pend &= pend - 1 )
    {
        unsigned int port = w * 64 + (unsigned int)__builtin_ctzl(pend);
        struct port *p = &ports[port];
        if ( p->masked || (!p->owner && !p->console) || !take_pending(port) )
            continue;
        if ( p->console )
            rt_console_kick();
        else
        {
            p->masked = true;
            rt_evdev_fire(p->owner, port);
        }
        any = true;
    }
    return any;
}

static bool scan(void)
{
    volatile struct shared_info *s = rt_shared_info();
    bool any = false;
    for ( unsigned int w = 0; w < NR_PORTS / 64; w++ )
        if ( s->evtchn_pending[w] )
            any |= scan_word(w, s->evtchn_pending[w]);
    return any;
}

void rt_events_scan(void)
{
    scan();
}

static void block(uint64_t deadline)
{
    evtchn_port_t list[POLL_MAX];
    struct sched_poll p = { .timeout = deadline };
    unsigned int n = 0;
    for ( unsigned int port = 1; port < NR_PORTS && n < POLL_MAX; port++ )
        if ( (ports[port].owner && !ports[port].masked) || ports[port].console )
            list[n++] = port;
    if ( rt_console_waiting && !console_virq )
    {
        uint64_t soon = rt_now() + CONSOLE_MS * 1000000ULL;
        if ( !p.timeout || p.timeout > soon )
            p.timeout = soon;
    }
    set_xen_guest_handle(p.ports, list);
    p.nr_ports = n;
    hypercall(__HYPERVISOR_sched_op, SCHEDOP_poll, (long)&p, 0, 0, 0);
    rt_console_waiting = false;
}

void rt_wait(uint64_t deadline)
{
    bool progress = dom0_services_run(); /* but those already running */
    progress |= scan();
    if ( !progress && (!deadline || rt_now() < deadline) )
        block(deadline);
}

int rt_block(bool (*ready)(void *), void *arg, bool nonblock, uint64_t deadline)
{
    for ( ;; )
    {
        if ( ready(arg) )
            return 0;
        if ( nonblock )
            return -11; /* EAGAIN */
        if ( deadline && rt_now() >= deadline )
            return -110; /* ETIMEDOUT */
        /* Another task (task.c) runs until it blocks; it may have made
         * us ready. Only if not does this one sleep. */
        if ( rt_task_yield() && ready(arg) )
            return 0;
        rt_wait(deadline);
    }
}
