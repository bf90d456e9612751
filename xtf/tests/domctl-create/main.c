/*
 * domctl-create - dom0 builds, runs and destroys domains itself, the way
 * a toolstack does, instead of the hypervisor's boot-module builder.
 *
 * Each of ITERATIONS rounds: XEN_DOMCTL_createdomain (any id) gives a
 * paused domain with no memory and its vCPU down; dom0 sets max_mem,
 * populates GUEST_MIB of RAM on it, writes a tiny 32-bit program at
 * 1 MiB through a foreign mapping (console_io write of a known line,
 * its return value stored, SCHEDOP_shutdown poweroff), gives vCPU 0 the
 * PVH entry state with XEN_DOMCTL_sethvmcontext and unpauses it. The
 * domain must run: VIRQ_DOM_EXC fires, getdomaininfo says poweroff, and
 * the stored console_io result is 0 (it was 0xdeadbeef). After the destroy
 * the host's free pages must be back at the baseline.
 *
 * Round 0 also checks the other calls a toolstack makes on a new
 * domain: getvcpuinfo, setdomainhandle and the handle in getdomaininfo,
 * getdomaininfolist, HVM params set and read by dom0, an unbound port
 * allocated in the domain for dom0, XENMEM_set_memory_map, a foreign map
 * past the domain's memory (a per-frame error), sethvmcontext on a
 * running domain (-EBUSY), gethvmcontext of the vCPU that ran (RIP after
 * its last hypercall), and readconsole (the guest's line and the
 * creation are in the ring; an incremental read sees only what is new;
 * after a clearing read the ring is empty).
 *
 * Error paths, each followed by the free-pages check: configurations
 * createdomain must refuse (-EINVAL), an id in use (-EEXIST), bad HVM
 * context records (-EINVAL, the vCPU stays down), populate beyond
 * max_mem (stops at the limit), and a domain made with max_evtchn_port 3
 * and 2 grant frames (ports 1-3, then -ENOSPC; query_size says 2). Last, a domain destroyed while dom0
 * still maps one of its frames stays, dying (getdomaininfo and the
 * list), with its id
 * taken (-EEXIST) and the frame intact, until the mapping goes; then it
 * is gone (-ESRCH) and every frame is back.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/evtchn.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/memory.h>
#include <public/grant_table.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

const char test_title[] = "dom0 builds, runs and destroys domains with createdomain";

#define ITERATIONS 10
#define GUEST_MIB  4
#define CODE_GFN   0x100UL /* the program, at 1 MiB */
#define CODE_GPA   (CODE_GFN << PAGE_SHIFT)
#define MSG_OFF    0x100
#define RES_OFF    0x200
#define ARG_OFF    0x210
#define LOCAL_GFN  0x7f300UL /* where dom0 maps the guest's page */
#define WAIT_POLLS 2000000UL

static const char msg[] = "domctl-create: hello from a domain dom0 built\n";
static uint32_t hlt_gpa; /* where the program stops */
static long dom_exc;
static uint64_t baseline;

static uint8_t *local(void)
{
    return (uint8_t *)(uintptr_t)(LOCAL_GFN << PAGE_SHIFT);
}

static uint8_t *imm32(uint8_t *p, uint8_t opcode, uint32_t imm)
{
    *p++ = opcode;
    memcpy(p, &imm, 4);
    return p + 4;
}

/* VMCALL or VMMCALL: the 32-bit guest has no hypercall page. */
static uint8_t *hcall(uint8_t *p)
{
    *p++ = 0x0f;
    *p++ = 0x01;
    *p++ = xtf_hc_vmmcall ? 0xd9 : 0xc1;
    return p;
}

