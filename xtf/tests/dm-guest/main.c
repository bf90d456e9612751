/*
 * dm-guest - helper domU for the wren-dm scenario tests: a guest whose
 * COM2 and table device are dom0's device model (xl's device_model =
 * "wren-dm"), checking what it gets and reporting through xenstore:
 *
 *  - the UART (COM2, 0x2f8, on x86; MMIO at 0x23000000 on Arm, see
 *    xtf/dmuart.h): LSR says THRE|TEMT; the scratch register and the
 *    divisor latch (DLAB) keep what is written; a line written through
 *    THR (dom0 checks it with wait-uart); a line dom0 queues ("ping") is
 *    read back with LSR.DR, then echoed. data/dm-uart = pass | why.
 *  - the table device's registers (MMIO at 0xfebf0000): its ID, a
 *    register written by halves, a table outside RAM refused, PEEK of a
 *    frame through the model's mapcache. data/dm-regs = pass | why.
 *  - only if dom0's line was "ping pci": a PCI function (00:05.0)
 *    through 0xcf8/0xcfc (pci.c; x86 only): its IDs, a scratch dword
 *    written and read back, a function nobody claims all-ones.
 *    data/dm-pci = pass | why.
 *  - the table device's table: a table of 8
 *    descriptors in this guest's RAM, enabled (its page becomes
 *    p2m_ioreq_server); legal descriptors written and read back; illegal
 *    ones (unknown flag, outside RAM, into the table) rejected with the
 *    old value kept; the counters; the doorbell's checksum equals this
 *    guest's walk of the table. data/dm-table = pass | why.
 *  - the mapcache (seed 001): the model reads a frame (PEEK), the guest
 *    gives the frame back and populates the gfn again with new data; the
 *    model must read the new data, not the old frame it had mapped.
 *    data/dm-mapcache = pass | stale | why.
 *
 * Then data/dm-guest = done, and it idles. Prints no verdict of its own
 * (RESULT_FROM=dom0).
 */
#include <xtf.h>
#include <xtf/time.h>
#include <xtf/xenstore.h>
#include <xtf/dmuart.h>
#include <public/memory.h>

#include "dm-guest.h"

const char test_title[] = "wren-dm scenario helper: COM2, table device, mapcache";

#define MS 1000000ULL

#define DT_BASE     0xfebf0000UL
#define DT_ID       0x00
#define DT_GFN      0x08
#define DT_COUNT    0x10
#define DT_CTRL     0x18
#define DT_DOORBELL 0x20
#define DT_CHECKSUM 0x28
#define DT_SEEN     0x30
#define DT_REJECTED 0x38
#define DT_APPLIED  0x40
#define DT_STATUS   0x48
#define DT_PEEK_GFN 0x50
#define DT_PEEK     0x58
#define DT_VALID    0x1ULL
#define DT_NR       8

static uint64_t table[512] __attribute__((aligned(4096)));
static uint8_t victim[4096] __attribute__((aligned(4096)));
char why[96];
static bool want_pci; /* dom0 sent "ping pci" */

static uint64_t dt_read(unsigned int reg)
{
    return *(volatile uint64_t *)(DT_BASE + reg);
}

static void dt_write(unsigned int reg, uint64_t v)
{
    *(volatile uint64_t *)(DT_BASE + reg) = v;
}

static void com2_putc(char c)
{
    for ( unsigned int i = 0; i < 1000 && !(xtf_dmuart_read(5) & 0x20); i++ )
        continue;
    xtf_dmuart_write(0, (uint8_t)c);
}

static void com2_puts(const char *s)
{
    while ( *s )
        com2_putc(*s++);
}

/* A line dom0 queued, up to the newline, within timeout. */
static bool com2_getline(char *buf, size_t size, uint64_t timeout)
{
    uint64_t end = xtf_now() + timeout;
    size_t n = 0;

    while ( xtf_now() < end )
    {
        char c;

        if ( !(xtf_dmuart_read(5) & 0x01) )
        {
            hypercall_yield();
            continue;
        }
        c = (char)xtf_dmuart_read(0);
        if ( c == '\n' )
        {
            buf[n] = '\0';
            return true;
        }
        if ( n < size - 1 )
            buf[n++] = c;
    }
    return false;
}

