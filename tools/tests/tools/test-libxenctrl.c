/* SPDX-License-Identifier: MIT */
/*
 * test-libxenctrl.c - host tests of libxencall and libxenctrl against the
 * fake privcmd (fake-privcmd.c): every xc_* wrapper sends the right
 * hypercall, sub-op, interface version and argument layout from
 * hypercall buffers, copies results back, maps errors to errno, and
 * frees every buffer it took.
 *
 * Test code only; links the libraries' own files, never sys.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/save.h>
#include <xen/version.h>

#include "harness.h"
#include "fake-privcmd.h"
#include "xencall.h"
#include "xenctrl.h"
#include "xenctrl_wren.h"

static xc_interface *xch;

static void setup(void)
{
    fake_reset();
    xch = xc_interface_open(NULL, NULL, 0);
    CHECK(xch);
}

/* Closes the handle and checks nothing leaked. */
static void teardown(void)
{
    CHECK_EQ(xc_interface_close(xch), 0);
    CHECK_EQ(fake.open_fds, 0);
    CHECK_EQ(fake_live_buffers(), 0);
}

static void *arg_ptr(privcmd_hypercall_t *hc, int i)
{
    return (void *)(uintptr_t)hc->arg[i];
}

/* The domctl the last call sent (from a hypercall buffer, versioned). */
static struct xen_domctl *sent_domctl(uint32_t cmd, uint32_t domid)
{
    struct fake_call *c = fake_last_call();
    struct xen_domctl *d;

    CHECK(c);
    CHECK_EQ(c->hc.op, __HYPERVISOR_domctl);
    CHECK(c->in_buf[0]);
    d = (struct xen_domctl *)c->snap[0];
    CHECK_EQ(d->interface_version, XEN_DOMCTL_INTERFACE_VERSION);
    CHECK_EQ(d->cmd, cmd);
    CHECK_EQ(d->domain, domid);
    return d;
}

static struct xen_sysctl *sent_sysctl(uint32_t cmd)
{
    struct fake_call *c = fake_last_call();
    struct xen_sysctl *s;

    CHECK(c);
    CHECK_EQ(c->hc.op, __HYPERVISOR_sysctl);
    CHECK(c->in_buf[0]);
    s = (struct xen_sysctl *)c->snap[0];
    CHECK_EQ(s->interface_version, XEN_SYSCTL_INTERFACE_VERSION);
    CHECK_EQ(s->cmd, cmd);
    return s;
}

static long reply_esrch(privcmd_hypercall_t *hc)
{
    return -ESRCH;
}

static long reply_7(privcmd_hypercall_t *hc)
{
    return 7;
}

static void test_xencall_transport(void)
{
    xencall_handle *xcall;

    fake_reset();
    xcall = xencall_open(NULL, 0);
    CHECK(xcall);
    CHECK_EQ(fake.open_fds, 1);
    fake.hypercall = reply_7;
    CHECK_EQ(xencall5(xcall, 41, 1, 2, 3, 4, 5), 7);
    CHECK_EQ(fake_last_call()->hc.op, 41);
    CHECK_EQ(fake_last_call()->hc.arg[0], 1);
    CHECK_EQ(fake_last_call()->hc.arg[4], 5);
    CHECK_EQ(xencall2(xcall, 12, 9, 8), 7);
    CHECK_EQ(fake_last_call()->hc.arg[2], 0);
    fake.hypercall = reply_esrch;
    errno = 0;
    CHECK_EQ(xencall0(xcall, 36), -1);
    CHECK_EQ(errno, ESRCH);
    CHECK_EQ(xencall_count(xcall), 3);
    CHECK_EQ(xencall_close(xcall), 0);
    CHECK_EQ(fake.open_fds, 0);
}

static void test_xencall_open_fails(void)
{
    fake_reset();
    fake.open_errno = EACCES;
    errno = 0;
    CHECK(!xc_interface_open(NULL, NULL, 0));
    CHECK_EQ(errno, EACCES);
    CHECK_EQ(fake.open_fds, 0);
    CHECK(!xencall_open(NULL, 1));
    CHECK_EQ(errno, EINVAL);
}

static void test_xencall_buffers(void)
{
    xencall_handle *xcall;
    char *small, *pages;

    fake_reset();
    xcall = xencall_open(NULL, 0);
    small = xencall_alloc_buffer(xcall, 100);
    CHECK(small && fake_is_buffer(small, 100));
    CHECK_EQ((uintptr_t)small % 16, 0);
    pages = xencall_alloc_buffer_pages(xcall, 3);
    CHECK(pages && fake_is_buffer(pages, 3 * 4096));
    CHECK_EQ(fake_live_buffers(), 2);
    xencall_free_buffer(xcall, small);
    xencall_free_buffer_pages(xcall, pages, 3);
    CHECK_EQ(fake_live_buffers(), 0);
    /* A runtime without mlock is fine; a refused mlock is not. */
    fake.mlock_errno = ENOSYS;
    small = xencall_alloc_buffer(xcall, 5000);
    CHECK(small && fake_is_buffer(small, 5000));
    xencall_free_buffer(xcall, small);
    fake.mlock_errno = EPERM;
    CHECK(!xencall_alloc_buffer(xcall, 8));
    CHECK_EQ(errno, EPERM);
    CHECK_EQ(fake_live_buffers(), 0);
    xencall_close(xcall);
}

