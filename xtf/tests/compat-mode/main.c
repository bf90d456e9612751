/*
 * compat-mode - which ABI a hypercall uses is decided by the mode the
 * vCPU is in when it calls, not by the paging mode or by what the kernel
 * is: a 64-bit kernel that calls from compatibility mode (long mode
 * active, a 32-bit code segment) gets the 32-bit convention (EBX ECX ...)
 * and the 32-bit struct layouts, as on Xen; back in 64-bit mode it gets
 * the 64-bit ones again.
 *
 * compat_call() switches to the runtime's 32-bit code segment, calls the
 * hypercall page from there, and switches back. Checked with
 * xen_version(platform_parameters) (4 bytes in the 32-bit layout, 8 in
 * the 64-bit one) and memory_map (nr_entries and the buffer handle at 0
 * and 4, not 0 and 8), each followed by a canary.
 */
#include <xtf.h>
#include <public/version.h>
#include <public/memory.h>
#include <public/arch-x86/compat.h>

const char test_title[] = "compat-mode: hypercalls from compatibility mode";

#define CANARY  0xc0ffee11U
#define STR_(x) #x
#define STR(x)  STR_(x)

long compat_call(uint32_t nr, uint32_t a1, uint32_t a2);

/*
 * Into compatibility mode with a far return to XTF_CS32, a call through
 * the hypercall page there (its stubs end in a 32-bit ret), and back with
 * a far jump to XTF_CS64. The upper halves of registers are not kept
 * across the switch, so the callee-saved ones and RSP are saved in
 * memory; interrupts stay off throughout. Everything named is below
 * 4 GiB (the kernel and its stack are identity-mapped low memory).
 */
asm(".pushsection .text\n"
    ".global compat_call\n"
    "compat_call:\n"
    "    push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "    pushfq\n"
    "    cli\n"
    "    mov %rsp, compat_saved_rsp(%rip)\n"
    "    mov %edi, %eax\n"
    "    shl $5, %eax\n"
    "    lea hypercall_page(%rip), %rcx\n"
    "    add %rcx, %rax\n"
    "    mov %eax, compat_stub(%rip)\n"
    "    mov %esi, %ebx\n"
    "    mov %edx, %ecx\n"
    "    pushq $" STR(
        XTF_CS32) "\n"
                  "    lea 1f(%rip), %rax\n"
                  "    push %rax\n"
                  "    lretq\n"
                  ".code32\n"
                  "1:  call *compat_stub\n"
                  "    ljmp $" STR(
                      XTF_CS64) ", $2f\n"
                                ".code64\n"
                                "2:  mov compat_saved_rsp(%rip), %rsp\n"
                                "    movslq %eax, %rax\n"
                                "    popfq\n"
                                "    pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
                                "    ret\n"
                                ".popsection\n");

uint64_t compat_saved_rsp;
uint32_t compat_stub;

static void check(bool ok, const char *what, long rc)
{
    if ( !ok )
        xtf_failure("%s (rc %ld)", what, rc);
}

static void platform_parameters(void)
{
    struct
    {
        struct compat_platform_parameters p;
        uint32_t canary;
    } c = { { 0xffffffffU }, CANARY };
    struct xen_platform_parameters n = { .virt_start = ~0ULL };
    long rc =
        compat_call(__HYPERVISOR_xen_version, XENVER_platform_parameters, (uint32_t)(uintptr_t)&c);
    check(rc == 0 && c.p.virt_start == 0, "compat mode: platform_parameters", rc);
    check(c.canary == CANARY, "compat mode: platform_parameters wrote 8 bytes", rc);
    rc = hypercall_xen_version(XENVER_platform_parameters, &n);
    check(rc == 0 && n.virt_start == 0, "64-bit mode: platform_parameters, all 8 bytes", rc);
}

static void memory_map(void)
{
    struct xen_e820_entry e[8];
    struct
    {
        struct compat_memory_map m;
        uint32_t canary[2];
    } c;
    long rc;
    memset(e, 0, sizeof(e));
    c.m = (struct compat_memory_map){ ARRAY_SIZE(e), (uint32_t)(uintptr_t)e };
    c.canary[0] = c.canary[1] = CANARY;
    rc = compat_call(__HYPERVISOR_memory_op, XENMEM_memory_map, (uint32_t)(uintptr_t)&c);
    check(rc == 0 && c.m.nr_entries >= 1 && e[0].size, "compat mode: memory_map", rc);
    check(c.canary[0] == CANARY && c.canary[1] == CANARY, "compat mode: memory_map past 8 bytes",
          rc);
}

void test_main(void)
{
    if ( (uintptr_t)&compat_saved_rsp >= (1ULL << 32) )
        return xtf_error("the kernel is not below 4 GiB");
    platform_parameters();
    memory_map();
    xtf_success(NULL);
}
