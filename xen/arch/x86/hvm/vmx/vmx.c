/*
 * vmx.c - Intel VMX behind struct vcpu_vendor_ops: entering a guest,
 * turning each VM exit into a vendor-neutral struct hvm_exit, event
 * injection and the flushing of EPT/VPID-tagged translations.
 *
 * Exits that only VMX has (MOV to CR0/CR4, which we intercept to keep
 * CR0.NE and CR4.VMXE to ourselves and to refuse CR4 bits CPUID does not
 * offer) are finished here and reported as
 * HVM_EXIT_NONE; the common code never sees them. For the exits it does
 * see, the common code advances RIP by insn_len itself.
 *
 * A run: interrupts off, VMCS made current (vmcs.c: a VMPTRLD only if
 * another VMCS was current here since, a VMCLEAR on the old CPU first if
 * the vCPU moved), stale translations flushed, the queued event written,
 * the guest's XCR0 loaded, VMLAUNCH after a clear and VMRESUME otherwise;
 * after the exit the hypervisor's XCR0 is back, the VMCS stays active on
 * this CPU for the vCPU's next run, and the
 * interrupt that caused the exit, still pending (no acknowledge-on-exit),
 * is taken by the hypervisor's own IDT when interrupts come back on. The
 * VMX-preemption timer bounds every run (vmcs.c, vmx_quantum_us), so the
 * hypervisor gets its CPU back even where an interrupt fails to exit.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/altp2m.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/fpu.h>
#include <asm/vlapic.h>
#include "vmx_priv.h"
#include <asm/p2m-backends.h>

_Static_assert(__builtin_offsetof(struct guest_regs, rax) == GREG_RAX, "regs");
_Static_assert(__builtin_offsetof(struct guest_regs, rdi) == GREG_RDI, "regs");
_Static_assert(__builtin_offsetof(struct guest_regs, rbp) == GREG_RBP, "regs");
_Static_assert(__builtin_offsetof(struct guest_regs, r8) == GREG_R8, "regs");
_Static_assert(__builtin_offsetof(struct guest_regs, r15) == GREG_R15, "regs");

#define RFLAGS_WRITABLE 0x3f7fd5ULL /* the bits software can set, and 1 */

/* ---- events ---- */

