/*
 * hvmctx-records - the checks sethvmcontext makes on the records save
 * and migration added: CPU_XSAVE (16), VMCE_VCPU (18) and Wren's
 * WREN_VMCE_PENDING (0x5773). docs/designs/save-restore.md, vmce.md.
 *
 * dom0 creates a domain with one vCPU and 2 MiB of RAM, brings the vCPU
 * up with a PVH entry state and reads the context: every record is
 * there, once, with its length (CPU_XSAVE's the XSAVE image CPUID 0xD
 * gives; none without XSAVE), MCG_CAP with two banks, no vMCE pending.
 * The context loads back unchanged. Then one field at a time is made
 * what no guest could have left there, and each such context is refused
 * (-EINVAL) with the domain's context still the one read: a pending
 * vMCE whose page is RAM (not broken), outside the domain, without
 * MCIP or a valid bank; unknown flags, NESTED alone, the pad, bank 0
 * filled, a model-specific error code, MCG_STATUS bits past LMCE_S;
 * caps with three banks or more than this host gives, MCG_EXT_CTL
 * without LMCE; an XCR0 without x87 or with AVX but not SSE, an
 * xcr0_accum that does not cover XCR0, XSTATE_BV beyond xcr0_accum, a
 * compacted image, a reserved header word, an MXCSR reserved bit, and a
 * length other than the image's. Once the page is broken
 * (set_broken_page_p2m) the same pending vMCE loads, and reads back
 * pending (the vCPU is paused: not yet delivered). Where AVX is offered
 * an XCR0 with it loads and reads back.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/vmce.h>
#include <xtf/xstate.h>

const char test_title[] = "HVM context: CPU_XSAVE, VMCE_VCPU, WREN_VMCE_PENDING checked on load";

#define RAM_GFN  0x200UL /* 2 MiB of RAM from here */
#define OWED_GFN 0x223UL

static uint8_t ctx[XTF_HVM_CTX_SAVED_MAX(1)], bad[XTF_HVM_CTX_SAVED_MAX(1)];
static uint32_t ctx_size;
static domid_t dom;

static uint8_t *find(uint8_t *buf, uint16_t typecode, uint32_t *len)
{
    for ( uint32_t off = 0; off + 8 <= ctx_size; )
    {
        struct hvm_save_descriptor *d = (void *)(buf + off);

        if ( d->typecode == typecode )
            return *len = d->length, buf + off + 8;
        if ( d->typecode == HVM_SAVE_CODE(END) )
            break;
        off += 8 + d->length;
    }
    return NULL;
}

static bool expect(const char *what, uint64_t got, uint64_t want)
{
    if ( got == want )
        return true;
    xtf_failure("%s: got %#lx, expected %#lx", what, (unsigned long)got, (unsigned long)want);
    return false;
}

/* The domain's records of these three types are still those of ctx
 * (the rest moves with time: the TSC, the LAPIC timer). */
static bool unchanged(const char *what)
{
    static const uint16_t types[] = { HVM_SAVE_CODE(CPU_XSAVE), HVM_SAVE_CODE(VMCE_VCPU),
                                      HVM_SAVE_CODE(WREN_VMCE_PENDING) };
    static uint8_t now[sizeof(ctx)];
    uint32_t size = sizeof(now);

    if ( xtf_gethvmcontext(dom, now, &size) || size != ctx_size )
        return xtf_failure("%s: context unreadable after", what), false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(types); i++ )
    {
        uint32_t la = 0, lb = 0;
        uint8_t *a = find(ctx, types[i], &la), *b = find(now, types[i], &lb);

        if ( la != lb || (a && memcmp(a, b, la)) || !a != !b )
            return xtf_failure("%s: record %#x changed", what, types[i]), false;
    }
    return true;
}

/* Load bad (size len) and expect rc; a refusal must change nothing. */
static bool load(const char *what, uint32_t len, long want)
{
    long rc = xtf_sethvmcontext(dom, bad, len);

    if ( rc != want )
        return xtf_failure("%s: sethvmcontext %ld, expected %ld", what, rc, want), false;
    return want == 0 || unchanged(what);
}

#define PENDING(b) ((struct hvm_wren_vmce_pending *)find(b, HVM_SAVE_CODE(WREN_VMCE_PENDING), &l))
#define VMCE(b)    ((struct hvm_vmce_vcpu *)find(b, HVM_SAVE_CODE(VMCE_VCPU), &l))
#define XSAVE(b)   ((struct hvm_hw_cpu_xsave *)find(b, HVM_SAVE_CODE(CPU_XSAVE), &l))

