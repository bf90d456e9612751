/*
 * sched.h - domains and vCPUs, and the scheduler that runs vCPUs on
 * physical CPUs: one round-robin run queue, preemption on the timer tick,
 * a vCPU that blocks or halts gives its CPU away.
 *
 * Lock order: xen/lock-order.h. A vCPU's run state changes only under the
 * scheduler lock.
 */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/p2m.h>
#include <xen/altp2m.h>
#include <xen/logdirty.h>
#include <xen/smp.h>
#include <xen/event.h>
#include <xen/time.h>
#include <xen/ratelimit.h>
#include <xen/ioreq.h>
#include <xen/mem_sharing.h>
#include <xen/vm_event.h>
#include <asm/vcpu_arch.h>
#include <public/xen.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/vcpu.h>

/* The most vCPUs an HVM domain can have (Xen's HVM_MAX_VCPUS): the ABI's
 * ceiling. The hypervisor's own limit per domain is the command line's
 * domain_max_vcpus= (default 32, at most this). There is no limit on the
 * number of domains but memory and the 15-bit domid. */
#define HVM_MAX_VCPUS 128

enum vcpu_state
{
    VCPU_OFFLINE,
    VCPU_RUNNABLE,
    VCPU_RUNNING,
    VCPU_BLOCKED
};

struct vcpu
{
    unsigned int vcpu_id;
    struct domain *domain;
    enum vcpu_state state; /* under the scheduler lock */
    int processor;         /* pCPU running it, or -1 */
    struct vcpu *next_in_queue;
    bool on_queue;
    bool is_up;                /* VCPUOP_up was done (or vCPU 0) */
    bool initialised;          /* has a register context */
    uint64_t exits;            /* for the debug domctl later */
    bool dirty_ring_stopped;   /* its dirty ring is full: not run until harvested */
    bool hcall_compat;         /* in a hypercall issued from 32-bit mode (xen/compat.h) */
    void *compat_xlat;         /* its translation area, made at the first one */
    struct evtchn_vcpu evtchn; /* VIRQ bindings, vcpu_info, FIFO queues */
    /* runstate.c: time in each RUNSTATE_* (under sched_lock), and the
     * guest-virtual address of the guest's copy (0: none). */
    struct vcpu_runstate_info runstate;
    uint64_t runstate_guest_va;
    struct vcpu_timers timers;     /* singleshot, periodic, poll timeout (time.c) */
    bool polling;                  /* in SCHEDOP_poll (schedule.c) */
    int32_t poll_port;             /* the one port it polls, or -1: any */
    struct ioreq_vcpu ioreq;       /* its request to an IOREQ server (ioreq_fwd.c) */
    struct vm_event_vcpu vm_event; /* waits for a mem_access answer (vm_event.c) */
    struct altp2m_vcpu altp2m;     /* its active view, #VE info page (altp2m.c) */
    struct vcpu_arch arch;         /* vendor state: VMCS or VMCB */
};

struct domain_console
{
    spinlock_t lock;
    char line[256];
    size_t len;
    struct ratelimit e9; /* port 0xE9 output (hvm/debugcon.c) */
    mfn_t ring_mfn;      /* hypervisor-served PV console ring */
    unsigned int ring_port;
};

typedef struct xen_e820_entry e820entry_t;
#define e820entry xen_e820_entry

/*
 * Lifetime: a domain is reference counted. The domain list holds one
 * reference; every hypercall that names a domain holds one for as long as
 * it uses it (domain_for_caller, domain_get_by_id: put_domain when done).
 * Destruction is a state: domain_destroy marks the domain dying, stops its
 * vCPUs, empties its p2m and gives back its RAM at once, and drops the
 * list's reference; the structure and what the hypervisor itself keeps for
 * it (vCPUs, tables, shared pages) go when the last reference does.
 */
struct domain
{
    domid_t domain_id;
    uint32_t refcnt; /* atomic; see above */
    bool is_privileged;
    bool is_dying;
    bool is_shutting_down;
    bool runstate_update_flag; /* VMASST_TYPE_runstate_update_flag */
    uint8_t shutdown_code;
    int pause_count;            /* every pause: the builder's and the controller's */
    int controller_pause_count; /* the domctl pauses among them: only these
                                     * may a domctl unpause */
    spinlock_t lock;
    struct domain *next_in_list;