static void test_domctl_simple(void)
{
    setup();
    CHECK_EQ(xc_domain_pause(xch, 3), 0);
    sent_domctl(XEN_DOMCTL_pausedomain, 3);
    CHECK_EQ(xc_domain_unpause(xch, 4), 0);
    sent_domctl(XEN_DOMCTL_unpausedomain, 4);
    CHECK_EQ(xc_domain_destroy(xch, 5), 0);
    sent_domctl(XEN_DOMCTL_destroydomain, 5);
    fake.hypercall = reply_esrch;
    CHECK_EQ(xc_domain_pause(xch, 9), -1);
    CHECK_EQ(errno, ESRCH);
    /* A domid that does not fit domid_t never reaches the hypervisor. */
    CHECK_EQ(xc_domain_destroy(xch, 0x10000), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(fake.nr_calls, 4);
    teardown();
}

static long reply_create(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);

    d->domain = 7;
    d->u.createdomain.max_evtchn_port = 1023;
    return 0;
}

static void test_domain_create(void)
{
    struct xen_domctl_createdomain cfg = { .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
                                           .max_vcpus = 2,
                                           .arch.emulation_flags = XEN_X86_EMU_LAPIC };
    struct xen_domctl *d;
    uint32_t domid = 0;

    setup();
    fake.hypercall = reply_create;
    CHECK_EQ(xc_domain_create(xch, &domid, &cfg), 0);
    d = sent_domctl(XEN_DOMCTL_createdomain, 0);
    CHECK_EQ(d->u.createdomain.flags, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap);
    CHECK_EQ(d->u.createdomain.max_vcpus, 2);
    CHECK_EQ(d->u.createdomain.arch.emulation_flags, XEN_X86_EMU_LAPIC);
    CHECK_EQ(domid, 7);
    CHECK_EQ(cfg.max_evtchn_port, 1023);
    fake.hypercall = reply_esrch;
    domid = 12;
    CHECK_EQ(xc_domain_create(xch, &domid, &cfg), -1);
    CHECK_EQ(domid, 12);
    teardown();
}

static long reply_info(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);

    d->u.getdomaininfo.domain = d->domain == 6 ? 8 : d->domain;
    d->u.getdomaininfo.tot_pages = 42;
    d->u.getdomaininfo.flags = XEN_DOMINF_paused;
    return 0;
}

static void test_getinfo_single(void)
{
    xc_domaininfo_t info = { 0 };

    setup();
    fake.hypercall = reply_info;
    CHECK_EQ(xc_domain_getinfo_single(xch, 3, &info), 0);
    sent_domctl(XEN_DOMCTL_getdomaininfo, 3);
    CHECK_EQ(info.domain, 3);
    CHECK_EQ(info.tot_pages, 42);
    CHECK_EQ(info.flags, XEN_DOMINF_paused);
    /* An answer about another domain is no answer. */
    CHECK_EQ(xc_domain_getinfo_single(xch, 6, &info), -1);
    CHECK_EQ(errno, ESRCH);
    teardown();
}

static long reply_list(privcmd_hypercall_t *hc)
{
    struct xen_sysctl *s = arg_ptr(hc, 0);
    xc_domaininfo_t *buf = (void *)(uintptr_t)s->u.getdomaininfolist.buffer;

    if ( !fake_is_buffer(buf, s->u.getdomaininfolist.max_domains * sizeof(*buf)) )
        return -EFAULT;
    buf[0].domain = s->u.getdomaininfolist.first_domain;
    buf[1].domain = s->u.getdomaininfolist.first_domain + 2;
    buf[1].max_pages = 99;
    s->u.getdomaininfolist.num_domains = 2;
    return 0;
}

static void test_getinfolist(void)
{
    xc_domaininfo_t info[4];
    struct xen_sysctl *s;

    setup();
    memset(info, 0xaa, sizeof(info));
    fake.hypercall = reply_list;
    CHECK_EQ(xc_domain_getinfolist(xch, 1, 4, info), 2);
    s = sent_sysctl(XEN_SYSCTL_getdomaininfolist);
    CHECK_EQ(s->u.getdomaininfolist.first_domain, 1);
    CHECK_EQ(s->u.getdomaininfolist.max_domains, 4);
    CHECK_EQ(info[0].domain, 1);
    CHECK_EQ(info[1].domain, 3);
    CHECK_EQ(info[1].max_pages, 99);
    CHECK_EQ(info[2].domain, 0xaaaa); /* untouched past the count */
    teardown();
}

static long reply_vcpu(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);

    d->u.getvcpuinfo.online = 1;
    d->u.getvcpuinfo.cpu_time = 1234;
    return 0;
}

static void test_small_domctls(void)
{
    xen_domain_handle_t h = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    xc_vcpuinfo_t vi;
    struct xen_domctl *d;

    setup();
    CHECK_EQ(xc_domain_sethandle(xch, 2, h), 0);
    d = sent_domctl(XEN_DOMCTL_setdomainhandle, 2);
    CHECK(!memcmp(d->u.setdomainhandle.handle, h, sizeof(h)));
    CHECK_EQ(xc_domain_max_vcpus(xch, 2, 4), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_max_vcpus, 2)->u.max_vcpus.max, 4);
    CHECK_EQ(xc_domain_setmaxmem(xch, 2, 65536), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_max_mem, 2)->u.max_mem.max_memkb, 65536);
    fake.hypercall = reply_vcpu;
    CHECK_EQ(xc_vcpu_getinfo(xch, 2, 1, &vi), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_getvcpuinfo, 2)->u.getvcpuinfo.vcpu, 1);
    CHECK_EQ(vi.online, 1);
    CHECK_EQ(vi.cpu_time, 1234);
    teardown();
}

