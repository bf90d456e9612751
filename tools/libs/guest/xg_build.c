/*
 * xg_build.c - xc_pvh_build(): fill a created, paused, empty domain so
 * that unpausing it boots its kernel by Xen's PVH ABI (xenguest.h).
 *
 * Order: every check first (xg_kernel.c; a refusal makes no call), then
 * the memory map, RAM, the kernel, the ramdisk, the special pages, the
 * HVM params and vCPU 0. A failure after the first call leaves the
 * domain half built; the caller destroys it (libxl's rule), and nothing
 * of this process leaks: every mapping and buffer is released on every
 * path. The cost counters are filled on every return.
 *
 * It may touch only the domain it is given, through xenctrl.h and
 * xenforeignmemory.h.
 */
#include <errno.h>
#include <string.h>
#include <xencall.h>
#include "xg_private.h"

int xg_fail(struct xg_build *b, int e, const char *why)
{
    b->dom->error = why;
    errno = e;
    return -1;
}

int xg_set_params(struct xg_build *b)
{
    const struct
    {
        uint32_t param;
        uint64_t value;
    } p[] = {
        { HVM_PARAM_STORE_PFN, b->store_pfn },
        { HVM_PARAM_STORE_EVTCHN, b->dom->store_evtchn },
        { HVM_PARAM_CONSOLE_PFN, b->console_pfn },
        { HVM_PARAM_CONSOLE_EVTCHN, b->dom->console_evtchn },
    };

    for ( unsigned int i = 0; i < sizeof(p) / sizeof(p[0]); i++ )
        if ( xc_hvm_param_set(b->xch, b->domid, p[i].param, p[i].value) )
            return xg_fail(b, errno, "setting an HVM param failed");
    return 0;
}

static int set_vcpu0(struct xg_build *b)
{
    uint8_t ctxt[XG_HVM_CTXT_MAX];
    size_t len = xg_cpu_context(b, ctxt);

    if ( xc_domain_hvm_setcontext(b->xch, b->domid, ctxt, (uint32_t)len) )
        return xg_fail(b, errno, "setting vCPU 0's HVM context failed");
    return 0;
}

static int set_memory_map(struct xg_build *b)
{
    xg_memmap(b);
    if ( xc_domain_set_memory_map(b->xch, b->domid, b->memmap, XG_NR_MEMMAP) )
        return xg_fail(b, errno, "setting the memory map failed");
    return 0;
}

static int build(struct xg_build *b)
{
    int rc = xg_check(b);

    if ( !rc )
        rc = set_memory_map(b);
    if ( !rc )
        rc = xg_populate(b);
    if ( !rc )
        rc = xg_load_kernel(b);
    if ( !rc )
        rc = xg_load_ramdisk(b);
    if ( !rc )
        rc = xg_load_special(b);
    if ( !rc )
        rc = xg_set_params(b);
    if ( !rc )
        rc = set_vcpu0(b);
    return rc;
}

int xc_pvh_build(xc_interface *xch, xenforeignmemory_handle *fmem, uint32_t domid,
                 struct xc_pvh_dom *dom)
{
    struct xencall_handle *xcall = xc_interface_xcall(xch);
    uint64_t calls = xencall_count(xcall), batches = xenforeignmemory_batches(fmem);
    uint64_t frames = xenforeignmemory_frames(fmem);
    struct xg_build b = { .xch = xch,
                          .fmem = fmem,
                          .domid = domid,
                          .dom = dom,
                          .store_pfn = XG_STORE_PFN,
                          .console_pfn = XG_CONSOLE_PFN };
    int rc, saved;

    dom->error = NULL;
    dom->store_pfn = dom->console_pfn = 0;
    rc = xg_kernel_is_arm64(dom) ? xg_arm64_build(&b) : build(&b);
    saved = errno;
    if ( !rc )
    {
        dom->store_pfn = b.store_pfn;
        dom->console_pfn = b.console_pfn;
    }
    dom->hypercalls = xencall_count(xcall) - calls;
    dom->map_batches = xenforeignmemory_batches(fmem) - batches;
    dom->frames_mapped = xenforeignmemory_frames(fmem) - frames;
    errno = saved;
    return rc;
}
