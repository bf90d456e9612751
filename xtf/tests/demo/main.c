/*
 * demo - what `make run` shows: a tour of the control domain's view.
 *
 * dom0 prints a banner, the hypervisor version, its own domid, vCPU count
 * and memory map, then lists the domUs it can see with getdomaininfo and
 * waits for them to finish (domU 1 is "hello", which greets through its
 * PV console ring and powers off). It fails if the version cannot be
 * read, if no domU is visible, or if a domU ends other than by poweroff.
 */
#include <xtf.h>
#include <public/sched.h>
#include <public/version.h>

const char test_title[] = "Wren dom0 demo";

static const char *memtype(uint32_t type)
{
    static const char *const names[] = {
        [XEN_HVM_MEMMAP_TYPE_RAM] = "RAM",           [XEN_HVM_MEMMAP_TYPE_RESERVED] = "reserved",
        [XEN_HVM_MEMMAP_TYPE_ACPI] = "ACPI",         [XEN_HVM_MEMMAP_TYPE_NVS] = "ACPI NVS",
        [XEN_HVM_MEMMAP_TYPE_UNUSABLE] = "unusable", [XEN_HVM_MEMMAP_TYPE_DISABLED] = "disabled",
        [XEN_HVM_MEMMAP_TYPE_PMEM] = "persistent",
    };

    return type < ARRAY_SIZE(names) && names[type] ? names[type] : "?";
}

static void show_self(void)
{
    const struct hvm_memmap_table_entry *map =
        (const void *)(uintptr_t)xtf_start_info->memmap_paddr;
    struct xen_domctl_getdomaininfo info;
    xen_extraversion_t extra = "";

    hypercall_xen_version(XENVER_extraversion, extra);
    extra[sizeof(extra) - 1] = '\0';
    printf("Hypervisor: Xen ABI %u.%u%s\n", xtf_xen_version >> 16, xtf_xen_version & 0xffff, extra);
    printf("This is domain %u; command line \"%s\"\n", xtf_domid, xtf_cmdline());
    if ( !xtf_getdomaininfo(xtf_domid, &info) )
        printf("vCPUs online: %u, memory: %lu KiB\n", info.nr_online_vcpus,
               (unsigned long)info.tot_pages * 4);

    printf("Memory map:\n");
    for ( unsigned int i = 0; i < xtf_start_info->memmap_entries; i++ )
        printf("  %#012lx-%#012lx %s\n", (unsigned long)map[i].addr,
               (unsigned long)(map[i].addr + map[i].size - 1), memtype(map[i].type));
}

static void show_domain(domid_t d)
{
    struct xen_domctl_getdomaininfo info;

    if ( xtf_getdomaininfo(d, &info) )
        return;
    printf("  d%u: %u vCPU(s), %lu KiB, %s%s%s%s\n", d, info.nr_online_vcpus,
           (unsigned long)info.tot_pages * 4, info.flags & XEN_DOMINF_running ? "running " : "",
           info.flags & XEN_DOMINF_blocked ? "blocked " : "",
           info.flags & XEN_DOMINF_paused ? "paused " : "",
           info.flags & XEN_DOMINF_shutdown ? "shut down" : "");
}

static void wait_domus(unsigned int n)
{
    for ( unsigned int d = 1; d <= n; d++ )
    {
        unsigned int reason;
        long rc = xtf_wait_shutdown((domid_t)d, XTF_POLL_LIMIT, &reason);

        if ( rc )
            xtf_failure("d%u did not shut down (%ld)", d, rc);
        else if ( reason != SHUTDOWN_poweroff )
            xtf_failure("d%u ended with %s", d, xtf_shutdown_name(reason));
        else
            printf("d%u powered off\n", d);
    }
}

void test_main(void)
{
    unsigned int n;

    printf("==========================================\n");
    printf("  Wren dom0 demo\n");
    printf("==========================================\n");
    if ( (long)xtf_xen_version <= 0 )
        xtf_failure("xen_version returned %#x", xtf_xen_version);
    show_self();

    n = xtf_count_domus();
    printf("Guest domains visible to dom0: %u\n", n);
    for ( unsigned int d = 1; d <= n; d++ )
        show_domain((domid_t)d);
    if ( !n )
    {
        xtf_failure("no domUs visible (test.cfg starts \"hello\")");
        return;
    }
    wait_domus(n);
    xtf_success("demo complete");
}
