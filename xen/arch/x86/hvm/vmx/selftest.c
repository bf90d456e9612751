/*
 * selftest.c - the "vmx_selftest" debug option: with it, vmx_cpu_up()
 * runs a tiny guest (selftest_guest.S) through the real vendor operations
 * before any domain exists, acting as a miniature common layer. Stages 1
 * and 2 run on CPU0, stages 3 and 4 on CPU1 (so the vCPU migrates). Each
 * stage prints "vmx selftest: stage N PASS" or a FAIL line saying why.
 * Without the option nothing here runs. It builds its own domain by hand
 * and never frees it: a debug aid, not a feature.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/fpu.h>
#include <public/hvm/hvm_vcpu.h>
#include "vmx_priv.h"
#include <asm/p2m-backends.h>

static bool opt_vmx_selftest;
boolean_param("vmx_selftest", opt_vmx_selftest);

#define GUEST_BASE  0x1000
#define GUEST_PAGES 16
#define START_INFO  0x1234
#define CP_FAIL     0xbad
#define PAE_PDPT    0x5800 /* stage 4's PAE context: PDPT[0] -> the PD */
#define PAE_PDPTE0  0x6001 /* that stage 2 built at 0x6000 */

extern const uint8_t vmx_selftest_guest[], vmx_selftest_guest_end[];
extern const uint8_t vmx_selftest_snippet32[], vmx_selftest_snippet64[];

static struct domain st_dom;
static struct vcpu st_vcpu;
static struct
{
    unsigned int checkpoint, cpuid, out, gp, npf, none, stages_passed;
    bool failed;
} st;

static const char *const exit_names[] = {
    [HVM_EXIT_NONE] = "none",
    [HVM_EXIT_CPUID] = "cpuid",
    [HVM_EXIT_MSR_READ] = "rdmsr",
    [HVM_EXIT_MSR_WRITE] = "wrmsr",
    [HVM_EXIT_IO] = "io",
    [HVM_EXIT_HYPERCALL] = "hypercall",
    [HVM_EXIT_NPF] = "npf",
    [HVM_EXIT_NPF_MISCONFIG] = "npf-misconfig",
    [HVM_EXIT_HLT] = "hlt",
    [HVM_EXIT_TRIPLE_FAULT] = "triple-fault",
    [HVM_EXIT_INVALID_STATE] = "invalid-state",
    [HVM_EXIT_UNHANDLED] = "unhandled",
};

static bool fail(const char *why)
{
    printk(XENLOG_ERR "vmx selftest: FAIL on CPU%u: %s\n", smp_processor_id(), why);
    st.failed = true;
    return false;
}

static uint64_t guest_addr(const uint8_t *p)
{
    return GUEST_BASE + (p - vmx_selftest_guest);
}

/* A word of the test guest's RAM (mapped at build, never moves). */
static uint64_t *guest_u64(uint64_t gpa)
{
    mfn_t mfn = p2m_lookup(&st_dom.p2m, _gfn(gpa >> PAGE_SHIFT), NULL, NULL, NULL);
    return (uint64_t *)((uint8_t *)mfn_to_virt(mfn) + (gpa & ~PAGE_MASK));
}

static void flush_cb(struct p2m_domain *p2m)
{
    vmx_flush_guest_tlbs(p2m->flush_arg);
}

static bool build(void)
{
    mfn_t mem = alloc_zeroed_pages(4);
    size_t len = vmx_selftest_guest_end - vmx_selftest_guest;

    if ( !mfn_valid_raw(mem) || p2m_init(&st_dom.p2m, &ept_pte_ops) )
        return fail("out of memory");
    st_dom.domain_id = 0x7ff0;
    st_dom.max_vcpus = 1;
    st_dom.vcpu[0] = &st_vcpu;
    st_vcpu.domain = &st_dom;
    fpu_init_vcpu(&st_vcpu); /* XCR0 0 would make the entry's XSETBV fault */
    st_dom.p2m.flush_tlbs = flush_cb;
    st_dom.p2m.flush_arg = &st_dom;
    if ( p2m_set_range(&st_dom.p2m, _gfn(0), mem, GUEST_PAGES, p2m_ram_rw, p2m_access_rwx) )
        return fail("p2m_set_range");
    memcpy((uint8_t *)mfn_to_virt(mem) + GUEST_BASE, vmx_selftest_guest, len);
    if ( vmx_vendor_ops.vcpu_create(&st_vcpu) )
        return fail("vcpu_create");
    vmx_vendor_ops.vcpu_set_pvh_entry(&st_vcpu, GUEST_BASE, START_INFO);
    return true;
}

static uint32_t host_tpr(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE) & ~0xfffULL;
    return *(volatile uint32_t *)maddr_to_virt(base + 0x80);
}

