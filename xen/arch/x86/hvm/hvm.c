/*
 * hvm.c - the vendor-neutral half of running guests: which vendor to use,
 * and the exit handlers written once for both (CPUID, MSRs, port I/O,
 * hypercalls, second-stage faults, HLT, XSETBV, INVD/WBINVD, triple
 * faults). What CPUID shows a guest is cpu_policy.c's. The vendor code
 * turns its own exit codes into struct hvm_exit; nothing here knows a
 * VMCS or a VMCB.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <xen/console.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/param.h>
#include <xen/version.h>
#include <xen/shared_layout.h>
#include <xen/time.h>
#include <xen/ioreq.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/hvm_emulate.h>
#include <asm/hvm_msr.h>
#include <public/hvm/hvm_vcpu.h>
#include <asm/fpu.h>
#include <asm/vlapic.h>
#include <public/arch-x86/cpuid.h>

const struct vcpu_vendor_ops *hvm_vendor;

static char opt_hvm[8] = "";
string_param("hvm", opt_hvm); /* "vmx" or "svm": force a vendor */

static bool cpu_vendor_is(const char *name)
{
    struct cpuid_regs r = cpuid(0);
    char v[13];
    memcpy(v, &r.b, 4);
    memcpy(v + 4, &r.d, 4);
    memcpy(v + 8, &r.c, 4);
    v[12] = '\0';
    return !strcmp(v, name);
}

int hvm_init(void)
{
    const struct vcpu_vendor_ops *ops = &svm_vendor_ops;
    if ( !strcmp(opt_hvm, "vmx") || (!opt_hvm[0] && cpu_vendor_is("GenuineIntel")) )
        ops = &vmx_vendor_ops;
    if ( ops->probe() )
    {
        printk(XENLOG_ERR "HVM: %s unusable\n", ops->name);
        return -ENODEV;
    }
    hvm_vendor = ops;
    vlapic_mmio_init();
    printk("HVM: using %s with %s second-stage tables\n", ops->name, ops->p2m_ops->name);
    hvm_cpu_policy_show();
    return 0;
}

void hvm_cpu_up(unsigned int cpu)
{
    int rc = hvm_vendor->cpu_up(cpu);
    if ( rc )
        panic("CPU%u: cannot enable %s (%d)", cpu, hvm_vendor->name, rc);
}

void hvm_kicked(void)
{
    if ( hvm_vendor && hvm_vendor->kicked )
        hvm_vendor->kicked();
}

/* ---- CPUID ---------------------------------------------------------- */

#define XEN_LEAVES 5 /* base+0 .. base+4 */

