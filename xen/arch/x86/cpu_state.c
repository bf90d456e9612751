/*
 * cpu_state.c - a vCPU's register state that neither VMX nor SVM switch
 * at VM entry and exit, switched here at the edges of each run slice:
 * the x87/SSE/AVX registers (fpu.c), debug registers DR0-DR3 and DR6, and
 * CR2 (VMX leaves it alone: a guest finds in it whatever the CPU holds;
 * SVM keeps it in the VMCB, and switching the register is harmless there).
 * The hypervisor takes no page faults of its own while a guest's CR2 is
 * live in the CPU, so the value survives from exit to entry.
 *
 * DR7 and IA32_DEBUGCTL are not here: the VMCS (save/load debug
 * controls) and the VMCB hold the guest's values and the CPU switches
 * them, so the breakpoints a guest leaves in DR0-DR3 are disarmed while
 * the hypervisor runs (its DR7 is 0x400). The hypervisor never uses the
 * debug registers, so the guest's values may stay in the CPU between
 * exits. A guest's MOV to or from DRn does not exit.
 *
 * May not touch: any other register, or vendor structures.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <asm/x86.h>
#include <asm/fpu.h>
#include <asm/cpu_state.h>

#define DR6_RESET 0xffff0ff0ULL

#define DEFINE_DR(n)                                  \
    static inline uint64_t read_dr##n(void)           \
    {                                                 \
        uint64_t v;                                   \
        asm volatile("mov %%dr" #n ", %0" : "=r"(v)); \
        return v;                                     \
    }                                                 \
    static inline void write_dr##n(uint64_t v)        \
    {                                                 \
        asm volatile("mov %0, %%dr" #n ::"r"(v));     \
    }
DEFINE_DR(0)
DEFINE_DR(1)
DEFINE_DR(2)
DEFINE_DR(3)
DEFINE_DR(6)
#undef DEFINE_DR

static void dr_restore(const struct vcpu *v)
{
    write_dr0(v->arch.dr[0]);
    write_dr1(v->arch.dr[1]);
    write_dr2(v->arch.dr[2]);
    write_dr3(v->arch.dr[3]);
    write_dr6(v->arch.dr6);
}

static void cr2_restore(const struct vcpu *v)
{
    write_cr2(v->arch.cr2);
}

static void cr2_save(struct vcpu *v)
{
    v->arch.cr2 = read_cr2();
}

static void dr_save(struct vcpu *v)
{
    v->arch.dr[0] = read_dr0();
    v->arch.dr[1] = read_dr1();
    v->arch.dr[2] = read_dr2();
    v->arch.dr[3] = read_dr3();
    v->arch.dr6 = read_dr6();
}

void arch_vcpu_state_init(struct vcpu *v)
{
    fpu_init_vcpu(v);
    memset(v->arch.dr, 0, sizeof(v->arch.dr));
    v->arch.dr6 = DR6_RESET;
    v->arch.cr2 = 0;
    v->arch.tsc_aux = 0;
}

void arch_vcpu_switch_in(struct vcpu *v)
{
    fpu_restore(v);
    dr_restore(v);
    cr2_restore(v);
}

void arch_vcpu_switch_out(struct vcpu *v)
{
    cr2_save(v);
    dr_save(v);
    fpu_save(v);
}