/* A pending vMCE for OWED_GFN, as arch_vmce_inject leaves it. */
static void owe(struct hvm_wren_vmce_pending *p)
{
    p->flags = HVM_WREN_VMCE_PENDING;
    p->mcg_status = MCG_STATUS_MCIP | MCG_STATUS_EIPV;
    p->bank[1].status = VMCE_TEST_STATUS & ~MCI_STATUS_MSCOD;
    p->bank[1].addr = OWED_GFN << PAGE_SHIFT | 0x40;
    p->bank[1].misc = VMCE_TEST_MISC;
}

static bool pending_refusals(void)
{
    static const struct
    {
        const char *what;
        unsigned int field;
        uint64_t value;
    } cases[] = {
        { "an unknown flag", 0, 1U << 2 },
        { "NESTED without PENDING", 0, HVM_WREN_VMCE_NESTED },
        { "the pad", 1, 1 },
        { "MCG_STATUS bit 4", 2, 1U << 4 },
        { "bank 0 filled", 3, MCI_STATUS_VAL },
        { "an MSCOD in bank 1", 4, MCI_STATUS_VAL | (1ULL << 16) },
        { "bank 1 address outside the domain", 5, 1ULL << 52 },
        { "pending, page not broken", 6, 0 },
        { "pending without MCIP", 7, 0 },
        { "pending without ADDRV", 8, 0 },
    };
    uint32_t l;

    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        struct hvm_wren_vmce_pending *p;

        memcpy(bad, ctx, ctx_size);
        p = PENDING(bad);
        if ( cases[i].field >= 6 )
            owe(p);
        switch ( cases[i].field )
        {
        case 0: p->flags = (uint32_t)cases[i].value; break;
        case 1: p->pad = (uint32_t)cases[i].value; break;
        case 2: p->mcg_status = cases[i].value; break;
        case 3: p->bank[0].status = cases[i].value; break;
        case 4: p->bank[1].status = cases[i].value; break;
        case 5: p->bank[1].addr = cases[i].value; break;
        case 7: p->mcg_status = MCG_STATUS_EIPV; break;
        case 8: p->bank[1].status &= ~MCI_STATUS_ADDRV; break;
        }
        if ( !load(cases[i].what, ctx_size, -XEN_EINVAL) )
            return false;
    }
    return true;
}

static bool vmce_refusals(void)
{
    uint32_t l;

    memcpy(bad, ctx, ctx_size);
    VMCE(bad)->caps = (VMCE(bad)->caps & ~0xffULL) | 3;
    if ( !load("caps with three banks", ctx_size, -XEN_EINVAL) )
        return false;
    memcpy(bad, ctx, ctx_size);
    VMCE(bad)->caps |= 1ULL << 9; /* MCG_EXT_P: not offered */
    if ( !load("caps beyond this host's", ctx_size, -XEN_EINVAL) )
        return false;
    memcpy(bad, ctx, ctx_size);
    VMCE(bad)->mcg_ext_ctl = 1;
    return load("MCG_EXT_CTL without LMCE", ctx_size, -XEN_EINVAL);
}

/* One change to the CPU_XSAVE record of bad, by case number. */
static void spoil_xsave(struct hvm_hw_cpu_xsave *x, unsigned int n)
{
    uint32_t mxcsr = 1U << 16;

    switch ( n )
    {
    case 0: x->xcr0 = XSTATE_SSE; break;
    case 1: x->xcr0 = XSTATE_X87 | XSTATE_YMM; break;
    case 2: x->xcr0_accum = XSTATE_X87, x->xcr0 = XSTATE_X87 | XSTATE_SSE; break;
    case 3: x->save_area.xsave_hdr.xstate_bv = 1ULL << 9; break;
    case 4: x->save_area.xsave_hdr.xcomp_bv = 1ULL << 63; break;
    case 5: x->save_area.xsave_hdr.reserved[2] = 1; break;
    case 6: memcpy(x->save_area.fpu_sse + 24, &mxcsr, 4); break;
    }
}

static bool xsave_refusals(uint32_t xlen)
{
    static const char *const what[] = {
        "XCR0 without x87",          "XCR0 with AVX, not SSE", "xcr0_accum short of XCR0",
        "XSTATE_BV past xcr0_accum", "a compacted image",      "a reserved header word",
        "an MXCSR reserved bit",
    };
    uint32_t l;

    for ( unsigned int n = 0; n < ARRAY_SIZE(what); n++ )
    {
        memcpy(bad, ctx, ctx_size);
        spoil_xsave(XSAVE(bad), n);
        if ( !load(what[n], ctx_size, -XEN_EINVAL) )
            return false;
    }
    /* 64 bytes short: the descriptor says so, and END moves up */
    memcpy(bad, ctx, ctx_size);
    XSAVE(bad);
    {
        struct hvm_save_descriptor *d = (void *)((uint8_t *)XSAVE(bad) - 8);
        uint8_t *after = (uint8_t *)XSAVE(bad) + xlen;

        d->length = xlen - 64;
        memmove(after - 64, after, (size_t)(bad + ctx_size - after));
    }
    return load("a length other than the image's", ctx_size - 64, -XEN_EINVAL);
}

