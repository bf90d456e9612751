/*
 * hypercall.c - the x86 side of a hypercall: decode the number and the
 * arguments from the guest's registers, hand them to the common
 * dispatcher (common/hypercall.c), put the result back.
 *
 * 64-bit guests pass the arguments in rdi, rsi, rdx, r10, r8; 32-bit
 * guests in ebx, ecx, edx, esi, edi (cut to 32 bits, as is the number).
 * The number is in rax and the result goes back there. A call from user
 * mode (CPL > 0) is the dispatcher's to refuse.
 *
 * A handler that returns -ERESTART has done part of the work and recorded
 * the rest in its arguments (hypercall_set_arg): the guest's RIP is moved
 * back over the hypercall instruction, so the vCPU issues the same call
 * again when it next runs, and other vCPUs get the CPU in between.
 *
 * A 32-bit caller's structs have the 32-bit layouts: the call is marked
 * compat for its duration, and the dispatcher puts the compat layer
 * (common/compat.c) in front of the handler.
 *
 * Only registers are touched here: what a hypercall does is common code's.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <asm/hvm.h>

/* VMCALL (0f 01 c1) and VMMCALL (0f 01 d9) are both three bytes. */
#define HYPERCALL_INSN_LEN 3

/* Where argument i lives, by guest mode. */
static uint64_t *arg_reg(struct vcpu *v, bool long_mode, unsigned int i)
{
    struct guest_regs *r = &v->arch.regs;
    uint64_t *regs64[HYPERCALL_MAX_ARGS] = { &r->rdi, &r->rsi, &r->rdx, &r->r10, &r->r8 };
    uint64_t *regs32[HYPERCALL_MAX_ARGS] = { &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi };
    return long_mode ? regs64[i] : regs32[i];
}

void arch_hypercall(struct vcpu *v)
{
    struct hvm_guest_state st;
    uint64_t args[HYPERCALL_MAX_ARGS];
    uint64_t nr = v->arch.regs.rax;
    long rc;
    hvm_vendor->get_guest_state(v, &st);
    if ( !st.long_mode )
        nr = (uint32_t)nr;
    for ( unsigned int i = 0; i < HYPERCALL_MAX_ARGS; i++ )
        args[i] = st.long_mode ? *arg_reg(v, true, i) : (uint32_t)*arg_reg(v, false, i);
    v->hcall_compat = !st.long_mode; /* xen/compat.h: the 32-bit layouts */
    rc = hypercall_dispatch(v->domain, nr, args, st.cpl != 0);
    v->hcall_compat = false;
    if ( rc == -ERESTART )
    {
        v->arch.regs.rip -= HYPERCALL_INSN_LEN;
        vcpu_yield();
        return;
    }
    v->arch.regs.rax = st.long_mode ? (uint64_t)rc : (uint32_t)rc;
}

void hypercall_set_arg(unsigned int idx, uint64_t val)
{
    struct vcpu *v = current;
    struct hvm_guest_state st;
    if ( idx >= HYPERCALL_MAX_ARGS )
        return;
    hvm_vendor->get_guest_state(v, &st);
    *arg_reg(v, st.long_mode, idx) = st.long_mode ? val : (uint32_t)val;
}
