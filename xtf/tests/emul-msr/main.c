/*
 * emul-msr - the MSRs Xen virtualises for an HVM guest read and write
 * as on Xen, with #GP exactly where Xen gives one:
 *  - CPUID.1:EDX advertises MCE, MTRR, MCA and PAT, and hides, as Xen
 *    does, the features whose MSRs nothing emulates (PSN, DS, ACPI, TM,
 *    PBE; DTES64, DS-CPL, EST, TM2, CNXT-ID, SDBG, xTPR, PDCM, DCA) and
 *    the performance-monitoring leaf 0xA;
 *  - MTRRcap is 0x508 (8 variable ranges, fixed ranges, WC) and
 *    read-only; MTRR_DEF_TYPE starts at 0x806 (enabled, WB, as Xen's
 *    toolstack sets it for PVH) and takes valid values, not reserved
 *    bits or types 2/3/7; PHYSBASE/PHYSMASK 0-7 round-trip, reserved bits
 *    and bits past MAXPHYADDR are #GP, pair 8 (past VCNT) is #GP; the
 *    fixed ranges take valid types only; all of it per vCPU state that
 *    reads back;
 *  - PAT starts at 0x0007040600070406, takes every valid type in every
 *    byte, and #GPs on types 2, 3, 8 and on a high bit;
 *  - DEBUGCTL takes LBR and BTF, #GPs on anything else;
 *  - MISC_ENABLE on Intel reads 0x801801 and takes only that value; on
 *    AMD it is #GP;
 *  - MCG_CAP has 2 banks (Intel: TES, SER and CMCI too), writes ignored,
 *    as Xen; MCG_STATUS round-trips; MCG_CTL reads 0, writes ignored;
 *    MC0/MC1 CTL read all-ones and ignore writes; STATUS, ADDR and MISC
 *    take only 0 (anything else #GP, as Xen: only a vMCE fills them);
 *    bank 5 reads 0, takes 0 and #GPs on anything else; Intel's MCi_CTL2
 *    of banks 0/1 round-trips;
 *  - the microcode revision MSR reads 0 and, on Intel, takes a write of 0;
 *  - unknown MSRs (0x1234, 0x4b564d00) are #GP for both read and write.
 */
#include <xtf.h>

const char test_title[] = "emulation: HVM MSRs as Xen virtualises them";

#define GP EXINFO(X86_EXC_GP, 0)

static bool is_intel;

/* RDMSR/WRMSR: 0, or the EXINFO of the fault they raised. */
static uint64_t rd(uint32_t msr, uint64_t *val)
{
    uint64_t rax = 0, rdx = 0, fault;

    __asm__ volatile(
        "xor %k[f], %k[f]; 1: rdmsr; jmp 3f; 2: mov %%rax, %[f]; 3:" _ASM_EXTABLE(1b, 2b)
        : "+a"(rax), "+d"(rdx), [f] "=&r"(fault)
        : "c"(msr)
        : "memory");
    *val = (rdx << 32) | (uint32_t)rax;
    return fault;
}

static uint64_t wr(uint32_t msr, uint64_t val)
{
    uint64_t rax = (uint32_t)val, fault;

    __asm__ volatile(
        "xor %k[f], %k[f]; 1: wrmsr; jmp 3f; 2: mov %%rax, %[f]; 3:" _ASM_EXTABLE(1b, 2b)
        : "+a"(rax), [f] "=&r"(fault)
        : "c"(msr), "d"((uint32_t)(val >> 32))
        : "memory");
    return fault;
}

static void expect_read(uint32_t msr, uint64_t want)
{
    uint64_t val = 0, f = rd(msr, &val);

    if ( f )
        xtf_failure("rdmsr %#x: fault %#lx, expected %#lx", msr, (unsigned long)f,
                    (unsigned long)want);
    else if ( val != want )
        xtf_failure("rdmsr %#x: %#lx, expected %#lx", msr, (unsigned long)val, (unsigned long)want);
}

