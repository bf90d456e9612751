/*
 * fpu.c - a vCPU's x87/SSE/AVX/AVX-512 registers and its XCR0.
 *
 * The hypervisor is built without floating point or SSE, so the registers
 * belong to whichever vCPU ran last: they are saved when a vCPU leaves its
 * CPU and restored when one arrives. With XSAVE, both are done with XCR0
 * set to every user component the CPU has that fits the vCPU's area
 * (xcr0_switch: what a guest may enable, xcr0_max, and more), whatever
 * the guest's own XCR0 is: a component the guest has switched off is still
 * its own (or the init state) in the CPU, never another domain's, when
 * it switches it back on. Without XSAVE, FXSAVE format is all there is.
 *
 * XCR0 is per vCPU too. The CPU holds the guest's value only between
 * fpu_enter_guest() and fpu_leave_guest(), which the vendor code calls
 * around each VM entry; the hypervisor runs with HOST_XCR0. A guest's
 * XSETBV exits and is checked here against what CPUID offers it (where
 * the emulator lets it exit: see xcr0_changed_behind_us()).
 *
 * The HVM context's CPU_XSAVE record is read from and written to a
 * stopped vCPU's area here (arch_hvm_xsave_*), checked as XRSTOR would.
 *
 * Touches nothing but the FP/vector registers, XCR0 and CR4.OSXSAVE.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <asm/x86.h>
#include <asm/fpu.h>
#include <asm/traps.h>
#include <xen/errno.h>
#include <xen/arch.h>
#include <public/hvm/save.h>

#define FXSAVE_FCW        0 /* x87 control word */
#define FXSAVE_MXCSR      24
#define XSAVE_HDR         512 /* XSTATE_BV, then XCOMP_BV */
#define XSAVE_LEGACY_SIZE 576 /* legacy region and header */

#define CPUID1_ECX_XSAVE (1u << 26)
#define X86_CR4_OSXSAVE  (1ULL << 18)

/* What the hypervisor runs with: the least XCR0 allows. */
#define HOST_XCR0 (XSTATE_X87 | XSTATE_SSE)

static uint64_t xcr0_max;          /* 0: no XSAVE, FXSAVE only */
static uint64_t xcr0_switch;       /* what XSAVE/XRSTOR cover */
static uint64_t xcr0_now[NR_CPUS]; /* XCR0 in each CPU, to skip XSETBVs */

