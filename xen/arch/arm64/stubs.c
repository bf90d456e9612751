/*
 * stubs.c - every hook common code calls that arm64 cannot do yet, each
 * failing the way its caller already handles (-EOPNOTSUPP, NULL, 0 or
 * nothing). docs/designs/arm64.md lists them;
 * each leaves this file when the part of issue 14 that owns it lands.
 * Nothing here may touch hardware.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/vmce.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <asm/sysregs.h>

/* The identity map (mm.c): machine address == hypervisor virtual. */
uintptr_t directmap_base;

/* ---- vCPUs: x86's VCPUOP_initialise context ---- */

/* Arm guests start vCPUs with PSCI CPU_ON (vpsci.c). */
int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    return -EOPNOTSUPP;
}
void arch_vcpu_load_stats(struct xen_sysctl_wren_vcpu_load *out)
{
}

/* ---- log-dirty by a hardware log: none on Arm (HAFDBS is the p2m's) ---- */

const struct logdirty_mech_ops *arch_logdirty_hw_log(void)
{
    return NULL;
}

/* ---- devices and x86-only features ---- */

bool arch_link_find(uint64_t *maddr, uint64_t *size, uint16_t *bdf)
{
    return false; /* no ivshmem on arm64 yet */
}
void arch_vmce_inject(struct vcpu *v, uint64_t gfn, const struct mce_record *rec)
{
}
void arch_mce_synthesize(mfn_t m, bool at_access, struct mce_record *rec)
{
    memset(rec, 0, sizeof(*rec));
}
long do_mca(uint64_t u_xen_mc)
{
    return -EOPNOTSUPP; /* vMCE stays x86 (issue 14) */
}
long hvmop_set_evtchn_upcall_vector(uint64_t arg)
{
    return -EOPNOTSUPP; /* Arm upcalls go by a PPI */
}