/* What the guest must look like at each checkpoint. */
static bool checkpoint_state_ok(unsigned int cp, const struct hvm_guest_state *gs)
{
    bool ia32e = vmx_vcpu_vmread(&st_vcpu, VMCS_ENTRY_CTLS) & ENTRY_IA32E_GUEST;

    switch ( cp )
    {
    case 2: /* the CPU activated long mode: did the exit record it? */
        return gs->long_mode && ia32e && (gs->cr0 & X86_CR0_NE)
                   ? true
                   : fail("long mode entered without an exit is not reflected");
    case 3: /* the guest's CR8 is 15 now: the host's TPR must not be */
        return host_tpr() == 0 ? true : fail("guest CR8 reached the host TPR");
    case 5: return smp_processor_id() == 1 ? true : fail("stage 3 not on CPU1");
    case 6: /* and left it the same way */
        return !gs->long_mode && !ia32e ? true : fail("long mode left, still reported");
    case 7:
    case 8: return gs->long_mode ? true : fail("not in long mode");
    case 9:
    case 10: /* PAE paging: the PDPTEs come from the VMCS, so we load them */
        return !gs->long_mode && gs->cr0 == (X86_CR0_PG | X86_CR0_PE | X86_CR0_ET) &&
                       vmx_vcpu_vmread(&st_vcpu, VMCS_GUEST_PDPTE(0)) == PAE_PDPTE0
                   ? true
                   : fail("32-bit PAE context not as given");
    default: return true;
    }
}

static bool checkpoint(uint64_t cp)
{
    struct hvm_guest_state gs;

    vmx_get_guest_state(&st_vcpu, &gs);
    printk("vmx selftest: checkpoint %#lx: cr0 %#lx cr3 %#lx cr4 %#lx efer %#lx cs %#x cpl %u%s\n",
           cp, gs.cr0, gs.cr3, gs.cr4, gs.efer, gs.cs_sel, gs.cpl,
           gs.long_mode ? " long mode" : "");
    if ( cp == CP_FAIL )
        return fail("the guest found a discrepancy");
    if ( cp != st.checkpoint + 1 )
        return fail("checkpoint out of order");
    st.checkpoint = cp;
    return checkpoint_state_ok(cp, &gs);
}

static bool on_msr_read(struct vcpu *v, const struct hvm_exit *e)
{
    if ( (uint32_t)v->arch.regs.rcx == 0x1b )
    {
        v->arch.regs.rax = 0xfee00900;
        v->arch.regs.rdx = 0;
        v->arch.regs.rip += e->insn_len;
    }
    else
    {
        vmx_vendor_ops.inject_exception(v, 13, 0);
        st.gp++;
    }
    return true;
}

static bool on_npf(const struct hvm_exit *e)
{
    mfn_t page = alloc_zeroed_pages(0);

    printk("vmx selftest: EPT violation at %#lx (%s%s%s, present %d)\n", e->gpa,
           e->npf_read ? "r" : "", e->npf_write ? "w" : "", e->npf_exec ? "x" : "", e->npf_present);
    if ( e->gpa != 0x100000 || st.npf++ )
        return fail("unexpected EPT violation");
    return !p2m_set_entry(&st_dom.p2m, _gfn(e->gpa >> PAGE_SHIFT), page, 0, p2m_ram_rw,
                          p2m_access_rwx);
}

/* One exit, as the common layer would handle it. False ends the stage. */
static bool handle(struct vcpu *v, const struct hvm_exit *e)
{
    printk("vmx selftest: CPU%u exit %s (raw %#lx) rip %#lx\n", smp_processor_id(),
           exit_names[e->reason], e->raw_reason, v->arch.regs.rip);
    switch ( e->reason )
    {
    case HVM_EXIT_NONE: st.none++; return true;
    case HVM_EXIT_CPUID:
        v->arch.regs.rax = 0x6e657257;
        v->arch.regs.rbx = v->arch.regs.rcx = v->arch.regs.rdx = 0;
        st.cpuid++;
        break;
    case HVM_EXIT_IO:
        if ( e->io_port != 0xe9 || e->io_in || e->io_size != 1 || (uint8_t)v->arch.regs.rax != 'W' )
            return fail("unexpected I/O");
        st.out++;
        break;
    case HVM_EXIT_HYPERCALL:
        if ( !checkpoint(v->arch.regs.rax) )
            return false;
        break;
    case HVM_EXIT_MSR_READ: return on_msr_read(v, e);
    case HVM_EXIT_NPF: return on_npf(e);
    case HVM_EXIT_HLT: v->arch.regs.rip += e->insn_len; return false;
    default: return fail("unexpected exit");
    }
    v->arch.regs.rip += e->insn_len;
    return true;
}

