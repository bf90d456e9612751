/* SPDX-License-Identifier: MIT */
/*
 * xc_resume.c - xc_domain_resume(): a domain that suspended itself
 * (SCHEDOP_shutdown with SHUTDOWN_suspend) carries on in place, as after
 * a checkpoint (xl save -c) or a save that was given up.
 *
 * fast (Xen's "cooperative" resume): the guest's suspend hypercall is
 * made to return 1, "cancelled", so the guest knows it is still in the
 * domain it suspended in and keeps its registrations. Otherwise it sees
 * 0, as in a new domain, and sets everything up again. Either way the
 * hypervisor's XEN_DOMCTL_resumedomain then lets its vCPUs run.
 *
 * It changes only vCPU 0's RAX in the domain named, and leaves the
 * controller's pause count as it found it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/hvm/save.h>

#include "xc_private.h"

/* The CPU record of vCPU 0 in a context of len bytes, or NULL. */
static uint8_t *vcpu0_record(uint8_t *ctxt, size_t len)
{
    struct hvm_save_descriptor d;

    for ( size_t off = 0; off + sizeof(d) <= len; off += sizeof(d) + d.length )
    {
        memcpy(&d, ctxt + off, sizeof(d));
        if ( d.length > len - off - sizeof(d) || d.typecode == HVM_SAVE_CODE_END )
            return NULL;
        if ( d.typecode == HVM_SAVE_CODE_CPU && d.instance == 0 &&
             d.length == sizeof(struct hvm_hw_cpu) )
            return ctxt + off + sizeof(d);
    }
    return NULL;
}

/* vCPU 0's RAX := ret, through the HVM context (the domain is paused). */
static int set_suspend_return(xc_interface *xch, uint32_t domid, uint64_t ret)
{
    int len = xc_domain_hvm_getcontext(xch, domid, NULL, 0);
    struct hvm_hw_cpu copy;
    uint8_t *ctxt, *cpu;
    int rc = -1;

    if ( len <= 0 )
        return len < 0 ? -1 : (errno = EINVAL, -1);
    ctxt = malloc((size_t)len);
    if ( !ctxt )
        return errno = ENOMEM, -1;
    len = xc_domain_hvm_getcontext(xch, domid, ctxt, (uint32_t)len);
    cpu = len > 0 ? vcpu0_record(ctxt, (size_t)len) : NULL;
    if ( len > 0 && !cpu )
        errno = ENOENT; /* vCPU 0 is down: nobody made the hypercall */
    if ( cpu )
    {
        memcpy(&copy, cpu, sizeof(copy)); /* the record need not be aligned */
        copy.rax = ret;
        memcpy(cpu, &copy, sizeof(copy));
        rc = xc_domain_hvm_setcontext(xch, domid, ctxt, (uint32_t)len);
    }
    free(ctxt);
    return rc;
}

int xc_domain_resume(xc_interface *xch, uint32_t domid, int fast)
{
    struct xen_domctl d = { 0 };
    int rc, e;

    if ( xc_domain_pause(xch, domid) )
        return -1;
    rc = fast ? set_suspend_return(xch, domid, 1) : 0;
    if ( !rc )
        rc = xc_domctl(xch, XEN_DOMCTL_resumedomain, domid, &d) < 0 ? -1 : 0;
    e = errno;
    if ( xc_domain_unpause(xch, domid) && !rc )
        return -1;
    errno = e;
    return rc;
}
