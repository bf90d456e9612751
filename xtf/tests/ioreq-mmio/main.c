/*
 * ioreq-mmio - memory accesses of a domU to a hole an IOREQ server
 * claims go to the server, and the emulated instruction completes with
 * its answers: nothing of an attempt that had to wait is kept, and the
 * accesses answered before are replayed, not sent again.
 *
 * dom0's server claims one page at IOT_MMIO_BASE and behaves like 4 KiB
 * of memory (a byte array in dom0), logging each request. d1
 * (ioreq-target) executes:
 *  - MOV stores and loads of 1, 2, 4 and 8 bytes: one COPY request each,
 *    of that size, the load's register holding what the server answered;
 *  - ADD [m], reg of 4 and 8 bytes: exactly one read then one write, the
 *    sum landing in the server's memory;
 *  - XCHG [m], reg: one read, one write; the register gets the old value;
 *  - LOCK CMPXCHG [m], reg, once matching (ZF set, the new value lands)
 *    and once not (ZF clear, RAX gets the memory's value, memory keeps it);
 *  - REP MOVSQ from RAM to the page and from the page to RAM: one request
 *    per element, in address order, RCX 0 at the end, the data intact;
 *  - a load from a hole no server claims: all-ones, no request;
 *  - FXSAVE to the page, 64 accesses, more than the 4 an instruction
 *    may replay: d1 is crashed rather than livelocked (last).
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq.h>
#include <xtf/ioreq_target.h>
#include <xtf/p2m.h>

const char test_title[] = "ioreq: MMIO through an IOREQ server";

#define TARGET  1
#define MB_GFN  0x7f100UL
#define IO_GFN  0x7f200UL
#define BASE    IOT_MMIO_BASE
#define NOBODY  (IOT_MMIO_BASE + 0x10000UL)
#define MAX_LOG 256
#define X86_ZF  0x40

static uint8_t dev[4096];
static struct
{
    ioreq_t req[MAX_LOG];
    unsigned int n, bad;
} log;

static void handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    uint64_t off = p->addr - BASE;

    if ( p->type != IOREQ_TYPE_COPY || p->count != 1 || off + p->size > sizeof(dev) || p->size > 8 )
    {
        log.bad++;
        return;
    }
    if ( IOREQ_DIR(p) == IOREQ_READ )
    {
        p->data = 0;
        memcpy(&p->data, dev + off, p->size);
    }
    else
        memcpy(dev + off, &p->data, p->size);
    if ( log.n < MAX_LOG )
        log.req[log.n++] = *p;
}

static xtf_mb_t *mb;
static struct xtf_ioreq_server srv;
static struct xtf_ioreq_server *srvs[] = { &srv };

static long call(uint64_t off, unsigned int size, unsigned int kind, uint64_t reg)
{
    long rc;

    mb->arg[0] = BASE + off;
    mb->arg[1] = size;
    mb->arg[2] = kind;
    mb->arg[3] = reg;
    rc = xtf_mb_call_serving(mb, IOT_MMIO, 0, srvs, 1);
    if ( rc )
        xtf_mb_report(mb, "mailbox command", rc);
    return rc;
}

static uint64_t dev_get(uint64_t off, unsigned int size)
{
    uint64_t v = 0;

    memcpy(&v, dev + off, size);
    return v;
}

/* Request i is a read (or write) of size bytes at off. */
static void expect_one(unsigned int i, bool read, uint64_t off, unsigned int size, const char *what)
{
    const ioreq_t *p = &log.req[i];

    if ( i >= log.n )
        xtf_failure("%s: request %u never came", what, i);
    else if ( p->addr != BASE + off || p->size != size || (IOREQ_DIR(p) == IOREQ_READ) != read )
        xtf_failure("%s: request %u is %s of %u bytes at %#lx, expected %s of %u at %#lx", what, i,
                    IOREQ_DIR(p) == IOREQ_READ ? "read" : "write", p->size, (unsigned long)p->addr,
                    read ? "read" : "write", size, (unsigned long)(BASE + off));
}

