/*
 * arm64-dt - the device tree the hypervisor gives a guest it builds, as
 * the guest sees it: x0 at entry (xtf_boot_dt), on qemu-arm64.
 *
 * dom0 with 2 vCPUs and 32 MiB. Checks:
 *  - the blob: 8-byte aligned, inside RAM and below the command line's
 *    page (the last), magic 0xd00dfeed, version 17, blocks inside
 *    totalsize, at most 64 KiB;
 *  - the nodes Linux reads, walking the structure block: root cells 2/2;
 *    /memory@40000000 is our RAM; /chosen bootargs is our command line;
 *    two /cpus/cpu@N with enable-method "psci" and reg N; /psci method
 *    "hvc"; the GICv3 at the vGIC's frames (redistributors: 128 KiB per
 *    vCPU); /timer's virtual PPI <1 11 4>; /hypervisor compatible
 *    "xen,xen-4.18", "xen,xen", reg = 0x38000000 + 16 MiB, interrupts
 *    <1 15 4> (INTID 31);
 *  - what it says is what the domain has: PSCI AFFINITY_INFO knows vCPU 1
 *    (off) and refuses vCPU 2, and xen_version's major.minor is the
 *    hypervisor node's "4.18".
 */
#include <xtf.h>
#include <xtf/arm64.h>
#include <public/version.h>

const char test_title[] = "the guest device tree in x0";

#define RAM_BASE   0x40000000UL
#define RAM_SIZE   (32UL << 20)
#define DT_MAX     0x10000UL
#define TOK_BEGIN  1
#define TOK_END    2
#define TOK_PROP   3
#define TOK_NOP    4
#define TOK_FINISH 9
#define MAX_DEPTH  4

/* The tree lives in memory we read with the MMU off (Device memory):
 * bytes only, never an unaligned word. */
static const uint8_t *dt;
static uint32_t off_struct, off_strings, size_struct, size_strings;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct seen
{
    unsigned int cpus, cpus_psci, cpu_reg_ok, checks;
};
static struct seen seen;

static bool prop_is(const uint8_t *v, uint32_t len, const void *want, uint32_t wlen)
{
    return len == wlen && !memcmp(v, want, wlen);
}

static bool cells_are(const uint8_t *v, uint32_t len, const uint32_t *c, unsigned int n)
{
    if ( len != 4 * n )
        return false;
    for ( unsigned int i = 0; i < n; i++ )
        if ( be32(v + 4 * i) != c[i] )
            return false;
    return true;
}

static void expect(bool ok, const char *node, const char *prop)
{
    seen.checks++;
    if ( ok )
        printf("  %-34s %-20s ok\n", node, prop);
    else
        xtf_failure("%s: property %s is not what the domain has", node, prop);
}

static void check_prop(const char *const *path, unsigned int depth, const char *name,
                       const uint8_t *v, uint32_t len)
{
    static const char xen_compat[] = "xen,xen-4.18\0xen,xen";
    static const uint32_t mem[] = { 0, RAM_BASE, 0, RAM_SIZE };
    static const uint32_t gnt[] = { 0, 0x38000000, 0, 0x01000000 };
    static const uint32_t ppi31[] = { 1, 15, 4 };
    static const uint32_t gic[] = { 0, 0x03001000, 0, 0x10000, 0, 0x03020000, 0, 2 * 0x20000 };
    const char *node = depth ? path[depth - 1] : "/";
    if ( depth == 0 && (!strcmp(name, "#address-cells") || !strcmp(name, "#size-cells")) )
        expect(len == 4 && be32(v) == 2, node, name);
    else if ( depth == 1 && !strcmp(node, "memory@40000000") && !strcmp(name, "reg") )
        expect(cells_are(v, len, mem, 4), node, name);
    else if ( depth == 1 && !strcmp(node, "chosen") && !strcmp(name, "bootargs") )
        expect(prop_is(v, len, xtf_cmdline(), strlen(xtf_cmdline()) + 1), node, name);
    else if ( depth == 1 && !strcmp(node, "psci") && !strcmp(name, "method") )
        expect(prop_is(v, len, "hvc", 4), node, name);
    else if ( depth == 1 && !strcmp(node, "hypervisor") && !strcmp(name, "compatible") )
        expect(prop_is(v, len, xen_compat, sizeof(xen_compat)), node, name);
    else if ( depth == 1 && !strcmp(node, "hypervisor") && !strcmp(name, "reg") )
        expect(cells_are(v, len, gnt, 4), node, name);
    else if ( depth == 1 && !strcmp(node, "hypervisor") && !strcmp(name, "interrupts") )
        expect(cells_are(v, len, ppi31, 3), node, name);
    else if ( depth == 1 && !strcmp(node, "interrupt-controller@3001000") && !strcmp(name, "reg") )
        expect(cells_are(v, len, gic, 8), node, name);
    else if ( depth == 1 && !strcmp(node, "timer") && !strcmp(name, "interrupts") )
        expect(len == 48 && be32(v + 24) == 1 && be32(v + 28) == 11 && be32(v + 32) == 4, node,
               "interrupts (virtual)");
    else if ( depth == 2 && !strcmp(path[0], "cpus") && !strcmp(name, "enable-method") )
        seen.cpus_psci += prop_is(v, len, "psci", 5);
    else if ( depth == 2 && !strcmp(path[0], "cpus") && !strcmp(name, "reg") )
        seen.cpu_reg_ok += len == 4 && be32(v) == seen.cpus - 1;
}

