/*
 * ioreq_target.h - the mailbox commands of tests/ioreq-target, the
 * domU the ioreq-* controllers send I/O through: each command makes the
 * target's own vCPU execute one kind of instruction, so every access
 * reaches the hypervisor as the guest's and goes to an IOREQ server.
 * Numbers start above p2m-target's (xtf/mailbox.h), which it also
 * answers (NOP, EXIT).
 */
#ifndef XTF_IOREQ_TARGET_H
#define XTF_IOREQ_TARGET_H

#include <xtf/mailbox.h>

/* Guest-physical MMIO the tests claim: a hole in every target's map,
 * identity-mapped by the runtime's page tables. */
#define IOT_MMIO_BASE 0xe0000000UL

/* An access to a hole no server claims: x86 reads all-ones (writes are
 * dropped); Arm has no such hole, the hypervisor crashes the domain. */
#if defined(__aarch64__)
#define IOT_HOLE_CRASHES true
#else
#define IOT_HOLE_CRASHES false
#endif
/* Port I/O (IOT_PIO, IOT_PIO_STRING) exists: x86 only. */
#if defined(__aarch64__)
#define IOT_HAS_PIO false
#else
#define IOT_HAS_PIO true
#endif

enum iot_op
{
    /* IN or OUT: arg0 port, arg1 size (1/2/4), arg2 1 = write, arg3 the
     * value written; out[0] = the value read. */
    IOT_PIO = 0x100,
    /* INS or OUTS: arg0 port, arg1 size, arg2 IOT_STR_* flags, arg3
     * count (1 without IOT_STR_REP). OUTS sends val[0..count) in order
     * of the buffer; INS fills out[0..count) from the buffer (with DF the
     * string goes downwards from its last element). out[nr] unused. */
    IOT_PIO_STRING,
    /* One instruction on MMIO at arg0: arg1 size, arg2 IOT_MMIO_*, arg3
     * the register operand; out[0] = the register afterwards, out[1] =
     * RFLAGS afterwards (ZF for CMPXCHG), out[2] = RCX after a REP. */
    IOT_MMIO,
    /* EVTCHNOP arg0 (send, close, bind_vcpu to vCPU 0) on port arg1;
     * result = what the hypercall returned. */
    IOT_EVTCHN,
    /* A device-model call from the target itself: arg0 0 = DMOP create
     * on domain arg1, 1 = acquire_resource of server arg2 of domain
     * arg1; result = what it returned (-EPERM: the target is no DM). */
    IOT_DM_CALL,
};

#define IOT_STR_WRITE 1U
#define IOT_STR_DF    2U
#define IOT_STR_REP   4U

enum iot_mmio_kind
{
    IOT_MMIO_LOAD,      /* mov reg, [m] */
    IOT_MMIO_STORE,     /* mov [m], reg */
    IOT_MMIO_ADD,       /* add [m], reg (4 or 8 bytes) */
    IOT_MMIO_XCHG,      /* xchg [m], reg (8 bytes) */
    IOT_MMIO_CMPXCHG,   /* lock cmpxchg [m], reg with rax = val[0] (8 bytes) */
    IOT_MMIO_MOVS_TO,   /* rep movsq: val[0..arg3) from RAM to [m] */
    IOT_MMIO_MOVS_FROM, /* rep movsq: arg3 qwords from [m] to RAM, into out[3..] */
    IOT_MMIO_FXSAVE,    /* fxsave [m]: 512 bytes, more accesses than can be replayed */
    /* AArch64 (arm64.c); x86 answers -EOPNOTSUPP. out[0] as above, out[1]
     * = the ESR_EL1 of an abort the access took (0: none). */
    IOT_MMIO_LOAD_SX = 0x40, /* ldrsb/ldrsh/ldrsw Xt (1, 2, 4 bytes): sign-extended */
    IOT_MMIO_LOAD_SW,        /* ldrsb/ldrsh Wt (1, 2 bytes): to 32 bits, upper half 0 */
    IOT_MMIO_STORE_ZR,       /* str wzr/xzr (4, 8 bytes) */
    IOT_MMIO_LDP,            /* ldp x, x, [m]: no syndrome (ISV 0); out[0], out[2] */
    /* ldr w of [m] with IRQs on and the virtual timer due 10 ms later;
     * its PPI's handler loads 4 bytes at arg3 into out[2]; out[3] = how
     * many timer interrupts came (within 2 s). */
    IOT_MMIO_LOAD_IRQ,
};

#endif /* XTF_IOREQ_TARGET_H */