static struct cpuid_regs xen_cpuid_leaf(struct vcpu *v, uint32_t idx, uint32_t sub)
{
    struct cpuid_regs r = { 0, 0, 0, 0 };
    switch ( idx )
    {
    case 0:
        r = (struct cpuid_regs){ XEN_CPUID_LEAF(XEN_LEAVES - 1), XEN_CPUID_SIGNATURE_EBX,
                                 XEN_CPUID_SIGNATURE_ECX, XEN_CPUID_SIGNATURE_EDX };
        break;
    case 1: r.a = (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR; break;
    case 2:
        r.a = 1;                    /* one hypercall page */
        r.b = XEN_CPUID_FIRST_LEAF; /* written through this MSR */
        break;
    case 3: r = hvm_time_cpuid_leaf(v->domain, sub); break;
    case 4:
        r.a = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT;
        r.b = v->vcpu_id;
        r.c = v->domain->domain_id;
        break;
    }
    return r;
}

struct guest_regs hvm_regs_from_context64(const struct vcpu_hvm_x86_64 *r)
{
    return (struct guest_regs){
        .rax = r->rax,
        .rcx = r->rcx,
        .rdx = r->rdx,
        .rbx = r->rbx,
        .rsp = r->rsp,
        .rbp = r->rbp,
        .rsi = r->rsi,
        .rdi = r->rdi,
        .rip = r->rip,
        .rflags = r->rflags | 0x2,
    };
}

/* Guests see the host's physical address width (CPUID 0x80000008, which
 * they get unchanged), capped by the four-level p2m's 48 bits. */
unsigned int arch_gpaddr_bits(void)
{
    unsigned int bits = cpuid_count(0x80000008, 0).a & 0xff;
    return bits && bits < 48 ? bits : 48;
}

static void handle_cpuid(struct vcpu *v)
{
    uint32_t leaf = (uint32_t)v->arch.regs.rax, sub = (uint32_t)v->arch.regs.rcx;
    struct hvm_guest_state st;
    struct cpuid_regs r;
    if ( leaf >= XEN_CPUID_FIRST_LEAF && leaf < XEN_CPUID_FIRST_LEAF + 0x10000 )
    {
        r = leaf < XEN_CPUID_LEAF(XEN_LEAVES) ? xen_cpuid_leaf(v, leaf - XEN_CPUID_FIRST_LEAF, sub)
                                              : (struct cpuid_regs){ 0, 0, 0, 0 };
    }
    else
    {
        hvm_vendor->get_guest_state(v, &st);
        r = hvm_guest_cpuid(v, leaf, sub, st.cr4, v->arch.xcr0);
    }
    v->arch.regs.rax = r.a;
    v->arch.regs.rbx = r.b;
    v->arch.regs.rcx = r.c;
    v->arch.regs.rdx = r.d;
}

/* ---- MSRs ----------------------------------------------------------- */

#define HYPERCALL_PAGE_MSR  XEN_CPUID_FIRST_LEAF
#define HYPERCALL_STUB_SIZE 32

/* Is v in 64-bit mode (EFER.LMA and CS.L)? */
static bool vcpu_in_64bit_mode(struct vcpu *v)
{
    struct hvm_guest_state st;
    hvm_vendor->get_guest_state(v, &st);
    return st.long_mode;
}

/* Fill the guest's hypercall page: stub i is "mov $i, %eax; vm(m)call; ret". */
static int write_hypercall_page(struct vcpu *v, uint64_t val)
{
    uint8_t *page;
    bool intel = hvm_vendor == &vmx_vendor_ops;
    if ( val & 0xfff )
        return -EINVAL; /* we advertise one page: index 0 only */
    page = map_guest_frame(v->domain, _gfn(val >> PAGE_SHIFT), true);
    if ( !page )
        return -EFAULT;
    memset(page, 0xcc, PAGE_SIZE); /* int3 between stubs */
    for ( unsigned int i = 0; i < PAGE_SIZE / HYPERCALL_STUB_SIZE; i++ )
    {
        uint8_t *p = page + i * HYPERCALL_STUB_SIZE;
        p[0] = 0xb8;
        memcpy(p + 1, &i, 4);
        p[5] = 0x0f;
        p[6] = 0x01;
        p[7] = intel ? 0xc1 : 0xd9;
        p[8] = 0xc3;
    }
    unmap_guest_frame(page);
    /* As Xen: the guest's mode now; the wallclock moves with the layout. */
    if ( shinfo_latch(v->domain, !vcpu_in_64bit_mode(v)) )
        time_domain_init(v->domain);
    return 0;
}

/* Returns true if the access was handled, false to inject #GP. */
static bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    if ( vlapic_msr_owned(msr) )
        return vlapic_msr_read(v, msr, val);
    switch ( msr )
    {
    case MSR_TSC_AUX: /* where the MSR bitmap does not pass it */
        *val = v->arch.tsc_aux;
        return true;
    default: return hvm_msr_read(v, msr, val) > 0;
    }
}

static bool msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    if ( vlapic_msr_owned(msr) )
        return vlapic_msr_write(v, msr, val);
    if ( msr == HYPERCALL_PAGE_MSR )
    {
        int rc = write_hypercall_page(v, val);
        if ( rc )
            printk(XENLOG_WARNING "d%u: hypercall page at %#lx refused (%d)\n",
                   v->domain->domain_id, val, rc);
        return rc == 0;
    }
    if ( msr == MSR_TSC_AUX && !(val >> 32) )
    {
        v->arch.tsc_aux = val; /* the vendor code loads it before entry */
        return true;
    }
    return hvm_msr_write(v, msr, val) > 0;
}

