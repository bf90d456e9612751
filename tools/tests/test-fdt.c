/*
 * test-fdt.c - the arm64 boot's device-tree reader (xen/arch/arm64/fdt.c)
 * on trees this file writes itself (a small FDT writer: header, empty
 * reservation map, structure and strings blocks, version 17), each copied
 * to a buffer of exactly its size so that AddressSanitizer sees any read
 * past it. Checks what the boot takes (memory, the command line, modules,
 * the PL011, the GICv3, PSCI's method, the CPUs), the specification's
 * default cells, the limits, and that a tree that does not hold together
 * is refused without a read outside it.
 */
#include <asm/fdt.h>
#include <xen/errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_END        9
#define HEADER_SIZE    40
#define RSVMAP_SIZE    16

struct fdtw
{
    uint8_t structs[16384];
    uint32_t slen;
    char strings[2048];
    uint32_t strlen;
};

static struct fdtw w;
static void *blob; /* the last tree finished, freed by the next */
static struct arm64_boot_info bi;

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static void emit32(uint32_t v)
{
    put_be32(w.structs + w.slen, v);
    w.slen += 4;
}

static void emit_bytes(const void *p, uint32_t len)
{
    memcpy(w.structs + w.slen, p, len);
    w.slen += len;
    while ( w.slen % 4 )
        w.structs[w.slen++] = 0;
}

static void start(void)
{
    memset(&w, 0, sizeof(w));
}

static void begin(const char *name)
{
    emit32(FDT_BEGIN_NODE);
    emit_bytes(name, strlen(name) + 1);
}

static void end(void)
{
    emit32(FDT_END_NODE);
}

static uint32_t name_offset(const char *name)
{
    uint32_t off = w.strlen;
    memcpy(w.strings + off, name, strlen(name) + 1);
    w.strlen += strlen(name) + 1;
    return off;
}

static void prop(const char *name, const void *val, uint32_t len)
{
    emit32(FDT_PROP);
    emit32(len);
    emit32(name_offset(name));
    emit_bytes(val, len);
}

/* A string, or a list written "a\0b" with its length given. */
static void prop_str(const char *name, const char *s)
{
    prop(name, s, strlen(s) + 1);
}

static void prop_list(const char *name, const char *list, uint32_t len)
{
    prop(name, list, len);
}

static void prop_cells(const char *name, unsigned int n, const uint32_t *cells)
{
    uint8_t buf[256];
    for ( unsigned int i = 0; i < n; i++ )
        put_be32(buf + 4 * i, cells[i]);
    prop(name, buf, 4 * n);
}

#define CELLS(name, ...)                                  \
    do                                                    \
    {                                                     \
        static const uint32_t c_[] = { __VA_ARGS__ };     \
        prop_cells(name, sizeof(c_) / sizeof(c_[0]), c_); \
    } while ( 0 )

/* Header, reservation map, structure block, strings: an exact-size copy. */
static const void *finish(void)
{
    uint32_t off_struct = HEADER_SIZE + RSVMAP_SIZE, off_strings, total;
    uint8_t *b;

    emit32(FDT_END);
    off_strings = off_struct + w.slen;
    total = off_strings + w.strlen;
    free(blob);
    blob = b = calloc(1, total);
    put_be32(b + 0, 0xd00dfeed);
    put_be32(b + 4, total);
    put_be32(b + 8, off_struct);
    put_be32(b + 12, off_strings);
    put_be32(b + 16, HEADER_SIZE);
    put_be32(b + 20, 17);
    put_be32(b + 24, 16);
    put_be32(b + 32, w.strlen);
    put_be32(b + 36, w.slen);
    memcpy(b + off_struct, w.structs, w.slen);
    memcpy(b + off_strings, w.strings, w.strlen);
    return b;
}

static int parse(void)
{
    return fdt_parse(finish(), &bi);
}

