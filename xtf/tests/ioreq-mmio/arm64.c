/*
 * arm64.c - ioreq-mmio's AArch64 cases. The hypervisor learns an access
 * from the data abort's syndrome alone (ISV, SAS, SSE, SRT, SF, WnR), so
 * these check that it applies each field:
 *  - LDRSB/LDRSH/LDRSW into an X register: one read of 1, 2, 4 bytes,
 *    the answer sign-extended to 64 bits (and a positive one not);
 *  - LDRSB/LDRSH into a W register: sign-extended to 32 bits, the upper
 *    half 0;
 *  - STR WZR / XZR: one write of 4 / 8 bytes of zeros;
 *  - LDP (no syndrome, ISV 0) at the server's page: no request at all,
 *    d1 takes a synchronous external data abort at EL1 (ESR_EL1 EC 0x25,
 *    DFSC 0x10) and goes on, the pair's registers untouched;
 *  - a load answered 100 ms late while d1's virtual timer falls due
 *    10 ms after it: the load completes first, then the interrupt's
 *    handler makes its own load (two requests in that order; without
 *    the resume before entry the interrupt came first and the load was
 *    sent twice);
 *  - last, a load from a hole no server claims: Arm has no all-ones
 *    hole, the hypervisor crashes d1 as it did before servers existed.
 * The whole file is arm64's; it touches only the test's device and log.
 */
#if defined(__aarch64__)
#include <xtf.h>
#include <xtf/p2m.h>
#include "mmio.h"

#define ESR_EC(e)      ((e) >> 26 & 0x3f)
#define EC_DABT_CUR    0x25
#define ESR_DFSC(e)    ((e)&0x3f)
#define DFSC_SYNC_EXT  0x10
#define PAIR_UNTOUCHED 0x5a5a5a5a5a5a5a5aUL

static void put(uint64_t off, unsigned int size, uint64_t v)
{
    memcpy(dev + off, &v, size);
}

static void signed_load(unsigned int kind, unsigned int size, uint64_t v, uint64_t expect)
{
    unsigned int at = log.n;
    const char *what = kind == IOT_MMIO_LOAD_SX ? "LDRS* Xt" : "LDRS* Wt";

    put(0x500, size, v);
    if ( call(0x500, size, kind, 0) )
        return;
    expect_seq(at, "r", 0x500, size, what);
    if ( mb->out[0] != expect )
        xtf_failure("%s of %u bytes of %#lx: register %#lx, expected %#lx", what, size,
                    (unsigned long)v, (unsigned long)mb->out[0], (unsigned long)expect);
}

static void sign_extension(void)
{
    signed_load(IOT_MMIO_LOAD_SX, 1, 0x80, 0xffffffffffffff80UL);
    signed_load(IOT_MMIO_LOAD_SX, 2, 0x8001, 0xffffffffffff8001UL);
    signed_load(IOT_MMIO_LOAD_SX, 4, 0x80000001, 0xffffffff80000001UL);
    signed_load(IOT_MMIO_LOAD_SX, 4, 0x7fffffff, 0x7fffffffUL);
    signed_load(IOT_MMIO_LOAD_SW, 1, 0x80, 0xffffff80UL);
    signed_load(IOT_MMIO_LOAD_SW, 2, 0x8001, 0xffff8001UL);
    signed_load(IOT_MMIO_LOAD_SW, 2, 0x1234, 0x1234UL);
}

static void zero_register(void)
{
    for ( unsigned int size = 4; size <= 8; size += 4 )
    {
        unsigned int at = log.n;

        put(0x600, 8, ~0UL);
        if ( call(0x600, size, IOT_MMIO_STORE_ZR, 0) )
            return;
        expect_seq(at, "w", 0x600, size, "STR of the zero register");
        if ( dev_get(0x600, 8) != (size == 8 ? 0 : 0xffffffff00000000UL) )
            xtf_failure("STR %czr: the device holds %#lx", size == 8 ? 'x' : 'w',
                        (unsigned long)dev_get(0x600, 8));
    }
}

