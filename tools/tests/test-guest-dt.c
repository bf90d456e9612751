/*
 * test-guest-dt.c - the guest device tree (xen/arch/arm64/guest_dt.c) and
 * the FDT writer under it (fdt_write.c), on the host under
 * AddressSanitizer: each tree is written into a buffer of exactly the
 * capacity given, then read back with the boot's own reader (fdt.c), so
 * the two sides of the format check each other. Checks what a guest
 * takes from it (RAM, vCPUs, PSCI by HVC, the vGIC's frames, bootargs),
 * the nodes the reader does not look at (hypervisor, timer, chosen's
 * initrd) by their bytes, and that a buffer too small fails cleanly.
 */
#include <asm/fdt.h>
#include <asm/fdt_write.h>
#include <asm/guest_dt.h>
#include <xen/errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define RAM_BASE 0x40000000UL
#define RAM_SIZE (256UL << 20)
#define CAP      0x10000

static struct arm64_boot_info bi;
static uint8_t *buf;

static long build(unsigned int vcpus, const char *args, uint64_t rd_start, uint64_t rd_end,
                  size_t cap)
{
    struct guest_dt_info gi = { RAM_BASE, RAM_SIZE, vcpus, args, rd_start, rd_end };
    free(buf);
    buf = malloc(cap ? cap : 1);
    return guest_dt_build(&gi, buf, cap);
}

static bool has_bytes(long size, const void *what, size_t len)
{
    for ( long i = 0; i + (long)len <= size; i++ )
        if ( !memcmp(buf + i, what, len) )
            return true;
    return false;
}

static uint32_t be32_at(unsigned int off)
{
    return (uint32_t)buf[off] << 24 | (uint32_t)buf[off + 1] << 16 | (uint32_t)buf[off + 2] << 8 |
           buf[off + 3];
}

static void test_round_trip(void)
{
    long size = build(2, "console=hvc0 loglevel=6", 0, 0, CAP);
    CHECK(size > 0);
    CHECK_EQ(be32_at(0), 0xd00dfeed);
    CHECK_EQ(be32_at(4), (uint32_t)size);
    CHECK_EQ(be32_at(20), 17);
    CHECK_EQ(fdt_parse(buf, &bi), 0);
    CHECK_EQ(bi.nr_memory, 1);
    CHECK_EQ(bi.memory[0].start, RAM_BASE);
    CHECK_EQ(bi.memory[0].size, RAM_SIZE);
    CHECK(!strcmp(bi.cmdline, "console=hvc0 loglevel=6"));
    CHECK_EQ(bi.psci, PSCI_HVC);
    CHECK_EQ(bi.gicd.start, 0x03001000);
    CHECK_EQ(bi.gicd.size, 0x10000);
    CHECK_EQ(bi.gicr.start, 0x03020000);
    CHECK_EQ(bi.gicr.size, 2 * 0x20000);
    CHECK_EQ(bi.nr_cpus, 2);
    CHECK_EQ(bi.cpu_mpidr[0], 0);
    CHECK_EQ(bi.cpu_mpidr[1], 1);
    CHECK_EQ(bi.uart, 0); /* guests get no PL011 */
}

/* What Linux's Xen support looks for, byte for byte. */
static void test_hypervisor_node(void)
{
    static const char compat[] = "xen,xen-4.18\0xen,xen";
    static const uint8_t reg[16] = { 0, 0, 0, 0, 0x38, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0 };
    static const uint8_t ppi31[12] = { 0, 0, 0, 1, 0, 0, 0, 15, 0, 0, 0, 4 };
    static const uint8_t vtimer[12] = { 0, 0, 0, 1, 0, 0, 0, 11, 0, 0, 0, 4 };
    long size = build(1, "", 0, 0, CAP);
    CHECK(size > 0);
    CHECK(has_bytes(size, "hypervisor\0", 11));
    CHECK(has_bytes(size, compat, sizeof(compat)));
    CHECK(has_bytes(size, reg, sizeof(reg)));
    CHECK(has_bytes(size, ppi31, sizeof(ppi31)));
    CHECK(has_bytes(size, "arm,armv8-timer", 16));
    CHECK(has_bytes(size, vtimer, sizeof(vtimer)));
    CHECK(!has_bytes(size, "linux,initrd-start", 18)); /* no ramdisk */
}

static void test_initrd(void)
{
    static const uint8_t start[8] = { 0, 0, 0, 0, 0x42, 0x20, 0, 0 };
    static const uint8_t end[8] = { 0, 0, 0, 0, 0x42, 0x31, 0x23, 0x45 };
    long size = build(1, "x", 0x42200000, 0x42312345, CAP);
    CHECK(size > 0);
    CHECK(has_bytes(size, "linux,initrd-start", 19));
    CHECK(has_bytes(size, start, sizeof(start)));
    CHECK(has_bytes(size, end, sizeof(end)));
}

static void test_eight_vcpus(void)
{
    CHECK(build(8, "", 0, 0, CAP) > 0);
    CHECK_EQ(fdt_parse(buf, &bi), 0);
    CHECK_EQ(bi.nr_cpus, 8);
    CHECK_EQ(bi.cpu_mpidr[7], 7);
    CHECK_EQ(bi.gicr.size, 8 * 0x20000);
}

/* Exactly the size fits and gives the same bytes; one byte less, or a
 * tiny buffer, fails with -ENOSPC and writes nothing outside it. */
static void test_too_small(void)
{
    long size = build(2, "console=hvc0", 0x42200000, 0x42300000, CAP);
    uint8_t *copy = malloc((size_t)size);
    CHECK(size > 0);
    memcpy(copy, buf, (size_t)size);
    CHECK_EQ(build(2, "console=hvc0", 0x42200000, 0x42300000, (size_t)size), size);
    CHECK(!memcmp(copy, buf, (size_t)size));
    CHECK_EQ(build(2, "console=hvc0", 0x42200000, 0x42300000, (size_t)size - 1), -ENOSPC);
    CHECK_EQ(build(2, "console=hvc0", 0, 0, 100), -ENOSPC);
    CHECK_EQ(build(2, "console=hvc0", 0, 0, 0), -ENOSPC);
    free(copy);
}

static void test_writer_unclosed(void)
{
    struct fdt_writer w;
    free(buf);
    buf = malloc(256);
    fdtw_init(&w, buf, 256);
    fdtw_begin_node(&w, "");
    CHECK_EQ(fdtw_finish(&w), -EINVAL);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "guest_dt.round_trip", test_round_trip },
        { "guest_dt.hypervisor_node", test_hypervisor_node },
        { "guest_dt.initrd", test_initrd },
        { "guest_dt.eight_vcpus", test_eight_vcpus },
        { "guest_dt.too_small", test_too_small },
        { "guest_dt.writer_unclosed", test_writer_unclosed },
    };
    int rc = run_tests(cases, ARRAY_SIZE(cases));

    free(buf);
    return rc;
}