static bool has_error_code(uint8_t vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

void vmx_queue_exception(struct vcpu *v, uint8_t vector, int32_t error_code)
{
    v->arch.vmx.pending_vector = vector;
    v->arch.vmx.pending_error = error_code;
}

static uint32_t exception_info(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint8_t vector = x->pending_vector;
    uint32_t type = vector == 2 ? INTR_TYPE_NMI : INTR_TYPE_HW_EXC;
    uint32_t info = INTR_INFO_VALID | (type << INTR_INFO_TYPE_SHIFT) | vector;

    /* Real mode (unrestricted guest) has no error codes. */
    if ( has_error_code(vector) && x->pending_error >= 0 &&
         (vmcs_read(VMCS_GUEST_CR0) & X86_CR0_PE) )
    {
        info |= INTR_INFO_ERROR_CODE;
        vmcs_write(VMCS_ENTRY_EXC_ERROR, (uint32_t)x->pending_error);
    }
    return info;
}

/*
 * What the next entry delivers: an exception the common code queued, or
 * else the event whose delivery the last exit interrupted (an EPT fault on
 * the guest's IDT or stack, an interrupt arriving mid-delivery...).
 */
static void write_entry_event(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;

    if ( x->pending_vector >= 0 )
    {
        vmcs_write(VMCS_ENTRY_INTR_INFO, exception_info(v));
        x->pending_vector = -1;
    }
    else if ( x->reinject_info & INTR_INFO_VALID )
    {
        vmcs_write(VMCS_ENTRY_INTR_INFO, x->reinject_info);
        vmcs_write(VMCS_ENTRY_EXC_ERROR, x->reinject_error);
        vmcs_write(VMCS_ENTRY_INSN_LEN, x->reinject_len);
    }
    else if ( x->pending_intr >= 0 )
    {
        uint32_t type = x->pending_intr_nmi ? INTR_TYPE_NMI : INTR_TYPE_EXT_INTR;

        vmcs_write(VMCS_ENTRY_INTR_INFO,
                   INTR_INFO_VALID | (type << INTR_INFO_TYPE_SHIFT) | (uint8_t)x->pending_intr);
    }
    x->reinject_info = 0;
    x->pending_intr = -1;
}

/* The interrupt and NMI windows hvm_intr_assist asked for, this entry
 * only, and the guest's TSC. */
static void write_windows(struct vmx_vcpu *x, const struct domain_time *t)
{
    uint32_t proc = vmx_caps.proc;

    if ( x->irq_window )
        proc |= PROC_INTR_WINDOW;
    if ( x->nmi_window )
        proc |= PROC_NMI_WINDOW;
    /* The guest's TSC (domain_time.c): the host's plus the offset; at
     * another rate than the host's RDTSC exits (RDTSCP with it) and is
     * computed. */
    if ( t->emulated )
        proc |= PROC_RDTSC_EXITING;
    vmcs_write(VMCS_PROC_CTLS, proc);
    vmcs_write(VMCS_TSC_OFFSET, t->tsc_offset);
    x->irq_window = x->nmi_window = false;
}

#define VAPIC_TPR 0x80 /* the TPR shadow in the virtual-APIC page */

/*
 * CR8 is the vLAPIC's TPR: the TPR shadow gets it before entry, and a
 * TPR threshold at the class of a vector the TPR alone holds back makes
 * lowering CR8 below it exit (43), so the vector goes in at once.
 */
static void load_tpr_shadow(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint8_t tpr = vlapic_get_tpr(v);

    x->vtpr = tpr;
    ((volatile uint8_t *)x->vapic)[VAPIC_TPR] = tpr;
    vmcs_write(VMCS_TPR_THRESHOLD, vlapic_tpr_threshold(v));
}

/* After an exit: a MOV to CR8 since the entry moved the TPR. */
static void save_tpr_shadow(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint8_t now = ((volatile uint8_t *)x->vapic)[VAPIC_TPR];

    if ( now != x->vtpr )
        vlapic_set_tpr(v, now);
}

/* Can the guest take this now? The STI / MOV SS shadow ends if the exit
 * handler moved RIP past the instruction that set it. */
static bool can_take(struct vcpu *v, enum hvm_intr_type type)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint32_t block = x->interruptibility;

    if ( v->arch.regs.rip != x->last_rip )
        block &= ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
    if ( x->pending_vector >= 0 || (x->reinject_info & INTR_INFO_VALID) || x->pending_intr >= 0 )
        return false;
    if ( block & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS) )
        return false;
    if ( type == HVM_INTR_NMI )
        return !(block & INTERRUPTIBILITY_NMI);
    return v->arch.regs.rflags & X86_EFLAGS_IF;
}

static bool vmx_inject_intr(struct vcpu *v, enum hvm_intr_type type, uint8_t vector)
{
    struct vmx_vcpu *x = &v->arch.vmx;

    if ( !can_take(v, type) )
    {
        /* Without virtual NMIs there is no NMI window: any exit will do. */
        if ( type == HVM_INTR_NMI && (vmx_caps.pin & PIN_VIRTUAL_NMIS) )
            x->nmi_window = true;
        else
            x->irq_window = true;
        return false;
    }
    x->pending_intr = vector;
    x->pending_intr_nmi = type == HVM_INTR_NMI;
    return true;
}

static void note_interrupted_event(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint32_t info = vmcs_read(VMCS_IDT_VECTORING_INFO);

    x->reinject_info = 0;
    if ( !(info & INTR_INFO_VALID) )
        return;
    x->reinject_info = info & (INTR_INFO_VALID | INTR_INFO_ERROR_CODE | INTR_INFO_TYPE_MASK |
                               INTR_INFO_VECTOR_MASK);
    x->reinject_error = info & INTR_INFO_ERROR_CODE ? vmcs_read(VMCS_IDT_VECTORING_ERROR) : 0;
    x->reinject_len = vmcs_read(VMCS_EXIT_INSN_LEN);
}

/* ---- translations ---- */

/* The EPTP of one of v's tables (the host's or a view's), with v's A/D
 * setting. */
uint64_t vmx_eptp_of(struct vcpu *v, struct p2m_domain *p2m)
{
    return p2m_root_maddr(p2m) | VMX_EPTP_WALK4 | VMX_EPTP_WB |
           (v->arch.vmx.ept_ad ? VMX_EPTP_AD : 0);
}

/*
 * After guest_cpu is published (a view's destroy unlists it, then
 * flushes: the flush waits for this entry or this entry sees the view
 * gone). A new root may have stale translations from when it was last
 * used here: flush_if_stale then flushes it.
 */
