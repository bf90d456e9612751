/*
 * guest.c - a VMX guest's register state beyond the GPRs: the reset
 * states (Xen's PVH entry state, VCPUOP_initialise contexts), the guest's
 * own writes to CR0 and CR4 that we intercept, and the view of its state
 * the common code reads (cached at every exit).
 *
 * CR0 and CR4 have two values: what the CPU runs with, which has the
 * bits VMX forces (CR0.NE, CR4.VMXE), and the guest's view, whose bits in
 * the guest/host mask come from the read shadow (mirrored in cr0_shadow/
 * cr4_shadow). The masks cover exactly the forced and the unsupported
 * bits, plus CR0.CD/NW, which VM entry never loads (they are the host's),
 * so a guest write exits only when it touches one of those; everything
 * else, CR3 and paging included, the guest does without exits.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/hvm/hvm_vcpu.h>
#include "vmx_priv.h"

#define X86_CR4_PSE          (1ULL << 4)
#define X86_CR4_SMEP         (1ULL << 20)
#define EFER_GUEST_OK        (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define RFLAGS_RESERVED_ZERO 0xffffffffffc08028ULL /* bits 3, 5, 15, 22-63 */
#define RFLAGS_VM            (1ULL << 17)
#define PAT_RESET            0x0007040600070406ULL

/* Segment access rights (VMCS format) of the flat reset states. */
#define AR_CODE32   (VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | 0xb)
#define AR_CODE64   (VMX_AR_G | VMX_AR_L | VMX_AR_P | VMX_AR_S | 0xb)
#define AR_DATA     (VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | 0x3)
#define AR_TSS_BUSY (VMX_AR_P | 0xb)
#define SEL_CODE    0x08
#define SEL_DATA    0x10
#define SEL_TR      0x18

struct vmx_seg
{
    uint16_t sel;
    uint32_t ar;
    uint32_t limit;
    uint64_t base;
};

/* A complete reset state, decoded and checked before anything is written. */
struct boot_state
{
    uint64_t cr0, cr3, cr4, efer; /* cr0/cr4: the guest's view */
    struct vmx_seg seg[VMX_NR_SEGS];
    uint64_t pdpte[4]; /* PAE paging outside long mode */
    struct guest_regs regs;
    uint32_t idt_limit; /* 0 but in real mode */
};

/* ---- CR0/CR4: the guest's view and the value the CPU runs with ---- */

/* CD and NW are the host's: VM entry and exit never change them. */
static uint64_t cr0_hw_value(uint64_t cr0)
{
    return ((cr0 | vmx_caps.cr0_force1) & vmx_caps.cr0_fixed1) & ~(X86_CR0_CD | X86_CR0_NW);
}

