/*
 * test-hvm-save.c - the HVM context record walk (xen/common/hvm_save.c)
 * on the host: sizes and layout of what get writes, and what set accepts
 * and applies, with the arch's CPU record hooks and the guest copies
 * stubbed (guest addresses are host pointers here).
 *
 * The property that matters most: a context with any bad record changes
 * nothing, even when the records before it were good (set checks every
 * record before it applies one). Also: unknown typecodes, a missing END,
 * a HEADER not first, a bad magic, a short body, a CPU record of a vCPU
 * that does not exist, an oversized buffer, an unpaused domain (-EBUSY),
 * get's null-buffer size and -ENOSPC.
 *
 * May not touch: anything but hvm_save.c and the fake domain below.
 */
#include <xen/sched.h>
#include <xen/mm.h>
#include <xen/arch.h>
#include <xen/hvm_save.h>
#include <xen/guest_access.h>
#include <public/domctl.h>
#include <public/hvm/save.h>

#include <string.h>

#include "harness.h"
#include "arena.h"

#define NVCPUS  2
#define BAD_RIP 0xbadULL /* the stubbed check refuses a record with this RIP */

/* ---- stubs: guest access, the arch's record hooks, the scheduler --------- */

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
    memcpy(dst, (const void *)(uintptr_t)guest_va, len);
    return 0;
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
    memcpy((void *)(uintptr_t)guest_va, src, len);
    return 0;
}

static unsigned int loads;          /* CPU records applied */
static uint64_t loaded_rip[NVCPUS]; /* what each vCPU got */

void arch_hvm_cpu_save(struct vcpu *v, struct hvm_hw_cpu *r)
{
    memset(r, 0, sizeof(*r));
    r->rip = 0x1000 + v->vcpu_id;
}

int arch_hvm_cpu_check(struct vcpu *v, const struct hvm_hw_cpu *r)
{
    return r->rip == BAD_RIP ? -EINVAL : 0;
}

int arch_hvm_cpu_load(struct vcpu *v, const struct hvm_hw_cpu *r)
{
    loads++;
    loaded_rip[v->vcpu_id] = r->rip;
    return 0;
}

/* The other per-vCPU records: a LAPIC record with this divisor is refused;
 * every load is counted. */
#define BAD_DIVISOR 3

static unsigned int other_loads;

void arch_hvm_lapic_save(struct vcpu *v, struct hvm_hw_lapic *r)
{
    r->apic_base_msr = 0xfee00900 + v->vcpu_id;
    r->timer_divisor = 2;
}

int arch_hvm_lapic_check(struct vcpu *v, const struct hvm_hw_lapic *r)
{
    return r->timer_divisor == BAD_DIVISOR ? -EINVAL : 0;
}

int arch_hvm_lapic_load(struct vcpu *v, const struct hvm_hw_lapic *r)
{
    other_loads++;
    return 0;
}

void arch_hvm_lapic_regs_save(struct vcpu *v, struct hvm_hw_lapic_regs *r)
{
    r->data[0x20] = (uint8_t)v->vcpu_id;
}

int arch_hvm_lapic_regs_check(struct vcpu *v, const struct hvm_hw_lapic_regs *r)
{
    return 0;
}

int arch_hvm_lapic_regs_load(struct vcpu *v, const struct hvm_hw_lapic_regs *r)
{
    other_loads++;
    return 0;
}

void arch_hvm_mtrr_save(struct vcpu *v, struct hvm_hw_mtrr *r)
{
    r->msr_mtrr_def_type = 0x806;
}

int arch_hvm_mtrr_check(struct vcpu *v, const struct hvm_hw_mtrr *r)
{
    return 0;
}

int arch_hvm_mtrr_load(struct vcpu *v, const struct hvm_hw_mtrr *r)
{
    other_loads++;
    return 0;
}

void hvm_timers_save(struct vcpu *v, struct hvm_wren_vcpu_timers *r)
{
    r->singleshot = 1000 + v->vcpu_id;
}

int hvm_timers_check(struct vcpu *v, const struct hvm_wren_vcpu_timers *r)
{
    return 0;
}

int hvm_timers_load(struct vcpu *v, const struct hvm_wren_vcpu_timers *r)
{
    other_loads++;
    return 0;
}

void arch_hvm_vmce_save(struct vcpu *v, struct hvm_vmce_vcpu *r)
{
    r->caps = 2;
}