/* console_io(write, len, msg); [res] = eax; sched_op(shutdown, &poweroff) */
static void write_program(uint8_t *page)
{
    uint8_t *p = page;
    uint32_t res = 0xdeadbeef, reason = SHUTDOWN_poweroff;

    p = imm32(p, 0xb8, __HYPERVISOR_console_io);
    p = imm32(p, 0xbb, CONSOLEIO_write);
    p = imm32(p, 0xb9, sizeof(msg) - 1);
    p = imm32(p, 0xba, CODE_GPA + MSG_OFF);
    p = hcall(p);
    p = imm32(p, 0xa3, CODE_GPA + RES_OFF); /* mov [res], eax */
    p = imm32(p, 0xb8, __HYPERVISOR_sched_op);
    p = imm32(p, 0xbb, SCHEDOP_shutdown);
    p = imm32(p, 0xb9, CODE_GPA + ARG_OFF);
    p = hcall(p);
    hlt_gpa = CODE_GPA + (uint32_t)(p - page);
    *p++ = 0xf4; /* hlt; jmp .-1 */
    *p++ = 0xeb;
    *p++ = 0xfd;
    memcpy(page + MSG_OFF, msg, sizeof(msg));
    memcpy(page + RES_OFF, &res, 4);
    memcpy(page + ARG_OFF, &reason, 4);
}

static bool frames_back(const char *after)
{
    uint64_t now = xtf_free_pages();

    if ( now == baseline )
        return true;
    xtf_failure("after %s: %ld frames not returned", after, (long)(baseline - now));
    return false;
}

static bool destroy(domid_t d, const char *after)
{
    long rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, d);

    if ( rc )
        return xtf_failure("destroy d%u: %ld", d, rc), false;
    return !after || frames_back(after); /* NULL: others still hold frames */
}

static bool create(domid_t *d)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    long rc = xtf_createdomain(0, &c, d);

    if ( rc )
        xtf_failure("createdomain: %ld", rc);
    return !rc;
}

/* max_mem, RAM, the program: what a builder does before the context. */
static bool fill(domid_t d)
{
    long rc = xtf_set_max_mem(d, GUEST_MIB * 1024);

    if ( rc )
        return xtf_failure("max_mem d%u: %ld", d, rc), false;
    rc = xtf_populate(d, 0, 9, GUEST_MIB / 2);
    if ( rc != GUEST_MIB / 2 )
        return xtf_failure("populate d%u: %ld of %u 2M extents", d, rc, GUEST_MIB / 2), false;
    rc = xtf_map_foreign(d, CODE_GFN, LOCAL_GFN);
    if ( rc )
        return xtf_failure("map d%u gfn %#lx: %ld", d, CODE_GFN, rc), false;
    write_program(local());
    rc = xtf_unmap_local(LOCAL_GFN);
    if ( rc )
        return xtf_failure("unmap: %ld", rc), false;
    return true;
}

static long set_entry(domid_t d)
{
    static uint8_t buf[XTF_HVM_CTX_ONE];
    struct hvm_hw_cpu cpu;

    xtf_hvm_cpu_pvh(&cpu, CODE_GPA, 0);
    return xtf_sethvmcontext(d, buf, xtf_hvm_context_one(buf, &cpu, 0));
}

static bool wait_dom_exc(domid_t d)
{
    for ( unsigned long i = 0; i < WAIT_POLLS; i++ )
    {
        if ( evtchn_test_pending((evtchn_port_t)dom_exc) )
        {
            evtchn_clear_pending((evtchn_port_t)dom_exc);
            return true;
        }
        hypercall_yield();
    }
    return xtf_failure("d%u: no VIRQ_DOM_EXC", d), false;
}

/* The domain ran the program: it powered off, console_io said len. */
static bool check_ran(domid_t d)
{
    unsigned int reason = ~0U;
    uint32_t res = 0;
    long rc = xtf_wait_shutdown(d, 1000, &reason);

    if ( rc || reason != SHUTDOWN_poweroff )
        return xtf_failure("d%u: shutdown rc %ld reason %u, not poweroff", d, rc, reason), false;
    if ( (rc = xtf_map_foreign(d, CODE_GFN, LOCAL_GFN)) )
        return xtf_failure("map d%u again: %ld", d, rc), false;
    memcpy(&res, local() + RES_OFF, 4);
    xtf_unmap_local(LOCAL_GFN);
    if ( res != 0 ) /* Xen's CONSOLEIO_write returns 0 */
        return xtf_failure("d%u: console_io returned %#x, not 0", d, res), false;
    return true;
}