static uint64_t cr4_hw_value(uint64_t cr4)
{
    return (cr4 | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1;
}

static void set_guest_cr0(struct vcpu *v, uint64_t cr0)
{
    v->arch.vmx.cr0_shadow = cr0;
    vmcs_write(VMCS_GUEST_CR0, cr0_hw_value(cr0));
    vmcs_write(VMCS_CR0_SHADOW, cr0);
}

static void set_guest_cr4(struct vcpu *v, uint64_t cr4)
{
    v->arch.vmx.cr4_shadow = cr4;
    vmcs_write(VMCS_GUEST_CR4, cr4_hw_value(cr4));
    vmcs_write(VMCS_CR4_SHADOW, cr4);
}

/* The guest's view: our masked bits come from the shadow. */
static uint64_t visible(uint64_t hw, uint64_t shadow, uint64_t mask)
{
    return (hw & ~mask) | (shadow & mask);
}

/* The guest's current CR0/CR4 (VMCS loaded): it changes the bits we do
 * not own without exits, so the VMCS, not our mirror, has the truth. */
static uint64_t guest_cr0(void)
{
    return visible(vmcs_read(VMCS_GUEST_CR0), vmcs_read(VMCS_CR0_SHADOW), vmx_caps.cr0_mask);
}

static uint64_t guest_cr4(void)
{
    return visible(vmcs_read(VMCS_GUEST_CR4), vmcs_read(VMCS_CR4_SHADOW), vmx_caps.cr4_mask);
}

static void set_long_mode_active(bool on)
{
    uint64_t efer = vmcs_read(VMCS_GUEST_EFER);
    uint64_t entry = vmcs_read(VMCS_ENTRY_CTLS);

    vmcs_write(VMCS_GUEST_EFER, on ? efer | EFER_LMA : efer & ~EFER_LMA);
    vmcs_write(VMCS_ENTRY_CTLS, on ? entry | ENTRY_IA32E_GUEST : entry & ~ENTRY_IA32E_GUEST);
}

static bool pae_paging(uint64_t cr0, uint64_t cr4, uint64_t efer)
{
    return (cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) && !(efer & EFER_LMA);
}

/*
 * The four PDPTEs that PAE paging (outside long mode) loads from CR3; with
 * EPT, VM entry takes them from the VMCS, so whoever sets PG, PAE or CR3
 * behind the CPU's back must read them. -EINVAL where the CPU would #GP.
 */
static int read_pdptes(struct vcpu *v, uint64_t cr3, uint64_t pdpte[4])
{
    uint64_t gpa = cr3 & 0xffffffe0ULL, rsvd = 0x1e6ULL;
    p2m_type_t t;
    mfn_t mfn = p2m_lookup(&v->domain->p2m, _gfn(gpa >> PAGE_SHIFT), &t, NULL, NULL);
    const uint64_t *p;

    if ( !mfn_valid_raw(mfn) || !p2m_is_ram(t) )
        return -EINVAL;
    p = (const uint64_t *)((uint8_t *)mfn_to_virt(mfn) + (gpa & ~PAGE_MASK));
    rsvd |= ~((1ULL << vmx_caps.maxphyaddr) - 1);
    for ( unsigned int i = 0; i < 4; i++ )
    {
        pdpte[i] = p[i];
        if ( (pdpte[i] & 1) && (pdpte[i] & rsvd) )
            return -EINVAL;
    }
    return 0;
}

static void write_pdptes(const uint64_t pdpte[4])
{
    for ( unsigned int i = 0; i < 4; i++ )
        vmcs_write(VMCS_GUEST_PDPTE(i), pdpte[i]);
}

/* The checks MOV to CR0 makes before changing anything (#GP if they fail). */
static int check_cr0_write(uint64_t val, uint64_t old, uint64_t efer, uint64_t cr4)
{
    bool paging_on = (val & X86_CR0_PG) && !(old & X86_CR0_PG);
    bool paging_off = !(val & X86_CR0_PG) && (old & X86_CR0_PG);

    if ( (val >> 32) || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
         ((val & X86_CR0_NW) && !(val & X86_CR0_CD)) )
        return -EINVAL;
    if ( paging_on && (efer & EFER_LME) && !(cr4 & X86_CR4_PAE) )
        return -EINVAL;
    if ( paging_off && (efer & EFER_LMA) && (vmcs_read(VMCS_GUEST_AR(VMX_SEG_CS)) & VMX_AR_L) )
        return -EINVAL; /* only from compatibility mode */
    return 0;
}

/*
 * MOV to CR0 by the guest. -EINVAL: the CPU would raise #GP, and nothing
 * has changed. Turning paging on with EFER.LME set activates long mode;
 * turning it off deactivates it. PAE paging outside long mode reloads the
 * PDPTEs when PG, CD or NW change, as the instruction does.
 */
static int guest_write_cr0(struct vcpu *v, uint64_t val)
{
    uint64_t old = guest_cr0(), efer = vmcs_read(VMCS_GUEST_EFER), cr4 = guest_cr4();
    uint64_t efer_after = efer & ~EFER_LMA, pdpte[4];
    bool reload;

    if ( check_cr0_write(val, old, efer, cr4) )
        return -EINVAL;
    if ( (val & X86_CR0_PG) && (efer & EFER_LME) )
        efer_after |= EFER_LMA;
    reload =
        pae_paging(val, cr4, efer_after) && ((val ^ old) & (X86_CR0_PG | X86_CR0_CD | X86_CR0_NW));
    if ( reload && read_pdptes(v, vmcs_read(VMCS_GUEST_CR3), pdpte) )
        return -EINVAL;
    if ( efer_after != efer )
        set_long_mode_active(efer_after & EFER_LMA);
    set_guest_cr0(v, val);
    if ( reload )
        write_pdptes(pdpte);
    return 0;
}

/* MOV to CR4 by the guest, with the same contract. */
static int guest_write_cr4(struct vcpu *v, uint64_t val)
{
    uint64_t efer = vmcs_read(VMCS_GUEST_EFER), old = guest_cr4(), pdpte[4];
    uint64_t cr3 = vmcs_read(VMCS_GUEST_CR3);
    bool reload;

    if ( hvm_cr4_write_check(vmx_caps.cr4_guest_ok, old, val, efer & EFER_LMA, cr3) )
        return -EINVAL;
    reload = pae_paging(guest_cr0(), val, efer) &&
             ((old ^ val) & (X86_CR4_PAE | X86_CR4_PGE | X86_CR4_PSE | X86_CR4_SMEP));
    if ( reload && read_pdptes(v, cr3, pdpte) )
        return -EINVAL;
    set_guest_cr4(v, val);
    if ( reload )
        write_pdptes(pdpte);
    return 0;
}

/* LMSW cannot make a CR0 the checks refuse: PG is untouched and PE
 * only ever gets set. */
void vmx_lmsw(struct vcpu *v, uint16_t src)
{
    guest_write_cr0(v, hvm_lmsw_cr0(guest_cr0(), src));
    invvpid(INVVPID_SINGLE_CONTEXT, v->arch.vmx.vpid);
}

/* CLTS and LMSW exit only when they change a bit the host owns. */
static bool cr0_short_form(struct vcpu *v, uint64_t q, unsigned int insn_len)
{
    if ( CR_QUAL_TYPE(q) == CR_ACCESS_CLTS )
        guest_write_cr0(v, guest_cr0() & ~X86_CR0_TS);
    else
        vmx_lmsw(v, CR_QUAL_LMSW_SRC(q));
    v->arch.regs.rip += insn_len;
    return true;
}

bool vmx_cr_access(struct vcpu *v, unsigned int insn_len)
{
    uint64_t q = vmcs_read(VMCS_EXIT_QUALIFICATION);
    unsigned int cr = CR_QUAL_CR(q);
    uint64_t val;
    int rc;

    if ( CR_QUAL_TYPE(q) == CR_ACCESS_CLTS || CR_QUAL_TYPE(q) == CR_ACCESS_LMSW )
        return cr0_short_form(v, q, insn_len);
    if ( CR_QUAL_TYPE(q) != CR_ACCESS_MOV_TO || (cr != 0 && cr != 4) )
        return false;
    val = hvm_read_gpr(v, CR_QUAL_GPR(q));
    if ( !(vmcs_read(VMCS_GUEST_EFER) & EFER_LMA) ||
         !(vmcs_read(VMCS_GUEST_AR(VMX_SEG_CS)) & VMX_AR_L) )
        val = (uint32_t)val; /* not 64-bit mode */
    rc = cr == 0 ? guest_write_cr0(v, val) : guest_write_cr4(v, val);
    if ( rc )
    {
        vmx_queue_exception(v, 13, 0); /* #GP(0), RIP unchanged */
        return true;
    }
    /* Paging-mode changes behind the CPU's back: drop the guest's
     * linear translations as the real instruction would. */
    invvpid(INVVPID_SINGLE_CONTEXT, v->arch.vmx.vpid);
    v->arch.regs.rip += insn_len;
    return true;
}

/* ---- the cached view for get_guest_state ---- */

void vmx_cache_guest_state(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;

    x->cr0_hw = vmcs_read(VMCS_GUEST_CR0);
    x->cr3 = vmcs_read(VMCS_GUEST_CR3);
    x->cr4_hw = vmcs_read(VMCS_GUEST_CR4);
    x->efer = vmcs_read(VMCS_GUEST_EFER);
    x->cs_sel = vmcs_read(VMCS_GUEST_SEL(VMX_SEG_CS));
    x->cs_ar = vmcs_read(VMCS_GUEST_AR(VMX_SEG_CS));
    x->ss_ar = vmcs_read(VMCS_GUEST_AR(VMX_SEG_SS));
}

void vmx_get_guest_state(struct vcpu *v, struct hvm_guest_state *st)
{
    const struct vmx_vcpu *x = &v->arch.vmx;

    st->cr0 = visible(x->cr0_hw, x->cr0_shadow, vmx_caps.cr0_mask);
    st->cr3 = x->cr3;
    st->cr4 = visible(x->cr4_hw, x->cr4_shadow, vmx_caps.cr4_mask);
    st->efer = x->efer;
    st->cs_sel = x->cs_sel;
    st->cpl = (x->ss_ar >> VMX_AR_DPL_SHIFT) & 3;
    st->long_mode = (x->efer & EFER_LMA) && (x->cs_ar & VMX_AR_L);
    st->cs_32 = x->cs_ar & VMX_AR_DB;
}

void vmx_dump_guest_state(struct vcpu *v)
{
    printk(XENLOG_ERR "  CR0 %#lx (shadow %#lx) CR3 %#lx CR4 %#lx (shadow %#lx) EFER %#lx\n",
           vmcs_read(VMCS_GUEST_CR0), vmcs_read(VMCS_CR0_SHADOW), vmcs_read(VMCS_GUEST_CR3),
           vmcs_read(VMCS_GUEST_CR4), vmcs_read(VMCS_CR4_SHADOW), vmcs_read(VMCS_GUEST_EFER));
    printk(XENLOG_ERR "  RIP %#lx RSP %#lx RFLAGS %#lx entry controls %#lx\n",
           vmcs_read(VMCS_GUEST_RIP), vmcs_read(VMCS_GUEST_RSP), vmcs_read(VMCS_GUEST_RFLAGS),
           vmcs_read(VMCS_ENTRY_CTLS));
    for ( unsigned int s = 0; s < VMX_NR_SEGS; s++ )
        printk(XENLOG_ERR "  seg%u sel %#06lx base %#lx limit %#lx ar %#lx\n", s,
               vmcs_read(VMCS_GUEST_SEL(s)), vmcs_read(VMCS_GUEST_BASE(s)),
               vmcs_read(VMCS_GUEST_LIMIT(s)), vmcs_read(VMCS_GUEST_AR(s)));
    printk(XENLOG_ERR "  interruptibility %#lx activity %#lx entry event %#lx\n",
           vmcs_read(VMCS_GUEST_INTERRUPTIBILITY), vmcs_read(VMCS_GUEST_ACTIVITY),
           vmcs_read(VMCS_ENTRY_INTR_INFO));
}

/* ---- reset states ---- */

static void write_segments(const struct vmx_seg *seg, uint32_t idt_limit)
{
    for ( unsigned int s = 0; s < VMX_NR_SEGS; s++ )
    {
        vmcs_write(VMCS_GUEST_SEL(s), seg[s].sel);
        vmcs_write(VMCS_GUEST_BASE(s), seg[s].base);
        vmcs_write(VMCS_GUEST_LIMIT(s), seg[s].limit);
        vmcs_write(VMCS_GUEST_AR(s), seg[s].ar);
    }
    vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
    vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0);
    vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
    vmcs_write(VMCS_GUEST_IDTR_LIMIT, idt_limit);
}

