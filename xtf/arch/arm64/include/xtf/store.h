/*
 * store.h (arm64) - a store that may fault, for tests that expect the
 * hypervisor to refuse it with an exception instead of crashing the
 * domain: xtf_try_store64 returns 0, or the ESR_EL1 of the synchronous
 * exception the store took (the hook skips the one instruction), and
 * XTF_RO_WRITE_FAULT is what a write to a read-only grant mapping must
 * give: a data abort from EL1 at EL1 (EC 0x25), 32-bit instruction,
 * synchronous external abort (FSC 0x10), as Xen on Arm injects. Shadows
 * include/xtf/store.h on the arm64 include path. Header only.
 */
#ifndef XTF_STORE_H
#define XTF_STORE_H

#include <xtf/arm64.h>

#define XTF_RO_WRITE_FAULT      ((0x25UL << 26) | (1UL << 25) | 0x10)
#define XTF_RO_WRITE_FAULT_NAME "data abort"

/* A return instruction (RET), for a test that writes code and calls it. */
#define XTF_RET_INSN 0xd65f03c0U

static volatile uint64_t xtf_store_esr;

/* Only a synchronous exception at EL1 (vectors 0 and 4) is the store's. */
static bool xtf_store_hook(uint64_t kind, uint64_t *regs)
{
    (void)regs;
    if ( kind != 0 && kind != 4 )
        return false;
    xtf_store_esr = read_sysreg(esr_el1);
    write_sysreg(read_sysreg(elr_el1) + 4, elr_el1);
    return true;
}

static inline uint64_t xtf_try_store64(volatile uint64_t *p, uint64_t v)
{
    xtf_store_esr = 0;
    xtf_exception_hook = xtf_store_hook;
    __asm__ volatile("str %1, [%0]" ::"r"(p), "r"(v) : "memory");
    xtf_exception_hook = NULL;
    return xtf_store_esr;
}

#endif /* XTF_STORE_H */
