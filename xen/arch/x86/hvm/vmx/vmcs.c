/*
 * vmcs.c - VMX on the physical CPUs and the VMCS of each vCPU.
 *
 * vmx_probe() reads the capability MSRs once and decides every control
 * value; vmx_cpu_up() turns VMX on for one CPU (its own GDT with a TSS,
 * because a VM exit needs a non-null host TR); vmcs_create() builds a
 * vCPU's VMCS with the controls and host state. Guest register state is
 * guest.c's business, running the guest is vmx.c's.
 *
 * A VMCS is active on at most one CPU. After a run it stays active (and
 * usually current) on the CPU that ran it, so the next run there needs no
 * VMPTRLD and enters with VMRESUME; it is cleared (VMCLEAR) only when the
 * vCPU is loaded on another CPU, for a one-off access (vmcs_unload) or
 * when it is destroyed. A clear must happen on the CPU where the VMCS is
 * active: see "where each VMCS is active" below.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/smp.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/param.h>
#include <asm/x86.h>
#include <asm/boot.h>
#include <asm/apic.h>
#include <asm/hvm.h>
#include "vmx_priv.h"

struct vmx_caps vmx_caps;

/*
 * The longest a vCPU runs without an exit, in microseconds (0: no limit).
 * Bochs 2.7 does not recognise external interrupts in a guest entered
 * with RFLAGS.IF = 0 until the guest itself changes IF (it recomputes its
 * interrupt mask during VM entry before it counts as being in the guest),
 * so without this bound ticks and kicks would wait for the guest's next
 * exit; on hardware it is a cheap safety net. See docs/platforms.md.
 */
static unsigned int opt_vmx_quantum_us = 1000;
integer_param("vmx_quantum_us", opt_vmx_quantum_us);

/* ---- capabilities ---- */

struct ctl_name
{
    uint32_t bit;
    const char *name;
};

static const struct ctl_name pin_names[] = {
    { PIN_EXT_INTR_EXITING, "external-interrupt exiting" },
};
/* Without the TPR shadow a guest's MOV to CR8 would set the host's TPR. */
static const struct ctl_name proc_names[] = {
    { PROC_HLT_EXITING, "HLT exiting" },
    { PROC_USE_TSC_OFFSET, "TSC offsetting" },
    { PROC_USE_TPR_SHADOW, "TPR shadow" },
    { PROC_UNCOND_IO_EXITING, "unconditional I/O exiting" },
    { PROC_USE_MSR_BITMAPS, "MSR bitmaps" },
    { PROC_ACTIVATE_CTLS2, "secondary controls" },
};
static const struct ctl_name proc2_names[] = {
    { PROC2_ENABLE_EPT, "EPT" },
    { PROC2_ENABLE_VPID, "VPID" },
    { PROC2_UNRESTRICTED, "unrestricted guest" },
};
/* DR7 and DEBUGCTL follow the guest only with the debug-control pair. */
static const struct ctl_name exit_names[] = {
    { EXIT_SAVE_DEBUG, "save debug controls" }, { EXIT_HOST_64BIT, "host address-space size" },
    { EXIT_SAVE_PAT, "save IA32_PAT" },         { EXIT_LOAD_PAT, "load IA32_PAT" },
    { EXIT_SAVE_EFER, "save IA32_EFER" },       { EXIT_LOAD_EFER, "load IA32_EFER" },
};
static const struct ctl_name entry_names[] = {
    { ENTRY_LOAD_DEBUG, "load debug controls" },
    { ENTRY_IA32E_GUEST, "IA-32e mode guest" },
    { ENTRY_LOAD_PAT, "load IA32_PAT" },
    { ENTRY_LOAD_EFER, "load IA32_EFER" },
};
static const struct ctl_name ept_names[] = {
    { 6, "4-level EPT walk" },       { 14, "write-back EPT" }, { 20, "INVEPT" },
    { 25, "single-context INVEPT" }, { 32, "INVVPID" },        { 41, "single-context INVVPID" },
};

