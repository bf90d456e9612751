/*
 * npf.c - what happens when a guest access faults in the second stage
 * (SVM nested page fault, VMX EPT violation or misconfiguration).
 *
 * In order: a vCPU on an altp2m view has its fault seen by the view code
 * first (altp2m_fault.c), which may hand it on as a host fault on the
 * source gfn; a pending lazy type change on the path is resolved and the
 * guest retries; an access the entry now allows (another CPU fixed it)
 * is retried, and so is an EPT misconfiguration whose mark another CPU
 * resolved first; an access to RAM that the entry's type allows but its
 * access refuses goes to mem_access (vm_event.h: an event to a listener,
 * or Xen's rule without one); a write to ram_logdirty goes to the log-dirty code
 * (logdirty.c: logged, and the page or its superpage becomes ram_rw); a
 * write to ram_shared unshares the gfn (mem_sharing.c: a private copy,
 * or the frame itself if no other entry maps it); a
 * write to ram_ro, or to a foreign mapping made read-only, is dropped:
 * the instruction is decoded and skipped, so the guest sees no fault and
 * the page no change; a write to a read-only
 * grant mapping (grant_map_ro) is a #GP in the guest, as in Xen; a write
 * to p2m_ioreq_server is emulated, its writes to such pages going to the
 * type's IOREQ server (xen/ioreq.h) or, with none, to RAM. A data
 * access to a gfn with no RAM behind it (no entry, or mmio_dm) is emulated
 * (emulate.c): an MMIO device from the registry, else the hole Xen shows a
 * guest with no device model. Anything else crashes the domain with the
 * reason.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vmce.h>
#include <xen/vm_event.h>
#include <xen/guest_access.h>
#include <xen/altp2m.h>
#include <asm/hvm.h>
#include <asm/x86_decode.h>
#include <asm/hvm_emulate.h>

#define MAX_INSN_LEN 15

static bool access_allowed(p2m_type_t t, p2m_access_t a, const struct hvm_exit *e)
{
    unsigned int have = p2m_type_rights(t) & a;
    return (!e->npf_read || (have & p2m_access_r)) && (!e->npf_write || (have & p2m_access_w)) &&
           (!e->npf_exec || (have & p2m_access_x));
}

/* The access as p2m rights, and as vm_event's MEM_ACCESS_* bits. */
static unsigned int wanted(const struct hvm_exit *e)
{
    return (e->npf_read ? p2m_access_r : 0) | (e->npf_write ? p2m_access_w : 0) |
           (e->npf_exec ? p2m_access_x : 0);
}

static uint32_t access_kinds(const struct hvm_exit *e)
{
    return (e->npf_read ? MEM_ACCESS_R : 0) | (e->npf_write ? MEM_ACCESS_W : 0) |
           (e->npf_exec ? MEM_ACCESS_X : 0) | (e->npf_guest_walk ? MEM_ACCESS_FAULT_IN_GPT : 0);
}

/* RAM whose type allows the access and whose access right refuses it. */
static bool refused_by_access(p2m_type_t t, p2m_access_t a, const struct hvm_exit *e)
{
    unsigned int want = wanted(e);
    return p2m_is_ram(t) && (p2m_type_rights(t) & want) == want && (a & want) != want;
}

/* Fetch the bytes at the guest's RIP, as many as are mapped (up to 15). */
size_t hvm_fetch_insn(struct vcpu *v, uint8_t *buf)
{
    size_t n = MAX_INSN_LEN;
    while ( n && copy_from_guest(buf, v->arch.regs.rip, n) )
        n = MIN(n - 1, (size_t)(PAGE_SIZE - (v->arch.regs.rip & (PAGE_SIZE - 1))));
    return n;
}

/* Skip the write instruction at RIP. 0, or -errno with why set. */
static int drop_write(struct vcpu *v, const char **why)
{
    struct hvm_guest_state st;
    struct x86_insn insn;
    uint8_t bytes[MAX_INSN_LEN];
    size_t n = hvm_fetch_insn(v, bytes);
    hvm_vendor->get_guest_state(v, &st);
    if ( !n || x86_decode(bytes, n, st.long_mode ? X86_MODE_LONG64 : X86_MODE_PROT32, &insn) )
    {
        *why = "cannot decode the instruction writing to a read-only page";
        return -EINVAL;
    }
    if ( !insn.has_mem )
    {
        *why = "write fault from an instruction with no memory operand";
        return -EINVAL;
    }
    v->arch.regs.rip += insn.length;
    v->domain->ro_writes_dropped++;
    return 0;
}

/* RAM whose writes are dropped: ram_ro, and a foreign mapping made
 * read-only (WREN_MAPSPACE_gmfn_foreign_ro), which public/wren.h says
 * faults as a read-only page of the mapping domain's own would. */