/* QEMU virt's shape, with a few more things to choose between. */
static void write_virt_like(void)
{
    start();
    begin("");
    CELLS("#address-cells", 2);
    CELLS("#size-cells", 2);
    begin("memory@40000000");
    prop_str("device_type", "memory");
    CELLS("reg", 0, 0x40000000, 0, 0x20000000);
    end();
    begin("chosen");
    prop_str("bootargs", "console=hvc0");
    prop_str("xen,xen-bootargs", "loglvl=all wren_selftest=boot");
    CELLS("#address-cells", 1);
    CELLS("#size-cells", 1);
    begin("module@41000000");
    prop_list("compatible", "multiboot,kernel\0multiboot,module", 34);
    CELLS("reg", 0x41000000, 0x1234);
    prop_str("bootargs", "k.elf a=1");
    end();
    begin("module@41200000");
    prop_list("compatible", "multiboot,ramdisk\0multiboot,module", 35);
    CELLS("reg", 0x41200000, 0x100);
    end();
    end();
    begin("pl011@9000000");
    prop_str("status", "disabled");
    prop_list("compatible", "arm,pl011\0arm,primecell", 24);
    CELLS("reg", 0, 0x9000000, 0, 0x1000);
    end();
    begin("pl011@9040000");
    prop_list("compatible", "arm,pl011\0arm,primecell", 24);
    CELLS("reg", 0, 0x9040000, 0, 0x1000);
    end();
    begin("intc@8000000");
    prop_str("compatible", "arm,gic-v3");
    CELLS("reg", 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000);
    end();
    begin("psci");
    prop_list("compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci", 35);
    prop_str("method", "hvc");
    end();
    begin("cpus");
    CELLS("#address-cells", 1);
    CELLS("#size-cells", 0);
    begin("cpu-map");
    begin("socket0");
    end();
    end();
    for ( unsigned int i = 0; i < 3; i++ )
    {
        char name[16];
        uint32_t reg = i == 2 ? 0x100 : i;
        snprintf(name, sizeof(name), "cpu@%x", reg);
        begin(name);
        prop_str("device_type", "cpu");
        prop_cells("reg", 1, &reg);
        if ( i == 1 )
            prop_str("status", "disabled"); /* quiescent: PSCI can start it */
        end();
    }
    end();
    end();
}

static void test_virt_like(void)
{
    write_virt_like();
    CHECK_EQ(parse(), 0);
    CHECK_EQ(bi.nr_memory, 1);
    CHECK_EQ(bi.memory[0].start, 0x40000000);
    CHECK_EQ(bi.memory[0].size, 0x20000000);
    CHECK(!strcmp(bi.cmdline, "loglvl=all wren_selftest=boot"));
    CHECK_EQ(bi.uart, 0x9040000);
    CHECK_EQ(bi.gicd.start, 0x8000000);
    CHECK_EQ(bi.gicd.size, 0x10000);
    CHECK_EQ(bi.gicr.start, 0x80a0000);
    CHECK_EQ(bi.gicr.size, 0xf60000);
    CHECK_EQ(bi.psci, PSCI_HVC);
    CHECK_EQ(bi.nr_cpus, 3);
    CHECK_EQ(bi.cpu_mpidr[0], 0);
    CHECK_EQ(bi.cpu_mpidr[1], 1);
    CHECK_EQ(bi.cpu_mpidr[2], 0x100);
}

static void test_modules(void)
{
    write_virt_like();
    CHECK_EQ(parse(), 0);
    CHECK_EQ(bi.nr_modules, 2);
    CHECK_EQ(bi.modules[0].start, 0x41000000);
    CHECK_EQ(bi.modules[0].size, 0x1234);
    CHECK(!strcmp(bi.modules[0].kind, "kernel"));
    CHECK(!strcmp(bi.modules[0].cmdline, "k.elf a=1"));
    CHECK_EQ(bi.modules[1].start, 0x41200000);
    CHECK(!strcmp(bi.modules[1].kind, "ramdisk"));
    CHECK(!strcmp(bi.modules[1].cmdline, ""));
}

/* No #address-cells/#size-cells: 2 and 1, as the specification says;
 * bootargs when there is no xen,xen-bootargs; PSCI 0.1 is not used. */