static void handle_msr(struct vcpu *v, bool write, unsigned int insn_len)
{
    uint32_t msr = (uint32_t)v->arch.regs.rcx;
    uint64_t val = (v->arch.regs.rdx << 32) | (uint32_t)v->arch.regs.rax;
    bool ok = write ? msr_write(v, msr, val) : msr_read(v, msr, &val);
    if ( !ok )
    {
        hvm_vendor->inject_exception(v, 13, 0);
        return;
    }
    if ( !write )
    {
        v->arch.regs.rax = (uint32_t)val;
        v->arch.regs.rdx = val >> 32;
    }
    v->arch.regs.rip += insn_len;
}

/* ---- port I/O ------------------------------------------------------- */

#define DEBUG_CONSOLE_PORT 0xe9 /* Bochs/QEMU convention, one byte a write */

void hvm_ioreq_wait(struct vcpu *v, const struct hvm_exit *e)
{
    *v->arch.ioreq_exit = *e;
}

/* An IN no device of ours serves: an IOREQ server's, else all ones.
 * False while a server's answer is awaited. */
static bool io_in(struct vcpu *v, const struct hvm_exit *e, uint32_t *val)
{
    if ( hvm_pm_port_read(v, e->io_port, e->io_size, val) )
        return true;
    switch ( ioreq_pio(v, e->io_port, e->io_size, false, val) )
    {
    case IOREQ_PENDING: hvm_ioreq_wait(v, e); return false;
    case IOREQ_DONE: ioreq_instruction_done(v); return true;
    default: return true;
    }
}

static bool io_out(struct vcpu *v, const struct hvm_exit *e, uint32_t val)
{
    if ( hvm_pm_port_write(v, e->io_port, e->io_size, val) )
        return true;
    if ( e->io_port == DEBUG_CONSOLE_PORT )
    {
        hvm_debugcon_write(v->domain, (char)val);
        return true;
    }
    switch ( ioreq_pio(v, e->io_port, e->io_size, true, &val) )
    {
    case IOREQ_PENDING: hvm_ioreq_wait(v, e); return false;
    case IOREQ_DONE: ioreq_instruction_done(v); return true;
    default: return true; /* nobody there: dropped */
    }
}

/* False if the instruction waits for an IOREQ server (RIP stays). */
static bool handle_io(struct vcpu *v, const struct hvm_exit *e)
{
    uint64_t mask = e->io_size == 4 ? 0xffffffffULL : (1ULL << (e->io_size * 8)) - 1;
    uint32_t val = (uint32_t)mask; /* nothing there: all ones */
    if ( !e->io_in )
        return io_out(v, e, (uint32_t)(v->arch.regs.rax & mask));
    if ( !io_in(v, e, &val) )
        return false;
    v->arch.regs.rax = (v->arch.regs.rax & ~mask) | (val & mask);
    return true;
}

uint64_t hvm_read_gpr(struct vcpu *v, unsigned int n)
{
    struct guest_regs *r = &v->arch.regs;
    const uint64_t *p[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
        &r->r8,  &r->r9,  &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };
    return *p[n & 15];
}

/* ---- XSETBV, INVD and WBINVD --------------------------------------- */

static void handle_xsetbv(struct vcpu *v, const struct hvm_exit *e)
{
    struct hvm_guest_state st;
    uint64_t val = (v->arch.regs.rdx << 32) | (uint32_t)v->arch.regs.rax;
    int vec;
    hvm_vendor->get_guest_state(v, &st);
    vec = fpu_guest_xsetbv(v, (uint32_t)v->arch.regs.rcx, val, st.cpl, st.cr4);
    if ( vec )
        hvm_vendor->inject_exception(v, vec, vec == X86_EXC_GP ? 0 : -1);
    else
        v->arch.regs.rip += e->insn_len;
}

/* INVD would throw away dirty lines other domains (and we) wrote: both
 * instructions write back and invalidate, as WBINVD does. */
