/*
 * ioreq.h - IOREQ servers: device models in other domains that emulate
 * port I/O, MMIO and PCI config space for a domain, and the
 * p2m_ioreq_server memory type they may own (docs/designs/ioreq.md).
 *
 * common/ioreq.c owns the servers, their pages and ports, routing, the
 * per-vCPU request slot and its wait, and the mapcache invalidation
 * broadcast. common/ioreq_memtype.c owns the memory type: the claim, the
 * guard, the reset sweep. Arch code calls in only through the functions
 * below (port I/O and memory accesses that reached no RAM, the check
 * before every guest entry). Neither file names an x86 register.
 *
 * Lock order (xen/lock-order.h): d->ioreq.lock is taken before p2m->lock
 * and the event-channel locks, never with them held.
 *
 * Contract between the two files and the rest of the hypervisor: the
 * names declared here. Fields not named by another file are ioreq.c's to
 * change.
 */
#ifndef XEN_IOREQ_H
#define XEN_IOREQ_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <public/hvm/dm_op.h>
#include <public/hvm/ioreq.h>

struct domain;
struct vcpu;

#define MAX_NR_IOREQ_SERVERS 8   /* per domain */
#define IOREQ_MAX_RANGES     256 /* per server and kind, as Xen's rangesets */
#define IOREQ_RANGE_KINDS    3   /* XEN_DMOP_IO_RANGE_PORT, _MEMORY, _PCI */
/* Completed accesses one emulated instruction may replay (ioreq_mmio). */
#define IOREQ_REPLAY_MAX 4

struct ioreq_range
{
    uint64_t start, end; /* inclusive */
};

struct ioreq_server
{
    struct domain *target;   /* the domain it serves (no reference: it dies first) */
    struct domain *emulator; /* the domain that created it, with a reference */
    ioservid_t id;
    bool enabled;
    uint8_t bufioreq_handling; /* HVM_IOREQSRV_BUFIOREQ_* */
    mfn_t ioreq_mfn, bufioreq_mfn;
    shared_iopage_t *ioreq;      /* direct-map address of ioreq_mfn */
    buffered_iopage_t *bufioreq; /* NULL without a ring */
    unsigned int bufioreq_port;  /* in target, peer: emulator */
    unsigned int *vcpu_port;     /* target->max_vcpus entries: each vCPU's vp_eport */
    unsigned int nr_ranges[IOREQ_RANGE_KINDS];
    struct ioreq_range ranges[IOREQ_RANGE_KINDS][IOREQ_MAX_RANGES];
    uint64_t sent, posted, answered; /* counters */
    uint64_t bad;                    /* answers in a state we did not expect, ignored */
};

struct ioreq_domain
{
    spinlock_t lock;
    struct ioreq_server *server[MAX_NR_IOREQ_SERVERS]; /* index = id */
    unsigned int nr_servers;
    /* The p2m_ioreq_server type (ioreq_memtype.c): the owner's id + 1
     * (0: nobody), and which accesses go to it. */
    uint16_t memtype_owner;
    uint32_t memtype_flags;
    /* Mapcache invalidation: broadcasts sent, vCPU flags set. */
    uint64_t invalidates_sent, invalidate_flags_set;
    uint32_t pci_cf8; /* the guest's last dword write to port 0xcf8 */
    /* Counters of the whole domain: requests sent, writes posted to a
     * ring, answers taken, answers ignored, ring-full fallbacks. */
    uint64_t sent, posted, answered, bad, ring_full;
};

/* One vCPU's part: the request in flight and what an interrupted
 * instruction has already completed. */
struct ioreq_vcpu
{
    /* Set when a RAM entry of the domain was removed or replaced; read
     * (cheaply) before every guest entry and before every request. */
    bool mapcache_invalidate;
    bool waiting;           /* not runnable until every answer is in */
    uint8_t wait_mask;      /* servers (by id) whose answer is awaited */
    ioreq_t req;            /* the request in flight (or last completed) */
    unsigned int nr_replay; /* completed accesses of the current instruction */
    ioreq_t replay[IOREQ_REPLAY_MAX];
    unsigned int port[MAX_NR_IOREQ_SERVERS]; /* vp_eport of each server, in the domain */
    unsigned int replay_pos; /* accesses of this emulation attempt replayed so far */
    bool from_insn;          /* the wait is an instruction's: emulate it again after */
    bool resume;             /* answered: re-run the interrupted exit before entry */
};

