/*
 * debugcon.c - port 0xE9, the Bochs/QEMU "debug console" every guest may
 * write to, one byte an OUT, with no permission needed. Each domain gets
 * a token bucket: e9_burst bytes at once (default 2048), then e9_rate
 * bytes a second (default 256; 0 turns the limit off), both options;
 * past that, bytes are dropped and counted (d->console.e9.dropped), with
 * one warning when dropping starts. The bucket (xen/ratelimit.h) must
 * refill completely (the guest stayed quiet for a while) before a later
 * flood warns again, so a guest cannot flood the log with warnings
 * either. The serial line at 115200 baud carries about 11 KB/s: a few
 * domains at e9_rate leave most of it to the hypervisor and dom0.
 *
 * May not touch: anything but the domain's console state, which it
 * changes only under d->console.lock.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/console.h>
#include <xen/param.h>
#include <xen/ratelimit.h>
#include <asm/apic.h>
#include <asm/hvm.h>

static unsigned int e9_burst = 2048; /* bytes */
static unsigned int e9_rate = 256;   /* bytes per second */
integer_param("e9_burst", e9_burst);
integer_param("e9_rate", e9_rate);

/* Caller holds d->console.lock. */
static bool e9_allowed(struct domain *d)
{
    struct ratelimit *r = &d->console.e9;

    switch ( ratelimit_take(r, now_us(), e9_rate, e9_burst) )
    {
    case RATELIMIT_PASS: return true;
    case RATELIMIT_DROP_FIRST:
        printk(
            XENLOG_WARNING
            "d%u: port 0xE9 output over %u bytes/s (burst %u): dropping the excess (%lu dropped before)\n",
            d->domain_id, e9_rate, e9_burst, r->dropped - 1);
        return false;
    default: return false;
    }
}

void hvm_debugcon_write(struct domain *d, char c)
{
    spin_lock(&d->console.lock);
    if ( e9_allowed(d) )
        console_guest_write(d, &c, 1);
    spin_unlock(&d->console.lock);
}