static void expect_write_ok(uint32_t msr, uint64_t val, uint64_t readback)
{
    uint64_t f = wr(msr, val);

    if ( f )
        xtf_failure("wrmsr %#x <- %#lx: fault %#lx, expected none", msr, (unsigned long)val,
                    (unsigned long)f);
    else
        expect_read(msr, readback);
}

static void expect_rt(uint32_t msr, uint64_t val)
{
    expect_write_ok(msr, val, val);
}

static void expect_read_gp(uint32_t msr)
{
    uint64_t val, f = rd(msr, &val);

    if ( f != GP )
        xtf_failure("rdmsr %#x: fault %#lx (value %#lx), expected #GP", msr, (unsigned long)f,
                    (unsigned long)val);
}

/* A refused write leaves the old value. */
static void expect_write_gp(uint32_t msr, uint64_t val)
{
    uint64_t before = 0, after = 0, f;

    rd(msr, &before);
    f = wr(msr, val);
    rd(msr, &after);
    if ( f != GP )
        xtf_failure("wrmsr %#x <- %#lx: fault %#lx, expected #GP", msr, (unsigned long)val,
                    (unsigned long)f);
    else if ( after != before )
        xtf_failure("wrmsr %#x <- %#lx: #GP, but the value changed %#lx -> %#lx", msr,
                    (unsigned long)val, (unsigned long)before, (unsigned long)after);
}

static void test_cpuid(void)
{
    uint32_t d = cpuid(1).d, want = (1u << 7) | (1u << 12) | (1u << 14) | (1u << 16);

    uint32_t c = cpuid(1).c,
             d_hidden = (1u << 18) | (1u << 21) | (1u << 22) | (1u << 29) | (1u << 31);
    uint32_t c_hidden = (1u << 2) | (1u << 4) | (1u << 7) | (1u << 8) | (1u << 10) | (1u << 11) |
                        (1u << 14) | (1u << 15) | (1u << 18);
    struct cpuid_res pmu;

    if ( (d & want) != want )
        xtf_failure("CPUID.1:EDX %#x lacks MCE/MTRR/MCA/PAT (%#x)", d, want);
    if ( (d & d_hidden) || (c & c_hidden) )
        xtf_failure("CPUID.1 shows features without emulated MSRs: edx %#x ecx %#x", d & d_hidden,
                    c & c_hidden);
    if ( cpuid(0).a >= 0xa )
    {
        pmu = cpuid(0xa);
        if ( pmu.a || pmu.b || pmu.c || pmu.d )
            xtf_failure("CPUID.0xA offers a PMU: %#x %#x %#x %#x", pmu.a, pmu.b, pmu.c, pmu.d);
    }
}

static void test_mtrr(void)
{
    unsigned int maxphys = cpuid(0x80000008).a & 0xff;
    uint64_t high = 1ULL << maxphys;

    expect_read(0xfe, 0x508);
    expect_write_gp(0xfe, 0x508);
    expect_read(0x2ff, 0x806);
    expect_rt(0x2ff, 0xc00);       /* E, FE, UC */
    expect_rt(0x2ff, 0x801);       /* WC */
    expect_write_gp(0x2ff, 0x802); /* type 2 */
    expect_write_gp(0x2ff, 0x807); /* type 7 */
    expect_write_gp(0x2ff, 0x906); /* bit 8 */
    expect_write_gp(0x2ff, 0x1806);
    expect_rt(0x2ff, 0x806);
    for ( uint32_t n = 0; n < 8; n++ )
    {
        expect_rt(0x200 + 2 * n, 0x80000000ULL | (n == 3 ? 5 : 6));
        expect_rt(0x201 + 2 * n, ((high - 1) & ~0xfffULL & ~(n * 0x1000ULL)) | 0x800);
        expect_rt(0x201 + 2 * n, 0);
        expect_rt(0x200 + 2 * n, 0);
    }
    expect_write_gp(0x200, 0x80000003);    /* type 3 */
    expect_write_gp(0x200, 0x80000106);    /* bit 8 reserved */
    expect_write_gp(0x200, high | 6);      /* past MAXPHYADDR */
    expect_write_gp(0x203, 0x800 | 0x400); /* bit 10 */
    expect_write_gp(0x203, high | 0x800);
    expect_read_gp(0x210); /* pair 8: past VCNT */
    expect_write_gp(0x211, 0);
    expect_rt(0x250, 0x0606060606060606ULL);
    expect_rt(0x259, 0x0001040506000104ULL);
    expect_rt(0x26f, 0);
    expect_write_gp(0x258, 0x0606060606060602ULL);
    expect_write_gp(0x268, 0x0706060606060606ULL);
    expect_read_gp(0x251); /* not a fixed-range MSR */
}