static uint32_t ctl_bits(const struct ctl_name *n, size_t nr)
{
    uint32_t bits = 0;
    for ( size_t i = 0; i < nr; i++ )
        bits |= n[i].bit;
    return bits;
}

/*
 * One control word from its capability MSR (low half: bits that must be 1;
 * high half: bits that may be 1): every required bit, the optional ones the
 * CPU has, and whatever it insists on. False if a required bit is missing.
 */
static bool adjust_ctls(uint32_t msr, const char *what, const struct ctl_name *req, size_t nr,
                        uint32_t optional, uint32_t *out)
{
    uint64_t cap = rdmsr(msr);
    uint32_t must = (uint32_t)cap, may = (uint32_t)(cap >> 32);
    bool ok = true;

    for ( size_t i = 0; i < nr; i++ )
    {
        if ( req[i].bit & may )
            continue;
        printk(XENLOG_ERR "VMX: %s control '%s' not available\n", what, req[i].name);
        ok = false;
    }
    *out = (ctl_bits(req, nr) | (optional & may) | must) & may;
    return ok;
}

static bool check_ept_vpid(void)
{
    bool ok = true;

    vmx_caps.ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
    for ( size_t i = 0; i < ARRAY_SIZE(ept_names); i++ )
    {
        if ( vmx_caps.ept_vpid & (1ULL << ept_names[i].bit) )
            continue;
        printk(XENLOG_ERR "VMX: EPT/VPID capability '%s' missing\n", ept_names[i].name);
        ok = false;
    }
    return ok;
}

/* Lock IA32_FEATURE_CONTROL with VMXON allowed if firmware left it open. */
static bool feature_control_ok(void)
{
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

    if ( !(fc & FEATURE_CONTROL_LOCK) )
    {
        printk(XENLOG_INFO "VMX: CPU%u: IA32_FEATURE_CONTROL %#lx unlocked, locking it\n",
               smp_processor_id(), fc);
        fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMXON_OUTSIDE;
        wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
    }
    if ( fc & FEATURE_CONTROL_VMXON_OUTSIDE )
        return true;
    printk(XENLOG_ERR "VMX: disabled by firmware (IA32_FEATURE_CONTROL %#lx)\n", fc);
    return false;
}

static bool check_basic(void)
{
    uint64_t basic = rdmsr(MSR_IA32_VMX_BASIC);

    vmx_caps.revision = basic & VMX_BASIC_REVISION_MASK;
    if ( !(basic & VMX_BASIC_TRUE_CTLS) )
    {
        printk(XENLOG_ERR "VMX: no 'true' control capability MSRs\n");
        return false;
    }
    if ( VMX_BASIC_MEMTYPE(basic) != 6 )
    {
        printk(XENLOG_ERR "VMX: VMCS memory type %lu, not write-back\n", VMX_BASIC_MEMTYPE(basic));
        return false;
    }
    return true;
}

/*
 * Optional secondary controls: RDTSCP and INVPCID for guests that use
 * them; WBINVD exiting so that WBINVD ends in the hypervisor like INVD
 * (which always exits). Without it a guest's WBINVD runs natively, which
 * loses nothing.
 */