static long reply_mempool(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);

    d->u.paging_mempool.size = 1 << 20;
    return 0;
}

static void test_paging_mempool(void)
{
    uint64_t size = 0;

    setup();
    CHECK_EQ(xc_set_paging_mempool_size(xch, 3, 8192), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_set_paging_mempool_size, 3)->u.paging_mempool.size, 8192);
    fake.hypercall = reply_mempool;
    CHECK_EQ(xc_get_paging_mempool_size(xch, 3, &size), 0);
    sent_domctl(XEN_DOMCTL_get_paging_mempool_size, 3);
    CHECK_EQ(size, 1 << 20);
    teardown();
}

static long reply_hvmctx(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);
    uint8_t *buf = (void *)(uintptr_t)d->u.hvmcontext.buffer;

    if ( !buf )
    {
        d->u.hvmcontext.size = 300;
        return 0;
    }
    if ( !fake_is_buffer(buf, d->u.hvmcontext.size) )
        return -EFAULT;
    if ( d->cmd == XEN_DOMCTL_gethvmcontext )
    {
        memset(buf, 0x5a, 300);
        d->u.hvmcontext.size = 300;
    }
    return buf[0] == 0x77 || d->cmd == XEN_DOMCTL_gethvmcontext ? 0 : -EINVAL;
}

static void test_hvm_context(void)
{
    uint8_t ctxt[512] = { 0 };
    struct xen_domctl *d;

    setup();
    fake.hypercall = reply_hvmctx;
    CHECK_EQ(xc_domain_hvm_getcontext(xch, 4, NULL, 0), 300);
    d = sent_domctl(XEN_DOMCTL_gethvmcontext, 4);
    CHECK_EQ(d->u.hvmcontext.buffer, 0);
    CHECK_EQ(xc_domain_hvm_getcontext(xch, 4, ctxt, sizeof(ctxt)), 300);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_gethvmcontext, 4)->u.hvmcontext.size, sizeof(ctxt));
    CHECK_EQ(ctxt[299], 0x5a);
    CHECK_EQ(ctxt[300], 0);
    ctxt[0] = 0x77;
    CHECK_EQ(xc_domain_hvm_setcontext(xch, 4, ctxt, 300), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_sethvmcontext, 4)->u.hvmcontext.size, 300);
    ctxt[0] = 0;
    CHECK_EQ(xc_domain_hvm_setcontext(xch, 4, ctxt, 300), -1);
    CHECK_EQ(errno, EINVAL);
    teardown();
}

/* A context of HEADER, vCPU 0's CPU record (if resume_has_vcpu0) with
 * RAX 0, END; a set keeps the RAX it was given. */
#define RESUME_CTX_LEN                                                         \
    (3 * sizeof(struct hvm_save_descriptor) + sizeof(struct hvm_save_header) + \
     sizeof(struct hvm_hw_cpu))
static bool resume_has_vcpu0;
static uint64_t resume_rax_set;

static void resume_ctx(uint8_t *buf)
{
    struct hvm_save_descriptor h = { HVM_SAVE_CODE_HEADER, 0, sizeof(struct hvm_save_header) };
    struct hvm_save_descriptor c = { HVM_SAVE_CODE_CPU, resume_has_vcpu0 ? 0 : 1,
                                     sizeof(struct hvm_hw_cpu) };
    struct hvm_save_descriptor e = { HVM_SAVE_CODE_END, 0, 0 };
    size_t off = sizeof(h) + h.length;

    memset(buf, 0, RESUME_CTX_LEN);
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + off, &c, sizeof(c));
    memcpy(buf + off + sizeof(c) + c.length, &e, sizeof(e));
}

static long reply_resume(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);
    uint8_t *buf = (void *)(uintptr_t)d->u.hvmcontext.buffer;
    size_t rax_at = 2 * sizeof(struct hvm_save_descriptor) + sizeof(struct hvm_save_header) +
                    offsetof(struct hvm_hw_cpu, rax);

    if ( d->cmd == XEN_DOMCTL_gethvmcontext && buf )
        resume_ctx(buf);
    if ( d->cmd == XEN_DOMCTL_gethvmcontext )
        d->u.hvmcontext.size = RESUME_CTX_LEN;
    if ( d->cmd == XEN_DOMCTL_sethvmcontext )
        memcpy(&resume_rax_set, buf + rax_at, sizeof(resume_rax_set));
    return 0;
}

static uint32_t call_cmd(unsigned int i)
{
    return ((struct xen_domctl *)fake.calls[i].snap[0])->cmd;
}

/* A checkpoint's resume: paused, vCPU 0's RAX set to 1 through the
 * context, resumedomain, unpaused; a slow one sets nothing; without vCPU
 * 0's record nothing is resumed and the pause is still undone. */