/* ---- round 0: the rest of what a toolstack calls ------------------------ */

static bool expect(const char *what, long got, long want)
{
    if ( got == want )
        return true;
    xtf_failure("%s: got %ld, expected %ld", what, got, want);
    return false;
}

static long param(domid_t d, uint32_t op, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = d, .index = index, .value = *value };
    long rc = hypercall_hvm_op(op, &p);

    *value = p.value;
    return rc;
}

/* What the builder sets for xenstore and the console, read back. */
static bool params_ok(domid_t d)
{
    static const uint32_t idx[] = { HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN,
                                    HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN };
    bool ok = true;

    for ( unsigned int i = 0; i < ARRAY_SIZE(idx); i++ )
    {
        uint64_t v = 0x9c + i;

        ok &= expect("set_param", param(d, HVMOP_set_param, idx[i], &v), 0);
        v = 0;
        ok &= expect("get_param", param(d, HVMOP_get_param, idx[i], &v), 0);
        ok &= expect("param value", (long)v, 0x9c + i);
    }
    return ok;
}

static bool port_for_dom0(domid_t d)
{
    struct evtchn_status st;
    long port = evtchn_alloc_unbound(d, 0);

    if ( port <= 0 )
        return xtf_failure("alloc_unbound in d%u for d0: %ld", d, port), false;
    if ( evtchn_status(d, (evtchn_port_t)port, &st) )
        return xtf_failure("status of d%u port %ld failed", d, port), false;
    return expect("unbound port's state", st.status, EVTCHNSTAT_unbound) &&
           expect("unbound port's remote", st.u.unbound.dom, 0);
}

static long set_memmap(domid_t d, uint32_t n)
{
    static struct xen_e820_entry e[129];
    struct xen_foreign_memory_map fm = { .domid = d, .map.nr_entries = n };

    for ( uint32_t i = 0; i < n && i < ARRAY_SIZE(e); i++ )
        e[i] = (struct xen_e820_entry){ (uint64_t)i << 20, 1 << 20, E820_RAM };
    set_xen_guest_handle(fm.map.buffer, e);
    return hypercall_memory_op(XENMEM_set_memory_map, &fm);
}

static bool info_ok(domid_t d, const uint8_t *handle)
{
    struct xen_domctl_getdomaininfo info;

    if ( xtf_getdomaininfo(d, &info) )
        return xtf_failure("getdomaininfo d%u", d), false;
    if ( !(info.flags & XEN_DOMINF_paused) || info.nr_online_vcpus ||
         info.tot_pages != GUEST_MIB * 256 || memcmp(info.handle, handle, 16) )
        return xtf_failure("d%u before its context: flags %#x online %u pages %lu or handle wrong",
                           d, info.flags, info.nr_online_vcpus, (unsigned long)info.tot_pages),
               false;
    return true;
}

static bool list_ok(domid_t d)
{
    static struct xen_domctl_getdomaininfo infos[4];
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_getdomaininfolist };
    long rc;

    op.u.getdomaininfolist.first_domain = d;
    op.u.getdomaininfolist.max_domains = ARRAY_SIZE(infos);
    set_xen_guest_handle(op.u.getdomaininfolist.buffer, infos);
    rc = hypercall_sysctl(&op);
    if ( rc || op.u.getdomaininfolist.num_domains != 1 || infos[0].domain != d ||
         infos[0].tot_pages != GUEST_MIB * 256 )
        return xtf_failure("getdomaininfolist from d%u: rc %ld, %u domains, first d%u", d, rc,
                           op.u.getdomaininfolist.num_domains, infos[0].domain),
               false;
    return true;
}

static bool vcpu_online_is(domid_t d, unsigned int want)
{
    struct xen_domctl_getvcpuinfo vi;
    long rc = xtf_getvcpuinfo(d, 0, &vi);

    if ( rc || vi.online != want )
        return xtf_failure("d%u vCPU 0: rc %ld online %u, expected %u", d, rc, vi.online, want),
               false;
    return true;
}

