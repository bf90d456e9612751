/*
 * vmsr.c - the MSRs Xen virtualises for every HVM guest, with the same
 * values, reserved bits and #GP cases (asm/hvm_msr.h):
 *
 *  - DEBUGCTL: LBR and BTF may be set (kept, not loaded into hardware);
 *    any other bit is #GP.
 *  - MTRRs: MTRRcap says 8 variable ranges, fixed ranges and WC, and is
 *    read-only; DEF_TYPE, PHYSBASEn/PHYSMASKn and the 11 fixed-range
 *    MSRs are stored per vCPU; a reserved bit, an address bit past
 *    MAXPHYADDR or a memory type that does not exist (2, 3, 7 and up) is
 *    #GP. They describe cacheability only: Wren's p2m maps RAM
 *    write-back whatever they say.
 *  - PAT: each byte a valid PAT type (0, 1, 4, 5, 6, 7) with its upper
 *    bits clear, else #GP; reset 0x0007040600070406.
 *  - MISC_ENABLE (Intel only, #GP on AMD as there): fast strings, BTS
 *    and PEBS unavailable, xTPR messages disabled; a write of that value
 *    is accepted and any other is #GP.
 *  - vMCE: MCG_CAP with 2 banks (plus TES, SER and CMCI on Intel),
 *    writes ignored; MCG_STATUS read/write; MCG_CTL absent from MCG_CAP,
 *    so it reads 0 and writes are ignored; MCi_CTL reads all-ones and
 *    ignores writes; MCi_STATUS/ADDR/MISC of the 2 banks hold what a
 *    vMCE put there and may only be written 0 (anything else #GP);
 *    Intel's MCi_CTL2 kept for the 2 banks; banks 2-31 read 0 and ignore
 *    writes. A vMCE (arch_vmce_inject) fills bank 1 as Xen does.
 *  - PLATFORM_ID (Intel only) reads 0 and is read-only; BIOS_SIGN_ID /
 *    PATCHLEVEL (0x8b) reads revision 0, and accepts Intel's write of 0
 *    before the CPUID that latches it.
 *  - SYSCFG (AMD only): reads 0 (no memory encryption, no fixed-range
 *    DRAM modifier bits) and ignores writes; Linux reads it at boot. So
 *    does INT_PENDING_MSG (AMD only, 0xc0010055): 0, C1E never active.
 *
 * It may touch only the vCPU's struct hvm_msr_state and, for PAT, the
 * vendor's guest PAT through hvm_vendor.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/hvm_msr.h>
#include <asm/mce.h>
#include <xen/vmce.h>

#define MSR_PLATFORM_ID     0x017
#define MSR_BIOS_SIGN_ID    0x08b
#define MSR_MTRRCAP         0x0fe
#define MSR_MCG_CAP         0x179
#define MSR_MCG_STATUS      0x17a
#define MSR_MCG_CTL         0x17b
#define MSR_MISC_ENABLE     0x1a0
#define MSR_DEBUGCTL        0x1d9
#define MSR_MTRR_PHYS_FIRST 0x200
#define MSR_MTRR_PHYS_LAST  0x21f /* 16 pairs architecturally possible */
#define MSR_MTRR_FIX_64K    0x250
#define MSR_MTRR_FIX_16K_80 0x258
#define MSR_MTRR_FIX_16K_A0 0x259
#define MSR_MTRR_FIX_4K_C0  0x268
#define MSR_MTRR_FIX_4K_F8  0x26f
#define MSR_PAT             0x277
#define MSR_MTRR_DEF_TYPE   0x2ff
#define MSR_MC0_CTL         0x400
#define MSR_MC_LAST         0x47f /* 32 banks of 4 */
#define MSR_AMD_SYSCFG      0xc0010010
#define MSR_AMD_INT_PENDING 0xc0010055 /* interrupt pending / C1E message */

