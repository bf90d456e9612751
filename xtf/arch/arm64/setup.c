/*
 * setup.c (arm64) - the AArch64 XTF runtime from the entry to the
 * verdict: the facts the hypervisor hands over in registers (command
 * line, domid), the console (the PV console ring an xl-built domU is
 * given, else HYPERVISOR_console_io), the banner,
 * test_main() and the one `Test result:` line (common/report.c), then
 * SCHEDOP_shutdown. Also the exception report and secondary vCPUs by
 * PSCI. Touches nothing outside the image but hypercalls.
 */
#include <xtf.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/io/console.h>
#include <xtf/runtime.h>
#include <public/sched.h>
#include <public/version.h>

#define MAX_CMDLINE 1024

domid_t xtf_domid = DOMID_INVALID;
bool xtf_is_dom0;
uint32_t xtf_xen_version;
const struct hvm_start_info *xtf_start_info; /* Arm's own, below */

/* Arm guests get no hvm_start_info; the tests' RAM queries (xtf_is_ram,
 * xtf_ram_end) read its memory map, so the runtime writes one: RAM from
 * GUEST_RAM0_BASE to the end of the page holding the command line, which
 * the builder puts in the last page of RAM. */
#define ARM_GUEST_RAM_BASE 0x40000000UL
static struct hvm_memmap_table_entry ram_map;
static struct hvm_start_info arm_start_info;

uint64_t xtf_cmdline_ipa;
static char cmdline_copy[MAX_CMDLINE];

const char *xtf_cmdline(void)
{
    return cmdline_copy;
}

/* ---- console ------------------------------------------------------------
 * A domU that xl built has a PV console ring (HVM_PARAM_CONSOLE_PFN and
 * _EVTCHN, set by libxenguest's arm64 builder): output goes there, for
 * xenconsoled and `xl console`, as on x86 (common/console.c). Everyone
 * else (dom0, the boot-module domUs) uses console_io. Stage 1 is off, so
 * the ring's IPA is its address; byte stores and aligned word accesses
 * only, ordered with DMB. No lock: one vCPU prints at a time (there are
 * no exclusives on Device memory). */

#define RING_FULL_SPINS 100000UL /* yields before output is dropped */

static volatile struct xencons_interface *ring;
static uint32_t ring_port;

static long console_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = hypercall_hvm_op(HVMOP_get_param, &p);

    *value = rc ? 0 : p.value;
    return rc;
}

/* Copy what fits; returns bytes copied (0 when the ring is full). */
static size_t ring_put(const char *buf, size_t len)
{
    XENCONS_RING_IDX cons = ring->out_cons, prod = ring->out_prod;
    size_t n;

    asm volatile("dmb ish" ::: "memory"); /* cons read before its slots are reused */
    n = MIN(len, sizeof(ring->out) - (prod - cons));
    for ( size_t i = 0; i < n; i++ )
        ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = buf[i];
    asm volatile("dmb ish" ::: "memory"); /* the bytes before the index */
    ring->out_prod = prod;
    return n;
}

static void ring_write(const char *buf, size_t len)
{
    unsigned long spins = 0;

    while ( len )
    {
        size_t n = ring_put(buf, len);

        buf += n;
        len -= n;
        if ( n )
            continue;
        evtchn_send(ring_port); /* full: wake the backend, let it drain */
        hypercall_yield();
        if ( ++spins > RING_FULL_SPINS )
            return;
    }
    evtchn_send(ring_port);
}

void console_write(const char *buf, size_t len)
{
    if ( ring )
        ring_write(buf, len);
    else
        hypercall_console_io(CONSOLEIO_write, len, buf);
}

void console_init_xen(void)
{
    uint64_t pfn, port;

    if ( xtf_is_dom0 || console_param(HVM_PARAM_CONSOLE_PFN, &pfn) || !pfn ||
         console_param(HVM_PARAM_CONSOLE_EVTCHN, &port) )
        return;
    ring_port = (uint32_t)port;
    ring = (volatile struct xencons_interface *)(uintptr_t)(pfn << PAGE_SHIFT);
}

enum xtf_console_kind console_kind(void)
{
    return ring ? XTF_CONSOLE_RING : XTF_CONSOLE_HYPERCALL;
}

const char *console_kind_name(void)
{
    return ring ? "PV console ring" : "console_io hypercall";
}

/* ---- small hypercall helpers (x86's are in common/xen.c) --------------- */

long evtchn_send(uint32_t port)
{
    struct evtchn_send s = { .port = port };

    return hypercall_event_channel_op(EVTCHNOP_send, &s);
}

