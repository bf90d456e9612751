/*
 * hypercall.h - what hypercalls exist, the handlers' prototypes, and the
 * interface between the arch, the dispatcher and the handlers.
 *
 * What exists is xen/hypercall-defs.h: the hypercalls, the sub-ops of
 * domctl, sysctl, memory_op, hvm_op and dm_op, their handlers and who may
 * call them. This header turns that list into prototypes, so that a
 * handler defined with the wrong parameters fails to compile.
 *
 * The path of a call: the arch decodes the number and up to
 * HYPERCALL_MAX_ARGS arguments from the vCPU's registers and calls
 * hypercall_dispatch(); it finds the row, refuses callers the row does not
 * allow, and calls do_<name>(). For hypercalls with sub-ops, do_<name>()
 * decodes its own header (copy in, interface version, target domain),
 * finds the sub-op with <family>_subop_find(), checks its callers with
 * hypercall_permit(), and only then calls the sub-op's handler.
 *
 * Handlers return >= 0 on success, -errno on failure, and follow
 * decode-then-invoke: every argument is copied in and checked before any
 * state changes. A handler that must stop part-way (long operations)
 * records its progress with hypercall_set_arg() and returns -ERESTART: the
 * arch then makes the vCPU issue the same call again, with the arguments
 * rewritten, when it next runs.
 */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <xen/types.h>
#include <xen/hypercall-defs.h>

struct vcpu;
struct domain;
struct xen_domctl;
struct xen_sysctl;
struct xen_dm_op;
struct xen_dm_op_buf;

#define HYPERCALL_MAX_ARGS 5

/* Who may issue a hypercall or a sub-op (the "callers" column). */
enum hypercall_callers
{
    HC_ANY,        /* any domain */
    HC_PRIVILEGED, /* the control domain only */
    HC_DM_TARGET,  /* a device model of the target domain */
};

/* Sub-op flags (the "flags" column). */
#define HC_RESUMABLE (1U << 0) /* memory_op: takes a resume point */
#define HC_NO_TARGET (1U << 1) /* domctl: names no existing domain */

/* ---- prototypes, from the definitions -------------------------------- */

#define HC_PARAM_(htype, gtype, name) htype name
#define HC_PARAMS_1(a)                HC_PARAM_ a
#define HC_PARAMS_2(a, b)             HC_PARAM_ a, HC_PARAM_ b
#define HC_PARAMS_3(a, b, c)          HC_PARAM_ a, HC_PARAM_ b, HC_PARAM_ c
#define HC_PARAMS_4(a, b, c, d)       HC_PARAM_ a, HC_PARAM_ b, HC_PARAM_ c, HC_PARAM_ d
#define HC_PARAMS_5(a, b, c, d, e)    HC_PARAMS_4(a, b, c, d), HC_PARAM_ e

#define HC_PROTOTYPE(name, who, nargs, args)             long do_##name(HC_PARAMS_##nargs args);
#define HC_PROTOTYPE_VERSIONED(name, who, type, version) long do_##name(uint64_t arg);
WREN_HYPERCALLS(HC_PROTOTYPE, HC_PROTOTYPE_VERSIONED)

/*
 * Per family: the handler type <family>_handler_t, the table row struct
 * <family>_subop, its lookup (NULL if the command is not listed), and
 * each handler declared with the handler type.
 */
#define HC_SUBOP_PROTOTYPE(fam, cmd, handler, who, flags) fam##_handler_t handler;
#define HC_SUBOP_FAMILY(fam, list, params)                    \
    typedef long fam##_handler_t params;                      \
    struct fam##_subop                                        \
    {                                                         \
        uint32_t cmd;                                         \
        enum hypercall_callers callers;                       \
        unsigned int flags;                                   \
        const char *name;                                     \
        fam##_handler_t *fn;                                  \
    };                                                        \
    const struct fam##_subop *fam##_subop_find(uint64_t cmd); \
    list(HC_SUBOP_PROTOTYPE, fam)
WREN_SUBOP_FAMILIES(HC_SUBOP_FAMILY)

/* ---- the dispatcher ---------------------------------------------------- */

/*
 * Run hypercall nr for caller with the arguments args[] (already cut to
 * the guest's word size by the arch). from_user: issued from the guest's
 * user mode, which is refused (-EPERM), as Xen does for HVM guests.
 * Returns the handler's result, or the dispatcher's refusal.
 */
long hypercall_dispatch(struct domain *caller, uint64_t nr, const uint64_t args[HYPERCALL_MAX_ARGS],
                        bool from_user);

/*
 * May caller do what a row with callers who allows, on target? target is
 * NULL when not known yet (the hypercall level); DM_TARGET then asks only
 * what can be known without it. 0 or -EPERM.
 */
int hypercall_permit(enum hypercall_callers who, const struct domain *caller,
                     const struct domain *target);

/* ---- arch hooks (xen/arch/<arch>/hypercall.c) -------------------------- */

/* Decode the hypercall in v's registers, dispatch it and write back the
 * result (or set the call up to be issued again after -ERESTART). */
void arch_hypercall(struct vcpu *v);

/* For a handler about to return -ERESTART: rewrite argument idx (0-4) of
 * the current call so the re-issued one resumes where this one stopped. */
void hypercall_set_arg(unsigned int idx, uint64_t val);

#endif /* XEN_HYPERCALL_H */