static void write_misc_reset_state(void)
{
    vmcs_write(VMCS_GUEST_DR7, 0x400);
    vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
    vmcs_write(VMCS_GUEST_PAT, PAT_RESET);
    vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
    vmcs_write(VMCS_GUEST_ACTIVITY, 0); /* active */
    vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
    vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
    vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
    vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
    vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
}

/* Write a checked reset state into v's VMCS; v must not be running. */
static void apply_boot_state(struct vcpu *v, const struct boot_state *st)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    unsigned long flags = local_save_flags();
    uint64_t entry;

    local_irq_disable();
    vmcs_load(v);
    set_guest_cr0(v, st->cr0);
    set_guest_cr4(v, st->cr4);
    vmcs_write(VMCS_GUEST_CR3, st->cr3);
    vmcs_write(VMCS_GUEST_EFER, st->efer);
    entry = vmcs_read(VMCS_ENTRY_CTLS) & ~ENTRY_IA32E_GUEST;
    vmcs_write(VMCS_ENTRY_CTLS, entry | (st->efer & EFER_LMA ? ENTRY_IA32E_GUEST : 0));
    write_segments(st->seg, st->idt_limit);
    write_pdptes(st->pdpte);
    write_misc_reset_state();
    vmcs_write(VMCS_GUEST_RIP, st->regs.rip);
    vmcs_write(VMCS_GUEST_RSP, st->regs.rsp);
    vmcs_write(VMCS_GUEST_RFLAGS, st->regs.rflags);
    vmx_cache_guest_state(v);
    vmcs_unload(v);
    if ( flags & X86_EFLAGS_IF )
        local_irq_enable();
    v->arch.regs = st->regs;
    x->last_rip = st->regs.rip;
    x->pending_vector = -1;
    x->reinject_info = 0;
    x->pending_intr = -1;
    x->interruptibility = 0;
}

