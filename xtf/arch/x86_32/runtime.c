/*
 * runtime.c - the 32-bit XTF runtime: finds the hypervisor by CPUID,
 * installs the hypercall page, prints through console_io, collects the
 * verdict and ends the domain with SCHEDOP_shutdown(poweroff).
 *
 * Everything here runs in 32-bit protected mode with paging off, so a
 * pointer is a guest-physical address and every hypercall is a compat
 * one. Guest code: touches nothing but this kernel's own memory.
 */
#include "xtf32.h"
#include <public/sched.h>
#include <public/arch-x86/cpuid.h>

enum result
{
    R_NONE,
    R_SUCCESS,
    R_SKIP,
    R_ERROR,
    R_FAILURE,
};

const struct hvm_start_info *xtf32_start_info;
static bool have_xen;
static enum result verdict = R_NONE;

void xtf32_start(const struct hvm_start_info *si);

long hypercall32(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    long ret;
    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
                     : [stub] "r"(hypercall_page + nr * 32)
                     : "memory");
    return ret;
}

static void console_write(const char *s, size_t n)
{
    if ( have_xen )
    {
        hc32_3(console_io, CONSOLEIO_write, n, PTR(s));
        return;
    }
    while ( n-- )
        __asm__ volatile("outb %0, $0xe9" ::"a"(*s++));
}

void printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

static void report(enum result r, const char *what, const char *fmt, va_list ap)
{
    char buf[200];
    if ( r > verdict )
        verdict = r;
    if ( !fmt )
        return;
    vsnprintf(buf, sizeof(buf), fmt, ap);
    if ( buf[0] )
        printf("%s%s\n", what, buf);
}

#define REPORTER(name, r, what)     \
    void name(const char *fmt, ...) \
    {                               \
        va_list ap;                 \
        va_start(ap, fmt);          \
        report(r, what, fmt, ap);   \
        va_end(ap);                 \
    }
REPORTER(xtf_success, R_SUCCESS, "")
REPORTER(xtf_skip, R_SKIP, "Skip: ")
REPORTER(xtf_error, R_ERROR, "Error: ")
REPORTER(xtf_failure, R_FAILURE, "Failure: ")

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

/* The Xen leaves, and the hypercall page through the MSR they name. */
static bool find_xen(void)
{
    for ( uint32_t base = 0x40000000; base < 0x40010000; base += 0x100 )
    {
        uint32_t a, sig[3];
        cpuid(base, &a, &sig[0], &sig[1], &sig[2]);
        if ( memcmp(sig, "XenVMMXenVMM", 12) || a < base + 2 )
            continue;
        cpuid(base + 2, &a, &sig[0], &sig[1], &sig[2]);
        __asm__ volatile("wrmsr" ::"c"(sig[0]), "a"(PTR(hypercall_page)), "d"(0));
        return true;
    }
    return false;
}

static const char *verdict_name(enum result r)
{
    static const char *const names[] = { "ERROR", "SUCCESS", "SKIP", "ERROR", "FAILURE" };
    return names[r];
}

void xtf32_start(const struct hvm_start_info *si)
{
    struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };
    xtf32_start_info = si;
    have_xen = find_xen();
    printf("--- Xen Test Framework (32-bit) ---\n");
    if ( !have_xen )
    {
        printf("Error: no hypervisor found\nTest result: ERROR\n");
        __asm__ volatile("outb %0, $0xf4" ::"a"((uint8_t)1));
        return;
    }
    printf("%s\n", test_title);
    test_main();
    printf("Test result: %s\n", verdict_name(verdict));
    hc32_2(sched_op, SCHEDOP_shutdown, PTR(&sd));
}

/*
 * 64-bit unsigned division for lib/'s formatter: i386 has no instruction
 * for it and these kernels link without libgcc. Shift and subtract.
 */
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    for ( int i = 63; i >= 0; i-- )
    {
        r = (r << 1) | ((n >> i) & 1);
        if ( r >= d )
        {
            r -= d;
            q |= 1ULL << i;
        }
    }
    if ( rem )
        *rem = r;
    return q;
}