static bool read_only_ram(p2m_type_t t, p2m_access_t a)
{
    return t == p2m_ram_ro || (t == p2m_map_foreign && !(a & p2m_access_w));
}

static void crash_npf(struct vcpu *v, const struct hvm_exit *e, p2m_type_t t, const char *what)
{
    char why[160];
    snprintf(why, sizeof(why), "%s%s%s access to gpa %#lx (p2m type %u) at rip %#lx: %s",
             e->npf_read ? "r" : "", e->npf_write ? "w" : "", e->npf_exec ? "x" : "", e->gpa, t,
             v->arch.regs.rip, what);
    domain_crash(v->domain, why);
}

/* Retries of the same misconfiguration, back to back, before it counts
 * as a bad entry rather than a race. */
#define MISCONFIG_RETRIES 16

/*
 * Two vCPUs reach the same marked entry; one resolves it, the other finds
 * nothing pending: its misconfiguration is stale, retry. Wren writes no
 * misconfigured entry but a mark, so one that stays misconfigured after
 * that many immediate retries is a backend bug: give up then.
 */
static bool misconfig_raced(struct vcpu *v, const struct hvm_exit *e)
{
    static struct
    {
        const struct vcpu *v;
        uint64_t gpa, exit;
        unsigned int n;
    } last[NR_CPUS];
    unsigned int cpu = smp_processor_id();
    bool again = last[cpu].v == v && last[cpu].gpa == e->gpa && last[cpu].exit + 1 == v->exits;
    last[cpu].n = again ? last[cpu].n + 1 : 1;
    last[cpu].v = v;
    last[cpu].gpa = e->gpa;
    last[cpu].exit = v->exits;
    return last[cpu].n <= MISCONFIG_RETRIES;
}

/* The access that faulted, as p2m_access_t bits. */
static unsigned int npf_kind(const struct hvm_exit *e)
{
    return (e->npf_read ? p2m_access_r : 0) | (e->npf_write ? p2m_access_w : 0) |
           (e->npf_exec ? p2m_access_x : 0);
}

void hvm_handle_npf(struct vcpu *v, const struct hvm_exit *e)
{
    struct p2m_domain *p2m = &v->domain->p2m;
    uint64_t src = e->gpa >> PAGE_SHIFT;
    gfn_t gfn;
    const char *why = "no mapping allows it";
    p2m_type_t t;
    p2m_access_t a;
    v->vm_event.fault_offset = e->gpa & (PAGE_SIZE - 1); /* for a mem_access event */
    /* In a view: filled from the host, or the view's own access; else a
     * host fault on the gfn the view's entry derives from. */
    if ( ACCESS_ONCE(v->domain->altp2m.active) &&
         altp2m_npf(v, src, npf_kind(e), &src) == ALTP2M_NPF_RETRY )
        return;
    gfn = _gfn(src);
    if ( p2m_resolve_fault(p2m, gfn) > 0 )
        return;
    p2m_lookup(p2m, gfn, &t, &a, NULL);
    if ( e->reason == HVM_EXIT_NPF_MISCONFIG )
    {
        if ( !misconfig_raced(v, e) )
            crash_npf(v, e, t, "EPT misconfiguration with no pending type change");
        return;
    }
    if ( access_allowed(t, a, e) )
        return;
    if ( refused_by_access(t, a, e) )
    {
        mem_access_host_violation(v, gfn, access_kinds(e), e->gpa & (PAGE_SIZE - 1));
        return;
    }
    if ( (t == p2m_invalid || t == p2m_mmio_dm) && !e->npf_exec && !e->npf_guest_walk )
    {
        hvm_emulate_mmio(v, e);
        return;
    }
    if ( e->npf_write && t == p2m_ram_logdirty && logdirty_handle_write_fault(v, gfn_x(gfn)) )
        return;
    if ( e->npf_write && t == p2m_ram_shared )
    {
        mem_sharing_unshare_fault(v, gfn); /* retried, or crashed with the reason */
        return;
    }
    if ( e->npf_write && t == p2m_ioreq_server && !e->npf_exec && !e->npf_guest_walk )
    {
        hvm_emulate_mmio(v, e); /* to the type's IOREQ server, or to RAM */
        return;
    }
    if ( e->npf_write && read_only_ram(t, a) && !e->npf_guest_walk && !drop_write(v, &why) )
        return;
    if ( t == p2m_ram_broken )
    {
        vmce_broken_access(v, gfn, e->gpa); /* a vMCE, as the hardware would */
        return;
    }
    if ( e->npf_write && t == p2m_grant_map_ro && !e->npf_guest_walk )
    {
        hvm_vendor->inject_exception(v, 13 /* #GP */, 0);
        return;
    }
    if ( e->npf_guest_walk )
        why = "the guest's own page-table walk needs this page writable";
    crash_npf(v, e, t, why);
}
