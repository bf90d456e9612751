/*
 * vpsci.c - PSCI 1.1 as a guest sees it (Arm DEN 0022), by HVC #0 or
 * SMC #0 with the function in x0 and arguments in x1..x3, the result in
 * x0: PSCI_VERSION, PSCI_FEATURES, CPU_ON (32 and 64-bit), CPU_OFF,
 * AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF and SYSTEM_RESET. vCPU n
 * is MPIDR affinity n (asm/guest.h). CPU_ON gives the vCPU its power-on
 * state (guest.c) at the entry point with the context id in x0.
 *
 * May not touch: another domain; the scheduler's state except through
 * its calls (vcpu_online, vcpu_offline, vcpu_sleep_sync).
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <public/sched.h>
#include <asm/guest.h>
#include <asm/sysregs.h>

#define PSCI_VERSION           0x84000000U
#define PSCI_CPU_SUSPEND       0x84000001U
#define PSCI_CPU_OFF           0x84000002U
#define PSCI_CPU_ON_32         0x84000003U
#define PSCI_CPU_ON_64         0xc4000003U
#define PSCI_AFFINITY_INFO_32  0x84000004U
#define PSCI_AFFINITY_INFO_64  0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF        0x84000008U
#define PSCI_SYSTEM_RESET      0x84000009U
#define PSCI_FEATURES          0x8400000aU

#define PSCI_SUCCESS         0
#define PSCI_NOT_SUPPORTED   (-1)
#define PSCI_INVALID_PARAMS  (-2)
#define PSCI_ALREADY_ON      (-4)
#define PSCI_ON_PENDING      (-5)
#define PSCI_INVALID_ADDRESS (-9)
#define PSCI_1_1             0x10001
#define AFFINITY_ON          0
#define AFFINITY_OFF         1
#define AFFINITY_ON_PENDING  2
#define MIGRATE_NOT_NEEDED   2 /* no Trusted OS to migrate */

bool vpsci_is_call(uint64_t fn)
{
    uint64_t base = fn & ~0x4000001fULL; /* SMC32 or SMC64, standard service */
    return base == 0x84000000ULL;
}

static struct vcpu *target_vcpu(struct domain *d, uint64_t mpidr)
{
    uint64_t aff = mpidr & MPIDR_AFF_MASK;
    return aff < d->max_vcpus ? d->vcpu[aff] : NULL;
}

/*
 * Claim v under the domain's lock (off, and no other CPU_ON under way),
 * then wait for it to leave its CPU and reset it without the lock: a
 * vCPU another one just downed (VCPUOP_down) may still be finishing an
 * exit that takes this lock, and waiting for it with the lock held
 * would stop both CPUs for good. The claim makes a second caller's
 * CPU_ON ON_PENDING until v is online, then ALREADY_ON.
 */
static int64_t cpu_on_claim(struct domain *d, struct vcpu *v)
{
    int64_t rc = PSCI_SUCCESS;
    spin_lock(&d->lock);
    if ( v->is_up )
        rc = PSCI_ALREADY_ON;
    else if ( v->arch.psci_on_pending )
        rc = PSCI_ON_PENDING;
    else
        v->arch.psci_on_pending = true;
    spin_unlock(&d->lock);
    return rc;
}

static int64_t cpu_on(struct vcpu *caller, uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
    struct domain *d = caller->domain;
    struct vcpu *v = target_vcpu(d, mpidr);
    int64_t rc;
    if ( !v )
        return PSCI_INVALID_PARAMS;
    if ( entry & 3 )
        return PSCI_INVALID_ADDRESS;
    rc = cpu_on_claim(d, v);
    if ( rc != PSCI_SUCCESS )
        return rc;
    vcpu_sleep_sync(v); /* off its last CPU, its registers saved */
    guest_vcpu_reset(v, entry, ctx);
    spin_lock(&d->lock);
    v->initialised = true;
    vcpu_online(v);
    v->arch.psci_on_pending = false;
    spin_unlock(&d->lock);
    return PSCI_SUCCESS;
}

static int64_t affinity_info(struct vcpu *caller, uint64_t mpidr, uint64_t level)
{
    struct vcpu *v = target_vcpu(caller->domain, mpidr);
    if ( !v || level )
        return PSCI_INVALID_PARAMS;
    if ( ACCESS_ONCE(v->is_up) )
        return AFFINITY_ON;
    return ACCESS_ONCE(v->arch.psci_on_pending) ? AFFINITY_ON_PENDING : AFFINITY_OFF;
}

static bool supported(uint64_t fn)
{
    switch ( fn )
    {
    case PSCI_VERSION:
    case PSCI_CPU_OFF:
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
    case PSCI_MIGRATE_INFO_TYPE:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES: return true;
    default: return false;
    }
}

static int64_t cpu_off(struct vcpu *v)
{
    vcpu_offline(v);
    vcpu_yield();
    return PSCI_SUCCESS; /* seen only if the vCPU is started again: it is not */
}

static int64_t dispatch(struct vcpu *v, uint64_t fn, const uint64_t *a)
{
    switch ( fn )
    {
    case PSCI_VERSION: return PSCI_1_1;
    case PSCI_FEATURES: return supported(a[0]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
    case PSCI_CPU_ON_32: return cpu_on(v, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
    case PSCI_CPU_ON_64: return cpu_on(v, a[0], a[1], a[2]);
    case PSCI_CPU_OFF: return cpu_off(v);
    case PSCI_AFFINITY_INFO_32: return affinity_info(v, (uint32_t)a[0], (uint32_t)a[1]);
    case PSCI_AFFINITY_INFO_64: return affinity_info(v, a[0], a[1]);
    case PSCI_MIGRATE_INFO_TYPE: return MIGRATE_NOT_NEEDED;
    case PSCI_SYSTEM_OFF: domain_shutdown(v->domain, SHUTDOWN_poweroff); return PSCI_SUCCESS;
    case PSCI_SYSTEM_RESET: domain_shutdown(v->domain, SHUTDOWN_reboot); return PSCI_SUCCESS;
    default: return PSCI_NOT_SUPPORTED;
    }
}

void vpsci_call(struct vcpu *v)
{
    uint64_t *x = v->arch.regs.x;
    x[0] = (uint64_t)dispatch(v, (uint32_t)x[0], &x[1]);
}
