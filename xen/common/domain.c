/*
 * domain.c - creating, pausing, shutting down and destroying domains.
 *
 * A domain is created paused (pause_count 1) so the builder can fill it
 * before any vCPU runs. Shutdown stops the vCPUs and records the reason
 * for the controller; the hardware domain's shutdown ends the machine.
 * Destruction is a state (xen/sched.h, docs/designs/isolation.md): the
 * domain stops, its p2m is emptied and its RAM given back at once; the
 * structure goes with the last reference.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/time.h>
#include <xen/console.h>
#include <xen/param.h>
#include <xen/frame.h>
#include <xen/compat.h>
#include <xen/grant_table.h>
#include <asm/traps.h>
#include <xen/arch.h>
#include <public/sched.h>

struct domain *domain_list;
spinlock_t domlist_lock = SPIN_LOCK_UNLOCKED(LOCK_domlist);
struct domain *hardware_domain;

/* Wren never reboots the machine (an emulator restart would loop a test);
 * "noreboot" is accepted for Xen compatibility and is the only behaviour. */
static bool opt_noreboot = true;
boolean_param("noreboot", opt_noreboot);

/* How many vCPUs one domain may have (XEN_DOMCTL_max_vcpus and the
 * builder's vcpus= included), 1 to HVM_MAX_VCPUS. */
static uint64_t opt_domain_max_vcpus = 32;
integer_param("domain_max_vcpus", opt_domain_max_vcpus);

unsigned int domain_vcpu_limit(void)
{
    return (unsigned int)MAX(1, MIN(opt_domain_max_vcpus, (uint64_t)HVM_MAX_VCPUS));
}
extern spinlock_t sched_lock;

static void p2m_flush_hook(struct p2m_domain *p2m)
{
    struct domain *d = p2m->flush_arg;
    arch_flush_guest_tlbs(d);
}

/* The reference a foreign, grant or shared entry held goes with the
 * entry (a shared one leaves its frame's reverse map too). */
static void p2m_put_frame_hook(struct p2m_domain *p2m, gfn_t gfn, mfn_t m, p2m_type_t t)
{
    struct domain *d = p2m->owner; /* views share the host's hooks */

    msh_put_frame(&d->sharing, p2m->view, gfn_x(gfn), m, t);
}

/* RAM frames of the domain went: the mapcaches of its IOREQ servers
 * must hear of it before it runs on (p2m->lock held: flags only). */
static void p2m_ram_gone_hook(struct p2m_domain *p2m, uint64_t frames)
{
    ioreq_note_ram_gone(p2m->flush_arg); /* the domain, as for flushes */
}

/* Tables for a domain created before the toolstack sized its pool: enough
 * for the root's first levels and a little RAM. The builder sizes it for
 * the RAM it gives (domain_default_paging_pool). */
#define INITIAL_POOL_PAGES 16

uint64_t domain_default_paging_pool(uint64_t ram_pages, unsigned int vcpus)
{
    uint64_t ram_mib = ram_pages >> (20 - PAGE_SHIFT);
    uint64_t kib = 4 * (256 * (uint64_t)vcpus + 2 * ram_mib);

    return kib >> (PAGE_SHIFT - 10);
}

int domain_set_paging_pool(struct domain *d, uint64_t pages)
{
    return p2m_pool_resize(&d->p2m_pool, pages);
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = xzalloc(struct vcpu);
    if ( !v )
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->processor = -1;
    v->state = VCPU_OFFLINE;
    runstate_init(v);
    vcpu_timers_init(v);
    altp2m_vcpu_init(v);
    if ( arch_vcpu_create(v) )
    {
        xfree(v);
        return NULL;
    }
    d->vcpu[id] = v;
    return v;
}

