/*
 * pvclock - the guest's view of time: the vcpu_time_info records in
 * shared_info and the wallclock.
 *
 *  - XENVER_get_features reports XENFEAT_hvm_safe_pvclock.
 *  - The wallclock (wc_version even, wc_sec/wc_sec_hi/wc_nsec) plus the
 *    system time gives a date after 2020 and before 2100.
 *  - CPUID's Xen time leaf (base+3): subleaf 0 gives a TSC rate, subleaf
 *    1 an offset and scale that compute the same system time as the
 *    record from the same TSC value (within 1 us); the record's
 *    TSC_STABLE flag agrees with the leaf's "host TSC reliable" bit.
 *  - The record advances as the TSC does: over 50 ms of TSC (at the
 *    leaf's rate) the pvclock advances 50 ms within 0.5%.
 *  - It is kept fresh: while this vCPU keeps running, the record's
 *    version moves on (it is rewritten before the vCPU re-enters), every
 *    read sees an even version, and the time never steps back.
 *  - Across vCPUs: vCPU 0 and vCPU 1 (each on its own record) read the
 *    clock in a loop; each read must be at least the latest value the
 *    other published before it (causality through shared memory), and at
 *    least its own previous read.
 * Without pvclock support the records are zero: the rate check fails.
 */
#include <xtf.h>
#include <xtf/time.h>
#include <xtf/evtchn.h>
#include <public/version.h>
#include <public/features.h>
#include <public/arch-x86/cpuid.h>

const char test_title[] = "pvclock and wallclock";

#define ROUNDS 5000UL

static volatile struct shared_info *shinfo;
static uint64_t latest;        /* the largest time any vCPU has read */
static unsigned long back[2];  /* reads below one's own previous read */
static unsigned long cross[2]; /* reads below what the other published */
static unsigned long odd[2];   /* reads that returned an odd version */
static bool ap_done;

static void features(void)
{
    struct xen_feature_info fi = { .submap_idx = 0 };

    if ( hypercall_xen_version(XENVER_get_features, &fi) )
        xtf_failure("XENVER_get_features failed");
    else if ( !(fi.submap & (1U << XENFEAT_hvm_safe_pvclock)) )
        xtf_failure("XENFEAT_hvm_safe_pvclock not set (submap %#x)", fi.submap);
}

static void wallclock(void)
{
    uint32_t v;
    uint64_t sec, now;

    do
    {
        v = shinfo->wc_version;
        smp_rmb();
        sec = shinfo->wc_sec | ((uint64_t)shinfo->wc_sec_hi << 32);
        smp_rmb();
    } while ( (v & 1) || v != shinfo->wc_version );
    now = sec + xtf_pvclock_read(xtf_pvclock_of(shinfo, 0), NULL, NULL) / 1000000000ULL;
    printf("wallclock: %lu s since 1970 (version %u, nsec %u)\n", now, v, shinfo->wc_nsec);
    if ( now < 1577836800ULL || now > 4102444800ULL ) /* 2020-01-01, 2100-01-01 */
        xtf_failure("wallclock %lu s is not between 2020 and 2100", now);
    if ( shinfo->wc_nsec >= 1000000000U )
        xtf_failure("wc_nsec %u is a second or more", shinfo->wc_nsec);
}