    unsigned int max_vcpus;
    struct vcpu **vcpu;      /* vcpu_slots entries, NULL where none */
    unsigned int vcpu_slots; /* the most max_vcpus may reach */

    struct p2m_domain p2m;
    uint64_t ro_writes_dropped;      /* writes to ram_ro, r/o foreign maps skipped */
    uint64_t logdirty_faults;        /* first writes to ram_logdirty pages */
    bool ioreq_memtype_no_sweep;     /* test knob, WREN_P2M_IOREQ_NO_SWEEP */
    struct logdirty_domain logdirty; /* XEN_DOMCTL_shadow_op log-dirty */
    uint64_t max_pages;              /* XEN_DOMCTL_max_mem limit */
    uint64_t tot_pages;
    uint64_t ram_end_gfn;           /* one past the last RAM gfn given at build */
    unsigned int gpaddr_bits;       /* guest-physical address width */
    uint64_t gfn_limit;             /* no gfn at or above this is ever mapped */
    struct p2m_pool p2m_pool;       /* where this domain's p2m tables come from */
    struct p2m_changes p2m_changes; /* global type changes and type owners, for every table */
    struct altp2m_domain altp2m;    /* its altp2m views (altp2m.c) */

    /* The E820-style map the builder gave the guest (XENMEM_memory_map). */
    struct xen_e820_entry *memmap; /* nr_memmap entries, as many as the builder made */
    unsigned int nr_memmap;
    uint64_t tlb_flush_gen; /* bumped when cached translations must go */

    struct shared_info *shared_info;
    bool has_32bit_shinfo; /* its layout is the 32-bit one (xen/shared_layout.h) */
    gfn_t shared_info_gfn;
    uint64_t hvm_params[HVM_NR_PARAMS];
    struct domain_console console;
    struct evtchn_domain evtchn;
    struct grant_table *grant_table; /* common/grant_table.c's */
    uint32_t nr_pollers;             /* vCPUs in SCHEDOP_poll (atomic) */
    xen_domain_handle_t handle;      /* the toolstack's (createdomain, setdomainhandle) */
    struct domain_zombie *zombie;    /* zombie.c's record, ready for the destroy */
    struct ioreq_domain ioreq;       /* IOREQ servers serving it (ioreq.c) */
    struct vm_event_domain vm_event; /* its monitor ring, mem_access policy (vm_event.c) */
    uint32_t tsc_incarnation;        /* XEN_DOMCTL_settscinfo (tsc_info.c) */
    struct domain_time time;         /* its TSC and system time (domain_time.c) */

    /* Memory sharing: enabled, its reverse-map nodes (mem_sharing.c). */
    struct mem_sharing_domain sharing;
};

extern struct domain *domain_list;
extern spinlock_t domlist_lock;
extern struct domain *hardware_domain;

struct xen_domctl_getdomaininfo;
/* What XEN_DOMCTL_getdomaininfo says of d (domctl.c). */
void domain_fill_info(struct domain *d, struct xen_domctl_getdomaininfo *info);

/* zombie.c: a destroyed domain whose frames are still mapped elsewhere
 * keeps its id, dying, until they are freed. prepare at creation (the
 * record is allocated then), enter_if_held after the destroy's
 * relinquish, discard when the domain is freed. fill_info: is id a
 * zombie (and what getdomaininfo says of it)? holds_id: is id taken by
 * one? Both first forget the zombies whose frames are gone. */
int zombie_prepare(struct domain *d);
void zombie_enter_if_held(struct domain *d);
void zombie_discard(struct domain *d);
bool zombie_fill_info(domid_t id, struct xen_domctl_getdomaininfo *info);
/* The zombie with the lowest id >= from, for listing domains in order. */
bool zombie_next_info(domid_t from, struct xen_domctl_getdomaininfo *info);
bool zombie_holds_id(domid_t id);

/* Domains. Return 0 or -errno; created domains start paused once (by the
 * builder) so no vCPU runs before its context is set. */
int domain_create(domid_t id, bool privileged, unsigned int max_vcpus, struct domain **out);
/* A live domain by id, with a reference (put_domain it); NULL if none or
 * dying. */
struct domain *domain_get_by_id(domid_t id);
/* The live domain with the lowest id >= from, with a reference; NULL if
 * none. For walking the domains in id order. */