static void no_syndrome(void)
{
    unsigned int at = log.n;
    uint64_t esr;

    if ( call(0x700, 8, IOT_MMIO_LDP, 0) )
        return;
    esr = mb->out[1];
    if ( log.n != at )
        xtf_failure("LDP at the server's page sent %u requests", log.n - at);
    if ( ESR_EC(esr) != EC_DABT_CUR || ESR_DFSC(esr) != DFSC_SYNC_EXT )
        xtf_failure("LDP at the server's page: ESR_EL1 %#lx, expected a synchronous external "
                    "data abort (EC %#x, DFSC %#x)",
                    (unsigned long)esr, EC_DABT_CUR, DFSC_SYNC_EXT);
    if ( mb->out[0] != PAIR_UNTOUCHED || mb->out[2] != PAIR_UNTOUCHED )
        xtf_failure("LDP's registers changed: %#lx %#lx", (unsigned long)mb->out[0],
                    (unsigned long)mb->out[2]);
}

/* 100 ms: ten times the target's timer delay, so its interrupt is
 * pending when the answer comes. */
void mmio_arch_slow_answer(void)
{
    uint64_t hz = read_sysreg(cntfrq_el0), end = read_sysreg(cntvct_el0) + hz / 10;

    while ( read_sysreg(cntvct_el0) < end )
        cpu_relax();
}

/* The interrupt that fell due while the load waited is taken after the
 * load completed: its handler's load is the second request, and the
 * first is not sent again. */
static void irq_while_waiting(void)
{
    unsigned int at = log.n;

    put(SLOW_OFF, 4, 0x11111111);
    put(0x880, 4, 0x22222222);
    /* When d1 itself runs late (a loaded host), its timer may fall due
     * before the load leaves: then the handler's load comes first and
     * the run says nothing of the order asked about. Such a run is
     * retried; a resent load never looks like it. */
    for ( unsigned int tries = 0;; tries++ )
    {
        at = log.n;
        if ( call(SLOW_OFF, 4, IOT_MMIO_LOAD_IRQ, BASE + 0x880) )
            return;
        if ( tries == 4 || log.n == at || log.req[at].addr != BASE + 0x880 )
            break;
        printf("interrupt before the load was sent: retried\n");
    }
    if ( mb->out[3] != 1 )
        return xtf_failure("the timer interrupt came %lu times", (unsigned long)mb->out[3]);
    if ( log.n - at != 2 || log.req[at].addr != BASE + SLOW_OFF ||
         log.req[at + 1].addr != BASE + 0x880 )
        return xtf_failure("interrupt while waiting: %u requests (%#lx, %#lx, %#lx), expected "
                           "the load then the handler's",
                           log.n - at, (unsigned long)log.req[at].addr,
                           (unsigned long)log.req[at + 1].addr,
                           (unsigned long)log.req[at + 2].addr);
    if ( mb->out[0] != 0x11111111 || mb->out[2] != 0x22222222 )
        xtf_failure("interrupt while waiting: load %#lx, handler %#lx", (unsigned long)mb->out[0],
                    (unsigned long)mb->out[2]);
}

void mmio_arch_cases(void)
{
    sign_extension();
    zero_register();
    no_syndrome();
    irq_while_waiting();
}

void mmio_arch_last(void)
{
    unsigned int reason, at = log.n;
    long rc;

    mb->arg[0] = NOBODY;
    mb->arg[1] = 4;
    mb->arg[2] = IOT_MMIO_LOAD;
    rc = xtf_mb_call_serving(mb, IOT_MMIO, 0, srvs, 1);
    if ( rc != -XEN_ESRCH || !xtf_mb_target_gone(mb, &reason) || reason != SHUTDOWN_crash )
        xtf_failure("load from an unclaimed hole: %ld, d1 %s", rc,
                    xtf_mb_target_gone(mb, &reason) ? xtf_shutdown_name(reason) : "still running");
    if ( log.n != at )
        xtf_failure("the unclaimed load sent %u requests", log.n - at);
}

#endif /* __aarch64__ */
