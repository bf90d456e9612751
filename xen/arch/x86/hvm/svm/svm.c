/*
 * svm.c - AMD SVM with nested paging behind struct vcpu_vendor_ops.
 *
 * Facts that shape it (docs/platforms.md): QEMU's SVM has no next-RIP save
 * and no decode assists, so instruction lengths come from what we know of
 * each intercepted instruction (and the IOIO exit's EXITINFO2). VMRUN
 * requires EFER.SVME in the guest's EFER, so the guest sees a shadow
 * value without it; EFER writes are intercepted and handled here.
 *
 * MOV to CR4 is intercepted too (the CPU would take any CR4 bit it has,
 * where the guest may only set what its CPUID offers) and emulated here
 * after decoding the instruction. XSETBV, INVD and WBINVD exit to the
 * common code. VMRUN switches neither XCR0 nor TSC_AUX: fpu.c and
 * load_tsc_aux() put the guest's values in around each run.
 *
 * ASIDs are handed out per CPU and recycled by generation: a vCPU holds
 * one ASID on one CPU, and gets a fresh one when it arrives on another
 * CPU, when that CPU has begun a new generation, or when its cached
 * translations must go (p2m flush, CR4 write). A fresh ASID has tagged
 * nothing since the CPU last flushed every ASID, so no flush is needed;
 * a CPU that runs out begins a generation, and that one VMRUN flushes
 * every ASID (TLB_CONTROL 1). QEMU offers only 16 ASIDs.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/altp2m.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/apic.h>
#include <asm/fpu.h>
#include <asm/vlapic.h>
#include <asm/x86_decode.h>
#include <public/hvm/hvm_vcpu.h>
#include "vmcb.h"
#include <asm/p2m-backends.h>

#define MSR_SVM_EFER_SHADOW_VALID 0
#define IOPM_PAGES                3
#define MSRPM_PAGES               2

/* Always intercepted; svm_write_windows adds VINTR and IRET as needed. */
#define SVM_MISC1_INTERCEPTS                                                             \
    (INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_CPUID | INTERCEPT_INVD | INTERCEPT_HLT | \
     INTERCEPT_IOIO | INTERCEPT_MSR | INTERCEPT_SHUTDOWN)

#define TLB_CONTROL_NONE      0
#define TLB_CONTROL_FLUSH_ALL 1 /* every ASID's entries, on this VMRUN */

struct svm_cpu
{
    void *host_area; /* VMSAVE area for the hypervisor's own state */
    void *hsave;     /* MSR_VM_HSAVE_PA page */
    /* Only this CPU touches these, between CLGI and STGI. */
    uint64_t asid_gen;  /* the ASIDs of older generations are void */
    uint32_t next_asid; /* next to hand out; max_asid: none left */
};
static struct svm_cpu svm_cpus[NR_CPUS];
static mfn_t iopm, msrpm;  /* shared by every vCPU: intercept everything... */
static uint32_t max_asid;  /* ASIDs 1 .. max_asid - 1 are the guests' */
uint64_t svm_cr4_guest_ok; /* CR4 bits a guest may set (cpu_policy.c) */
static bool have_rdtscp;
static uint64_t tsc_aux_now[NR_CPUS]; /* TSC_AUX in each CPU */

void svm_enter(struct guest_regs *regs, paddr_t vmcb, paddr_t host_area);

static inline void clgi(void)
{
    asm volatile("clgi" ::: "memory");
}
static inline void stgi(void)
{
    asm volatile("stgi" ::: "memory");
}
static inline void vmsave(paddr_t pa)
{
    asm volatile("vmsave %0" ::"a"(pa) : "memory");
}

static int svm_probe(void)
{
    struct cpuid_regs r = cpuid(0x80000001);
    if ( !(r.c & (1u << 2)) )
    {
        printk(XENLOG_ERR "SVM: CPUID 0x80000001 ECX.SVM clear\n");
        return -ENODEV;
    }
    if ( rdmsr(MSR_VM_CR) & (1u << 4) )
    {
        printk(XENLOG_ERR "SVM: disabled by firmware (VM_CR.SVMDIS)\n");
        return -ENODEV;
    }
    r = cpuid(0x8000000a);
    if ( !(r.d & 1u) )
    {
        printk(XENLOG_ERR
               "SVM: no nested paging (CPUID 0x8000000a EDX.NP); with QEMU use -cpu max\n");
        return -ENODEV;
    }
    max_asid = r.b;
    if ( max_asid < 2 )
    {
        printk(XENLOG_ERR "SVM: %u ASIDs, none for guests\n", max_asid);
        return -ENODEV;
    }
    svm_cr4_guest_ok = hvm_cr4_guest_ok();
    have_rdtscp = cpuid(0x80000001).d & (1u << 27);
    printk("SVM: revision %u, %u ASIDs, nRIP save %s, decode assists %s\n", r.a & 0xff, r.b,
           (r.d & (1u << 3)) ? "yes" : "no", (r.d & (1u << 7)) ? "yes" : "no");
    return 0;
}

/* Pass through the MSRs that VMLOAD/VMSAVE switch; intercept the rest. */
static void msrpm_allow(uint8_t *pm, uint32_t msr)
{
    uint32_t base = msr >= 0xc0000000 ? 0x800 : 0;
    uint32_t bit = (msr & 0x1fff) * 2;
    pm[base + bit / 8] &= (uint8_t) ~(3u << (bit % 8));
}

