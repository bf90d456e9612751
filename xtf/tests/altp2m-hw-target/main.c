/*
 * altp2m-hw-target - helper domU for altp2m-vmfunc and altp2m-ve: a guest
 * (altp2m mixed mode) that switches its own views, by hypercall or by
 * VMFUNC, and handles #VE, on its controller's command through the
 * mailbox (include/xtf/mailbox.h), so that the controller (dom0) can
 * read this domain's VM-exit counter around exactly the work measured.
 *
 * Views: 1 remaps O onto A (change_gfn), so O reads A's word there;
 * 2 makes R read-only with suppress-#VE clear (a write is #VE); 3 makes
 * R read-only with suppress-#VE set (a write is an EPT violation for
 * the hypervisor). A measured command hands over twice: out[0] = 1
 * (ready, spinning without exits) until arg[3] = 1 (the controller read
 * the counter), the work, out[1] = 1 until arg[3] = 2 (read again).
 *
 * Prints its own findings; the verdict is the controller's. Powers off
 * on XTF_MB_EXIT. May not touch: anything but its own memory and views.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/x86.h>
#include <xtf/vcpu.h>
#include <public/hvm/hvm_op.h>
#include "../altp2m-hw-lib/ops.h"

const char test_title[] = "altp2m helper: switches views and handles #VE on command";

#define ACC_R   1
#define ACC_RWX 7
#define O_WORD  0x0b0b0b0b0b0b0b0bULL
#define A_WORD  0x0a0a0a0a0a0a0a0aULL

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static uint64_t page_a[PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static uint64_t page_o[PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static uint64_t page_r[PAGE_SIZE / 8] __aligned(PAGE_SIZE);
/* The #VE information area as the CPU fills it (SDM "Virtualization
 * Exceptions"); the rest of the page is unused. */
struct ve_info
{
    uint32_t reason; /* 48: EPT violation */
    uint32_t busy;   /* 0xffffffff from delivery until the handler clears it */
    uint64_t qualification, gla, gpa;
    uint16_t eptp_index;
};
static volatile struct ve_info ve_info __aligned(PAGE_SIZE);
static volatile uint64_t ves, ve_bad;

static uint64_t gfn_of(const volatile void *p)
{
    return (uintptr_t)p >> PAGE_SHIFT;
}

static long op(uint32_t cmd, struct xen_hvm_altp2m_op *a)
{
    a->version = HVMOP_ALTP2M_INTERFACE_VERSION;
    a->cmd = cmd;
    a->domain = DOMID_SELF;
    return hypercall_hvm_op(HVMOP_altp2m, a);
}

static long view_op(uint32_t cmd, uint16_t view)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.view.view = view;
    return op(cmd, &a);
}

static long idx(void)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc = op(HVMOP_altp2m_get_p2m_idx, &a);

    return rc ? rc : a.u.get_vcpu_p2m_idx.altp2m_idx;
}

/* VMFUNC leaf `leaf`, index `view`: 0, or the exception it raised. */
static uint64_t vmfunc(uint32_t leaf, uint32_t view)
{
    uint64_t ex = leaf;

    asm volatile("1: .byte 0x0f, 0x01, 0xd4; xor %%eax, %%eax; 2:" _ASM_EXTABLE(1b, 2b)
                 : "+a"(ex)
                 : "c"(view)
                 : "memory");
    return ex;
}

static void check(long *bad, const char *what, long got, long want)
{
    printf("  %-56s %ld %s\n", what, got, got == want ? "ok" : "WRONG");
    *bad += got != want;
}

/* ---- setup ---- */

static long access_op(uint32_t cmd, uint16_t view, uint64_t gfn, uint16_t access, uint8_t sve)
{
    struct xen_hvm_altp2m_op a = { 0 };

    if ( cmd == HVMOP_altp2m_set_suppress_ve )
    {
        a.u.suppress_ve.view = view;
        a.u.suppress_ve.suppress_ve = sve;
        a.u.suppress_ve.gfn = gfn;
        return op(cmd, &a);
    }
    a.u.mem_access.view = view;
    a.u.mem_access.access = access;
    a.u.mem_access.gfn = gfn;
    return op(cmd, &a);
}

