/*
 * ioreq-pio - port I/O of a domU goes to an IOREQ server in dom0, one
 * request per element, and the answers land where the CPU would put
 * them.
 *
 * dom0 creates a server for d1 (ioreq-target) claiming ports
 * 0x300-0x30f, maps its page with XENMEM_acquire_resource, binds the
 * vCPU's port and enables it; its handler logs every request and answers
 * reads with a value that counts the reads. d1 then executes:
 *  - OUT of 1, 2 and 4 bytes: one PIO write each, of that size, with the
 *    register's low bytes;
 *  - IN of 1, 2 and 4 bytes: the answer is in AL/AX/EAX;
 *  - IN and OUT on 0x3f0, which nobody claims: all-ones, no request;
 *  - OUTS and INS, single and REP, with DF clear and set: one request
 *    per element (count 1 each), the elements in the order the string
 *    walks memory, INS storing each answer at its own element.
 * Every request is a PIO of count 1 with the right port, size and
 * direction; the server handled exactly as many as were expected.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq.h>
#include <xtf/ioreq_target.h>
#include <xtf/p2m.h>
#include <public/domctl.h>
#include <public/wren.h>

const char test_title[] = "ioreq: port I/O through an IOREQ server";

#define TARGET    1
#define MB_GFN    0x7f100UL
#define IO_GFN    0x7f200UL
#define PORT      0x300
#define PORT_LAST 0x30f
#define NOBODY    0x3f0
#define MAX_LOG   512

static struct
{
    ioreq_t req[MAX_LOG];
    unsigned int n, reads, bad;
} log;

static uint64_t mask(unsigned int size)
{
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* The n-th read answers this. */
static uint64_t read_value(unsigned int n, uint64_t port)
{
    return 0xc0de0000ULL | (uint64_t)(n & 0xff) << 8 | (port & 0xff);
}

static void handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    if ( p->type != IOREQ_TYPE_PIO || p->count != 1 )
        log.bad++;
    if ( IOREQ_DIR(p) == IOREQ_READ )
        p->data = read_value(log.reads++, p->addr) & mask(p->size);
    if ( log.n < MAX_LOG )
        log.req[log.n++] = *p;
}

static xtf_mb_t *mb;
static struct xtf_ioreq_server srv;
static struct xtf_ioreq_server *const srvs[] = { &srv };

static long call(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    long rc;

    mb->arg[0] = a0;
    mb->arg[1] = a1;
    mb->arg[2] = a2;
    mb->arg[3] = a3;
    rc = xtf_mb_call_serving(mb, op, 0, (struct xtf_ioreq_server **)srvs, 1);
    if ( rc )
        xtf_mb_report(mb, "mailbox command", rc);
    return rc;
}

/* The log entry i is a PIO of port/size/direction (and data for a write). */
static void expect(unsigned int i, uint16_t port, unsigned int size, bool write, uint64_t data,
                   const char *what)
{
    const ioreq_t *p = &log.req[i];

    if ( i >= log.n )
    {
        xtf_failure("%s: request %u never came (%u seen)", what, i, log.n);
        return;
    }
    if ( p->addr != port || p->size != size || IOREQ_DIR(p) != (write ? IOREQ_WRITE : IOREQ_READ) ||
         (write && p->data != data) )
        xtf_failure("%s: request %u is port %#lx size %u %s data %#lx, expected %#x size %u %s "
                    "%#lx",
                    what, i, (unsigned long)p->addr, p->size,
                    IOREQ_DIR(p) == IOREQ_READ ? "in" : "out", (unsigned long)p->data, port, size,
                    write ? "out" : "in", (unsigned long)data);
}

static void in_out(void)
{
    static const unsigned int sizes[] = { 1, 2, 4 };

    for ( unsigned int k = 0; k < 3; k++ )
    {
        unsigned int sz = sizes[k], at = log.n, r = log.reads;

        if ( call(IOT_PIO, PORT + sz, sz, 1, 0x87654321ULL) )
            return;
        expect(at, PORT + sz, sz, true, 0x87654321ULL & mask(sz), "OUT");
        if ( call(IOT_PIO, PORT + 8 + sz, sz, 0, 0) )
            return;
        expect(at + 1, PORT + 8 + sz, sz, false, 0, "IN");
        if ( mb->out[0] != (read_value(r, PORT + 8 + sz) & mask(sz)) )
            xtf_failure("IN size %u gave %#lx, the server answered %#lx", sz,
                        (unsigned long)mb->out[0],
                        (unsigned long)(read_value(r, PORT + 8 + sz) & mask(sz)));
    }
}

static void unclaimed(void)
{
    unsigned int at = log.n;

    if ( call(IOT_PIO, NOBODY, 4, 0, 0) || call(IOT_PIO, NOBODY, 2, 1, 0x1234) )
        return;
    if ( mb->out[0] != 0xffffffffULL )
        xtf_failure("IN from unclaimed port %#x gave %#lx, not all-ones", NOBODY,
                    (unsigned long)mb->out[0]);
    if ( log.n != at )
        xtf_failure("unclaimed port %#x reached the server (%u requests)", NOBODY, log.n - at);
}