static void test_resume(void)
{
    static const uint32_t fast[] = {
        XEN_DOMCTL_pausedomain,   XEN_DOMCTL_gethvmcontext, XEN_DOMCTL_gethvmcontext,
        XEN_DOMCTL_sethvmcontext, XEN_DOMCTL_resumedomain,  XEN_DOMCTL_unpausedomain,
    };

    setup();
    fake.hypercall = reply_resume;
    resume_has_vcpu0 = true;
    resume_rax_set = 0;
    CHECK_EQ(xc_domain_resume(xch, 6, 1), 0);
    CHECK_EQ(fake.nr_calls, 6);
    for ( unsigned int i = 0; i < 6; i++ )
        CHECK_EQ(call_cmd(i), fast[i]);
    CHECK_EQ(resume_rax_set, 1);
    sent_domctl(XEN_DOMCTL_unpausedomain, 6);
    fake.nr_calls = 0;
    CHECK_EQ(xc_domain_resume(xch, 6, 0), 0);
    CHECK_EQ(fake.nr_calls, 3);
    CHECK_EQ(call_cmd(1), XEN_DOMCTL_resumedomain);
    fake.nr_calls = 0;
    resume_has_vcpu0 = false;
    CHECK_EQ(xc_domain_resume(xch, 6, 1), -1);
    CHECK_EQ(errno, ENOENT);
    CHECK_EQ(fake.nr_calls, 4);
    sent_domctl(XEN_DOMCTL_unpausedomain, 6);
    teardown();
}

/* getpageframeinfo3: every pfn comes back typed; gettscinfo answers. */
static long reply_sr(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);

    if ( d->cmd == XEN_DOMCTL_gettscinfo )
    {
        d->u.tsc_info.tsc_mode = 2;
        d->u.tsc_info.gtsc_khz = 1000;
        d->u.tsc_info.incarnation = 4;
        d->u.tsc_info.elapsed_nsec = 77;
        return 0;
    }
    if ( d->cmd == XEN_DOMCTL_getpageframeinfo3 )
    {
        xen_pfn_t *a = (void *)(uintptr_t)d->u.getpageframeinfo3.array;

        if ( !fake_is_buffer(a, d->u.getpageframeinfo3.num * sizeof(*a)) )
            return -EFAULT;
        for ( uint64_t i = 0; i < d->u.getpageframeinfo3.num; i++ )
            a[i] |= i ? XEN_DOMCTL_PFINFO_BROKEN : XEN_DOMCTL_PFINFO_XTAB;
        return 0;
    }
    return 0;
}

static void test_save_restore_wrappers(void)
{
    xen_pfn_t pfns[3] = { 5, 6, 7 };
    uint32_t mode, khz, inc;
    uint64_t nsec;

    setup();
    fake.hypercall = reply_sr;
    CHECK_EQ(xc_get_pfn_type_batch(xch, 4, 3, pfns), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_getpageframeinfo3, 4)->u.getpageframeinfo3.num, 3);
    CHECK_EQ(pfns[0], 5 | XEN_DOMCTL_PFINFO_XTAB);
    CHECK_EQ(pfns[2], 7 | XEN_DOMCTL_PFINFO_BROKEN);
    CHECK_EQ(xc_get_pfn_type_batch(xch, 4, 0, pfns), -1);
    CHECK_EQ(xc_get_pfn_type_batch(xch, 4, 1025, pfns), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xc_domain_get_tsc_info(xch, 4, &mode, &nsec, &khz, &inc), 0);
    sent_domctl(XEN_DOMCTL_gettscinfo, 4);
    CHECK(mode == 2 && nsec == 77 && khz == 1000 && inc == 4);
    CHECK_EQ(xc_domain_set_tsc_info(xch, 4, 1, 99, 2000, 5), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_settscinfo, 4)->u.tsc_info.elapsed_nsec, 99);
    CHECK_EQ(xc_set_broken_page_p2m(xch, 4, 0x1234), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_set_broken_page_p2m, 4)->u.set_broken_page_p2m.pfn, 0x1234);
    teardown();
}

static long reply_param(privcmd_hypercall_t *hc)
{
    struct xen_hvm_param *p = arg_ptr(hc, 1);

    if ( hc->arg[0] == HVMOP_get_param )
        p->value = 0xfeed;
    return 0;
}

static void test_hvm_param(void)
{
    struct xen_hvm_param *p;
    uint64_t v = 0;

    setup();
    fake.hypercall = reply_param;
    CHECK_EQ(xc_hvm_param_set(xch, 5, HVM_PARAM_STORE_PFN, 0x9c), 0);
    CHECK_EQ(fake_last_call()->hc.op, __HYPERVISOR_hvm_op);
    CHECK_EQ(fake_last_call()->hc.arg[0], HVMOP_set_param);
    CHECK(fake_last_call()->in_buf[1]);
    p = (struct xen_hvm_param *)fake_last_call()->snap[1];
    CHECK_EQ(p->domid, 5);
    CHECK_EQ(p->index, HVM_PARAM_STORE_PFN);
    CHECK_EQ(p->value, 0x9c);
    CHECK_EQ(xc_hvm_param_get(xch, 5, HVM_PARAM_CONSOLE_PFN, &v), 0);
    CHECK_EQ(fake_last_call()->hc.arg[0], HVMOP_get_param);
    CHECK_EQ(v, 0xfeed);
    teardown();
}

/* The hypervisor's side of HVMOP_altp2m, as far as the wrappers see it:
 * answers what each OUT field would hold, and reads the multi lists. */
static uint64_t altp2m_seen_gfns, altp2m_seen_access;

