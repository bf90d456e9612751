/*
 * mem_fork.c - VM fork's operations: XENMEM_sharing_op_fork makes a
 * paused, empty child (made by the toolstack with as many vCPUs as the
 * parent) into a fork of the parent; XENMEM_sharing_op_fork_reset throws
 * away what the child made its own. Xen's numbers, flags and errors
 * (public/memory.h); docs/designs/altp2m-sharing.md "Part fork".
 *
 * At fork the child gets: the parent's limits (max_pages, address width,
 * memory map, HVM parameters), a pool as large as the parent's, its own
 * shared_info with the parent's content at the parent's gfn, its own PV
 * console ring with the parent's content at the parent's ring gfn (a
 * fresh port), and the parent's vCPU state (HVM context records). It gets
 * no RAM entry: each is filled on the child's first touch
 * (mem_fork_fill.c). The parent stays paused while it has children: each
 * child holds one pause and one reference of it until the child is freed.
 *
 * Locks: the child's d->lock while its RAM changes (reset: through
 * domain_remove_ram); never two domains' locks at once.
 *
 * May not touch: the parent's memory or vCPUs (it only reads them, and
 * pauses it); sharing's reverse map (a reset removes only private RAM).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/console.h>
#include <xen/hvm_save.h>
#include <xen/mem_fork.h>
#include <public/memory.h>

/* Pool pages a fork call adds before it continues (-ERESTART). */
#define POOL_SLICE 256
/* 2M blocks of gfns with private RAM a fork_reset call empties before it
 * continues: few, so that even a small fork's reset continues (and is
 * tested); and blocks with none it may pass over in one call (a lookup
 * or two each: Arm's RAM starts at gfn 0x40000, 512 empty blocks up). */
#define RESET_BLOCKS      1
#define RESET_SCAN_BLOCKS 1024
#define BLOCK_GFNS        512

static const uint32_t reset_keeps = P2M_TYPE_BIT(p2m_invalid) | P2M_TYPE_BIT(p2m_ram_shared);

#define FORK_FLAGS  (XENMEM_FORK_WITH_IOMMU_ALLOWED | XENMEM_FORK_BLOCK_INTERRUPTS)
#define RESET_FLAGS (XENMEM_FORK_RESET_STATE | XENMEM_FORK_RESET_MEMORY)

/* ---- the parent link ---- */

/* The first fork call on cd links it to pd: a reference and a pause of
 * pd, held until cd is freed. A link to another parent is -EBUSY. */
static int fork_link(struct domain *cd, struct domain *pd)
{
    struct domain *none = NULL;

    get_domain(pd);
    if ( !__atomic_compare_exchange_n(&cd->fork.parent, &none, pd, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE) )
    {
        put_domain(pd);
        return none == pd ? 0 : -EBUSY; /* a continuation, or another fork */
    }
    domain_pause(pd);
    __atomic_add_fetch(&pd->fork.children, 1, __ATOMIC_ACQ_REL);
    return 0;
}

void mem_fork_domain_destroy(struct domain *d)
{
    struct domain *pd = __atomic_exchange_n(&d->fork.parent, NULL, __ATOMIC_ACQ_REL);

    d->fork.complete = false;
    if ( !pd )
        return;
    __atomic_sub_fetch(&pd->fork.children, 1, __ATOMIC_ACQ_REL);
    domain_unpause(pd); /* the last child's unpause lets it run */
    put_domain(pd);
}

/* ---- what the child takes from the parent ---- */

/* A pool as large as the parent's, grown a slice per call. */
static int fork_pool(struct domain *cd, struct domain *pd)
{
    uint64_t want = p2m_pool_size(&pd->p2m_pool), have = p2m_pool_size(&cd->p2m_pool);

    if ( have >= want )
        return 0;
    if ( p2m_pool_resize(&cd->p2m_pool, MIN(want, have + POOL_SLICE)) )
        return -ENOMEM;
    return have + POOL_SLICE < want ? -ERESTART : 0;
}

static int fork_limits(struct domain *cd, struct domain *pd)
{
    struct xen_e820_entry *map = NULL;

    if ( pd->nr_memmap )
    {
        map = xzalloc_array(struct xen_e820_entry, pd->nr_memmap);
        if ( !map )
            return -ENOMEM;
        memcpy(map, pd->memmap, pd->nr_memmap * sizeof(*map));
    }
    spin_lock(&cd->lock);
    xfree(cd->memmap);
    cd->memmap = map;
    cd->nr_memmap = pd->nr_memmap;
    cd->max_pages = pd->max_pages;
    cd->ram_end_gfn = pd->ram_end_gfn;
    cd->gpaddr_bits = pd->gpaddr_bits;
    cd->gfn_limit = pd->gfn_limit;
    cd->time = pd->time;
    cd->tsc_incarnation = pd->tsc_incarnation;
    spin_unlock(&cd->lock);
    return 0;
}