static bool uart_checks(void)
{
    char line[32];
    uint8_t lsr = xtf_dmuart_read(5);

    if ( (lsr & 0x60) != 0x60 || (lsr & 0x01) )
        return FAIL("LSR %#x, want THRE|TEMT and no data", lsr);
    xtf_dmuart_write(7, 0xa5);
    if ( xtf_dmuart_read(7) != 0xa5 )
        return FAIL("SCR lost 0xa5");
    xtf_dmuart_write(3, 0x83); /* DLAB */
    xtf_dmuart_write(0, 0x01); /* 115200 */
    xtf_dmuart_write(1, 0x00);
    if ( xtf_dmuart_read(0) != 0x01 || xtf_dmuart_read(3) != 0x83 )
        return FAIL("divisor latch did not keep 1");
    xtf_dmuart_write(3, 0x03);
    com2_puts("dm-guest: hello from COM2\n");
    if ( !com2_getline(line, sizeof(line), 60000 * MS) )
        return FAIL("no input line within 60 s");
    want_pci = !strcmp(line, "ping pci");
    if ( strcmp(line, "ping") && !want_pci )
        return FAIL("read \"%s\", want \"ping\" or \"ping pci\"", line);
    com2_puts("dm-guest: got ping\n");
    return true;
}

static uint64_t fnv(const uint64_t *w, unsigned int n)
{
    uint64_t c = 0xcbf29ce484222325ULL;

    for ( unsigned int i = 0; i < n; i++ )
        c = (c ^ w[i]) * 0x100000001b3ULL;
    return c;
}

/* Write one descriptor word and read it back. */
static uint64_t twrite(unsigned int word, uint64_t v)
{
    ((volatile uint64_t *)table)[word] = v;
    return ((volatile uint64_t *)table)[word];
}

/* The register block alone: MMIO to the model, PEEK through its mapcache. */
static bool register_checks(void)
{
    volatile uint64_t *v = (volatile uint64_t *)victim;

    if ( dt_read(DT_ID) != 0x57544231 )
        return FAIL("table device ID %#lx", (unsigned long)dt_read(DT_ID));
    *(volatile uint32_t *)(DT_BASE + DT_GFN) = 0x1234;
    *(volatile uint32_t *)(DT_BASE + DT_GFN + 4) = 0x5;
    if ( dt_read(DT_GFN) != 0x500001234ULL || dt_read(DT_STATUS) )
        return FAIL("GFN by halves reads %#lx", (unsigned long)dt_read(DT_GFN));
    dt_write(DT_CTRL, 1); /* 0x500001234 is far outside RAM */
    if ( dt_read(DT_STATUS) != 22 || dt_read(DT_CTRL) )
        return FAIL("a table outside RAM was enabled");
    *v = 0x9ee4000000000003ULL;
    dt_write(DT_PEEK_GFN, (uintptr_t)victim >> 12);
    if ( dt_read(DT_PEEK) != 0x9ee4000000000003ULL )
        return FAIL("PEEK read %#lx", (unsigned long)dt_read(DT_PEEK));
    dt_write(DT_PEEK_GFN, 0xf0000);
    if ( dt_read(DT_PEEK) != ~0ULL )
        return FAIL("PEEK outside RAM read %#lx", (unsigned long)dt_read(DT_PEEK));
    return true;
}

