/*
 * x86/hypercall.c - how dom0 calls the hypervisor on x86: the hypercall
 * page the hypervisor fills (its MSR found by the hypervisor CPUID
 * leaves), and port 0xE9 for output before the page works.
 *
 * May not touch: any state of its own beyond the hypercall page.
 */
#include <cpuid.h>
#include <xen/xen.h>
#include "rt.h"

static uint8_t hypercall_page[RT_PAGE] __attribute__((aligned(4096)));
bool rt_hypercall_ready;

long hypercall(unsigned int nr, long a1, long a2, long a3, long a4, long a5)
{
    register long r10 asm("r10") = a4;
    register long r8 asm("r8") = a5;
    long rax;
    void *fn = hypercall_page + nr * 32;
    if ( nr >= RT_PAGE / 32 )
        return -38; /* ENOSYS: beyond the page */
    /* The call pushes a return address: step over the red zone first,
     * where the compiler may keep the very struct this call passes. */
    asm volatile("lea -128(%%rsp), %%rsp\n\t"
                 "call *%[fn]\n\t"
                 "lea 128(%%rsp), %%rsp"
                 : "=a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : [fn] "r"(fn)
                 : "memory", "rcx", "r9", "r11");
    return rax;
}

/* Xen's CPUID leaves may sit at any 0x100 step from 0x40000000. */
static uint32_t xen_cpuid_base(void)
{
    for ( uint32_t base = 0x40000000; base < 0x40010000; base += 0x100 )
    {
        uint32_t a, b, c, d;
        __cpuid(base, a, b, c, d);
        if ( b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e && a >= base + 2 )
            return base;
    }
    return 0;
}

void rt_hypercall_init(void)
{
    uint32_t base = xen_cpuid_base(), a, b, c, d;
    uint64_t gpa = (uintptr_t)hypercall_page;
    if ( !base )
    {
        rt_printf("dom0: not running on Xen's ABI (no hypervisor CPUID leaves)\n");
        for ( ;; )
            asm volatile("hlt");
    }
    __cpuid(base + 2, a, b, c, d);
    asm volatile("wrmsr" ::"c"(b), "a"((uint32_t)gpa), "d"((uint32_t)(gpa >> 32)));
    rt_hypercall_ready = true;
}

void rt_arch_early_write(const char *s, size_t n)
{
    for ( size_t i = 0; i < n; i++ )
        asm volatile("outb %0, $0xe9" ::"a"(s[i]));
}