static bool compute_controls(void)
{
    bool ok = true;

    ok &=
        adjust_ctls(MSR_IA32_VMX_TRUE_PINBASED_CTLS, "pin-based", pin_names, ARRAY_SIZE(pin_names),
                    PIN_NMI_EXITING | PIN_VIRTUAL_NMIS | PIN_PREEMPT_TIMER, &vmx_caps.pin);
    ok &= adjust_ctls(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, "processor-based", proc_names,
                      ARRAY_SIZE(proc_names), 0, &vmx_caps.proc);
    ok &= adjust_ctls(
        MSR_IA32_VMX_PROCBASED_CTLS2, "secondary", proc2_names, ARRAY_SIZE(proc2_names),
        PROC2_ENABLE_RDTSCP | PROC2_ENABLE_INVPCID | PROC2_WBINVD_EXITING, &vmx_caps.proc2);
    ok &= adjust_ctls(MSR_IA32_VMX_TRUE_EXIT_CTLS, "VM-exit", exit_names, ARRAY_SIZE(exit_names), 0,
                      &vmx_caps.exit);
    ok &= adjust_ctls(MSR_IA32_VMX_TRUE_ENTRY_CTLS, "VM-entry", entry_names,
                      ARRAY_SIZE(entry_names), 0, &vmx_caps.entry);
    /* The guest's mode decides this one, entry by entry. */
    vmx_caps.entry &= ~ENTRY_IA32E_GUEST;
    return ok;
}

static void compute_cr_masks(void)
{
    struct cpuid_regs ext = cpuid(0x80000000);

    vmx_caps.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
    vmx_caps.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
    vmx_caps.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
    vmx_caps.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
    /* Unrestricted guest lifts the PE and PG requirements. */
    vmx_caps.cr0_force1 = vmx_caps.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
    vmx_caps.cr0_mask = vmx_caps.cr0_force1 | ~vmx_caps.cr0_fixed1 | X86_CR0_CD | X86_CR0_NW;
    /* A guest writes the CR4 bits its CPUID offers without exits; a write
     * touching any other bit exits, and guest.c raises #GP for it. */
    vmx_caps.cr4_guest_ok = vmx_caps.cr4_fixed1 & hvm_cr4_guest_ok() & ~X86_CR4_VMXE;
    vmx_caps.cr4_mask = vmx_caps.cr4_fixed0 | ~vmx_caps.cr4_guest_ok | X86_CR4_VMXE;
    vmx_caps.maxphyaddr = ext.a >= 0x80000008 ? (cpuid(0x80000008).a & 0xff) : 36;
}

/* The preemption-timer value for opt_vmx_quantum_us (after APIC calibration). */
static void compute_quantum(void)
{
    unsigned int rate = VMX_MISC_PREEMPT_RATE(vmx_caps.misc);
    uint64_t t0, per_100us, value;

    if ( !opt_vmx_quantum_us || !(vmx_caps.pin & PIN_PREEMPT_TIMER) )
    {
        vmx_caps.pin &= ~PIN_PREEMPT_TIMER;
        return;
    }
    t0 = rdtsc();
    udelay(100);
    per_100us = rdtsc() - t0;
    value = ((per_100us * opt_vmx_quantum_us) / 100) >> rate;
    vmx_caps.quantum = value > 0xffffffffULL ? 0xffffffffU : value ? (uint32_t)value : 1;
}

static void show_caps(void)
{
    printk("VMX: revision %#x, controls pin %#x proc %#x proc2 %#x exit %#x entry %#x\n",
           vmx_caps.revision, vmx_caps.pin, vmx_caps.proc, vmx_caps.proc2, vmx_caps.exit,
           vmx_caps.entry);
    printk("VMX: CR0 fixed %#lx/%#lx, CR4 fixed %#lx/%#lx, EPT/VPID caps %#lx\n",
           vmx_caps.cr0_fixed0, vmx_caps.cr0_fixed1, vmx_caps.cr4_fixed0, vmx_caps.cr4_fixed1,
           vmx_caps.ept_vpid);
    printk("VMX: misc %#lx, quantum %u us (preemption timer %#x)\n", vmx_caps.misc,
           vmx_caps.quantum ? opt_vmx_quantum_us : 0, vmx_caps.quantum);
}

