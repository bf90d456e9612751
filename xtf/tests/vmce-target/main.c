/*
 * vmce-target - helper domU for the vMCE tests (vmce-inject, vmce-qemu,
 * vmce-nomce). Never run alone; prints no verdict.
 *
 * With mce=1 (DOMU<n>_ARGS) it sets CR4.MCE and takes #MC with its own
 * handler, which records MCG_STATUS and bank 1 (STATUS, ADDR, MISC) as a
 * guest OS would read them, then clears the bank and MCIP. With mce=0 it
 * leaves CR4.MCE clear: the hypervisor must crash it on a vMCE. It serves
 * the mailbox (xtf/mailbox.h) with the commands of xtf/vmce.h: report
 * what the handler saw, and read a frame with the one probe instruction,
 * which a #MC on it turns into VMCE_POISON instead of a crash. It first
 * checks that it may not inject machine checks itself (-EPERM).
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/vmce.h>
#include <xtf/fuzz.h>
#include <public/sched.h>
#include <public/arch-x86/xen-mca.h>

const char test_title[] = "vMCE helper: mailbox target";

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;

static volatile uint64_t taken, seen_mcg, seen_status, seen_addr, seen_misc;

/* The probe: one load whose #MC the handler turns into VMCE_POISON. */
uint64_t vmce_probe_read(const uint64_t *p);
extern const char vmce_probe[], vmce_probe_done[];
__asm__(".pushsection .text\n\t"
        ".globl vmce_probe_read\n"
        "vmce_probe_read:\n"
        "vmce_probe:\n\t"
        "movq (%rdi), %rax\n"
        "vmce_probe_done:\n\t"
        "ret\n\t"
        ".popsection");

static void mc_handler(struct cpu_regs *regs)
{
    seen_mcg = rdmsr(MSR_MCG_STATUS);
    seen_status = rdmsr(MSR_MC1_STATUS);
    seen_addr = rdmsr(MSR_MC1_ADDR);
    seen_misc = rdmsr(MSR_MC1_MISC);
    taken++;
    printf("#MC: MCG_STATUS %#lx MC1_STATUS %#lx ADDR %#lx MISC %#lx at rip %#lx\n",
           (unsigned long)seen_mcg, (unsigned long)seen_status, (unsigned long)seen_addr,
           (unsigned long)seen_misc, (unsigned long)regs->rip);
    wrmsr(MSR_MC1_STATUS, 0);
    wrmsr(MSR_MCG_STATUS, 0); /* MCIP clear: the next one is not a shutdown */
    if ( regs->rip == (uint64_t)(uintptr_t)vmce_probe )
    {
        regs->rip = (uint64_t)(uintptr_t)vmce_probe_done;
        regs->rax = VMCE_POISON;
    }
}

static long serve(uint32_t op, uint32_t nr)
{
    switch ( op )
    {
    case XTF_MB_NOP: return 0;
    case VMCE_MB_STATUS:
        mb->out[0] = taken;
        mb->out[1] = seen_mcg;
        mb->out[2] = seen_status;
        mb->out[3] = seen_addr;
        mb->out[4] = seen_misc;
        mb->out[5] = read_cr4();
        return 0;
    case VMCE_MB_TOUCH:
        if ( nr != 1 || mb->gfn[0] < 0x200 || (mb->gfn[0] << PAGE_SHIFT) >= mb->ram_end )
            return -XEN_EINVAL;
        mb->out[0] = vmce_probe_read((const uint64_t *)(uintptr_t)(mb->gfn[0] << PAGE_SHIFT));
        return 0;
    case VMCE_MB_SLEEP: xtf_vmce_sleep(mb->arg[0]); return 0;
    case XTF_MB_EXIT: return 0;
    }
    return -XEN_EOPNOTSUPP;
}

/* Only the control domain may inject: a domU's XEN_MC is -EPERM. If it
 * were not, this helper crashes and every vMCE test fails. */
static void check_no_injection(void)
{
    struct xen_mc mc = { .cmd = XEN_MC_mceinject, .interface_version = XEN_MCA_INTERFACE_VERSION };
    long rc = hypercall_mca(&mc);

    if ( rc != -XEN_EPERM )
    {
        printf("XEN_MC from a domU returned %ld, expected -EPERM\n", rc);
        xtf_shutdown(SHUTDOWN_crash);
    }
}

void test_main(void)
{
    check_no_injection();
    if ( xtf_cmdline_u64("mce", 1) )
    {
        xtf_set_vector_handler(X86_EXC_MC, mc_handler);
        __asm__ volatile("mov %0, %%cr4" ::"r"(read_cr4() | (1UL << 6)));
        printf("CR4.MCE set, #MC handler installed\n");
    }
    else
        printf("CR4.MCE left clear\n");
    /* The frame the controller breaks: RAM, written, with a known value. */
    *(volatile uint64_t *)(uintptr_t)(VMCE_DATA_GFN << PAGE_SHIFT) = 0x1234567890abcdefULL;
    xtf_mb_serve(serve);
}
