/*
 * test-guest-build.c - the domain builder (tools/libs/guest) against a
 * fake domain (fake-xen.c): where every page lands (docs/designs/
 * toolstack.md's layout), what hvm_start_info, the memory map, the HVM
 * params and vCPU 0's context record say, what building costs in calls
 * and map batches, and that a failure at any call leaves no mapping and
 * no allocation behind (LeakSanitizer checks the rest at exit). The
 * arm64 cases: an AArch64 kernel takes xg_arm64.c's layout (RAM at
 * 0x40000000, rings and command line at its top) and its vCPU 0 comes
 * by setvcpucontext (Xen's Arm struct vcpu_guest_context).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xenguest.h>
#include <xen/hvm/start_info.h>
#include "harness.h"
#include "fake-xen.h"
#include "elf-fixture.h"

#define MIB     (1ULL << 20)
#define DOMID   7
#define SI      0x9f000ULL
#define NR_GFNS (1ULL << 20) /* a 4 GiB address space */

/* A kernel at 1 MiB: text, then data with a bss that ends mid-page. */
static const struct fx_seg segs[] = {
    { 0x100000, 0x3000, 0x3000 },
    { 0x103000, 0x800, 0x4800 },
};
#define ENTRY 0x100010

static uint8_t *kernel;
static size_t kernel_size;

static void setup(struct fake_dom *d, struct xc_pvh_dom *dom, uint64_t mem)
{
    free(kernel);
    kernel = fx_elf(true, segs, 2, ENTRY, 4, &kernel_size);
    fake_dom_init(d, DOMID, NR_GFNS);
    *dom = (struct xc_pvh_dom){ .kernel = kernel,
                                .kernel_size = kernel_size,
                                .mem_kb = mem >> 10,
                                .max_vcpus = 2,
                                .store_evtchn = 3,
                                .console_evtchn = 4 };
}

static int build(struct fake_dom *d, struct xc_pvh_dom *dom)
{
    return xc_pvh_build(&d->xch, &d->fmem, DOMID, dom);
}

static uint64_t rd64(const struct fake_dom *d, uint64_t gpa)
{
    uint64_t v;
    fake_read(d, gpa, &v, sizeof(v));
    return v;
}

static uint32_t rd32(const struct fake_dom *d, uint64_t gpa)
{
    uint32_t v;
    fake_read(d, gpa, &v, sizeof(v));
    return v;
}

static uint8_t rd8(const struct fake_dom *d, uint64_t gpa)
{
    uint8_t v;
    fake_read(d, gpa, &v, 1);
    return v;
}

static void test_ram(void)
{
    struct fake_dom d;
    struct xc_pvh_dom dom;

    setup(&d, &dom, 64 * MIB);
    CHECK_EQ(build(&d, &dom), 0);
    CHECK(dom.error == NULL);
    for ( uint64_t g = 0; g < 0x100; g++ )
        CHECK_MSG(fake_is_populated(&d, g) == (g < 0xa0), "gfn %#llx", (unsigned long long)g);
    for ( uint64_t g = 0x100; g < (64 * MIB) >> 12; g++ )
        CHECK(fake_is_populated(&d, g));
    CHECK(!fake_is_populated(&d, (64 * MIB) >> 12));
    CHECK_EQ(d.populated_frames, 0xa0 + ((64 * MIB - MIB) >> 12));
    fake_dom_dispose(&d);
}

static void test_kernel_bytes(void)
{
    struct fake_dom d;
    struct xc_pvh_dom dom;

    setup(&d, &dom, 64 * MIB);
    CHECK_EQ(build(&d, &dom), 0);
    for ( uint64_t i = 0; i < segs[0].filesz; i++ )
        CHECK_EQ(rd8(&d, segs[0].paddr + i), FX_BYTE(0, i));
    for ( uint64_t i = 0; i < segs[1].memsz; i++ )
        CHECK_EQ(rd8(&d, segs[1].paddr + i), i < segs[1].filesz ? FX_BYTE(1, i) : 0);
    /* The rest of the last page is not the kernel's: left as it was. */
    CHECK_EQ(rd8(&d, segs[1].paddr + segs[1].memsz), 0xa5);
    CHECK_EQ(rd8(&d, 0x107fff), 0xa5);
    fake_dom_dispose(&d);
}