static int domain_alloc_parts(struct domain *d, unsigned int max_vcpus)
{
    d->vcpu_slots = domain_vcpu_limit();
    d->vcpu = xzalloc_array(struct vcpu *, d->vcpu_slots);
    if ( !d->vcpu )
        return -ENOMEM;
    d->shared_info = alloc_page_zeroed();
    if ( !d->shared_info )
        return -ENOMEM;
    frame_share_with_guest(virt_to_mfn(d->shared_info), d->domain_id);
    p2m_pool_init(&d->p2m_pool);
    if ( p2m_pool_resize(&d->p2m_pool, INITIAL_POOL_PAGES) )
        return -ENOMEM;
    if ( p2m_init(&d->p2m, arch_p2m_ops()) )
        return -ENOMEM;
    p2m_changes_init(&d->p2m_changes);
    p2m_use_changes(&d->p2m, &d->p2m_changes);
    d->p2m.flush_tlbs = p2m_flush_hook;
    d->p2m.flush_arg = d;
    d->p2m.put_frame = p2m_put_frame_hook;
    d->p2m.ram_gone = p2m_ram_gone_hook;
    d->p2m.pool = &d->p2m_pool;
    mem_sharing_domain_create(d);
    altp2m_domain_init(d);
    for ( unsigned int i = 0; i < max_vcpus; i++ )
        if ( !vcpu_create(d, i) )
            return -ENOMEM;
    return 0;
}

/* What a dying domain gives up at once: its mappings (and the references
 * they held on other domains' frames) and its RAM. Safe while others
 * still hold references: the p2m stays, empty, and keeps its root. */
static void domain_relinquish(struct domain *d)
{
    for ( unsigned int i = 0; d->vcpu && i < d->vcpu_slots; i++ )
        if ( d->vcpu[i] )
            vcpu_timers_kill(d->vcpu[i]); /* no timer fires into a dying domain */
    logdirty_domain_destroy(d);           /* needs the vCPUs and the p2m */
    grant_table_relinquish(d);            /* its grant maps, before the p2m goes */
    altp2m_domain_destroy(d);             /* the views' references, before the host's */
    if ( d->p2m.ops )
        p2m_empty(&d->p2m);
    frames_release_owner(d->domain_id);
    d->tot_pages = 0;
}

/* The rest, when nobody holds a reference any more. The pages shared with
 * the domain (shared_info, console ring) are the hypervisor's references:
 * dropped here, they are freed unless a mapping elsewhere still holds one. */
static void domain_free_parts(struct domain *d)
{
    domain_relinquish(d);
    for ( unsigned int i = 0; d->vcpu && i < d->vcpu_slots; i++ )
    {
        if ( !d->vcpu[i] )
            continue;
        vcpu_timers_kill(d->vcpu[i]);
        arch_vcpu_destroy(d->vcpu[i]);
        compat_vcpu_destroy(d->vcpu[i]);
        xfree(d->vcpu[i]);
    }
    if ( d->p2m.ops )
        p2m_teardown(&d->p2m);
    p2m_pool_drain(&d->p2m_pool);
    if ( d->shared_info )
        frame_unshare(virt_to_mfn(d->shared_info));
    if ( mfn_valid_raw(d->console.ring_mfn) )
        frame_unshare(d->console.ring_mfn);
    xfree(d->vcpu);
    xfree(d->memmap);
    grant_table_free(d);
    evtchn_free(d);
    zombie_discard(d);
    xfree(d);
}

void get_domain(struct domain *d)
{
    uint32_t old = __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQ_REL);
    ASSERT(old > 0);
}

void put_domain(struct domain *d)
{
    if ( __atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL) == 0 )
        domain_free_parts(d);
}

static void domain_list_add(struct domain *d)
{
    struct domain **pp = &domain_list;
    unsigned long f = spin_lock_irqsave(&sched_lock);
    while ( *pp && (*pp)->domain_id < d->domain_id )
        pp = &(*pp)->next_in_list;
    d->next_in_list = *pp;
    *pp = d;
    spin_unlock_irqrestore(&sched_lock, f);
}