/* Run until the guest halts; true if it reached checkpoint want. */
static bool run_to(unsigned int want)
{
    struct hvm_exit e;

    for ( unsigned int n = 0; n < 256 && !st.failed; n++ )
    {
        vmx_vendor_ops.vcpu_run(&st_vcpu, &e);
        if ( !handle(&st_vcpu, &e) )
            break;
    }
    if ( st.failed )
        return false;
    return st.checkpoint == want ? true : fail("the guest stopped early");
}

static bool passed(unsigned int stage, bool ok)
{
    if ( ok )
        printk("vmx selftest: stage %u PASS\n", stage);
    return ok;
}

static bool stage1(void)
{
    if ( !run_to(1) )
        return false;
    if ( st.cpuid != 1 || st.out != 1 )
        return fail("CPUID/OUT exits");
    if ( vmx_caps.quantum && !st.none )
        return fail("no preemption-timer exit in a long spin");
    return passed(1, true);
}

static bool stage2(void)
{
    return passed(2, run_to(4) && (st.gp == 1 && st.npf == 1 ? true : fail("#GP/EPT exits")));
}

/* Contexts VCPUOP_initialise must refuse, and two it must take. */
static bool bad_contexts_refused(void)
{
    struct vcpu_hvm_context c = { .mode = VCPU_HVM_MODE_64B };
    struct vcpu_hvm_x86_64 *r = &c.cpu_regs.x86_64;
    int rc = 0;

    c.mode = 7;
    rc |= vmx_set_hvm_context(&st_vcpu, &c) != -EINVAL;
    c.mode = VCPU_HVM_MODE_64B;
    *r = (struct vcpu_hvm_x86_64){ .cr0 = 0x80000011,
                                   .cr3 = 0x4000,
                                   .cr4 = 0x20,
                                   .efer = EFER_LME | EFER_LMA,
                                   .rip = 1ULL << 47 };
    rc |= vmx_set_hvm_context(&st_vcpu, &c) != -EINVAL; /* non-canonical */
    r->rip = 0x1000;
    r->cr0 = 0x11;
    rc |= vmx_set_hvm_context(&st_vcpu, &c) != -EINVAL; /* LMA without PG */
    return rc ? fail("a bad context was accepted") : true;
}

static bool stage4(void)
{
    struct vcpu_hvm_context c64 = { .mode = VCPU_HVM_MODE_64B },
                            c32 = { .mode = VCPU_HVM_MODE_32B };

    if ( !bad_contexts_refused() )
        return false;
    c64.cpu_regs.x86_64 = (struct vcpu_hvm_x86_64){ .cr0 = 0x80000011,
                                                    .cr3 = 0x4000,
                                                    .cr4 = 0x20,
                                                    .efer = EFER_LME | EFER_LMA,
                                                    .rip = guest_addr(vmx_selftest_snippet64),
                                                    .rsp = 0x8000,
                                                    .rflags = 2 };
    if ( vmx_set_hvm_context(&st_vcpu, &c64) )
        return fail("64-bit context refused");
    if ( !run_to(8) )
        return false;
    *guest_u64(PAE_PDPT) = PAE_PDPTE0;
    c32.cpu_regs.x86_32 = (struct vcpu_hvm_x86_32){ .cr0 = 0x80000011,
                                                    .cr3 = PAE_PDPT,
                                                    .cr4 = 0x20,
                                                    .eip = guest_addr(vmx_selftest_snippet32),
                                                    .eflags = 2,
                                                    .cs_limit = ~0U,
                                                    .ds_limit = ~0U,
                                                    .ss_limit = ~0U,
                                                    .es_limit = ~0U,
                                                    .tr_limit = 0x67,
                                                    .cs_ar = 0xc9b,
                                                    .ds_ar = 0xc93,
                                                    .ss_ar = 0xc93,
                                                    .es_ar = 0xc93,
                                                    .tr_ar = 0x8b };
    if ( vmx_set_hvm_context(&st_vcpu, &c32) )
        return fail("32-bit context refused");
    return passed(4, run_to(10));
}

void vmx_selftest(unsigned int cpu)
{
    if ( !opt_vmx_selftest || st.failed )
        return;
    if ( cpu == 0 )
    {
        if ( build() && stage1() && stage2() )
        {
            vmcs_drop(&st_vcpu); /* CPU0 will not be there to answer CPU1 */
            st.stages_passed = 2;
            printk("vmx selftest: stages 3 and 4 run on CPU1\n");
        }
    }
    else if ( cpu == 1 && st.stages_passed == 2 )
    {
        if ( passed(3, run_to(7)) && stage4() )
            printk("vmx selftest: all stages PASS\n");
    }
}
