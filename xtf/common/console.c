/*
 * console.c - the output path behind printf.
 *
 * Three back ends, chosen once Xen has been found (console_init_xen):
 *  - port 0xE9, only before the hypercall page exists: QEMU's debugcon
 *    and Bochs' port_e9_hack show it, a hypervisor may drop it;
 *  - console_io(CONSOLEIO_write): dom0, and any domU without a ring;
 *  - the PV console ring at HVM_PARAM_CONSOLE_PFN, kicked through the
 *    event channel HVM_PARAM_CONSOLE_EVTCHN: a domU whose builder gave
 *    it one (that is how a real Xen domU talks to xenconsoled).
 */
#include <xtf.h>
#include <xtf/runtime.h>
#include <public/hvm/params.h>
#include <public/io/console.h>

#define E9_PORT         0xe9
#define RING_FULL_SPINS 100000UL /* yields before output is dropped */
#define LOCK_SPINS      10000000UL

static enum xtf_console_kind kind = XTF_CONSOLE_PORT_E9;
static struct xencons_interface *ring;
static uint32_t ring_port;
static int console_lock;

static void e9_write(const char *buf, size_t len)
{
    while ( len-- )
        outb((uint8_t)*buf++, E9_PORT);
}

static void hypercall_write(const char *buf, size_t len)
{
    hypercall_console_io(CONSOLEIO_write, len, buf);
}

/* Copy what fits; returns bytes copied (0 when the ring is full). */
static size_t ring_put(const char *buf, size_t len)
{
    XENCONS_RING_IDX cons = ACCESS_ONCE(ring->out_cons);
    XENCONS_RING_IDX prod = ring->out_prod;
    size_t space, n;

    smp_mb(); /* read cons before overwriting the slots it freed */
    space = sizeof(ring->out) - (prod - cons);
    n = MIN(len, space);
    for ( size_t i = 0; i < n; i++ )
        ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = buf[i];
    smp_wmb(); /* the backend must see the bytes before the index */
    ACCESS_ONCE(ring->out_prod) = prod;
    return n;
}

static void ring_write(const char *buf, size_t len)
{
    unsigned long spins = 0;

    while ( len )
    {
        size_t n = ring_put(buf, len);

        buf += n;
        len -= n;
        if ( n )
            continue;
        /* Full: wake the backend and give it time to drain. */
        evtchn_send(ring_port);
        hypercall_yield();
        if ( ++spins > RING_FULL_SPINS )
            return;
    }
    evtchn_send(ring_port);
}

/*
 * Bounded, so that an exception taken while printing (which prints too)
 * cannot deadlock: after LOCK_SPINS the lock is simply taken over.
 */
static void lock(void)
{
    for ( unsigned long i = 0; i < LOCK_SPINS; i++ )
        if ( !__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE) )
            return;
        else
            cpu_relax();
}

static void unlock(void)
{
    __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

void console_write(const char *buf, size_t len)
{
    lock();
    switch ( kind )
    {
    case XTF_CONSOLE_RING: ring_write(buf, len); break;
    case XTF_CONSOLE_HYPERCALL: hypercall_write(buf, len); break;
    default: e9_write(buf, len); break;
    }
    unlock();
}

void console_init_xen(void)
{
    uint64_t pfn = 0, port = 0;

    kind = XTF_CONSOLE_HYPERCALL;
    if ( xtf_is_dom0 )
        return;
    if ( hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) || !pfn )
        return;
    if ( pfn >= (XTF_MAPPED_LIMIT >> PAGE_SHIFT) )
    {
        printf("Console ring at pfn %#lx is outside the mapped 4 GiB\n", (unsigned long)pfn);
        return;
    }
    if ( hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port) )
        return;
    ring = (struct xencons_interface *)(uintptr_t)(pfn << PAGE_SHIFT);
    ring_port = (uint32_t)port;
    kind = XTF_CONSOLE_RING;
}

enum xtf_console_kind console_kind(void)
{
    return kind;
}

const char *console_kind_name(void)
{
    switch ( kind )
    {
    case XTF_CONSOLE_RING: return "PV console ring";
    case XTF_CONSOLE_HYPERCALL: return "console_io hypercall";
    default: return "I/O port 0xE9";
    }
}