static struct vmx_seg flat_seg(uint16_t sel, uint32_t ar)
{
    return (struct vmx_seg){ .sel = sel, .ar = ar, .limit = 0xffffffff, .base = 0 };
}

/* Segments of a flat state: 32-bit or 64-bit code, flat data, busy TSS. */
static void flat_segments(struct vmx_seg *seg, bool long_mode)
{
    for ( unsigned int s = 0; s < VMX_NR_SEGS; s++ )
        seg[s] = flat_seg(SEL_DATA, AR_DATA);
    seg[VMX_SEG_CS] = flat_seg(SEL_CODE, long_mode ? AR_CODE64 : AR_CODE32);
    seg[VMX_SEG_LDTR] = (struct vmx_seg){ .ar = VMX_AR_UNUSABLE };
    seg[VMX_SEG_TR] = (struct vmx_seg){ .sel = SEL_TR, .ar = AR_TSS_BUSY, .limit = 0x67 };
}

void vmx_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
    struct boot_state st;

    memset(&st, 0, sizeof(st));
    st.cr0 = X86_CR0_PE | X86_CR0_ET;
    flat_segments(st.seg, false);
    st.regs.rip = entry;
    st.regs.rbx = ebx;
    st.regs.rflags = 0x2;
    apply_boot_state(v, &st);
}