#define DEBUGCTL_OK       0x3ULL                                       /* LBR, BTF */
#define MTRRCAP_VALUE     (HVM_MTRR_VCNT | (1ULL << 8) | (1ULL << 10)) /* FIX, WC */
#define MTRR_DEF_OK       0xcffULL                                     /* type, FE (10), E (11) */
#define MTRR_DEF_PVH      0x806ULL                                     /* E, type WB */
#define MTRR_MASK_VALID   (1ULL << 11)
#define MISC_FAST_STRING  (1ULL << 0)
#define MISC_BTS_UNAVAIL  (1ULL << 11)
#define MISC_PEBS_UNAVAIL (1ULL << 12)
#define MISC_XTPR_DISABLE (1ULL << 23)
#define MISC_VALUE        (MISC_FAST_STRING | MISC_BTS_UNAVAIL | MISC_PEBS_UNAVAIL | MISC_XTPR_DISABLE)

static bool intel(void)
{
    return hvm_vendor == &vmx_vendor_ops;
}

static struct hvm_msr_state *state(struct vcpu *v)
{
    return &v->arch.msr;
}

void hvm_msr_vcpu_init(struct vcpu *v)
{
    *state(v) = (struct hvm_msr_state){
        .pat = HVM_PAT_RESET,
        .mtrr_def_type = MTRR_DEF_PVH,
    };
}

/* ---- memory types ----------------------------------------------------- */

/* UC, WC, WT, WP, WB: the MTRR types; PAT adds UC- (7). */
static bool mtrr_type_ok(uint64_t t)
{
    return t == 0 || t == 1 || t == 4 || t == 5 || t == 6;
}

static bool pat_ok(uint64_t pat)
{
    for ( unsigned int i = 0; i < 8; i++ )
    {
        uint64_t t = (pat >> (i * 8)) & 0xff;
        if ( !mtrr_type_ok(t) && t != 7 )
            return false;
    }
    return true;
}

static bool fixed_ok(uint64_t val)
{
    for ( unsigned int i = 0; i < 8; i++ )
        if ( !mtrr_type_ok((val >> (i * 8)) & 0xff) )
            return false;
    return true;
}

/* Address bits at or above the guest's MAXPHYADDR are reserved. */
static uint64_t above_maxphyaddr(void)
{
    unsigned int bits = cpuid(0x80000008).a & 0xff;
    return bits && bits < 64 ? ~((1ULL << bits) - 1) : 0;
}

/* The fixed-range MSR's slot, or -1. */
static int fixed_index(uint32_t msr)
{
    if ( msr == MSR_MTRR_FIX_64K )
        return 0;
    if ( msr == MSR_MTRR_FIX_16K_80 || msr == MSR_MTRR_FIX_16K_A0 )
        return 1 + (msr - MSR_MTRR_FIX_16K_80);
    if ( msr >= MSR_MTRR_FIX_4K_C0 && msr <= MSR_MTRR_FIX_4K_F8 )
        return 3 + (msr - MSR_MTRR_FIX_4K_C0);
    return -1;
}

/* ---- MTRRs ------------------------------------------------------------ */

static int mtrr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    struct hvm_msr_state *s = state(v);
    int fix = fixed_index(msr);

    if ( msr == MSR_MTRRCAP )
        *val = MTRRCAP_VALUE;
    else if ( msr == MSR_MTRR_DEF_TYPE )
        *val = s->mtrr_def_type;
    else if ( fix >= 0 )
        *val = s->mtrr_fixed[fix];
    else if ( msr - MSR_MTRR_PHYS_FIRST < 2 * HVM_MTRR_VCNT )
        *val = s->mtrr_var[(msr - MSR_MTRR_PHYS_FIRST) / 2][msr & 1];
    else
        return 0; /* past VCNT */
    return 1;
}

static bool var_ok(uint32_t msr, uint64_t val)
{
    if ( !(msr & 1) ) /* PHYSBASE: type in 7:0, 11:8 reserved */
        return mtrr_type_ok(val & 0xff) && !(val & (0xf00ULL | above_maxphyaddr()));
    return !(val & (0x7ffULL | above_maxphyaddr())); /* PHYSMASK: V in 11 */
}

