/*
 * time.c - the guest side of Xen's time ABI for tests: shared_info
 * mapping and the pvclock's version protocol (retry while the version
 * is odd or changed under the read).
 */
#include <xtf.h>
#include <xtf/time.h>
#include <xtf/evtchn.h>

uint64_t xtf_now(void)
{
    volatile struct shared_info *s = xtf_shared_info();
    int id = xtf_vcpu_id();

    return xtf_pvclock_read(xtf_pvclock_of(s, id < 0 ? 0 : (unsigned int)id), NULL, NULL);
}

uint64_t xtf_tsc_cycles_in(uint64_t ns)
{
    uint64_t t0, c0;

    xtf_shared_info();
    t0 = xtf_now();
    c0 = rdtsc();
    while ( xtf_now() - t0 < ns )
        hypercall_yield();
    return rdtsc() - c0;
}

uint64_t xtf_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    if ( shift >= 0 )
        delta <<= shift;
    else
        delta >>= -shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t xtf_pvclock_read(const volatile struct vcpu_time_info *t, uint32_t *version, uint64_t *tsc)
{
    uint32_t v;
    uint64_t ns, now = 0;

    do
    {
        v = t->version;
        smp_rmb();
        now = rdtsc();
        ns = t->system_time +
             xtf_pvclock_scale(now - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
        smp_rmb();
    } while ( (v & 1) || v != t->version );
    if ( version )
        *version = v;
    if ( tsc )
        *tsc = now;
    return ns;
}

const volatile struct vcpu_time_info *xtf_pvclock_of(volatile struct shared_info *s,
                                                     unsigned int vcpu)
{
    if ( vcpu < XEN_LEGACY_MAX_VCPUS )
        return &s->vcpu_info[vcpu].time;
    return &xtf_vcpu_info(vcpu)->time; /* registered when the vCPU started */
}
