/*
 * ioreq-mmio - memory accesses of a domU to a hole an IOREQ server
 * claims go to the server, and the emulated instruction completes with
 * its answers: nothing of an attempt that had to wait is kept, and the
 * accesses answered before are replayed, not sent again.
 *
 * dom0's server claims one page at IOT_MMIO_BASE and behaves like 4 KiB
 * of memory (a byte array in dom0), logging each request. d1
 * (ioreq-target) executes MOV stores and loads (x86) or STR and LDR
 * (arm64) of 1, 2, 4 and 8 bytes: one COPY request each, of that size,
 * the load's register holding what the server answered. Then the
 * architecture's own instructions (x86.c: read-modify-write, string
 * moves, the all-ones hole, FXSAVE; arm64.c: sign extension, the zero
 * register, LDP without a syndrome, the hole that crashes).
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq.h>
#include <xtf/ioreq_target.h>
#include <xtf/p2m.h>
#include "mmio.h"

const char test_title[] = "ioreq: MMIO through an IOREQ server";

#define MB_GFN 0x7f100UL
#define IO_GFN 0x7f200UL

uint8_t dev[4096];
struct mmio_log log;

static void handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    uint64_t off = p->addr - BASE;

    if ( p->type != IOREQ_TYPE_COPY || p->count != 1 || off + p->size > sizeof(dev) || p->size > 8 )
    {
        log.bad++;
        return;
    }
    if ( IOREQ_DIR(p) == IOREQ_READ && off == SLOW_OFF )
        mmio_arch_slow_answer();
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

xtf_mb_t *mb;
static struct xtf_ioreq_server srv;
struct xtf_ioreq_server *srvs[] = { &srv };

long call(uint64_t off, unsigned int size, unsigned int kind, uint64_t reg)
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

uint64_t dev_get(uint64_t off, unsigned int size)
{
    uint64_t v = 0;

    memcpy(&v, dev + off, size);
    return v;
}

/* Request i is a read (or write) of size bytes at off. */
void expect_one(unsigned int i, bool read, uint64_t off, unsigned int size, const char *what)
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
void expect_seq(unsigned int at, const char *seq, uint64_t off, unsigned int size, const char *what)
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
    mmio_arch_cases();
    if ( log.bad )
        xtf_failure("%u requests were not COPY of count 1 inside the page", log.bad);
    printf("%u MMIO requests answered\n", log.n);
    mmio_arch_last();
    if ( xtf_ioreq_destroy(&srv) )
        xtf_failure("destroying the server failed");
    xtf_success(NULL);
}
