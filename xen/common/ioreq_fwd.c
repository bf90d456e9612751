/*
 * ioreq_fwd.c - forwarding accesses to IOREQ servers and taking their
 * answers (docs/designs/ioreq.md, "Forwarding" and "Emulated
 * instructions"): routing by range, the 0xcf8/0xcfc PCI config window,
 * the per-vCPU slot (fill, publish READY, notify; the answer on the
 * port's callback), the buffered ring, the wait and the replay list.
 *
 * The pages are shared with the server, which may write anything at any
 * time: every field is read once, a slot's answer is taken only from
 * IORESP_READY for a request this vCPU has outstanding, the ring's
 * pointers are checked before use, and anything else is counted in
 * s->bad and ignored (the vCPU keeps waiting).
 *
 * May not touch: registers or RIP (the arch's exit handlers apply what
 * these functions return), p2m entries, another domain's servers.
 * Lock order: d->ioreq.lock before the event-channel locks.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/event.h>
#include <xen/ioreq.h>
#include <asm/system.h>
#include "ioreq_private.h"

#define PCI_CF8       0xcf8
#define PCI_CFC       0xcfc
#define CF8_ENABLE    0x80000000U
#define SERVER_BIT(s) (1U << (s)->id)

/* The invalidation code may not be linked in: nothing owed before entry,
 * no flag to set. */
__attribute__((weak)) void ioreq_before_entry(struct vcpu *v)
{
}

__attribute__((weak)) void ioreq_note_ram_gone(struct domain *d)
{
}

/* ---- routing ------------------------------------------------------------ */

static bool server_claims(const struct ioreq_server *s, uint32_t kind, uint64_t lo, uint64_t hi)
{
    for ( unsigned int i = 0; i < s->nr_ranges[kind]; i++ )
        if ( s->ranges[kind][i].start <= lo && hi <= s->ranges[kind][i].end )
            return true;
    return false;
}

/* The enabled server of d whose range of kind holds [lo, hi]. Locked. */
static struct ioreq_server *route(struct domain *d, uint32_t kind, uint64_t lo, uint64_t hi)
{
    for ( unsigned int id = 0; id < MAX_NR_IOREQ_SERVERS; id++ )
    {
        struct ioreq_server *s = d->ioreq.server[id];
        if ( s && s->enabled && server_claims(s, kind, lo, hi) )
            return s;
    }
    return NULL;
}

static bool any_pci_range(struct domain *d)
{
    for ( unsigned int id = 0; id < MAX_NR_IOREQ_SERVERS; id++ )
        if ( d->ioreq.server[id] && d->ioreq.server[id]->nr_ranges[XEN_DMOP_IO_RANGE_PCI] )
            return true;
    return false;
}

/* ---- the slot ------------------------------------------------------------- */

int ioreq_send_wait(struct ioreq_server *s, struct vcpu *v, const ioreq_t *p)
{
    ioreq_t *slot = &s->ioreq->vcpu_ioreq[v->vcpu_id];
    unsigned int port = v->ioreq.port[s->id];
    if ( !s->enabled )
        return -EINVAL;
    if ( v->ioreq.wait_mask & SERVER_BIT(s) )
        return -EBUSY;
    ACCESS_ONCE(slot->addr) = p->addr;
    ACCESS_ONCE(slot->data) = p->data;
    ACCESS_ONCE(slot->count) = p->count;
    ACCESS_ONCE(slot->size) = p->size;
    ACCESS_ONCE(slot->vp_eport) = port;
    ACCESS_ONCE(slot->type) = p->type;
    smp_wmb(); /* the fields before the state */
    ACCESS_ONCE(slot->flags) = (uint8_t)((p->flags & ~IOREQ_FLAG_STATE_MASK) | STATE_IOREQ_READY);
    v->ioreq.req = *p;
    v->ioreq.wait_mask |= SERVER_BIT(s);
    v->ioreq.waiting = true;
    s->sent++;
    v->domain->ioreq.sent++;
    evtchn_send_from_xen(v->domain, port);
    return 0;
}

