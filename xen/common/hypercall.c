/*
 * hypercall.c - the dispatch tables built from xen/hypercall-defs.h, and
 * the one dispatcher every arch calls with a decoded hypercall.
 *
 * Each hypercall gets a small typed caller (call_<name>) that passes the
 * decoded arguments to do_<name>() with the parameter types of its row,
 * so no handler is ever called through a cast. The sub-op tables are
 * looked up by the hypercalls that own them (domctl.c, sysctl.c, ...).
 *
 * Arch-neutral: no register, instruction or guest mode is named here
 * (xen/arch/x86/hypercall.c decodes them). Nothing here changes state.
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/compat.h>
#include <public/xen.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/memory.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/dm_op.h>
#include <public/arch-x86/xen-mca.h>

struct hypercall_entry
{
    uint64_t nr;
    const char *name;
    long (*call)(const uint64_t *args);
    enum hypercall_callers callers;
};

/* ---- typed callers ----------------------------------------------------- */

#define HC_ARGS_1(a)             args[0]
#define HC_ARGS_2(a, b)          HC_ARGS_1(a), args[1]
#define HC_ARGS_3(a, b, c)       HC_ARGS_2(a, b), args[2]
#define HC_ARGS_4(a, b, c, d)    HC_ARGS_3(a, b, c), args[3]
#define HC_ARGS_5(a, b, c, d, e) HC_ARGS_4(a, b, c, d), args[4]

#define HC_CALLER(name, who, nargs, params)       \
    static long call_##name(const uint64_t *args) \
    {                                             \
        return do_##name(HC_ARGS_##nargs params); \
    }
#define HC_CALLER_VERSIONED(name, who, type, version) HC_CALLER(name, who, 1, (x))
WREN_HYPERCALLS(HC_CALLER, HC_CALLER_VERSIONED)

/* ---- tables ------------------------------------------------------------ */

#define HC_ROW(name, who, ...) { __HYPERVISOR_##name, #name, call_##name, HC_##who },
static const struct hypercall_entry hypercalls[] = { WREN_HYPERCALLS(HC_ROW, HC_ROW) };

#define HC_SUBOP_ROW(fam, cmd, handler, who, flags) \
    { cmd, HC_##who, HC_SUBOP_FLAG_##flags, #cmd, handler },
#define HC_SUBOP_FLAG_0         0
#define HC_SUBOP_FLAG_RESUMABLE HC_RESUMABLE
#define HC_SUBOP_FLAG_NO_TARGET HC_NO_TARGET

#define HC_SUBOP_TABLE(fam, list, params)                                         \
    static const struct fam##_subop fam##_subops[] = { list(HC_SUBOP_ROW, fam) }; \
    const struct fam##_subop *fam##_subop_find(uint64_t cmd)                      \
    {                                                                             \
        if ( arch_hypercall_absent(__HYPERVISOR_##fam, cmd) )                     \
            return NULL;                                                          \
        for ( size_t i = 0; i < ARRAY_SIZE(fam##_subops); i++ )                   \
            if ( fam##_subops[i].cmd == cmd )                                     \
                return &fam##_subops[i];                                          \
        return NULL;                                                              \
    }
WREN_SUBOP_FAMILIES(HC_SUBOP_TABLE)

/*
 * A number or command listed twice would leave one row unreachable: as
 * case labels of one switch, a duplicate fails to compile. Never called.
 */
#define HC_CASE(name, who, ...)                      case __HYPERVISOR_##name:
#define HC_SUBOP_CASE(fam, cmd, handler, who, flags) case cmd:
#define HC_SUBOP_CASES(fam, list, params)                                   \
    static void __attribute__((unused)) fam##_commands_unique(uint32_t cmd) \
    {                                                                       \
        switch ( cmd )                                                      \
        {                                                                   \
            list(HC_SUBOP_CASE, fam) break;                                 \
        }                                                                   \
    }

static void __attribute__((unused)) hypercall_numbers_unique(uint64_t nr)
{
    switch ( nr )
    {
        WREN_HYPERCALLS(HC_CASE, HC_CASE)
        break;
    }
}
WREN_SUBOP_FAMILIES(HC_SUBOP_CASES)

/* ---- dispatch ---------------------------------------------------------- */

static const struct hypercall_entry *hypercall_lookup(uint64_t nr)
{
    for ( size_t i = 0; i < ARRAY_SIZE(hypercalls); i++ )
        if ( hypercalls[i].nr == nr )
            return &hypercalls[i];
    return NULL;
}

/* Device models run in the control domain for now, and serve any domain
 * but themselves. */
int hypercall_permit(enum hypercall_callers who, const struct domain *caller,
                     const struct domain *target)
{
    switch ( who )
    {
    case HC_ANY: return 0;
    case HC_PRIVILEGED: return caller->is_privileged ? 0 : -EPERM;
    case HC_DM_TARGET: return caller->is_privileged && target != caller ? 0 : -EPERM;
    }
    return -EPERM;
}

long hypercall_dispatch(struct domain *caller, uint64_t nr, const uint64_t args[HYPERCALL_MAX_ARGS],
                        bool from_user)
{
    const struct hypercall_entry *e =
        arch_hypercall_absent(nr, HC_NO_CMD) ? NULL : hypercall_lookup(nr);
    long rc;
    if ( !e )
        printk(XENLOG_DEBUG "d%u: unknown hypercall %lu\n", caller->domain_id, nr);
    if ( from_user )
        return -EPERM;
    if ( !e )
        return -ENOSYS;
    rc = hypercall_permit(e->callers, caller, NULL);
    if ( rc )
        return rc;
    return hypercall_is_compat() ? compat_dispatch(nr, e->call, args) : e->call(args);
}
