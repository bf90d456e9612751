/*
 * version.c - the xen_version hypercall: which Xen ABI Wren speaks, and
 * which optional features a guest may rely on.
 *
 * Everything here is read-only. The feature bitmap lists only what Wren
 * actually implements: a guest that finds a bit set will depend on it.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/param.h>
#include <xen/version.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/version.h>
#include <public/features.h>

/* Copy the string s (at most max bytes) into a fixed-size, zero-padded
 * guest field, in one copy so that a bad buffer is left untouched. */
static long put_fixed_string(uint64_t arg, const char *s, size_t max, size_t field)
{
    char buf[XEN_COMMANDLINE_LEN];
    size_t len = strnlen(s, MIN(max, field - 1));
    BUILD_BUG_ON(XEN_CAPABILITIES_INFO_LEN > XEN_COMMANDLINE_LEN);
    memset(buf, 0, field);
    memcpy(buf, s, len);
    return copy_to_guest(arg, buf, field) ? -EFAULT : 0;
}

static long xenver_compile_info(uint64_t arg)
{
    struct xen_compile_info info;
    memset(&info, 0, sizeof(info));
    strlcpy(info.compiler, "gcc " __VERSION__, sizeof(info.compiler));
    strlcpy(info.compile_by, "wren", sizeof(info.compile_by));
    /* No date or host: the same sources give the same image. */
    return copy_to_guest(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

/*
 * The XENFEAT_* word. Wren guests are HVM containers with hardware
 * paging, so the p2m is the hypervisor's and page tables are ordinary
 * memory. hvm_safe_pvclock: the pvclock is right whatever the guest does
 * with its TSC (time.c: guests read the TSC unchanged). hvm_callback_vector:
 * events arrive by an injected vector (HVM_PARAM_CALLBACK_IRQ's vector
 * type, or HVMOP_set_evtchn_upcall_vector). Not set, because not
 * implemented: memory_op_vnode_supported.
 */
static uint32_t feature_submap0(const struct domain *d)
{
    uint32_t m = (1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_auto_translated_physmap) |
                 (1U << XENFEAT_not_direct_mapped) | (1U << XENFEAT_hvm_safe_pvclock) |
                 (1U << XENFEAT_hvm_callback_vector);
    if ( d->is_privileged )
        m |= 1U << XENFEAT_dom0;
    return m;
}

static long xenver_get_features(uint64_t arg)
{
    struct xen_feature_info fi;
    if ( copy_from_guest(&fi, arg, sizeof(fi)) )
        return -EFAULT;
    if ( fi.submap_idx != 0 )
        return -EINVAL;
    fi.submap = feature_submap0(current->domain);
    return copy_to_guest(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
}

/* The hypervisor's command line may name devices and memory layout of
 * the host: for the control domain only. */
static long xenver_commandline(uint64_t arg)
{
    if ( !current->domain->is_privileged )
        return -EPERM;
    return put_fixed_string(arg, saved_cmdline, sizeof(saved_cmdline), XEN_COMMANDLINE_LEN);
}

long do_xen_version(uint64_t cmd, uint64_t arg)
{
    switch ( (uint32_t)cmd )
    {
    case XENVER_version: return (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
    case XENVER_extraversion:
        return put_fixed_string(arg, XEN_ABI_EXTRAVERSION, SIZE_MAX, XEN_EXTRAVERSION_LEN);
    case XENVER_compile_info: return xenver_compile_info(arg);
    case XENVER_capabilities:
        return put_fixed_string(arg, arch_xen_capabilities(), SIZE_MAX, XEN_CAPABILITIES_INFO_LEN);
    case XENVER_changeset:
        return put_fixed_string(arg, "wren " WREN_VERSION_STRING, SIZE_MAX, XEN_CHANGESET_INFO_LEN);
    case XENVER_platform_parameters:
    {
        /* virt_start is the start of the hypervisor hole in PV guests'
         * address spaces; HVM guests have none, and Xen reports 0. */
        struct xen_platform_parameters p = { .virt_start = 0 };
        return copy_to_guest(arg, &p, sizeof(p)) ? -EFAULT : 0;
    }
    case XENVER_get_features: return xenver_get_features(arg);
    case XENVER_pagesize: return arg ? -EINVAL : (long)PAGE_SIZE;
    case XENVER_guest_handle:
    {
        static const xen_domain_handle_t none; /* no toolstack handle is kept yet */
        return copy_to_guest(arg, none, sizeof(none)) ? -EFAULT : 0;
    }
    case XENVER_commandline: return xenver_commandline(arg);
    case XENVER_build_id: return -ENODATA; /* the image carries no build id note */
    default: return -ENOSYS;
    }
}