static bool checks_before_run(domid_t d)
{
    static const uint8_t handle[16] = "wren-toolstack!";
    struct xen_domctl h = { .cmd = XEN_DOMCTL_setdomainhandle, .domain = d };
    struct xen_domctl_getvcpuinfo vi;
    bool ok;

    memcpy(h.u.setdomainhandle.handle, handle, 16);
    ok = expect("setdomainhandle", hypercall_domctl(&h), 0) && info_ok(d, handle) && list_ok(d);
    ok = ok && vcpu_online_is(d, 0) &&
         expect("getvcpuinfo of vCPU 1", xtf_getvcpuinfo(d, 1, &vi), -XEN_EINVAL);
    ok = ok && params_ok(d) && port_for_dom0(d);
    ok = ok && expect("set_memory_map", set_memmap(d, 3), 0) &&
         expect("set_memory_map of 129 entries", set_memmap(d, 129), -XEN_EINVAL);
    /* A frame past the domain's RAM: this entry fails, the call does not. */
    ok = ok && expect("foreign map past RAM", xtf_map_foreign(d, GUEST_MIB * 256 + 5, LOCAL_GFN),
                      -XEN_EINVAL);
    return ok;
}

/* Is text somewhere in the hypervisor's console ring? */
static bool ring_has(const char *text)
{
    static char buf[16384 + 1];
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_readconsole };
    long rc;

    op.u.readconsole.count = sizeof(buf) - 1;
    set_xen_guest_handle(op.u.readconsole.buffer, buf);
    rc = hypercall_sysctl(&op);
    if ( rc || op.u.readconsole.count > sizeof(buf) - 1 )
        return xtf_failure("readconsole: %ld", rc), false;
    buf[op.u.readconsole.count] = '\0';
    if ( strstr(buf, text) )
        return true;
    return xtf_failure("'%s' not in the console ring (%u bytes)", text, op.u.readconsole.count),
           false;
}

static long readconsole(char *buf, uint32_t size, bool incremental, bool clear, uint32_t *index,
                        uint32_t *count)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_readconsole };
    long rc;

    op.u.readconsole.count = size;
    op.u.readconsole.incremental = incremental;
    op.u.readconsole.clear = clear;
    op.u.readconsole.index = *index;
    set_xen_guest_handle(op.u.readconsole.buffer, buf);
    rc = hypercall_sysctl(&op);
    *index = op.u.readconsole.index;
    *count = op.u.readconsole.count;
    return rc;
}

/* An incremental read from where the last one ended sees only what was
 * printed since; after a clearing read the ring is empty. */
static bool ring_incremental_and_clear(void)
{
    static char buf[4096];
    uint32_t idx = 0, n = 0;
    domid_t e;

    if ( readconsole(buf, sizeof(buf), false, false, &idx, &n) || !n )
        return xtf_failure("readconsole: %u bytes", n), false;
    while ( n == sizeof(buf) ) /* read up to the end */
        readconsole(buf, sizeof(buf), true, false, &idx, &n);
    if ( !create(&e) || !destroy(e, NULL) )
        return false;
    if ( readconsole(buf, sizeof(buf) - 1, true, false, &idx, &n) )
        return xtf_failure("incremental readconsole failed"), false;
    buf[n] = '\0';
    if ( !strstr(buf, "created by d0") || strstr(buf, "Wren XTF") )
        return xtf_failure("incremental read of %u bytes is not just the new lines", n), false;
    readconsole(buf, sizeof(buf), false, true, &idx, &n); /* read and clear */
    while ( n == sizeof(buf) )
        readconsole(buf, sizeof(buf), true, true, &idx, &n);
    if ( readconsole(buf, sizeof(buf), false, false, &idx, &n) || n )
        return xtf_failure("%u bytes in the ring after a clearing read", n), false;
    return true;
}

/* The saved CPU record of a vCPU that ran (and left its CPU): it stopped
 * right after its shutdown hypercall, in 32-bit protected mode. */