static inline void xsetbv(uint32_t idx, uint64_t val)
{
    asm volatile("xsetbv" ::"c"(idx), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
}

static void set_xcr0(uint64_t val)
{
    unsigned int cpu = smp_processor_id();
    if ( xcr0_now[cpu] == val )
        return;
    xsetbv(0, val);
    xcr0_now[cpu] = val;
}

/* Bytes of a standard-format XSAVE image holding the components in mask. */
unsigned int fpu_xsave_size(uint64_t mask)
{
    unsigned int size = XSAVE_LEGACY_SIZE;
    for ( unsigned int i = 2; i < 63; i++ )
    {
        struct cpuid_regs r;
        if ( !(mask & (1ULL << i)) )
            continue;
        r = cpuid_count(0xd, i);
        size = MAX(size, r.b + r.a); /* offset + size */
    }
    return size;
}

uint64_t fpu_xcr0_max(void)
{
    return xcr0_max;
}

/*
 * The components a guest may have: x87, SSE, AVX and AVX-512 where the
 * CPU has them (MPX, PKRU, AMX and the supervisor states are not
 * offered), and only in combinations XSETBV accepts.
 */
static uint64_t probe_xcr0_max(void)
{
    struct cpuid_regs r;
    uint64_t max;
    if ( !(cpuid(1).c & CPUID1_ECX_XSAVE) )
        return 0;
    r = cpuid_count(0xd, 0);
    max = (r.a | ((uint64_t)r.d << 32)) & XSTATE_GUEST_OK;
    if ( (max & XSTATE_AVX512) != XSTATE_AVX512 || !(max & XSTATE_YMM) )
        max &= ~XSTATE_AVX512;
    if ( fpu_xsave_size(max) > XSAVE_AREA_SIZE )
    {
        printk(XENLOG_WARNING "FPU: AVX-512 image of %u bytes does not fit, not offered\n",
               fpu_xsave_size(max));
        max &= ~XSTATE_AVX512;
    }
    return max;
}

/*
 * What the switch covers: every user component the CPU has whose image
 * fits, offered or not, so that one a guest enables behind our back
 * (QEMU's SVM does not intercept XSETBV) is still per vCPU. AMX tile
 * data (8 KiB) does not fit: XSETBV on such a CPU must exit.
 */
static uint64_t probe_xcr0_switch(void)
{
    struct cpuid_regs r = cpuid_count(0xd, 0);
    uint64_t cpu = r.a | ((uint64_t)r.d << 32), mask = xcr0_max;
    for ( unsigned int i = 2; i < 63; i++ )
    {
        uint64_t bit = 1ULL << i;
        if ( (cpu & bit) && !(cpuid_count(0xd, i).c & 1) && /* ECX[0]: supervisor */
             fpu_xsave_size(mask | bit) <= XSAVE_AREA_SIZE )
            mask |= bit;
    }
    return mask;
}

/* Every CPU: let FXSAVE/FXRSTOR and XSAVE cover the vector registers, never trap. */
void fpu_cpu_init(void)
{
    unsigned int cpu = smp_processor_id();
    write_cr0((read_cr0() | X86_CR0_MP) & ~(X86_CR0_EM | X86_CR0_TS));
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    if ( cpu == 0 )
    {
        xcr0_max = probe_xcr0_max();
        xcr0_switch = xcr0_max ? probe_xcr0_switch() : 0;
        printk(
            "FPU: XSAVE %s, CPU XCR0 mask %#x, guests may enable %#lx, switched %#lx (%u bytes)\n",
            xcr0_max ? "on" : "absent", xcr0_max ? cpuid_count(0xd, 0).a : 0, xcr0_max, xcr0_switch,
            xcr0_max ? fpu_xsave_size(xcr0_switch) : 512);
    }
    if ( !xcr0_max )
        return;
    write_cr4(read_cr4() | X86_CR4_OSXSAVE);
    xsetbv(0, HOST_XCR0);
    xcr0_now[cpu] = HOST_XCR0;
}

/* Power-on values: x87 control word 0x37f, MXCSR 0x1f80, XCR0 1, all else 0. */
void fpu_init_vcpu(struct vcpu *v)
{
    uint16_t fcw = 0x37f;
    uint32_t mxcsr = 0x1f80;
    uint64_t xstate_bv = XSTATE_X87 | XSTATE_SSE;
    memset(v->arch.xsave, 0, sizeof(v->arch.xsave));
    memcpy(v->arch.xsave + FXSAVE_FCW, &fcw, sizeof(fcw));
    memcpy(v->arch.xsave + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
    memcpy(v->arch.xsave + XSAVE_HDR, &xstate_bv, sizeof(xstate_bv));
    v->arch.xcr0 = XSTATE_X87;
}

#define XSAVE_MEM(v) (*(uint8_t(*)[XSAVE_AREA_SIZE])(v)->arch.xsave)

void fpu_restore(struct vcpu *v)
{
    if ( !xcr0_max )
    {
        asm volatile("fxrstor64 %0" ::"m"(XSAVE_MEM(v)));
        return;
    }
    set_xcr0(xcr0_switch);
    asm volatile("xrstor64 %0" ::"m"(XSAVE_MEM(v)), "a"((uint32_t)xcr0_switch),
                 "d"((uint32_t)(xcr0_switch >> 32)));
}

void fpu_save(struct vcpu *v)
{
    if ( !xcr0_max )
    {
        asm volatile("fxsave64 %0" : "=m"(XSAVE_MEM(v)));
        return;
    }
    set_xcr0(xcr0_switch);
    asm volatile("xsave64 %0"
                 : "+m"(XSAVE_MEM(v))
                 : "a"((uint32_t)xcr0_switch), "d"((uint32_t)(xcr0_switch >> 32)));
    set_xcr0(HOST_XCR0);
}

#define FXSAVE_XMM 160 /* XMM0-15, 16 bytes each, in both formats */
#define FXSAVE_ST  32  /* ST0-7 / MM0-7, 16 bytes each */

/* ---- the HVM context's FXSAVE image (hvm/save_cpu.c) ---- */

/* v's x87/SSE state as FXSAVE would write it; v is not running, so its
 * area is current. A component XSAVE left in its init state reads as
 * that state, not as the stale bytes the area may hold. */
void fpu_get_fxsave(struct vcpu *v, uint8_t out[FXSAVE_SIZE])
{
    uint64_t bv = XSTATE_X87 | XSTATE_SSE;
    uint16_t fcw = 0x37f;

    memcpy(out, v->arch.xsave, FXSAVE_SIZE);
    if ( xcr0_max )
        memcpy(&bv, v->arch.xsave + XSAVE_HDR, sizeof(bv));
    if ( !(bv & XSTATE_X87) )
    {
        memset(out, 0, FXSAVE_MXCSR); /* FCW..FDP, MXCSR kept */
        memcpy(out + FXSAVE_FCW, &fcw, sizeof(fcw));
        memset(out + FXSAVE_ST, 0, FXSAVE_XMM - FXSAVE_ST);
    }
    if ( !(bv & XSTATE_SSE) )
        memset(out + FXSAVE_XMM, 0, 16 * 16);
}

/* Would FXRSTOR/XRSTOR take this image? Reserved MXCSR bits fault. */
int fpu_fxsave_check(const uint8_t in[FXSAVE_SIZE])
{
    uint32_t mxcsr;

    memcpy(&mxcsr, in + FXSAVE_MXCSR, sizeof(mxcsr));
    return mxcsr >> 16 ? -EINVAL : 0;
}

/* Replace v's x87/SSE state (checked); the other components are kept. */
void fpu_set_fxsave(struct vcpu *v, const uint8_t in[FXSAVE_SIZE])
{
    uint64_t bv;

    memcpy(v->arch.xsave, in, FXSAVE_SIZE);
    if ( !xcr0_max )
        return;
    memcpy(&bv, v->arch.xsave + XSAVE_HDR, sizeof(bv));
    bv |= XSTATE_X87 | XSTATE_SSE;
    memcpy(v->arch.xsave + XSAVE_HDR, &bv, sizeof(bv));
}

/* With XSAVE, an SSE component in its init state (XSTATE_BV bit clear)
 * is all zeros whatever the image holds. */
static bool xmm_init_state(const struct vcpu *v)
{
    uint64_t bv;

    if ( !xcr0_max )
        return false;
    memcpy(&bv, v->arch.xsave + XSAVE_HDR, sizeof(bv));
    return !(bv & XSTATE_SSE);
}

void fpu_read_xmm(struct vcpu *v, unsigned int n, uint8_t out[16])
{
    fpu_save(v);
    if ( xmm_init_state(v) )
        memset(out, 0, 16);
    else
        memcpy(out, v->arch.xsave + FXSAVE_XMM + 16 * (n & 15), 16);
}

void fpu_write_xmm(struct vcpu *v, unsigned int n, const uint8_t in[16])
{
    fpu_save(v);
    if ( xmm_init_state(v) )
    {
        uint64_t bv;
        memset(v->arch.xsave + FXSAVE_XMM, 0, 16 * 16);
        memcpy(&bv, v->arch.xsave + XSAVE_HDR, sizeof(bv));
        bv |= XSTATE_SSE;
        memcpy(v->arch.xsave + XSAVE_HDR, &bv, sizeof(bv));
    }
    memcpy(v->arch.xsave + FXSAVE_XMM + 16 * (n & 15), in, 16);
    fpu_restore(v);
}

/*
 * Bits 255:128 of YMMn: the AVX component of the standard-format image,
 * at the offset CPUID 0xD.2 gives. An AVX component in its init state
 * (XSTATE_BV bit clear) is zeros; writing one sets the bit and clears the
 * stale image first. Without AVX in the switch there is none: reads give
 * zeros, writes are dropped (no guest could have executed the load).
 */
static unsigned int ymm_offset(void)
{
    return (xcr0_switch & XSTATE_YMM) ? cpuid_count(0xd, 2).b : 0;
}

void fpu_read_ymm_hi(struct vcpu *v, unsigned int n, uint8_t out[16])
{
    unsigned int off = ymm_offset();
    uint64_t bv;

    memset(out, 0, 16);
    if ( !off )
        return;
    fpu_save(v);
    memcpy(&bv, v->arch.xsave + XSAVE_HDR, sizeof(bv));
    if ( bv & XSTATE_YMM )
        memcpy(out, v->arch.xsave + off + 16 * (n & 15), 16);
}

void fpu_write_ymm_hi(struct vcpu *v, unsigned int n, const uint8_t in[16])
{
    unsigned int off = ymm_offset();
    uint64_t bv;

    if ( !off )
        return;
    fpu_save(v);
    memcpy(&bv, v->arch.xsave + XSAVE_HDR, sizeof(bv));
    if ( !(bv & XSTATE_YMM) )
    {
        memset(v->arch.xsave + off, 0, 16 * 16);
        bv |= XSTATE_YMM;
        memcpy(v->arch.xsave + XSAVE_HDR, &bv, sizeof(bv));
    }
    memcpy(v->arch.xsave + off + 16 * (n & 15), in, 16);
    fpu_restore(v);
}

/*
 * FOP, FIP and FDP (64-bit layout) as the guest's own x87 instruction
 * would have left them, after the emulator ran it here.
 */
void fpu_set_x87_pointers(struct vcpu *v, uint64_t fip, uint64_t fdp, uint16_t fop)
{
    fpu_save(v);
    memcpy(v->arch.xsave + 6, &fop, 2);
    memcpy(v->arch.xsave + 8, &fip, 8);
    memcpy(v->arch.xsave + 16, &fdp, 8);
    fpu_restore(v);
}

#define FXSAVE_FSW 2  /* x87 status word; TOP in bits 13:11 */
#define FXSAVE_FTW 4  /* abridged tag byte: 1 bit per register, 1 valid */
#define FXSAVE_ST  32 /* ST0-7 / MM0-7, 16 bytes each */

/*
 * The image's register slots are ST(0)-ST(7), relative to TOP; MMn is
 * physical register n. Setting TOP to 0 must keep every physical
 * register's contents: slot j then holds what slot (j - top) & 7 did.
 */
static void rotate_to_top0(uint8_t *img, unsigned int top)
{
    uint8_t st[8][16];

    memcpy(st, img + FXSAVE_ST, sizeof(st));
    for ( unsigned int j = 0; j < 8; j++ )
        memcpy(img + FXSAVE_ST + 16 * j, st[(j - top) & 7], 16);
}

/*
 * What any MMX instruction does to the x87 state: TOP to 0, every tag
 * valid. With XSAVE, an x87 component in its init state is first given
 * the init values (FCW 0x37F, the rest zero) so that the image is what
 * the CPU would have held; MXCSR (bytes 24-31) is SSE's and is kept.
 */
static void mmx_transition(struct vcpu *v)
{
    uint8_t *img = v->arch.xsave;
    uint64_t bv;
    uint16_t fsw, fcw = 0x37f;

    if ( xcr0_max )
    {
        memcpy(&bv, img + XSAVE_HDR, sizeof(bv));
        if ( !(bv & XSTATE_X87) )
        {
            memset(img, 0, 24);
            memcpy(img + FXSAVE_FCW, &fcw, sizeof(fcw));
            memset(img + FXSAVE_ST, 0, 8 * 16);
            bv |= XSTATE_X87;
            memcpy(img + XSAVE_HDR, &bv, sizeof(bv));
        }
    }
    memcpy(&fsw, img + FXSAVE_FSW, sizeof(fsw));
    rotate_to_top0(img, (fsw >> 11) & 7);
    fsw &= ~(7u << 11);
    memcpy(img + FXSAVE_FSW, &fsw, sizeof(fsw));
    img[FXSAVE_FTW] = 0xff;
}

void fpu_read_mm(struct vcpu *v, unsigned int n, uint8_t out[8])
{
    fpu_save(v);
    mmx_transition(v);
    memcpy(out, v->arch.xsave + FXSAVE_ST + 16 * (n & 7), 8);
    fpu_restore(v);
}

/* An MMX write also sets the register's exponent bits (79:64) to ones. */
void fpu_write_mm(struct vcpu *v, unsigned int n, const uint8_t in[8])
{
    uint8_t *reg = v->arch.xsave + FXSAVE_ST + 16 * (n & 7);

    fpu_save(v);
    mmx_transition(v);
    memcpy(reg, in, 8);
    reg[8] = reg[9] = 0xff;
    fpu_restore(v);
}

void fpu_enter_guest(struct vcpu *v)
{
    if ( xcr0_max )
        set_xcr0(v->arch.xcr0);
}

static inline uint64_t xgetbv(uint32_t idx)
{
    uint32_t lo, hi;
    asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(idx));
    return ((uint64_t)hi << 32) | lo;
}

/*
 * QEMU 7.2 ignores the SVM XSETBV intercept (docs/platforms.md): the
 * guest's XSETBV changes XCR0 with QEMU's own checks only. Read it back
 * at every exit. Components the CPU has but CPUID does not offer are
 * switched all the same; one we do not switch cannot be kept apart from
 * other domains, so that domain stops.
 */
static void xcr0_changed_behind_us(struct vcpu *v, uint64_t hw)
{
    char why[96];
    xcr0_now[smp_processor_id()] = hw;
    if ( !(hw & ~xcr0_switch) )
    {
        v->arch.xcr0 = hw;
        return;
    }
    snprintf(why, sizeof(why), "XCR0 %#lx set without an XSETBV exit, beyond %#lx", hw,
             xcr0_switch);
    domain_crash(v->domain, why);
}

void fpu_leave_guest(struct vcpu *v)
{
    uint64_t hw;
    if ( !xcr0_max )
        return;
    hw = xgetbv(0);
    if ( hw != v->arch.xcr0 )
        xcr0_changed_behind_us(v, hw);
    set_xcr0(HOST_XCR0);
}

/* A guest's XSETBV: 0 if XCR0 took the value, else the vector to inject. */
int fpu_guest_xsetbv(struct vcpu *v, uint32_t idx, uint64_t val, unsigned int cpl, uint64_t cr4)
{
    int vec = fpu_xsetbv_check(xcr0_max, idx, val, cpl, cr4);
    if ( !vec )
        v->arch.xcr0 = val;
    return vec;
}

/*
 * The emulator's state-image instructions (fpu_guest_insn). Each runs
 * under a trap guard: a #GP for an image the guest wrote comes back as
 * the guest's exception instead of a hypervisor panic.
 */
#define GUARDED_STUB(name, insn)                                                   \
    static void name(struct trap_guard *g, uint8_t *buf, uint32_t lo, uint32_t hi) \
    {                                                                              \
        uint64_t t;                                                                \
        asm volatile("lea 1f(%%rip), %[t]; mov %[t], %[at]; lea 2f(%%rip), %[t]; " \
                     "mov %[t], %[to]; 1: " insn " (%[b]); 2: movq $0, %[at]"      \
                     : [t] "=&r"(t), [at] "+m"(g->rip), [to] "=m"(g->resume)       \
                     : [b] "r"(buf), "a"(lo), "d"(hi)                              \
                     : "memory");                                                  \
    }

GUARDED_STUB(run_fxsave, "fxsave")
GUARDED_STUB(run_fxsave64, "fxsave64")
GUARDED_STUB(run_fxrstor, "fxrstor")
GUARDED_STUB(run_fxrstor64, "fxrstor64")
GUARDED_STUB(run_xsave, "xsave")
GUARDED_STUB(run_xsave64, "xsave64")
GUARDED_STUB(run_xsaveopt, "xsaveopt")
GUARDED_STUB(run_xsaveopt64, "xsaveopt64")
GUARDED_STUB(run_xrstor, "xrstor")
GUARDED_STUB(run_xrstor64, "xrstor64")
GUARDED_STUB(run_stmxcsr, "stmxcsr")
GUARDED_STUB(run_ldmxcsr, "ldmxcsr")

typedef void guarded_fn(struct trap_guard *g, uint8_t *buf, uint32_t lo, uint32_t hi);
static guarded_fn *const guest_insns[FPU_NR_GUEST_INSNS] = {
    [FPU_FXSAVE] = run_fxsave,       [FPU_FXSAVE64] = run_fxsave64,     [FPU_FXRSTOR] = run_fxrstor,
    [FPU_FXRSTOR64] = run_fxrstor64, [FPU_XSAVE] = run_xsave,           [FPU_XSAVE64] = run_xsave64,
    [FPU_XSAVEOPT] = run_xsaveopt,   [FPU_XSAVEOPT64] = run_xsaveopt64, [FPU_XRSTOR] = run_xrstor,
    [FPU_XRSTOR64] = run_xrstor64,   [FPU_STMXCSR] = run_stmxcsr,       [FPU_LDMXCSR] = run_ldmxcsr,
};

/*
 * v's registers are the CPU's (an exit handler of v). With the guest's
 * XCR0 loaded the instruction sees the components the guest enabled and
 * no others; the hypervisor's own XCR0 leaves the rest of the state in
 * the CPU, as fpu_leave_guest() does.
 */
int fpu_guest_insn(struct vcpu *v, enum fpu_guest_insn insn, uint8_t *buf, uint64_t mask,
                   unsigned int *vector, uint32_t *error_code)
{
    struct trap_guard *g = trap_guard_this_cpu();
    bool xsave = insn >= FPU_XSAVE && insn <= FPU_XRSTOR64;

    if ( insn >= FPU_NR_GUEST_INSNS || (xsave && !xcr0_max) )
        return -EINVAL;
    g->vector = TRAP_GUARD_NONE;
    if ( xsave )
        set_xcr0(v->arch.xcr0);
    guest_insns[insn](g, buf, (uint32_t)mask, (uint32_t)(mask >> 32));
    if ( xsave )
        set_xcr0(HOST_XCR0);
    if ( g->vector == TRAP_GUARD_NONE )
        return 0;
    *vector = g->vector;
    *error_code = g->error_code;
    return -EFAULT;
}

/*
 * fn(arg) with the guest's XCR0 in the CPU, for the emulator's VEX stubs
 * (a VEX instruction is #UD under HOST_XCR0). The registers are v's.
 */
void fpu_with_guest_xcr0(struct vcpu *v, void (*fn)(void *arg), void *arg)
{
    if ( xcr0_max )
        set_xcr0(v->arch.xcr0);
    fn(arg);
    if ( xcr0_max )
        set_xcr0(HOST_XCR0);
}

/* ---- the HVM context's CPU_XSAVE record (public/hvm/save.h) ---- */

#define XSAVE_REC_HDR 24 /* xfeature_mask, xcr0, xcr0_accum */

/* Every record of this host covers all a guest may enable (xcr0_accum
 * = xcr0_max), so its length is one number, what the context's size
 * promises. */
uint32_t arch_hvm_xsave_max(void)
{
    return xcr0_max ? XSAVE_REC_HDR + fpu_xsave_size(xcr0_max) : 0;
}

/*
 * v is not running: its area is current. A component the guest enabled
 * behind our back (beyond xcr0_max: xcr0_changed_behind_us) is dropped
 * from XCR0 and XSTATE_BV alike, as the image has no room for it and no
 * load would take it. XCR0 stays one XSETBV accepts: xcr0_max holds each
 * dependent group whole or not at all.
 */
uint32_t arch_hvm_xsave_save(struct vcpu *v, struct hvm_hw_cpu_xsave *r)
{
    uint32_t size = fpu_xsave_size(xcr0_max);
    uint64_t bv;

    if ( !xcr0_max )
        return 0;
    r->xfeature_mask = xcr0_max;
    r->xcr0 = v->arch.xcr0 & xcr0_max;
    r->xcr0_accum = xcr0_max;
    memcpy(&r->save_area, v->arch.xsave, size);
    memcpy(&bv, v->arch.xsave + XSAVE_HDR, sizeof(bv));
    r->save_area.xsave_hdr.xstate_bv = bv & r->xcr0_accum;
    r->save_area.xsave_hdr.xcomp_bv = 0;
    memset(r->save_area.xsave_hdr.reserved, 0, sizeof(r->save_area.xsave_hdr.reserved));
    return XSAVE_REC_HDR + size;
}

/*
 * What XSETBV and XRSTOR would accept: an XCR0 a guest may set here,
 * inside xcr0_accum, which this host can hold; XSTATE_BV inside it, the
 * standard format (XCOMP_BV 0), the header's reserved bytes 0, MXCSR's
 * reserved bits clear; and exactly the image xcr0_accum needs on this
 * CPU (the components' offsets are CPUID's).
 */
int arch_hvm_xsave_check(struct vcpu *v, const struct hvm_hw_cpu_xsave *r, uint32_t len)
{
    const struct hvm_hw_cpu_xsave_hdr *h = &r->save_area.xsave_hdr;

    if ( !xcr0_max || fpu_xsetbv_check(xcr0_max, 0, r->xcr0, 0, X86_CR4_OSXSAVE) )
        return -EINVAL;
    if ( (r->xcr0 & ~r->xcr0_accum) || (r->xcr0_accum & ~xcr0_max) )
        return -EINVAL;
    if ( len != XSAVE_REC_HDR + fpu_xsave_size(r->xcr0_accum) )
        return -EINVAL;
    if ( (h->xstate_bv & ~r->xcr0_accum) || h->xcomp_bv )
        return -EINVAL;
    for ( unsigned int i = 0; i < ARRAY_SIZE(h->reserved); i++ )
        if ( h->reserved[i] )
            return -EINVAL;
    return fpu_fxsave_check(r->save_area.fpu_sse);
}

/* Components past the image are in their init state (XSTATE_BV says). */
int arch_hvm_xsave_load(struct vcpu *v, const struct hvm_hw_cpu_xsave *r, uint32_t len)
{
    memset(v->arch.xsave, 0, sizeof(v->arch.xsave));
    memcpy(v->arch.xsave, &r->save_area, len - XSAVE_REC_HDR);
    v->arch.xcr0 = r->xcr0;
    return 0;
}
