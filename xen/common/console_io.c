/*
 * console_io.c - the console_io hypercall, and the hypervisor-side
 * backend of every domU's PV console ring.
 *
 * CONSOLEIO_write puts the control domain's text on the hypervisor
 * console (a domU's too with "domu_console_io", with its "(dN) " prefix);
 * CONSOLEIO_read hands the control domain what was typed on the serial
 * line. Anyone else gets -EPERM, as on Xen. A domU that uses the PV console instead
 * writes into the 'out' half of a shared xencons_interface page and kicks
 * an event channel; the hypervisor drains it here, standing in for the
 * console daemon a Xen dom0 would run. The 'in' half is never filled.
 *
 * d->console.lock serialises everything that appends to a domain's line
 * buffer from this file (console_guest_write itself takes no lock).
 * The only p2m entry this file changes is the ring's own, at setup.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <xen/event.h>
#include <xen/console.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/param.h>
#include <asm/system.h>
#include <public/io/console.h>

/*
 * Longest CONSOLEIO_write accepted. Xen takes any length and preempts;
 * without continuations a bound keeps one call short, and real callers
 * (early printk, hvc) write at most a page at a time.
 */
#define CONSOLEIO_WRITE_MAX (16 * 1024)
#define CHUNK               256

static long console_write(uint64_t count, uint64_t buffer)
{
    struct domain *d = current->domain;
    char buf[CHUNK];
    if ( count > CONSOLEIO_WRITE_MAX )
        return -EINVAL;
    /* Decode: the whole buffer must be readable before any of it is shown. */
    for ( uint64_t off = 0; off < count; off += CHUNK )
        if ( copy_from_guest(buf, buffer + off, MIN((uint64_t)CHUNK, count - off)) )
            return -EFAULT;
    spin_lock(&d->console.lock);
    for ( uint64_t off = 0; off < count; off += CHUNK )
    {
        size_t n = MIN((uint64_t)CHUNK, count - off);
        if ( copy_from_guest(buf, buffer + off, n) )
        {
            spin_unlock(&d->console.lock);
            return -EFAULT; /* the guest unmapped it meanwhile */
        }
        console_guest_write(d, buf, n);
    }
    spin_unlock(&d->console.lock);
    return 0;
}

/* Returns the number of bytes read, up to CHUNK per call (a short read is
 * how Xen's console ring says "that is all for now" too). */
static long console_read_op(uint64_t count, uint64_t buffer)
{
    char buf[CHUNK];
    size_t want = MIN(count, (uint64_t)CHUNK), got;
    if ( !current->domain->is_privileged )
        return -EPERM;
    if ( !want )
        return 0;
    /* Characters taken from the serial line cannot be put back: make sure
     * they can be delivered before taking them. */
    memset(buf, 0, want);
    if ( copy_to_guest(buffer, buf, want) )
        return -EFAULT;
    got = console_read(buf, want);
    if ( got && copy_to_guest(buffer, buf, got) )
        return -EFAULT;
    return (long)got;
}

/*
 * As in Xen, console_io is the control domain's: a domU has its PV
 * console ring, and must not be able to fill the hypervisor's log. Xen
 * lets domUs write only when built with CONFIG_VERBOSE_DEBUG; Wren has
 * the boolean option "domu_console_io" for that (CONSOLEIO_write only;
 * reading stays privileged). The permission check comes first, so a
 * refused caller learns nothing about its arguments.
 */
static bool opt_domu_console_io;
boolean_param("domu_console_io", opt_domu_console_io);

static bool console_io_allowed(const struct domain *d, uint32_t cmd)
{
    return d->is_privileged || (opt_domu_console_io && cmd == CONSOLEIO_write);
}

/* Xen's arguments are (int cmd, unsigned int count, buffer). */
long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer)
{
    if ( !console_io_allowed(current->domain, (uint32_t)cmd) )
        return -EPERM;
    switch ( (uint32_t)cmd )
    {
    case CONSOLEIO_write: return console_write((uint32_t)count, buffer);
    case CONSOLEIO_read: return console_read_op((uint32_t)count, buffer);
    default: return -ENOSYS;
    }
}

