/*
 * hvm_mmio.h - the registry of emulated MMIO devices, and what a guest
 * access to guest-physical memory with no RAM behind it reaches.
 *
 * A handler claims guest-physical addresses (accepts) and serves the
 * accesses the instruction emulator (emulate.c) makes there, one at a
 * time, each 1, 2, 4 or 8 bytes and never across a page: an access is
 * split as the instruction made it (a REP MOVS of words is one call per
 * word). An address no handler accepts is a hole, as on Xen with no
 * device model: reads return all-ones, writes are dropped.
 *
 * Handlers are registered at boot, before any domain runs, and never
 * removed; the registry takes no lock. A handler runs on the faulting
 * vCPU's CPU with no lock of the emulator's held, and may not touch
 * guest memory through the p2m of another domain.
 */
#ifndef ASM_HVM_MMIO_H
#define ASM_HVM_MMIO_H

#include <xen/types.h>

struct vcpu;

struct hvm_mmio_handler
{
    const char *name;
    /* Does this device sit at gpa, for this vCPU? No side effects. */
    bool (*accepts)(struct vcpu *v, uint64_t gpa);
    /* 0, or -errno: the access then behaves as a hole (all-ones). */
    int (*read)(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val);
    /* 0, or -errno: the write is dropped, as in a hole. */
    int (*write)(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t val);
};

/* Boot only. h must stay valid for ever; the first handler that accepts
 * an address serves it. Panics past HVM_MMIO_MAX_HANDLERS. */
#define HVM_MMIO_MAX_HANDLERS 16
void hvm_mmio_register(const struct hvm_mmio_handler *h);

/* One access of size 1, 2, 4 or 8 at gpa (not crossing a page) to what
 * is there besides RAM: a handler, else the hole. Reads zero-extend into
 * *val; they cannot fail. */
/* Does a device of the registry serve gpa (before any IOREQ server)? */
bool hvm_mmio_claimed(struct vcpu *v, uint64_t gpa);
void hvm_mmio_read(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val);
void hvm_mmio_write(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t val);

#endif /* ASM_HVM_MMIO_H */