/* A SIPI's state: real mode (unrestricted guest) at cs_sel:0, 64 KiB
 * segments, the rest as after INIT. */
void vmx_set_real_mode(struct vcpu *v, uint16_t cs_sel)
{
    struct boot_state st;
    const uint32_t ar_code = VMX_AR_P | VMX_AR_S | 0xb, ar_data = VMX_AR_P | VMX_AR_S | 0x3;

    memset(&st, 0, sizeof(st));
    st.cr0 = X86_CR0_ET;
    for ( unsigned int s = 0; s < VMX_NR_SEGS; s++ )
        st.seg[s] = (struct vmx_seg){ .ar = ar_data, .limit = 0xffff };
    st.seg[VMX_SEG_CS] = (struct vmx_seg){
        .sel = cs_sel, .ar = ar_code, .limit = 0xffff, .base = (uint64_t)cs_sel << 4
    };
    st.seg[VMX_SEG_LDTR] = (struct vmx_seg){ .ar = VMX_AR_UNUSABLE };
    st.seg[VMX_SEG_TR] = (struct vmx_seg){ .ar = AR_TSS_BUSY, .limit = 0xffff };
    st.regs.rflags = 0x2;
    st.idt_limit = 0x3ff; /* the real-mode IVT */
    apply_boot_state(v, &st);
}

/* ---- VCPUOP_initialise contexts ---- */

static bool canonical(uint64_t va)
{
    return (uint64_t)(((int64_t)va << 16) >> 16) == va;
}

