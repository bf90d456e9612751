/*
 * store.h (x86) - a store that may fault, for tests that expect the
 * hypervisor to refuse it with an exception instead of crashing the
 * domain: xtf_try_store64 returns 0, or what the exception was, and
 * XTF_RO_WRITE_FAULT is what a write to a read-only grant mapping must
 * give (#GP, error code 0, as Xen's HVM guests get). Shadowed on arm64
 * by arch/arm64/include/xtf/store.h. Header only.
 */
#ifndef XTF_STORE_H
#define XTF_STORE_H

#include <xtf/traps.h>

#define XTF_RO_WRITE_FAULT      EXINFO(X86_EXC_GP, 0)
#define XTF_RO_WRITE_FAULT_NAME "#GP"

/* A return instruction, for a test that writes code and calls it. */
#define XTF_RET_INSN 0xc3U

/* The exinfo of the exception the store took (0 if it did not). */
static inline uint64_t xtf_try_store64(volatile uint64_t *p, uint64_t v)
{
    uint64_t ex = 0;

    __asm__ volatile("1: movq %[v], %[p]; 2:" _ASM_EXTABLE(1b, 2b)
                     : "+a"(ex), [p] "=m"(*p)
                     : [v] "r"(v));
    return ex;
}

#endif /* XTF_STORE_H */
