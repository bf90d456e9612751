/*
 * x86.c - ioreq-mmio's x86 cases: ADD [m], reg of 4 and 8 bytes (one
 * read then one write), XCHG, LOCK CMPXCHG matching and not, REP MOVSQ
 * both ways (one request per element), a load from a hole no server
 * claims (all-ones, no request), and last FXSAVE, more accesses than an
 * instruction may replay (d1 crashed, not livelocked). The whole file is
 * x86's; it touches only the test's device and log.
 */
#if defined(__x86_64__)
#include <xtf.h>
#include <xtf/p2m.h>
#include "mmio.h"

#define X86_ZF 0x40

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
void mmio_arch_last(void)
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

void mmio_arch_slow_answer(void)
{
}

void mmio_arch_cases(void)
{
    read_modify_write();
    compare_exchange();
    string_moves();
    unclaimed();
}

#endif /* __x86_64__ */
