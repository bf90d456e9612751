/*
 * harness.c - runs a table of test cases; see harness.h.
 */
#include "harness.h"

/* Tool tests (tools.mk) have no hypervisor and so no lock order to reset. */
#ifdef WREN_TOOLS_TEST
static void lock_order_reset(void)
{
}
#else
#include <xen/spinlock.h>
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

jmp_buf *panic_catcher;
char panic_message[256];

static jmp_buf case_end;
static char reason[512];
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(reason, sizeof(reason), "%s:%d: ", file, line);

    va_start(ap, fmt);
    vsnprintf(reason + n, sizeof(reason) - n, fmt, ap);
    va_end(ap);
    panic_catcher = NULL;
    longjmp(case_end, 1);
}

/* One case; a CHECK or panic inside it longjmps back here. */
static bool run_case(const struct test_case *c)
{
    /* A case that failed or panicked may have left locks recorded. */
    lock_order_reset();
    if ( setjmp(case_end) )
    {
        printf("FAIL %s: %s\n", c->name, reason);
        return false;
    }
    c->fn();
    printf("PASS %s\n", c->name);
    return true;
}

int run_tests(const struct test_case *cases, size_t n)
{
    size_t i;
    int failed = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for ( i = 0; i < n; i++ )
        failed += !run_case(&cases[i]);
    return failed ? 1 : 0;
}

void test_srand(uint64_t seed)
{
    rng_state = seed ? seed : 1;
}

uint64_t test_rand(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

uint64_t test_rand_below(uint64_t n)
{
    return n ? test_rand() % n : 0;
}