static void load_eptp(struct vcpu *v)
{
    struct p2m_domain *p2m = altp2m_vcpu_p2m(v);
    uint64_t eptp = vmx_eptp_of(v, p2m);

    vmcs_write(VMCS_EPTP, eptp);
    if ( eptp != v->arch.vmx.eptp )
    {
        v->arch.vmx.eptp = eptp;
        v->arch.vmx.last_cpu = -1;
    }
    /* The EPTP list, VMFUNC and #VE (altp2m.c), with this table's index. */
    vmx_altp2m_enter(v, p2m->view);
}

/*
 * Translations tagged for this vCPU may be stale on this CPU if the p2m
 * changed since its last entry (the domain's tlb_flush_gen moved) or if it
 * last ran elsewhere (other vCPUs of the domain, or a previous owner of its
 * VPID or of the EPT root, may have left some here). Called with guest_cpu
 * already published, so that vmx_flush_guest_tlbs() either sees us coming
 * or we see its new generation.
 */
static void flush_if_stale(struct vcpu *v, unsigned int cpu)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint64_t gen = __atomic_load_n(&v->domain->tlb_flush_gen, __ATOMIC_SEQ_CST);

    if ( gen == x->flush_gen && x->last_cpu == (int)cpu )
        return;
    invept(INVEPT_SINGLE_CONTEXT, x->eptp);
    vmx_altp2m_flush(v); /* the other EPTPs VMFUNC reaches */
    invvpid(INVVPID_SINGLE_CONTEXT, x->vpid);
    x->last_cpu = cpu;
    __atomic_store_n(&x->flush_gen, gen, __ATOMIC_RELEASE);
}

/*
 * Synchronous: when this returns, no vCPU of d runs on translations older
 * than the call, so a frame just unmapped may be freed. CPUs running one
 * of its vCPUs are kicked out of guest mode and waited for; the others
 * flush on their next entry.
 */
void vmx_flush_guest_tlbs(struct domain *d)
{
    unsigned int self = smp_processor_id();
    uint64_t gen = __atomic_add_fetch(&d->tlb_flush_gen, 1, __ATOMIC_SEQ_CST);

    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vmx_vcpu *x = d->vcpu[i] ? &d->vcpu[i]->arch.vmx : NULL;
        int cpu = x && x->vmcs ? __atomic_load_n(&x->guest_cpu, __ATOMIC_SEQ_CST) : -1;

        if ( cpu < 0 || (unsigned int)cpu == self )
            continue;
        smp_kick_cpu(cpu);
        /* Until it has left guest mode or flushed on its way in. */
        while ( ACCESS_ONCE(x->guest_cpu) == cpu && ACCESS_ONCE(x->flush_gen) < gen )
            cpu_relax();
    }
}

/* ---- entering ---- */

static void write_guest_regs(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint64_t rip = v->arch.regs.rip;

    if ( rip != x->last_rip )
    {
        /* The exiting instruction was skipped: its STI / MOV SS shadow ends. */
        uint64_t intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
        if ( intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS) )
            vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
                       intr & ~(uint64_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
    }
    if ( (rip >> 32) && !((x->efer & EFER_LMA) && (x->cs_ar & VMX_AR_L)) )
        rip = (uint32_t)rip; /* wrapped outside 64-bit mode */
    vmcs_write(VMCS_GUEST_RIP, rip);
    vmcs_write(VMCS_GUEST_RSP, v->arch.regs.rsp);
    vmcs_write(VMCS_GUEST_RFLAGS, (v->arch.regs.rflags & RFLAGS_WRITABLE) | 2);
}

static void read_guest_regs(struct vcpu *v)
{
    v->arch.regs.rip = vmcs_read(VMCS_GUEST_RIP);
    v->arch.regs.rsp = vmcs_read(VMCS_GUEST_RSP);
    v->arch.regs.rflags = vmcs_read(VMCS_GUEST_RFLAGS);
    v->arch.vmx.last_rip = v->arch.regs.rip;
}

/* ---- describing the exit ---- */

static const char *insn_error_name(uint64_t err)
{
    switch ( err )
    {
    case 4: return "VMLAUNCH with non-clear VMCS";
    case 5: return "VMRESUME with non-launched VMCS";
    case 7: return "invalid control field(s)";
    case 8: return "invalid host-state field(s)";
    case 26: return "events blocked by MOV SS";
    default: return "see SDM 'VM-Instruction Error Numbers'";
    }
}