int arch_hvm_vmce_check(struct vcpu *v, const struct hvm_vmce_vcpu *r)
{
    return 0;
}

int arch_hvm_vmce_load(struct vcpu *v, const struct hvm_vmce_vcpu *r)
{
    other_loads++;
    return 0;
}

void arch_hvm_vmce_pending_save(struct vcpu *v, struct hvm_wren_vmce_pending *r)
{
    r->flags = HVM_WREN_VMCE_PENDING;
}

int arch_hvm_vmce_pending_check(struct vcpu *v, const struct hvm_wren_vmce_pending *r)
{
    return 0;
}

int arch_hvm_vmce_pending_load(struct vcpu *v, const struct hvm_wren_vmce_pending *r)
{
    other_loads++;
    return 0;
}

/* CPU_XSAVE: this fake host's records are XSAVE_LEN long; a record of
 * another length within the bounds reaches check, which refuses it. */
#define XSAVE_LEN (HVM_SAVE_LENGTH_CPU_XSAVE_MIN + 64)

static uint32_t xsave_checked_len;

uint32_t arch_hvm_xsave_max(void)
{
    return XSAVE_LEN;
}

uint32_t arch_hvm_xsave_save(struct vcpu *v, struct hvm_hw_cpu_xsave *r)
{
    r->xcr0 = 7;
    return XSAVE_LEN;
}

int arch_hvm_xsave_check(struct vcpu *v, const struct hvm_hw_cpu_xsave *r, uint32_t len)
{
    xsave_checked_len = len;
    return len == XSAVE_LEN ? 0 : -EINVAL;
}

int arch_hvm_xsave_load(struct vcpu *v, const struct hvm_hw_cpu_xsave *r, uint32_t len)
{
    other_loads++;
    return 0;
}

void vcpu_online(struct vcpu *v)
{
    v->is_up = true;
}

void domain_pause(struct domain *d)
{
}
void domain_unpause(struct domain *d)
{
}

/* ---- a domain and context buffers ------------------------------------------ */

static struct domain dom;
static struct vcpu vcpus[NVCPUS];
static struct vcpu *vcpu_ptrs[NVCPUS];
static uint8_t buf[16384];

static void reset(void)
{
    memset(&dom, 0, sizeof(dom));
    memset(vcpus, 0, sizeof(vcpus));
    for ( unsigned int i = 0; i < NVCPUS; i++ )
    {
        vcpus[i].vcpu_id = i;
        vcpus[i].domain = &dom;
        vcpu_ptrs[i] = &vcpus[i];
    }
    dom.vcpu = vcpu_ptrs;
    dom.max_vcpus = dom.vcpu_slots = NVCPUS;
    dom.controller_pause_count = 1;
    spin_lock_init(&dom.lock, LOCK_domain);
    loads = other_loads = 0;
    memset(loaded_rip, 0, sizeof(loaded_rip));
}

static size_t put(size_t off, uint16_t type, uint16_t inst, uint32_t len)
{
    struct hvm_save_descriptor d = { type, inst, len };
    memcpy(buf + off, &d, sizeof(d));
    return off + sizeof(d) + len;
}

static size_t header(void)
{
    struct hvm_save_header h = { .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION };
    memcpy(buf + 8, &h, sizeof(h));
    return put(0, HVM_SAVE_CODE(HEADER), 0, sizeof(h));
}

static size_t cpu(size_t off, uint16_t inst, uint64_t rip)
{
    struct hvm_hw_cpu c = { .rip = rip };
    memcpy(buf + off + 8, &c, sizeof(c));
    return put(off, HVM_SAVE_CODE(CPU), inst, sizeof(c));
}

static size_t lapic(size_t off, uint16_t inst, uint32_t divisor)
{
    struct hvm_hw_lapic l = { .apic_base_msr = 0xfee00900, .timer_divisor = divisor };
    memcpy(buf + off + 8, &l, sizeof(l));
    return put(off, HVM_SAVE_CODE(LAPIC), inst, sizeof(l));
}

static size_t end(size_t off)
{
    return put(off, HVM_SAVE_CODE(END), 0, 0);
}

static long set(size_t size)
{
    struct xen_domctl_hvmcontext h = { .size = (uint32_t)size };
    set_xen_guest_handle(h.buffer, buf);
    return hvm_context_set(&dom, &h);
}

