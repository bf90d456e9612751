/*
 * console.c - printk, log levels and guest console output.
 *
 * Every hypervisor line starts "(XEN) ". A domU's output is collected
 * and printed a whole line at a time, as "(dN) ...", so that lines from
 * different CPUs never interleave. The control domain owns the terminal
 * (its shell edits lines in place), so its bytes go out as they come,
 * escapes and carriage returns included, as on Xen. One lock serialises
 * the serial port.
 *
 * Input: what is typed on the serial line is the control domain's
 * (CONSOLEIO_read). From dom0's first read on, a 10 ms poll moves waiting
 * characters from the UART into a small ring and raises VIRQ_CONSOLE
 * once until dom0 reads.
 */
#include <xen/lib.h>
#include <xen/console.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/param.h>
#include <xen/timer.h>
#include <xen/event.h>
#include <public/xen.h>

static spinlock_t console_lock = SPIN_LOCK_UNLOCKED(LOCK_console);
static int loglvl_threshold = 2; /* print ERR, WARNING, INFO */
static bool at_line_start = true;

/*
 * The console ring: the last CONRING_SIZE bytes that went to the serial
 * line, for XEN_SYSCTL_readconsole (xl dmesg). Indexes count bytes ever
 * written (they wrap at 2^32, compared by difference); the oldest byte
 * kept is the later of conring_prod - CONRING_SIZE and what a clearing
 * read consumed. Under console_lock.
 */
#define CONRING_SIZE (16U * 1024) /* a power of two */
static char conring[CONRING_SIZE];
static uint32_t conring_prod, conring_cleared;

static void conring_putc(char c)
{
    conring[conring_prod++ & (CONRING_SIZE - 1)] = c;
}

static uint32_t conring_oldest(void)
{
    uint32_t kept = conring_prod - conring_cleared;
    return conring_prod - MIN(kept, CONRING_SIZE);
}

/* In the ring's window [oldest, prod]? */
static bool conring_holds(uint32_t idx)
{
    return idx - conring_oldest() <= conring_prod - conring_oldest();
}

size_t console_ring_read(char *buf, size_t len, uint32_t *idx, bool from_idx)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    uint32_t at = from_idx && conring_holds(*idx) ? *idx : conring_oldest();
    size_t n = MIN((size_t)(conring_prod - at), len);
    for ( size_t i = 0; i < n; i++ )
        buf[i] = conring[(at + i) & (CONRING_SIZE - 1)];
    *idx = at + (uint32_t)n;
    spin_unlock_irqrestore(&console_lock, flags);
    return n;
}

void console_ring_clear(uint32_t upto)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    if ( conring_holds(upto) )
        conring_cleared = upto;
    spin_unlock_irqrestore(&console_lock, flags);
}

void console_init(void)
{
    serial_init();
}

static int level_of(const char *name)
{
    if ( !strcmp(name, "none") )
        return -1;
    if ( !strcmp(name, "error") )
        return 0;
    if ( !strcmp(name, "warning") )
        return 1;
    if ( !strcmp(name, "info") )
        return 2;
    if ( !strcmp(name, "debug") || !strcmp(name, "all") )
        return 3;
    return -2;
}

void console_set_loglvl(const char *val)
{
    char lvl[16];
    size_t n = strchr(val, '/') ? (size_t)(strchr(val, '/') - val) : strlen(val);
    int l;
    strlcpy(lvl, val, n + 1 < sizeof(lvl) ? n + 1 : sizeof(lvl));
    l = level_of(lvl);
    if ( l == -2 )
        printk(XENLOG_WARNING "unknown loglvl '%s' ignored\n", val);
    else
        loglvl_threshold = l;
}
custom_param("loglvl", console_set_loglvl);

/* Only the first PC serial port is supported; say so for anything else. */
static void console_select(const char *val)
{
    if ( strcmp(val, "com1") && strncmp(val, "com1,", 5) )
        printk(XENLOG_WARNING "console=%s: only com1 is supported; using com1\n", val);
}
custom_param("console", console_select);

static void emit(const char *s, size_t n, const char *prefix)
{
    for ( ; n; n--, s++ )
    {
        if ( at_line_start && prefix )
        {
            for ( const char *p = prefix; *p; p++ )
            {
                serial_putc(*p);
                conring_putc(*p);
            }
        }
        if ( *s == '\n' )
            serial_putc('\r');
        serial_putc(*s);
        conring_putc(*s);
        at_line_start = (*s == '\n');
    }
}