static void entry_refused(struct vcpu *v, int rc, struct hvm_exit *e)
{
    uint64_t err = rc == VMX_ENTER_FAIL_VALID ? vmcs_read(VMCS_INSN_ERROR) : 0;

    printk(XENLOG_ERR "VMX: d%u v%u: VM entry failed: %s %lu (%s)\n", v->domain->domain_id,
           v->vcpu_id, rc == VMX_ENTER_FAIL_VALID ? "VMfailValid, error" : "VMfailInvalid", err,
           insn_error_name(err));
    if ( rc == VMX_ENTER_FAIL_VALID )
        vmx_dump_guest_state(v);
    e->reason = HVM_EXIT_INVALID_STATE;
    e->raw_reason = (1ULL << 32) | err; /* not an exit reason: an error */
}

static void bad_guest_state(struct vcpu *v, uint32_t reason, struct hvm_exit *e)
{
    printk(XENLOG_ERR "VMX: d%u v%u: VM entry failed, exit reason %u, qualification %lu\n",
           v->domain->domain_id, v->vcpu_id, reason & 0xffff, vmcs_read(VMCS_EXIT_QUALIFICATION));
    vmx_dump_guest_state(v);
    e->reason = HVM_EXIT_INVALID_STATE;
}

static void decode_io(struct hvm_exit *e)
{
    uint64_t q = vmcs_read(VMCS_EXIT_QUALIFICATION);

    e->reason = HVM_EXIT_IO;
    e->io_port = IO_QUAL_PORT(q);
    e->io_size = IO_QUAL_SIZE(q);
    e->io_in = q & IO_QUAL_IN;
    e->io_string = q & IO_QUAL_STRING;
    e->io_rep = q & IO_QUAL_REP;
}

static void decode_ept_violation(struct hvm_exit *e)
{
    uint64_t q = vmcs_read(VMCS_EXIT_QUALIFICATION);

    e->reason = HVM_EXIT_NPF;
    e->gpa = vmcs_read(VMCS_GUEST_PHYS_ADDR);
    e->npf_read = q & EPT_QUAL_READ;
    e->npf_write = q & EPT_QUAL_WRITE;
    e->npf_exec = q & EPT_QUAL_EXEC;
    e->npf_present = q & EPT_QUAL_PRESENT_MASK;
    e->npf_gla_valid = q & EPT_QUAL_GLA_VALID;
    e->npf_guest_walk = e->npf_gla_valid && !(q & EPT_QUAL_GLA_FINAL);
    e->gla = e->npf_gla_valid ? vmcs_read(VMCS_GUEST_LINEAR_ADDR) : 0;
}

/* Exits caused by one instruction the common code completes. */
static enum hvm_exit_reason insn_exit(uint32_t basic)
{
    switch ( basic )
    {
    case EXIT_REASON_CPUID: return HVM_EXIT_CPUID;
    case EXIT_REASON_HLT: return HVM_EXIT_HLT;
    case EXIT_REASON_RDTSC: return HVM_EXIT_RDTSC;
    case EXIT_REASON_RDTSCP: return HVM_EXIT_RDTSCP;
    case EXIT_REASON_VMCALL: return HVM_EXIT_HYPERCALL;
    case EXIT_REASON_RDMSR: return HVM_EXIT_MSR_READ;
    case EXIT_REASON_WRMSR: return HVM_EXIT_MSR_WRITE;
    case EXIT_REASON_XSETBV: return HVM_EXIT_XSETBV;
    case EXIT_REASON_INVD:
    case EXIT_REASON_WBINVD: return HVM_EXIT_WBINVD;
    default: return HVM_EXIT_UNHANDLED;
    }
}

