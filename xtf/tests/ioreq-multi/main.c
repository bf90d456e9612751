/*
 * ioreq-multi - eight IOREQ servers serve one domU side by side; each
 * access goes to the server whose range holds it, and to no other.
 *
 * dom0 creates MAX_NR_IOREQ_SERVERS (8) servers for d1 (ioreq-target);
 * a ninth is -ENOSPC. Server i claims ports 0x300+16i..+15 and the MMIO
 * page IOT_MMIO_BASE + 4 KiB * i, and answers every read with a value
 * naming itself. Checked:
 *  - a range overlapping another server's (ports, memory, PCI) is
 *    -EEXIST; unmapping anything but the exact range is -ENOENT;
 *  - an IN and an MMIO load in each server's range come back from that
 *    server, and only that server saw a request;
 *  - PCI config: 0xcf8 latches 00:03.0 register 0x10, and the 0xcfc read
 *    goes to the server claiming that SBDF as IOREQ_TYPE_PCI_CONFIG with
 *    addr = SBDF << 32 | 0x10;
 *  - after an exact unmap, and after a server is destroyed, its accesses
 *    read all-ones and reach nobody (on Arm the destroyed server's page
 *    is a hole that crashes d1, and still reaches nobody);
 *  - server 0 has a buffered ring (atomic pointers): OUTs to it are
 *    posted; 4 x 128 of them without draining fill the 511-slot ring and
 *    the rest go synchronously, the server seeing all 512 in order.
 * Port I/O, PCI config through 0xcf8/0xcfc and the ring (fed by OUTS)
 * are x86's (IOT_HAS_PIO); on Arm the servers, overlaps, unmaps, MMIO
 * routing and destroy are checked.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq.h>
#include <xtf/ioreq_target.h>
#include <xtf/p2m.h>

const char test_title[] = "ioreq: eight servers, ranges, PCI config and the ring";

#define TARGET    1
#define MB_GFN    0x7f100UL
#define IO_GFN    0x7f200UL
#define NR        8
#define PORT(i)   (0x300 + 16 * (i))
#define MMIO(i)   (IOT_MMIO_BASE + 0x1000UL * (i))
#define SBDF      XEN_DMOP_PCI_SBDF(0, 0, 3, 0)
#define ANSWER(i) (0x5e000000U | (i) << 16)

static struct xtf_ioreq_server srv[NR], extra;
static struct xtf_ioreq_server *srvs[NR];
static xtf_mb_t *mb;
static unsigned int seen[NR], pci_seen, bad;
static uint64_t pci_addr;
static uint8_t ring_log[600];
static unsigned int ring_n;

static void handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    unsigned int i = (unsigned int)(uintptr_t)s->priv;

    seen[i]++;
    if ( p->type == IOREQ_TYPE_PCI_CONFIG )
    {
        pci_seen++;
        pci_addr = p->addr;
    }
    if ( i == 0 && IOREQ_DIR(p) == IOREQ_WRITE && p->addr == PORT(0) + 1 )
    {
        if ( ring_n < sizeof(ring_log) )
            ring_log[ring_n++] = (uint8_t)p->data;
        return;
    }
    if ( IOREQ_DIR(p) == IOREQ_READ )
        p->data = ANSWER(i) & (p->size >= 4 ? 0xffffffffU : (1U << (p->size * 8)) - 1);
    else
        bad++;
}

static long call(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, bool serving)
{
    long rc;

    mb->arg[0] = a0;
    mb->arg[1] = a1;
    mb->arg[2] = a2;
    mb->arg[3] = a3;
    rc = serving ? xtf_mb_call_serving(mb, op, 0, srvs, NR) : xtf_mb_call(mb, op, 0);
    if ( rc )
        xtf_mb_report(mb, "mailbox command", rc);
    return rc;
}

static void check_rc(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: %ld, expected %ld", what, got, want);
}

static bool create_all(void)
{
    for ( unsigned int i = 0; i < NR; i++ )
    {
        long rc;
        rc = xtf_ioreq_create(&srv[i], TARGET, 1,
                              i ? HVM_IOREQSRV_BUFIOREQ_OFF : HVM_IOREQSRV_BUFIOREQ_ATOMIC,
                              IO_GFN + 2 * i, handler);

        srv[i].priv = (void *)(uintptr_t)i;
        srvs[i] = &srv[i];
        rc = rc ?: xtf_ioreq_map_range(&srv[i], XEN_DMOP_IO_RANGE_PORT, PORT(i), PORT(i) + 15);
        rc = rc ?: xtf_ioreq_map_range(&srv[i], XEN_DMOP_IO_RANGE_MEMORY, MMIO(i), MMIO(i) + 0xfff);
        rc = rc ?: xtf_ioreq_set_state(&srv[i], true);
        if ( rc )
        {
            xtf_failure("server %u: %ld", i, rc);
            return false;
        }
    }
    check_rc("a ninth server", xtf_ioreq_create(&extra, TARGET, 1, 0, IO_GFN + 2 * NR, handler),
             -XEN_ENOSPC);
    return true;
}

static void ranges(void)
{
    check_rc("ports overlapping server 0's",
             xtf_ioreq_map_range(&srv[1], XEN_DMOP_IO_RANGE_PORT, PORT(0) + 15, PORT(0) + 16),
             -XEN_EEXIST);
    check_rc("memory overlapping server 3's",
             xtf_ioreq_map_range(&srv[2], XEN_DMOP_IO_RANGE_MEMORY, MMIO(3) + 8, MMIO(3) + 8),
             -XEN_EEXIST);
    check_rc("a PCI device", xtf_ioreq_map_range(&srv[2], XEN_DMOP_IO_RANGE_PCI, SBDF, SBDF), 0);
    check_rc("the same PCI device again",
             xtf_ioreq_map_range(&srv[3], XEN_DMOP_IO_RANGE_PCI, SBDF - 1, SBDF), -XEN_EEXIST);
    check_rc("unmapping part of a range",
             xtf_ioreq_unmap_range(&srv[4], XEN_DMOP_IO_RANGE_PORT, PORT(4), PORT(4) + 7),
             -XEN_ENOENT);
    check_rc("unmapping another server's range",
             xtf_ioreq_unmap_range(&srv[4], XEN_DMOP_IO_RANGE_PORT, PORT(5), PORT(5) + 15),
             -XEN_ENOENT);
}

/* Reads in server i's ranges answer i (or all-ones if nobody claims). */
static void probe(unsigned int i, bool claimed, const char *when)
{
    unsigned int before[NR], reqs = IOT_HAS_PIO ? 2 : 1;
    uint32_t want = claimed ? ANSWER(i) : 0xffffffffU;

    memcpy(before, seen, sizeof(seen));
    if ( IOT_HAS_PIO && call(IOT_PIO, PORT(i) + 4, 4, 0, 0, true) )
        return;
    if ( IOT_HAS_PIO && mb->out[0] != want )
        xtf_failure("%s: IN from %#x gave %#lx, expected %#x", when, PORT(i) + 4,
                    (unsigned long)mb->out[0], want);
    if ( call(IOT_MMIO, MMIO(i) + 0x20, 4, IOT_MMIO_LOAD, 0, true) )
        return;
    if ( mb->out[0] != want )
        xtf_failure("%s: load from %#lx gave %#lx, expected %#x", when, MMIO(i) + 0x20,
                    (unsigned long)mb->out[0], want);
    for ( unsigned int k = 0; k < NR; k++ )
        if ( seen[k] - before[k] != (k == i && claimed ? reqs : 0U) )
            xtf_failure("%s: server %u saw %u requests for server %u's range", when, k,
                        seen[k] - before[k], i);
}