static int mtrr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    struct hvm_msr_state *s = state(v);
    int fix = fixed_index(msr);

    if ( msr == MSR_MTRR_DEF_TYPE )
    {
        if ( (val & ~MTRR_DEF_OK) || !mtrr_type_ok(val & 0xff) )
            return 0;
        s->mtrr_def_type = val;
    }
    else if ( fix >= 0 )
    {
        if ( !fixed_ok(val) )
            return 0;
        s->mtrr_fixed[fix] = val;
    }
    else if ( msr - MSR_MTRR_PHYS_FIRST < 2 * HVM_MTRR_VCNT && var_ok(msr, val) )
        s->mtrr_var[(msr - MSR_MTRR_PHYS_FIRST) / 2][msr & 1] = val;
    else
        return 0; /* MTRRcap, a bad value, or past VCNT */
    return 1;
}

static bool is_mtrr(uint32_t msr)
{
    return msr == MSR_MTRRCAP || msr == MSR_MTRR_DEF_TYPE || fixed_index(msr) >= 0 ||
           (msr >= MSR_MTRR_PHYS_FIRST && msr <= MSR_MTRR_PHYS_LAST);
}

/* ---- machine check ---------------------------------------------------- */

uint64_t hvm_vmce_mcg_cap(void)
{
    return HVM_MCE_BANKS | (intel() ? MCG_TES_P | MCG_SER_P | MCG_CMCI_P : 0);
}

/* Intel's MCi_CTL2, 0x280 + bank. */
static bool is_ctl2(uint32_t msr)
{
    return intel() && msr >= MSR_MC0_CTL2 && msr < MSR_MC0_CTL2 + MCE_MAX_BANKS;
}

static int ctl2_access(struct vcpu *v, uint32_t msr, uint64_t *val, bool write)
{
    unsigned int bank = msr - MSR_MC0_CTL2;

    if ( bank >= HVM_MCE_BANKS )
    {
        if ( !write )
            *val = 0;
        return 1;
    }
    if ( write )
        state(v)->mce[bank].ctl2 = *val;
    else
        *val = state(v)->mce[bank].ctl2;
    return 1;
}

/* MCi_CTL/STATUS/ADDR/MISC: reg 0-3 of bank. */
static int mce_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    unsigned int bank = (msr - MSR_MC0_CTL) / 4, reg = msr & 3;
    struct hvm_mce_bank *b = &state(v)->mce[bank < HVM_MCE_BANKS ? bank : 0];

    if ( bank >= HVM_MCE_BANKS )
        *val = 0;
    else
        *val = reg == 0 ? ~0ULL : reg == 1 ? b->status : reg == 2 ? b->addr : b->misc;
    return 1;
}

static int mce_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    unsigned int bank = (msr - MSR_MC0_CTL) / 4, reg = msr & 3;
    struct hvm_mce_bank *b;

    if ( reg == 0 )
        return 1; /* MCi_CTL: ignored */
    if ( val )
        return 0; /* only the guest's handler clearing a bank */
    if ( bank >= HVM_MCE_BANKS )
        return 1;
    b = &state(v)->mce[bank];
    if ( reg == 1 )
        b->status = val;
    else if ( reg == 2 )
        b->addr = val;
    else
        b->misc = val;
    return 1;
}

/* ---- the rest --------------------------------------------------------- */

static int misc_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch ( msr )
    {
    case MSR_DEBUGCTL: *val = state(v)->debugctl; return 1;
    case MSR_PAT: *val = state(v)->pat; return 1;
    case MSR_MISC_ENABLE: *val = MISC_VALUE; return intel();
    case MSR_PLATFORM_ID: *val = 0; return intel();
    case MSR_BIOS_SIGN_ID: *val = 0; return 1;
    case MSR_MCG_CAP: *val = hvm_vmce_mcg_cap(); return 1;
    case MSR_MCG_STATUS: *val = state(v)->mcg_status; return 1;
    case MSR_MCG_CTL: *val = 0; return 1;
    case MSR_AMD_SYSCFG: *val = 0; return !intel();      /* no SME, no DRAM MTRR bits */
    case MSR_AMD_INT_PENDING: *val = 0; return !intel(); /* C1E never active */
    }
    return -ENOENT;
}

static int set_pat(struct vcpu *v, uint64_t val)
{
    if ( !pat_ok(val) )
        return 0;
    state(v)->pat = val;
    hvm_vendor->set_guest_pat(v, val);
    return 1;
}