/* An NMI that arrived in guest mode belongs to the hypervisor. */
static bool host_nmi(void)
{
    uint32_t info = vmcs_read(VMCS_EXIT_INTR_INFO);
    return (info & INTR_INFO_VALID) &&
           ((info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT) == INTR_TYPE_NMI;
}

static void decode_exit(struct vcpu *v, struct hvm_exit *e)
{
    uint32_t reason = vmcs_read(VMCS_EXIT_REASON), basic = reason & 0xffff;
    unsigned int len = vmcs_read(VMCS_EXIT_INSN_LEN);

    e->raw_reason = reason;
    if ( reason & EXIT_REASON_FAILED_ENTRY )
        return bad_guest_state(v, reason, e);
    v->arch.vmx.launched = true;
    note_interrupted_event(v);
    v->arch.vmx.interruptibility = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
    switch ( basic )
    {
    case EXIT_REASON_EXT_INTR:
    case EXIT_REASON_INTR_WINDOW:
    case EXIT_REASON_NMI_WINDOW:
    case EXIT_REASON_TPR_BELOW:
    case EXIT_REASON_PREEMPT_TIMER: e->reason = HVM_EXIT_NONE; break;
    case EXIT_REASON_EXCEPTION_NMI:
        e->reason = host_nmi() ? HVM_EXIT_NONE : HVM_EXIT_UNHANDLED;
        if ( e->reason == HVM_EXIT_NONE )
            asm volatile("int $2"); /* the host's NMI handler */
        break;
    case EXIT_REASON_TRIPLE_FAULT: e->reason = HVM_EXIT_TRIPLE_FAULT; break;
    case EXIT_REASON_IO:
        decode_io(e);
        e->insn_len = len;
        break;
    case EXIT_REASON_EPT_VIOLATION: decode_ept_violation(e); break;
    case EXIT_REASON_EPT_MISCONFIG:
        e->reason = HVM_EXIT_NPF_MISCONFIG;
        e->gpa = vmcs_read(VMCS_GUEST_PHYS_ADDR);
        break;
    case EXIT_REASON_CR_ACCESS:
        e->reason = vmx_cr_access(v, len) ? HVM_EXIT_NONE : HVM_EXIT_UNHANDLED;
        break;
    case EXIT_REASON_VMFUNC: /* a bad leaf or list index */
        vmx_altp2m_vmfunc_exit(v);
        e->reason = HVM_EXIT_NONE;
        break;
    case EXIT_REASON_PML_FULL: /* drained at the end of the run */
        vmx_pml_full(v);
        e->reason = HVM_EXIT_NONE;
        break;
    default:
        e->reason = insn_exit(basic);
        e->insn_len = e->reason == HVM_EXIT_UNHANDLED ? 0 : len;
        break;
    }
}

/* ---- the vendor operations ---- */

static void vmx_vcpu_run(struct vcpu *v, struct hvm_exit *exit)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    unsigned long flags = local_save_flags();
    unsigned int cpu;
    int rc;

    memset(exit, 0, sizeof(*exit));
    local_irq_disable();
    /* With interrupts off, so that a kick for an interrupt requested
     * after this look stays pending and ends the guest's run at once. */
    hvm_intr_assist(v);
    cpu = smp_processor_id();
    vmcs_load(v);
    if ( vmx_pml_run_start(v) )
        x->last_cpu = -1; /* EPT A/D switched: flush_if_stale drops old translations */
    write_guest_regs(v);
    write_entry_event(v);
    write_windows(x, &v->domain->time);
    load_tpr_shadow(v);
    __atomic_store_n(&x->guest_cpu, (int)cpu, __ATOMIC_SEQ_CST);
    load_eptp(v);
    flush_if_stale(v, cpu);
    fpu_enter_guest(v);
    hvm_load_count2(HVM_LOAD_ENTRY, x->launched ? HVM_LOAD_VMRESUME : HVM_LOAD_VMLAUNCH);
    rc = vmx_enter(&v->arch.regs, x->launched);
    fpu_leave_guest(v);
    __atomic_store_n(&x->guest_cpu, -1, __ATOMIC_RELEASE);
    if ( rc == VMX_ENTER_EXITED )
    {
        vmx_altp2m_exit(v); /* first: the exit is handled in the view the guest is on */
        save_tpr_shadow(v);
        read_guest_regs(v);
        decode_exit(v, exit);
        vmx_cache_guest_state(v);
    }
    else
    {
        entry_refused(v, rc, exit);
    }
    vmx_pml_run_end(v);
    if ( flags & X86_EFLAGS_IF )
        local_irq_enable();
}

static int vmx_vcpu_create(struct vcpu *v)
{
    int rc = vmcs_create(v);

    if ( !rc )
        vmx_set_pvh_entry(v, 0, 0); /* some valid state until the builder's */
    return rc;
}

/* PAT passes through (the VMCS loads and saves it), so no MSR exit
 * reaches this; kept so both vendors answer the same call. */
static void vmx_set_guest_pat(struct vcpu *v, uint64_t pat)
{
    (void)v;
    vmcs_write(VMCS_GUEST_PAT, pat);
}

static uint64_t vmx_seg_base(struct vcpu *v, unsigned int seg)
{
    (void)v;
    return vmcs_read(VMCS_GUEST_BASE(seg % 6));
}