int domain_create(domid_t id, bool privileged, unsigned int max_vcpus, struct domain **out)
{
    struct domain *d;
    int rc;
    if ( !max_vcpus || max_vcpus > domain_vcpu_limit() )
    {
        printk(XENLOG_ERR "d%u: %u vCPUs asked for; the limit is %u (domain_max_vcpus=)\n", id,
               max_vcpus, domain_vcpu_limit());
        return -EINVAL;
    }
    d = domain_get_by_id(id);
    if ( d )
    {
        put_domain(d);
        return -EEXIST;
    }
    d = xzalloc(struct domain);
    if ( !d )
        return -ENOMEM;
    d->domain_id = id;
    d->refcnt = 1; /* the domain list's */
    d->gpaddr_bits = arch_gpaddr_bits();
    d->gfn_limit = 1ULL << (d->gpaddr_bits - PAGE_SHIFT);
    d->is_privileged = privileged;
    d->max_vcpus = max_vcpus;
    d->pause_count = 1;
    d->console.ring_mfn = INVALID_MFN;
    d->shared_info_gfn = INVALID_GFN;
    spin_lock_init(&d->lock, LOCK_domain);
    spin_lock_init(&d->console.lock, LOCK_guest_console);
    ioreq_domain_init(d);
    logdirty_domain_init(d);
    vm_event_domain_init(d);
    domain_time_init(d); /* before the vCPUs: their runstate clocks read it */
    rc = evtchn_init(d);
    if ( !rc )
        rc = zombie_prepare(d);
    if ( !rc )
        rc = grant_table_init(d);
    if ( !rc )
        rc = domain_alloc_parts(d, max_vcpus);
    if ( rc )
    {
        domain_free_parts(d);
        return rc;
    }
    time_domain_init(d);
    domain_list_add(d);
    if ( privileged && !hardware_domain )
        hardware_domain = d;
    *out = d;
    return 0;
}

/* The list is changed under sched_lock (the scheduler walks it), so it is
 * searched under it too; the reference is taken before the lock goes. */
struct domain *domain_get_by_id(domid_t id)
{
    struct domain *found = NULL;
    unsigned long f = spin_lock_irqsave(&sched_lock);
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id == id && !d->is_dying )
        {
            get_domain(d);
            found = d;
            break;
        }
    spin_unlock_irqrestore(&sched_lock, f);
    return found;
}

struct domain *domain_get_next(domid_t from)
{
    struct domain *found = NULL;
    unsigned long f = spin_lock_irqsave(&sched_lock);
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id >= from && !d->is_dying )
        {
            get_domain(d);
            found = d;
            break;
        }
    spin_unlock_irqrestore(&sched_lock, f);
    return found;
}

int domain_for_caller(domid_t id, struct domain **out)
{
    struct domain *self = current->domain;
    if ( id == DOMID_SELF || id == self->domain_id )
    {
        get_domain(self);
        *out = self;
        return 0;
    }
    if ( !self->is_privileged )
        return -EPERM;
    *out = domain_get_by_id(id);
    return *out ? 0 : -ESRCH;
}

static void domain_sleep_sync(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_sleep_sync(d->vcpu[i]);
}

void domain_pause(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    d->pause_count++;
    spin_unlock_irqrestore(&sched_lock, f);
    domain_sleep_sync(d);
}

void domain_unpause(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    ASSERT(d->pause_count > 0);
    d->pause_count--;
    spin_unlock_irqrestore(&sched_lock, f);
    sched_kick_all();
}

void domain_pause_is_controllers(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    ASSERT(d->pause_count > d->controller_pause_count);
    d->controller_pause_count++;
    spin_unlock_irqrestore(&sched_lock, f);
}

void domain_pause_by_controller(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    d->controller_pause_count++;
    d->pause_count++;
    spin_unlock_irqrestore(&sched_lock, f);
    domain_sleep_sync(d);
}

