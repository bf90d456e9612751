/*
 * hvmctx-xcr0 - gethvmcontext of a guest (xcr0-hidden, domain 1) whose
 * XCR0 holds PKRU, a component CPUID does not offer it: under QEMU's SVM
 * its XSETBV is not intercepted, the CPU takes it, and the hypervisor
 * keeps the component per vCPU. The CPU_XSAVE record must not carry it
 * (an XCR0 and xcr0_accum within xfeature_mask, what the host offers,
 * and XSTATE_BV within xcr0_accum): sethvmcontext refuses anything
 * beyond, so a record with it could not be loaded anywhere, not even
 * back into the same domain. dom0 waits until the guest's XCR0 moved
 * from its power-on value, pauses it, reads the context, checks the
 * record and loads the context back (0).
 *
 * Where XSETBV exits (Bochs) the hypervisor refuses PKRU and the guest
 * sets the offered XCR0: the same checks hold trivially.
 *
 * May not touch: any domain but domain 1 (paused and unpaused).
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/xstate.h>
#include <xtf/time.h>

const char test_title[] = "HVM context: CPU_XSAVE of an XCR0 beyond CPUID's";

#define TARGET  1
#define CTX_MAX XTF_HVM_CTX_SAVED_MAX(1)
#define WAIT_NS 20000000000ULL /* 20 s of system time: Bochs is slow */

static uint8_t ctx[CTX_MAX];
static uint32_t ctx_size;

static struct hvm_hw_cpu_xsave *xsave_record(uint32_t *len)
{
    for ( uint32_t off = 0; off + 8 <= ctx_size; )
    {
        struct hvm_save_descriptor *d = (void *)(ctx + off);

        if ( d->typecode == HVM_SAVE_CODE(CPU_XSAVE) )
            return *len = d->length, (void *)(ctx + off + 8);
        if ( d->typecode == HVM_SAVE_CODE(END) )
            break;
        off += 8 + d->length;
    }
    return NULL;
}

static long read_context(void)
{
    ctx_size = sizeof(ctx);
    return xtf_gethvmcontext(TARGET, ctx, &ctx_size);
}

/* Until the guest's XCR0 is no longer its power-on x87 (or the limit). */
static struct hvm_hw_cpu_xsave *wait_xcr0_set(uint32_t *len)
{
    uint64_t until = xtf_now() + WAIT_NS;

    while ( xtf_now() < until )
    {
        struct hvm_hw_cpu_xsave *r;

        if ( read_context() )
            return NULL;
        r = xsave_record(len);
        if ( r && r->xcr0 != XSTATE_X87 )
            return r;
        hypercall_yield();
    }
    return NULL;
}

static void check_record(const struct hvm_hw_cpu_xsave *r)
{
    printf("CPU_XSAVE: xfeature_mask %#lx, xcr0 %#lx, xcr0_accum %#lx, XSTATE_BV %#lx\n",
           (unsigned long)r->xfeature_mask, (unsigned long)r->xcr0, (unsigned long)r->xcr0_accum,
           (unsigned long)r->save_area.xsave_hdr.xstate_bv);
    if ( r->xcr0 & ~r->xfeature_mask )
        xtf_failure("xcr0 %#lx beyond what the host offers (%#lx)", (unsigned long)r->xcr0,
                    (unsigned long)r->xfeature_mask);
    if ( r->xcr0_accum & ~r->xfeature_mask )
        xtf_failure("xcr0_accum %#lx beyond what the host offers", (unsigned long)r->xcr0_accum);
    if ( r->save_area.xsave_hdr.xstate_bv & ~r->xcr0_accum )
        xtf_failure("XSTATE_BV %#lx beyond xcr0_accum",
                    (unsigned long)r->save_area.xsave_hdr.xstate_bv);
}

void test_main(void)
{
    struct hvm_hw_cpu_xsave *r;
    uint32_t len = 0;
    long rc;

    if ( !xcr0_offered() )
        return xtf_skip("no XSAVE: no CPU_XSAVE record");
    if ( !wait_xcr0_set(&len) )
        return xtf_failure("the guest's XCR0 never moved from x87 alone");
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_pausedomain, TARGET)) )
        return xtf_failure("pausedomain: %ld", rc);
    if ( (rc = read_context()) || !(r = xsave_record(&len)) )
        xtf_failure("gethvmcontext of the paused guest: %ld", rc);
    else
    {
        check_record(r);
        if ( (rc = xtf_sethvmcontext(TARGET, ctx, ctx_size)) )
            xtf_failure("the context just read does not load back: %ld", rc);
    }
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_unpausedomain, TARGET)) )
        xtf_failure("unpausedomain: %ld", rc);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