/* OUTS: the elements arrive in the order the string walks memory. */
static void outs(unsigned int size, unsigned int flags, unsigned int count)
{
    unsigned int at = log.n;
    bool df = flags & IOT_STR_DF;

    for ( unsigned int i = 0; i < count; i++ )
        mb->val[i] = (0xa1b2c3d4ULL + i * 0x01010101ULL) & mask(size);
    if ( call(IOT_PIO_STRING, PORT + 4, size, flags | IOT_STR_WRITE, count) )
        return;
    for ( unsigned int i = 0; i < count; i++ )
        expect(at + i, PORT + 4, size, true, mb->val[df ? count - 1 - i : i],
               df ? "OUTS with DF" : "OUTS");
    if ( log.n != at + count )
        xtf_failure("OUTS of %u elements made %u requests", count, log.n - at);
}

/* INS: each answer lands in its own element, downwards with DF. */
static void ins(unsigned int size, unsigned int flags, unsigned int count)
{
    unsigned int at = log.n, r = log.reads;
    bool df = flags & IOT_STR_DF;

    if ( call(IOT_PIO_STRING, PORT + 6, size, flags, count) )
        return;
    for ( unsigned int i = 0; i < count; i++ )
    {
        unsigned int elem = df ? count - 1 - i : i;
        uint64_t want = read_value(r + i, PORT + 6) & mask(size);

        expect(at + i, PORT + 6, size, false, 0, df ? "INS with DF" : "INS");
        if ( mb->out[elem] != want )
            xtf_failure("INS%s size %u: element %u holds %#lx, answer %u was %#lx",
                        df ? " (DF)" : "", size, elem, (unsigned long)mb->out[elem], i,
                        (unsigned long)want);
    }
    if ( log.n != at + count )
        xtf_failure("INS of %u elements made %u requests", count, log.n - at);
}

static long counters(uint32_t server, struct xen_domctl_wren_ioreq *w)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_wren_ioreq, .domain = TARGET };
    long rc;

    ((struct xen_domctl_wren_ioreq *)&op.u)->server = server;
    rc = hypercall_domctl(&op);
    memcpy(w, &op.u, sizeof(*w));
    return rc;
}

/* The hypervisor's counters agree with the log; and what a forwarded
 * write costs in VM exits (a REP OUTS of 100: the first element's exit
 * only, the rest finished before re-entry). */
static void check_counters(unsigned int expected)
{
    struct xen_domctl_wren_ioreq d, s;
    uint64_t exits;

    if ( counters(WREN_IOREQ_DOMAIN, &d) || counters(srv.id, &s) )
        return xtf_failure("XEN_DOMCTL_wren_ioreq failed");
    if ( d.sent != expected || d.answered != expected || s.sent != expected ||
         s.answered != expected || d.bad || d.nr_servers != 1 ||
         s.flags != (WREN_IOREQ_F_EXISTS | WREN_IOREQ_F_ENABLED) || s.emulator != 0 )
        xtf_failure("counters: domain sent %lu answered %lu bad %lu servers %u; server sent %lu "
                    "answered %lu flags %#x",
                    (unsigned long)d.sent, (unsigned long)d.answered, (unsigned long)d.bad,
                    d.nr_servers, (unsigned long)s.sent, (unsigned long)s.answered, s.flags);
    exits = d.vcpu_exits;
    for ( unsigned int i = 0; i < 100; i++ )
        mb->val[i] = i;
    if ( call(IOT_PIO_STRING, PORT, 1, IOT_STR_WRITE | IOT_STR_REP, 100) ||
         counters(WREN_IOREQ_DOMAIN, &d) )
        return;
    printf("REP OUTSB of 100 forwarded: %lu requests, %lu VM exits of d%u (mailbox included)\n",
           (unsigned long)(d.sent - expected), (unsigned long)(d.vcpu_exits - exits), TARGET);
}

static bool setup(void)
{
    long rc;

    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
    {
        xtf_error("cannot attach d%u's mailbox", TARGET);
        return false;
    }
    rc = xtf_ioreq_create(&srv, TARGET, 1, HVM_IOREQSRV_BUFIOREQ_OFF, IO_GFN, handler);
    if ( !rc )
        rc = xtf_ioreq_map_range(&srv, XEN_DMOP_IO_RANGE_PORT, PORT, PORT_LAST);
    if ( !rc )
        rc = xtf_ioreq_set_state(&srv, true);
    if ( rc )
        xtf_failure("setting up the server: %ld", rc);
    return !rc;
}

void test_main(void)
{
    unsigned int expected;

    if ( !setup() )
        return;
    in_out();
    unclaimed();
    outs(1, 0, 1);
    ins(1, 0, 1);
    outs(2, IOT_STR_REP, 5);
    outs(1, IOT_STR_REP | IOT_STR_DF, 4);
    outs(4, IOT_STR_REP, 3);
    ins(4, IOT_STR_REP, 3);
    ins(2, IOT_STR_REP | IOT_STR_DF, 3);
    ins(1, IOT_STR_REP, 7);
    expected = 6 + 1 + 1 + 5 + 4 + 3 + 3 + 3 + 7;
    if ( log.bad )
        xtf_failure("%u requests were not PIO of count 1", log.bad);
    if ( log.n != expected || srv.handled != expected )
        xtf_failure("%u requests logged, %lu handled; expected %u", log.n,
                    (unsigned long)srv.handled, expected);
    printf("%u port requests answered\n", log.n);
    check_counters(expected);
    if ( xtf_ioreq_destroy(&srv) )
        xtf_failure("destroying the server failed");
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_success(NULL);
}
