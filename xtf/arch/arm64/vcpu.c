/*
 * vcpu.c (arm64) - xtf_vcpu_start and xtf_vcpu_id (include/xtf/vcpu.h)
 * over PSCI: CPU_ON of the vCPU whose MPIDR affinity is id, on the
 * vCPU's own stack (setup.c's xtf_psci_start), calling fn(id); CPU_OFF when fn returns. The vCPU's vcpu_info
 * is registered first (xtf_vcpu_info). Touches nothing but that hand-off.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <public/errno.h>

static xtf_vcpu_fn vcpu_fn;

static void vcpu_entry(uint64_t id)
{
    vcpu_fn((unsigned int)id);
}

int xtf_vcpu_id(void)
{
    return (int)(read_sysreg(mpidr_el1) & 0xff);
}

long xtf_vcpu_start(unsigned int id, xtf_vcpu_fn fn)
{
    long rc;

    if ( id == 0 || id >= XTF_MAX_VCPUS || !fn )
        return -XEN_EINVAL;
    /* Arm's shared_info has vcpu_info for vCPU 0 only: give the new
     * vCPU one before it runs, as an OS does, so its events arrive. */
    if ( !xtf_vcpu_info(id) )
        return -XEN_EFAULT;
    vcpu_fn = fn;
    smp_wmb();
    rc = xtf_psci_start(id, vcpu_entry, id);
    if ( rc == PSCI_SUCCESS )
        return 0;
    return rc == PSCI_ALREADY_ON ? -XEN_EBUSY : -XEN_EINVAL;
}
