/*
 * harness.h - the host unit-test harness.
 *
 * A test binary lists its cases in a table and calls run_tests(). Each case
 * prints exactly one line, "PASS name" or "FAIL name: reason". CHECK and
 * friends end the case at the first failure (by longjmp, so they work in
 * helpers too), and a panic() from hypervisor code fails the case instead
 * of the binary, unless the case expects it (EXPECT_PANIC).
 */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <stdint.h>
#include <stddef.h>
#include <setjmp.h>

struct test_case
{
    const char *name;
    void (*fn)(void);
};

int run_tests(const struct test_case *cases, size_t n);

/* Ends the running case with a FAIL line. */
__attribute__((noreturn, format(printf, 3, 4))) void test_fail(const char *file, int line,
                                                               const char *fmt, ...);

#define CHECK(c)                                     \
    do                                               \
    {                                                \
        if ( !(c) )                                  \
            test_fail(__FILE__, __LINE__, "%s", #c); \
    } while ( 0 )
#define CHECK_MSG(c, ...)                               \
    do                                                  \
    {                                                   \
        if ( !(c) )                                     \
            test_fail(__FILE__, __LINE__, __VA_ARGS__); \
    } while ( 0 )
#define CHECK_EQ(a, b)                                                                          \
    do                                                                                          \
    {                                                                                           \
        unsigned long long a_ = (unsigned long long)(a);                                        \
        unsigned long long b_ = (unsigned long long)(b);                                        \
        if ( a_ != b_ )                                                                         \
            test_fail(__FILE__, __LINE__, "%s == %#llx, expected %s == %#llx", #a, a_, #b, b_); \
    } while ( 0 )

/* Panic catching: the host panic() longjmps here while armed. */
extern jmp_buf *panic_catcher;
extern char panic_message[256];
/* The last printk() message. */
extern char printk_last[256];

/* Run stmt; fail the case unless it panics. */
#define EXPECT_PANIC(stmt)                                                    \
    do                                                                        \
    {                                                                         \
        jmp_buf jb_;                                                          \
        if ( !setjmp(jb_) )                                                   \
        {                                                                     \
            panic_catcher = &jb_;                                             \
            stmt;                                                             \
            panic_catcher = NULL;                                             \
            test_fail(__FILE__, __LINE__, "expected a panic from %s", #stmt); \
        }                                                                     \
        panic_catcher = NULL;                                                 \
    } while ( 0 )

/* A deterministic PRNG (xorshift64*) so a failing run can be replayed. */
void test_srand(uint64_t seed);
uint64_t test_rand(void);
uint64_t test_rand_below(uint64_t n);

#endif /* TESTS_HARNESS_H */
