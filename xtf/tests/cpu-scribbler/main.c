/*
 * cpu-scribbler - helper domU for "cpu-isolation": loads its own values,
 * all carrying the mark 0x5c5c5c5c (or 0x5c5c), into every XSAVE
 * component CPUID offers, DR0-DR3/DR6/DR7 and the MSRs dom0 checks, and
 * alternates XCR0 between everything and x87|SSE, yielding in between,
 * for ever. Prints no verdict.
 */
#include <xtf.h>
#include <xtf/xstate.h>

const char test_title[] = "cpu-isolation helper: scribbler";

#define THEIRS 0x5c5c5c5c00000000ULL

static uint8_t img[XSAVE_MAX] __aligned(64);

static void fill_range(unsigned int off, unsigned int size, uint64_t tag)
{
    for ( unsigned int o = off; o + 8 <= off + size; o += 8 )
    {
        uint64_t q = tag | o;
        memcpy(img + o, &q, 8);
    }
}

static void make_image(uint64_t xmax)
{
    xsave(img, xmax);
    fill_range(XSAVE_XMM_OFFSET, XSAVE_XMM_SIZE, THEIRS);
    for ( unsigned int i = 2; i < 63; i++ )
    {
        struct cpuid_res r = cpuid_count(0xd, i);

        if ( xmax & (1ULL << i) )
            fill_range(r.b, r.a, THEIRS);
    }
    memcpy(img + XSAVE_HDR_OFFSET, &xmax, 8);
}

static void scribble_regs(bool rdtscp)
{
    write_dr0(0x00007fff5c5c0000ULL);
    write_dr1(0x00007fff5c5c1000ULL);
    write_dr2(0x00007fff5c5c2000ULL);
    write_dr3(0x00007fff5c5c3000ULL);
    write_dr6(0xffff0ffaULL);
    /* Breakpoint types and lengths, LE and GE, but nothing armed: armed
     * breakpoints in these domUs crash QEMU 7.2 (docs/platforms.md). */
    write_dr7(0x77770700ULL);
    write_cr2(0xffff80005c5c7000ULL);
    wrmsr(0xc0000081, 0x5c5c5c5c24681357ULL); /* STAR */
    wrmsr(0xc0000082, 0xffff80005c5c0000ULL); /* LSTAR */
    wrmsr(0xc0000083, 0xffff80005c5c1000ULL); /* CSTAR */
    wrmsr(0xc0000084, 0x5c5c0000ULL);         /* SFMASK */
    wrmsr(0xc0000102, 0xffff80005c5c2000ULL); /* KERNEL_GS_BASE */
    wrmsr(0x174, 0x5c58ULL);                  /* SYSENTER_CS */
    wrmsr(0x175, 0xffff80005c5c3000ULL);      /* SYSENTER_ESP */
    wrmsr(0x176, 0xffff80005c5c4000ULL);      /* SYSENTER_EIP */
    wrmsr(0xc0000100, 0xffff80005c5c5000ULL); /* FS_BASE */
    wrmsr(0xc0000101, 0xffff80005c5c6000ULL); /* GS_BASE */
    if ( rdtscp )
        wrmsr(0xc0000103, 0x5c5c0001ULL); /* TSC_AUX */
}

void test_main(void)
{
    uint64_t xmax = xcr0_offered();
    bool rdtscp = cpuid(0x80000001).d & CPUID81_EDX_RDTSCP;

    if ( !xmax )
        xtf_shutdown(0);
    enable_xsave();
    xsetbv_safe(0, xmax);
    make_image(xmax);
    for ( unsigned long round = 0;; round++ )
    {
        xsetbv_safe(0, xmax);
        xrstor(img, xmax);
        if ( round & 1 )
            xsetbv_safe(0, XSTATE_X87 | XSTATE_SSE);
        scribble_regs(rdtscp);
        hypercall_yield();
    }
}