int vmx_probe(void)
{
    bool ok;

    if ( !(cpuid(1).c & (1U << 5)) )
    {
        printk(XENLOG_ERR "VMX: CPUID.1:ECX.VMX is clear\n");
        return -ENODEV;
    }
    if ( !feature_control_ok() || !check_basic() )
        return -ENODEV;
    ok = compute_controls();
    ok &= check_ept_vpid();
    if ( !ok )
        return -ENODEV;
    compute_cr_masks();
    vmx_caps.misc = rdmsr(MSR_IA32_VMX_MISC);
    compute_quantum();
    show_caps();
    return 0;
}

/* ---- per-CPU host tables: a GDT with a TSS for the host TR ---- */

struct tss64
{
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
} __packed;
_Static_assert(sizeof(struct tss64) == 104, "TSS size");

#define HOST_TR_SEL  0x20
#define HOST_GDT_LEN 6 /* null, code64, data, code32, TSS (2 slots) */

struct host_tables
{
    uint64_t gdt[HOST_GDT_LEN];
    struct tss64 tss;
} __aligned(16);

static struct host_tables host_tables[NR_CPUS];
static void *vmxon_region[NR_CPUS];

static void host_tables_load(unsigned int cpu)
{
    struct host_tables *t = &host_tables[cpu];
    uint64_t base = (uintptr_t)&t->tss, limit = sizeof(t->tss) - 1;
    struct
    {
        uint16_t limit;
        uint64_t base;
    } __packed desc = { sizeof(t->gdt) - 1, (uintptr_t)t->gdt };

    t->gdt[1] = 0x00af9b000000ffffULL; /* BOOT_CS64 */
    t->gdt[2] = 0x00cf93000000ffffULL; /* BOOT_DS */
    t->gdt[3] = 0x00cf9b000000ffffULL; /* BOOT_CS32 */
    t->gdt[4] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
                (((base >> 24) & 0xff) << 56); /* available 64-bit TSS */
    t->gdt[5] = base >> 32;
    t->tss.iomap_base = sizeof(t->tss); /* no I/O bitmap */
    asm volatile("lgdt %0" ::"m"(desc) : "memory");
    asm volatile("ltr %w0" ::"r"((uint16_t)HOST_TR_SEL) : "memory");
}

static void flush_all_contexts(void)
{
    if ( vmx_caps.ept_vpid & VMX_EPT_CAP_INVEPT_ALL )
        invept(INVEPT_ALL_CONTEXT, 0);
    if ( vmx_caps.ept_vpid & VMX_VPID_CAP_INVVPID_ALL )
        invvpid(INVVPID_ALL_CONTEXT, 0);
}