static void test_defaults(void)
{
    start();
    begin("");
    begin("memory");
    prop_str("device_type", "memory");
    CELLS("reg", 0, 0x80000000, 0x10000000);
    end();
    begin("chosen");
    prop_str("bootargs", "a=b");
    end();
    begin("psci");
    prop_str("compatible", "arm,psci");
    prop_str("method", "smc");
    end();
    end();
    CHECK_EQ(parse(), 0);
    CHECK_EQ(bi.nr_memory, 1);
    CHECK_EQ(bi.memory[0].start, 0x80000000);
    CHECK_EQ(bi.memory[0].size, 0x10000000);
    CHECK(!strcmp(bi.cmdline, "a=b"));
    CHECK_EQ(bi.psci, PSCI_NONE);
    CHECK_EQ(bi.uart, 0);
    CHECK_EQ(bi.nr_cpus, 0);
}

/* More than the parser keeps is counted, not written past its arrays. */
static void test_limits(void)
{
    start();
    begin("");
    CELLS("#address-cells", 1);
    CELLS("#size-cells", 1);
    begin("memory@0");
    prop_str("device_type", "memory");
    CELLS("reg", 0x0, 0x1000, 0x10000, 0, 0x20000, 0x1000, 0x30000, 0x1000, 0x40000, 0x1000,
          0x50000, 0x1000, 0x60000, 0x1000, 0x70000, 0x1000, 0x80000, 0x1000, 0x90000, 0x1000,
          0xa0000, 0x1000);
    end();
    begin("chosen");
    CELLS("#address-cells", 1);
    CELLS("#size-cells", 1);
    for ( unsigned int i = 0; i < DT_MAX_MODULES + 4; i++ )
    {
        uint32_t reg[2] = { 0x1000000 + i * 0x10000, 0x100 };
        begin("module");
        prop_str("compatible", "multiboot,module");
        prop_cells("reg", 2, reg);
        end();
    }
    end();
    begin("cpus");
    CELLS("#address-cells", 1);
    CELLS("#size-cells", 0);
    for ( uint32_t i = 0; i < DT_MAX_CPUS + 2; i++ )
    {
        begin("cpu");
        prop_str("device_type", "cpu");
        prop_cells("reg", 1, &i);
        end();
    }
    end();
    end();
    CHECK_EQ(parse(), 0);
    /* 11 entries, one of size 0 (skipped): 8 kept, 2 dropped. */
    CHECK_EQ(bi.nr_memory, DT_MAX_MEMORY);
    CHECK_EQ(bi.dropped_memory, 2);
    CHECK_EQ(bi.nr_modules, DT_MAX_MODULES);
    CHECK_EQ(bi.dropped_modules, 4);
    CHECK_EQ(bi.modules[DT_MAX_MODULES - 1].start, 0x1000000 + (DT_MAX_MODULES - 1) * 0x10000);
    CHECK(!strcmp(bi.modules[0].kind, "module"));
    CHECK_EQ(bi.nr_cpus, DT_MAX_CPUS);
    CHECK_EQ(bi.dropped_cpus, 2);
}

/* Cells this parser cannot hold in 64 bits are left out, not misread. */
static void test_wide_cells(void)
{
    start();
    begin("");
    CELLS("#address-cells", 3);
    CELLS("#size-cells", 2);
    begin("memory");
    prop_str("device_type", "memory");
    CELLS("reg", 0, 0, 0x40000000, 0, 0x1000);
    end();
    end();
    CHECK_EQ(parse(), 0);
    CHECK_EQ(bi.nr_memory, 0);
}

/* A string property without its NUL is ignored, not read past. */
static void test_unterminated_string(void)
{
    start();
    begin("");
    CELLS("#address-cells", 2);
    CELLS("#size-cells", 2);
    begin("pl011");
    prop("compatible", "arm,pl011", 9);
    CELLS("reg", 0, 0x9000000, 0, 0x1000);
    end();
    begin("chosen");
    prop("bootargs", "abcd", 4);
    end();
    end();
    CHECK_EQ(parse(), 0);
    CHECK_EQ(bi.uart, 0);
    CHECK(!strcmp(bi.cmdline, ""));
}

/* ---- trees that do not hold together ---- */