/* ---- the end --------------------------------------------------------- */

void __noreturn xtf_shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    for ( ;; )
        hypercall_sched_op(SCHEDOP_shutdown, &s);
}

void __noreturn xtf_exception(uint64_t kind, const uint64_t *regs)
{
    printf("Exception at EL1 (vector %lu): ESR_EL1 %#lx ELR_EL1 %#lx FAR_EL1 %#lx\n", kind,
           read_sysreg(esr_el1), read_sysreg(elr_el1), read_sysreg(far_el1));
    for ( unsigned int i = 0; i < 30; i += 2 )
        printf("  x%-2u %016lx  x%-2u %016lx\n", i, regs[i], i + 1, regs[i + 1]);
    panic("unexpected exception");
}

bool (*xtf_exception_hook)(uint64_t kind, uint64_t *regs);

void xtf_exception_entry(uint64_t kind, uint64_t *regs);
void xtf_exception_entry(uint64_t kind, uint64_t *regs)
{
    bool (*hook)(uint64_t, uint64_t *) = xtf_exception_hook;

    if ( !hook || !hook(kind, regs) )
        xtf_exception(kind, regs);
}

/* ---- secondary vCPUs ------------------------------------------------- */

struct ap_start
{
    uint64_t sp;
    void (*fn)(uint64_t);
    uint64_t arg;
};

/* Each vCPU its own stack and start block, so secondaries may be
 * started together (mem-access-target's eight writers); an id past the
 * table (a CPU_ON that must be refused) borrows the boot vCPU's slot,
 * which no secondary uses. */
extern char xtf_ap_entry[];
static uint8_t ap_stacks[XTF_MAX_VCPUS][XTF_STACK_SIZE] __aligned(16);
static struct ap_start ap_starts[XTF_MAX_VCPUS];

void __noreturn xtf_ap_exit(void);
void __noreturn xtf_ap_exit(void)
{
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    panic("PSCI CPU_OFF returned");
}

long xtf_psci_start(unsigned int id, void (*fn)(uint64_t), uint64_t arg)
{
    unsigned int slot = id < XTF_MAX_VCPUS ? id : 0;
    struct ap_start *a = &ap_starts[slot];

    a->sp = (uintptr_t)&ap_stacks[slot][XTF_STACK_SIZE];
    a->fn = fn;
    a->arg = arg;
    return psci_call(PSCI_CPU_ON_64, id, (uintptr_t)xtf_ap_entry, (uintptr_t)a);
}

/* ---- the entry --------------------------------------------------------- */

static void copy_cmdline(uint64_t ipa)
{
    const char *s = (const char *)(uintptr_t)ipa;

    for ( size_t i = 0; ipa && i + 1 < MAX_CMDLINE; i++ )
        if ( !(cmdline_copy[i] = s[i]) )
            break;
}

static void make_memmap(uint64_t cmdline_ipa)
{
    if ( cmdline_ipa <= ARM_GUEST_RAM_BASE )
        return;
    ram_map = (struct hvm_memmap_table_entry){
        .addr = ARM_GUEST_RAM_BASE,
        .size = (cmdline_ipa | (PAGE_SIZE - 1)) + 1 - ARM_GUEST_RAM_BASE,
        .type = XEN_HVM_MEMMAP_TYPE_RAM,
    };
    arm_start_info.memmap_paddr = (uintptr_t)&ram_map;
    arm_start_info.memmap_entries = 1;
    xtf_start_info = &arm_start_info;
}

uint64_t xtf_boot_dt;

void __noreturn xtf_main(uint64_t cmdline_ipa, uint64_t domid, uint64_t dt_ipa)
{
    long v;

    xtf_boot_dt = dt_ipa;
    xtf_cmdline_ipa = cmdline_ipa;
    copy_cmdline(cmdline_ipa);
    make_memmap(cmdline_ipa);
    xtf_domid = (domid_t)domid;
    xtf_is_dom0 = domid == 0;
    console_init_xen();
    v = hypercall_xen_version(XENVER_version, NULL);
    xtf_xen_version = v > 0 ? (uint32_t)v : 0;
    printf("--- Wren XTF: %s ---\n", test_title);
    printf("Environment: AArch64 EL1, Xen ABI %u.%u, domid %u%s, console: %s\n",
           xtf_xen_version >> 16, xtf_xen_version & 0xffff, xtf_domid,
           xtf_is_dom0 ? " (control domain)" : "", console_kind_name());
    if ( v <= 0 )
        xtf_error("xen_version failed: %ld", v);
    else
        test_main();
    xtf_report_and_exit();
}