static bool saved_after_run(domid_t d)
{
    static uint8_t buf[XTF_HVM_CTX_SAVED_MAX(1)];
    const struct hvm_hw_cpu *cpu = (const void *)(buf + 8 + HVM_SAVE_LENGTH_HEADER + 8);
    uint32_t size = sizeof(buf);
    long rc = xtf_gethvmcontext(d, buf, &size);

    if ( rc || size != XTF_HVM_CTX_SAVED(1) )
        return xtf_failure("gethvmcontext after the run: rc %ld size %u", rc, size), false;
    return expect("saved RIP after the run", (long)cpu->rip, hlt_gpa) &&
           expect("saved EAX (sched_op's 0)", (long)cpu->rax, 0) &&
           expect("saved CR0", (long)cpu->cr0, 0x11) &&
           expect("saved CS attributes", (long)cpu->cs_arbytes, 0xc9b);
}

static bool checks_after_run(domid_t d)
{
    char created[32];

    snprintf(created, sizeof(created), "d%u: created by d0", d);
    return expect("sethvmcontext while not paused", set_entry(d), -XEN_EBUSY) &&
           saved_after_run(d) && ring_has("domctl-create: hello from a domain dom0 built") &&
           ring_has(created) && ring_incremental_and_clear();
}

/* ---- error paths ---------------------------------------------------------- */

static bool refused(const char *what, struct xen_domctl_createdomain c, domid_t want, long err)
{
    domid_t d = 0;
    long rc = xtf_createdomain(want, &c, &d);

    if ( rc == err )
        return true;
    xtf_failure("createdomain with %s: %ld, expected %ld", what, rc, err);
    if ( !rc )
        xtf_domctl_simple(XEN_DOMCTL_destroydomain, d);
    return false;
}

static bool bad_configs(void)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    bool ok = true;

    c.flags = XEN_DOMCTL_CDF_hvm;
    ok &= refused("no HAP", c, 0, -XEN_EINVAL);
    c = xtf_pvh_config(1);
    c.flags |= XEN_DOMCTL_CDF_iommu;
    ok &= refused("iommu", c, 0, -XEN_EINVAL);
    c = xtf_pvh_config(0);
    ok &= refused("0 vCPUs", c, 0, -XEN_EINVAL);
    c = xtf_pvh_config(4096);
    ok &= refused("4096 vCPUs", c, 0, -XEN_EINVAL);
    c = xtf_pvh_config(1);
    c.arch.emulation_flags = 0;
    ok &= refused("no LAPIC", c, 0, -XEN_EINVAL);
    c.arch.emulation_flags = XEN_X86_EMU_LAPIC | XEN_X86_EMU_IOAPIC;
    ok &= refused("an IOAPIC", c, 0, -XEN_EINVAL);
    c = xtf_pvh_config(1);
    c.max_grant_frames = 100000;
    ok &= refused("100000 grant frames", c, 0, -XEN_EINVAL);
    c = xtf_pvh_config(1);
    c.max_evtchn_port = 1U << 20;
    ok &= refused("2^20 ports", c, 0, -XEN_EINVAL);
    ok &= refused("a reserved id", xtf_pvh_config(1), DOMID_FIRST_RESERVED, -XEN_EINVAL);
    return ok && frames_back("refused configurations");
}

static bool ids(void)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    domid_t a, b = 0;
    long rc;

    if ( !create(&a) )
        return false;
    if ( !refused("an id in use", c, a, -XEN_EEXIST) )
        return false;
    rc = xtf_createdomain(200, &c, &b);
    if ( rc || b != 200 )
        return xtf_failure("createdomain asking for 200: rc %ld id %u", rc, b), false;
    return destroy(b, NULL) && destroy(a, "the id test");
}

/* One bad context: -EINVAL, and vCPU 0 still down. */
static bool bad_context(domid_t d, const char *what, const void *buf, uint32_t size)
{
    return expect(what, xtf_sethvmcontext(d, buf, size), -XEN_EINVAL) && vcpu_online_is(d, 0);
}