static bool replayable(const ioreq_t *p)
{
    return p->type == IOREQ_TYPE_PIO || p->type == IOREQ_TYPE_COPY ||
           p->type == IOREQ_TYPE_PCI_CONFIG;
}

/* v's wait for s is over: the answer (or the server) is gone. Locked. */
static void end_wait(struct ioreq_server *s, struct vcpu *v)
{
    v->ioreq.wait_mask &= ~SERVER_BIT(s);
    if ( v->ioreq.wait_mask )
        return;
    v->ioreq.resume = v->ioreq.from_insn;
    v->ioreq.from_insn = false;
    v->ioreq.replay_pos = 0; /* the instruction starts again */
    smp_wmb();               /* resume before waiting: the vCPU's CPU reads them in that order */
    ACCESS_ONCE(v->ioreq.waiting) = false;
}

/* Take s's answer in v's slot, if it is one. Locked. True if v woke. */
static bool take_answer(struct ioreq_server *s, struct vcpu *v)
{
    ioreq_t *slot = &s->ioreq->vcpu_ioreq[v->vcpu_id];
    uint8_t flags = ACCESS_ONCE(slot->flags);
    uint64_t data;
    if ( (flags & IOREQ_FLAG_STATE_MASK) != STATE_IORESP_READY )
        return false; /* READY or INPROCESS: not done yet; a stray event */
    if ( !(v->ioreq.wait_mask & SERVER_BIT(s)) )
    {
        s->bad++; /* an answer to nothing we sent */
        v->domain->ioreq.bad++;
        return false;
    }
    smp_rmb(); /* the state before the data */
    data = ACCESS_ONCE(slot->data);
    ACCESS_ONCE(slot->flags) = STATE_IOREQ_NONE;
    s->answered++;
    v->domain->ioreq.answered++;
    if ( IOREQ_DIR(&v->ioreq.req) == IOREQ_READ )
        v->ioreq.req.data = data;
    if ( replayable(&v->ioreq.req) && v->ioreq.nr_replay < IOREQ_REPLAY_MAX )
        v->ioreq.replay[v->ioreq.nr_replay++] = v->ioreq.req;
    end_wait(s, v);
    return !v->ioreq.waiting;
}

/* A port of d whose consumer is the hypervisor was notified by its peer:
 * look at the slot (or slots) it belongs to. */
void ioreq_port_event(struct domain *d, unsigned int port)
{
    bool woke = false;
    spin_lock(&d->ioreq.lock);
    for ( unsigned int id = 0; id < MAX_NR_IOREQ_SERVERS; id++ )
    {
        struct ioreq_server *s = d->ioreq.server[id];
        for ( unsigned int i = 0; s && i < d->max_vcpus; i++ )
            if ( d->vcpu[i] && d->vcpu[i]->ioreq.port[id] == port )
                woke |= take_answer(s, d->vcpu[i]);
    }
    spin_unlock(&d->ioreq.lock);
    if ( woke )
        sched_kick_all();
}

/* s is going: whoever waits for it stops, and its access, emulated
 * again, finds no server. Locked. */
void ioreq_release_waiters(struct ioreq_server *s)
{
    struct domain *d = s->target;
    bool woke = false;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];
        if ( !v || !(v->ioreq.wait_mask & SERVER_BIT(s)) )
            continue;
        end_wait(s, v);
        woke |= !v->ioreq.waiting;
    }
    if ( woke )
        sched_kick_all();
}

/* ---- the buffered ring ---------------------------------------------------- */

static bool bufferable(const ioreq_t *p)
{
    return IOREQ_DIR(p) == IOREQ_WRITE && p->count == 1 && p->addr <= BUF_IOREQ_ADDR_MAX &&
           (p->size == 1 || p->size == 2 || p->size == 4 || p->size == 8);
}