/* Arm: a load from a destroyed server's page meets the hole, which
 * crashes d1; no other server sees it. */
static void probe_hole_crashes(unsigned int i)
{
    unsigned int before[NR], reason = 0;
    long rc;

    memcpy(before, seen, sizeof(seen));
    mb->arg[0] = MMIO(i) + 0x20;
    mb->arg[1] = 4;
    mb->arg[2] = IOT_MMIO_LOAD;
    rc = xtf_mb_call_serving(mb, IOT_MMIO, 0, srvs, NR);
    if ( rc != -XEN_ESRCH || !xtf_mb_target_gone(mb, &reason) || reason != SHUTDOWN_crash )
        xtf_failure("a load from destroyed server %u's page: %ld, d1 %s", i, rc,
                    xtf_mb_target_gone(mb, &reason) ? xtf_shutdown_name(reason) : "still running");
    for ( unsigned int k = 0; k < NR; k++ )
        if ( seen[k] != before[k] )
            xtf_failure("server %u saw a request for destroyed server %u's page", k, i);
}

static void pci_config(void)
{
    uint32_t cf8 = 0x80000000U | (3U << 11) | 0x10;

    if ( call(IOT_PIO, 0xcf8, 4, 1, cf8, true) || call(IOT_PIO, 0xcf8, 4, 0, 0, true) )
        return;
    if ( mb->out[0] != cf8 )
        xtf_failure("0xcf8 reads back %#lx, not %#x", (unsigned long)mb->out[0], cf8);
    if ( call(IOT_PIO, 0xcfc, 4, 0, 0, true) )
        return;
    if ( pci_seen != 1 || pci_addr != ((uint64_t)SBDF << 32 | 0x10) || mb->out[0] != ANSWER(2) )
        xtf_failure("PCI config read: %u requests, addr %#lx, value %#lx", pci_seen,
                    (unsigned long)pci_addr, (unsigned long)mb->out[0]);
}

