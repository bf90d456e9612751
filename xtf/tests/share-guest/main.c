/*
 * share-guest - helper domU for the memory sharing scenario
 * (tools/dom0/tests/sharing-identical).
 *
 * Fills gfns [FIRST, FIRST + NR) (1 MiB, 4 MiB into RAM: gfns 0x400.. on
 * x86, 0x40400.. on Arm) with a pattern that depends on the gfn
 * only, so two of it hold those pages identically, and says "pattern
 * ready". Then, for each line "write" typed at its console, it checks
 * that every page still holds the pattern (what another domain wrote to
 * its own copy must not show here), writes a value of its own to the
 * first word of 8 known pages (each write unshares one page), and checks
 * that those 8 read back its value and every other page the pattern.
 * Between commands it touches none of those pages, so a controller can
 * count exactly which ones were unshared. Prints no verdict; a broken
 * page is reported and crashes it.
 */
#include <xtf.h>
#include <public/sched.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/io/console.h>
#include <xtf/evtchn.h>
#include <xtf/time.h>
#include <xtf/p2m.h>

const char test_title[] = "sharing helper: identical pages, 8 written on request";

#define FIRST   XTF_GFN(0x400) /* 4 MiB into RAM, above the image */
#define NR      0x100UL
#define WRITTEN 8
#define STRIDE  (NR / WRITTEN) /* the written pages: FIRST + i * STRIDE */

#define WAIT_NS 50000000ULL /* a poll's longest wait for input */

static unsigned int writes_done;
static evtchn_port_t console_port;

static uint64_t *page(unsigned long i)
{
    return (uint64_t *)((FIRST + i) << PAGE_SHIFT);
}

static uint64_t pattern(unsigned long i, unsigned int word)
{
    return 0x5a5a000000000000ULL ^ ((FIRST + i) << 16) ^ word;
}

static uint64_t own_value(void)
{
    return 0xd0d0000000000000ULL | xtf_domid;
}

static bool is_written(unsigned long i)
{
    return writes_done && !(i % STRIDE);
}

/* Every page as it should be: the pattern, or our value in word 0 of
 * the written ones. */
static void check_all(const char *when)
{
    for ( unsigned long i = 0; i < NR; i++ )
        for ( unsigned int w = 0; w < PAGE_SIZE / 8; w++ )
        {
            uint64_t want = (w == 0 && is_written(i)) ? own_value() : pattern(i, w);

            if ( page(i)[w] != want )
            {
                printf("share-guest: page %#lx word %u is %#lx, not %#lx (%s)\n", FIRST + i, w,
                       (unsigned long)page(i)[w], (unsigned long)want, when);
                xtf_shutdown(SHUTDOWN_crash);
            }
        }
}

static volatile struct xencons_interface *console_ring(void)
{
    uint64_t pfn = 0, port = 0;

    if ( hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) || !pfn ||
         hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port) )
    {
        printf("share-guest: no console ring\n");
        xtf_shutdown(SHUTDOWN_crash);
    }
    console_port = (evtchn_port_t)port;
    return (volatile struct xencons_interface *)(uintptr_t)(pfn << PAGE_SHIFT);
}

/* Sleep until the console's port is signalled (input), or a while: the
 * guest must not spin, or on an emulator it takes dom0's CPU time. */
static void wait_input(volatile struct xencons_interface *r)
{
    evtchn_port_t port = console_port;
    struct sched_poll poll = { .nr_ports = 1, .timeout = xtf_now() + WAIT_NS };

    set_xen_guest_handle(poll.ports, &port);
    evtchn_clear_pending(port);
    if ( r->in_cons == r->in_prod )
        hypercall_sched_op(SCHEDOP_poll, &poll);
}

/* Wait for one line of input; true if it was "write". */
static bool read_line(volatile struct xencons_interface *r)
{
    char line[16];
    unsigned int n = 0;

    for ( ;; )
    {
        char c;

        while ( r->in_cons == r->in_prod )
            wait_input(r);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        c = r->in[MASK_XENCONS_IDX(r->in_cons, r->in)];
        r->in_cons++;
        if ( c == '\n' || c == '\r' )
            break;
        if ( n < sizeof(line) - 1 )
            line[n++] = c;
    }
    line[n] = '\0';
    return !strcmp(line, "write");
}

static void do_writes(void)
{
    check_all("before writing");
    writes_done++;
    for ( unsigned long i = 0; i < NR; i += STRIDE )
        page(i)[0] = own_value();
    check_all("after writing");
    printf("share-guest: wrote %u pages, the rest intact\n", WRITTEN);
}

void test_main(void)
{
    volatile struct xencons_interface *r = console_ring();

    for ( unsigned long i = 0; i < NR; i++ )
        for ( unsigned int w = 0; w < PAGE_SIZE / 8; w++ )
            page(i)[w] = pattern(i, w);
    printf("share-guest: pattern ready at gfns %#lx-%#lx\n", FIRST, FIRST + NR - 1);
    for ( ;; )
        if ( read_line(r) )
            do_writes();
}