static long get_access(uint16_t view, uint64_t gfn)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    a.u.mem_access.view = view;
    a.u.mem_access.gfn = gfn;
    rc = op(HVMOP_altp2m_get_mem_access, &a);
    return rc ? rc : a.u.mem_access.access;
}

static long setup(void)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long rc;

    page_a[0] = A_WORD;
    page_o[0] = O_WORD;
    a.u.domain_state.state = 1;
    rc = op(HVMOP_altp2m_set_domain_state, &a);
    for ( uint16_t v = 1; !rc && v <= 3; v++ )
    {
        a = (struct xen_hvm_altp2m_op){ 0 };
        rc = op(HVMOP_altp2m_create_p2m, &a);
        if ( !rc && a.u.view.view != v )
            rc = -XEN_EINVAL;
    }
    a = (struct xen_hvm_altp2m_op){ 0 };
    a.u.change_gfn.view = 1;
    a.u.change_gfn.old_gfn = gfn_of(page_o);
    a.u.change_gfn.new_gfn = gfn_of(page_a);
    rc = rc ?: op(HVMOP_altp2m_change_gfn, &a);
    rc = rc ?: access_op(HVMOP_altp2m_set_mem_access, 2, gfn_of(page_r), ACC_R, 0);
    rc = rc ?: access_op(HVMOP_altp2m_set_suppress_ve, 2, gfn_of(page_r), 0, 0);
    rc = rc ?: access_op(HVMOP_altp2m_set_mem_access, 3, gfn_of(page_r), ACC_R, 0);
    /* VMFUNC works if leaf 0 to view 0 (always in the list) does. */
    mb->out[0] = !rc && vmfunc(0, 0) == 0;
    printf("views 1-3 made (%ld); VMFUNC EPTP switching: %s\n", rc, mb->out[0] ? "yes" : "no");
    return rc;
}

/* ---- a measured command ---- */

static void handshake(unsigned int stage)
{
    mb->out[stage] = 1;
    smp_wmb();
    while ( mb->arg[3] < stage + 1 )
        cpu_relax();
}

static bool switch_to(bool by_vmfunc, uint16_t view)
{
    return by_vmfunc ? vmfunc(0, view) == 0 : view_op(HVMOP_altp2m_switch_p2m, view) == 0;
}

/* n round trips 0 -> 1 -> 0, reading O in each: A's word in view 1. */
static uint64_t round_trips(bool by_vmfunc, uint64_t n)
{
    volatile uint64_t *o = page_o;
    uint64_t wrong = 0;

    for ( uint64_t i = 0; i < n; i++ )
    {
        wrong += !switch_to(by_vmfunc, 1) || *o != A_WORD;
        wrong += !switch_to(by_vmfunc, 0) || *o != O_WORD;
    }
    return wrong;
}

/* n writes to R on view 2, each a #VE the handler answers by moving to
 * view 0 (the write is retried there); back to view 2 by VMFUNC. */
static uint64_t ve_trips(uint64_t n)
{
    volatile uint64_t *r = page_r;
    uint64_t wrong = 0, before = ves;

    for ( uint64_t i = 0; i < n; i++ )
    {
        wrong += vmfunc(0, 2) != 0;
        *r = i;
    }
    return wrong + (ves - before != n) + ve_bad;
}

static long measure(uint64_t what, uint64_t n)
{
    uint64_t wrong;

    /* Warm up: every page the loop touches is filled in every view. */
    wrong = what == MEASURE_VE ? ve_trips(2) : round_trips(what == MEASURE_VMFUNC, 2);
    handshake(0);
    if ( what == MEASURE_VE )
        wrong += ve_trips(n);
    else
        wrong += round_trips(what == MEASURE_VMFUNC, n);
    mb->out[2] = wrong;
    handshake(1);
    return wrong ? -XEN_EIO : 0;
}

