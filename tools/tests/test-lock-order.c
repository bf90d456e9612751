/*
 * test-lock-order.c - the lock-order checker (xen/common/lock-order.c):
 * locks taken in the order of xen/lock-order.h pass; a wrong order, a
 * lock taken twice, two locks of one class (unless the class nests by
 * address, and then only upwards), an interrupt-safe class with
 * interrupts on, an unclassed lock and the release of a lock not held
 * all panic, naming both locks and both call sites. A trylock is not
 * checked but counts as held; locks may be released in any order. One
 * case takes a wrong order through real hypervisor code (the heap under
 * the page allocator's class).
 */
#include <xen/spinlock.h>
#include <xen/mm.h>
#include <xen/lib.h>

#include <string.h>

#include "arena.h"
#include "harness.h"

static spinlock_t dom = SPIN_LOCK_UNLOCKED(LOCK_domain);
static spinlock_t p2m = SPIN_LOCK_UNLOCKED(LOCK_p2m);
static spinlock_t p2m_b = SPIN_LOCK_UNLOCKED(LOCK_p2m);
static spinlock_t ld = SPIN_LOCK_UNLOCKED(LOCK_logdirty);
static spinlock_t pages = SPIN_LOCK_UNLOCKED(LOCK_page_alloc);
static spinlock_t cons = SPIN_LOCK_UNLOCKED(LOCK_console);
static spinlock_t evt[2] = { SPIN_LOCK_UNLOCKED(LOCK_evtchn), SPIN_LOCK_UNLOCKED(LOCK_evtchn) };

/* Host locks never spin: a case that panicked leaves its words set. */
static void fresh(void)
{
    spin_lock_init(&dom, LOCK_domain);
    spin_lock_init(&p2m, LOCK_p2m);
    spin_lock_init(&p2m_b, LOCK_p2m);
    spin_lock_init(&ld, LOCK_logdirty);
    spin_lock_init(&pages, LOCK_page_alloc);
    spin_lock_init(&cons, LOCK_console);
    spin_lock_init(&evt[0], LOCK_evtchn);
    spin_lock_init(&evt[1], LOCK_evtchn);
}

static void check_panic_names(const char *a, const char *b, const char *why)
{
    CHECK_MSG(strstr(panic_message, a), "panic does not name %s: %s", a, panic_message);
    CHECK_MSG(strstr(panic_message, b), "panic does not name %s: %s", b, panic_message);
    CHECK_MSG(strstr(panic_message, why), "panic does not say '%s': %s", why, panic_message);
}

static void test_in_order(void)
{
    unsigned long f;

    fresh();
    spin_lock(&dom);
    spin_lock(&p2m);
    spin_lock(&ld);
    spin_lock(&pages);
    f = spin_lock_irqsave(&cons);
    CHECK_EQ(lock_order_depth(), 5);
    spin_unlock_irqrestore(&cons, f);
    spin_unlock(&pages);
    spin_unlock(&ld);
    spin_unlock(&p2m);
    spin_unlock(&dom);
    CHECK_EQ(lock_order_depth(), 0);
}

/* The deliberate mistake: the page allocator's class, then the p2m's. */
static void test_wrong_order_caught(void)
{
    char held[64], taking[64];
    int line;

    fresh();
    line = __LINE__ + 1;
    spin_lock(&pages);
    EXPECT_PANIC(spin_lock(&p2m));
    check_panic_names("taking p2m", "holding page_alloc", "class out of order");
    /* Both call sites, file and line. */
    snprintf(taking, sizeof(taking), "test-lock-order.c:%d while", line + 1);
    snprintf(held, sizeof(held), "test-lock-order.c:%d)", line);
    check_panic_names(taking, held, "class out of order");
}

static void test_taken_twice(void)
{
    fresh();
    spin_lock(&p2m);
    EXPECT_PANIC(spin_lock(&p2m));
    check_panic_names("taking p2m", "holding p2m", "taken twice");
}

static void test_same_class_refused(void)
{
    fresh();
    spin_lock(&p2m);
    EXPECT_PANIC(spin_lock(&p2m_b));
    check_panic_names("taking p2m", "holding p2m", "same class nested");
}

static void test_nest_by_address(void)
{
    spinlock_t *lo = &evt[0], *hi = &evt[1];

    fresh();
    spin_lock(lo);
    spin_lock(hi);
    spin_unlock(lo);
    spin_unlock(hi);
    spin_lock(hi);
    EXPECT_PANIC(spin_lock(lo));
    check_panic_names("taking evtchn", "holding evtchn", "higher address first");
}

static void test_trylock_exempt_but_held(void)
{
    fresh();
    spin_lock(&pages);
    CHECK(spin_trylock(&p2m)); /* out of order, but never waits */
    spin_unlock(&pages);
    CHECK_EQ(lock_order_depth(), 1);
    EXPECT_PANIC(spin_lock(&dom)); /* the trylocked p2m counts */
    check_panic_names("taking domain", "holding p2m", "class out of order");
}

static void test_release_any_order(void)
{
    fresh();
    spin_lock(&dom);
    spin_lock(&p2m);
    spin_lock(&ld);
    spin_unlock(&dom);
    spin_unlock(&ld);
    CHECK_EQ(lock_order_depth(), 1);
    spin_lock(&pages); /* p2m still held: fine */
    spin_unlock(&pages);
    EXPECT_PANIC(spin_lock(&dom));
    check_panic_names("taking domain", "holding p2m", "class out of order");
}

static void test_release_not_held(void)
{
    fresh();
    EXPECT_PANIC(spin_unlock(&ld));
    check_panic_names("releasing logdirty", "not held", "CPU 0");
}

static void test_irq_class_needs_irqs_off(void)
{
    unsigned long f;

    fresh();
    f = spin_lock_irqsave(&cons);
    spin_unlock_irqrestore(&cons, f);
    EXPECT_PANIC(spin_lock(&cons));
    check_panic_names("taking console", "test-lock-order.c", "interrupts on");
}

static void test_unclassed(void)
{
    static spinlock_t zeroed;

    fresh();
    EXPECT_PANIC(spin_lock(&zeroed));
    check_panic_names("taking unclassed", "test-lock-order.c", "no class");
}

/* Real hypervisor code: xmalloc_lock comes before page_alloc's class. */
static void test_real_code_wrong_order(void)
{
    void *p;

    fresh();
    arena_setup(ARENA_DEFAULT_BASE, 1 << 20);
    p = xzalloc_bytes(32); /* in order: fine */
    CHECK(p != NULL);
    xfree(p);
    spin_lock(&pages);
    EXPECT_PANIC(xzalloc_bytes(32));
    check_panic_names("taking xmalloc", "holding page_alloc", "xmalloc.c:");
    arena_release();
}

int main(void)
{
    static const struct test_case cases[] = {
        { "lock_order.in_order", test_in_order },
        { "lock_order.wrong_order_caught", test_wrong_order_caught },
        { "lock_order.taken_twice", test_taken_twice },
        { "lock_order.same_class_refused", test_same_class_refused },
        { "lock_order.nest_by_address", test_nest_by_address },
        { "lock_order.trylock_exempt_but_held", test_trylock_exempt_but_held },
        { "lock_order.release_any_order", test_release_any_order },
        { "lock_order.release_not_held", test_release_not_held },
        { "lock_order.irq_class_needs_irqs_off", test_irq_class_needs_irqs_off },
        { "lock_order.unclassed", test_unclassed },
        { "lock_order.real_code_wrong_order", test_real_code_wrong_order },
    };

    return run_tests(cases, ARRAY_SIZE(cases));
}
