/*
 * link_ring.h - the wren-link protocol: one reliable byte stream each way
 * between two dom0s on two machines, through one shared-memory region
 * (QEMU's ivshmem BAR2) that both map. docs/designs/live-migration.md,
 * "Two machines", describes the layout and the handshake.
 *
 * Pure: no system calls, no waiting. Every call does what can be done now
 * and returns -EAGAIN otherwise; /dev/wren-link (link.c) waits between
 * calls. Host tests (tools/tests/tools/test-link-ring.c) drive both ends
 * in one process.
 *
 * May not touch: anything but the region and its struct link. It never
 * trusts what the other end wrote: its own counters are kept here, the
 * other's are checked on every read, and a bad one is an error.
 */
#ifndef DOM0_LINK_RING_H
#define DOM0_LINK_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINK_MAGIC     0x4b4e494c4e455257ULL /* "WRENLINK" in memory */
#define LINK_VERSION   1
#define LINK_HDR_BYTES 4096
#define LINK_MIN_BYTES (64UL << 10)

/* The words one end writes and only it: its session, the peer session it
 * accepted, where its outbound stream starts in this session, its
 * outbound head and its inbound tail. Counters are free-running 32-bit
 * byte counts, each in its own 64-bit word. */
struct link_end_words
{
    uint64_t state; /* session number | LINK_OPEN */
    uint64_t ack;   /* the peer session this end connected to */
    uint64_t start; /* outbound head when this session opened */
    uint64_t head;  /* outbound bytes written, ever */
    uint64_t tail;  /* inbound bytes consumed, ever */
    uint64_t pad[3];
};
#define LINK_OPEN (1ULL << 32)

/* Page 0 of the region. The rings follow: end e's outbound ring at
 * LINK_HDR_BYTES + e * ring size. */
struct link_hdr
{
    uint64_t magic;
    uint32_t version;
    uint32_t pad0;
    uint64_t size; /* bytes of the whole region */
    uint64_t pad1[5];
    /* Choosing ends: a splitter (Moir and Anderson) over plain loads and
     * stores, since single-threaded TCG makes no guest atomic operation
     * atomic between two QEMU processes. */
    uint64_t x, y;
    uint64_t outcome[3]; /* the nonce that got LINK_STOP/RIGHT/DOWN */
    uint64_t pad2[3];
    struct link_end_words end[2];
};

enum link_outcome
{
    LINK_STOP,
    LINK_RIGHT,
    LINK_DOWN
};

struct link
{
    uint8_t *base;
    uint64_t size;
    uint32_t rsize; /* bytes per ring, a power of two */
    uint64_t nonce; /* never 0 */
    int end;        /* 0 or 1; -1 until elected */
    int step;       /* of the election */
    uint32_t sess;  /* this end's session; 0 before the first open */
    uint32_t ack;   /* the peer session accepted */
    uint32_t head;  /* outbound, ours: never read back from the region */
    uint32_t tail;  /* inbound, ours */
    bool open, connected, hup;
    int error;     /* sticky: -EPROTO, -EIO */
    char why[128]; /* what the error was */
};

/* Check the region's size, and its header (written if still zero).
 * 0, or -EINVAL (size) / -EPROTO (someone else's header), with why. */
int link_attach(struct link *l, void *base, uint64_t size, uint64_t nonce);
/* One step of choosing ends; 0 once l->end is set, else -EAGAIN. The
 * caller lets time pass between calls (the splitter needs each store seen
 * before the next load: see the design note). */
int link_elect(struct link *l);
/* Begin a session (the end is elected). */
void link_open(struct link *l);
/* End it: the peer reads what was written, then end of stream. */
void link_close(struct link *l);
/* Bytes read (> 0), 0 at end of stream, -EAGAIN, or the error. */
long link_read(struct link *l, void *buf, size_t n);
/* Bytes written (> 0), -EAGAIN (full, or no peer yet), -EPIPE (the peer
 * hung up), or the error. */
long link_write(struct link *l, const void *buf, size_t n);
/* Would a read (write) return at once, with data, end or an error? */
bool link_readable(struct link *l);
bool link_writable(struct link *l);

#endif /* DOM0_LINK_RING_H */