/* Requests [at, log.n) are exactly these (r: read, w: write) at off. */
static void expect_seq(unsigned int at, const char *seq, uint64_t off, unsigned int size,
                       const char *what)
{
    unsigned int n = strlen(seq);

    if ( log.n - at != n )
        xtf_failure("%s: %u requests, expected %u (%s)", what, log.n - at, n, seq);
    for ( unsigned int i = 0; i < n && at + i < log.n; i++ )
        expect_one(at + i, seq[i] == 'r', off, size, what);
}

static void loads_and_stores(void)
{
    static const unsigned int sizes[] = { 1, 2, 4, 8 };

    for ( unsigned int k = 0; k < 4; k++ )
    {
        unsigned int sz = sizes[k], at = log.n;
        uint64_t off = 0x100 + 0x10 * k, v = 0x0123456789abcdefULL >> (64 - 8 * sz);

        if ( call(off, sz, IOT_MMIO_STORE, v) )
            return;
        expect_seq(at, "w", off, sz, "MOV store");
        if ( dev_get(off, sz) != v )
            xtf_failure("MOV store of %u bytes: the device holds %#lx, not %#lx", sz,
                        (unsigned long)dev_get(off, sz), (unsigned long)v);
        dev[off] ^= 0xff; /* the load must see the device, not the store */
        at = log.n;
        if ( call(off, sz, IOT_MMIO_LOAD, 0) )
            return;
        expect_seq(at, "r", off, sz, "MOV load");
        if ( mb->out[0] != dev_get(off, sz) )
            xtf_failure("MOV load of %u bytes gave %#lx, the device holds %#lx", sz,
                        (unsigned long)mb->out[0], (unsigned long)dev_get(off, sz));
    }
}

static void read_modify_write(void)
{
    uint64_t old = 0x1111222233334444ULL;
    unsigned int at;

    for ( unsigned int sz = 4; sz <= 8; sz += 4 )
    {
        memcpy(dev + 0x200, &old, 8);
        at = log.n;
        if ( call(0x200, sz, IOT_MMIO_ADD, 0x0101010101010101ULL) )
            return;
        expect_seq(at, "rw", 0x200, sz, "ADD [m], reg");
        if ( dev_get(0x200, sz) !=
             ((old + 0x0101010101010101ULL) & (sz == 4 ? 0xffffffffULL : ~0ULL)) )
            xtf_failure("ADD of %u bytes left %#lx", sz, (unsigned long)dev_get(0x200, sz));
    }
    memcpy(dev + 0x208, &old, 8);
    at = log.n;
    if ( call(0x208, 8, IOT_MMIO_XCHG, 0xabcdULL) )
        return;
    expect_seq(at, "rw", 0x208, 8, "XCHG");
    if ( mb->out[0] != old || dev_get(0x208, 8) != 0xabcd )
        xtf_failure("XCHG: register %#lx, device %#lx", (unsigned long)mb->out[0],
                    (unsigned long)dev_get(0x208, 8));
}

static void compare_exchange(void)
{
    uint64_t cur = 0x5555aaaa5555aaaaULL;
    unsigned int at;

    memcpy(dev + 0x300, &cur, 8);
    mb->val[0] = cur;
    at = log.n;
    if ( call(0x300, 8, IOT_MMIO_CMPXCHG, 0x77ULL) )
        return;
    if ( log.req[at].addr != BASE + 0x300 || IOREQ_DIR(&log.req[at]) != IOREQ_READ )
        xtf_failure("CMPXCHG did not read the device first");
    if ( !(mb->out[1] & X86_ZF) || dev_get(0x300, 8) != 0x77 || mb->out[0] != cur )
        xtf_failure("matching CMPXCHG: ZF %d, device %#lx, RAX %#lx", !!(mb->out[1] & X86_ZF),
                    (unsigned long)dev_get(0x300, 8), (unsigned long)mb->out[0]);
    mb->val[0] = 0x1234;
    if ( call(0x300, 8, IOT_MMIO_CMPXCHG, 0x99ULL) )
        return;
    if ( (mb->out[1] & X86_ZF) || dev_get(0x300, 8) != 0x77 || mb->out[0] != 0x77 )
        xtf_failure("failing CMPXCHG: ZF %d, device %#lx, RAX %#lx", !!(mb->out[1] & X86_ZF),
                    (unsigned long)dev_get(0x300, 8), (unsigned long)mb->out[0]);
}