int vmx_cpu_up(unsigned int cpu)
{
    void *region;

    if ( !feature_control_ok() )
        return -ENODEV;
    host_tables_load(cpu);
    /* Caches on: the loader may leave CD/NW set, and guests share them. */
    write_cr0(((read_cr0() | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1) &
              ~(X86_CR0_CD | X86_CR0_NW));
    write_cr4((read_cr4() | vmx_caps.cr4_fixed0 | X86_CR4_VMXE) & vmx_caps.cr4_fixed1);
    region = vmxon_region[cpu] ? vmxon_region[cpu] : alloc_page_zeroed();
    if ( !region )
        return -ENOMEM;
    vmxon_region[cpu] = region;
    *(uint32_t *)region = vmx_caps.revision;
    if ( !vmxon(virt_to_maddr(region)) )
    {
        printk(XENLOG_ERR "VMX: VMXON failed on CPU%u\n", cpu);
        return -EIO;
    }
    flush_all_contexts();
    vmx_selftest(cpu);
    return 0;
}

/* ---- VPIDs: one per vCPU, never 0 (that one tags the host) ---- */

#define NR_VPIDS 65536
static uint64_t vpid_used[NR_VPIDS / 64] = { 1 }; /* VPID 0 is taken */
static spinlock_t vpid_lock = SPIN_LOCK_UNLOCKED(LOCK_vpid);

static uint16_t vpid_alloc(void)
{
    unsigned long flags = spin_lock_irqsave(&vpid_lock);
    uint16_t vpid = 0;

    for ( unsigned int i = 0; i < NR_VPIDS / 64 && !vpid; i++ )
    {
        if ( vpid_used[i] == ~0ULL )
            continue;
        vpid = i * 64 + __builtin_ctzll(~vpid_used[i]);
        vpid_used[i] |= 1ULL << (vpid % 64);
    }
    spin_unlock_irqrestore(&vpid_lock, flags);
    return vpid;
}

/* A freed VPID may still tag translations on some CPU: vmx.c flushes a
 * vCPU's tags on every CPU it arrives on, so reuse is safe. */
static void vpid_free(uint16_t vpid)
{
    unsigned long flags = spin_lock_irqsave(&vpid_lock);
    if ( vpid )
        vpid_used[vpid / 64] &= ~(1ULL << (vpid % 64));
    spin_unlock_irqrestore(&vpid_lock, flags);
}

/* ---- MSRs: a bitmap shared by all vCPUs, a save area per vCPU ---- */

/*
 * Passed through: MSRs the VMCS switches itself (EFER, PAT, FS/GS base,
 * SYSENTER) and those in the save list below. The hypervisor never uses
 * SYSCALL, SWAPGS or RDTSCP, so it can leave the guest's values of the
 * listed ones in the CPU after an exit; the list saves them on every exit
 * and loads them on every entry, which keeps them right when the vCPU
 * moves between CPUs. Every other MSR access exits to the common code.
 */
static const uint32_t switched_msrs[] = {
    MSR_STAR,   MSR_LSTAR,          MSR_CSTAR,
    MSR_SFMASK, MSR_KERNEL_GS_BASE, 0xc0000103, /* IA32_TSC_AUX (RDTSCP) */
};
static const uint32_t vmcs_msrs[] = {
    MSR_EFER, MSR_IA32_PAT, MSR_FS_BASE, MSR_GS_BASE,
    0x174,    0x175,        0x176, /* IA32_SYSENTER_CS/ESP/EIP */
};

struct msr_entry
{
    uint32_t index, reserved;
    uint64_t value;
};

static uint8_t msr_bitmap[PAGE_SIZE] __aligned(PAGE_SIZE);
static bool msr_bitmap_ready;

static void msr_pass_through(uint32_t msr)
{
    unsigned int base = (msr & 0xc0000000) ? 0x400 : 0; /* high range */
    unsigned int bit = msr & 0x1fff;

    msr_bitmap[base + bit / 8] &= ~(1U << (bit % 8));         /* reads */
    msr_bitmap[0x800 + base + bit / 8] &= ~(1U << (bit % 8)); /* writes */
}

static unsigned int nr_switched_msrs(void)
{
    /* TSC_AUX only matters (and only exists for us) with RDTSCP on. */
    return ARRAY_SIZE(switched_msrs) - !(vmx_caps.proc2 & PROC2_ENABLE_RDTSCP);
}

static void msr_bitmap_init(void)
{
    if ( msr_bitmap_ready )
        return;
    memset(msr_bitmap, 0xff, sizeof(msr_bitmap));
    for ( size_t i = 0; i < ARRAY_SIZE(vmcs_msrs); i++ )
        msr_pass_through(vmcs_msrs[i]);
    for ( size_t i = 0; i < nr_switched_msrs(); i++ )
        msr_pass_through(switched_msrs[i]);
    msr_bitmap_ready = true;
}

/* A SYSCALL MSR of v as its save area holds it (the last exit's, or
 * what the next entry loads); v is not running. Other MSRs read 0 and
 * are not written. */
uint64_t vmx_switched_msr(struct vcpu *v, uint32_t msr)
{
    const struct msr_entry *area = v->arch.vmx.msr_area;

    for ( size_t i = 0; i < nr_switched_msrs(); i++ )
        if ( area[i].index == msr )
            return area[i].value;
    return 0;
}

void vmx_set_switched_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    struct msr_entry *area = v->arch.vmx.msr_area;

    for ( size_t i = 0; i < nr_switched_msrs(); i++ )
        if ( area[i].index == msr )
            area[i].value = val;
}