static int misc_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch ( msr )
    {
    case MSR_DEBUGCTL:
        if ( val & ~DEBUGCTL_OK )
            return 0;
        state(v)->debugctl = val;
        return 1;
    case MSR_PAT: return set_pat(v, val);
    case MSR_MISC_ENABLE: return intel() && val == MISC_VALUE;
    case MSR_BIOS_SIGN_ID: return intel() && val == 0;
    case MSR_MCG_STATUS: state(v)->mcg_status = val; return 1;
    case MSR_MCG_CTL: return 1;
    case MSR_AMD_SYSCFG:
    case MSR_AMD_INT_PENDING: return !intel(); /* ignored */
    case MSR_MCG_CAP: return 1;                /* read-only; Xen ignores the write */
    case MSR_PLATFORM_ID: return 0;            /* read-only */
    }
    return -ENOENT;
}

int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    if ( is_mtrr(msr) )
        return mtrr_read(v, msr, val);
    if ( msr >= MSR_MC0_CTL && msr <= MSR_MC_LAST )
        return mce_read(v, msr, val);
    if ( is_ctl2(msr) )
        return ctl2_access(v, msr, val, false);
    return misc_read(v, msr, val);
}

int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    if ( is_mtrr(msr) )
        return mtrr_write(v, msr, val);
    if ( msr >= MSR_MC0_CTL && msr <= MSR_MC_LAST )
        return mce_write(v, msr, val);
    if ( is_ctl2(msr) )
        return ctl2_access(v, msr, &val, true);
    return misc_write(v, msr, val);
}

/* ---- vMCE delivery ---------------------------------------------------- */

/* Xen's fill-in: bank 1 (bank 0 has quirks on old CPUs), the status with
 * its model-specific error code (MSCOD) hidden, the address turned into
 * the guest's, MCG_STATUS as the host saw it (MCIP always set). */
void arch_vmce_inject(struct vcpu *v, uint64_t gfn, const struct mce_record *rec)
{
    struct hvm_msr_state *s = state(v);

    if ( s->mcg_status & MCG_STATUS_MCIP )
        s->mce_nested = true;
    s->mcg_status = rec->mcg_status | MCG_STATUS_MCIP;
    s->mce[1].status = rec->status & ~MCI_STATUS_MSCOD;
    s->mce[1].addr = (gfn << PAGE_SHIFT) | (rec->addr & (PAGE_SIZE - 1));
    s->mce[1].misc = rec->misc;
    __atomic_store_n(&s->mce_pending, true, __ATOMIC_RELEASE);
    hvm_vcpu_kick(v);
}

void hvm_vmce_deliver(struct vcpu *v)
{
    struct hvm_msr_state *s = state(v);
    struct hvm_guest_state g;

    if ( !__atomic_exchange_n(&s->mce_pending, false, __ATOMIC_ACQ_REL) )
        return;
    hvm_vendor->get_guest_state(v, &g);
    if ( s->mce_nested || !(g.cr4 & X86_CR4_MCE) )
    {
        vmce_count_delivery(false);
        domain_crash(v->domain, s->mce_nested
                                    ? "vMCE while the guest's previous #MC is in progress"
                                    : "vMCE for a broken page, and the guest has not set CR4.MCE");
        return;
    }
    vmce_count_delivery(true);
    hvm_vendor->inject_exception(v, 18, -1);
}

/* ---- the MTRR save record (hvm/save_mtrr.c) --------------------------- */

/* Would a guest's WRMSR of val to this PAT or MTRR MSR be accepted? */
bool hvm_msr_mtrr_value_ok(uint32_t msr, uint64_t val)
{
    if ( msr == MSR_PAT )
        return pat_ok(val);
    if ( msr == MSR_MTRR_DEF_TYPE )
        return !(val & ~MTRR_DEF_OK) && mtrr_type_ok(val & 0xff);
    if ( fixed_index(msr) >= 0 )
        return fixed_ok(val);
    return msr - MSR_MTRR_PHYS_FIRST < 2 * HVM_MTRR_VCNT && var_ok(msr, val);
}