static int svm_alloc_permission_maps(void)
{
    uint8_t *pm;
    iopm = alloc_pages(2); /* 12 KiB needed: 4 pages */
    msrpm = alloc_pages(1);
    if ( !mfn_valid_raw(iopm) || !mfn_valid_raw(msrpm) )
        return -ENOMEM;
    memset(mfn_to_virt(iopm), 0xff, 4 * PAGE_SIZE);
    pm = mfn_to_virt(msrpm);
    memset(pm, 0xff, 2 * PAGE_SIZE);
    for ( uint32_t m = MSR_STAR; m <= MSR_SFMASK; m++ )
        msrpm_allow(pm, m);
    msrpm_allow(pm, MSR_FS_BASE);
    msrpm_allow(pm, MSR_GS_BASE);
    msrpm_allow(pm, MSR_KERNEL_GS_BASE);
    for ( uint32_t m = 0x174; m <= 0x176; m++ ) /* SYSENTER_CS/ESP/EIP */
        msrpm_allow(pm, m);
    return 0;
}

static int svm_cpu_up(unsigned int cpu)
{
    struct svm_cpu *c = &svm_cpus[cpu];
    if ( cpu == 0 && svm_alloc_permission_maps() )
        return -ENOMEM;
    c->host_area = alloc_page_zeroed();
    c->hsave = alloc_page_zeroed();
    if ( !c->host_area || !c->hsave )
        return -ENOMEM;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, virt_to_maddr(c->hsave));
    if ( have_rdtscp )
        wrmsr(MSR_TSC_AUX, 0);
    tsc_aux_now[cpu] = 0;
    c->next_asid = max_asid; /* the first handout flushes whatever came before */
    vmsave(virt_to_maddr(c->host_area));
    return 0;
}

/* The VMSAVE area holding cpu's own FS/GS/TR/LDTR and syscall MSRs. */
paddr_t svm_host_area(unsigned int cpu)
{
    return virt_to_maddr(svm_cpus[cpu].host_area);
}

static void svm_init_controls(struct vcpu *v, void *vmcb)
{
    vmcb_set(vmcb, VMCB_INTERCEPT_CR, 4, INTERCEPT_CR_WRITE(4));
    vmcb_set(vmcb, VMCB_INTERCEPT_MISC1, 4, SVM_MISC1_INTERCEPTS);
    vmcb_set(vmcb, VMCB_INTERCEPT_MISC2, 4,
             INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD | INTERCEPT_VMSAVE |
                 INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT | INTERCEPT_WBINVD |
                 INTERCEPT_XSETBV);
    vmcb_set(vmcb, VMCB_INTERCEPT_EXC, 4, 1u << 18); /* #MC */
    vmcb_set64(vmcb, VMCB_IOPM_BASE, mfn_x(iopm) << PAGE_SHIFT);
    vmcb_set64(vmcb, VMCB_MSRPM_BASE, mfn_x(msrpm) << PAGE_SHIFT);
    vmcb_set64(vmcb, VMCB_VINTR, VINTR_MASKING);
    vmcb_set64(vmcb, VMCB_NP_ENABLE, 1);
    vmcb_set64(vmcb, VMCB_NCR3, p2m_root_maddr(&v->domain->p2m));
    vmcb_set64(vmcb, VMCB_G_PAT, 0x0007040600070406ULL);
}

static int svm_vcpu_create(struct vcpu *v)
{
    void *vmcb = alloc_page_zeroed();
    if ( !vmcb )
        return -ENOMEM;
    v->arch.svm.vmcb = vmcb;
    /* No ASID yet: the first entry hands one out. */
    v->arch.svm.last_cpu = -1;
    v->arch.svm.vmcb_owner = -1;
    v->arch.svm.virq = -1;
    svm_init_controls(v, vmcb);
    return 0;
}

static void svm_vcpu_destroy(struct vcpu *v)
{
    free_page_ptr(v->arch.svm.vmcb);
}

/* Guest-visible EFER lives in guest_efer; the VMCB's copy has SVME too. */
void svm_set_efer(struct vcpu *v, uint64_t efer)
{
    v->arch.svm.guest_efer = efer;
    vmcb_set64(v->arch.svm.vmcb, VMCB_EFER, efer | EFER_SVME);
}

void svm_flat_segments(void *vmcb, uint16_t code_attr)
{
    vmcb_set_seg(vmcb, VMCB_CS, 0x08, code_attr, 0xffffffff, 0);
    vmcb_set_seg(vmcb, VMCB_DS, 0x10, SEG_DATA, 0xffffffff, 0);
    vmcb_set_seg(vmcb, VMCB_ES, 0x10, SEG_DATA, 0xffffffff, 0);
    vmcb_set_seg(vmcb, VMCB_SS, 0x10, SEG_DATA, 0xffffffff, 0);
    vmcb_set_seg(vmcb, VMCB_FS, 0x10, SEG_DATA, 0xffffffff, 0);
    vmcb_set_seg(vmcb, VMCB_GS, 0x10, SEG_DATA, 0xffffffff, 0);
    vmcb_set_seg(vmcb, VMCB_TR, 0x18, SEG_TSS32, 0x67, 0);
    vmcb_set_seg(vmcb, VMCB_LDTR, 0, SEG_LDT, 0, 0);
    vmcb_set_seg(vmcb, VMCB_GDTR, 0, 0, 0xffff, 0);
    vmcb_set_seg(vmcb, VMCB_IDTR, 0, 0, 0xffff, 0);
}