static void test_pat(void)
{
    expect_read(0x277, 0x0007040600070406ULL);
    expect_rt(0x277, 0x0706050401000706ULL);
    expect_write_gp(0x277, 0x0007040600070402ULL);
    expect_write_gp(0x277, 0x0307040600070406ULL);
    expect_write_gp(0x277, 0x0007040600080406ULL);
    expect_write_gp(0x277, 0x0007040600070486ULL);
    expect_rt(0x277, 0x0007040600070406ULL);
}

static void test_debugctl(void)
{
    expect_read(0x1d9, 0);
    expect_rt(0x1d9, 2); /* BTF */
    expect_rt(0x1d9, 1); /* LBR */
    expect_write_gp(0x1d9, 4);
    expect_write_gp(0x1d9, 1ULL << 32);
    expect_rt(0x1d9, 0);
}

static void test_misc_enable(void)
{
    if ( !is_intel )
    {
        expect_read_gp(0x1a0);
        expect_write_gp(0x1a0, 0);
        return;
    }
    expect_read(0x1a0, 0x801801);
    expect_rt(0x1a0, 0x801801);
    expect_write_gp(0x1a0, 0x801800);
    expect_write_gp(0x1a0, 0x841801);
}

static void test_mce(void)
{
    uint64_t cap = 2 | (is_intel ? (1u << 10) | (1u << 11) | (1u << 24) : 0);

    expect_read(0x179, cap);
    expect_write_ok(0x179, 0, cap);
    expect_read(0x17a, 0);
    expect_rt(0x17a, 5);
    expect_rt(0x17a, 0);
    expect_read(0x17b, 0);
    expect_write_ok(0x17b, ~0ULL, 0);
    for ( uint32_t b = 0; b < 2; b++ )
    {
        uint32_t base = 0x400 + 4 * b;
        expect_read(base, ~0ULL);
        expect_write_ok(base, 0, ~0ULL);
        for ( uint32_t r = 1; r <= 3; r++ )
        {
            expect_write_ok(base + r, 0, 0);
            expect_write_gp(base + r, 0x86 + b);
        }
        if ( is_intel )
            expect_rt(0x280 + b, (1ULL << 30) | b);
    }
    expect_read(0x415, 0); /* bank 5: absent */
    expect_write_ok(0x415, 0, 0);
    expect_write_gp(0x415, 0x8000000000000000ULL);
}

static void test_ucode_and_unknown(void)
{
    expect_read(0x8b, 0);
    if ( is_intel )
        expect_write_ok(0x8b, 0, 0);
    else
        expect_write_gp(0x8b, 0);
    expect_read_gp(0x1234);
    expect_write_gp(0x1234, 0);
    expect_read_gp(0x4b564d00);
    expect_write_gp(0x4b564d00, 0);
}

void test_main(void)
{
    struct cpuid_res v = cpuid(0);

    is_intel = v.b == 0x756e6547; /* "Genu" */
    test_cpuid();
    test_mtrr();
    test_pat();
    test_debugctl();
    test_misc_enable();
    test_mce();
    test_ucode_and_unknown();
    xtf_success(NULL);
}