/* ---- VMFUNC and the active view ---- */

static long visibility(uint16_t view, uint8_t visible)
{
    struct xen_hvm_altp2m_op a = { 0 };

    a.u.set_visibility.altp2m_idx = view;
    a.u.set_visibility.visible = visible;
    return op(HVMOP_altp2m_set_visibility, &a);
}

static long vmfunc_checks(void)
{
    long bad = 0;

    check(&bad, "VMFUNC to view 1", vmfunc(0, 1), 0);
    check(&bad, "get_p2m_idx after it (the view followed)", idx(), 1);
    check(&bad, "O shows A's word on view 1", page_o[0] == A_WORD, 1);
    check(&bad, "VMFUNC to view 7 (none): #UD", vmfunc(0, 7), EXINFO(X86_EXC_UD, 0));
    check(&bad, "... and the vCPU stays on view 1", idx(), 1);
    check(&bad, "VMFUNC index 600: #UD", vmfunc(0, 600), EXINFO(X86_EXC_UD, 0));
    check(&bad, "VMFUNC leaf 1: #UD", vmfunc(1, 0), EXINFO(X86_EXC_UD, 0));
    check(&bad, "hypercall switch to view 3", view_op(HVMOP_altp2m_switch_p2m, 3), 0);
    check(&bad, "VMFUNC back to view 0", vmfunc(0, 0), 0);
    check(&bad, "get_p2m_idx says 0", idx(), 0);
    check(&bad, "O shows its own word on view 0", page_o[0] == O_WORD, 1);
    check(&bad, "hide view 3 (set_visibility 0)", visibility(3, 0), 0);
    check(&bad, "VMFUNC to hidden view 3: #UD", vmfunc(0, 3), EXINFO(X86_EXC_UD, 0));
    check(&bad, "show view 3 again", visibility(3, 1), 0);
    check(&bad, "VMFUNC to view 3", vmfunc(0, 3), 0);
    check(&bad, "VMFUNC back to view 0", vmfunc(0, 0), 0);
    check(&bad, "destroy view 1 (not active)", view_op(HVMOP_altp2m_destroy_p2m, 1), 0);
    check(&bad, "VMFUNC to destroyed view 1: #UD", vmfunc(0, 1), EXINFO(X86_EXC_UD, 0));
    check(&bad, "... and the vCPU stays on view 0", idx(), 0);
    return bad;
}

/* ---- VMFUNC to a view made while the vCPU runs ---- */

#define STALE_ROUNDS 20

static volatile uint64_t stale_go, stale_ack, stale_uds;
static volatile uint16_t stale_view;

/* vCPU 1: spins (no exits) until told, then VMFUNCs to the view vCPU 0
 * made meanwhile, which is not in its EPTP list yet, and back. A #UD
 * or a wrong index afterwards counts. */
static void v1_main(unsigned int id)
{
    (void)id;
    for ( uint64_t seen = 0;; )
    {
        while ( stale_go == seen )
            cpu_relax();
        seen = stale_go;
        smp_rmb();
        stale_uds += vmfunc(0, stale_view) != 0;
        vmfunc(0, 0);
        /* The hypervisor learns where a VMFUNC went at the next exit:
         * this hypercall is one, so vCPU 0 may destroy the view. */
        stale_uds += idx() != 0;
        smp_wmb();
        stale_ack = seen;
    }
}

static long vmfunc_stale(void)
{
    static bool started;
    long rc = started ? 0 : xtf_vcpu_start(1, v1_main);

    started = !rc;
    for ( uint64_t i = 1; !rc && i <= STALE_ROUNDS; i++ )
    {
        struct xen_hvm_altp2m_op a = { 0 };

        rc = op(HVMOP_altp2m_create_p2m, &a);
        if ( rc )
            break;
        stale_view = a.u.view.view;
        smp_wmb();
        stale_go = i;
        while ( stale_ack != i )
            cpu_relax();
        rc = view_op(HVMOP_altp2m_destroy_p2m, stale_view); /* kicks vCPU 1: its list drops it */
    }
    printf("  vCPU 1: %lu #UDs in %u VMFUNCs to a view made since its entry (rc %ld)\n",
           (unsigned long)stale_uds, STALE_ROUNDS, rc);
    return rc ?: (long)stale_uds;
}