/* Strip a "<N>" level marker; returns the level (INFO if none). */
static int take_level(const char **fmt)
{
    const char *f = *fmt;
    if ( f[0] == '<' && f[1] >= '0' && f[1] <= '3' && f[2] == '>' )
    {
        *fmt = f + 3;
        return f[1] - '0';
    }
    return 2;
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    unsigned long flags;
    int n;
    if ( take_level(&fmt) > loglvl_threshold )
        return;
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if ( n >= (int)sizeof(buf) )
        n = sizeof(buf) - 1;
    flags = spin_lock_irqsave(&console_lock);
    emit(buf, n, "(XEN) ");
    spin_unlock_irqrestore(&console_lock, flags);
}

/* panic() may come from a CPU holding console_lock (or the lock-order
 * checker may have found one taken under it): print anyway. */
void console_force_unlock(void)
{
    spin_lock_init(&console_lock, LOCK_console);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

static void print_guest_line(struct domain *d)
{
    char prefix[16];
    unsigned long flags;
    snprintf(prefix, sizeof(prefix), "(d%u) ", d->domain_id);
    flags = spin_lock_irqsave(&console_lock);
    if ( !at_line_start )
        emit("\n", 1, NULL);
    emit(d->console.line, d->console.len, d->domain_id ? prefix : "");
    if ( !at_line_start )
        emit("\n", 1, NULL);
    spin_unlock_irqrestore(&console_lock, flags);
    d->console.len = 0;
}

/* The control domain's bytes, unbuffered and unfiltered. */
static void control_domain_write(const char *buf, size_t len)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    for ( size_t i = 0; i < len; i++ )
    {
        if ( buf[i] == '\n' )
            serial_putc('\r');
        serial_putc(buf[i]);
        conring_putc(buf[i]);
        at_line_start = buf[i] == '\n';
    }
    spin_unlock_irqrestore(&console_lock, flags);
}

void console_guest_write(struct domain *d, const char *buf, size_t len)
{
    if ( d == hardware_domain )
    {
        control_domain_write(buf, len);
        return;
    }
    for ( size_t i = 0; i < len; i++ )
    {
        char c = buf[i];
        if ( c == '\r' )
            continue;
        if ( c != '\n' && (c < 0x20 || c > 0x7e) && c != '\t' )
            c = '?'; /* keep the log readable */
        d->console.line[d->console.len++] = c;
        if ( c == '\n' || d->console.len == sizeof(d->console.line) - 1 )
            print_guest_line(d);
    }
}

void console_guest_flush(struct domain *d)
{
    spin_lock(&d->console.lock);
    if ( d->console.len )
        print_guest_line(d);
    if ( d->console.e9.dropped )
        printk("d%u: %lu bytes of port 0xE9 output were dropped\n", d->domain_id,
               d->console.e9.dropped);
    spin_unlock(&d->console.lock);
}

/* Typed characters not yet read by dom0, under console_lock. */
#define INPUT_RING 256U
static char input_ring[INPUT_RING];
static uint32_t input_prod, input_cons;
static bool input_signalled;
static struct timer input_poll;

/* Move what the UART holds into the ring (dropping what does not fit). */
static void input_drain_uart(void)
{
    int c;
    while ( (c = serial_getc()) >= 0 )
        if ( input_prod - input_cons < INPUT_RING )
            input_ring[input_prod++ % INPUT_RING] = (char)c;
}

static void input_poll_fn(void *unused)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    bool tell;
    input_drain_uart();
    tell = input_prod != input_cons && !input_signalled && hardware_domain;
    if ( tell )
        input_signalled = true;
    spin_unlock_irqrestore(&console_lock, flags);
    if ( tell )
        send_guest_global_virq(hardware_domain, VIRQ_CONSOLE);
}

void console_start_input(void)
{
    init_timer(&input_poll, input_poll_fn, NULL);
}

/* The poll runs only once the control domain has shown it reads the
 * console: a dom0 that never does (the test kernels) pays no timer. */
static void input_poll_arm(void)
{
    static bool armed;
    if ( __atomic_exchange_n(&armed, true, __ATOMIC_ACQ_REL) )
        return;
    set_timer_periodic(&input_poll, NOW() + MILLISECS(10), MILLISECS(10));
}

size_t console_read(char *buf, size_t len)
{
    unsigned long flags;
    size_t n = 0;
    input_poll_arm();
    flags = spin_lock_irqsave(&console_lock);
    input_drain_uart();
    while ( n < len && input_cons != input_prod )
        buf[n++] = input_ring[input_cons++ % INPUT_RING];
    input_signalled = false;
    spin_unlock_irqrestore(&console_lock, flags);
    return n;
}