/* HVM_SEG_* 0-7 are VMX's own segment order (ES ... GS, LDTR, TR). */
static void vmx_get_seg(struct vcpu *v, unsigned int seg, struct hvm_sreg *s)
{
    (void)v;
    if ( seg == HVM_SEG_GDTR || seg == HVM_SEG_IDTR )
    {
        bool g = seg == HVM_SEG_GDTR;

        *s = (struct hvm_sreg){
            .base = vmcs_read(g ? VMCS_GUEST_GDTR_BASE : VMCS_GUEST_IDTR_BASE),
            .limit = vmcs_read(g ? VMCS_GUEST_GDTR_LIMIT : VMCS_GUEST_IDTR_LIMIT),
            .usable = true,
        };
        return;
    }
    seg &= 7;
    *s = (struct hvm_sreg){
        .base = vmcs_read(VMCS_GUEST_BASE(seg)),
        .limit = vmcs_read(VMCS_GUEST_LIMIT(seg)),
        .sel = vmcs_read(VMCS_GUEST_SEL(seg)),
        .usable = !(vmcs_read(VMCS_GUEST_AR(seg)) & VMX_AR_UNUSABLE),
    };
}

/* The packed attributes' bits 11:8 are VMX's 15:12; P clear: unusable. */
static void vmx_set_seg(struct vcpu *v, unsigned int seg, const struct hvm_seg *s)
{
    uint32_t ar = (s->ar & 0xff) | ((uint32_t)(s->ar & 0xf00) << 4);

    (void)v;
    if ( !(ar & VMX_AR_P) )
        ar |= VMX_AR_UNUSABLE;
    seg &= 7;
    vmcs_write(VMCS_GUEST_SEL(seg), s->sel);
    vmcs_write(VMCS_GUEST_AR(seg), ar);
    vmcs_write(VMCS_GUEST_LIMIT(seg), s->limit);
    vmcs_write(VMCS_GUEST_BASE(seg), s->base);
}

static void vmx_set_dtr(struct vcpu *v, unsigned int seg, uint64_t base, uint16_t limit)
{
    bool g = seg == HVM_SEG_GDTR;

    (void)v;
    vmcs_write(g ? VMCS_GUEST_GDTR_BASE : VMCS_GUEST_IDTR_BASE, base);
    vmcs_write(g ? VMCS_GUEST_GDTR_LIMIT : VMCS_GUEST_IDTR_LIMIT, limit);
}

/* VMX does not switch CR2: the guest finds the CPU's own at entry, and
 * the hypervisor takes no page faults to change it. */
static void vmx_set_guest_cr2(struct vcpu *v, uint64_t cr2)
{
    (void)v;
    asm volatile("mov %0, %%cr2" ::"r"(cr2));
}

static void vmx_inject_exception(struct vcpu *v, uint8_t vector, int32_t error_code)
{
    vmx_queue_exception(v, vector, error_code);
}

/* Log-dirty sees PML only on a CPU that has it. */
static int vmx_probe_all(void)
{
    int rc = vmx_probe();

    if ( !rc && vmx_pml_probe() )
        vmx_vendor_ops.pml = &vmx_pml_ops;
    if ( !rc )
        vmx_altp2m_probe();
    return rc;
}

struct vcpu_vendor_ops vmx_vendor_ops = {
    .name = "VMX",
    .p2m_ops = &ept_pte_ops,
    .probe = vmx_probe_all,
    .cpu_up = vmx_cpu_up,
    .vcpu_create = vmx_vcpu_create,
    .vcpu_destroy = vmcs_destroy,
    .vcpu_set_pvh_entry = vmx_set_pvh_entry,
    .vcpu_set_hvm_context = vmx_set_hvm_context,
    .vcpu_check_hvm_context = vmx_check_hvm_context,
    .vcpu_save_state = vmx_save_state,
    .vcpu_load_state = vmx_load_state,
    .vcpu_get_pat = vmx_vcpu_get_pat,
    .vcpu_load_pat = vmx_vcpu_load_pat,
    .vcpu_run = vmx_vcpu_run,
    .get_guest_state = vmx_get_guest_state,
    .set_guest_pat = vmx_set_guest_pat,
    .set_guest_cr2 = vmx_set_guest_cr2,
    .seg_base = vmx_seg_base,
    .get_seg = vmx_get_seg,
    .set_seg = vmx_set_seg,
    .set_dtr = vmx_set_dtr,
    .lmsw = vmx_lmsw,
    .inject_exception = vmx_inject_exception,
    .inject_intr = vmx_inject_intr,
    .vcpu_set_real_mode = vmx_set_real_mode,
    .flush_guest_tlbs = vmx_flush_guest_tlbs,
    .kicked = vmcs_serve_clear_request,
};