void svm_reset_state(struct vcpu *v, uint64_t cr0, uint64_t cr3, uint64_t cr4)
{
    void *vmcb = v->arch.svm.vmcb;
    vmcb_set64(vmcb, VMCB_CR0, cr0);
    vmcb_set64(vmcb, VMCB_CR3, cr3);
    vmcb_set64(vmcb, VMCB_CR4, cr4);
    vmcb_set64(vmcb, VMCB_DR6, 0xffff0ff0);
    vmcb_set64(vmcb, VMCB_DR7, 0x400);
    vmcb_set(vmcb, VMCB_CPL, 1, 0);
    memset(&v->arch.regs, 0, sizeof(v->arch.regs));
    v->arch.regs.rflags = 0x2;
}

static void svm_vcpu_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
    svm_reset_state(v, X86_CR0_PE | X86_CR0_ET, 0, 0);
    svm_flat_segments(v->arch.svm.vmcb, SEG_CODE32);
    svm_set_efer(v, 0);
    v->arch.regs.rip = entry;
    v->arch.regs.rbx = ebx;
}

/* ---- running ------------------------------------------------------- */

/* Out of ASIDs: older generations' ASIDs are void from this VMRUN on,
 * which flushes every ASID's translations. */
static uint8_t svm_new_asid_generation(struct svm_cpu *c)
{
    c->asid_gen++;
    c->next_asid = 1;
    hvm_load_count(HVM_LOAD_ASID_ROLLOVER);
    hvm_load_count(HVM_LOAD_TLB_FLUSH_ALL);
    return TLB_CONTROL_FLUSH_ALL;
}

/* Give v an ASID that tags nothing on this CPU; the TLB_CONTROL to use. */
static uint8_t svm_fresh_asid(struct vcpu *v, struct svm_cpu *c)
{
    uint8_t ctl = TLB_CONTROL_NONE;

    if ( c->next_asid >= max_asid )
        ctl = svm_new_asid_generation(c);
    v->arch.svm.asid = c->next_asid++;
    v->arch.svm.asid_gen = c->asid_gen;
    vmcb_set(v->arch.svm.vmcb, VMCB_ASID, 4, v->arch.svm.asid);
    hvm_load_count(HVM_LOAD_ASID_ALLOC);
    return ctl;
}

/*
 * v keeps its ASID only on the CPU it got it from, within that CPU's
 * generation, and while the domain's flush generation (p2m changes) and
 * last_cpu (-1 after a CR4 write) say its translations are still good.
 */
static void svm_sync_tlb(struct vcpu *v, unsigned int cpu)
{
    struct svm_cpu *c = &svm_cpus[cpu];
    uint64_t gen = ACCESS_ONCE(v->domain->tlb_flush_gen);
    bool keep = v->arch.svm.last_cpu == (int)cpu && v->arch.svm.asid_gen == c->asid_gen &&
                v->arch.svm.flush_gen == gen;
    uint8_t ctl = keep ? TLB_CONTROL_NONE : svm_fresh_asid(v, c);

    vmcb_set(v->arch.svm.vmcb, VMCB_TLB_CONTROL, 1, ctl);
    v->arch.svm.last_cpu = (int)cpu;
    v->arch.svm.flush_gen = gen;
}

/*
 * The root of the table v runs on (its altp2m view, or the host p2m),
 * read after in_guest and the flush generation (a view's destroy flushes
 * after unlisting it, so it either waits for this entry or is seen). The
 * TLB tags by ASID, not by nCR3: a new root takes a fresh ASID.
 */
static void svm_load_ncr3(struct vcpu *v, unsigned int cpu)
{
    void *vmcb = v->arch.svm.vmcb;
    uint64_t root = p2m_root_maddr(altp2m_vcpu_p2m(v));
    uint8_t ctl;

    if ( vmcb_get64(vmcb, VMCB_NCR3) == root )
        return;
    vmcb_set64(vmcb, VMCB_NCR3, root);
    ctl = svm_fresh_asid(v, &svm_cpus[cpu]);
    if ( ctl != TLB_CONTROL_NONE )
        vmcb_set(vmcb, VMCB_TLB_CONTROL, 1, ctl);
}

static void svm_load_regs(struct vcpu *v)
{
    void *vmcb = v->arch.svm.vmcb;
    /* The exiting instruction was skipped: its STI / MOV SS shadow ends. */
    if ( v->arch.regs.rip != v->arch.svm.last_rip )
        vmcb_set64(vmcb, VMCB_INT_SHADOW, 0);
    vmcb_set64(vmcb, VMCB_RAX, v->arch.regs.rax);
    vmcb_set64(vmcb, VMCB_RSP, v->arch.regs.rsp);
    vmcb_set64(vmcb, VMCB_RIP, v->arch.regs.rip);
    vmcb_set64(vmcb, VMCB_RFLAGS, v->arch.regs.rflags);
}