static void expect_untouched(long rc)
{
    CHECK_EQ(rc, -EINVAL);
    CHECK_EQ(loads, 0);
    CHECK_EQ(other_loads, 0);
    CHECK(!vcpus[0].is_up && !vcpus[1].is_up);
}

/* ---- cases ----------------------------------------------------------------- */

static void set_two_cpus(void)
{
    reset();
    CHECK_EQ(set(end(cpu(cpu(header(), 1, 0x2000), 0, 0x3000))), 0);
    CHECK_EQ(loads, 2);
    CHECK_EQ(loaded_rip[0], 0x3000);
    CHECK_EQ(loaded_rip[1], 0x2000);
    CHECK(vcpus[0].is_up && vcpus[1].is_up && vcpus[0].initialised);
}

static void bad_late_record_changes_nothing(void)
{
    reset();
    expect_untouched(set(end(cpu(cpu(header(), 0, 0x3000), 1, BAD_RIP))));
}

/* A LAPIC record the arch refuses, after good CPU and LAPIC records. */
static void bad_lapic_changes_nothing(void)
{
    reset();
    expect_untouched(set(end(lapic(lapic(cpu(header(), 0, 0x3000), 0, 2), 1, BAD_DIVISOR))));
    expect_untouched(set(end(lapic(cpu(header(), 0, 0x3000), NVCPUS, 2)))); /* no such vCPU */
    reset();
    CHECK_EQ(set(end(lapic(cpu(header(), 0, 0x3000), 0, 2))), 0);
    CHECK_EQ(loads, 1);
    CHECK_EQ(other_loads, 1);
}

static void refused_contexts(void)
{
    struct hvm_save_header *h = (void *)(buf + 8);
    size_t n;

    reset();
    n = end(put(cpu(header(), 0, 0x3000), 99, 0, 0));
    expect_untouched(set(n));                        /* unknown typecode, as Xen's hvm_load */
    expect_untouched(set(cpu(header(), 0, 0x3000))); /* no END */
    expect_untouched(set(end(cpu(0, 0, 0x3000))));   /* no HEADER first */
    expect_untouched(set(end(cpu(header(), NVCPUS, 0x3000)))); /* no such vCPU */
    n = end(cpu(header(), 0, 0x3000));
    h->magic ^= 1;
    expect_untouched(set(n));
    n = end(cpu(header(), 0, 0x3000));
    ((struct hvm_save_descriptor *)(buf + 32))->length = 8; /* short CPU body */
    expect_untouched(set(n));
    n = end(lapic(cpu(header(), 0, 0x3000), 0, 2));
    ((struct hvm_save_descriptor *)(buf + 32 + 8 + HVM_SAVE_LENGTH_CPU))->length = 16;
    expect_untouched(set(n)); /* short LAPIC body */
    n = end(put(header(), HVM_SAVE_CODE(HEADER), 0, HVM_SAVE_LENGTH_HEADER));
    expect_untouched(set(n)); /* a second HEADER */
    expect_untouched(set(8)); /* too small to hold anything */
    expect_untouched(set(1U << 20));
}

static size_t xsave(size_t off, uint16_t inst, uint32_t len)
{
    memset(buf + off + 8, 0, len);
    return put(off, HVM_SAVE_CODE(CPU_XSAVE), inst, len);
}

/* CPU_XSAVE's length is variable: one within the type's bounds is the
 * arch's to judge; one outside them never reaches it. */
static void xsave_lengths(void)
{
    reset();
    CHECK_EQ(set(end(xsave(cpu(header(), 0, 0x3000), 0, XSAVE_LEN))), 0);
    CHECK_EQ(other_loads, 1);
    reset();
    expect_untouched(set(end(xsave(cpu(header(), 0, 0x3000), 0, XSAVE_LEN - 8))));
    CHECK_EQ(xsave_checked_len, XSAVE_LEN - 8);
    xsave_checked_len = 0;
    expect_untouched(set(end(xsave(cpu(header(), 0, 0x3000), 0, XSAVE_LEN + 8))));
    expect_untouched(
        set(end(xsave(cpu(header(), 0, 0x3000), 0, HVM_SAVE_LENGTH_CPU_XSAVE_MIN - 8))));
    CHECK_EQ(xsave_checked_len, 0);
}

static void not_paused_is_busy(void)
{
    reset();
    dom.controller_pause_count = 0;
    CHECK_EQ(set(end(cpu(header(), 0, 0x3000))), -EBUSY);
    CHECK_EQ(loads, 0);
}