int domain_unpause_by_controller(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    bool ok = d->controller_pause_count > 0;
    if ( ok )
    {
        d->controller_pause_count--;
        d->pause_count--;
    }
    spin_unlock_irqrestore(&sched_lock, f);
    if ( ok )
        sched_kick_all();
    return ok ? 0 : -EINVAL;
}

/* As in Xen: the hardware domain hears of every shutdown and death
 * (VIRQ_DOM_EXC, global), so its toolstack can look. */
static void send_dom_exc(void)
{
    if ( hardware_domain )
        send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
}

static const char *shutdown_reason_name(unsigned int r)
{
    static const char *const names[] = {
        "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
    };
    return r < ARRAY_SIZE(names) ? names[r] : "unknown";
}

static void flush_all_consoles(void)
{
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        console_guest_flush(d);
}

static __noreturn void hardware_domain_shutdown(unsigned int reason)
{
    flush_all_consoles();
    printk("Hardware domain shut down (%s)\n", shutdown_reason_name(reason));
    if ( reason == SHUTDOWN_crash || reason == SHUTDOWN_watchdog )
        machine_exit_failure(EXIT_CODE_DOM0_CRASH);
    if ( reason == SHUTDOWN_reboot )
        printk("Reboot requested; 'noreboot' behaviour: powering off instead\n");
    machine_power_off();
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    bool first = !d->is_shutting_down;
    if ( first )
    {
        d->is_shutting_down = true;
        d->shutdown_code = (uint8_t)reason;
    }
    spin_unlock_irqrestore(&sched_lock, f);
    if ( !first )
        return;
    console_guest_flush(d);
    printk("Domain %u shut down: %s\n", d->domain_id, shutdown_reason_name(reason));
    if ( d == hardware_domain )
        hardware_domain_shutdown(reason);
    send_dom_exc();
    sched_kick_all();
}

/*
 * Undo a suspend (XEN_DOMCTL_resumedomain): a domain that shut itself
 * down with SHUTDOWN_suspend runs on from the instruction after its
 * SCHEDOP_shutdown. Any other shutdown is final here (-EINVAL): a crashed
 * or powered-off domain has nothing to resume, and a domain still running
 * needs nothing (0, as Xen). The toolstack decides what the guest's
 * hypercall returns (xc_domain_resume) before it calls this.
 */
int domain_resume(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    int rc = 0;
    if ( d->is_shutting_down && d->shutdown_code != SHUTDOWN_suspend )
        rc = -EINVAL;
    else if ( d->is_shutting_down )
        d->is_shutting_down = false;
    spin_unlock_irqrestore(&sched_lock, f);
    if ( !rc )
        sched_kick_all();
    return rc;
}

