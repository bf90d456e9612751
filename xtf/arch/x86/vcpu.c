/*
 * vcpu.c - bringing up secondary vCPUs in 64-bit mode.
 *
 * The new vCPU shares the boot vCPU's page tables (CR3/CR0/CR4 copied,
 * EFER = LME|LMA) and gets its own stack. The hypervisor supplies flat
 * 64-bit segment state for VCPU_HVM_MODE_64B but no GDT or IDT, so the
 * entry code loads ours before running any C.
 */
#include <xtf.h>
#include <xtf/runtime.h>
#include <public/vcpu.h>
#include <public/hvm/hvm_vcpu.h>

static uint8_t ap_stacks[XTF_MAX_VCPUS][XTF_STACK_SIZE] __aligned(16);
static xtf_vcpu_fn ap_fns[XTF_MAX_VCPUS];

long xtf_vcpu_start(unsigned int id, xtf_vcpu_fn fn)
{
    struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };
    struct vcpu_hvm_x86_64 *r = &ctx.cpu_regs.x86_64;
    long rc;

    if ( id == 0 || id >= XTF_MAX_VCPUS )
        return -XEN_EINVAL;
    ap_fns[id] = fn;
    smp_wmb();

    r->rip = (uint64_t)(uintptr_t)xtf_ap_entry64;
    r->rsp = (uint64_t)(uintptr_t)&ap_stacks[id][XTF_STACK_SIZE];
    r->rdi = id;
    r->rflags = 0x2; /* bit 1 is always set */
    r->cr0 = read_cr0();
    r->cr3 = read_cr3();
    r->cr4 = read_cr4();
    r->efer = X86_EFER_LME | X86_EFER_LMA;

    rc = hypercall_vcpu_op(VCPUOP_initialise, id, &ctx);
    if ( rc )
        return rc;
    return hypercall_vcpu_op(VCPUOP_up, id, NULL);
}

void __noreturn xtf_ap_main(unsigned int id)
{
    traps_load();
    smp_rmb();
    if ( id < XTF_MAX_VCPUS && ap_fns[id] )
        ap_fns[id](id);

    hypercall_vcpu_op(VCPUOP_down, id, NULL);
    /* Still here: halt with interrupts off, which parks this vCPU. */
    halt_forever();
}
