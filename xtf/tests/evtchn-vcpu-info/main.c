/*
 * evtchn-vcpu-info - VCPUOP_register_vcpu_info: Xen's checks, the copy,
 * the re-raise, and events delivered to the new place, also for a vCPU
 * past the 32 that have a vcpu_info in shared_info.
 *
 * dom0 has 34 vCPUs; vCPU 2 is started and spins, the others stay down.
 *  - an offset whose struct would cross the page end, or a misaligned
 *    offset: -ENXIO; a frame that is not RAM: -EINVAL; a vCPU that does
 *    not exist: -ENOENT; another vCPU that is up (2): -EINVAL;
 *  - vCPU 1 (down): registered at page A + 128 (vcpu1_case: x86.c,
 *    arm64.c). x86: what shared_info's vcpu_info[1] held (upcall mask,
 *    arch.cr2) is there. Arm: shared_info has no vcpu_info[1], so vCPU 1
 *    starts from zeroes. Both: every selector bit and upcall_pending are
 *    set (the re-raise); registering it again is -EINVAL; an IPI to vCPU
 *    1 then lands in page A;
 *  - vCPU 33 (no vcpu_info before): registered at page B + 64, re-raised,
 *    and an IPI reaches it there;
 *  - vCPU 0 (the caller itself) may register too; rsvd is ignored, as
 *    in Xen (Linux leaves it uninitialised); its time record is written
 *    afresh in the new place (vcpu_time_update, branch time).
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <public/vcpu.h>
#include "vcpu-info.h"

const char test_title[] = "VCPUOP_register_vcpu_info";

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_c[4096] __attribute__((aligned(4096)));
static volatile bool spin_release;

long reg(unsigned int vcpu, void *page, uint32_t offset, uint32_t rsvd)
{
    struct vcpu_register_vcpu_info info = {
        .mfn = (uintptr_t)page >> 12,
        .offset = offset,
        .rsvd = rsvd,
    };
    return hypercall_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &info);
}

static long reg_gfn(unsigned int vcpu, uint64_t gfn, uint32_t offset)
{
    struct vcpu_register_vcpu_info info = { .mfn = gfn, .offset = offset };
    return hypercall_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &info);
}

static void spinner(unsigned int id)
{
    (void)id;
    while ( !spin_release )
        hypercall_yield();
}

void expect_reraised(const char *what, volatile struct vcpu_info *vi)
{
    char buf[80];
    snprintf(buf, sizeof(buf), "%s: selector after registering", what);
    evtchn_expect(buf, (long)vi->evtchn_pending_sel, -1L);
    snprintf(buf, sizeof(buf), "%s: upcall_pending after registering", what);
    evtchn_expect(buf, vi->evtchn_upcall_pending, 1);
}

/* An IPI to vcpu lands in vi (and only the port's bits). */
void expect_delivery(const char *what, unsigned int vcpu, volatile struct vcpu_info *vi)
{
    long p = evtchn_bind_ipi(vcpu);
    char buf[80];
    if ( p <= 0 )
    {
        xtf_failure("%s: bind_ipi: %ld", what, p);
        return;
    }
    vi->evtchn_pending_sel = 0;
    vi->evtchn_upcall_pending = 0;
    evtchn_expect("send", evtchn_send(p), 0);
    snprintf(buf, sizeof(buf), "%s: selector", what);
    evtchn_expect(buf, (long)vi->evtchn_pending_sel, (long)(1UL << (p / 64)));
    snprintf(buf, sizeof(buf), "%s: upcall_pending", what);
    evtchn_expect(buf, vi->evtchn_upcall_pending, 1);
    evtchn_clear_pending(p);
    evtchn_close(p);
}

static void errors(void)
{
    evtchn_expect("crossing the page end", reg(1, page_a, 4096 - 63, 0), -XEN_ENXIO);
    evtchn_expect("offset 4096", reg(1, page_a, 4096, 0), -XEN_ENXIO);
    evtchn_expect("misaligned", reg(1, page_a, 4, 0), -XEN_ENXIO);
    evtchn_expect("not RAM", reg_gfn(1, 0x3ffff, 0), -XEN_EINVAL);
    evtchn_expect("gfn far out", reg_gfn(1, ~0ULL >> 12, 0), -XEN_EINVAL);
    evtchn_expect("missing vCPU", reg(34, page_a, 0, 0), -XEN_ENOENT);
    evtchn_expect("vCPU 2 is up", reg(2, page_a, 0, 0), -XEN_EINVAL);
}

void test_main(void)
{
    volatile struct shared_info *s = xtf_shared_info();
    volatile struct vcpu_info *a = (volatile void *)(page_a + 128);
    volatile struct vcpu_info *b = (volatile void *)(page_b + 64);
    long rc;

    if ( !s )
    {
        xtf_error("cannot map shared_info");
        return;
    }
    if ( (rc = xtf_vcpu_start(2, spinner)) )
    {
        xtf_error("cannot start vCPU 2: %ld", rc);
        return;
    }
    errors();

    vcpu1_case(s, a, page_a, page_b);

    if ( evtchn_expect("register vCPU 33", reg(33, page_b, 64, 0), 0) )
    {
        expect_reraised("vCPU 33", b);
        expect_delivery("IPI to vCPU 33", 33, b);
    }
    s->vcpu_info[0].time.tsc_to_system_mul = 0; /* stale: the new place gets a fresh record */
    evtchn_expect("register vCPU 0 itself, rsvd set", reg(0, page_c, 0, 0xdead), 0);
    expect_reraised("vCPU 0", (volatile struct vcpu_info *)page_c);
    evtchn_expect("vCPU 0: time record rewritten in the new place",
                  ((volatile struct vcpu_info *)page_c)->time.tsc_to_system_mul != 0, 1);
    evtchn_expect("vCPU 0: time record version even",
                  ((volatile struct vcpu_info *)page_c)->time.version & 1, 0);

    spin_release = true;
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