/* Loads once the page is broken, and stays pending while paused. */
static bool pending_accepted(void)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_set_broken_page_p2m, .domain = dom };
    uint32_t l, size = sizeof(ctx);
    long rc;

    op.u.set_broken_page_p2m.pfn = OWED_GFN;
    if ( (rc = hypercall_domctl(&op)) )
        return xtf_failure("set_broken_page_p2m: %ld", rc), false;
    memcpy(bad, ctx, ctx_size);
    owe(PENDING(bad));
    if ( !load("pending, page broken", ctx_size, 0) )
        return false;
    if ( xtf_gethvmcontext(dom, ctx, &size) || size != ctx_size )
        return xtf_failure("read after the pending load"), false;
    return expect("flags read back", PENDING(ctx)->flags, HVM_WREN_VMCE_PENDING) &&
           expect("address read back", PENDING(ctx)->bank[1].addr, OWED_GFN << PAGE_SHIFT | 0x40);
}

static bool avx_accepted(void)
{
    uint32_t l, size = sizeof(ctx);

    if ( !(xcr0_offered() & XSTATE_YMM) )
        return printf("AVX not offered: XCR0 with it not tried\n"), true;
    memcpy(bad, ctx, ctx_size);
    XSAVE(bad)->xcr0 = XSTATE_X87 | XSTATE_SSE | XSTATE_YMM;
    if ( !load("XCR0 with AVX", ctx_size, 0) )
        return false;
    return !xtf_gethvmcontext(dom, ctx, &size) &&
           expect("XCR0 read back", XSAVE(ctx)->xcr0, XSTATE_X87 | XSTATE_SSE | XSTATE_YMM);
}

static bool records_there(uint32_t *xlen)
{
    uint32_t l, want = xtf_hvm_xsave_record();

    ctx_size = sizeof(ctx);
    if ( xtf_gethvmcontext(dom, ctx, &ctx_size) || ctx_size != XTF_HVM_CTX_SAVED(1) )
        return xtf_failure("context of %u bytes, expected %u", ctx_size, XTF_HVM_CTX_SAVED(1)),
               false;
    if ( !PENDING(ctx) || !expect("WREN_VMCE_PENDING length", l, 64) || !VMCE(ctx) ||
         !expect("VMCE_VCPU length", l, 32) || !expect("banks", VMCE(ctx)->caps & 0xff, 2) ||
         !expect("nothing pending", PENDING(ctx)->flags, 0) )
        return false;
    *xlen = 0;
    if ( !want )
        return XSAVE(ctx) ? (xtf_failure("CPU_XSAVE without XSAVE"), false) : true;
    if ( !XSAVE(ctx) || !expect("CPU_XSAVE length", l, want - 8) )
        return xtf_failure("no CPU_XSAVE record of %u bytes", want - 8), false;
    *xlen = l;
    printf("CPU_XSAVE: %u bytes, XCR0 %#lx, xcr0_accum %#lx\n", l, (unsigned long)XSAVE(ctx)->xcr0,
           (unsigned long)XSAVE(ctx)->xcr0_accum);
    return expect("XCR0 at power-on", XSAVE(ctx)->xcr0, XSTATE_X87);
}

static bool setup(void)
{
    static uint8_t one[XTF_HVM_CTX_ONE];
    struct xen_domctl_createdomain cfg = xtf_pvh_config(1);
    struct hvm_hw_cpu cpu;
    long rc = xtf_createdomain(0, &cfg, &dom);

    if ( rc )
        return xtf_error("createdomain: %ld", rc), false;
    if ( xtf_set_max_mem(dom, 8192) || xtf_populate(dom, RAM_GFN, 9, 1) != 1 )
        return xtf_error("giving d%u 2 MiB of RAM", dom), false;
    xtf_hvm_cpu_pvh(&cpu, 0x100000, 0);
    rc = xtf_sethvmcontext(dom, one, xtf_hvm_context_one(one, &cpu, 0));
    return rc ? (xtf_error("PVH entry state: %ld", rc), false) : true;
}

void test_main(void)
{
    uint32_t xlen;

    if ( !setup() )
        goto out;
    if ( !records_there(&xlen) )
        goto out;
    memcpy(bad, ctx, ctx_size);
    if ( !load("the context read", ctx_size, 0) || !unchanged("the context read") )
        goto out;
    if ( !pending_refusals() || !vmce_refusals() || (xlen && !xsave_refusals(xlen)) )
        goto out;
    if ( pending_accepted() && (!xlen || avx_accepted()) )
        xtf_success(NULL);
out:
    xtf_domctl_simple(XEN_DOMCTL_destroydomain, dom);
}