/* The child's own shared_info, with the parent's content, where the
 * parent has its own (Xen's copy_special_pages does the same). */
static int fork_shared_info(struct domain *cd, struct domain *pd)
{
    gfn_t g = pd->shared_info_gfn;
    int rc;

    memcpy(cd->shared_info, pd->shared_info, PAGE_SIZE);
    cd->has_32bit_shinfo = pd->has_32bit_shinfo;
    if ( gfn_x(g) >= P2M_GFN_LIMIT || gfn_eq(cd->shared_info_gfn, g) )
        return 0;
    rc = p2m_set_entry(&cd->p2m, g, virt_to_mfn(cd->shared_info), P2M_ORDER_4K, p2m_ram_rw,
                       p2m_access_rw);
    if ( !rc )
        cd->shared_info_gfn = g;
    return rc;
}

/* A fresh PV console ring at the parent's ring gfn, with its content
 * (indexes and unread output), served for the child. */
static int fork_console(struct domain *cd, struct domain *pd)
{
    uint64_t gfn = pd->hvm_params[HVM_PARAM_CONSOLE_PFN];
    int rc = 0;

    if ( !mfn_valid_raw(pd->console.ring_mfn) )
        return 0;
    if ( !mfn_valid_raw(cd->console.ring_mfn) )
        rc = console_ring_setup(cd, _gfn(gfn));
    if ( !rc )
        memcpy(mfn_to_virt(cd->console.ring_mfn), mfn_to_virt(pd->console.ring_mfn), PAGE_SIZE);
    return rc;
}

/* HVM parameters as the parent's, but the child's own console ones. */
static void fork_params(struct domain *cd, struct domain *pd)
{
    uint64_t pfn = cd->hvm_params[HVM_PARAM_CONSOLE_PFN];
    uint64_t port = cd->hvm_params[HVM_PARAM_CONSOLE_EVTCHN];

    memcpy(cd->hvm_params, pd->hvm_params, sizeof(cd->hvm_params));
    cd->hvm_params[HVM_PARAM_CONSOLE_PFN] = pfn;
    cd->hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = port;
}

/* Everything but memory: special pages and vCPU state (fork, and a
 * fork_reset with RESET_STATE). Both domains are paused. */
static int fork_state(struct domain *cd, struct domain *pd)
{
    int rc = fork_shared_info(cd, pd);

    if ( !rc )
        rc = fork_console(cd, pd);
    if ( !rc )
        fork_params(cd, pd);
    if ( !rc )
        rc = (int)hvm_context_copy(cd, pd);
    return rc;
}

/* ---- XENMEM_sharing_op_fork ---- */

/* The parent an op names, with a reference: Xen's checks. */
static int fork_parent(struct domain *cd, domid_t id, struct domain **out)
{
    struct domain *pd;

    if ( id == DOMID_SELF || id == current->domain->domain_id )
        return -EPERM;
    if ( id == cd->domain_id )
        return -EINVAL; /* a domain is not its own fork */
    pd = domain_get_by_id(id);
    if ( !pd )
        return -ESRCH;
    *out = pd;
    if ( pd->is_dying || pd->max_vcpus != cd->max_vcpus )
        return -EINVAL;
    if ( pd->fork.parent )
        return -EOPNOTSUPP; /* forks of forks are not offered */
    return 0;
}

/* The child: paused by the toolstack, no RAM, no children, not a fork
 * already done. */
static int fork_child_ok(struct domain *cd)
{
    if ( !ACCESS_ONCE(cd->controller_pause_count) )
        return -EBUSY; /* Xen's answer: the child must be paused */
    if ( cd->fork.complete || cd->tot_pages || ACCESS_ONCE(cd->fork.children) )
        return -EINVAL;
    return 0;
}