static void test_special_pages(void)
{
    struct fake_dom d;
    struct xc_pvh_dom dom;
    char sig[9] = { 0 };

    setup(&d, &dom, 64 * MIB);
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(dom.store_pfn, 0x9c);
    CHECK_EQ(dom.console_pfn, 0x9e);
    for ( uint64_t i = 0; i < 4096; i++ )
    {
        CHECK_EQ(rd8(&d, 0x9c000 + i), 0);
        CHECK_EQ(rd8(&d, 0x9e000 + i), 0);
    }
    fake_read(&d, 0x9d000, sig, 8);
    CHECK(!strcmp(sig, "RSD PTR "));
    CHECK_EQ(rd64(&d, 0x9d000 + 24), 0x9d040); /* the XSDT, in the same page */
    fake_dom_dispose(&d);
}

static void test_start_info(void)
{
    static uint8_t ramdisk[10000];
    struct fake_dom d;
    struct xc_pvh_dom dom;
    char cmdline[64] = { 0 };
    uint64_t rd_at = (64 * MIB - sizeof(ramdisk)) & ~0xfffULL;

    setup(&d, &dom, 64 * MIB);
    for ( size_t i = 0; i < sizeof(ramdisk); i++ )
        ramdisk[i] = (uint8_t)(i * 7);
    dom.ramdisk = ramdisk;
    dom.ramdisk_size = sizeof(ramdisk);
    dom.cmdline = "console=hvc0 loglvl=all";
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(rd32(&d, SI + 0), XEN_HVM_START_MAGIC_VALUE);
    CHECK_EQ(rd32(&d, SI + 4), 1);           /* version */
    CHECK_EQ(rd32(&d, SI + 8), 0);           /* flags: not dom0 */
    CHECK_EQ(rd32(&d, SI + 12), 1);          /* nr_modules */
    CHECK_EQ(rd64(&d, SI + 16), SI + 0x380); /* modlist */
    CHECK_EQ(rd64(&d, SI + 24), SI + 0x400); /* cmdline */
    CHECK_EQ(rd64(&d, SI + 32), 0x9d000);    /* rsdp */
    CHECK_EQ(rd64(&d, SI + 40), SI + 0x40);  /* memmap */
    CHECK_EQ(rd32(&d, SI + 48), 5);
    CHECK_EQ(rd32(&d, SI + 52), 0);
    fake_read(&d, SI + 0x400, cmdline, sizeof(cmdline) - 1);
    CHECK(!strcmp(cmdline, "console=hvc0 loglvl=all"));
    CHECK_EQ(rd64(&d, SI + 0x380), rd_at);
    CHECK_EQ(rd64(&d, SI + 0x388), sizeof(ramdisk));
    CHECK_EQ(rd_at & 0xfff, 0);
    for ( size_t i = 0; i < sizeof(ramdisk); i++ )
        CHECK_EQ(rd8(&d, rd_at + i), ramdisk[i]);
    CHECK_EQ(rd8(&d, rd_at + sizeof(ramdisk)), 0xa5); /* the tail page's rest untouched */
    fake_dom_dispose(&d);
}

static void test_memory_map(void)
{
    static const uint64_t want[5][3] = {
        { 0, 0x9c000, 1 },      { 0x9c000, 0x1000, 2 },           { 0x9d000, 0x1000, 3 },
        { 0x9e000, 0x2000, 2 }, { 0x100000, 128 * MIB - MIB, 1 },
    };
    struct fake_dom d;
    struct xc_pvh_dom dom;

    setup(&d, &dom, 128 * MIB);
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(d.nr_memmap, 5);
    for ( unsigned int i = 0; i < 5; i++ )
    {
        uint64_t e = SI + 0x40 + i * 24;

        CHECK_EQ(d.memmap[i].addr, want[i][0]);
        CHECK_EQ(d.memmap[i].size, want[i][1]);
        CHECK_EQ(d.memmap[i].type, want[i][2]);
        CHECK_EQ(rd64(&d, e), want[i][0]);
        CHECK_EQ(rd64(&d, e + 8), want[i][1]);
        CHECK_EQ(rd32(&d, e + 16), want[i][2]);
    }
    fake_dom_dispose(&d);
}