void domain_crash(struct domain *d, const char *why)
{
    printk(XENLOG_ERR "Domain %u crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}

/*
 * Dying is set under d->lock, which domain_add_ram also holds while it
 * checks it: no RAM is added to a domain after its RAM was given back.
 */
int domain_destroy(struct domain *d)
{
    struct domain **pp;
    unsigned long f;
    bool was_dying;
    spin_lock(&d->lock);
    was_dying = d->is_dying;
    d->is_dying = true;
    spin_unlock(&d->lock);
    if ( was_dying )
        return -EINVAL;
    domain_sleep_sync(d);
    ioreq_domain_destroy(d);    /* its servers, and those it runs for others */
    vm_event_domain_destroy(d); /* its ring and port, before the ports close */
    evtchn_close_all(d);
    f = spin_lock_irqsave(&sched_lock);
    for ( pp = &domain_list; *pp; pp = &(*pp)->next_in_list )
        if ( *pp == d )
        {
            *pp = d->next_in_list;
            break;
        }
    spin_unlock_irqrestore(&sched_lock, f);
    spin_lock(&d->lock);
    domain_relinquish(d);
    spin_unlock(&d->lock);
    zombie_enter_if_held(d);
    printk("Domain %u destroyed\n", d->domain_id);
    send_dom_exc();
    put_domain(d); /* the list's reference */
    return 0;
}

int domain_add_ram(struct domain *d, uint64_t gfn, unsigned int order)
{
    mfn_t m;
    int rc = 0;
    spin_lock(&d->lock);
    if ( d->is_dying )
        rc = -ESRCH;
    else if ( !p2m_range_types_in(&d->p2m, gfn, 1ULL << order, P2M_TYPE_BIT(p2m_invalid)) )
        rc = -EBUSY;
    else if ( d->tot_pages + (1ULL << order) > d->max_pages )
        rc = -ENOMEM;
    if ( rc )
        goto out;
    m = alloc_zeroed_pages(order);
    if ( !mfn_valid_raw(m) )
    {
        rc = -ENOMEM;
        goto out;
    }
    frames_assign(m, order, d->domain_id);
    rc = p2m_set_range(&d->p2m, _gfn(gfn), m, 1ULL << order, p2m_ram_rw, p2m_access_rwx);
    if ( rc )
    {
        /* Out of tables part way: take back the pieces already mapped. */
        p2m_set_range(&d->p2m, _gfn(gfn), INVALID_MFN, 1ULL << order, p2m_invalid, p2m_access_n);
        for ( uint64_t i = 0; i < (1ULL << order); i++ )
            frame_release(_mfn(mfn_x(m) + i));
        goto out;
    }
    d->tot_pages += 1ULL << order;
out:
    spin_unlock(&d->lock);
    return rc;
}

int domain_remove_ram(struct domain *d, uint64_t gfn)
{
    p2m_type_t t;
    mfn_t m;
    int rc = -EINVAL;
    spin_lock(&d->lock);
    m = p2m_lookup(&d->p2m, _gfn(gfn), &t, NULL, NULL);
    if ( p2m_is_ram(t) && t != p2m_ram_shared && frame_is_allocated_to(m, d->domain_id) )
    {
        rc =
            p2m_set_entry(&d->p2m, _gfn(gfn), INVALID_MFN, P2M_ORDER_4K, p2m_invalid, p2m_access_n);
        if ( !rc && frame_release(m) )
            d->tot_pages--;
    }
    spin_unlock(&d->lock);
    return rc;
}

/* The largest block to put at gfn: aligned there, no longer than what is
 * left, and at most a 2M superpage (larger blocks buy nothing in the p2m
 * and fragment the allocator). */
static unsigned int block_order(uint64_t gfn, uint64_t left)
{
    unsigned int order = P2M_ORDER_2M;
    while ( order && ((gfn & ((1ULL << order) - 1)) || (1ULL << order) > left) )
        order--;
    return order;
}

/* Give the domain nr_pages of RAM at start_gfn in as few naturally
 * aligned blocks as possible (2M-aligned ones become superpages). The
 * builder calls this before the toolstack could size the pool, so the
 * pool is first grown to the default for the domain's size. */
int domain_populate_ram(struct domain *d, uint64_t start_gfn, uint64_t nr_pages)
{
    uint64_t gfn = start_gfn, end = start_gfn + nr_pages;
    uint64_t pool = domain_default_paging_pool(d->tot_pages + nr_pages, d->max_vcpus);
    int rc;
    if ( end > d->gfn_limit || end < start_gfn )
        return -EINVAL;
    if ( pool > p2m_pool_size(&d->p2m_pool) && (rc = domain_set_paging_pool(d, pool)) )
        return rc;
    if ( d->max_pages < d->tot_pages + nr_pages )
        d->max_pages = d->tot_pages + nr_pages;
    while ( gfn < end )
    {
        unsigned int order = block_order(gfn, end - gfn);
        rc = domain_add_ram(d, gfn, order);
        if ( rc )
            return rc;
        gfn += 1ULL << order;
    }
    return 0;
}