static long reply_altp2m(privcmd_hypercall_t *hc)
{
    struct xen_hvm_altp2m_op *a = arg_ptr(hc, 1);
    struct xen_hvm_altp2m_set_mem_access_multi *m = &a->u.set_mem_access_multi;

    if ( hc->arg[0] != HVMOP_altp2m || a->version != HVMOP_ALTP2M_INTERFACE_VERSION )
        return -ENOSYS;
    switch ( a->cmd )
    {
    case HVMOP_altp2m_get_domain_state: a->u.domain_state.state = 1; break;
    case HVMOP_altp2m_create_p2m: a->u.view.view = 3; break;
    case HVMOP_altp2m_get_mem_access: a->u.mem_access.access = XENMEM_access_rx; break;
    case HVMOP_altp2m_get_suppress_ve: a->u.suppress_ve.suppress_ve = 0; break;
    case HVMOP_altp2m_get_p2m_idx: a->u.get_vcpu_p2m_idx.altp2m_idx = 2; break;
    case HVMOP_altp2m_destroy_p2m: return a->u.view.view == 9 ? -EBUSY : 0;
    case HVMOP_altp2m_set_suppress_ve_multi:
        a->u.suppress_ve_multi.first_error = -ESRCH;
        a->u.suppress_ve_multi.first_error_gfn = 0x44;
        break;
    case HVMOP_altp2m_set_mem_access_multi:
        for ( uint32_t i = 0; i < m->nr; i++ )
        {
            altp2m_seen_gfns += ((const uint64_t *)(uintptr_t)m->pfn_list)[i];
            altp2m_seen_access += ((const uint8_t *)(uintptr_t)m->access_list)[i];
        }
        break;
    }
    return 0;
}

static struct xen_hvm_altp2m_op *sent_altp2m(uint32_t cmd)
{
    struct xen_hvm_altp2m_op *a = (void *)fake_last_call()->snap[1];

    CHECK_EQ(fake_last_call()->hc.op, __HYPERVISOR_hvm_op);
    CHECK_EQ(fake_last_call()->hc.arg[0], HVMOP_altp2m);
    CHECK(fake_last_call()->in_buf[1]);
    CHECK_EQ(a->cmd, cmd);
    CHECK_EQ(a->domain, 6);
    return a;
}