static void svm_save_regs(struct vcpu *v)
{
    void *vmcb = v->arch.svm.vmcb;
    v->arch.regs.rax = vmcb_get64(vmcb, VMCB_RAX);
    v->arch.regs.rsp = vmcb_get64(vmcb, VMCB_RSP);
    v->arch.regs.rip = vmcb_get64(vmcb, VMCB_RIP);
    v->arch.regs.rflags = vmcb_get64(vmcb, VMCB_RFLAGS);
    v->arch.svm.last_rip = v->arch.regs.rip;
}

static void svm_decode_io(uint64_t info1, uint64_t info2, struct vcpu *v, struct hvm_exit *e)
{
    e->reason = HVM_EXIT_IO;
    e->io_in = info1 & 1;
    e->io_string = info1 & (1u << 2);
    e->io_rep = info1 & (1u << 3);
    e->io_size = (info1 & (1u << 6)) ? 4 : (info1 & (1u << 5)) ? 2 : 1;
    e->io_port = (uint16_t)(info1 >> 16);
    e->insn_len = (unsigned int)(info2 - v->arch.regs.rip); /* EXITINFO2 is the next RIP */
}

static void svm_decode_npf(uint64_t info1, uint64_t info2, struct hvm_exit *e)
{
    e->reason = HVM_EXIT_NPF;
    e->gpa = info2;
    e->npf_present = info1 & 1;
    e->npf_write = info1 & 2;
    e->npf_exec = info1 & (1u << 4);
    e->npf_read = !e->npf_write && !e->npf_exec;
    e->npf_guest_walk = info1 & (1ULL << 33);
}

/* EFER writes are vendor business: returns true if handled here. */
static bool svm_private_msr(struct vcpu *v, bool write)
{
    if ( (uint32_t)v->arch.regs.rcx != MSR_EFER )
        return false;
    if ( write )
    {
        uint64_t val = (v->arch.regs.rdx << 32) | (uint32_t)v->arch.regs.rax;
        uint64_t lma = v->arch.svm.guest_efer & EFER_LMA;
        svm_set_efer(v, (val & ~EFER_LMA) | lma);
    }
    else
    {
        v->arch.regs.rax = (uint32_t)v->arch.svm.guest_efer;
        v->arch.regs.rdx = v->arch.svm.guest_efer >> 32;
    }
    v->arch.regs.rip += 2;
    return true;
}

static void svm_get_guest_state(struct vcpu *v, struct hvm_guest_state *st);
static void svm_inject_exception(struct vcpu *v, uint8_t vector, int32_t error_code);

/* The checks MOV to CR4 makes (#GP(0) if one fails), CPUID's offer included. */
static bool cr4_write_ok(const struct hvm_guest_state *st, uint64_t val)
{
    return st->cpl == 0 &&
           !hvm_cr4_write_check(svm_cr4_guest_ok, st->cr4, val, st->efer & EFER_LMA, st->cr3);
}

/* The MOV to CRn at RIP (no decode assists: read it); false if it is not one. */
static bool decode_cr_write(struct vcpu *v, bool long_mode, unsigned int cr, struct x86_insn *insn)
{
    uint8_t bytes[X86_MAX_INSN_LEN];
    size_t n = hvm_fetch_insn(v, bytes);
    return n && !x86_decode(bytes, n, long_mode ? X86_MODE_LONG64 : X86_MODE_PROT32, insn) &&
           insn->map == X86_MAP_0F && insn->opcode == 0x22 && insn->reg == cr;
}

/* A MOV to CR8 while a vector waits for the TPR to drop: it is the TPR. */
static void svm_cr8_write(struct vcpu *v, struct hvm_exit *e)
{
    struct hvm_guest_state st;
    struct x86_insn insn;

    svm_get_guest_state(v, &st);
    if ( !st.long_mode || !decode_cr_write(v, true, 8, &insn) )
    {
        e->reason = HVM_EXIT_UNHANDLED;
        return;
    }
    e->reason = HVM_EXIT_NONE;
    if ( hvm_read_gpr(v, insn.rm) >> 4 )
    {
        svm_inject_exception(v, 13, 0); /* reserved bits of CR8 */
        return;
    }
    vlapic_set_tpr(v, (uint8_t)(hvm_read_gpr(v, insn.rm) << 4));
    v->arch.regs.rip += insn.length;
}

/* A guest's MOV to CR4: emulated here, so the common code sees nothing. */
static void svm_cr4_write(struct vcpu *v, struct hvm_exit *e)
{
    struct hvm_guest_state st;
    struct x86_insn insn;
    uint64_t val;
    svm_get_guest_state(v, &st);
    if ( !decode_cr_write(v, st.long_mode, 4, &insn) )
    {
        e->reason = HVM_EXIT_UNHANDLED;
        return;
    }
    val = hvm_read_gpr(v, insn.rm);
    if ( !st.long_mode )
        val = (uint32_t)val;
    e->reason = HVM_EXIT_NONE;
    if ( !cr4_write_ok(&st, val) )
    {
        svm_inject_exception(v, 13, 0);
        return;
    }
    vmcb_set64(v->arch.svm.vmcb, VMCB_CR4, val);
    v->arch.svm.last_cpu = -1; /* flush the ASID, as the write would */
    v->arch.regs.rip += insn.length;
}

