/*
 * zombie.c - destroyed domains whose frames are still mapped elsewhere
 * (Xen's zombies). A domain destroyed while another domain's foreign
 * mapping still holds one of its frames gives back everything else at
 * once (docs/designs/isolation.md, section 3), but its id stays taken and
 * getdomaininfo shows it dying until the last such frame is freed.
 *
 * A zombie is a small record made with the domain (so the destroy path
 * allocates nothing) and kept on its own list under domlist_lock; it is
 * reaped lazily, when someone asks about it or about a free id, by
 * counting the frames the frame table still gives its id. May not touch:
 * the frames themselves (their references are the mappings').
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <public/domctl.h>

struct domain_zombie
{
    domid_t id;
    uint8_t shutdown_code;
    bool shut_down;
    xen_domain_handle_t handle;
    struct domain_zombie *next;
};

static struct domain_zombie *zombies; /* under domlist_lock */

int zombie_prepare(struct domain *d)
{
    d->zombie = xzalloc(struct domain_zombie);
    return d->zombie ? 0 : -ENOMEM;
}

void zombie_discard(struct domain *d)
{
    xfree(d->zombie);
    d->zombie = NULL;
}

/* After d's relinquish: does anything still hold one of its frames? */
void zombie_enter_if_held(struct domain *d)
{
    struct domain_zombie *z = d->zombie;
    if ( !z || !frames_count_orphans(d->domain_id) )
        return;
    d->zombie = NULL;
    z->id = d->domain_id;
    z->shut_down = d->is_shutting_down;
    z->shutdown_code = d->shutdown_code;
    memcpy(z->handle, d->handle, sizeof(z->handle));
    spin_lock(&domlist_lock);
    z->next = zombies;
    zombies = z;
    spin_unlock(&domlist_lock);
    printk("d%u: dying, frames still mapped elsewhere\n", z->id);
}

/* Forget the zombies whose last frame went. */
static void reap(void)
{
    struct domain_zombie **pp = &zombies, *gone = NULL;
    spin_lock(&domlist_lock);
    while ( *pp )
    {
        struct domain_zombie *z = *pp;
        if ( frames_count_orphans(z->id) )
        {
            pp = &z->next;
            continue;
        }
        *pp = z->next;
        z->next = gone;
        gone = z;
    }
    spin_unlock(&domlist_lock);
    while ( gone )
    {
        struct domain_zombie *z = gone;
        gone = z->next;
        xfree(z);
    }
}

static void fill(const struct domain_zombie *z, struct xen_domctl_getdomaininfo *info)
{
    memset(info, 0, sizeof(*info));
    info->domain = z->id;
    info->flags = XEN_DOMINF_dying | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap;
    if ( z->shut_down )
        info->flags |=
            XEN_DOMINF_shutdown | ((uint32_t)z->shutdown_code << XEN_DOMINF_shutdownshift);
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    memcpy(info->handle, z->handle, sizeof(info->handle));
}

bool zombie_next_info(domid_t from, struct xen_domctl_getdomaininfo *info)
{
    const struct domain_zombie *best = NULL;
    reap();
    spin_lock(&domlist_lock);
    for ( const struct domain_zombie *z = zombies; z; z = z->next )
        if ( z->id >= from && (!best || z->id < best->id) )
            best = z;
    if ( best )
        fill(best, info);
    spin_unlock(&domlist_lock);
    if ( best )
        info->tot_pages = frames_count_orphans(info->domain); /* racy, as any count */
    return best;
}

bool zombie_fill_info(domid_t id, struct xen_domctl_getdomaininfo *info)
{
    return zombie_next_info(id, info) && info->domain == id;
}

bool zombie_holds_id(domid_t id)
{
    struct xen_domctl_getdomaininfo info;
    return zombie_fill_info(id, &info);
}