struct domain *domain_get_next(domid_t from);
/* Another reference on d (the caller already holds one). */
void get_domain(struct domain *d);
/* Drop a reference; the last one frees the domain. */
void put_domain(struct domain *d);
/* The domain a hypercall names, with a reference (put_domain it):
 * DOMID_SELF or the caller's own id is the caller; any other needs a
 * privileged caller (-EPERM), and must exist and not be dying (-ESRCH). */
int domain_for_caller(domid_t id, struct domain **out);
/* Is gfn a frame d may ever map? */
static inline bool domain_gfn_ok(const struct domain *d, uint64_t gfn)
{
    return gfn < d->gfn_limit;
}
void domain_pause(struct domain *d); /* returns when no vCPU runs */
void domain_unpause(struct domain *d);
/* The same for XEN_DOMCTL_pausedomain/unpausedomain: counted apart, so a
 * controller can never undo a pause it did not make. unpause: -EINVAL if
 * the controller has no pause outstanding. */
void domain_pause_by_controller(struct domain *d);
/* The pause d was created with becomes the controller's, for a domain the
 * toolstack builds (XEN_DOMCTL_createdomain): unpausedomain starts it. */
void domain_pause_is_controllers(struct domain *d);
/* The most vCPUs a domain may have (domain_max_vcpus=). */
unsigned int domain_vcpu_limit(void);
int domain_unpause_by_controller(struct domain *d);
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d, const char *why);
int domain_resume(struct domain *d); /* a suspended domain runs on */
/* -EINVAL if already dying; else d is dying when it returns. */
int domain_destroy(struct domain *d);
int domain_populate_ram(struct domain *d, uint64_t start_gfn, uint64_t nr_pages);
/* Allocate 2^order frames as d's RAM and map them at gfn (inside
 * gfn_limit and aligned: the caller checked). -EBUSY unless the range is
 * a hole, -ENOMEM over max_pages or out of memory or tables, -ESRCH if d
 * is dying; nothing changes on error. Takes d->lock. */
int domain_add_ram(struct domain *d, uint64_t gfn, unsigned int order);
/* Unmap one 4K frame of d's RAM at gfn and give it back. -EINVAL, with
 * nothing changed, unless gfn maps a frame allocated to d. Takes d->lock. */
int domain_remove_ram(struct domain *d, uint64_t gfn);
/* Size of d's p2m pool, for XEN_DOMCTL_set_paging_mempool_size. */
int domain_set_paging_pool(struct domain *d, uint64_t pages);
/* The toolstack's default pool for a domain of this size (Xen's libxl
 * rule: 1 MiB per vCPU and 8 KiB per MiB of RAM, in pages). */
uint64_t domain_default_paging_pool(uint64_t ram_pages, unsigned int vcpus);

/* vCPUs and the scheduler. */
struct vcpu *vcpu_create(struct domain *d, unsigned int id);
/* runstate.c: account v's run state after the scheduler changed it
 * (sched_lock held); reset at creation; refresh the guest's registered
 * copy as v (current) enters. */
void runstate_sync(struct vcpu *v);
extern spinlock_t sched_lock; /* schedule.c; see xen/lock-order.h */
void runstate_init(struct vcpu *v);
void runstate_guest_update(struct vcpu *v);
long vcpuop_get_runstate_info(struct vcpu *v, uint64_t arg);
long vcpuop_register_runstate_area(struct vcpu *v, uint64_t arg);
void vcpu_wake(struct vcpu *v);  /* blocked -> runnable */
void vcpu_block(struct vcpu *v); /* current vCPU sleeps until an event */
void vcpu_yield(void);
void vcpu_offline(struct vcpu *v);
void vcpu_online(struct vcpu *v); /* offline -> runnable (VCPUOP_up, a SIPI) */
bool vcpu_runnable(const struct vcpu *v);
void vcpu_sleep_sync(struct vcpu *v); /* wait until v is off every CPU */
void sched_kick_all(void);            /* let every CPU pick again */
void scheduler_init(void);
__noreturn void scheduler_loop(void);
void scheduler_tick(void);
/* SCHEDOP_poll: port became pending in d: end the polls that wait for it.
 * Called by the event path, any context, locks up to `virq` held. */
void sched_poll_notify(struct domain *d, unsigned int port);
/* SCHEDOP_poll: v's timeout passed (its timer handler). */
void sched_poll_timeout(struct vcpu *v);

#endif /* XEN_SCHED_H */
