/*
 * domain.c - creating, pausing, shutting down and destroying domains.
 *
 * A domain is created paused (pause_count 1) so the builder can fill it
 * before any vCPU runs. Shutdown stops the vCPUs and records the reason
 * for the controller; the hardware domain's shutdown ends the machine.
 * Destruction frees everything the domain owns once no CPU runs it.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/console.h>
#include <xen/param.h>
#include <asm/hvm.h>
#include <asm/traps.h>
#include <asm/fpu.h>
#include <public/sched.h>

struct domain *domain_list;
spinlock_t domlist_lock = SPIN_LOCK_UNLOCKED(LOCK_domlist);
struct domain *hardware_domain;

/* Wren never reboots the machine (an emulator restart would loop a test);
 * "noreboot" is accepted for Xen compatibility and is the only behaviour. */
static bool opt_noreboot = true;
boolean_param("noreboot", opt_noreboot);
extern spinlock_t sched_lock;

static void p2m_flush_hook(struct p2m_domain *p2m)
{
    struct domain *d = p2m->flush_arg;
    hvm_vendor->flush_guest_tlbs(d);
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = xzalloc(struct vcpu);
    if (!v)
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->processor = -1;
    v->state = VCPU_OFFLINE;
    fpu_init_vcpu(v);
    if (hvm_vendor->vcpu_create(v)) {
        xfree(v);
        return NULL;
    }
    d->vcpu[id] = v;
    return v;
}

static int domain_alloc_parts(struct domain *d, unsigned int max_vcpus)
{
    d->shared_info = alloc_page_zeroed();
    if (!d->shared_info)
        return -ENOMEM;
    if (p2m_init(&d->p2m, hvm_vendor->p2m_ops))
        return -ENOMEM;
    d->p2m.flush_tlbs = p2m_flush_hook;
    d->p2m.flush_arg = d;
    for (unsigned int i = 0; i < max_vcpus; i++)
        if (!vcpu_create(d, i))
            return -ENOMEM;
    return 0;
}

static void domain_free_parts(struct domain *d)
{
    logdirty_domain_destroy(d);         /* needs the vCPUs and the p2m */
    for (unsigned int i = 0; i < MAX_VIRT_CPUS; i++) {
        if (!d->vcpu[i])
            continue;
        hvm_vendor->vcpu_destroy(d->vcpu[i]);
        xfree(d->vcpu[i]);
    }
    if (d->p2m.ops)
        p2m_teardown(&d->p2m);
    for (unsigned int i = 0; i < d->nr_extents; i++)
        free_pages(d->extents[i].mfn, d->extents[i].order);
    if (d->shared_info)
        free_page_ptr(d->shared_info);
    if (mfn_valid_raw(d->console.ring_mfn))
        free_pages(d->console.ring_mfn, 0);
    xfree(d);
}

static void domain_list_add(struct domain *d)
{
    struct domain **pp = &domain_list;
    unsigned long f = spin_lock_irqsave(&sched_lock);
    while (*pp && (*pp)->domain_id < d->domain_id)
        pp = &(*pp)->next_in_list;
    d->next_in_list = *pp;
    *pp = d;
    spin_unlock_irqrestore(&sched_lock, f);
}

int domain_create(domid_t id, bool privileged, unsigned int max_vcpus, struct domain **out)
{
    struct domain *d;
    int rc;
    if (!max_vcpus || max_vcpus > MAX_VIRT_CPUS)
        return -EINVAL;
    if (domain_by_id(id))
        return -EEXIST;
    d = xzalloc(struct domain);
    if (!d)
        return -ENOMEM;
    d->domain_id = id;
    d->is_privileged = privileged;
    d->max_vcpus = max_vcpus;
    d->pause_count = 1;
    d->console.ring_mfn = INVALID_MFN;
    d->shared_info_gfn = INVALID_GFN;
    spin_lock_init(&d->lock, LOCK_domain);
    spin_lock_init(&d->console.lock, LOCK_guest_console);
    logdirty_domain_init(d);
    rc = domain_alloc_parts(d, max_vcpus);
    if (rc) {
        domain_free_parts(d);
        return rc;
    }
    evtchn_init(d);
    domain_list_add(d);
    if (privileged && !hardware_domain)
        hardware_domain = d;
    *out = d;
    return 0;
}

struct domain *domain_by_id(domid_t id)
{
    for (struct domain *d = domain_list; d; d = d->next_in_list)
        if (d->domain_id == id && !d->is_dying)
            return d;
    return NULL;
}

int domain_for_caller(domid_t id, struct domain **out)
{
    struct domain *self = current->domain;
    if (id == DOMID_SELF || id == self->domain_id) {
        *out = self;
        return 0;
    }
    if (!self->is_privileged)
        return -EPERM;
    *out = domain_by_id(id);
    return *out ? 0 : -ESRCH;
}