static void test_altp2m(void)
{
    uint64_t gfns[3] = { 0x10, 0x20, 0x30 };
    uint8_t acc[3] = { 1, 5, 7 };
    xenmem_access_t access;
    xen_pfn_t err_gfn;
    int32_t err;
    uint16_t view;
    bool b;

    setup();
    fake.hypercall = reply_altp2m;
    CHECK_EQ(xc_altp2m_set_domain_state(xch, 6, true), 0);
    CHECK_EQ(sent_altp2m(HVMOP_altp2m_set_domain_state)->u.domain_state.state, 1);
    CHECK_EQ(xc_altp2m_get_domain_state(xch, 6, &b), 0);
    CHECK(b);
    CHECK_EQ(xc_altp2m_create_view(xch, 6, XENMEM_access_rwx, &view), 0);
    CHECK_EQ(sent_altp2m(HVMOP_altp2m_create_p2m)->u.view.hvmmem_default_access, 7);
    CHECK_EQ(view, 3);
    CHECK_EQ(xc_altp2m_switch_to_view(xch, 6, 3), 0);
    CHECK_EQ(sent_altp2m(HVMOP_altp2m_switch_p2m)->u.view.view, 3);
    CHECK_EQ(xc_altp2m_set_mem_access(xch, 6, 3, 0x99, XENMEM_access_r), 0);
    CHECK_EQ(sent_altp2m(HVMOP_altp2m_set_mem_access)->u.mem_access.gfn, 0x99);
    CHECK_EQ(xc_altp2m_get_mem_access(xch, 6, 3, 0x99, &access), 0);
    CHECK_EQ(access, XENMEM_access_rx);
    CHECK_EQ(xc_altp2m_change_gfn(xch, 6, 3, 0x10, ~0ULL), 0);
    CHECK_EQ(sent_altp2m(HVMOP_altp2m_change_gfn)->u.change_gfn.new_gfn, ~0ULL);
    CHECK_EQ(xc_altp2m_set_mem_access_multi(xch, 6, 3, acc, gfns, 3), 0);
    CHECK_EQ(sent_altp2m(HVMOP_altp2m_set_mem_access_multi)->u.set_mem_access_multi.nr, 3);
    CHECK_EQ(altp2m_seen_gfns, 0x60);
    CHECK_EQ(altp2m_seen_access, 13);
    CHECK_EQ(xc_altp2m_get_suppress_ve(xch, 6, 3, 0x99, &b), 0);
    CHECK(!b);
    CHECK_EQ(xc_altp2m_set_supress_ve_multi(xch, 6, 3, 0x40, 0x50, false, &err_gfn, &err), 0);
    CHECK(err == -ESRCH && err_gfn == 0x44);
    CHECK_EQ(xc_altp2m_get_vcpu_p2m_idx(xch, 6, 1, &view), 0);
    CHECK_EQ(view, 2);
    CHECK_EQ(xc_altp2m_destroy_view(xch, 6, 9), -1);
    CHECK_EQ(errno, EBUSY);
    /* What cannot travel is refused before any call. */
    fake.nr_calls = 0;
    CHECK_EQ(xc_altp2m_get_domain_state(xch, 6, NULL), -1);
    CHECK_EQ(xc_altp2m_create_view(xch, 0x10000, XENMEM_access_rwx, &view), -1);
    CHECK_EQ(xc_altp2m_set_mem_access_multi(xch, 6, 3, NULL, gfns, 3), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(fake.nr_calls, 0);
    teardown();
}

static long reply_memop(privcmd_hypercall_t *hc)
{
    struct xen_memory_reservation *r = arg_ptr(hc, 1);
    xen_pfn_t *list = (void *)(uintptr_t)r->extent_start;

    if ( !fake_is_buffer(list, r->nr_extents * sizeof(*list)) )
        return -EFAULT;
    return r->nr_extents > 2 ? 2 : (long)r->nr_extents;
}

static void test_reservations(void)
{
    xen_pfn_t gfns[3] = { 0x100, 0x101, 0x102 };
    struct xen_memory_reservation *r;

    setup();
    fake.hypercall = reply_memop;
    CHECK_EQ(xc_domain_populate_physmap_exact(xch, 6, 2, 0, 0, gfns), 0);
    CHECK_EQ(fake_last_call()->hc.op, __HYPERVISOR_memory_op);
    CHECK_EQ(fake_last_call()->hc.arg[0], XENMEM_populate_physmap);
    r = (struct xen_memory_reservation *)fake_last_call()->snap[1];
    CHECK_EQ(r->domid, 6);
    CHECK_EQ(r->nr_extents, 2);
    CHECK_EQ(r->extent_order, 0);
    /* Two of three done is a failure of the _exact call. */
    CHECK_EQ(xc_domain_populate_physmap_exact(xch, 6, 3, 9, 0, gfns), -1);
    CHECK_EQ(errno, EBUSY);
    CHECK_EQ(((struct xen_memory_reservation *)fake_last_call()->snap[1])->extent_order, 9);
    CHECK_EQ(xc_domain_decrease_reservation_exact(xch, 6, 3, 0, gfns), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(fake_last_call()->hc.arg[0], XENMEM_decrease_reservation);
    teardown();
}

static long reply_memmap(privcmd_hypercall_t *hc)
{
    struct xen_foreign_memory_map *m = arg_ptr(hc, 1);
    struct xen_e820_entry *e = (void *)(uintptr_t)m->map.buffer;

    if ( !fake_is_buffer(e, m->map.nr_entries * sizeof(*e)) )
        return -EFAULT;
    return e[1].type == E820_RESERVED && e[1].addr == 0x9c000 ? 0 : -EINVAL;
}

static void test_set_memory_map(void)
{
    struct xen_e820_entry map[2] = { { 0, 0x9c000, E820_RAM }, { 0x9c000, 0x3000, E820_RESERVED } };
    struct xen_foreign_memory_map *m;

    setup();
    fake.hypercall = reply_memmap;
    CHECK_EQ(xc_domain_set_memory_map(xch, 2, map, 2), 0);
    CHECK_EQ(fake_last_call()->hc.arg[0], XENMEM_set_memory_map);
    m = (struct xen_foreign_memory_map *)fake_last_call()->snap[1];
    CHECK_EQ(m->domid, 2);
    CHECK_EQ(m->map.nr_entries, 2);
    CHECK_EQ(xc_domain_set_memory_map(xch, 2, map, 0), -1);
    CHECK_EQ(errno, EINVAL);
    teardown();
}

static long reply_shadow(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);
    uint8_t *bitmap = (void *)(uintptr_t)d->u.shadow_op.dirty_bitmap;

    if ( bitmap && !fake_is_buffer(bitmap, (d->u.shadow_op.pages + 7) / 8) )
        return -EFAULT;
    if ( bitmap )
        bitmap[1] = 0x81;
    d->u.shadow_op.stats.dirty_count = 2;
    d->u.shadow_op.mb = 16;
    d->u.shadow_op.pages = 100;
    return 0;
}

static void test_shadow_control(void)
{
    unsigned long bitmap[2] = { 0 };
    xc_shadow_op_stats_t stats;
    unsigned long mb = 0;
    struct xen_domctl *d;

    setup();
    fake.hypercall = reply_shadow;
    CHECK_EQ(xc_shadow_control(xch, 3, XEN_DOMCTL_SHADOW_OP_CLEAN, bitmap, 128, &mb,
                               XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL, &stats),
             100);
    d = sent_domctl(XEN_DOMCTL_shadow_op, 3);
    CHECK_EQ(d->u.shadow_op.op, XEN_DOMCTL_SHADOW_OP_CLEAN);
    CHECK_EQ(d->u.shadow_op.mode, XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL);
    CHECK_EQ(d->u.shadow_op.pages, 128);
    CHECK_EQ(bitmap[0], 0x8100);
    CHECK_EQ(stats.dirty_count, 2);
    CHECK_EQ(mb, 16);
    CHECK_EQ(xc_shadow_control(xch, 3, XEN_DOMCTL_SHADOW_OP_OFF, NULL, 0, NULL, 0, NULL), 100);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_shadow_op, 3)->u.shadow_op.dirty_bitmap, 0);
    teardown();
}

static long reply_unbound(privcmd_hypercall_t *hc)
{
    struct evtchn_alloc_unbound *a = arg_ptr(hc, 1);

    a->port = 17;
    return 0;
}

