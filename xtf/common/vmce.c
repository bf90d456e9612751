/*
 * vmce.c - the controller's side of the vMCE tests (include/xtf/vmce.h):
 * XEN_MC injection and the frame-table sysctl, thin wrappers that return
 * the raw hypercall results.
 */
#include <xtf.h>
#include <xtf/vmce.h>
#include <xtf/evtchn.h>
#include <xtf/time.h>
#include <public/sysctl.h>
#include <public/sched.h>
#include <public/arch-x86/xen-mca.h>

long xtf_mce_inject(unsigned int cpu, bool gpaddr, domid_t domid, uint64_t mcg_status,
                    uint64_t status, uint64_t addr, uint64_t misc)
{
    struct xen_mc mc = { .cmd = XEN_MC_msrinject, .interface_version = XEN_MCA_INTERFACE_VERSION };
    struct xen_mc_msrinject *m = &mc.u.mc_msrinject;
    long rc;

    m->mcinj_cpunr = cpu;
    m->mcinj_flags = MC_MSRINJ_F_INTERPOSE | (gpaddr ? MC_MSRINJ_F_GPADDR : 0);
    m->mcinj_domid = domid;
    m->mcinj_count = 4;
    m->mcinj_msr[0] = (xen_mcinfo_msr_t){ MSR_MCG_STATUS, mcg_status };
    m->mcinj_msr[1] = (xen_mcinfo_msr_t){ MSR_MC1_STATUS, status };
    m->mcinj_msr[2] = (xen_mcinfo_msr_t){ MSR_MC1_ADDR, addr };
    m->mcinj_msr[3] = (xen_mcinfo_msr_t){ MSR_MC1_MISC, misc };
    rc = hypercall_mca(&mc);
    if ( rc )
        return rc;
    mc = (struct xen_mc){ .cmd = XEN_MC_mceinject, .interface_version = XEN_MCA_INTERFACE_VERSION };
    mc.u.mc_mceinject.mceinj_cpunr = cpu;
    return hypercall_mca(&mc);
}

static long frame_sysctl(struct xen_sysctl_wren_frame *in, struct xen_sysctl_wren_frame *out)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_wren_frame };
    long rc;

    op.u.wren_frame = *in;
    rc = hypercall_sysctl(&op);
    if ( !rc )
        *out = op.u.wren_frame;
    return rc;
}

long xtf_frame_query(uint64_t mfn, struct xen_sysctl_wren_frame *f)
{
    struct xen_sysctl_wren_frame in = { .op = WREN_FRAME_QUERY, .mfn = mfn };

    return frame_sysctl(&in, f);
}

long xtf_frame_of_gfn(domid_t domid, uint64_t gfn, struct xen_sysctl_wren_frame *f)
{
    struct xen_sysctl_wren_frame in = { .op = WREN_FRAME_OF_GFN, .domid = domid, .gfn = gfn };

    return frame_sysctl(&in, f);
}

/*
 * A pending, unmasked upcall ends SCHEDOP_poll at once (Xen's rule), and
 * these tests never take upcalls, so one stray pending port (a console or
 * mailbox notification) would turn the sleep into a busy loop: the vCPU
 * would keep running and a real #MC from QEMU could land in it instead of
 * in the hypervisor (vmce-qemu). The upcall mask is set for the sleep.
 */
void xtf_vmce_sleep(uint64_t ns)
{
    static long port = -1;
    evtchn_port_t p;
    struct sched_poll poll = { .nr_ports = 1 };
    int id = xtf_vcpu_id();
    volatile struct vcpu_info *vi = xtf_vcpu_info(id < 0 ? 0 : (unsigned int)id);
    uint8_t mask = vi ? vi->evtchn_upcall_mask : 1;

    if ( vi )
        vi->evtchn_upcall_mask = 1;
    if ( port < 0 )
        port = evtchn_alloc_unbound(DOMID_SELF, 0);
    p = port < 0 ? 0 : (evtchn_port_t)port;
    set_xen_guest_handle(poll.ports, &p);
    poll.timeout = xtf_now() + ns;
    while ( xtf_now() < poll.timeout )
        hypercall_sched_op(SCHEDOP_poll, &poll);
    if ( vi )
        vi->evtchn_upcall_mask = mask;
}
