/*
 * lock-order.c - the run-time lock-order checker of debug builds (and of
 * the host unit tests, which compile it unchanged).
 *
 * Each CPU keeps a stack of the locks it holds, with the call site that
 * took each. Taking a lock checks it against every held one under the
 * rules in xen/lock-order.h and panics naming both locks and both sites;
 * releasing removes it from wherever it sits in the stack. An interrupt
 * handler's locks go on the same stack, above whatever the interrupted
 * code holds: a lock taken in an interrupt must therefore come after
 * every lock taken with interrupts on, which is the order rule again.
 * The stack is only changed with interrupts off, so a handler's push and
 * pop cannot tear the interrupted code's.
 *
 * May not touch: the locks themselves (spinlock.h does the locking).
 */
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/smp.h>

#define LOCK_DEPTH_MAX 16

struct held_lock
{
    const spinlock_t *lock;
    const char *site;
};

struct lock_stack
{
    unsigned int depth;
    struct held_lock held[LOCK_DEPTH_MAX];
};

struct class_info
{
    const char *name;
    uint8_t nest;
    uint8_t irq;
};

#define LOCK_CLASS_INFO(n, nest_, irq_, what) [LOCK_##n] = { #n, nest_, irq_ },
static const struct class_info classes[NR_LOCK_CLASSES] = {
    [LOCK_unclassed] = { "unclassed", LOCK_NEST_NONE, LOCK_IRQ_NO }, LOCK_CLASSES(LOCK_CLASS_INFO)
};
#undef LOCK_CLASS_INFO

static struct lock_stack stacks[NR_CPUS];
/* Off once a violation is being reported: panic() takes locks too. */
static bool checking = true;

const char *lock_class_name(unsigned int class)
{
    return class < NR_LOCK_CLASSES ? classes[class].name : "bad-class";
}

static __noreturn void violation(const spinlock_t *l, const char *site, const struct held_lock *h,
                                 const char *why)
{
    checking = false;
    if ( h )
        panic("lock order: taking %s (%p) at %s while holding %s (%p, taken at %s): %s",
              lock_class_name(l->class), (const void *)l, site, lock_class_name(h->lock->class),
              (const void *)h->lock, h->site, why);
    panic("lock order: taking %s (%p) at %s: %s", lock_class_name(l->class), (const void *)l, site,
          why);
}

/* Why taking l is wrong while h is held, or NULL if it is fine. */
static const char *conflict(const spinlock_t *l, const struct held_lock *h)
{
    const spinlock_t *o = h->lock;

    if ( o == l )
        return "taken twice";
    if ( o->class < l->class )
        return NULL;
    if ( o->class > l->class )
        return "class out of order";
    if ( classes[l->class].nest != LOCK_NEST_ADDR )
        return "same class nested";
    return (uintptr_t)o < (uintptr_t)l ? NULL : "same class nested, higher address first";
}

static void check(const spinlock_t *l, const char *site, const struct lock_stack *s, bool irqs_off)
{
    if ( l->class == LOCK_unclassed || l->class >= NR_LOCK_CLASSES )
        violation(l, site, NULL, "lock has no class (spin_lock_init missed?)");
    if ( classes[l->class].irq == LOCK_IRQ && !irqs_off )
        violation(l, site, NULL, "interrupt-safe class taken with interrupts on");
    for ( unsigned int i = 0; i < s->depth; i++ )
    {
        const char *why = conflict(l, &s->held[i]);

        if ( why )
            violation(l, site, &s->held[i], why);
    }
}

void lock_order_acquire(const spinlock_t *l, const char *site, bool trylock)
{
    bool irqs_off = !arch_lock_irqs_enabled();
    unsigned long flags;
    struct lock_stack *s;

    if ( !checking )
        return;
    flags = arch_lock_irq_save();
    s = &stacks[arch_lock_cpu()];
    if ( !trylock )
        check(l, site, s, irqs_off);
    if ( s->depth == LOCK_DEPTH_MAX )
        violation(l, site, NULL, "too many locks held");
    s->held[s->depth++] = (struct held_lock){ l, site };
    arch_lock_irq_restore(flags);
}

void lock_order_release(const spinlock_t *l)
{
    unsigned long flags;
    struct lock_stack *s;
    unsigned int i;

    if ( !checking )
        return;
    flags = arch_lock_irq_save();
    s = &stacks[arch_lock_cpu()];
    for ( i = s->depth; i > 0 && s->held[i - 1].lock != l; i-- )
        continue;
    if ( !i )
    {
        checking = false;
        panic("lock order: releasing %s (%p), not held on CPU %u", lock_class_name(l->class),
              (const void *)l, arch_lock_cpu());
    }
    for ( ; i < s->depth; i++ )
        s->held[i - 1] = s->held[i];
    s->depth--;
    arch_lock_irq_restore(flags);
}

unsigned int lock_order_depth(void)
{
    return checking ? stacks[arch_lock_cpu()].depth : 0;
}

void lock_order_announce(void)
{
    printk("Lock-order checker on: %u classes, %s first, %s last\n", NR_LOCK_CLASSES - 1,
           lock_class_name(1), lock_class_name(NR_LOCK_CLASSES - 1));
}

void lock_order_stop(void)
{
    checking = false;
}

void lock_order_reset(void)
{
    for ( unsigned int c = 0; c < NR_CPUS; c++ )
        stacks[c].depth = 0;
    checking = true;
}