static void domain_sleep_sync(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
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
    if (ok) {
        d->controller_pause_count--;
        d->pause_count--;
    }
    spin_unlock_irqrestore(&sched_lock, f);
    if (ok)
        sched_kick_all();
    return ok ? 0 : -EINVAL;
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
    for (struct domain *d = domain_list; d; d = d->next_in_list)
        console_guest_flush(d);
}

static __noreturn void hardware_domain_shutdown(unsigned int reason)
{
    flush_all_consoles();
    printk("Hardware domain shut down (%s)\n", shutdown_reason_name(reason));
    if (reason == SHUTDOWN_crash || reason == SHUTDOWN_watchdog)
        machine_exit_failure(EXIT_CODE_DOM0_CRASH);
    if (reason == SHUTDOWN_reboot)
        printk("Reboot requested; 'noreboot' behaviour: powering off instead\n");
    machine_power_off();
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    bool first = !d->is_shutting_down;
    if (first) {
        d->is_shutting_down = true;
        d->shutdown_code = (uint8_t)reason;
    }
    spin_unlock_irqrestore(&sched_lock, f);
    if (!first)
        return;
    console_guest_flush(d);
    printk("Domain %u shut down: %s\n", d->domain_id, shutdown_reason_name(reason));
    if (d == hardware_domain)
        hardware_domain_shutdown(reason);
    sched_kick_all();
}

void domain_crash(struct domain *d, const char *why)
{
    printk(XENLOG_ERR "Domain %u crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}

void domain_destroy(struct domain *d)
{
    struct domain **pp;
    unsigned long f;
    d->is_dying = true;
    domain_sleep_sync(d);
    evtchn_close_all(d);
    f = spin_lock_irqsave(&sched_lock);
    for (pp = &domain_list; *pp; pp = &(*pp)->next_in_list)
        if (*pp == d) {
            *pp = d->next_in_list;
            break;
        }
    spin_unlock_irqrestore(&sched_lock, f);
    printk("Domain %u destroyed\n", d->domain_id);
    domain_free_parts(d);
}

/* The largest block to put at gfn: aligned there, no longer than what is
 * left, and at most a 2M superpage (larger blocks buy nothing in the p2m
 * and fragment the allocator). */
static unsigned int block_order(uint64_t gfn, uint64_t left)
{
    unsigned int order = P2M_ORDER_2M;
    while (order && ((gfn & ((1ULL << order) - 1)) || (1ULL << order) > left))
        order--;
    return order;
}

/* Give the domain nr_pages of RAM at start_gfn in as few naturally
 * aligned blocks as possible: 2M-aligned ones become superpages, and the
 * extent list stays short. */
int domain_populate_ram(struct domain *d, uint64_t start_gfn, uint64_t nr_pages)
{
    uint64_t gfn = start_gfn, end = start_gfn + nr_pages;
    while (gfn < end) {
        unsigned int order = block_order(gfn, end - gfn);
        mfn_t m;
        int rc;
        if (d->nr_extents == MAX_EXTENTS)
            return -ENOMEM;
        m = alloc_zeroed_pages(order);
        if (!mfn_valid_raw(m))
            return -ENOMEM;
        d->extents[d->nr_extents++] = (struct mem_extent){ m, order };
        rc = p2m_set_range(&d->p2m, _gfn(gfn), m, 1ULL << order, p2m_ram_rw, p2m_access_rwx);
        if (rc)
            return rc;
        d->tot_pages += 1ULL << order;
        gfn += 1ULL << order;
    }
    return 0;
}

static int find_extent(const struct domain *d, mfn_t m)
{
    for (unsigned int i = 0; i < d->nr_extents; i++) {
        const struct mem_extent *e = &d->extents[i];
        if (mfn_x(m) >= mfn_x(e->mfn) && mfn_x(m) < mfn_x(e->mfn) + (1ULL << e->order))
            return (int)i;
    }
    return -1;
}

/*
 * Free one 4K frame the domain owns. Its extent is split buddy-wise down
 * to that frame (the other halves stay the domain's), so the allocator
 * always gets back exactly the naturally aligned blocks it handed out.
 */
int domain_release_frame(struct domain *d, mfn_t m)
{
    int i = find_extent(d, m);
    struct mem_extent e;
    if (i < 0)
        return -EINVAL;
    e = d->extents[i];
    if (d->nr_extents + e.order > MAX_EXTENTS)
        return -ENOMEM;
    while (e.order) {
        uint64_t half = 1ULL << (e.order - 1);
        bool upper = mfn_x(m) >= mfn_x(e.mfn) + half;
        struct mem_extent other = { _mfn(mfn_x(e.mfn) + (upper ? 0 : half)), e.order - 1 };
        d->extents[d->nr_extents++] = other;
        e = (struct mem_extent){ upper ? _mfn(mfn_x(e.mfn) + half) : e.mfn, e.order - 1 };
    }
    d->extents[i] = d->extents[--d->nr_extents];
    free_pages(m, 0);
    d->tot_pages--;
    return 0;
}
