/*
 * x86.c - fuzz-hostile's x86 half (hostile.h's fuzz_arch_* hooks): the
 * read-only page is a read-only PTE of the runtime's page tables with
 * CR0.WP set, so the hypervisor's copies must honour it as the CPU does;
 * every call the fuzzer issues exists on x86. Built only for x86 (the
 * whole file); touches only CR0 and that PTE.
 */
#if defined(__x86_64__)
#include "hostile.h"

void fuzz_arch_protect(uint64_t gpa)
{
    uint64_t cr0;

    xtf_protect_low_page(gpa);
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 |= X86_CR0_WP; /* the hypervisor must honour it too */
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0) : "memory");
}

bool fuzz_arch_absent_hvmop(unsigned int op)
{
    return false;
}

bool fuzz_arch_absent_call(uint64_t nr)
{
    return false;
}
#endif