void ioreq_domain_init(struct domain *d);
/* d is dying: destroy every server serving d, and every server d
 * created for another domain (their vCPUs stop waiting). */
void ioreq_domain_destroy(struct domain *d);

/* Results of the forwarding calls. */
enum ioreq_result
{
    IOREQ_UNCLAIMED, /* no enabled server claims it: the caller handles it */
    IOREQ_DONE,      /* answered (or posted): *val holds a read's value */
    IOREQ_PENDING,   /* sent; the vCPU waits: leave the instruction, it
                      * is emulated again once the answer is in */
};

/* Port I/O of the current vCPU (count 1, no string form). */
enum ioreq_result ioreq_pio(struct vcpu *v, uint16_t port, unsigned int size, bool write,
                            uint32_t *val);
/*
 * One memory access of an instruction being emulated, to a gpa with no
 * RAM behind it or of type p2m_ioreq_server (writes only). The first
 * accesses of an instruction that were answered before are replayed from
 * the vCPU's list, in order, instead of being sent again; call
 * ioreq_instruction_done when the instruction retires (or faults).
 */
enum ioreq_result ioreq_mmio(struct vcpu *v, uint64_t gpa, unsigned int size, bool write,
                             uint64_t *val);
void ioreq_instruction_done(struct vcpu *v);
/* Would ioreq_mmio send an access of size bytes at gpa to a server (an
 * enabled one's memory range, or a write to an owned p2m_ioreq_server
 * page)? Sends nothing. */
bool ioreq_mmio_claimed(struct vcpu *v, uint64_t gpa, unsigned int size, bool write);

/* vcpu_runnable() is false while v->ioreq.waiting. */

/* Called before every guest entry of v: sends the mapcache invalidation
 * a flagged vCPU owes. */
void ioreq_before_entry(struct vcpu *v);

/* A RAM entry of d was removed or its frame replaced (p2m hook): flag
 * the current vCPU if it is d's, else every vCPU of d. */
void ioreq_note_ram_gone(struct domain *d);
/* The same with the current vCPU (or NULL) named: the host tests'. */
void ioreq_inval_note(struct domain *d, struct vcpu *curr);

/* ioreq_inval.c, for the request path: a request must not overtake the
 * invalidation its vCPU owes. pending: is v flagged? send: if so, send
 * the invalidation to every enabled server (v then waits for every
 * answer: true) or, with no server, just clear the flag (false). Call
 * with no lock held. ioreq_before_entry is send before every entry. */
bool ioreq_inval_pending(const struct vcpu *v);
bool ioreq_inval_send(struct vcpu *v);

/*
 * Send *p to server s on v's slot (s->target == v->domain) and make v
 * wait for s's answer (v->ioreq.wait_mask gets s's bit; v is not
 * runnable until every awaited answer is in). d->ioreq.lock held. The
 * slot's vp_eport and state are filled in here, the rest is p's. 0, or
 * -EBUSY if v already waits for s, -EINVAL if s is not enabled. The
 * answer is consumed by the port's callback; an IOREQ_TYPE_INVALIDATE
 * answer only ends the wait. Used by the invalidation broadcast.
 */
int ioreq_send_wait(struct ioreq_server *s, struct vcpu *v, const ioreq_t *p);

/* The server id of d, or NULL; with d->ioreq.lock held. */
struct ioreq_server *ioreq_server_find(struct domain *d, ioservid_t id);

/* ioreq_memtype.c: server s is being destroyed (d->ioreq.lock held):
 * if it owns the memory type, give it back (entries reset lazily). */
void ioreq_memtype_server_gone(struct domain *d, struct ioreq_server *s);

/* XENMEM_acquire_resource of an ioreq server's frames for the caller. */
long ioreq_acquire_resource(struct domain *d, ioservid_t id, uint64_t frame, uint32_t nr,
                            mfn_t *mfns);

#endif /* XEN_IOREQ_H */