static bool bad_contexts(void)
{
    static uint8_t buf[XTF_HVM_CTX_ONE + 16];
    struct hvm_save_descriptor *cpu_desc = (void *)(buf + 8 + HVM_SAVE_LENGTH_HEADER);
    struct hvm_save_header *hdr = (void *)(buf + 8);
    struct hvm_hw_cpu cpu;
    uint32_t len;
    domid_t d;
    bool ok = true;

    if ( !create(&d) || !fill(d) )
        return false;
    xtf_hvm_cpu_pvh(&cpu, CODE_GPA, 0);
    len = xtf_hvm_context_one(buf, &cpu, 0);
    hdr->magic ^= 1;
    ok &= bad_context(d, "bad magic", buf, len);
    len = xtf_hvm_context_one(buf, &cpu, 1);
    ok &= bad_context(d, "CPU record of vCPU 1 of 1", buf, len);
    len = xtf_hvm_context_one(buf, &cpu, 0);
    cpu_desc->typecode = 99;
    ok &= bad_context(d, "unknown typecode", buf, len);
    len = xtf_hvm_context_one(buf, &cpu, 0);
    ok &= bad_context(d, "no END", buf, len - 8);
    cpu_desc->length = 100;
    ok &= bad_context(d, "short CPU record", buf, len);
    cpu.cr0 = 0x10; /* real mode: not what PVH or VCPUOP_initialise take */
    len = xtf_hvm_context_one(buf, &cpu, 0);
    ok &= bad_context(d, "CR0 without PE", buf, len);
    xtf_hvm_cpu_pvh(&cpu, CODE_GPA, 0);
    cpu.cs_arbytes = 0xc93; /* a data segment in CS */
    len = xtf_hvm_context_one(buf, &cpu, 0);
    ok &= bad_context(d, "data segment in CS", buf, len);
    ok &= bad_context(d, "1 MiB context", buf, 1U << 20);
    xtf_hvm_cpu_pvh(&cpu, CODE_GPA, 0);
    ok = ok && expect("good context", set_entry(d), 0) && vcpu_online_is(d, 1);
    return destroy(d, "bad HVM contexts") && ok;
}

static bool over_max_mem(void)
{
    struct xen_domctl_getdomaininfo info;
    domid_t d;
    long rc;
    bool ok;

    if ( !create(&d) )
        return false;
    ok = expect("max_mem 3 MiB", xtf_set_max_mem(d, 3 * 1024), 0);
    rc = xtf_populate(d, 0, 9, 2);
    ok = ok && expect("2M extents populated under a 3M limit", rc, 1);
    ok = ok && !xtf_getdomaininfo(d, &info) && expect("tot_pages", (long)info.tot_pages, 512);
    ok = ok && expect("4K frames up to the limit", xtf_populate(d, 0x200, 0, 64), 64);
    return destroy(d, "populate over max_mem") && ok;
}

/* getdomaininfolist lists a dying domain too, as Xen's does. */
static bool listed_dying(domid_t d)
{
    static struct xen_domctl_getdomaininfo infos[2];
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_getdomaininfolist };
    long rc;

    op.u.getdomaininfolist.first_domain = d;
    op.u.getdomaininfolist.max_domains = ARRAY_SIZE(infos);
    set_xen_guest_handle(op.u.getdomaininfolist.buffer, infos);
    rc = hypercall_sysctl(&op);
    if ( rc || op.u.getdomaininfolist.num_domains != 1 || infos[0].domain != d ||
         !(infos[0].flags & XEN_DOMINF_dying) )
        return xtf_failure("getdomaininfolist from dying d%u: rc %ld, %u domains, flags %#x", d, rc,
                           op.u.getdomaininfolist.num_domains, infos[0].flags),
               false;
    return true;
}

/* Destroyed with a frame still mapped by dom0: dying, its id taken, its
 * frame readable, until the mapping goes; then gone and every frame back. */