static void msr_area_init(struct msr_entry *area)
{
    for ( size_t i = 0; i < nr_switched_msrs(); i++ )
        area[i] = (struct msr_entry){ .index = switched_msrs[i] };
}

/* ---- VMCS access ---- */

uint64_t vmcs_read(uint64_t field)
{
    uint64_t val;
    if ( !vmread_safe(field, &val) )
        panic("VMX: VMREAD of field %#lx failed", field);
    return val;
}

void vmcs_write(uint64_t field, uint64_t val)
{
    if ( !vmwrite_safe(field, val) )
        panic("VMX: VMWRITE of %#lx to field %#lx failed (error %lu)", val, field,
              vmcs_read(VMCS_INSN_ERROR));
}

/* Host fields that differ between CPUs; the rest are set at creation. */
static void vmcs_write_host_percpu(unsigned int cpu)
{
    vmcs_write(VMCS_HOST_CR0, read_cr0());
    vmcs_write(VMCS_HOST_CR3, read_cr3());
    vmcs_write(VMCS_HOST_CR4, read_cr4());
    vmcs_write(VMCS_HOST_TR_BASE, (uintptr_t)&host_tables[cpu].tss);
    vmcs_write(VMCS_HOST_GDTR_BASE, (uintptr_t)host_tables[cpu].gdt);
}

/* ---- where each VMCS is active ---- */

/*
 * Each CPU knows which vCPU's VMCS is current on it (the last VMPTRLD not
 * undone by a VMCLEAR); each vCPU knows where its VMCS is active
 * (loaded_cpu). The SDM allows a VMCS to be active on one logical
 * processor only, and only that processor's VMCLEAR writes it back, so a
 * CPU that wants a VMCS active elsewhere posts it in the owner's mailbox,
 * kicks the owner and waits; the owner clears it from its kick handler,
 * or from its own wait loop if it is waiting too (so two CPUs that want
 * each other's VMCS cannot deadlock). Everything else that touches these
 * runs with interrupts off on its own CPU.
 */
struct vmcs_cpu
{
    struct vcpu *cur;           /* whose VMCS is current here, or NULL */
    struct vcpu *clear_request; /* a VMCS another CPU wants written back */
};
static struct vmcs_cpu vmcs_cpus[NR_CPUS];

#define REKICK_SPINS 100000

/* VMCLEAR v's VMCS, active on this CPU: its launch state becomes clear. */
static void clear_here(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    struct vmcs_cpu *c = &vmcs_cpus[smp_processor_id()];

    hvm_load_count(HVM_LOAD_VMCLEAR);
    if ( !vmclear(virt_to_maddr(x->vmcs)) )
        panic("VMX: VMCLEAR failed for d%u v%u", v->domain->domain_id, v->vcpu_id);
    if ( c->cur == v )
        c->cur = NULL; /* the SDM: the current-VMCS pointer is now invalid */
    x->launched = false;
    __atomic_store_n(&x->loaded_cpu, -1, __ATOMIC_RELEASE);
}

void vmcs_serve_clear_request(void)
{
    struct vcpu *v =
        __atomic_exchange_n(&vmcs_cpus[smp_processor_id()].clear_request, NULL, __ATOMIC_ACQUIRE);

    if ( !v )
        return;
    hvm_load_count(HVM_LOAD_REMOTE_CLEAR);
    clear_here(v);
}

static bool active_on(struct vcpu *v, int cpu)
{
    return __atomic_load_n(&v->arch.vmx.loaded_cpu, __ATOMIC_ACQUIRE) == cpu;
}

