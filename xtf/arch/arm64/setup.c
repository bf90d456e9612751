/*
 * setup.c (arm64) - the AArch64 XTF runtime from the entry to the
 * verdict: the facts the hypervisor hands over in registers (command
 * line, domid), the console through HYPERVISOR_console_io, the banner,
 * test_main() and the one `Test result:` line (common/report.c), then
 * SCHEDOP_shutdown. Also the exception report and secondary vCPUs by
 * PSCI. Touches nothing outside the image but hypercalls.
 */
#include <xtf.h>
#include <public/event_channel.h>
#include <xtf/runtime.h>
#include <public/sched.h>
#include <public/version.h>

#define MAX_CMDLINE 1024

domid_t xtf_domid = DOMID_INVALID;
bool xtf_is_dom0;
uint32_t xtf_xen_version;
const struct hvm_start_info *xtf_start_info; /* none on Arm */

uint64_t xtf_cmdline_ipa;
static char cmdline_copy[MAX_CMDLINE];

const char *xtf_cmdline(void)
{
    return cmdline_copy;
}

/* ---- console: HYPERVISOR_console_io only ------------------------------- */

void console_write(const char *buf, size_t len)
{
    hypercall_console_io(CONSOLEIO_write, len, buf);
}

void console_init_xen(void)
{
}

enum xtf_console_kind console_kind(void)
{
    return XTF_CONSOLE_HYPERCALL;
}

const char *console_kind_name(void)
{
    return "console_io hypercall";
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

/* ---- secondary vCPUs ------------------------------------------------- */

struct ap_start
{
    uint64_t sp;
    void (*fn)(uint64_t);
    uint64_t arg;
};

extern char xtf_ap_entry[];
static uint8_t ap_stack[8192] __aligned(16);
static struct ap_start ap_start;

void __noreturn xtf_ap_exit(void);
void __noreturn xtf_ap_exit(void)
{
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    panic("PSCI CPU_OFF returned");
}

long xtf_psci_start(unsigned int id, void (*fn)(uint64_t), uint64_t arg)
{
    ap_start.sp = (uintptr_t)(ap_stack + sizeof(ap_stack));
    ap_start.fn = fn;
    ap_start.arg = arg;
    return psci_call(PSCI_CPU_ON_64, id, (uintptr_t)xtf_ap_entry, (uintptr_t)&ap_start);
}

/* ---- the entry --------------------------------------------------------- */

static void copy_cmdline(uint64_t ipa)
{
    const char *s = (const char *)(uintptr_t)ipa;

    for ( size_t i = 0; ipa && i + 1 < MAX_CMDLINE; i++ )
        if ( !(cmdline_copy[i] = s[i]) )
            break;
}

void __noreturn xtf_main(uint64_t cmdline_ipa, uint64_t domid)
{
    long v;

    xtf_cmdline_ipa = cmdline_ipa;
    copy_cmdline(cmdline_ipa);
    xtf_domid = (domid_t)domid;
    xtf_is_dom0 = domid == 0;
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