static long fork_run(struct domain *cd, struct domain *pd, uint16_t flags)
{
    int rc;

    if ( flags & XENMEM_FORK_BLOCK_INTERRUPTS )
        return -EOPNOTSUPP; /* not offered: the child gets what it is sent */
    rc = fork_link(cd, pd);
    if ( rc )
        return rc;
    rc = fork_pool(cd, pd);
    if ( !rc )
        rc = fork_limits(cd, pd);
    if ( !rc )
        rc = fork_state(cd, pd);
    if ( rc && rc != -ERESTART )
        mem_fork_domain_destroy(cd); /* the parent runs again */
    else if ( !rc )
    {
        cd->sharing.enabled = pd->sharing.enabled = true;
        cd->fork.entries_at_fork = cd->tot_pages; /* RAM entries made: none */
        cd->fork.complete = true;
        printk("d%u: forked from d%u (%lu RAM entries copied)\n", cd->domain_id, pd->domain_id,
               (unsigned long)cd->fork.entries_at_fork);
    }
    return rc;
}

static long fork_op(struct domain *cd, const struct mem_sharing_op_fork *f)
{
    struct domain *pd = NULL;
    long rc = -EINVAL;

    if ( f->pad || (f->flags & ~FORK_FLAGS) )
        return rc;
    rc = fork_parent(cd, f->parent_domain, &pd);
    if ( !rc )
        rc = fork_child_ok(cd);
    if ( !rc )
        rc = fork_run(cd, pd, f->flags);
    if ( pd )
        put_domain(pd);
    return rc;
}

/* ---- XENMEM_sharing_op_fork_reset ---- */

static bool block_has_private(struct domain *cd, uint64_t gfn)
{
    return !p2m_range_types_in(&cd->p2m, gfn, BLOCK_GFNS, reset_keeps);
}

/* Private RAM of the child in the block at gfn (512 gfns): removed and
 * freed. Shared entries stay: they show the parent's data. */
static uint64_t reset_block(struct domain *cd, uint64_t gfn)
{
    uint64_t freed = 0;

    for ( uint64_t g = gfn; g < gfn + BLOCK_GFNS; g++ )
    {
        p2m_type_t t;

        p2m_lookup(&cd->p2m, _gfn(g), &t, NULL, NULL);
        if ( (t == p2m_ram_rw || t == p2m_ram_logdirty) && !domain_remove_ram(cd, g) )
            freed++; /* shared_info and the console ring are not RAM: refused */
    }
    return freed;
}

/* A slice of blocks from the cursor; -ERESTART until the last. */
static int reset_memory(struct domain *cd)
{
    struct fork_domain *f = &cd->fork;
    uint64_t end = cd->p2m.max_mapped_gfn;

    for ( unsigned int n = 0, seen = 0;
          n < RESET_BLOCKS && seen < RESET_SCAN_BLOCKS && f->reset_cursor <= end; seen++ )
    {
        if ( block_has_private(cd, f->reset_cursor) )
        {
            f->reset_freed += reset_block(cd, f->reset_cursor);
            n++;
        }
        f->reset_cursor += BLOCK_GFNS;
    }
    f->reset_calls++;
    if ( f->reset_cursor <= end )
        return -ERESTART;
    f->last_reset_freed = f->reset_freed;
    f->last_reset_calls = f->reset_calls;
    f->reset_cursor = f->reset_freed = f->reset_calls = 0;
    return 0;
}

static long reset_op(struct domain *cd, const struct mem_sharing_op_fork *f)
{
    bool state = f->flags & XENMEM_FORK_RESET_STATE, memory = f->flags & XENMEM_FORK_RESET_MEMORY;
    struct domain *pd = ACCESS_ONCE(cd->fork.parent);
    int rc = 0;

    if ( f->pad || (f->flags & ~RESET_FLAGS) || !(state || memory) )
        return -EINVAL;
    if ( !pd || !cd->fork.complete )
        return -ENOSYS; /* Xen's answer for a domain that is not a fork */
    domain_pause(cd);
    if ( memory )
        rc = reset_memory(cd);
    if ( !rc && state )
        rc = fork_state(cd, pd);
    domain_unpause(cd);
    if ( rc )
        return rc;
    cd->fork.resets++;
    printk("d%u: fork reset: %lu private pages freed in %lu calls\n", cd->domain_id,
           (unsigned long)(memory ? cd->fork.last_reset_freed : 0),
           (unsigned long)(memory ? cd->fork.last_reset_calls : 0));
    return 0;
}

long mem_fork_memop(struct domain *d, struct xen_mem_sharing_op *mso)
{
    if ( mso->op == XENMEM_sharing_op_fork )
        return fork_op(d, &mso->u.fork);
    return reset_op(d, &mso->u.fork);
}