static uint8_t *raw(void)
{
    return (uint8_t *)finish();
}

static void test_bad_header(void)
{
    uint8_t *b;

    CHECK_EQ(fdt_parse(NULL, &bi), -EINVAL);
    start();
    begin("");
    end();
    b = raw();
    b[0] = 0;
    CHECK_EQ(fdt_parse(b, &bi), -EINVAL); /* magic */
    b = raw();
    put_be32(b + 20, 16);
    CHECK_EQ(fdt_parse(b, &bi), -EINVAL); /* version */
    b = raw();
    put_be32(b + 36, w.slen + 8);
    CHECK_EQ(fdt_parse(b, &bi), -EINVAL); /* structure block past totalsize */
    b = raw();
    put_be32(b + 32, w.strlen + 1);
    CHECK_EQ(fdt_parse(b, &bi), -EINVAL); /* strings past totalsize */
}

static void test_bad_structure(void)
{
    uint8_t *b;
    uint32_t off_struct = HEADER_SIZE + RSVMAP_SIZE;

    /* A property whose length runs past the block. */
    start();
    begin("");
    prop_str("model", "x");
    end();
    b = raw();
    put_be32(b + off_struct + 12, 0x1000);
    CHECK_EQ(fdt_parse(b, &bi), -EINVAL);
    /* A name offset past the strings. */
    b = raw();
    put_be32(b + off_struct + 16, 0x1000);
    CHECK_EQ(fdt_parse(b, &bi), -EINVAL);
    /* An unknown token. */
    b = raw();
    put_be32(b + off_struct + 8, 7);
    CHECK_EQ(fdt_parse(b, &bi), -EINVAL);
    /* FDT_END while the root is still open. */
    start();
    begin("");
    begin("a");
    end();
    CHECK_EQ(parse(), -EINVAL);
    /* No FDT_END: the block stops after the root closes. */
    start();
    begin("");
    end();
    b = raw();
    put_be32(b + 36, w.slen - 4);
    CHECK_EQ(fdt_parse(b, &bi), -EINVAL);
    /* Closing more nodes than were opened. */
    start();
    begin("");
    end();
    end();
    CHECK_EQ(parse(), -EINVAL);
    /* A property before any node. */
    start();
    prop_str("model", "x");
    CHECK_EQ(parse(), -EINVAL);
}

static void test_too_deep(void)
{
    start();
    for ( unsigned int i = 0; i < 20; i++ )
        begin("n");
    for ( unsigned int i = 0; i < 20; i++ )
        end();
    CHECK_EQ(parse(), -EINVAL);
}

/* A node name that runs to the end of the block without its NUL. */
static void test_unterminated_name(void)
{
    start();
    emit32(FDT_BEGIN_NODE);
    memcpy(w.structs + w.slen, "abcd", 4);
    w.slen += 4;
    free(blob);
    blob = NULL;
    {
        uint32_t off_struct = HEADER_SIZE + RSVMAP_SIZE, total = off_struct + w.slen;
        uint8_t *b = blob = calloc(1, total);
        put_be32(b + 0, 0xd00dfeed);
        put_be32(b + 4, total);
        put_be32(b + 8, off_struct);
        put_be32(b + 12, total);
        put_be32(b + 20, 17);
        put_be32(b + 24, 16);
        put_be32(b + 36, w.slen);
        memcpy(b + off_struct, w.structs, w.slen);
        CHECK_EQ(fdt_parse(b, &bi), -EINVAL);
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        { "fdt.virt_like", test_virt_like },
        { "fdt.modules", test_modules },
        { "fdt.defaults", test_defaults },
        { "fdt.limits", test_limits },
        { "fdt.wide_cells", test_wide_cells },
        { "fdt.unterminated_string", test_unterminated_string },
        { "fdt.bad_header", test_bad_header },
        { "fdt.bad_structure", test_bad_structure },
        { "fdt.too_deep", test_too_deep },
        { "fdt.unterminated_name", test_unterminated_name },
    };
    int rc = run_tests(cases, ARRAY_SIZE(cases));

    free(blob);
    return rc;
}