static void string_moves(void)
{
    unsigned int at = log.n;

    for ( unsigned int i = 0; i < 4; i++ )
        mb->val[i] = 0xfeed000000000000ULL + i;
    if ( call(0x400, 8, IOT_MMIO_MOVS_TO, 4) )
        return;
    if ( log.n - at != 4 )
        xtf_failure("REP MOVSQ to MMIO of 4 made %u requests", log.n - at);
    for ( unsigned int i = 0; i < 4; i++ )
        expect_one(at + i, false, 0x400 + 8 * i, 8, "REP MOVSQ to MMIO");
    for ( unsigned int i = 0; i < 4; i++ )
        if ( dev_get(0x400 + 8 * i, 8) != 0xfeed000000000000ULL + i )
            xtf_failure("REP MOVSQ to MMIO: element %u is %#lx", i,
                        (unsigned long)dev_get(0x400 + 8 * i, 8));
    if ( mb->out[2] != 0 )
        xtf_failure("REP MOVSQ to MMIO left RCX %lu", (unsigned long)mb->out[2]);
    at = log.n;
    if ( call(0x400, 8, IOT_MMIO_MOVS_FROM, 3) )
        return;
    if ( log.n - at != 3 )
        xtf_failure("REP MOVSQ from MMIO of 3 made %u requests", log.n - at);
    for ( unsigned int i = 0; i < 3; i++ )
        expect_one(at + i, true, 0x400 + 8 * i, 8, "REP MOVSQ from MMIO");
    for ( unsigned int i = 0; i < 3; i++ )
        if ( mb->out[3 + i] != 0xfeed000000000000ULL + i )
            xtf_failure("REP MOVSQ from MMIO: element %u is %#lx", i,
                        (unsigned long)mb->out[3 + i]);
}

static void unclaimed(void)
{
    unsigned int at = log.n;

    mb->arg[0] = NOBODY;
    mb->arg[1] = 4;
    mb->arg[2] = IOT_MMIO_LOAD;
    if ( xtf_mb_call_serving(mb, IOT_MMIO, 0, srvs, 1) )
        return xtf_mb_report(mb, "unclaimed load", -1);
    if ( mb->out[0] != 0xffffffffULL || log.n != at )
        xtf_failure("unclaimed MMIO: %#lx read, %u requests", (unsigned long)mb->out[0],
                    log.n - at);
}

/* FXSAVE to the page needs 64 answers, more than an instruction can
 * replay: the hypervisor crashes d1 rather than send them for ever. */
static void too_many_accesses(void)
{
    unsigned int reason;
    long rc;

    mb->arg[0] = BASE + 0x800;
    mb->arg[1] = 8;
    mb->arg[2] = IOT_MMIO_FXSAVE;
    rc = xtf_mb_call_serving(mb, IOT_MMIO, 0, srvs, 1);
    if ( rc != -XEN_ESRCH || !xtf_mb_target_gone(mb, &reason) || reason != SHUTDOWN_crash )
        xtf_failure("FXSAVE to MMIO: %ld, d1 %s", rc,
                    xtf_mb_target_gone(mb, &reason) ? xtf_shutdown_name(reason) : "still running");
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
        rc = xtf_ioreq_map_range(&srv, XEN_DMOP_IO_RANGE_MEMORY, BASE, BASE + 0xfff);
    if ( !rc )
        rc = xtf_ioreq_set_state(&srv, true);
    if ( rc )
        xtf_failure("setting up the server: %ld", rc);
    return !rc;
}

void test_main(void)
{
    if ( !setup() )
        return;
    loads_and_stores();
    read_modify_write();
    compare_exchange();
    string_moves();
    unclaimed();
    if ( log.bad )
        xtf_failure("%u requests were not COPY of count 1 inside the page", log.bad);
    printf("%u MMIO requests answered\n", log.n);
    too_many_accesses();
    if ( xtf_ioreq_destroy(&srv) )
        xtf_failure("destroying the server failed");
    xtf_success(NULL);
}