static void test_evtchn_alloc_unbound(void)
{
    struct evtchn_alloc_unbound *a;

    setup();
    fake.hypercall = reply_unbound;
    CHECK_EQ(xc_evtchn_alloc_unbound(xch, 4, 0), 17);
    CHECK_EQ(fake_last_call()->hc.op, __HYPERVISOR_event_channel_op);
    CHECK_EQ(fake_last_call()->hc.arg[0], EVTCHNOP_alloc_unbound);
    a = (struct evtchn_alloc_unbound *)fake_last_call()->snap[1];
    CHECK_EQ(a->dom, 4);
    CHECK_EQ(a->remote_dom, 0);
    teardown();
}

static long reply_physinfo(privcmd_hypercall_t *hc)
{
    struct xen_sysctl *s = arg_ptr(hc, 0);

    s->u.physinfo.nr_cpus = 2;
    s->u.physinfo.total_pages = 65536;
    return 0;
}

static void test_physinfo(void)
{
    xc_physinfo_t info;

    setup();
    fake.hypercall = reply_physinfo;
    CHECK_EQ(xc_physinfo(xch, &info), 0);
    sent_sysctl(XEN_SYSCTL_physinfo);
    CHECK_EQ(info.nr_cpus, 2);
    CHECK_EQ(info.total_pages, 65536);
    fake.hypercall = reply_esrch;
    CHECK_EQ(xc_physinfo(xch, &info), -1);
    CHECK_EQ(errno, ESRCH);
    teardown();
}

static long reply_console(privcmd_hypercall_t *hc)
{
    struct xen_sysctl *s = arg_ptr(hc, 0);
    char *buf = (void *)(uintptr_t)s->u.readconsole.buffer;

    if ( !fake_is_buffer(buf, s->u.readconsole.count) )
        return -EFAULT;
    memcpy(buf, "(XEN) hi", 8);
    s->u.readconsole.count = 8;
    s->u.readconsole.index += 8;
    return 0;
}

static void test_readconsolering(void)
{
    char text[64] = { 0 };
    unsigned int n = sizeof(text);
    uint32_t index = 100;
    struct xen_sysctl *s;

    setup();
    fake.hypercall = reply_console;
    CHECK_EQ(xc_readconsolering(xch, text, &n, 1, 1, &index), 0);
    s = sent_sysctl(XEN_SYSCTL_readconsole);
    CHECK_EQ(s->u.readconsole.clear, 1);
    CHECK_EQ(s->u.readconsole.incremental, 1);
    CHECK_EQ(s->u.readconsole.index, 100);
    CHECK_EQ(s->u.readconsole.count, 64);
    CHECK_EQ(n, 8);
    CHECK_EQ(index, 108);
    CHECK(!memcmp(text, "(XEN) hi", 8));
    teardown();
}

static long reply_version(privcmd_hypercall_t *hc)
{
    if ( hc->arg[0] == XENVER_extraversion )
        memcpy(arg_ptr(hc, 1), "-wren", 6);
    return hc->arg[0] == XENVER_version ? 0x40013 : 0;
}

static void test_version(void)
{
    char extra[XEN_EXTRAVERSION_LEN];

    setup();
    fake.hypercall = reply_version;
    CHECK_EQ(xc_version(xch, XENVER_version, NULL), 0x40013);
    CHECK_EQ(fake_last_call()->hc.op, __HYPERVISOR_xen_version);
    CHECK_EQ(fake_last_call()->hc.arg[1], 0);
    CHECK_EQ(xc_version(xch, XENVER_extraversion, extra), 0);
    CHECK(fake_last_call()->in_buf[1]);
    CHECK(!strcmp(extra, "-wren"));
    CHECK_EQ(xc_version(xch, 99, extra), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(fake.nr_calls, 2);
    teardown();
}

static long reply_wren(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);
    struct xen_sysctl *s = arg_ptr(hc, 0);
    struct xen_domctl_wren_logdirty ld = { .rounds = 3, .mech = WREN_LOGDIRTY_MECH_PML };

    if ( hc->op == __HYPERVISOR_sysctl )
        s->u.wren_vcpu_load.vmptrlds = 11;
    else if ( d->cmd == XEN_DOMCTL_wren_p2m )
        d->u.wren_p2m.arg[1] = d->u.wren_p2m.arg[0] + 1;
    else
        memcpy(d->u.pad, &ld, sizeof(ld));
    return 0;
}

static void test_wren_controls(void)
{
    struct xen_domctl_wren_p2m p2m = { .op = WREN_P2M_LOOKUP, .arg = { 0x1000 } };
    struct xen_domctl_wren_logdirty ld;
    struct xen_sysctl_wren_vcpu_load load;
    struct xen_domctl *d;

    setup();
    fake.hypercall = reply_wren;
    CHECK_EQ(xc_wren_p2m(xch, 2, &p2m), 0);
    d = sent_domctl(XEN_DOMCTL_wren_p2m, 2);
    CHECK_EQ(d->u.wren_p2m.op, WREN_P2M_LOOKUP);
    CHECK_EQ(p2m.arg[1], 0x1001);
    CHECK_EQ(xc_wren_logdirty_stats(xch, 2, &ld), 0);
    CHECK_EQ(sent_domctl(XEN_DOMCTL_wren_logdirty, 2)->u.pad[0], WREN_LOGDIRTY_GET_STATS);
    CHECK_EQ(ld.rounds, 3);
    CHECK_EQ(ld.mech, WREN_LOGDIRTY_MECH_PML);
    CHECK_EQ(xc_wren_vcpu_load(xch, &load), 0);
    sent_sysctl(XEN_SYSCTL_wren_vcpu_load);
    CHECK_EQ(load.vmptrlds, 11);
    teardown();
}