static void handle_wbinvd(struct vcpu *v, const struct hvm_exit *e)
{
    asm volatile("wbinvd" ::: "memory");
    v->arch.regs.rip += e->insn_len;
}

/* ---- dispatch --------------------------------------------------------- */

static void crash_with_state(struct vcpu *v, const char *what)
{
    struct hvm_guest_state st;
    char why[96];
    hvm_vendor->get_guest_state(v, &st);
    printk(XENLOG_ERR "d%uv%u %s: rip %#lx rsp %#lx cr0 %#lx cr3 %#lx cr4 %#lx efer %#lx\n",
           v->domain->domain_id, v->vcpu_id, what, v->arch.regs.rip, v->arch.regs.rsp, st.cr0,
           st.cr3, st.cr4, st.efer);
    snprintf(why, sizeof(why), "%s at rip %#lx", what, v->arch.regs.rip);
    domain_crash(v->domain, why);
}

static void handle_hlt(struct vcpu *v, const struct hvm_exit *e)
{
    v->arch.regs.rip += e->insn_len;
    vcpu_block(v);
}

static void advance(struct vcpu *v, const struct hvm_exit *e)
{
    v->arch.regs.rip += e->insn_len;
}

/* RDTSC(P) exits only for a guest TSC at another rate than the host's:
 * the domain's TSC, computed (domain_time.c). */
static void handle_rdtsc(struct vcpu *v, const struct hvm_exit *e)
{
    uint64_t tsc = domain_tsc(v->domain);

    v->arch.regs.rax = (uint32_t)tsc;
    v->arch.regs.rdx = tsc >> 32;
    if ( e->reason == HVM_EXIT_RDTSCP )
        v->arch.regs.rcx = (uint32_t)v->arch.tsc_aux;
    advance(v, e);
}

void hvm_handle_exit(struct vcpu *v, const struct hvm_exit *e)
{
    char why[64];
    switch ( e->reason )
    {
    case HVM_EXIT_NONE: return;
    case HVM_EXIT_CPUID:
        handle_cpuid(v);
        advance(v, e);
        return;
    case HVM_EXIT_MSR_READ:
    case HVM_EXIT_MSR_WRITE: handle_msr(v, e->reason == HVM_EXIT_MSR_WRITE, e->insn_len); return;
    case HVM_EXIT_IO:
        if ( e->io_string )
        {
            hvm_emulate_string_io(v, e); /* moves RIP itself */
            return;
        }
        if ( handle_io(v, e) )
            advance(v, e);
        return;
    case HVM_EXIT_HYPERCALL:
        advance(v, e);
        arch_hypercall(v);
        return;
    case HVM_EXIT_NPF:
    case HVM_EXIT_NPF_MISCONFIG: hvm_handle_npf(v, e); return;
    case HVM_EXIT_HLT: handle_hlt(v, e); return;
    case HVM_EXIT_XSETBV: handle_xsetbv(v, e); return;
    case HVM_EXIT_WBINVD: handle_wbinvd(v, e); return;
    case HVM_EXIT_RDTSC:
    case HVM_EXIT_RDTSCP: handle_rdtsc(v, e); return;
    case HVM_EXIT_TRIPLE_FAULT: crash_with_state(v, "triple fault"); return;
    case HVM_EXIT_INVALID_STATE: crash_with_state(v, "VM entry refused the guest state"); return;
    case HVM_EXIT_UNHANDLED:
        snprintf(why, sizeof(why), "unhandled exit %#lx", e->raw_reason);
        crash_with_state(v, why);
        return;
    }
}

void hvm_ioreq_resume(struct vcpu *v, const struct hvm_exit *e)
{
    if ( e->reason == HVM_EXIT_IO && e->io_string )
        hvm_emulate_string_io(v, e);
    else if ( e->reason == HVM_EXIT_IO && handle_io(v, e) )
        advance(v, e);
    else if ( e->reason == HVM_EXIT_NPF )
        hvm_emulate_mmio(v, e);
}
