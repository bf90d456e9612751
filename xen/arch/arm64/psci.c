/*
 * psci.c - the Power State Coordination Interface (Arm DEN 0022), called
 * by the conduit the device tree's /psci node names: SMC (QEMU virt with
 * virtualization=on: the hypervisor is at EL2, so firmware is below only
 * through SMC) or HVC. Starting CPUs and powering off; no CPU_OFF yet.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <asm/arm64.h>

#define PSCI_FN_VERSION    0x84000000U
#define PSCI_FN64_CPU_ON   0xc4000003U
#define PSCI_FN_SYSTEM_OFF 0x84000008U

#define PSCI_SUCCESS        0
#define PSCI_NOT_SUPPORTED  (-1)
#define PSCI_INVALID_PARAMS (-2)
#define PSCI_DENIED         (-3)
#define PSCI_ALREADY_ON     (-4)
#define PSCI_ON_PENDING     (-5)

static enum psci_conduit conduit;

void psci_init(enum psci_conduit c)
{
    conduit = c;
}

static int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    switch ( conduit )
    {
    case PSCI_SMC: return (int64_t)arm64_smc_call(fn, a1, a2, a3);
    case PSCI_HVC: return (int64_t)arm64_hvc_call(fn, a1, a2, a3);
    default: return PSCI_NOT_SUPPORTED;
    }
}

/* Major in bits 31:16, minor in 15:0; 0 without PSCI. */
uint32_t psci_version(void)
{
    int64_t v = psci_call(PSCI_FN_VERSION, 0, 0, 0);
    return v < 0 ? 0 : (uint32_t)v;
}

static int psci_errno(int64_t r)
{
    switch ( r )
    {
    case PSCI_SUCCESS: return 0;
    case PSCI_INVALID_PARAMS: return -EINVAL;
    case PSCI_DENIED: return -EPERM;
    case PSCI_ALREADY_ON:
    case PSCI_ON_PENDING: return -EBUSY;
    default: return -EOPNOTSUPP;
    }
}

/* Start the CPU whose MPIDR affinity is mpidr at entry (physical), with
 * context in its x0, at EL2 with its MMU off. */
int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
    return psci_errno(psci_call(PSCI_FN64_CPU_ON, mpidr, entry, context));
}

__noreturn void psci_system_off(void)
{
    psci_call(PSCI_FN_SYSTEM_OFF, 0, 0, 0);
    for ( ;; )
        asm volatile("wfi");
}