static void svm_translate_exit(struct vcpu *v, struct hvm_exit *e)
{
    void *vmcb = v->arch.svm.vmcb;
    uint64_t code = vmcb_get64(vmcb, VMCB_EXITCODE);
    uint64_t info1 = vmcb_get64(vmcb, VMCB_EXITINFO1), info2 = vmcb_get64(vmcb, VMCB_EXITINFO2);
    memset(e, 0, sizeof(*e));
    e->raw_reason = code;
    switch ( code )
    {
    case SVM_EXIT_INTR:
    case SVM_EXIT_NMI:
    case SVM_EXIT_VINTR: e->reason = HVM_EXIT_NONE; break;
    case SVM_EXIT_IRET:
        /*
         * The NMI handler's IRET is about to run (the intercept comes
         * first): NMIs are deliverable again, but only after it retires,
         * so an interrupt shadow covers it and a waiting NMI goes in at
         * the next exit (the interrupt window's).
         */
        v->arch.svm.nmi_masked = false;
        vmcb_set64(v->arch.svm.vmcb, VMCB_INT_SHADOW, 1);
        e->reason = HVM_EXIT_NONE;
        break;
    case SVM_EXIT_CPUID:
        e->reason = HVM_EXIT_CPUID;
        e->insn_len = 2;
        break;
    case SVM_EXIT_HLT:
        e->reason = HVM_EXIT_HLT;
        e->insn_len = 1;
        break;
    case SVM_EXIT_RDTSC:
        e->reason = HVM_EXIT_RDTSC;
        e->insn_len = 2;
        break;
    case SVM_EXIT_RDTSCP:
        e->reason = HVM_EXIT_RDTSCP;
        e->insn_len = 3;
        break;
    case SVM_EXIT_VMMCALL:
        e->reason = HVM_EXIT_HYPERCALL;
        e->insn_len = 3;
        break;
    case SVM_EXIT_XSETBV:
        e->reason = HVM_EXIT_XSETBV;
        e->insn_len = 3;
        break;
    case SVM_EXIT_INVD:
    case SVM_EXIT_WBINVD:
        e->reason = HVM_EXIT_WBINVD;
        e->insn_len = 2;
        break;
    case SVM_EXIT_CR4_WRITE: svm_cr4_write(v, e); break;
    case SVM_EXIT_CR8_WRITE: svm_cr8_write(v, e); break;
    case SVM_EXIT_SHUTDOWN: e->reason = HVM_EXIT_TRIPLE_FAULT; break;
    case SVM_EXIT_IOIO: svm_decode_io(info1, info2, v, e); break;
    case SVM_EXIT_NPF: svm_decode_npf(info1, info2, e); break;
    case SVM_EXIT_MSR:
        if ( svm_private_msr(v, info1 & 1) )
            e->reason = HVM_EXIT_NONE;
        else
            e->reason = info1 & 1 ? HVM_EXIT_MSR_WRITE : HVM_EXIT_MSR_READ, e->insn_len = 2;
        break;
    case SVM_EXIT_INVALID: e->reason = HVM_EXIT_INVALID_STATE; break;
    default: e->reason = HVM_EXIT_UNHANDLED; break;
    }
}

/* ---- interrupts ------------------------------------------------------ */

/*
 * External interrupts go in as virtual interrupts (V_IRQ with the vector,
 * TPR ignored), not through EVENTINJ: QEMU 7.2 delivers an EVENTINJ
 * interrupt and also leaves it pending as an exception of that vector,
 * which it sometimes delivers a second time (docs/platforms.md).
 *
 * After an exit: a virtual interrupt still pending was not taken (hand it
 * back); an event whose delivery the exit cut short (an NPF on the IDT or
 * stack, a host interrupt) goes in again at the next entry, as a virtual
 * interrupt if it was ours (QEMU reports it as an exception of a vector
 * above 31) and through EVENTINJ otherwise. A software interrupt is not
 * re-injected: without next-RIP the guest's RIP still points at the INT
 * instruction, which runs again.
 */
static void svm_events_after_exit(struct vcpu *v)
{
    void *vmcb = v->arch.svm.vmcb;
    uint64_t info = vmcb_get64(vmcb, VMCB_EXITINTINFO);
    int virq = v->arch.svm.virq;
    bool cut = (info & EVENT_VALID) && (info & 0xff) == (uint64_t)virq &&
               (EVENT_TYPE(info) == EVENT_TYPE_INTR || EVENT_TYPE(info) == EVENT_TYPE_EXC);

    if ( !(info & EVENT_VALID) || EVENT_TYPE(info) == EVENT_TYPE_SWINT || cut )
        info = 0;
    vmcb_set64(vmcb, VMCB_EVENTINJ, info);
    if ( virq < 0 || cut )
        return;
    v->arch.svm.virq = -1;
    if ( vmcb_get64(vmcb, VMCB_VINTR) & VINTR_IRQ )
        hvm_intr_not_taken(v, (uint8_t)virq);
}

/* After an exit: a MOV to CR8 since the entry moved the TPR. */
static void svm_save_tpr(struct vcpu *v)
{
    uint8_t now = vmcb_get(v->arch.svm.vmcb, VMCB_VINTR, 1) & 0xf;

    if ( now != v->arch.svm.vtpr )
        vlapic_set_tpr(v, now << 4);
}

/* The interrupt window (a virtual interrupt the guest "takes" by exiting
 * on VINTR) and, while an NMI handler runs, the IRET intercept, which is
 * SVM's NMI window. V_TPR is CR8: the vLAPIC's TPR class goes in. */