static void test_params(void)
{
    struct fake_dom d;
    struct xc_pvh_dom dom;

    setup(&d, &dom, 16 * MIB);
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(d.params_set, (1ULL << HVM_PARAM_STORE_PFN) | (1ULL << HVM_PARAM_STORE_EVTCHN) |
                               (1ULL << HVM_PARAM_CONSOLE_PFN) |
                               (1ULL << HVM_PARAM_CONSOLE_EVTCHN));
    CHECK_EQ(d.params[HVM_PARAM_STORE_PFN], 0x9c);
    CHECK_EQ(d.params[HVM_PARAM_STORE_EVTCHN], 3);
    CHECK_EQ(d.params[HVM_PARAM_CONSOLE_PFN], 0x9e);
    CHECK_EQ(d.params[HVM_PARAM_CONSOLE_EVTCHN], 4);
    fake_dom_dispose(&d);
}

static uint64_t ctx64(const struct fake_dom *d, size_t off)
{
    uint64_t v;
    memcpy(&v, d->ctxt + off, 8);
    return v;
}

static uint32_t ctx32(const struct fake_dom *d, size_t off)
{
    uint32_t v;
    memcpy(&v, d->ctxt + off, 4);
    return v;
}

/* HEADER (typecode 1), CPU (2, struct hvm_hw_cpu at +40), END (0). */
static void test_cpu_record(void)
{
    const size_t cpu = 8 + 24 + 8;
    struct fake_dom d;
    struct xc_pvh_dom dom;

    setup(&d, &dom, 16 * MIB);
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(d.ctxt_len, 8 + 24 + 8 + 1032 + 8);
    CHECK_EQ(ctx32(&d, 0), 1); /* HEADER, instance 0 */
    CHECK_EQ(ctx32(&d, 4), 24);
    CHECK_EQ(ctx32(&d, 8), 0x54381286); /* HVM_FILE_MAGIC */
    CHECK_EQ(ctx32(&d, 12), 1);         /* HVM_FILE_VERSION */
    CHECK_EQ(ctx32(&d, 32), 2);         /* CPU, instance 0 */
    CHECK_EQ(ctx32(&d, 36), 1032);
    CHECK_EQ(ctx64(&d, cpu + 520), SI);         /* rbx */
    CHECK_EQ(ctx64(&d, cpu + 640), ENTRY);      /* rip */
    CHECK_EQ(ctx64(&d, cpu + 648), 0x2);        /* rflags */
    CHECK_EQ(ctx64(&d, cpu + 656), 0x11);       /* cr0 = PE | ET */
    CHECK_EQ(ctx64(&d, cpu + 680), 0);          /* cr4 */
    CHECK_EQ(ctx32(&d, cpu + 736), 0x08);       /* cs_sel */
    CHECK_EQ(ctx32(&d, cpu + 768), 0xffffffff); /* cs_limit */
    CHECK_EQ(ctx64(&d, cpu + 808), 0);          /* cs_base */
    CHECK_EQ(ctx32(&d, cpu + 888), 0xc9b);      /* cs_arbytes */
    CHECK_EQ(ctx32(&d, cpu + 892), 0xc93);      /* ds_arbytes */
    CHECK_EQ(ctx32(&d, cpu + 912), 0x8b);       /* tr_arbytes */
    CHECK_EQ(ctx64(&d, cpu + 992), 0);          /* msr_efer: no long mode */
    CHECK_EQ(ctx32(&d, cpu + 1024), 1);         /* FPU initialised */
    CHECK_EQ(ctx32(&d, cpu + 1032), 0);         /* END */
    CHECK_EQ(ctx32(&d, cpu + 1036), 0);
    fake_dom_dispose(&d);
}

/* 256 MiB: one call of 4 KiB extents (low memory and [1 MiB, 2 MiB)),
 * one of 2 MiB extents; one map per segment and one for the special
 * pages. */
static void test_cost(void)
{
    struct fake_dom d;
    struct xc_pvh_dom dom;

    setup(&d, &dom, 256 * MIB);
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(d.populate_calls, 2);
    CHECK_EQ(d.extents[0], 0xa0 + 0x100);
    CHECK_EQ(d.extents[9], (256 * MIB - 2 * MIB) / (2 * MIB));
    CHECK_EQ(dom.hypercalls, 8); /* map, 2 populates, 4 params, context */
    CHECK_EQ(dom.hypercalls, d.calls);
    CHECK_EQ(dom.map_batches, 3);
    CHECK_EQ(dom.frames_mapped, 3 + 5 + 4);
    CHECK_EQ(d.nr_maps, 0);
    fake_dom_dispose(&d);
}