static bool header_ok(void)
{
    uint32_t total;
    uint64_t at = xtf_boot_dt, cmdline_page = RAM_BASE + RAM_SIZE - 0x1000;
    printf("  device tree at %#lx\n", at);
    if ( at % 8 || at < RAM_BASE || at + 40 > cmdline_page )
        return xtf_failure("x0 = %#lx is not an aligned address in RAM", at), false;
    dt = (const uint8_t *)(uintptr_t)at;
    total = be32(dt + 4);
    off_struct = be32(dt + 8);
    off_strings = be32(dt + 12);
    size_strings = be32(dt + 32);
    size_struct = be32(dt + 36);
    if ( be32(dt) != 0xd00dfeed || be32(dt + 20) != 17 || total > DT_MAX ||
         at + total > cmdline_page || off_struct + size_struct > total ||
         off_strings + size_strings > total )
        return xtf_failure("bad header: magic %#x version %u totalsize %u", be32(dt), be32(dt + 20),
                           total),
               false;
    printf("  header: version 17, %u bytes\n", total);
    return true;
}

static const char *string_at(uint32_t off)
{
    return off < size_strings ? (const char *)dt + off_strings + off : "";
}

static void walk(void)
{
    const char *path[MAX_DEPTH];
    unsigned int depth = 0;
    for ( uint32_t at = off_struct; at + 4 <= off_struct + size_struct; )
    {
        uint32_t tok = be32(dt + at), len;
        at += 4;
        if ( tok == TOK_BEGIN )
        {
            const char *name = (const char *)dt + at;
            size_t n = strlen(name);
            if ( depth && depth <= MAX_DEPTH )
                path[depth - 1] = name;
            if ( depth == 2 && !strcmp(path[0], "cpus") && !strncmp(name, "cpu@", 4) )
                seen.cpus++;
            depth++;
            at += (uint32_t)(n + 4) & ~3U;
        }
        else if ( tok == TOK_END )
            depth--;
        else if ( tok == TOK_PROP )
        {
            len = be32(dt + at);
            if ( depth && depth <= MAX_DEPTH + 1 )
                check_prop(path, depth - 1, string_at(be32(dt + at + 4)), dt + at + 8, len);
            at += 8 + ((len + 3) & ~3U);
        }
        else if ( tok == TOK_FINISH )
            return;
        else if ( tok != TOK_NOP )
            return xtf_failure("unknown token %#x at %#x", tok, at - 4);
    }
    xtf_failure("the structure block has no end token");
}

void test_main(void)
{
    long v = hypercall_xen_version(XENVER_version, NULL);
    if ( !header_ok() )
        return;
    walk();
    printf("  cpus: %u nodes, %u with enable-method psci, %u with reg = N\n", seen.cpus,
           seen.cpus_psci, seen.cpu_reg_ok);
    if ( seen.cpus != 2 || seen.cpus_psci != 2 || seen.cpu_reg_ok != 2 )
        xtf_failure("expected 2 psci cpu nodes with reg 0 and 1");
    if ( seen.checks != 10 )
        xtf_failure("found %u of the 10 properties checked", seen.checks);
    if ( psci_call(PSCI_AFFINITY_INFO_64, 1, 0, 0) != PSCI_AFFINITY_OFF ||
         psci_call(PSCI_AFFINITY_INFO_64, 2, 0, 0) != PSCI_INVALID_PARAMS )
        xtf_failure("PSCI does not know exactly vCPUs 0 and 1");
    if ( v != (4L << 16 | 18) )
        xtf_failure("xen_version is %ld.%ld, the tree says 4.18", v >> 16, v & 0xffff);
    xtf_success(NULL); /* a failure above outranks it */
}