/* ---- #VE ---- */

static void ve_handler(struct cpu_regs *regs)
{
    (void)regs;
    if ( ve_info.reason != 48 || ve_info.busy != 0xffffffffU ||
         ve_info.gpa != gfn_of(page_r) << PAGE_SHIFT || ve_info.eptp_index != 2 )
    {
        if ( !ve_bad++ )
            printf("#VE info: reason %u busy %#x gpa %#lx index %u\n", ve_info.reason, ve_info.busy,
                   (unsigned long)ve_info.gpa, ve_info.eptp_index);
    }
    ves++;
    vmfunc(0, 0);     /* R is writable on view 0: the write is retried there */
    ve_info.busy = 0; /* the next violation may be #VE again */
}

static long ve_setup(void)
{
    struct xen_hvm_altp2m_op a = { 0 };
    long bad = 0;

    xtf_set_vector_handler(X86_EXC_VE, ve_handler);
    a.u.enable_notify.gfn = gfn_of(&ve_info);
    check(&bad, "vcpu_enable_notify", op(HVMOP_altp2m_vcpu_enable_notify, &a), 0);
    check(&bad, "vcpu_enable_notify again: -EEXIST", op(HVMOP_altp2m_vcpu_enable_notify, &a),
          -XEN_EEXIST);
    a.u.enable_notify.gfn = 0xfff00; /* in the hole: no frame */
    check(&bad, "disable_notify", op(HVMOP_altp2m_vcpu_disable_notify, &a), 0);
    check(&bad, "enable_notify on a gfn with no RAM: -EINVAL",
          op(HVMOP_altp2m_vcpu_enable_notify, &a), -XEN_EINVAL);
    a.u.enable_notify.gfn = gfn_of(&ve_info);
    check(&bad, "vcpu_enable_notify", op(HVMOP_altp2m_vcpu_enable_notify, &a), 0);
    return bad;
}

/* A write on view 3 (suppress-#VE set): the hypervisor's, not a #VE.
 * With nobody listening it resets R to rwx there and the write lands. */
static long ve_suppressed(void)
{
    long bad = 0;
    uint64_t before = ves;

    /* The SDM defines 2 bytes at offset 32; show what follows them too. */
    printf("  #VE information after the last one: qualification %#lx, gla %#lx, "
           "bytes 32-39 %#lx\n",
           (unsigned long)ve_info.qualification, (unsigned long)ve_info.gla,
           (unsigned long)*(volatile uint64_t *)((uintptr_t)&ve_info + 32));
    check(&bad, "VMFUNC to view 3", vmfunc(0, 3), 0);
    page_r[0] = 0x3333;
    check(&bad, "VMFUNC to view 0", vmfunc(0, 0), 0);
    check(&bad, "no #VE for view 3's write", ves - before, 0);
    check(&bad, "the write landed", page_r[0], 0x3333);
    check(&bad, "view 3's R reset to rwx (nobody listens)", get_access(3, gfn_of(page_r)), ACC_RWX);
    return bad;
}

static long serve(uint32_t cmd, uint32_t nr)
{
    (void)nr;
    switch ( cmd )
    {
    case XTF_MB_NOP:
    case XTF_MB_EXIT: return 0;
    case OP_SETUP: return setup();
    case OP_MEASURE: return measure(mb->arg[0], mb->arg[1]);
    case OP_VMFUNC_CHECKS: return vmfunc_checks();
    case OP_VE_SETUP: return ve_setup();
    case OP_VE_SUPPRESSED: return ve_suppressed();
    case OP_VMFUNC_STALE: return vmfunc_stale();
    default: return -XEN_EOPNOTSUPP;
    }
}

void test_main(void)
{
    xtf_mb_serve(serve);
}