/* Have CPU owner write v's VMCS back, and wait until it has. */
static void clear_remote(struct vcpu *v, int owner)
{
    struct vcpu **mailbox = &vmcs_cpus[owner].clear_request;
    struct vcpu *none = NULL;

    while (
        !__atomic_compare_exchange_n(mailbox, &none, v, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED) )
    {
        none = NULL;
        vmcs_serve_clear_request();
        cpu_relax();
    }
    smp_kick_cpu(owner);
    for ( unsigned long n = 1; active_on(v, owner); n++ )
    {
        vmcs_serve_clear_request();
        cpu_relax();
        if ( n % REKICK_SPINS == 0 )
            smp_kick_cpu(owner);
    }
}

void vmcs_load(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    unsigned int cpu = smp_processor_id();
    struct vmcs_cpu *c = &vmcs_cpus[cpu];
    int owner = __atomic_load_n(&x->loaded_cpu, __ATOMIC_ACQUIRE);

    ASSERT(!local_irq_is_enabled());
    if ( owner >= 0 && owner != (int)cpu )
        clear_remote(v, owner);
    if ( c->cur == v )
        return;
    hvm_load_count(HVM_LOAD_VMPTRLD);
    if ( !vmptrld(virt_to_maddr(x->vmcs)) )
        panic("VMX: VMPTRLD failed for d%u v%u", v->domain->domain_id, v->vcpu_id);
    c->cur = v;
    if ( owner == (int)cpu )
        return; /* still active here: host state is this CPU's */
    __atomic_store_n(&x->loaded_cpu, (int)cpu, __ATOMIC_RELEASE);
    vmcs_write_host_percpu(cpu);
}

void vmcs_unload(struct vcpu *v)
{
    ASSERT(v->arch.vmx.loaded_cpu == (int)smp_processor_id());
    clear_here(v);
}

/* Write v's VMCS back wherever it is active (v is not running). */
void vmcs_drop(struct vcpu *v)
{
    unsigned long flags = local_save_flags();
    int owner;

    local_irq_disable();
    owner = __atomic_load_n(&v->arch.vmx.loaded_cpu, __ATOMIC_ACQUIRE);
    if ( owner == (int)smp_processor_id() )
        clear_here(v);
    else if ( owner >= 0 )
        clear_remote(v, owner);
    if ( flags & X86_EFLAGS_IF )
        local_irq_enable();
}

uint64_t vmx_vcpu_vmread(struct vcpu *v, uint64_t field)
{
    unsigned long flags = local_save_flags();
    uint64_t val;

    local_irq_disable();
    vmcs_load(v);
    val = vmcs_read(field);
    vmcs_unload(v);
    if ( flags & X86_EFLAGS_IF )
        local_irq_enable();
    return val;
}

/* ---- building a VMCS ---- */

static void vmcs_write_controls(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    paddr_t area = virt_to_maddr(x->msr_area);

    vmcs_write(VMCS_PIN_CTLS, vmx_caps.pin);
    vmcs_write(VMCS_PROC_CTLS, vmx_caps.proc);
    vmcs_write(VMCS_PROC_CTLS2, vmx_caps.proc2);
    vmcs_write(VMCS_EXIT_CTLS, vmx_caps.exit);
    vmcs_write(VMCS_ENTRY_CTLS, vmx_caps.entry);
    vmcs_write(VMCS_PREEMPT_TIMER, vmx_caps.quantum);
    vmcs_write(VMCS_EXCEPTION_BITMAP, 0);
    vmcs_write(VMCS_PF_ERR_MASK, 0);
    vmcs_write(VMCS_PF_ERR_MATCH, 0);
    vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
    vmcs_write(VMCS_CR0_MASK, vmx_caps.cr0_mask);
    vmcs_write(VMCS_CR4_MASK, vmx_caps.cr4_mask);
    vmcs_write(VMCS_MSR_BITMAP, virt_to_maddr(msr_bitmap));
    vmcs_write(VMCS_EXIT_MSR_STORE_ADDR, area);
    vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, nr_switched_msrs());
    vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR, area);
    vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, nr_switched_msrs());
    vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
    vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
    vmcs_write(VMCS_TSC_OFFSET, 0);
    vmcs_write(VMCS_VIRTUAL_APIC_ADDR, virt_to_maddr(x->vapic));
    vmcs_write(VMCS_TPR_THRESHOLD, 0);
    vmcs_write(VMCS_VPID, x->vpid);
    vmcs_write(VMCS_LINK_POINTER, ~0ULL);
}