/* Control registers, EFER and RFLAGS of a context, whatever its mode. */
static int check_control_state(const struct boot_state *st)
{
    uint64_t cr0 = st->cr0, efer = st->efer;

    if ( (cr0 >> 32) || !(cr0 & X86_CR0_PE) || ((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD)) )
        return -EINVAL;
    if ( (st->cr4 & ~vmx_caps.cr4_guest_ok) || (efer & ~EFER_GUEST_OK) )
        return -EINVAL;
    if ( st->cr3 >> vmx_caps.maxphyaddr )
        return -EINVAL;
    if ( (efer & EFER_LMA) &&
         (!(efer & EFER_LME) || !(cr0 & X86_CR0_PG) || !(st->cr4 & X86_CR4_PAE)) )
        return -EINVAL;
    if ( (cr0 & X86_CR0_PG) && (efer & EFER_LME) && !(efer & EFER_LMA) )
        return -EINVAL;
    if ( (st->regs.rflags & RFLAGS_RESERVED_ZERO) || (st->regs.rflags & RFLAGS_VM) )
        return -EINVAL;
    return 0;
}

static int decode_64(const struct vcpu_hvm_x86_64 *r, struct boot_state *st)
{
    const uint64_t need_cr0 = X86_CR0_PE | X86_CR0_PG;

    st->cr0 = r->cr0;
    st->cr3 = r->cr3;
    st->cr4 = r->cr4;
    st->efer = r->efer;
    if ( (r->cr0 & need_cr0) != need_cr0 || !(r->cr4 & X86_CR4_PAE) || !(r->efer & EFER_LME) ||
         !(r->efer & EFER_LMA) || !canonical(r->rip) )
        return -EINVAL;
    flat_segments(st->seg, true);
    st->regs = hvm_regs_from_context64(r);
    return 0;
}

/* One segment of a 32-bit context: the ABI's packed attributes, checked. */
static int decode_seg(uint32_t base, uint32_t limit, uint16_t ar, uint16_t sel, struct vmx_seg *out)
{
    uint32_t vmx_ar = (ar & 0xff) | ((uint32_t)(ar & 0xf00) << 4);

    if ( ar & 0xf000 )
        return -EINVAL;
    if ( !(vmx_ar & VMX_AR_P) )
    {
        *out = (struct vmx_seg){ .ar = VMX_AR_UNUSABLE };
        return 0;
    }
    if ( (vmx_ar & VMX_AR_G) ? (limit & 0xfff) != 0xfff : limit > 0xfffff )
        return -EINVAL;
    if ( vmx_ar & VMX_AR_S )
        vmx_ar |= 1; /* loading sets "accessed" */
    *out = (struct vmx_seg){ .sel = sel, .ar = vmx_ar, .limit = limit, .base = base };
    return 0;
}

static int check_segs_32(const struct vmx_seg *seg)
{
    uint32_t cs = seg[VMX_SEG_CS].ar, ss = seg[VMX_SEG_SS].ar, tr = seg[VMX_SEG_TR].ar;
    uint32_t tr_type = tr & VMX_AR_TYPE_MASK;

    if ( (cs & VMX_AR_UNUSABLE) || !(cs & VMX_AR_S) || !(cs & 0x8) || (cs & VMX_AR_L) )
        return -EINVAL; /* present code, not 64-bit */
    if ( !(ss & VMX_AR_UNUSABLE) && ((ss & 0xa) != 0x2 || !(ss & VMX_AR_S)) )
        return -EINVAL; /* writable data */
    if ( !(ss & VMX_AR_UNUSABLE) && ((ss ^ cs) & (3U << VMX_AR_DPL_SHIFT)) )
        return -EINVAL; /* CPL is SS.DPL */
    if ( (tr & (VMX_AR_UNUSABLE | VMX_AR_S)) || (tr_type != 0xb && tr_type != 0x3) )
        return -EINVAL; /* busy TSS */
    for ( unsigned int s = VMX_SEG_ES; s <= VMX_SEG_DS; s += VMX_SEG_DS - VMX_SEG_ES )
    {
        uint32_t ar = seg[s].ar;
        if ( !(ar & VMX_AR_UNUSABLE) && (!(ar & VMX_AR_S) || (ar & 0xa) == 0x8) )
            return -EINVAL; /* data, or readable code */
    }
    return 0;
}