/* A ramdisk larger than one map chunk (32 MiB) takes two batches. */
static void test_cost_big_ramdisk(void)
{
    const size_t size = 32 * MIB + 100;
    uint8_t *ramdisk = calloc(1, size);
    struct fake_dom d;
    struct xc_pvh_dom dom;

    CHECK(ramdisk);
    ramdisk[size - 1] = 0x5a;
    setup(&d, &dom, 64 * MIB);
    dom.ramdisk = ramdisk;
    dom.ramdisk_size = size;
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(dom.map_batches, 3 + 2);
    CHECK_EQ(dom.frames_mapped, 3 + 5 + 4 + (size + 4095) / 4096);
    CHECK_EQ(rd8(&d, ((64 * MIB - size) & ~0xfffULL) + size - 1), 0x5a);
    fake_dom_dispose(&d);
    free(ramdisk);
}

static void test_elf32_and_long_note(void)
{
    struct fake_dom d;
    struct xc_pvh_dom dom;
    size_t size;
    uint8_t *k32 = fx_elf(false, segs, 2, ENTRY, 4, &size);
    uint8_t *k8 = NULL;

    setup(&d, &dom, 16 * MIB);
    dom.kernel = k32;
    dom.kernel_size = size;
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(rd8(&d, 0x100001), FX_BYTE(0, 1));
    fake_dom_dispose(&d);
    k8 = fx_elf(true, segs, 2, ENTRY, 8, &size); /* Linux's 8-byte note */
    setup(&d, &dom, 16 * MIB);
    dom.kernel = k8;
    dom.kernel_size = size;
    CHECK_EQ(build(&d, &dom), 0);
    CHECK_EQ(ctx64(&d, 40 + 640), ENTRY);
    fake_dom_dispose(&d);
    free(k32);
    free(k8);
}

/* Fail each call and each map in turn: -1, a reason, nothing mapped. */
static void test_failure_paths(void)
{
    for ( uint64_t k = 1; k <= 8 + 3; k++ )
    {
        struct fake_dom d;
        struct xc_pvh_dom dom;

        setup(&d, &dom, 16 * MIB);
        if ( k <= 8 )
            d.fail_call = k;
        else
            d.fail_map = k - 8;
        CHECK_MSG(build(&d, &dom) == -1, "step %llu", (unsigned long long)k);
        CHECK(dom.error != NULL);
        CHECK(errno != 0);
        CHECK_EQ(d.nr_maps, 0);
        CHECK_EQ(dom.store_pfn, 0);
        CHECK_EQ(dom.hypercalls, d.calls);
        fake_dom_dispose(&d);
    }
}

struct bad_input
{
    const char *error;
    int err;
    void (*make)(struct xc_pvh_dom *dom);
};

static void mem_small(struct xc_pvh_dom *dom)
{
    dom->mem_kb = 2048;
}
static void mem_odd(struct xc_pvh_dom *dom)
{
    dom->mem_kb = 16 * 1024 + 2;
}
static void mem_big(struct xc_pvh_dom *dom)
{
    dom->mem_kb = 4ULL << 20;
}
static void mem_huge(struct xc_pvh_dom *dom)
{
    dom->mem_kb = UINT64_MAX; /* << 10 would wrap */
}
static void no_vcpus(struct xc_pvh_dom *dom)
{
    dom->max_vcpus = 0;
}
static void many_vcpus(struct xc_pvh_dom *dom)
{
    dom->max_vcpus = 1000;
}
static void long_cmdline(struct xc_pvh_dom *dom)
{
    static char s[3073];

    memset(s, 'x', 3072);
    dom->cmdline = s;
}
static void big_ramdisk(struct xc_pvh_dom *dom)
{
    dom->ramdisk = dom->kernel; /* only its size matters: refused first */
    dom->ramdisk_size = 15 * MIB;
}
static void ramdisk_no_data(struct xc_pvh_dom *dom)
{
    dom->ramdisk_size = 4096;
}
static void no_kernel(struct xc_pvh_dom *dom)
{
    dom->kernel = NULL;
}