static void svm_write_windows(struct vcpu *v)
{
    void *vmcb = v->arch.svm.vmcb;
    uint64_t vintr;
    uint32_t misc1 = SVM_MISC1_INTERCEPTS;

    int held = vlapic_tpr_threshold(v);

    v->arch.svm.vtpr = vlapic_get_tpr(v) >> 4;
    vintr = VINTR_MASKING | v->arch.svm.vtpr;
    if ( v->arch.svm.virq >= 0 )
        vintr |= VINTR_IRQ | VINTR_PRIO_MAX | VINTR_IGN_TPR | ((uint64_t)v->arch.svm.virq << 32);
    else if ( v->arch.svm.irq_window )
    {
        vintr |= VINTR_IRQ | VINTR_PRIO_MAX | VINTR_IGN_TPR;
        misc1 |= INTERCEPT_VINTR;
    }

    if ( v->arch.svm.nmi_masked )
        misc1 |= INTERCEPT_IRET;
    vmcb_set64(vmcb, VMCB_VINTR, vintr);
    vmcb_set(vmcb, VMCB_INTERCEPT_MISC1, 4, misc1);
    /* A vector only the TPR holds back: lowering CR8 must exit. (A V_IRQ
     * of that priority would do it without exits, but QEMU takes a
     * virtual interrupt whose priority equals V_TPR.) */
    vmcb_set(vmcb, VMCB_INTERCEPT_CR, 4,
             INTERCEPT_CR_WRITE(4) | (held ? INTERCEPT_CR_WRITE(8) : 0));
    v->arch.svm.irq_window = false;
}

/* The guest's TSC (domain_time.c): the host's plus the VMCB's offset; at
 * another rate than the host's, RDTSC and RDTSCP exit and are computed
 * (QEMU offers no TSC ratio MSR). */
static void svm_write_tsc(struct vcpu *v)
{
    void *vmcb = v->arch.svm.vmcb;
    const struct domain_time *t = &v->domain->time;
    uint32_t misc1 = (uint32_t)vmcb_get(vmcb, VMCB_INTERCEPT_MISC1, 4);
    uint32_t misc2 = (uint32_t)vmcb_get(vmcb, VMCB_INTERCEPT_MISC2, 4);

    misc1 = t->emulated ? misc1 | INTERCEPT_RDTSC : misc1 & ~INTERCEPT_RDTSC;
    misc2 = t->emulated ? misc2 | INTERCEPT_RDTSCP : misc2 & ~INTERCEPT_RDTSCP;
    vmcb_set(vmcb, VMCB_INTERCEPT_MISC1, 4, misc1);
    vmcb_set(vmcb, VMCB_INTERCEPT_MISC2, 4, misc2);
    vmcb_set64(vmcb, VMCB_TSC_OFFSET, t->tsc_offset);
}

static bool svm_can_take(struct vcpu *v, enum hvm_intr_type type)
{
    void *vmcb = v->arch.svm.vmcb;
    bool shadow =
        v->arch.regs.rip == v->arch.svm.last_rip && (vmcb_get(vmcb, VMCB_INT_SHADOW, 1) & 1);

    if ( (vmcb_get64(vmcb, VMCB_EVENTINJ) & EVENT_VALID) || shadow )
        return false;
    if ( type == HVM_INTR_NMI )
        return !v->arch.svm.nmi_masked;
    return v->arch.svm.virq < 0 && (v->arch.regs.rflags & X86_EFLAGS_IF);
}

static bool svm_inject_intr(struct vcpu *v, enum hvm_intr_type type, uint8_t vector)
{
    if ( !svm_can_take(v, type) )
    {
        /* An NMI still masked waits for the IRET intercept; anything else
         * (a shadow, an event in the way) for the interrupt window. SVM
         * has no NMI window: with IF=0 the next exit of any kind serves. */
        if ( type == HVM_INTR_EXT || !v->arch.svm.nmi_masked )
            v->arch.svm.irq_window = true;
        return false;
    }
    if ( type == HVM_INTR_EXT )
    {
        v->arch.svm.virq = vector;
        return true;
    }
    v->arch.svm.nmi_masked = true;
    vmcb_set64(v->arch.svm.vmcb, VMCB_EVENTINJ, EVENT_VALID | ((uint64_t)EVENT_TYPE_NMI << 8) | 2);
    return true;
}

/* A SIPI: real mode at cs_sel:0 with 64 KiB segments, as after INIT. */
static void svm_vcpu_set_real_mode(struct vcpu *v, uint16_t cs_sel)
{
    void *vmcb = v->arch.svm.vmcb;
    static const unsigned int data[] = { VMCB_DS, VMCB_ES, VMCB_SS, VMCB_FS, VMCB_GS };

    svm_reset_state(v, X86_CR0_ET, 0, 0);
    for ( unsigned int i = 0; i < ARRAY_SIZE(data); i++ )
        vmcb_set_seg(vmcb, data[i], 0, SEG_REAL_DATA, 0xffff, 0);
    vmcb_set_seg(vmcb, VMCB_CS, cs_sel, SEG_REAL_CODE, 0xffff, (uint64_t)cs_sel << 4);
    vmcb_set_seg(vmcb, VMCB_TR, 0, SEG_TSS16_BUSY, 0xffff, 0);
    vmcb_set_seg(vmcb, VMCB_LDTR, 0, SEG_LDT, 0xffff, 0);
    vmcb_set_seg(vmcb, VMCB_GDTR, 0, 0, 0xffff, 0);
    vmcb_set_seg(vmcb, VMCB_IDTR, 0, 0, 0x3ff, 0);
    svm_set_efer(v, 0);
    vmcb_set64(vmcb, VMCB_INT_SHADOW, 0);
    vmcb_set64(vmcb, VMCB_EVENTINJ, 0);
    v->arch.svm.nmi_masked = v->arch.svm.irq_window = false;
    v->arch.svm.virq = -1;
    v->arch.svm.last_rip = 0;
    v->arch.svm.last_cpu = -1; /* new paging mode: a fresh ASID */
}