static int decode_32(const struct vcpu_hvm_x86_32 *r, struct boot_state *st)
{
    struct vmx_seg *seg = st->seg;
    int rc = 0;

    st->cr0 = r->cr0;
    st->cr3 = r->cr3;
    st->cr4 = r->cr4;
    st->efer = r->efer;
    rc |= decode_seg(r->cs_base, r->cs_limit, r->cs_ar, SEL_CODE, &seg[VMX_SEG_CS]);
    rc |= decode_seg(r->ds_base, r->ds_limit, r->ds_ar, SEL_DATA, &seg[VMX_SEG_DS]);
    rc |= decode_seg(r->ss_base, r->ss_limit, r->ss_ar, SEL_DATA, &seg[VMX_SEG_SS]);
    rc |= decode_seg(r->es_base, r->es_limit, r->es_ar, SEL_DATA, &seg[VMX_SEG_ES]);
    rc |= decode_seg(r->tr_base, r->tr_limit, r->tr_ar, SEL_TR, &seg[VMX_SEG_TR]);
    if ( rc || check_segs_32(seg) )
        return -EINVAL;
    if ( (st->efer & EFER_LMA) && (seg[VMX_SEG_TR].ar & VMX_AR_TYPE_MASK) != 0xb )
        return -EINVAL; /* long mode wants a 64-bit TSS */
    seg[VMX_SEG_FS] = seg[VMX_SEG_GS] = seg[VMX_SEG_DS];
    seg[VMX_SEG_LDTR] = (struct vmx_seg){ .ar = VMX_AR_UNUSABLE };
    st->regs = (struct guest_regs){
        .rax = r->eax,
        .rcx = r->ecx,
        .rdx = r->edx,
        .rbx = r->ebx,
        .rsp = r->esp,
        .rbp = r->ebp,
        .rsi = r->esi,
        .rdi = r->edi,
        .rip = r->eip,
        .rflags = r->eflags | 2,
    };
    return 0;
}

/* Decode and check ctx into *st; nothing is written to v. */
static int decode_context(struct vcpu *v, const struct vcpu_hvm_context *ctx, struct boot_state *st)
{
    int rc;

    memset(st, 0, sizeof(*st));
    if ( ctx->mode == VCPU_HVM_MODE_64B )
        rc = decode_64(&ctx->cpu_regs.x86_64, st);
    else if ( ctx->mode == VCPU_HVM_MODE_32B )
        rc = decode_32(&ctx->cpu_regs.x86_32, st);
    else
        rc = -EINVAL;
    if ( !rc )
        rc = check_control_state(st);
    if ( !rc && pae_paging(st->cr0, st->cr4, st->efer) )
        rc = read_pdptes(v, st->cr3, st->pdpte);
    return rc;
}

int vmx_check_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    struct boot_state st;

    return decode_context(v, ctx, &st);
}

int vmx_set_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    struct boot_state st;
    int rc = decode_context(v, ctx, &st);

    if ( rc )
        return rc;
    apply_boot_state(v, &st);
    return 0;
}

/* ---- the HVM save record ---- */

/* VMCS access rights to the save record's packed form; 0 if unusable. */
static uint16_t packed_ar(uint64_t ar)
{
    if ( ar & VMX_AR_UNUSABLE )
        return 0;
    return (uint16_t)((ar & 0xff) | ((ar >> 4) & 0xf00));
}

