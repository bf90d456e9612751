/*
 * test-acpi.c - the ACPI tables a PVH domain gets (lib/pvh_acpi.c),
 * read back the way a guest's ACPI code reads them: from the RSDP through
 * the XSDT to each table, checking signatures, lengths, checksums and the
 * facts the emulation relies on (APIC IDs, hardware-reduced FADT, the
 * sleep and reset registers, the \_S5 package).
 */
#include <string.h>
#include "harness.h"
#include <xen/types.h>
#include <wren/pvh_acpi.h>

#define BASE 0x9d000ULL

static uint8_t page[PVH_ACPI_SIZE];

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while ( n-- )
        s += *p++;
    return s;
}

/* The table at guest-physical gpa, checked: inside the page, signature,
 * checksum over its length. */
static const uint8_t *table_at(uint64_t gpa, const char *sig)
{
    const uint8_t *t;
    CHECK_MSG(gpa >= BASE && gpa + 36 <= BASE + PVH_ACPI_SIZE, "%s at %#llx outside the page", sig,
              (unsigned long long)gpa);
    t = page + (gpa - BASE);
    CHECK_MSG(!memcmp(t, sig, 4), "expected %s at %#llx", sig, (unsigned long long)gpa);
    CHECK(gpa + rd32(t + 4) <= BASE + PVH_ACPI_SIZE);
    CHECK_MSG(sum(t, rd32(t + 4)) == 0, "%s checksum", sig);
    return t;
}

/* The XSDT's entry with signature sig. */
static const uint8_t *find(const char *sig)
{
    const uint8_t *r = page, *x;
    CHECK(!memcmp(r, "RSD PTR ", 8));
    CHECK(sum(r, 20) == 0);
    CHECK_EQ(r[15], 2);
    CHECK_EQ(rd32(r + 20), 36);
    CHECK(sum(r, 36) == 0);
    x = table_at(rd64(r + 24), "XSDT");
    for ( uint32_t off = 36; off + 8 <= rd32(x + 4); off += 8 )
        if ( !memcmp(page + (rd64(x + off) - BASE), sig, 4) )
            return table_at(rd64(x + off), sig);
    test_fail(__FILE__, __LINE__, "no %s in the XSDT", sig);
}

static void test_rsdp_xsdt(void)
{
    CHECK_EQ(pvh_acpi_fill(page, BASE, 2), 0);
    find("FACP");
    find("APIC");
}

static void test_fadt(void)
{
    const uint8_t *f, *d;
    CHECK_EQ(pvh_acpi_fill(page, BASE, 1), 0);
    f = find("FACP");
    CHECK_EQ(rd32(f + 4), 276);
    CHECK(rd32(f + 112) & (1u << 20)); /* HW_REDUCED_ACPI */
    CHECK(rd32(f + 112) & (1u << 10)); /* RESET_REG_SUP */
    d = table_at(rd64(f + 140), "DSDT");
    CHECK_EQ(rd32(f + 40), rd64(f + 140));
    /* sleep control / status: system I/O, 8 bits, at the served ports */
    CHECK_EQ(f[244], 1);
    CHECK_EQ(rd64(f + 248), PVH_ACPI_SLEEP_CONTROL_PORT);
    CHECK_EQ(f[256], 1);
    CHECK_EQ(rd64(f + 260), PVH_ACPI_SLEEP_STATUS_PORT);
    CHECK_EQ(rd64(f + 120), PVH_ACPI_RESET_PORT);
    CHECK_EQ(f[128], PVH_ACPI_RESET_VALUE);
    /* DSDT: Name(_S5, Package(4){5, 5, 0, 0}) */
    CHECK_EQ(d[36], 0x08);
    CHECK(!memcmp(d + 37, "_S5_", 4));
    CHECK_EQ(d[41], 0x12);
    CHECK_EQ(36 + 6 + d[42], rd32(d + 4)); /* PkgLength ends the table */
    CHECK_EQ(d[44], 0x0a);
    CHECK_EQ(d[45], PVH_ACPI_SLP_TYP_S5);
}

/* The MADT lists exactly nr vCPUs, each enabled, with APIC ID 2n. */
static void check_madt(unsigned int nr)
{
    const uint8_t *m;
    uint32_t off = 44, seen = 0;
    CHECK_EQ(pvh_acpi_fill(page, BASE, nr), 0);
    m = find("APIC");
    CHECK_EQ(rd32(m + 36), PVH_ACPI_LAPIC_ADDRESS);
    CHECK_EQ(rd32(m + 40) & 1, 0); /* no 8259s */
    while ( off < rd32(m + 4) )
    {
        const uint8_t *e = m + off;
        CHECK(e[1] >= 8 && off + e[1] <= rd32(m + 4));
        if ( e[0] == 0 )
        {
            CHECK_EQ(e[2], seen);
            CHECK_EQ(e[3], PVH_ACPI_APIC_ID(seen));
            CHECK_EQ(rd32(e + 4) & 1, 1);
        }
        else
        {
            CHECK_EQ(e[0], 9);
            CHECK(PVH_ACPI_APIC_ID(seen) >= 0xff);
            CHECK_EQ(rd32(e + 4), PVH_ACPI_APIC_ID(seen));
            CHECK_EQ(rd32(e + 8) & 1, 1);
            CHECK_EQ(rd32(e + 12), seen);
        }
        seen++;
        off += e[1];
    }
    CHECK_EQ(seen, nr);
}

static void test_madt_small(void)
{
    check_madt(1);
    check_madt(2);
}

static void test_madt_x2apic(void)
{
    check_madt(128); /* vCPUs 127 and up have IDs above 254 */
}

static void test_madt_too_big(void)
{
    CHECK_EQ(pvh_acpi_fill(page, BASE, 1000), -1);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "acpi.rsdp_xsdt", test_rsdp_xsdt },       { "acpi.fadt_dsdt", test_fadt },
        { "acpi.madt", test_madt_small },           { "acpi.madt_x2apic", test_madt_x2apic },
        { "acpi.madt_too_big", test_madt_too_big },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
