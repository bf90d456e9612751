/*
 * emul.h - what the hole-emulation tests (tests/emul-*) share: the
 * sentinel each test instruction is followed by (a MOV of SENTINEL into a
 * register: if the hypervisor advanced RIP right, it runs), and a checked
 * 64-bit load from a guest-physical address.
 */
#ifndef XTF_EMUL_H
#define XTF_EMUL_H

#include <xtf.h>

#define SENTINEL 0x5a5a5a5aU

static inline void check_sentinel(uint32_t s, const char *what)
{
    if ( s != SENTINEL )
        xtf_failure("%s: RIP did not land on the next instruction (sentinel %#x)", what, s);
}

/* A MOV load from a (maybe emulated) address, followed by the sentinel. */
static inline uint64_t load64(uint64_t a)
{
    uint64_t v;
    uint32_t s;

    __asm__ volatile("movq (%[a]), %[v]; mov $0x5a5a5a5a, %[s]"
                     : [v] "=r"(v), [s] "=r"(s)
                     : [a] "r"(a)
                     : "memory");
    check_sentinel(s, "movq load");
    return v;
}

#endif /* XTF_EMUL_H */