static void save_segments(struct hvm_vcpu_state *st)
{
    for ( unsigned int s = 0; s < VMX_NR_SEGS; s++ )
        st->seg[s] = (struct hvm_seg){
            .sel = (uint16_t)vmcs_read(VMCS_GUEST_SEL(s)),
            .ar = packed_ar(vmcs_read(VMCS_GUEST_AR(s))),
            .limit = (uint32_t)vmcs_read(VMCS_GUEST_LIMIT(s)),
            .base = vmcs_read(VMCS_GUEST_BASE(s)),
        };
    st->seg[HVM_SEG_GDTR].base = vmcs_read(VMCS_GUEST_GDTR_BASE);
    st->seg[HVM_SEG_GDTR].limit = (uint32_t)vmcs_read(VMCS_GUEST_GDTR_LIMIT);
    st->seg[HVM_SEG_IDTR].base = vmcs_read(VMCS_GUEST_IDTR_BASE);
    st->seg[HVM_SEG_IDTR].limit = (uint32_t)vmcs_read(VMCS_GUEST_IDTR_LIMIT);
}

/* The VMCS is loaded here for the reads, as apply_boot_state does for
 * the writes; v is not running anywhere. */
void vmx_save_state(struct vcpu *v, struct hvm_vcpu_state *st)
{
    unsigned long flags = local_save_flags();
    struct hvm_guest_state gs;

    local_irq_disable();
    vmcs_load(v);
    vmx_cache_guest_state(v);
    save_segments(st);
    st->dr7 = vmcs_read(VMCS_GUEST_DR7);
    st->sysenter_cs = vmcs_read(VMCS_GUEST_SYSENTER_CS);
    st->sysenter_esp = vmcs_read(VMCS_GUEST_SYSENTER_ESP);
    st->sysenter_eip = vmcs_read(VMCS_GUEST_SYSENTER_EIP);
    vmcs_unload(v);
    if ( flags & X86_EFLAGS_IF )
        local_irq_enable();
    vmx_get_guest_state(v, &gs);
    st->cr0 = gs.cr0;
    st->cr3 = gs.cr3;
    st->cr4 = gs.cr4;
    st->efer = gs.efer;
    st->star = vmx_switched_msr(v, MSR_STAR);
    st->lstar = vmx_switched_msr(v, MSR_LSTAR);
    st->cstar = vmx_switched_msr(v, MSR_CSTAR);
    st->sfmask = vmx_switched_msr(v, MSR_SFMASK);
    st->kernel_gs_base = vmx_switched_msr(v, MSR_KERNEL_GS_BASE);
}

/* The record's segments, descriptor tables, DR7 and SYSENTER MSRs, with
 * v's VMCS loaded here for the writes (as apply_boot_state). */
void vmx_load_state(struct vcpu *v, const struct hvm_vcpu_state *st)
{
    unsigned long flags = local_save_flags();

    local_irq_disable();
    vmcs_load(v);
    for ( unsigned int s = 0; s < VMX_NR_SEGS; s++ )
        hvm_vendor->set_seg(v, s, &st->seg[s]);
    hvm_vendor->set_dtr(v, HVM_SEG_GDTR, st->seg[HVM_SEG_GDTR].base,
                        (uint16_t)st->seg[HVM_SEG_GDTR].limit);
    hvm_vendor->set_dtr(v, HVM_SEG_IDTR, st->seg[HVM_SEG_IDTR].base,
                        (uint16_t)st->seg[HVM_SEG_IDTR].limit);
    vmcs_write(VMCS_GUEST_DR7, st->dr7);
    vmcs_write(VMCS_GUEST_SYSENTER_CS, st->sysenter_cs);
    vmcs_write(VMCS_GUEST_SYSENTER_ESP, st->sysenter_esp);
    vmcs_write(VMCS_GUEST_SYSENTER_EIP, st->sysenter_eip);
    vmx_cache_guest_state(v);
    vmcs_unload(v);
    if ( flags & X86_EFLAGS_IF )
        local_irq_enable();
    vmx_set_switched_msr(v, MSR_STAR, st->star);
    vmx_set_switched_msr(v, MSR_LSTAR, st->lstar);
    vmx_set_switched_msr(v, MSR_CSTAR, st->cstar);
    vmx_set_switched_msr(v, MSR_SFMASK, st->sfmask);
    vmx_set_switched_msr(v, MSR_KERNEL_GS_BASE, st->kernel_gs_base);
}