static void get_sizes_and_records(void)
{
    struct xen_domctl_hvmcontext h = { 0 };
    const struct hvm_save_descriptor *d;
    const struct hvm_hw_cpu *c;
    const uint32_t per_vcpu = 8 + HVM_SAVE_LENGTH_CPU + 8 + XSAVE_LEN + 8 + HVM_SAVE_LENGTH_LAPIC +
                              8 + HVM_SAVE_LENGTH_LAPIC_REGS + 8 + HVM_SAVE_LENGTH_MTRR + 8 +
                              HVM_SAVE_LENGTH_VMCE_VCPU + 8 + HVM_SAVE_LENGTH_WREN_VCPU_TIMERS + 8 +
                              HVM_SAVE_LENGTH_WREN_VMCE_PENDING;
    const uint32_t one = 8 + HVM_SAVE_LENGTH_HEADER + per_vcpu + 8;
    const uint16_t order[] = { HVM_SAVE_CODE(CPU),
                               HVM_SAVE_CODE(CPU_XSAVE),
                               HVM_SAVE_CODE(LAPIC),
                               HVM_SAVE_CODE(LAPIC_REGS),
                               HVM_SAVE_CODE(MTRR),
                               HVM_SAVE_CODE(VMCE_VCPU),
                               HVM_SAVE_CODE(WREN_VCPU_TIMERS),
                               HVM_SAVE_CODE(WREN_VMCE_PENDING) };
    size_t off;

    reset();
    CHECK_EQ(hvm_context_get(&dom, &h), 0);
    CHECK_EQ(h.size, 8 + HVM_SAVE_LENGTH_HEADER + 8); /* no vCPU up: no CPU record */
    vcpus[1].is_up = true;
    CHECK_EQ(hvm_context_get(&dom, &h), 0);
    CHECK_EQ(h.size, one);
    set_xen_guest_handle(h.buffer, buf);
    h.size = one - 1;
    CHECK_EQ(hvm_context_get(&dom, &h), -ENOSPC);
    h.size = sizeof(buf);
    CHECK_EQ(hvm_context_get(&dom, &h), 0);
    CHECK_EQ(h.size, one);
    d = (const void *)(buf + 8 + HVM_SAVE_LENGTH_HEADER);
    c = (const void *)(d + 1);
    CHECK_EQ(d->typecode, HVM_SAVE_CODE(CPU));
    CHECK_EQ(d->instance, 1);
    CHECK_EQ(c->rip, 0x1001);
    off = 8 + HVM_SAVE_LENGTH_HEADER;
    for ( size_t i = 0; i < ARRAY_SIZE(order); i++ )
    {
        d = (const void *)(buf + off);
        CHECK_EQ(d->typecode, order[i]);
        CHECK_EQ(d->instance, 1);
        off += 8 + d->length;
    }
    CHECK_EQ(((const struct hvm_wren_vmce_pending *)(buf + off - 64))->flags,
             HVM_WREN_VMCE_PENDING);
    d = (const void *)(buf + one - 8);
    CHECK_EQ(d->typecode, HVM_SAVE_CODE(END));
    vcpus[0].is_up = true; /* two vCPUs: type by type, both instances each */
    h.size = sizeof(buf);
    CHECK_EQ(hvm_context_get(&dom, &h), 0);
    CHECK_EQ(h.size, one + per_vcpu);
    d = (const void *)(buf + 8 + HVM_SAVE_LENGTH_HEADER);
    CHECK_EQ(d->typecode, HVM_SAVE_CODE(CPU));
    CHECK_EQ(d->instance, 0);
    d = (const void *)(buf + 8 + HVM_SAVE_LENGTH_HEADER + 8 + HVM_SAVE_LENGTH_CPU);
    CHECK_EQ(d->typecode, HVM_SAVE_CODE(CPU));
    CHECK_EQ(d->instance, 1);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "hvm_save.set_two_cpus", set_two_cpus },
        { "hvm_save.bad_late_record_changes_nothing", bad_late_record_changes_nothing },
        { "hvm_save.bad_lapic_changes_nothing", bad_lapic_changes_nothing },
        { "hvm_save.refused_contexts", refused_contexts },
        { "hvm_save.xsave_lengths", xsave_lengths },
        { "hvm_save.not_paused_is_busy", not_paused_is_busy },
        { "hvm_save.get_sizes_and_records", get_sizes_and_records },
    };
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 8UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
