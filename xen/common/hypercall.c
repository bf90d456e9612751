/*
 * hypercall.c - find a hypercall in the table and call it with the
 * arguments of the guest's calling convention: 64-bit guests pass them in
 * rdi, rsi, rdx, r10, r8; 32-bit guests in ebx, ecx, edx, esi, edi. The
 * number is in rax, the result goes back there. Hypercalls from user mode
 * (CPL > 0) are refused with -EPERM, as Xen does for HVM guests.
 *
 * A handler that returns -ERESTART has done part of the work and recorded
 * the rest in its guest-visible arguments: the guest's RIP is moved back
 * over the hypercall instruction, so the vCPU issues the same call again
 * when it next runs, and other vCPUs get the CPU in between.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <asm/hvm.h>

/* VMCALL (0f 01 c1) and VMMCALL (0f 01 d9) are both three bytes. */
#define HYPERCALL_INSN_LEN 3

extern const struct hypercall_entry __hypercall_table_start[], __hypercall_table_end[];

static const struct hypercall_entry *hypercall_lookup(uint64_t nr)
{
    for (const struct hypercall_entry *e = __hypercall_table_start; e < __hypercall_table_end; e++)
        if (e->nr == nr)
            return e;
    return NULL;
}

static long invoke(struct vcpu *v, const struct hypercall_entry *e, bool long_mode)
{
    struct guest_regs *r = &v->regs;
    if (long_mode)
        return e->fn(r->rdi, r->rsi, r->rdx, r->r10, r->r8);
    return e->fn((uint32_t)r->rbx, (uint32_t)r->rcx, (uint32_t)r->rdx,
                 (uint32_t)r->rsi, (uint32_t)r->rdi);
}

void hypercall_dispatch(struct vcpu *v)
{
    struct hvm_guest_state st;
    const struct hypercall_entry *e;
    uint64_t nr = v->regs.rax;
    long rc;
    hvm_vendor->get_guest_state(v, &st);
    if (!st.long_mode)
        nr = (uint32_t)nr;
    e = hypercall_lookup(nr);
    if (st.cpl != 0)
        rc = -EPERM;
    else if (!e)
        rc = -ENOSYS;
    else if (e->callers == HC_PRIVILEGED && !v->domain->is_privileged)
        rc = -EPERM;
    else
        rc = invoke(v, e, st.long_mode);
    if (!e)
        printk(XENLOG_DEBUG "d%u: unknown hypercall %lu\n", v->domain->domain_id, nr);
    if (rc == -ERESTART) {
        v->regs.rip -= HYPERCALL_INSN_LEN;
        vcpu_yield();
        return;
    }
    v->regs.rax = st.long_mode ? (uint64_t)rc : (uint32_t)rc;
}

/* Rewrite argument idx (0-based) of the current hypercall, so that the
 * re-issued call after -ERESTART carries the progress made. */
void hypercall_set_arg(unsigned int idx, uint64_t val)
{
    struct vcpu *v = current;
    struct hvm_guest_state st;
    uint64_t *regs64[] = { &v->regs.rdi, &v->regs.rsi, &v->regs.rdx, &v->regs.r10, &v->regs.r8 };
    uint64_t *regs32[] = { &v->regs.rbx, &v->regs.rcx, &v->regs.rdx, &v->regs.rsi, &v->regs.rdi };
    if (idx >= ARRAY_SIZE(regs64))
        return;
    hvm_vendor->get_guest_state(v, &st);
    *(st.long_mode ? regs64[idx] : regs32[idx]) = st.long_mode ? val : (uint32_t)val;
}