/* Post the last batch and serve only once the full ring has made the
 * target send a write synchronously. */
static long last_batch(void)
{
    volatile ioreq_t *slot = &srv[0].iopage->vcpu_ioreq[0];
    uint32_t seq = mb->seq + 1;
    unsigned long i;

    mb->op = IOT_PIO_STRING;
    mb->nr = 0;
    smp_wmb();
    mb->seq = seq;
    for ( i = 0; i < XTF_POLL_LIMIT && (slot->flags & IOREQ_FLAG_STATE_MASK) != STATE_IOREQ_READY;
          i++ )
        hypercall_yield();
    if ( i == XTF_POLL_LIMIT )
        xtf_failure("the full ring never made a write synchronous");
    for ( i = 0; i < XTF_POLL_LIMIT && mb->ack != seq; i++ )
        if ( !xtf_ioreq_serve(&srv[0]) )
            hypercall_yield();
    return mb->ack == seq ? mb->result : -XEN_ETIMEDOUT;
}

/* 4 x 128 posted OUTs, nothing drained until the ring is full. */
static void ring(void)
{
    for ( unsigned int k = 0; k < 4; k++ )
    {
        for ( unsigned int i = 0; i < 128; i++ )
            mb->val[i] = (k * 128 + i) & 0xff;
        if ( k == 3 )
        {
            mb->arg[0] = PORT(0) + 1;
            mb->arg[1] = 1;
            mb->arg[2] = IOT_STR_WRITE | IOT_STR_REP;
            mb->arg[3] = 128;
            if ( last_batch() )
                return xtf_failure("the last batch of writes did not complete");
        }
        else if ( call(IOT_PIO_STRING, PORT(0) + 1, 1, IOT_STR_WRITE | IOT_STR_REP, 128, false) )
            return;
    }
    while ( xtf_ioreq_serve(&srv[0]) )
        ;
    if ( ring_n != 512 )
        xtf_failure("the ring's server saw %u of 512 writes", ring_n);
    for ( unsigned int i = 0; i < ring_n; i++ )
        if ( ring_log[i] != (i & 0xff) )
        {
            xtf_failure("write %u arrived as %#x: out of order", i, ring_log[i]);
            break;
        }
    if ( srv[0].posted < 500 || srv[0].handled < 1 )
        xtf_failure("%lu posted, %lu synchronous: the ring never filled",
                    (unsigned long)srv[0].posted, (unsigned long)srv[0].handled);
    printf("ring: %lu posted, %lu sent synchronously when full\n", (unsigned long)srv[0].posted,
           (unsigned long)srv[0].handled);
}

/* x86: PCI config through 0xcf8/0xcfc, the ring fed by OUTS, an
 * unmapped port reading all-ones. */
static void port_cases(void)
{
    pci_config();
    ring();
    check_rc("unmapping server 6's ports",
             xtf_ioreq_unmap_range(&srv[6], XEN_DMOP_IO_RANGE_PORT, PORT(6), PORT(6) + 15), 0);
    if ( !call(IOT_PIO, PORT(6) + 4, 4, 0, 0, true) && mb->out[0] != 0xffffffffU )
        xtf_failure("IN from an unmapped port gave %#lx", (unsigned long)mb->out[0]);
}

void test_main(void)
{
    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
        return xtf_error("cannot attach d%u's mailbox", TARGET);
    if ( !create_all() )
        return;
    ranges();
    for ( unsigned int i = 0; i < NR; i++ )
        probe(i, true, "all eight");
    if ( IOT_HAS_PIO )
        port_cases();
    check_rc("destroying server 5", xtf_ioreq_destroy(&srv[5]), 0);
    if ( IOT_HOLE_CRASHES )
        probe_hole_crashes(5);
    else
        probe(5, false, "server 5 destroyed");
    for ( unsigned int i = 0; i < NR; i++ )
        if ( i != 5 )
            check_rc("destroying a server", xtf_ioreq_destroy(&srv[i]), 0);
    if ( bad )
        xtf_failure("%u writes nobody expected", bad);
    if ( !IOT_HOLE_CRASHES )
        xtf_mb_call(mb, XTF_MB_EXIT, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
