/*
 * lapic-upcall - an event for a vCPU becomes an interrupt, the two ways
 * a PVH guest can ask for it.
 *
 * shared_info is mapped and an IPI event channel bound to vCPU 0.
 *  - XENVER_get_features offers XENFEAT_hvm_callback_vector (Linux uses
 *    no callback vector without it);
 *  - HVM_PARAM_CALLBACK_IRQ = vector 0xf3 (type 2): a send with IF=0 is
 *    not delivered; STI delivers it, once; the handler clears
 *    evtchn_upcall_pending and the port's pending bits (no EOI: this
 *    vector does not go through the LAPIC, so its ISR bit stays clear);
 *    a second send delivers again.
 *  - HVMOP_set_evtchn_upcall_vector: vector 0x0f is -EINVAL, vCPU 99
 *    -ENOENT; vector 0xe0 on vCPU 0 succeeds, and the next send arrives
 *    on 0xe0 (not 0xf3) with its ISR bit set in the handler until the
 *    handler's EOI.
 */
#include <xtf.h>
#include <xtf/apic.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/features.h>
#include <public/version.h>

const char test_title[] = "Event-channel upcalls: callback vector and per-vCPU vector";

#define CALLBACK_VEC 0xf3
#define UPCALL_VEC   0xe0

static uint8_t shinfo_page[4096] __aligned(4096);
static volatile struct shared_info *const shinfo = (volatile void *)shinfo_page;
static evtchn_port_t port;
static volatile unsigned int hits[256];
static volatile uint32_t isr_seen[256];

static void clear_event(void)
{
    volatile struct vcpu_info *vi = &shinfo->vcpu_info[0];

    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    shinfo->evtchn_pending[port / (8 * sizeof(xen_ulong_t))] = 0;
}

static void handler(struct cpu_regs *regs)
{
    unsigned int vec = regs->vector;

    hits[vec]++;
    isr_seen[vec] = apic_read(APIC_ISR + (vec / 32) * 0x10) & (1U << (vec % 32));
    clear_event();
    if ( vec == UPCALL_VEC )
        apic_eoi();
}

static void expect(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: %ld, expected %ld", what, got, want);
}

static long send(void)
{
    struct evtchn_send s = { .port = port };

    return hypercall_event_channel_op(EVTCHNOP_send, &s);
}

static bool setup(void)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .idx = 0,
        .gpfn = (uintptr_t)shinfo_page >> 12,
    };
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    long rc = hypercall_memory_op(XENMEM_add_to_physmap, &x);

    if ( rc )
        return xtf_error("mapping shared_info: %ld", rc), false;
    rc = hypercall_event_channel_op(EVTCHNOP_bind_ipi, &b);
    if ( rc )
        return xtf_error("EVTCHNOP_bind_ipi: %ld", rc), false;
    port = b.port;
    clear_event();
    return true;
}

static void callback_vector(void)
{
    struct xen_feature_info fi = { .submap_idx = 0 };
    struct xen_hvm_param p = {
        .domid = DOMID_SELF,
        .index = HVM_PARAM_CALLBACK_IRQ,
        .value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) |
                 CALLBACK_VEC,
    };

    expect("XENVER_get_features", hypercall_xen_version(XENVER_get_features, &fi), 0);
    expect("XENFEAT_hvm_callback_vector", (fi.submap >> XENFEAT_hvm_callback_vector) & 1, 1);
    expect("set HVM_PARAM_CALLBACK_IRQ", hypercall_hvm_op(HVMOP_set_param, &p), 0);
    expect("send", send(), 0);
    for ( volatile int i = 0; i < 100000; i++ )
        ;
    expect("delivered with IF=0", hits[CALLBACK_VEC], 0);
    expect("upcall pending with IF=0", shinfo->vcpu_info[0].evtchn_upcall_pending, 1);
    asm volatile("sti; nop; cli" ::: "memory");
    expect("callback vector after STI", hits[CALLBACK_VEC], 1);
    expect("callback vector not in the ISR", isr_seen[CALLBACK_VEC] != 0, 0);
    expect("second send", send(), 0);
    asm volatile("sti; nop; cli" ::: "memory");
    expect("callback vector after a second send", hits[CALLBACK_VEC], 2);
}

static void upcall_vector(void)
{
    struct xen_hvm_evtchn_upcall_vector u = { .vcpu = 0, .vector = 0x0f };

    expect("upcall vector 0x0f", hypercall_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), -XEN_EINVAL);
    u = (struct xen_hvm_evtchn_upcall_vector){ .vcpu = 99, .vector = UPCALL_VEC };
    expect("upcall vector on vCPU 99", hypercall_hvm_op(HVMOP_set_evtchn_upcall_vector, &u),
           -XEN_ENOENT);
    u.vcpu = 0;
    expect("upcall vector 0xe0 on vCPU 0", hypercall_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), 0);
    expect("send", send(), 0);
    asm volatile("sti; nop; cli" ::: "memory");
    expect("per-vCPU vector", hits[UPCALL_VEC], 1);
    expect("callback vector no longer used", hits[CALLBACK_VEC], 2);
    expect("ISR bit in the handler", isr_seen[UPCALL_VEC] != 0, 1);
    expect("ISR clear after EOI", apic_read(APIC_ISR + (UPCALL_VEC / 32) * 0x10), 0);
}

void test_main(void)
{
    if ( apic_init(APIC_MODE_X2APIC) )
        return xtf_failure("cannot enter x2APIC mode");
    xtf_set_vector_handler(CALLBACK_VEC, handler);
    xtf_set_vector_handler(UPCALL_VEC, handler);
    if ( !setup() )
        return;
    callback_vector();
    upcall_vector();
    xtf_success(NULL);
}