static uint32_t time_leaf_khz(void)
{
    struct cpuid_res r0 = cpuid_count(xtf_cpuid_base + 3, 0);
    struct cpuid_res r1 = cpuid_count(xtf_cpuid_base + 3, 1);
    const volatile struct vcpu_time_info *t = xtf_pvclock_of(shinfo, 0);
    uint64_t offset = r1.a | ((uint64_t)r1.b << 32), tsc, rec, leaf;
    uint32_t v;
    bool stable = t->flags & XEN_PVCLOCK_TSC_STABLE_BIT;

    do
    {
        v = t->version;
        smp_rmb();
        tsc = rdtsc();
        rec = t->system_time +
              xtf_pvclock_scale(tsc - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
        smp_rmb();
    } while ( (v & 1) || v != t->version );
    leaf = xtf_pvclock_scale(tsc - offset, r1.c, (int8_t)r1.d);
    printf("time leaf: flags %#x mode %u %u kHz; record %lu ns, leaf %lu ns, flags %#x\n", r0.a,
           r0.b, r0.c, rec, leaf, t->flags);
    if ( (rec > leaf ? rec - leaf : leaf - rec) > 1000 )
        xtf_failure("time leaf gives %lu ns, the pvclock %lu ns at the same TSC", leaf, rec);
    if ( stable != !!(r0.a & XEN_CPUID_HOST_TSC_RELIABLE) )
        xtf_failure("TSC_STABLE %d but the leaf's TSC reliable bit %d", stable,
                    !!(r0.a & XEN_CPUID_HOST_TSC_RELIABLE));
    return r0.c;
}

static void rate(uint32_t khz)
{
    const volatile struct vcpu_time_info *t = xtf_pvclock_of(shinfo, 0);
    uint64_t t0, t1, c0, c1, got, want;
    uint32_t v0, v1;

    if ( !khz )
    {
        xtf_failure("time leaf reports a 0 kHz TSC");
        return;
    }
    t0 = xtf_pvclock_read(t, &v0, &c0);
    while ( rdtsc() - c0 < (uint64_t)khz * 50 )
        cpu_relax();
    t1 = xtf_pvclock_read(t, &v1, &c1);
    got = t1 - t0;
    want = (c1 - c0) * 1000000ULL / khz;
    printf("%lu ns of TSC: pvclock advanced %lu ns, version %u -> %u\n", want, got, v0, v1);
    if ( got < want - want / 200 || got > want + want / 200 )
        xtf_failure("pvclock advanced %lu ns over %lu ns of TSC", got, want);
    if ( v1 == v0 )
        xtf_failure("record not rewritten in 50 ms of running (version %u)", v0);
}

static void reads(unsigned int me)
{
    const volatile struct vcpu_time_info *t = xtf_pvclock_of(shinfo, me);
    uint64_t prev = 0;

    for ( unsigned long i = 0; i < ROUNDS; i++ )
    {
        uint64_t seen = __atomic_load_n(&latest, __ATOMIC_SEQ_CST), now, cur;
        uint32_t v;

        now = xtf_pvclock_read(t, &v, NULL);
        back[me] += now < prev;
        cross[me] += now < seen;
        odd[me] += v & 1;
        prev = now;
        cur = __atomic_load_n(&latest, __ATOMIC_SEQ_CST);
        while ( cur < now && !__atomic_compare_exchange_n(&latest, &cur, now, false,
                                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
            ;
    }
}

static void ap_main(unsigned int id)
{
    reads(id);
    __atomic_store_n(&ap_done, true, __ATOMIC_SEQ_CST);
}

static void two_vcpus(void)
{
    long rc = xtf_vcpu_start(1, ap_main);
    unsigned long i;

    if ( rc )
    {
        xtf_failure("starting vCPU 1: %ld", rc);
        return;
    }
    reads(0);
    for ( i = 0; i < XTF_POLL_LIMIT && !__atomic_load_n(&ap_done, __ATOMIC_SEQ_CST); i++ )
        hypercall_yield();
    if ( i == XTF_POLL_LIMIT )
    {
        xtf_failure("vCPU 1 did not finish its reads");
        return;
    }
    for ( unsigned int c = 0; c < 2; c++ )
    {
        printf("vCPU %u: %lu reads, %lu back, %lu behind the other, %lu odd\n", c, ROUNDS, back[c],
               cross[c], odd[c]);
        if ( back[c] || cross[c] || odd[c] )
            xtf_failure("vCPU %u: pvclock went back %lu times, behind the other vCPU %lu, odd "
                        "version %lu",
                        c, back[c], cross[c], odd[c]);
    }
}

void test_main(void)
{
    features();
    shinfo = xtf_shared_info();
    if ( !shinfo )
    {
        xtf_failure("cannot map shared_info");
        return;
    }
    wallclock();
    rate(time_leaf_khz());
    two_vcpus();
    xtf_success(NULL);
}
