/*
 * x86.c - the vcpus test's x86 half: VCPUOP_initialise contexts that VM
 * entry would refuse. Built only for x86 (the whole file); touches only
 * vCPU 1's (refused) context.
 */
#if defined(__x86_64__)
#include <xtf.h>
#include <public/vcpu.h>
#include <public/hvm/hvm_vcpu.h>
#include "vcpus.h"

/* A context VM entry would refuse is refused by VCPUOP_initialise
 * (-EINVAL), and leaves vCPU 1 uninitialised: the start below works. */
void bad_contexts(void)
{
    static const struct
    {
        const char *what;
        unsigned int field;
        uint64_t bits;
    } bad[] = {
        { "CR0 bit 32", 0, 1ULL << 32 },  { "CR0.NW without CD", 0, 1ULL << 29 },
        { "EFER bit 1", 1, 1ULL << 1 },   { "EFER.SVME", 1, 1ULL << 12 },
        { "RFLAGS bit 3", 2, 1ULL << 3 }, { "RFLAGS.VM", 2, 1ULL << 17 },
        { "CR3 bit 63", 3, 1ULL << 63 },
    };

    for ( unsigned int i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };
        struct vcpu_hvm_x86_64 *r = &ctx.cpu_regs.x86_64;
        uint64_t *field[] = { &r->cr0, &r->efer, &r->rflags, &r->cr3 };
        long rc;

        r->rip = (uint64_t)(uintptr_t)ap_main;
        r->rflags = 0x2;
        r->cr0 = read_cr0();
        r->cr3 = read_cr3();
        r->cr4 = read_cr4();
        r->efer = X86_EFER_LME | X86_EFER_LMA;
        *field[bad[i].field] |= bad[i].bits;
        rc = hypercall_vcpu_op(VCPUOP_initialise, 1, &ctx);
        if ( rc != -XEN_EINVAL )
            xtf_failure("VCPUOP_initialise with %s: %ld, not -EINVAL", bad[i].what, rc);
    }
}
#endif /* __x86_64__ */