static bool zombie(void)
{
    struct xen_domctl_getdomaininfo info;
    domid_t d, e;
    long rc;

    if ( !create(&d) || !fill(d) )
        return false;
    if ( (rc = xtf_map_foreign(d, CODE_GFN, LOCAL_GFN)) )
        return xtf_failure("map d%u: %ld", d, rc), false;
    if ( !destroy(d, NULL) )
        return false;
    rc = xtf_getdomaininfo(d, &info);
    if ( rc || !(info.flags & XEN_DOMINF_dying) || info.tot_pages != 1 )
        return xtf_failure("destroyed d%u with a mapped frame: rc %ld flags %#x pages %lu", d, rc,
                           info.flags, (unsigned long)info.tot_pages),
               false;
    if ( !listed_dying(d) )
        return false;
    if ( !refused("a dying domain's id", xtf_pvh_config(1), d, -XEN_EEXIST) || !create(&e) ||
         !expect("a new domain's id is not the dying one's", e != d, 1) || !destroy(e, NULL) )
        return false;
    if ( memcmp(local() + MSG_OFF, msg, sizeof(msg)) )
        return xtf_failure("the dying domain's frame lost its contents"), false;
    if ( (rc = xtf_unmap_local(LOCAL_GFN)) )
        return xtf_failure("unmap: %ld", rc), false;
    if ( !expect("getdomaininfo after the last mapping", xtf_getdomaininfo(d, &info), -XEN_ESRCH) )
        return false;
    return frames_back("the last mapping of a dying domain");
}

/* max_evtchn_port 3: ports 1..3 for the domain, then -ENOSPC. */
static bool port_limit(domid_t d)
{
    long rc = 0;

    for ( long want = 1; want <= 3 && rc >= 0; want++ )
        if ( (rc = evtchn_alloc_unbound(d, 0)) != want )
            xtf_failure("port %ld of 3: got %ld", want, rc), rc = -1;
    return rc >= 0 && expect("a fourth port", evtchn_alloc_unbound(d, 0), -XEN_ENOSPC);
}

/* max_grant_frames 2: what query_size says. */
static bool grant_limit(domid_t d)
{
    struct gnttab_query_size q = { .dom = d };
    long rc = hypercall_grant_table_op(GNTTABOP_query_size, &q, 1);

    return expect("query_size", rc, 0) && expect("query_size status", q.status, 0) &&
           expect("max_nr_frames", q.max_nr_frames, 2);
}

/* createdomain's limits are the domain's: max_evtchn_port 3, 2 grant frames. */
static bool limits(void)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    domid_t d;
    long rc;
    bool ok;

    c.max_evtchn_port = 3;
    c.max_grant_frames = 2;
    if ( (rc = xtf_createdomain(0, &c, &d)) )
        return xtf_failure("createdomain with limits: %ld", rc), false;
    ok = port_limit(d) && grant_limit(d);
    return destroy(d, "the limits") && ok;
}

static bool error_paths(void)
{
    return bad_configs() && ids() && bad_contexts() && over_max_mem() && limits() && zombie();
}

static bool run_once(unsigned int round)
{
    domid_t d;
    long rc;

    if ( !create(&d) || !fill(d) )
        return false;
    if ( round == 0 && !checks_before_run(d) )
        return false;
    if ( (rc = set_entry(d)) )
        return xtf_failure("sethvmcontext d%u: %ld", d, rc), false;
    evtchn_clear_pending((evtchn_port_t)dom_exc);
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_unpausedomain, d)) )
        return xtf_failure("unpause d%u: %ld", d, rc), false;
    if ( !wait_dom_exc(d) || !check_ran(d) )
        return false;
    if ( round == 0 && !checks_after_run(d) )
        return false;
    if ( !destroy(d, "a built domain's destroy") )
        return false;
    evtchn_clear_pending((evtchn_port_t)dom_exc);
    return true;
}

void test_main(void)
{
    dom_exc = evtchn_bind_virq(VIRQ_DOM_EXC, 0);
    if ( dom_exc <= 0 )
        return xtf_error("bind VIRQ_DOM_EXC: %ld", dom_exc);
    evtchn_mask((evtchn_port_t)dom_exc); /* polled; no upcall wanted */
    baseline = xtf_free_pages();
    for ( unsigned int i = 0; i < ITERATIONS; i++ )
        if ( !run_once(i) )
            return;
    printf("%u domains built, run and destroyed; free pages at baseline %lu\n", ITERATIONS,
           (unsigned long)baseline);
    if ( !error_paths() )
        return;
    xtf_success(NULL);
}