/* A dirty-ring domctl as the hypervisor would answer it: HARVEST writes
 * up to 3 entries (vCPU 9: claims one more than it was given), STATUS
 * reports 7 entries and a stopped vCPU, ENABLE refuses 100 entries. */
static long reply_ring(privcmd_hypercall_t *hc)
{
    struct xen_domctl *d = arg_ptr(hc, 0);
    struct xen_domctl_wren_dirty_ring r;

    memcpy(&r, d->u.pad, sizeof(r));
    if ( r.op == WREN_DIRTY_RING_ENABLE && r.entries == 100 )
        return -EINVAL;
    if ( r.op == WREN_DIRTY_RING_HARVEST )
    {
        struct xen_wren_dirty_entry *e = (void *)(uintptr_t)r.buffer;

        r.count = r.max < 3 ? r.max : 3;
        for ( uint32_t i = 0; i < r.count; i++ )
            e[i] = (struct xen_wren_dirty_entry){ .gfn = 0x100 + i };
        if ( r.vcpu == 9 )
            r.count = r.max + 1;
    }
    if ( r.op == WREN_DIRTY_RING_STATUS )
    {
        r.count = 7;
        r.flags = WREN_DIRTY_RING_F_ENABLED | WREN_DIRTY_RING_F_STOPPED;
    }
    memcpy(d->u.pad, &r, sizeof(r));
    return 0;
}

static struct xen_domctl_wren_dirty_ring *sent_ring(uint32_t domid)
{
    return (void *)sent_domctl(XEN_DOMCTL_wren_dirty_ring, domid)->u.pad;
}

static void test_dirty_ring(void)
{
    struct xen_wren_dirty_entry buf[4] = { { 0 } };
    struct xen_domctl_wren_dirty_ring st;
    unsigned int calls;

    setup();
    fake.hypercall = reply_ring;
    CHECK_EQ(xc_wren_dirty_ring_enable(xch, 2, 128), 0);
    CHECK_EQ(sent_ring(2)->op, WREN_DIRTY_RING_ENABLE);
    CHECK_EQ(sent_ring(2)->entries, 128);
    CHECK_EQ(xc_wren_dirty_ring_enable(xch, 2, 100), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xc_wren_dirty_ring_harvest(xch, 2, 1, buf, 2, &st), 2);
    CHECK_EQ(sent_ring(2)->vcpu, 1);
    CHECK_EQ(sent_ring(2)->max, 2);
    CHECK(sent_ring(2)->buffer && sent_ring(2)->buffer != (uintptr_t)buf); /* bounced */
    CHECK_EQ(buf[1].gfn, 0x101);
    CHECK_EQ(buf[2].gfn, 0); /* nothing past what was taken */
    CHECK_EQ(st.count, 2);
    CHECK_EQ(xc_wren_dirty_ring_harvest(xch, 2, WREN_DIRTY_RING_NO_VCPU, buf, 4, NULL), 3);
    CHECK_EQ(xc_wren_dirty_ring_harvest(xch, 2, 9, buf, 4, NULL), -1); /* a lying answer */
    CHECK_EQ(errno, EIO);
    calls = fake.nr_calls;
    CHECK_EQ(xc_wren_dirty_ring_harvest(xch, 2, 0, buf, 0, NULL), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(xc_wren_dirty_ring_harvest(xch, 2, 0, NULL, 4, NULL), -1);
    CHECK_EQ(xc_wren_dirty_ring_status(xch, 2, 0, NULL), -1);
    CHECK_EQ(fake.nr_calls, calls); /* refused before any call */
    CHECK_EQ(xc_wren_dirty_ring_status(xch, 3, 1, &st), 0);
    CHECK_EQ(sent_ring(3)->op, WREN_DIRTY_RING_STATUS);
    CHECK_EQ(st.count, 7);
    CHECK(st.flags & WREN_DIRTY_RING_F_STOPPED);
    CHECK_EQ(xc_wren_dirty_ring_disable(xch, 3), 0);
    CHECK_EQ(sent_ring(3)->op, WREN_DIRTY_RING_DISABLE);
    teardown();
}

int main(void)
{
    static const struct test_case cases[] = {
        { "xencall_transport", test_xencall_transport },
        { "xc_dirty_ring", test_dirty_ring },
        { "xencall_open_fails", test_xencall_open_fails },
        { "xencall_buffers", test_xencall_buffers },
        { "xc_domctl_simple", test_domctl_simple },
        { "xc_domain_create", test_domain_create },
        { "xc_getinfo_single", test_getinfo_single },
        { "xc_getinfolist", test_getinfolist },
        { "xc_small_domctls", test_small_domctls },
        { "xc_paging_mempool", test_paging_mempool },
        { "xc_hvm_context", test_hvm_context },
        { "xc_domain_resume", test_resume },
        { "xc_save_restore_wrappers", test_save_restore_wrappers },
        { "xc_hvm_param", test_hvm_param },
        { "xc_altp2m", test_altp2m },
        { "xc_reservations", test_reservations },
        { "xc_set_memory_map", test_set_memory_map },
        { "xc_shadow_control", test_shadow_control },
        { "xc_evtchn_alloc_unbound", test_evtchn_alloc_unbound },
        { "xc_physinfo", test_physinfo },
        { "xc_readconsolering", test_readconsolering },
        { "xc_version", test_version },
        { "xc_wren_controls", test_wren_controls },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