static void vmcs_write_host_const(void)
{
    struct
    {
        uint16_t limit;
        uint64_t base;
    } __packed idtr;

    asm volatile("sidt %0" : "=m"(idtr));
    vmcs_write(VMCS_HOST_CS_SEL, BOOT_CS64);
    vmcs_write(VMCS_HOST_SS_SEL, BOOT_DS);
    vmcs_write(VMCS_HOST_DS_SEL, BOOT_DS);
    vmcs_write(VMCS_HOST_ES_SEL, BOOT_DS);
    vmcs_write(VMCS_HOST_FS_SEL, 0);
    vmcs_write(VMCS_HOST_GS_SEL, 0);
    vmcs_write(VMCS_HOST_TR_SEL, HOST_TR_SEL);
    vmcs_write(VMCS_HOST_FS_BASE, 0);
    vmcs_write(VMCS_HOST_GS_BASE, 0);
    vmcs_write(VMCS_HOST_IDTR_BASE, idtr.base);
    vmcs_write(VMCS_HOST_SYSENTER_CS, 0);
    vmcs_write(VMCS_HOST_SYSENTER_ESP, 0);
    vmcs_write(VMCS_HOST_SYSENTER_EIP, 0);
    vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
    vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));
    vmcs_write(VMCS_HOST_RIP, (uintptr_t)vmx_exit_stub);
}

int vmcs_create(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    unsigned long flags;

    x->loaded_cpu = x->guest_cpu = x->last_cpu = -1;
    x->pending_vector = -1;
    x->pending_intr = -1;
    x->vmcs = alloc_page_zeroed();
    x->msr_area = alloc_page_zeroed();
    x->vapic = alloc_page_zeroed();
    x->vpid = vpid_alloc();
    x->proc2 = vmx_caps.proc2;
    if ( !x->vmcs || !x->msr_area || !x->vapic || !x->vpid || vmx_pml_vcpu_init(v) ||
         vmx_altp2m_vcpu_init(v) )
    {
        vmcs_destroy(v);
        return -ENOMEM;
    }
    msr_bitmap_init();
    msr_area_init(x->msr_area);
    *(uint32_t *)x->vmcs = vmx_caps.revision;
    flags = local_save_flags();
    local_irq_disable();
    hvm_load_count(HVM_LOAD_VMCLEAR);
    if ( !vmclear(virt_to_maddr(x->vmcs)) ) /* launch state := clear */
        panic("VMX: VMCLEAR of a new VMCS failed");
    vmcs_load(v);
    vmcs_write_controls(v);
    vmcs_write_host_const();
    vmcs_unload(v);
    if ( flags & X86_EFLAGS_IF )
        local_irq_enable();
    return 0;
}

/* The vCPU must not be running. Its VMCS may still be active on the CPU
 * that ran it last: that CPU writes it back before the page can go. */
void vmcs_destroy(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;

    if ( x->vmcs )
        vmcs_drop(v);
    vmx_pml_vcpu_free(v);
    vmx_altp2m_vcpu_free(v);
    if ( x->vmcs )
        free_page_ptr(x->vmcs);
    if ( x->msr_area )
        free_page_ptr(x->msr_area);
    if ( x->vapic )
        free_page_ptr(x->vapic);
    vpid_free(x->vpid);
    x->vmcs = x->msr_area = x->vapic = NULL;
    x->vpid = 0;
}