/* Post *p to s's ring. False if it has none, or it is full (the caller
 * sends it synchronously) or its pointers are garbage (counted). */
static bool post(struct ioreq_server *s, const ioreq_t *p)
{
    buffered_iopage_t *pg = s->bufioreq;
    unsigned int need = p->size == 8 ? 2 : 1, slot;
    uint32_t rd, wr;
    if ( !pg || !bufferable(p) )
        return false;
    rd = ACCESS_ONCE(pg->ptrs.p.read_pointer);
    wr = ACCESS_ONCE(pg->ptrs.p.write_pointer);
    if ( wr - rd > IOREQ_BUFFER_SLOT_NUM )
    {
        s->bad++;
        s->target->ioreq.bad++;
        return false;
    }
    if ( wr - rd + need > IOREQ_BUFFER_SLOT_NUM )
    {
        s->target->ioreq.ring_full++;
        return false;
    }
    slot = wr % IOREQ_BUFFER_SLOT_NUM;
    pg->buf_ioreq[slot].word =
        BUF_IOREQ_WORD(p->type, IOREQ_WRITE, __builtin_ctz(p->size), (uint32_t)p->addr);
    pg->buf_ioreq[slot].data = (uint32_t)p->data;
    if ( need == 2 )
        pg->buf_ioreq[(wr + 1) % IOREQ_BUFFER_SLOT_NUM] =
            (buf_ioreq_t){ pg->buf_ioreq[slot].word, (uint32_t)(p->data >> 32) };
    smp_wmb(); /* the entries before the pointer */
    ACCESS_ONCE(pg->ptrs.p.write_pointer) = wr + need;
    s->posted++;
    s->target->ioreq.posted++;
    evtchn_send_from_xen(s->target, s->bufioreq_port);
    return true;
}

/* ---- one access ------------------------------------------------------------ */

/* Was this access answered in an earlier attempt at the instruction? */
static bool replayed(struct vcpu *v, const ioreq_t *p, uint64_t *val)
{
    struct ioreq_vcpu *iv = &v->ioreq;
    const ioreq_t *r;
    if ( iv->replay_pos >= iv->nr_replay )
        return false;
    r = &iv->replay[iv->replay_pos];
    if ( r->type != p->type || r->addr != p->addr || r->size != p->size ||
         IOREQ_DIR(r) != IOREQ_DIR(p) )
    {
        iv->nr_replay = iv->replay_pos = 0; /* another instruction: forget it */
        return false;
    }
    iv->replay_pos++;
    *val = r->data;
    return true;
}

/* A request never overtakes the invalidation its vCPU owes (a remote
 * change may flag it after its last entry): send that first, and have
 * the access emulated again once every server answered. Unlocked. */
static bool invalidate_first(struct vcpu *v)
{
    if ( likely(!ioreq_inval_pending(v)) || !ioreq_inval_send(v) )
        return false;
    v->ioreq.from_insn = true;
    return true;
}

/* Post it, or send it and wait. Locked. */
static enum ioreq_result forward(struct ioreq_server *s, struct vcpu *v, const ioreq_t *p)
{
    struct ioreq_vcpu *iv = &v->ioreq;
    if ( iv->nr_replay >= IOREQ_REPLAY_MAX )
    {
        /* Its answer could not be replayed: the instruction would be sent
         * again for ever. Xen crashes the domain for this too (once: the
         * rest of the instruction finds it shutting down). */
        if ( !v->domain->is_shutting_down )
            domain_crash(v->domain, "an emulated instruction makes more accesses to IOREQ "
                                    "servers than can be replayed");
        return IOREQ_UNCLAIMED;
    }
    if ( post(s, p) )
    {
        /* Replayed, not posted again, if a later access of the same
         * instruction has to wait. */
        if ( iv->nr_replay < IOREQ_REPLAY_MAX && iv->replay_pos == iv->nr_replay )
        {
            iv->replay[iv->nr_replay++] = *p;
            iv->replay_pos++;
        }
        return IOREQ_DONE;
    }
    if ( ioreq_send_wait(s, v, p) )
        return IOREQ_UNCLAIMED; /* cannot happen for a running vCPU */
    v->ioreq.from_insn = true;
    return IOREQ_PENDING;
}

