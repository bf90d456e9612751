/*
 * mailbox.c - both sides of the mailbox (include/xtf/mailbox.h): the
 * controller's calls, and the target's serving loop.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>

xtf_mb_t *xtf_mb_attach(domid_t target, uint64_t local_gfn)
{
    xtf_mb_t *mb = (xtf_mb_t *)(uintptr_t)(local_gfn << PAGE_SHIFT);
    long rc;

    if ( xtf_ram_end() > (local_gfn << PAGE_SHIFT) )
    {
        printf("mailbox: local frame %#lx is inside our RAM\n", (unsigned long)local_gfn);
        return NULL;
    }
    rc = xtf_map_foreign(target, XTF_MAILBOX_GPA >> PAGE_SHIFT, local_gfn);
    if ( rc )
    {
        printf("mailbox: mapping d%u gfn %#lx at %#lx: %ld\n", target,
               XTF_MAILBOX_GPA >> PAGE_SHIFT, (unsigned long)local_gfn, rc);
        return NULL;
    }
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        struct xen_domctl_getdomaininfo info;

        if ( mb->magic == XTF_MB_MAGIC )
        {
            smp_rmb();
            return mb;
        }
        if ( !(i % 64) && (xtf_getdomaininfo(target, &info) || (info.flags & XEN_DOMINF_shutdown)) )
            break;
        hypercall_yield();
    }
    printf("mailbox: d%u never started serving\n", target);
    return NULL;
}

bool xtf_mb_target_gone(xtf_mb_t *mb, unsigned int *reason)
{
    struct xen_domctl_getdomaininfo info;

    if ( xtf_getdomaininfo((domid_t)mb->domid, &info) )
    {
        if ( reason )
            *reason = ~0U;
        return true;
    }
    if ( reason )
        *reason = XEN_DOMINF_SHUTDOWN_REASON(info.flags);
    return info.flags & XEN_DOMINF_shutdown;
}

long xtf_mb_call_idle(xtf_mb_t *mb, uint32_t op, uint32_t nr, bool (*work)(void *arg), void *arg)
{
    uint32_t seq = mb->seq + 1;

    mb->op = op;
    mb->nr = nr;
    mb->result = -XEN_ETIMEDOUT;
    smp_wmb();
    mb->seq = seq;
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        bool busy = work && work(arg);

        if ( mb->ack == seq )
        {
            smp_rmb();
            return mb->result;
        }
        if ( !(i % 64) && xtf_mb_target_gone(mb, NULL) )
            return mb->ack == seq ? mb->result : -XEN_ESRCH;
        if ( !busy )
            hypercall_yield();
    }
    return -XEN_ETIMEDOUT;
}

long xtf_mb_call(xtf_mb_t *mb, uint32_t op, uint32_t nr)
{
    return xtf_mb_call_idle(mb, op, nr, NULL, NULL);
}

long xtf_mb_settle(xtf_mb_t *mb)
{
    uint64_t start = mb->idle_rounds;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( mb->idle_rounds >= start + 2 )
            return 0;
        if ( !(i % 64) && xtf_mb_target_gone(mb, NULL) )
            return -XEN_ESRCH;
        hypercall_yield();
    }
    return -XEN_ETIMEDOUT;
}

void xtf_mb_report(xtf_mb_t *mb, const char *what, long rc)
{
    unsigned int reason;

    if ( xtf_mb_target_gone(mb, &reason) )
        xtf_failure("%s: d%u shut down (%s) instead of answering", what, mb->domid,
                    xtf_shutdown_name(reason));
    else
        xtf_error("%s: d%u answered %ld", what, mb->domid, rc);
}

__attribute__((noreturn)) void xtf_mb_serve(long (*serve)(uint32_t op, uint32_t nr))
{
    xtf_mb_t *mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
    uint32_t last = 0;

    if ( !xtf_is_ram(XTF_MAILBOX_GPA, PAGE_SIZE) )
    {
        printf("mailbox %#lx is not RAM in my memory map\n", XTF_MAILBOX_GPA);
        xtf_shutdown(SHUTDOWN_crash);
    }
    mb->seq = mb->ack = 0;
    mb->ram_end = xtf_ram_end() & ~(uint64_t)(PAGE_SIZE - 1);
    mb->domid = xtf_domid;
    smp_wmb();
    mb->magic = XTF_MB_MAGIC;
    printf("Serving the mailbox at %#lx, RAM up to %#lx\n", XTF_MAILBOX_GPA,
           (unsigned long)mb->ram_end);
    for ( ;; )
    {
        uint32_t seq = mb->seq, op;

        if ( seq == last )
        {
            hypercall_yield();
            mb->idle_rounds++;
            continue;
        }
        smp_rmb();
        last = seq;
        op = mb->op;
        mb->result = serve(op, mb->nr);
        smp_wmb();
        mb->ack = seq;
        if ( op == XTF_MB_EXIT )
            xtf_shutdown(SHUTDOWN_poweroff);
    }
}
