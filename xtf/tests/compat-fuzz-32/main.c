/*
 * compat-fuzz-32 - the compat layer in front of every handler is new
 * guest-reachable code: a 32-bit guest calling with garbage must get
 * error codes, never crash or hang the hypervisor.
 *
 * CALLS random calls, each a hypercall family the layer translates or
 * passes through, a command drawn from the known ones and a few unknown,
 * and arguments drawn from: pointers into a scratch area, pointers into
 * a hole, small numbers, all-ones. The scratch area is refilled with the
 * same kinds of words before each call, so every struct field and handle
 * the layer reads is one of them too. Calls that would end or reshape
 * this guest (shutdown, block, poll, vCPU down/up/initialise, giving
 * frames back, moving shared_info, grant copies and maps, set_param,
 * timer and time-area registration) are left out: the guest's own memory
 * outside the scratch area is never named. At the end the hypervisor
 * must still answer xen_version and memory_map correctly. The seed is
 * printed; every call's result is folded into a checksum that is printed
 * too, so two runs can be compared.
 */
#include "xtf32.h"
#include <public/errno.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/arch-x86/compat.h>

const char *test_title = "compat-fuzz-32: random 32-bit hypercalls";

#define CALLS   3000
#define SEED    0x2545f4914f6cdd1dULL
#define NO_RAM  0xf0000000U
#define SCRATCH 8192

static uint8_t scratch[SCRATCH] __aligned(4096);
static uint64_t rng = SEED;

static uint32_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32);
}

/* A word a field may hold: a pointer into scratch or a hole, a small
 * number, DOMID_SELF, or all-ones. */
static uint32_t word(void)
{
    switch ( rnd() % 6 )
    {
    case 0: return PTR(scratch) + (rnd() % SCRATCH);
    case 1: return NO_RAM + (rnd() % 4096);
    case 2: return rnd() % 16;
    case 3: return DOMID_SELF | (rnd() % 2 ? 0 : rnd() << 16);
    case 4: return 0xffffffffU;
    default: return rnd() % 4096;
    }
}

static void refill(void)
{
    for ( unsigned int i = 0; i < SCRATCH; i += 4 )
    {
        uint32_t w = word();
        memcpy(scratch + i, &w, 4);
    }
}

struct target
{
    unsigned int nr;
    uint8_t cmds[12];
    unsigned int nr_cmds;
};

/* Commands safe to fuzz (see above), plus unknown ones (60-63). */
static const struct target targets[] = {
    { __HYPERVISOR_memory_op,
      { XENMEM_increase_reservation, XENMEM_maximum_ram_page, XENMEM_current_reservation,
        XENMEM_maximum_reservation, XENMEM_populate_physmap, XENMEM_memory_map, XENMEM_maximum_gpfn,
        XENMEM_add_to_physmap_batch, 60 },
      9 },
    { __HYPERVISOR_xen_version, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 61 }, 12 },
    { __HYPERVISOR_vcpu_op,
      { VCPUOP_is_up, VCPUOP_get_runstate_info, VCPUOP_register_runstate_memory_area,
        VCPUOP_get_physid, VCPUOP_send_nmi, 62 },
      6 },
    { __HYPERVISOR_sched_op, { SCHEDOP_yield, SCHEDOP_watchdog, 63 }, 3 },
    { __HYPERVISOR_event_channel_op,
      { EVTCHNOP_alloc_unbound, EVTCHNOP_bind_ipi, EVTCHNOP_status, EVTCHNOP_close, EVTCHNOP_send,
        EVTCHNOP_bind_vcpu, EVTCHNOP_unmask, EVTCHNOP_bind_interdomain, 60 },
      9 },
    { __HYPERVISOR_hvm_op, { HVMOP_get_param, HVMOP_get_mem_type, 60 }, 3 },
    { __HYPERVISOR_grant_table_op, { 2, 6, 8, 10, 60 }, 5 }, /* setup, query, versions */
    { __HYPERVISOR_dm_op, { 0 }, 1 },
    { 60, { 0 }, 1 }, /* no such hypercall */
};

/* An argument: mostly a pointer into scratch, as a real call would pass. */
static uint32_t arg(void)
{
    return rnd() % 4 ? PTR(scratch) + (rnd() % (SCRATCH / 2)) : word();
}

static long one_call(void)
{
    const struct target *t = &targets[rnd() % ARRAY_SIZE(targets)];
    uint32_t cmd = t->cmds[rnd() % t->nr_cmds];
    refill();
    if ( t->nr == __HYPERVISOR_vcpu_op )
        return hypercall32(t->nr, cmd, rnd() % 3, arg(), 0, 0);
    if ( t->nr == __HYPERVISOR_grant_table_op )
        return hypercall32(t->nr, cmd, arg(), rnd() % 4 ? 1 : word(), 0, 0);
    if ( t->nr == __HYPERVISOR_dm_op )
        return hypercall32(t->nr, rnd() % 3, rnd() % 20, arg(), 0, 0);
    return hypercall32(t->nr, cmd | (rnd() % 8 ? 0 : word() << 6), arg(), arg(), 0, 0);
}

static void still_alive(void)
{
    struct compat_memory_map m;
    struct xen_e820_entry e[8];
    long rc = hc32_2(xen_version, XENVER_version, 0);
    if ( rc <= 0 )
        xtf_failure("xen_version after fuzzing: %ld", rc);
    m = (struct compat_memory_map){ ARRAY_SIZE(e), PTR(e) };
    rc = hc32_2(memory_op, XENMEM_memory_map, PTR(&m));
    if ( rc || !m.nr_entries || m.nr_entries > ARRAY_SIZE(e) || !e[0].size )
        xtf_failure("memory_map after fuzzing: rc %ld, %u entries", rc, m.nr_entries);
}

void test_main(void)
{
    uint32_t sum = 0;
    printf("seed %#llx, %u calls\n", (unsigned long long)SEED, CALLS);
    for ( unsigned int i = 0; i < CALLS; i++ )
    {
        long rc = one_call();
        if ( rc < -4095 )
            xtf_failure("call %u: rc %ld is no errno", i, rc);
        sum = sum * 31 + (uint32_t)rc;
    }
    printf("%u calls done, results checksum %#x\n", CALLS, sum);
    still_alive();
    xtf_success(NULL);
}