static ioreq_t make_req(uint8_t type, uint64_t addr, unsigned int size, bool write, uint64_t val)
{
    return (ioreq_t){
        .addr = addr,
        .data = write ? val : 0,
        .count = 1,
        .size = size,
        .type = type,
        .flags = write ? 0 : IOREQ_FLAG_DIR_READ,
    };
}

/* Before any request: an access this instruction already had answered
 * is replayed (DONE), and an invalidation the vCPU owes goes first
 * (PENDING). True, with *r, if either settled the access. */
static bool settled_first(struct vcpu *v, const ioreq_t *p, uint64_t *val, enum ioreq_result *r)
{
    if ( replayed(v, p, val) )
        *r = IOREQ_DONE;
    else if ( invalidate_first(v) )
        *r = IOREQ_PENDING;
    else
        return false;
    return true;
}

/* Send p to whoever routes claims; UNCLAIMED if nobody. */
static enum ioreq_result send_routed(struct vcpu *v, const ioreq_t *p, uint32_t kind, uint64_t key,
                                     uint64_t *val)
{
    struct domain *d = v->domain;
    struct ioreq_server *s;
    enum ioreq_result r = IOREQ_UNCLAIMED;
    if ( settled_first(v, p, val, &r) )
        return r;
    spin_lock(&d->ioreq.lock);
    s = route(d, kind, key, kind == XEN_DMOP_IO_RANGE_PCI ? key : key + p->size - 1);
    if ( s )
        r = forward(s, v, p);
    spin_unlock(&d->ioreq.lock);
    return r;
}

/* 0xcf8 (a dword) latches the config address; 0xcfc-0xcff go to the
 * server claiming the latched SBDF. Only while some server claims PCI
 * devices: otherwise the ports stay the hole they were. */
static enum ioreq_result pci_config(struct vcpu *v, uint16_t port, unsigned int size, bool write,
                                    uint32_t *val)
{
    struct domain *d = v->domain;
    uint32_t cf8 = ACCESS_ONCE(d->ioreq.pci_cf8), sbdf, reg;
    uint64_t data = *val;
    enum ioreq_result r;
    ioreq_t p;
    if ( port == PCI_CF8 && size == 4 )
    {
        if ( write )
            ACCESS_ONCE(d->ioreq.pci_cf8) = *val;
        else
            *val = cf8;
        return IOREQ_DONE;
    }
    if ( port < PCI_CFC || port + size > PCI_CFC + 4 || !(cf8 & CF8_ENABLE) )
        return IOREQ_UNCLAIMED;
    sbdf = (cf8 >> 8) & 0xffff; /* segment 0: bus, device, function */
    reg = (cf8 & 0xfc) | (port & 3);
    p = make_req(IOREQ_TYPE_PCI_CONFIG, (uint64_t)sbdf << 32 | reg, size, write, *val);
    r = send_routed(v, &p, XEN_DMOP_IO_RANGE_PCI, sbdf, &data);
    if ( r == IOREQ_DONE && !write )
        *val = (uint32_t)data;
    return r;
}

static bool pci_window(uint16_t port, unsigned int size)
{
    return (port == PCI_CF8 && size == 4) || (port >= PCI_CFC && port <= PCI_CFC + 3);
}

/* Is [port, port + size) the PCI window, with no server claiming the
 * ports themselves and some server claiming PCI devices? */
static bool pci_routed(struct domain *d, uint16_t port, unsigned int size)
{
    bool yes;
    if ( !pci_window(port, size) )
        return false;
    spin_lock(&d->ioreq.lock);
    yes = any_pci_range(d) && !route(d, XEN_DMOP_IO_RANGE_PORT, port, port + size - 1);
    spin_unlock(&d->ioreq.lock);
    return yes;
}

