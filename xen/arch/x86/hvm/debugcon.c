/*
 * debugcon.c - port 0xE9, the Bochs/QEMU "debug console" every guest may
 * write to, one byte an OUT, with no permission needed. Each domain gets
 * a token bucket: e9_burst bytes at once (default 2048), then e9_rate
 * bytes a second (default 256; 0 turns the limit off), both options;
 * past that, bytes are dropped and counted (d->console.e9_dropped), with
 * one warning when dropping starts. The bucket must refill completely
 * (the guest stayed quiet for a while) before a later flood warns again,
 * so a guest cannot flood the log with warnings either. The serial line
 * at 115200 baud carries about 11 KB/s: a few domains at e9_rate leave
 * most of it to the hypervisor and dom0.
 *
 * May not touch: anything but the domain's console state, which it
 * changes only under d->console.lock.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/console.h>
#include <xen/param.h>
#include <asm/apic.h>
#include <asm/hvm.h>

static unsigned int e9_burst = 2048;    /* bytes */
static unsigned int e9_rate = 256;      /* bytes per second */
integer_param("e9_burst", e9_burst);
integer_param("e9_rate", e9_rate);

/* Add the tokens earned since the last top-up; the clock only moves on
 * by the time those tokens were worth, so no fraction is lost. */
static void refill(struct domain_console *c, uint64_t now)
{
    /* Another CPU's TSC may be a little behind: no time has passed. */
    uint64_t earned = now > c->e9_stamp_us ? (now - c->e9_stamp_us) * e9_rate / 1000000 : 0;

    if (c->e9_tokens + earned >= e9_burst || !c->e9_stamp_us) {
        c->e9_tokens = e9_burst;
        c->e9_stamp_us = now;
        return;
    }
    c->e9_tokens += (uint32_t)earned;
    c->e9_stamp_us += earned * 1000000 / e9_rate;
}

/* Caller holds d->console.lock. */
static bool e9_allowed(struct domain *d)
{
    struct domain_console *c = &d->console;

    if (!e9_rate)
        return true;                /* e9_rate=0: no limit */
    refill(c, now_us());
    if (c->e9_tokens == e9_burst && e9_burst)
        c->e9_limited = false;      /* quiet long enough: warn again */
    if (c->e9_tokens) {
        c->e9_tokens--;
        return true;
    }
    c->e9_dropped++;
    if (!c->e9_limited) {
        c->e9_limited = true;
        printk(XENLOG_WARNING "d%u: port 0xE9 output over %u bytes/s (burst %u): dropping the excess (%lu dropped before)\n",
               d->domain_id, e9_rate, e9_burst, c->e9_dropped - 1);
    }
    return false;
}

void hvm_debugcon_write(struct domain *d, char c)
{
    spin_lock(&d->console.lock);
    if (e9_allowed(d))
        console_guest_write(d, &c, 1);
    spin_unlock(&d->console.lock);
}