static const struct bad_input bad_inputs[] = {
    { "memory size below 4 MiB", EINVAL, mem_small },
    { "memory size not a whole number of 4 KiB pages", EINVAL, mem_odd },
    { "memory size above 3 GiB (no MMIO hole below 4 GiB yet)", EINVAL, mem_big },
    { "memory size above 3 GiB (no MMIO hole below 4 GiB yet)", EINVAL, mem_huge },
    { "no vCPUs", EINVAL, no_vcpus },
    { "too many vCPUs for the ACPI MADT", E2BIG, many_vcpus },
    { "command line longer than 3071 bytes", E2BIG, long_cmdline },
    { "no room for the ramdisk between the kernel and the end of RAM", ENOSPC, big_ramdisk },
    { "ramdisk and ramdisk size disagree (empty ramdisk?)", EINVAL, ramdisk_no_data },
    { "no kernel image", EINVAL, no_kernel },
};

/* Every bad input is refused before the first call. */
static void test_bad_inputs(void)
{
    for ( size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++ )
    {
        struct fake_dom d;
        struct xc_pvh_dom dom;

        setup(&d, &dom, 16 * MIB);
        bad_inputs[i].make(&dom);
        CHECK_MSG(build(&d, &dom) == -1, "%s: accepted", bad_inputs[i].error);
        CHECK_MSG(dom.error && !strcmp(dom.error, bad_inputs[i].error), "%s: got \"%s\"",
                  bad_inputs[i].error, dom.error ? dom.error : "(null)");
        CHECK_EQ(errno, bad_inputs[i].err);
        CHECK_EQ(d.calls + d.batches, 0);
        CHECK_EQ(dom.hypercalls + dom.map_batches, 0);
        fake_dom_dispose(&d);
    }
}

/* ---- arm64 ---- */

#define A64_BASE  0x40000000ULL
#define A64_ENTRY 0x40000100ULL
static const struct fx_seg a64_segs[] = {
    { A64_BASE, 0x2000, 0x2000 },
    { A64_BASE + 0x2000, 0x100, 0x3000 },
};
static uint8_t a64_ramdisk[5000];

/* An AArch64 ELF64 (e_machine 183, e_entry) with no Xen note. */
static void setup_a64(struct fake_dom *d, struct xc_pvh_dom *dom, uint64_t mem, uint64_t entry)
{
    free(kernel);
    kernel = fx_elf(true, a64_segs, 2, 0, 0, &kernel_size);
    fx_put(kernel, 18, 183, 2);
    fx_put(kernel, 24, entry, 8);
    fake_dom_init(d, DOMID, NR_GFNS);
    *dom = (struct xc_pvh_dom){ .kernel = kernel,
                                .kernel_size = kernel_size,
                                .mem_kb = mem >> 10,
                                .max_vcpus = 1,
                                .cmdline = "hello arm64",
                                .store_evtchn = 3,
                                .console_evtchn = 4 };
}