/* The table over p2m_ioreq_server pages: every write validated. */
static bool table_checks(void)
{
    uint64_t gfn = (uintptr_t)table >> 12, buf = (uintptr_t)victim;

    dt_write(DT_GFN, gfn);
    dt_write(DT_COUNT, DT_NR);
    dt_write(DT_CTRL, 1);
    if ( dt_read(DT_STATUS) || dt_read(DT_CTRL) != 1 )
        return FAIL("enable: status %lu", (unsigned long)dt_read(DT_STATUS));
    /* Legal: a buffer in RAM, 64 bytes, valid; an empty slot. */
    if ( twrite(0, buf) != buf || twrite(1, DT_VALID << 32 | 64) != (DT_VALID << 32 | 64) ||
         twrite(2, 0x1234) != 0x1234 )
        return FAIL("a legal descriptor was not applied");
    /* Illegal: unknown flag, outside RAM, into the table itself. */
    if ( twrite(1, (0x4ULL | DT_VALID) << 32 | 64) != (DT_VALID << 32 | 64) ||
         twrite(0, 0xf0000000UL) != buf || twrite(0, (uintptr_t)table) != buf )
        return FAIL("an illegal descriptor was applied");
    if ( dt_read(DT_SEEN) != 6 || dt_read(DT_REJECTED) != 3 || dt_read(DT_APPLIED) != 3 )
        return FAIL("counters seen %lu rejected %lu applied %lu", (unsigned long)dt_read(DT_SEEN),
                    (unsigned long)dt_read(DT_REJECTED), (unsigned long)dt_read(DT_APPLIED));
    dt_write(DT_DOORBELL, 1);
    if ( dt_read(DT_STATUS) || dt_read(DT_CHECKSUM) != fnv(table, 2 * DT_NR) )
        return FAIL("doorbell checksum %#lx, want %#lx", (unsigned long)dt_read(DT_CHECKSUM),
                    (unsigned long)fnv(table, 2 * DT_NR));
    return true;
}

static long memop_one(unsigned int op, xen_pfn_t gfn)
{
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, &gfn);
    return hypercall_memory_op(op, &r);
}

/* 1: pass, 0: the model read the old frame, -1: the test itself failed. */
static int mapcache_check(void)
{
    xen_pfn_t gfn = (uintptr_t)victim >> 12;
    volatile uint64_t *v = (volatile uint64_t *)victim;

    *v = 0x01d0000000000001ULL;
    dt_write(DT_PEEK_GFN, gfn);
    if ( dt_read(DT_PEEK) != 0x01d0000000000001ULL )
    {
        snprintf(why, sizeof(why), "PEEK read %#lx before the swap",
                 (unsigned long)dt_read(DT_PEEK));
        return -1;
    }
    if ( memop_one(XENMEM_decrease_reservation, gfn) != 1 ||
         memop_one(XENMEM_populate_physmap, gfn) != 1 )
    {
        snprintf(why, sizeof(why), "decrease/populate of gfn %#lx failed", (unsigned long)gfn);
        return -1;
    }
    *v = 0x0e50000000000002ULL;
    dt_write(DT_PEEK_GFN, gfn);
    if ( dt_read(DT_PEEK) == 0x0e50000000000002ULL )
        return 1;
    printf("dm-guest: PEEK read %#lx after the swap\n", (unsigned long)dt_read(DT_PEEK));
    return 0;
}

static void report(const char *key, bool ok)
{
    printf("dm-guest: %s %s%s%s\n", key, ok ? "pass" : "FAIL", ok ? "" : ": ", ok ? "" : why);
    xs_guest_write(key, ok ? "pass" : why);
}

void test_main(void)
{
    int mc;

    if ( xs_guest_init() )
        panic("dm-guest: no xenstore ring (HVM_PARAM_STORE_PFN unset)");
    xs_guest_write("data/started", "1");
    report("data/dm-uart", uart_checks());
    report("data/dm-regs", register_checks());
    report("data/dm-table", table_checks());
    mc = mapcache_check();
    if ( mc == 0 )
        snprintf(why, sizeof(why), "stale");
    report("data/dm-mapcache", mc == 1);
    if ( want_pci )
        report("data/dm-pci", pci_checks());
    xs_guest_write("data/dm-guest", "done");
    for ( ;; )
        hypercall_yield();
}