/* Keep the VMCB's idea of long mode in step: the CPU sets EFER.LMA in
 * the VMCB when the guest enables paging with LME set. */
static void svm_track_lma(struct vcpu *v)
{
    uint64_t hw = vmcb_get64(v->arch.svm.vmcb, VMCB_EFER);
    v->arch.svm.guest_efer = (v->arch.svm.guest_efer & ~EFER_LMA) | (hw & EFER_LMA);
}

/* RDTSCP and RDPID read TSC_AUX straight from the CPU. */
static void load_tsc_aux(struct vcpu *v, unsigned int cpu)
{
    if ( !have_rdtscp || tsc_aux_now[cpu] == v->arch.tsc_aux )
        return;
    wrmsr(MSR_TSC_AUX, v->arch.tsc_aux);
    tsc_aux_now[cpu] = v->arch.tsc_aux;
}

/*
 * A VMCB belongs to one CPU from before VMRUN until after the state is
 * read back: the scheduler guarantees it (v->processor under sched_lock),
 * and this checks it, since two CPUs in one VMCB would mix guest and host
 * state in ways that surface much later as unrelated crashes.
 */
static void svm_claim_vmcb(struct vcpu *v, unsigned int cpu)
{
    int none = -1;
    if ( !__atomic_compare_exchange_n(&v->arch.svm.vmcb_owner, &none, (int)cpu, false,
                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED) )
        panic("d%uv%u: VMCB entered on CPU%u while CPU%d owns it", v->domain->domain_id, v->vcpu_id,
              cpu, none);
}

static void svm_release_vmcb(struct vcpu *v)
{
    __atomic_store_n(&v->arch.svm.vmcb_owner, -1, __ATOMIC_RELEASE);
}

static void svm_vcpu_run(struct vcpu *v, struct hvm_exit *exit)
{
    unsigned int cpu = smp_processor_id();
    paddr_t vmcb_pa = virt_to_maddr(v->arch.svm.vmcb);
    svm_claim_vmcb(v, cpu);
    clgi();
    /* After CLGI, so that a kick for an interrupt requested after this
     * look stays pending and ends the guest's run at once. */
    hvm_intr_assist(v);
    v->arch.svm.in_guest = true;
    smp_mb(); /* publish in_guest before reading the generation */
    svm_sync_tlb(v, cpu);
    svm_load_ncr3(v, cpu);
    v->arch.svm.entries++;
    hvm_load_count(HVM_LOAD_ENTRY);
    svm_load_regs(v);
    svm_write_windows(v);
    svm_write_tsc(v);
    vmcb_set(v->arch.svm.vmcb, VMCB_CLEAN, 4, 0);
    load_tsc_aux(v, cpu);
    fpu_enter_guest(v);
    svm_enter(&v->arch.regs, vmcb_pa, virt_to_maddr(svm_cpus[cpu].host_area));
    fpu_leave_guest(v);
    v->arch.svm.in_guest = false;
    svm_save_regs(v);
    svm_save_tpr(v);
    svm_track_lma(v);
    svm_events_after_exit(v);
    stgi(); /* a pending host interrupt is taken here */
    svm_translate_exit(v, exit);
    svm_release_vmcb(v);
}

static void svm_get_guest_state(struct vcpu *v, struct hvm_guest_state *st)
{
    void *vmcb = v->arch.svm.vmcb;
    uint16_t cs_attr = (uint16_t)vmcb_get(vmcb, VMCB_CS + 2, 2);
    st->cr0 = vmcb_get64(vmcb, VMCB_CR0);
    st->cr3 = vmcb_get64(vmcb, VMCB_CR3);
    st->cr4 = vmcb_get64(vmcb, VMCB_CR4);
    st->efer = v->arch.svm.guest_efer;
    st->cs_sel = (uint16_t)vmcb_get(vmcb, VMCB_CS, 2);
    st->cpl = (uint8_t)vmcb_get(vmcb, VMCB_CPL, 1);
    st->long_mode = (st->efer & EFER_LMA) && (cs_attr & (1u << 9));
    st->cs_32 = cs_attr & (1u << 10);
}

/* With nested paging the guest's PAT is the VMCB's gPAT. */
static void svm_set_guest_pat(struct vcpu *v, uint64_t pat)
{
    vmcb_set64(v->arch.svm.vmcb, VMCB_G_PAT, pat);
}

/* The VMCB's segments sit 16 bytes apart from ES, base at +8. */
static uint64_t svm_seg_base(struct vcpu *v, unsigned int seg)
{
    return vmcb_get64(v->arch.svm.vmcb, VMCB_ES + 16 * (seg % 6) + 8);
}

#define SVM_ATTR_P (1u << 7)