static void test_arm64_layout(void)
{
    const uint64_t end = A64_BASE + 16 * MIB, top = end - 4096;
    const uint64_t rd = (end - 3 * 4096 - sizeof(a64_ramdisk)) & ~4095ULL;
    const size_t regs = 8; /* user_regs in struct vcpu_guest_context */
    struct fake_dom d;
    struct xc_pvh_dom dom;
    char cmd[16] = { 0 };

    setup_a64(&d, &dom, 16 * MIB, A64_ENTRY);
    memset(a64_ramdisk, 0x5a, sizeof(a64_ramdisk));
    dom.ramdisk = a64_ramdisk;
    dom.ramdisk_size = sizeof(a64_ramdisk);
    CHECK_EQ(build(&d, &dom), 0);
    CHECK(dom.error == NULL);
    CHECK(!fake_is_populated(&d, (A64_BASE >> 12) - 1));
    CHECK(fake_is_populated(&d, A64_BASE >> 12));
    CHECK(fake_is_populated(&d, (end >> 12) - 1));
    CHECK(!fake_is_populated(&d, end >> 12));
    CHECK_EQ(d.populated_frames, (16 * MIB) >> 12);
    CHECK_EQ(d.nr_memmap, 0); /* no e820 on arm64 */
    for ( uint64_t i = 0; i < a64_segs[1].memsz; i++ )
        CHECK_EQ(rd8(&d, a64_segs[1].paddr + i), i < a64_segs[1].filesz ? FX_BYTE(1, i) : 0);
    fake_read(&d, top, cmd, sizeof(cmd));
    CHECK(!strcmp(cmd, "hello arm64"));
    CHECK_EQ(rd8(&d, rd), 0x5a);
    CHECK_EQ(rd8(&d, rd + sizeof(a64_ramdisk) - 1), 0x5a);
    CHECK_EQ(d.params[HVM_PARAM_STORE_PFN], (end >> 12) - 3);
    CHECK_EQ(d.params[HVM_PARAM_CONSOLE_PFN], (end >> 12) - 2);
    CHECK_EQ(d.params[HVM_PARAM_CONSOLE_EVTCHN], 4);
    CHECK_EQ(dom.store_pfn, (end >> 12) - 3);
    CHECK_EQ(dom.console_pfn, (end >> 12) - 2);
    CHECK_EQ(d.ctxt_len, 352);
    CHECK_EQ(ctx32(&d, 0), 1);                           /* VGCF_online */
    CHECK_EQ(ctx64(&d, regs + 8), top);                  /* x1: command line */
    CHECK_EQ(ctx64(&d, regs + 16), DOMID);               /* x2 */
    CHECK_EQ(ctx64(&d, regs + 24), rd);                  /* x3: ramdisk */
    CHECK_EQ(ctx64(&d, regs + 32), sizeof(a64_ramdisk)); /* x4 */
    CHECK_EQ(ctx64(&d, regs + 248), A64_ENTRY);          /* pc64 */
    CHECK_EQ(ctx64(&d, regs + 256), 0x3c5);              /* cpsr: EL1h, DAIF */
    CHECK_EQ(ctx64(&d, 320), 0x30d00800);                /* sctlr: MMU off */
    CHECK_EQ(d.nr_maps, 0);
    fake_dom_dispose(&d);
}

/* Refused before the first call, with the reason. */
static void test_arm64_refusals(void)
{
    static const struct
    {
        uint64_t mem, entry;
        size_t ramdisk;
        const char *error;
    } bad[] = {
        { 16 * MIB, A64_ENTRY + 2, 0, "entry point unaligned or outside every loadable segment" },
        { 16 * MIB, A64_BASE + 0x8000, 0,
          "entry point unaligned or outside every loadable segment" },
        { 1 * MIB, A64_ENTRY, 0, "memory size outside 4 MiB to 3 GiB" },
        { 16 * MIB, A64_ENTRY, 16 * MIB,
          "no room for the ramdisk between the kernel and the end of RAM" },
    };
    static uint8_t big[16 * MIB];

    for ( size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        struct fake_dom d;
        struct xc_pvh_dom dom;

        setup_a64(&d, &dom, bad[i].mem, bad[i].entry);
        dom.ramdisk = bad[i].ramdisk ? big : NULL;
        dom.ramdisk_size = bad[i].ramdisk;
        CHECK_MSG(build(&d, &dom) == -1, "case %zu", i);
        CHECK_MSG(dom.error && !strcmp(dom.error, bad[i].error), "case %zu: %s", i,
                  dom.error ? dom.error : "(none)");
        CHECK_EQ(d.calls, 0);
        fake_dom_dispose(&d);
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        { "guest-build.ram", test_ram },
        { "guest-build.kernel_bytes", test_kernel_bytes },
        { "guest-build.special_pages", test_special_pages },
        { "guest-build.start_info", test_start_info },
        { "guest-build.memory_map", test_memory_map },
        { "guest-build.params", test_params },
        { "guest-build.cpu_record", test_cpu_record },
        { "guest-build.cost_256m", test_cost },
        { "guest-build.cost_big_ramdisk", test_cost_big_ramdisk },
        { "guest-build.elf32_and_long_note", test_elf32_and_long_note },
        { "guest-build.failure_paths", test_failure_paths },
        { "guest-build.bad_inputs", test_bad_inputs },
        { "guest-build.arm64_layout", test_arm64_layout },
        { "guest-build.arm64_refusals", test_arm64_refusals },
    };
    int rc = run_tests(cases, sizeof(cases) / sizeof(cases[0]));

    free(kernel);
    return rc;
}
