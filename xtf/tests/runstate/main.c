/*
 * runstate - per-vCPU run-state accounting, as Linux reads it for steal
 * time.
 *
 *  - VCPUOP_get_runstate_info on the calling vCPU says RUNSTATE_running,
 *    and its running time grows between two reads while it spins;
 *  - an area registered with VCPUOP_register_runstate_memory_area is
 *    filled at once and refreshed as the vCPU re-enters (after a yield);
 *  - vm_assist(enable, VMASST_TYPE_runstate_update_flag) is accepted and
 *    any other assist type is -XEN_EINVAL (Xen's rule for HVM guests);
 *  - vCPU 1 blocks in SCHEDOP_block: from vCPU 0 its state reads
 *    RUNSTATE_blocked and its blocked time grows; an IPI event channel
 *    bound to it wakes it, and it reports back.
 */
#include <xtf.h>
#include <public/vcpu.h>
#include <public/sched.h>
#include <public/event_channel.h>

const char test_title[] = "vCPU run-state accounting";

static struct vcpu_runstate_info area;
static volatile unsigned int v1_stage;
static evtchn_port_t ipi_port;

static long runstate(unsigned int vcpu, struct vcpu_runstate_info *r)
{
    return hypercall_vcpu_op(VCPUOP_get_runstate_info, vcpu, r);
}

static void spin(unsigned long n)
{
    for ( volatile unsigned long i = 0; i < n; i++ )
        ;
}

static void vcpu1(unsigned int id)
{
    (void)id;
    v1_stage = 1;
    while ( v1_stage == 1 )
        hypercall_sched_op(SCHEDOP_block, NULL); /* woken by the IPI port */
    v1_stage = 3;
    for ( ;; )
        hypercall_sched_op(SCHEDOP_block, NULL);
}

static void own_state(void)
{
    struct vcpu_runstate_info a, b;
    if ( runstate(0, &a) )
        return xtf_failure("get_runstate_info(0) failed\n");
    spin(2000000);
    runstate(0, &b);
    if ( a.state != RUNSTATE_running || b.state != RUNSTATE_running )
        xtf_failure("own state %d/%d, expected running\n", a.state, b.state);
    if ( b.time[RUNSTATE_running] <= a.time[RUNSTATE_running] )
        xtf_failure("running time did not grow: %lu -> %lu\n", a.time[0], b.time[0]);
    printf("running time %lu -> %lu ns\n", a.time[0], b.time[0]);
}

static void registered_area(void)
{
    struct vcpu_register_runstate_memory_area reg = { .addr = (uint64_t)&area };
    uint64_t first;
    long rc = hypercall_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &reg);
    if ( rc )
        return xtf_failure("register_runstate_memory_area: %ld\n", rc);
    if ( !area.state_entry_time || area.state != RUNSTATE_running )
        return xtf_failure("area not filled at registration (state %d, entry %lu)\n", area.state,
                           area.state_entry_time);
    first = area.state_entry_time;
    spin(1000000);
    hypercall_sched_op(SCHEDOP_yield, NULL);
    spin(1000000);
    hypercall_sched_op(SCHEDOP_yield, NULL);
    if ( area.state_entry_time == first && area.time[RUNSTATE_running] == 0 )
        xtf_failure("area never refreshed after re-entry\n");
}

static void assists(void)
{
    long rc = hypercall_vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag);
    if ( rc )
        xtf_failure("vm_assist(enable, runstate_update_flag) = %ld\n", rc);
    rc = hypercall_vm_assist(VMASST_CMD_enable, 0);
    if ( rc != -XEN_EINVAL )
        xtf_failure("vm_assist(enable, 0) = %ld, expected -XEN_EINVAL\n", rc);
    if ( area.state_entry_time >> 63 )
        xtf_failure("update flag left set in the area\n");
}

static void blocked_peer(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 1 };
    struct vcpu_runstate_info a, b;
    struct evtchn_send send;
    if ( hypercall_event_channel_op(EVTCHNOP_bind_ipi, &ipi) )
        return xtf_error("bind_ipi to vCPU 1 failed\n");
    ipi_port = ipi.port;
    if ( xtf_vcpu_start(1, vcpu1) )
        return xtf_error("cannot start vCPU 1\n");
    while ( v1_stage != 1 )
        ;
    spin(3000000);
    runstate(1, &a);
    spin(3000000);
    runstate(1, &b);
    if ( a.state != RUNSTATE_blocked || b.state != RUNSTATE_blocked )
        xtf_failure("vCPU 1 state %d/%d, expected blocked\n", a.state, b.state);
    if ( b.time[RUNSTATE_blocked] <= a.time[RUNSTATE_blocked] )
        xtf_failure("blocked time did not grow: %lu -> %lu\n", a.time[2], b.time[2]);
    printf("vCPU 1 blocked time %lu -> %lu ns\n", a.time[2], b.time[2]);
    v1_stage = 2;
    send.port = ipi_port;
    hypercall_event_channel_op(EVTCHNOP_send, &send);
    for ( unsigned long i = 0; v1_stage != 3; i++ )
        if ( i > 400000000UL )
            return xtf_failure("vCPU 1 not woken by its IPI port\n");
}

void test_main(void)
{
    own_state();
    registered_area();
    assists();
    blocked_peer();
    xtf_success(NULL);
}