/* ---- the PV console ring backend ----------------------------------------- */

/*
 * Drain the guest's 'out' ring into its console. Indexes are free-running
 * and live in guest memory, so they are read once and sanity-checked: a
 * producer more than a ring ahead means the guest scribbled on them, and
 * the backlog is dropped rather than replayed as garbage.
 */
static void console_ring_service(struct domain *d, unsigned int port)
{
    struct xencons_interface *intf;
    XENCONS_RING_IDX cons, prod;
    char buf[CHUNK];
    if ( !mfn_valid_raw(d->console.ring_mfn) )
        return;
    intf = mfn_to_virt(d->console.ring_mfn);
    spin_lock(&d->console.lock);
    cons = ACCESS_ONCE(intf->out_cons);
    prod = ACCESS_ONCE(intf->out_prod);
    smp_rmb(); /* indexes before data */
    if ( prod - cons > sizeof(intf->out) )
    {
        printk(XENLOG_WARNING
               "d%u: console ring indexes corrupt (cons %u prod %u), output dropped\n",
               d->domain_id, cons, prod);
        cons = prod;
    }
    while ( cons != prod )
    {
        size_t at = MASK_XENCONS_IDX(cons, intf->out);
        size_t n = MIN((size_t)(prod - cons), MIN(sizeof(buf), sizeof(intf->out) - at));
        memcpy(buf, &intf->out[at], n);
        console_guest_write(d, buf, n);
        cons += (XENCONS_RING_IDX)n;
    }
    smp_mb(); /* data read before the space is handed back */
    ACCESS_ONCE(intf->out_cons) = cons;
    spin_unlock(&d->console.lock);
    evtchn_set_pending(d, port); /* room in the ring: a waiting writer may go on */
}

/*
 * Give d a PV console ring at gfn, served by the hypervisor. The page is
 * shared with d (xen/frame.h): the hypervisor's reference goes when d
 * does, and a guest cannot give it back as RAM; whatever
 * RAM the builder had at gfn stays allocated to d but is no longer
 * reachable. Anything other than RAM or a hole at gfn is refused (-EBUSY).
 * On failure d's p2m is as it was.
 */
int console_ring_setup(struct domain *d, gfn_t gfn)
{
    p2m_type_t old_t;
    p2m_access_t old_a;
    mfn_t old_mfn, mfn;
    void *page;
    int rc, port;
    if ( mfn_valid_raw(d->console.ring_mfn) )
        return -EEXIST;
    if ( gfn_x(gfn) >= P2M_GFN_LIMIT )
        return -EINVAL;
    old_mfn = p2m_lookup(&d->p2m, gfn, &old_t, &old_a, NULL);
    if ( old_t != p2m_invalid && !p2m_is_ram(old_t) )
        return -EBUSY;
    page = alloc_page_zeroed();
    if ( !page )
        return -ENOMEM;
    mfn = virt_to_mfn(page);
    frame_share_with_guest(mfn, d->domain_id); /* the hypervisor's reference */
    rc = p2m_set_entry(&d->p2m, gfn, mfn, P2M_ORDER_4K, p2m_ram_rw, p2m_access_rwx);
    if ( rc )
    {
        frame_unshare(mfn);
        return rc;
    }
    port = evtchn_alloc_xen_service(d, console_ring_service);
    if ( port < 0 )
    {
        /* Put the old entry back; if even that fails, the page stays
         * mapped and domain_destroy frees it. */
        if ( p2m_set_entry(&d->p2m, gfn, old_mfn, P2M_ORDER_4K, old_t, old_a) )
            d->console.ring_mfn = mfn;
        else
            frame_unshare(mfn);
        return port;
    }
    d->console.ring_mfn = mfn;
    d->console.ring_port = (unsigned int)port;
    d->hvm_params[HVM_PARAM_CONSOLE_PFN] = gfn_x(gfn);
    d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = (unsigned int)port;
    return 0;
}
