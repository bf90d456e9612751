/*
 * selftest - the runtime checks itself before anyone trusts it.
 *
 * 1. Exceptions: provokes #UD, #GP, #DE and #PF through the exception
 *    table and checks the vector, error code (and CR2 for #PF) that the
 *    handler reports, and that execution resumes at the fixup. Page 0 and
 *    everything from 4 GiB up must be unmapped.
 * 2. Hypercalls: an unassigned number (60) must return -ENOSYS, and
 *    console_io from an address with no memory behind it (0xfff00000,
 *    mapped by our page tables but not backed in the p2m) must return
 *    -EFAULT, without harming the domain.
 * 3. printf formatting (lib/format.c as built for guests; the host's
 *    tools/tests/test-lib.c checks it far more widely) and the verdict
 *    ordering SUCCESS < SKIP < ERROR < FAILURE that every other test's
 *    result depends on.
 */
#include <xtf.h>
#include <public/version.h>

const char test_title[] = "Runtime self-test";

#define NONCANONICAL 0x8000000000000000ULL
#define ABOVE_4G     0x100000000ULL

static uint64_t probe_ud(void)
{
    uint64_t ex = 0;

    __asm__ volatile("1: ud2; 2:" _ASM_EXTABLE(1b, 2b) : "+a"(ex)::"memory");
    return ex;
}

static uint64_t probe_gp(void)
{
    uint64_t ex = 0;

    __asm__ volatile("1: mov (%[p]), %%rcx; 2:" _ASM_EXTABLE(1b, 2b)
                     : "+a"(ex)
                     : [p] "r"(NONCANONICAL)
                     : "rcx", "memory");
    return ex;
}

static uint64_t probe_de(void)
{
    uint64_t ex = 0, hi = 0;

    __asm__ volatile("1: divq %[d]; 2:" _ASM_EXTABLE(1b, 2b) : "+a"(ex), "+d"(hi) : [d] "r"(0ULL));
    return ex;
}

static uint64_t probe_read(uint64_t va)
{
    uint64_t ex = 0;

    __asm__ volatile("1: mov (%[p]), %%rcx; 2:" _ASM_EXTABLE(1b, 2b)
                     : "+a"(ex)
                     : [p] "r"(va)
                     : "rcx", "memory");
    return ex;
}

static uint64_t probe_write(uint64_t va)
{
    uint64_t ex = 0;

    __asm__ volatile("1: movq $0, (%[p]); 2:" _ASM_EXTABLE(1b, 2b)
                     : "+a"(ex)
                     : [p] "r"(va)
                     : "memory");
    return ex;
}

static void expect_exc(const char *what, uint64_t got, uint64_t want)
{
    if ( got == want )
        printf("  %-28s -> %s, error code %#x: ok\n", what, exception_name(EXINFO_VEC(got)),
               EXINFO_EC(got));
    else if ( !(got & EXINFO_VALID) )
        xtf_failure("%s: no exception", what);
    else
        xtf_failure("%s: got %s ec %#x, expected %s ec %#x", what, exception_name(EXINFO_VEC(got)),
                    EXINFO_EC(got), exception_name(EXINFO_VEC(want)), EXINFO_EC(want));
}

static void expect_pf(const char *what, uint64_t got, uint64_t va, uint32_t ec)
{
    expect_exc(what, got, EXINFO(X86_EXC_PF, ec));
    if ( (got & EXINFO_VALID) && xtf_last_pf_cr2 != va )
        xtf_failure("%s: CR2 %#lx, expected %#lx", what, (unsigned long)xtf_last_pf_cr2,
                    (unsigned long)va);
}

static void test_exceptions(void)
{
    printf("Exceptions through the fixup table:\n");
    expect_exc("ud2", probe_ud(), EXINFO(X86_EXC_UD, 0));
    expect_exc("non-canonical load", probe_gp(), EXINFO(X86_EXC_GP, 0));
    expect_exc("divide by zero", probe_de(), EXINFO(X86_EXC_DE, 0));
    expect_pf("read of page 0", probe_read(0), 0, 0);
    expect_pf("read above 4 GiB", probe_read(ABOVE_4G), ABOVE_4G, 0);
    expect_pf("write above 4 GiB", probe_write(ABOVE_4G + 8), ABOVE_4G + 8, X86_PFEC_WRITE);
}

static void expect_rc(const char *what, long got, long want)
{
    if ( got == want )
        printf("  %-28s -> %ld: ok\n", what, got);
    else
        xtf_failure("%s returned %ld, expected %ld", what, got, want);
}

static void test_hypercalls(void)
{
    long v;

    printf("Hypercall error paths:\n");
    expect_rc("hypercall 60", xtf_hypercall(60, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    expect_rc("console_io from 0xfff00000",
              hypercall_console_io(CONSOLEIO_write, 16, (const void *)0xfff00000UL), -XEN_EFAULT);

    v = hypercall_xen_version(XENVER_version, NULL);
    if ( v != (long)xtf_xen_version )
        xtf_failure("xen_version changed to %#lx after the bad calls", v);
}

static void check_fmt(const char *want, const char *fmt, ...)
{
    char buf[96];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if ( strcmp(buf, want) )
        xtf_failure("printf(\"%s\") gave \"%s\", expected \"%s\"", fmt, buf, want);
}

static void test_printf(void)
{
    char small[4];

    check_fmt("  -42|ab  |0000beef", "%5d|%-4s|%08x", -42, "ab", 0xbeef);
    check_fmt("0xffffffffffffffff|18446744073709551615", "%#lx|%llu", ~0UL, ~0ULL);
    check_fmt("c|4096|0x1000|%", "%c|%zu|%p|%%", 'c', (size_t)4096, (void *)0x1000);
    check_fmt("-9223372036854775808", "%lld", (long long)(1ULL << 63));
    check_fmt("0x0|ab|  x|+7|-0042", "%#x|%.2s|%3c|%+d|%05d", 0U, "abc", 'x', 7, -42);
    check_fmt("ff|0377|0XFF|(null)", "%hhx|%#o|%#X|%s", 0x1ff, 255U, 255U, (char *)NULL);
    if ( snprintf(small, sizeof(small), "%s", "truncate") != 8 || strcmp(small, "tru") )
        xtf_failure("snprintf truncation is wrong: \"%s\"", small);
}

static void test_verdict_order(void)
{
    static const enum xtf_result order[] = {
        XTF_NONE, XTF_SUCCESS, XTF_SKIP, XTF_ERROR, XTF_FAILURE,
    };

    for ( unsigned int i = 0; i < ARRAY_SIZE(order); i++ )
        for ( unsigned int j = 0; j < ARRAY_SIZE(order); j++ )
        {
            enum xtf_result want = order[i > j ? i : j];
            enum xtf_result got = xtf_result_merge(order[i], order[j]);

            if ( got != want )
                xtf_failure("%s then %s gives %s, expected %s", xtf_result_name(order[i]),
                            xtf_result_name(order[j]), xtf_result_name(got), xtf_result_name(want));
        }
}

void test_main(void)
{
    test_exceptions();
    test_hypercalls();
    test_printf();
    test_verdict_order();
    xtf_success(NULL);
}
