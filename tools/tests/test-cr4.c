/*
 * test-cr4.c - the checks a guest's MOV to CR4 must pass
 * (xen/arch/x86/hvm/cr4_check.c), with the CR4 bits Wren lets guests
 * set on QEMU 7.2 (0x350fff) and Bochs 2.7 (0x3707ff): bits not offered,
 * PAE in long mode, and the PCIDE rules.
 */
#include <xen/errno.h>
#include <asm/x86.h>
#include <asm/hvm.h>

#include "harness.h"

#define QEMU_OK  0x350fffULL
#define BOCHS_OK 0x3707ffULL
#define LONG_CR4 (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

static int check(uint64_t ok, uint64_t val)
{
    return hvm_cr4_write_check(ok, LONG_CR4, val, true, 0x1000);
}

static void offered_bits(void)
{
    CHECK_EQ(check(QEMU_OK, LONG_CR4), 0);
    CHECK_EQ(check(QEMU_OK, LONG_CR4 | (1ULL << 18)), 0); /* OSXSAVE */
    CHECK_EQ(check(QEMU_OK, LONG_CR4 | (1ULL << 11)), 0); /* UMIP */
    CHECK_EQ(check(BOCHS_OK, LONG_CR4 | (1ULL << 11)), -EINVAL);
}

static void never_offered(void)
{
    const unsigned int bits[] = { 12, 13, 14, 22, 23, 24, 31, 32, 63 };
    for ( unsigned int i = 0; i < sizeof(bits) / sizeof(bits[0]); i++ )
    {
        CHECK_MSG(check(QEMU_OK, LONG_CR4 | (1ULL << bits[i])) == -EINVAL,
                  "QEMU: CR4 bit %u accepted", bits[i]);
        CHECK_MSG(check(BOCHS_OK, LONG_CR4 | (1ULL << bits[i])) == -EINVAL,
                  "Bochs: CR4 bit %u accepted", bits[i]);
    }
}

static void pae_in_long_mode(void)
{
    CHECK_EQ(hvm_cr4_write_check(BOCHS_OK, LONG_CR4, X86_CR4_OSFXSR, true, 0), -EINVAL);
    CHECK_EQ(hvm_cr4_write_check(BOCHS_OK, 0, X86_CR4_OSFXSR, false, 0), 0);
}

static void pcide(void)
{
    uint64_t with = LONG_CR4 | X86_CR4_PCIDE;
    CHECK_EQ(hvm_cr4_write_check(BOCHS_OK, LONG_CR4, with, true, 0x1000), 0);
    CHECK_EQ(hvm_cr4_write_check(BOCHS_OK, LONG_CR4, with, true, 0x1001), -EINVAL);
    CHECK_EQ(hvm_cr4_write_check(BOCHS_OK, X86_CR4_PAE, X86_CR4_PAE | X86_CR4_PCIDE, false, 0),
             -EINVAL);
    /* Already set: CR3's low bits are no longer checked. */
    CHECK_EQ(hvm_cr4_write_check(BOCHS_OK, with, with, true, 0x1001), 0);
    CHECK_EQ(check(QEMU_OK, with), -EINVAL); /* QEMU has no PCID */
}

int main(void)
{
    static const struct test_case cases[] = {
        { "cr4.offered_bits", offered_bits },
        { "cr4.never_offered", never_offered },
        { "cr4.pae_in_long_mode", pae_in_long_mode },
        { "cr4.pcide", pcide },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