static unsigned int svm_seg_offset(unsigned int seg)
{
    static const unsigned int sys[4] = { VMCB_LDTR, VMCB_TR, VMCB_GDTR, VMCB_IDTR };

    return seg < 6 ? VMCB_ES + 16 * seg : sys[(seg - 6) & 3];
}

static void svm_get_seg(struct vcpu *v, unsigned int seg, struct hvm_sreg *s)
{
    const void *vmcb = v->arch.svm.vmcb;
    unsigned int off = svm_seg_offset(seg);
    bool table = seg == HVM_SEG_GDTR || seg == HVM_SEG_IDTR;

    *s = (struct hvm_sreg){
        .base = vmcb_get64(vmcb, off + 8),
        .limit = vmcb_get(vmcb, off + 4, 4),
        .sel = table ? 0 : vmcb_get(vmcb, off, 2),
        .usable = table || (vmcb_get(vmcb, off + 2, 2) & SVM_ATTR_P),
    };
}

/* The VMCB holds the packed attributes as they are (P clear: unusable). */
static void svm_set_seg(struct vcpu *v, unsigned int seg, const struct hvm_seg *s)
{
    unsigned int off = svm_seg_offset(seg);
    void *vmcb = v->arch.svm.vmcb;

    vmcb_set(vmcb, off, 2, s->sel);
    vmcb_set(vmcb, off + 2, 2, s->ar);
    vmcb_set(vmcb, off + 4, 4, s->limit);
    vmcb_set64(vmcb, off + 8, s->base);
}

static void svm_set_dtr(struct vcpu *v, unsigned int seg, uint64_t base, uint16_t limit)
{
    unsigned int off = svm_seg_offset(seg);

    vmcb_set(v->arch.svm.vmcb, off + 4, 4, limit);
    vmcb_set64(v->arch.svm.vmcb, off + 8, base);
}

/* The guest owns CR0 (no intercept): LMSW's result goes straight in. */
static void svm_lmsw(struct vcpu *v, uint16_t src)
{
    struct vmcb *vmcb = v->arch.svm.vmcb;

    vmcb_set64(vmcb, VMCB_CR0, hvm_lmsw_cr0(vmcb_get64(vmcb, VMCB_CR0), src));
}

static void svm_set_guest_cr2(struct vcpu *v, uint64_t cr2)
{
    vmcb_set64(v->arch.svm.vmcb, VMCB_CR2, cr2);
}

static void svm_inject_exception(struct vcpu *v, uint8_t vector, int32_t error_code)
{
    uint64_t ev = vector | (3u << 8) | (1u << 31); /* type 3: exception, valid */
    if ( error_code >= 0 )
        ev |= (1u << 11) | ((uint64_t)(uint32_t)error_code << 32);
    vmcb_set64(v->arch.svm.vmcb, VMCB_EVENTINJ, ev);
}

/* Wait until v, if it was in guest mode with an old generation, has left
 * it or entered again (and so flushed). */
static void svm_wait_for_flush(struct vcpu *v)
{
    uint64_t entries = v->arch.svm.entries;
    int cpu = ACCESS_ONCE(v->processor);
    while ( cpu >= 0 && cpu != (int)smp_processor_id() && ACCESS_ONCE(v->arch.svm.in_guest) &&
            v->arch.svm.entries == entries )
    {
        smp_kick_cpu((unsigned int)cpu);
        udelay(5);
        cpu = ACCESS_ONCE(v->processor);
    }
}

/*
 * Every vCPU takes a fresh ASID when it next enters with a newer generation
 * (its old one is never used again before its CPU flushes every ASID);
 * those in guest mode now are kicked out and waited for, so when this
 * returns no CPU still uses a translation from before the call.
 */
static void svm_flush_guest_tlbs(struct domain *d)
{
    __atomic_add_fetch(&d->tlb_flush_gen, 1, __ATOMIC_SEQ_CST);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            svm_wait_for_flush(d->vcpu[i]);
}

const struct vcpu_vendor_ops svm_vendor_ops = {
    .name = "SVM",
    .p2m_ops = &npt_pte_ops,
    .probe = svm_probe,
    .cpu_up = svm_cpu_up,
    .vcpu_create = svm_vcpu_create,
    .vcpu_destroy = svm_vcpu_destroy,
    .vcpu_set_pvh_entry = svm_vcpu_set_pvh_entry,
    .vcpu_set_hvm_context = svm_vcpu_set_hvm_context,
    .vcpu_check_hvm_context = svm_vcpu_check_hvm_context,
    .vcpu_save_state = svm_vcpu_save_state,
    .vcpu_load_state = svm_vcpu_load_state,
    .vcpu_get_pat = svm_vcpu_get_pat,
    .vcpu_load_pat = svm_vcpu_load_pat,
    .vcpu_run = svm_vcpu_run,
    .get_guest_state = svm_get_guest_state,
    .set_guest_pat = svm_set_guest_pat,
    .set_guest_cr2 = svm_set_guest_cr2,
    .seg_base = svm_seg_base,
    .get_seg = svm_get_seg,
    .set_seg = svm_set_seg,
    .set_dtr = svm_set_dtr,
    .lmsw = svm_lmsw,
    .inject_exception = svm_inject_exception,
    .inject_intr = svm_inject_intr,
    .vcpu_set_real_mode = svm_vcpu_set_real_mode,
    .flush_guest_tlbs = svm_flush_guest_tlbs,
};