enum ioreq_result ioreq_pio(struct vcpu *v, uint16_t port, unsigned int size, bool write,
                            uint32_t *val)
{
    ioreq_t p = make_req(IOREQ_TYPE_PIO, port, size, write, *val);
    uint64_t data = *val;
    enum ioreq_result r;
    if ( !ACCESS_ONCE(v->domain->ioreq.nr_servers) )
        return IOREQ_UNCLAIMED;
    if ( pci_routed(v->domain, port, size) )
        return pci_config(v, port, size, write, val);
    r = send_routed(v, &p, XEN_DMOP_IO_RANGE_PORT, port, &data);
    if ( r == IOREQ_DONE && !write )
        *val = (uint32_t)data;
    return r;
}

/* Writes to a p2m_ioreq_server page go to the type's owner, if any. */
static enum ioreq_result memtype_write(struct vcpu *v, const ioreq_t *p, uint64_t *val)
{
    struct domain *d = v->domain;
    struct ioreq_server *s;
    enum ioreq_result r = IOREQ_UNCLAIMED;
    if ( settled_first(v, p, val, &r) )
        return r;
    spin_lock(&d->ioreq.lock);
    s = d->ioreq.memtype_owner ? ioreq_server_find(d, d->ioreq.memtype_owner - 1) : NULL;
    if ( s && s->enabled && (d->ioreq.memtype_flags & XEN_DMOP_IOREQ_MEM_ACCESS_WRITE) )
        r = forward(s, v, p);
    spin_unlock(&d->ioreq.lock);
    return r;
}

enum ioreq_result ioreq_mmio(struct vcpu *v, uint64_t gpa, unsigned int size, bool write,
                             uint64_t *val)
{
    ioreq_t p = make_req(IOREQ_TYPE_COPY, gpa, size, write, *val);
    p2m_type_t t = p2m_invalid;
    if ( !ACCESS_ONCE(v->domain->ioreq.nr_servers) )
        return IOREQ_UNCLAIMED;
    if ( (gpa >> PAGE_SHIFT) < P2M_GFN_LIMIT )
        p2m_lookup(&v->domain->p2m, _gfn(gpa >> PAGE_SHIFT), &t, NULL, NULL);
    if ( t == p2m_ioreq_server )
        return write ? memtype_write(v, &p, val) : IOREQ_UNCLAIMED;
    return send_routed(v, &p, XEN_DMOP_IO_RANGE_MEMORY, gpa, val);
}

/* Would ioreq_mmio send this access anywhere? Sends nothing: for an
 * arch that must refuse an access it cannot describe, but only where a
 * server would have received it. */
bool ioreq_mmio_claimed(struct vcpu *v, uint64_t gpa, unsigned int size, bool write)
{
    struct domain *d = v->domain;
    p2m_type_t t = p2m_invalid;
    bool yes;
    if ( !ACCESS_ONCE(d->ioreq.nr_servers) || !size )
        return false;
    if ( (gpa >> PAGE_SHIFT) < P2M_GFN_LIMIT )
        p2m_lookup(&d->p2m, _gfn(gpa >> PAGE_SHIFT), &t, NULL, NULL);
    spin_lock(&d->ioreq.lock);
    if ( t == p2m_ioreq_server )
        yes = write && d->ioreq.memtype_owner &&
              (d->ioreq.memtype_flags & XEN_DMOP_IOREQ_MEM_ACCESS_WRITE);
    else
        yes = route(d, XEN_DMOP_IO_RANGE_MEMORY, gpa, gpa + size - 1);
    spin_unlock(&d->ioreq.lock);
    return yes;
}

void ioreq_instruction_done(struct vcpu *v)
{
    v->ioreq.nr_replay = 0;
    v->ioreq.replay_pos = 0;
}
