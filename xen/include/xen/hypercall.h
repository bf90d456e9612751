/*
 * hypercall.h - the hypercall table and the handlers' shape.
 *
 * Handlers take up to five 64-bit arguments (the 64-bit ABI: rdi, rsi, rdx,
 * r10, r8) and return a long: >= 0 on success, -errno on failure. Each
 * table entry says who may call it. A handler follows decode-then-invoke:
 * every argument is copied in and checked before any state changes.
 *
 * A handler that must stop and resume later (long operations) sets
 * hypercall_preempt and returns; the dispatcher rewinds the guest's RIP so
 * the same hypercall is issued again with the arguments the handler left
 * in the vCPU's registers.
 */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <xen/types.h>

struct vcpu;
typedef long (*hypercall_fn_t)(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

enum hypercall_callers {
    HC_ANY = 0,             /* any domain */
    HC_PRIVILEGED = 1,      /* the control domain only */
};

struct hypercall_entry {
    unsigned int nr;
    const char *name;
    hypercall_fn_t fn;
    enum hypercall_callers callers;
};

/* Handlers declare only the arguments they use; the x86-64 calling
 * convention makes passing five to a function that reads fewer harmless. */
#define DEFINE_HYPERCALL(num, nm, handler, who) \
    static const struct hypercall_entry __hc_##nm __attribute__((used, section(".data.hypercalls"), aligned(8))) = \
        { num, #nm, (hypercall_fn_t)(void (*)(void))(handler), who }

/* Dispatch the hypercall in v's registers; writes the result to rax. */
void hypercall_dispatch(struct vcpu *v);

/* For a handler about to return -ERESTART: rewrite argument idx (0-4) of
 * the call so the re-issued one resumes where this one stopped. */
void hypercall_set_arg(unsigned int idx, uint64_t val);

/* Handlers (one per file under xen/common/). */
long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer);
long do_xen_version(uint64_t cmd, uint64_t arg);
long do_sched_op(uint64_t cmd, uint64_t arg);
long do_memory_op(uint64_t cmd, uint64_t arg);
long do_hvm_op(uint64_t op, uint64_t arg);
long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg);
long do_domctl(uint64_t arg);
long do_sysctl(uint64_t arg);

#endif /* XEN_HYPERCALL_H */
