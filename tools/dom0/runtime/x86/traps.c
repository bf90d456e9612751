/*
 * traps.c - what happens when dom0's code faults, and how `syscall`
 * reaches the runtime.
 *
 * Every exception is fatal: dom0 has no process to kill but itself, so
 * the handler prints the vector, error code, registers and CR2, then
 * crashes the domain (SCHEDOP_shutdown crash) so the run ends visibly.
 * All 32 vectors run on IST1, a stack of their own.
 *
 * May not touch: any runtime state; the report uses rt_printf only.
 */
#include <string.h>
#include <xen/sched.h>
#include "rt.h"

#define MSR_EFER  0xc0000080
#define MSR_STAR  0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084

/* Cleared on syscall entry: TF, IF, DF, IOPL, NT, AC (as Linux masks). */
#define SYSCALL_FMASK 0x47700

struct rt_excframe
{
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vec, err, rip, cs, rflags, rsp, ss;
};

struct idt_entry
{
    uint16_t off0, sel;
    uint8_t ist, attr;
    uint16_t off1;
    uint32_t off2, zero;
} __attribute__((packed));

struct tss64
{
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3, iopb;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

extern uint64_t rt_gdt[];
extern const uint8_t rt_exc_stubs[];
extern void rt_syscall_entry(void);
void rt_load_tr(void);
__attribute__((noreturn)) void rt_exception(struct rt_excframe *f);

static struct idt_entry idt[32];
static struct tss64 tss;
static uint8_t ist_stack[16384] __attribute__((aligned(16)));

static const char *const exc_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 error",
    "alignment check",
    "machine check",
    "SIMD error",
    "virtualization",
    "control protection",
};

static void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static void tss_install(void)
{
    uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
    tss.ist[0] = (uintptr_t)ist_stack + sizeof(ist_stack);
    tss.iopb = sizeof(tss);
    rt_gdt[4] =
        (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) | ((base >> 24 & 0xff) << 56);
    rt_gdt[5] = base >> 32;
    rt_load_tr();
}

static void idt_install(void)
{
    struct
    {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) desc = { sizeof(idt) - 1, (uintptr_t)idt };
    for ( unsigned int v = 0; v < 32; v++ )
    {
        uint64_t a = (uintptr_t)rt_exc_stubs + v * 16;
        idt[v] = (struct idt_entry){ (uint16_t)a,         0x08, 1, 0x8e, (uint16_t)(a >> 16),
                                     (uint32_t)(a >> 32), 0 };
    }
    asm volatile("lidt %0" ::"m"(desc));
}

void rt_traps_init(void)
{
    tss_install();
    idt_install();
    /* SYSCALL loads CS from STAR[47:32] and SS from it + 8: ours. */
    wrmsr(MSR_STAR, 0x08UL << 32);
    wrmsr(MSR_LSTAR, (uintptr_t)rt_syscall_entry);
    wrmsr(MSR_FMASK, SYSCALL_FMASK);
}

/* The report is formatted here, not by musl: a fault may come before
 * musl has a thread pointer (its vsnprintf reads the stack canary
 * through %fs), or from inside musl itself. */
static void put(const char *s)
{
    rt_console_write(s, strlen(s));
}

static void put_reg(const char *name, uint64_t v)
{
    char buf[32] = "  ";
    size_t n = 2;
    while ( *name )
        buf[n++] = *name++;
    buf[n++] = ' ';
    for ( int shift = 60; shift >= 0; shift -= 4 )
        buf[n++] = "0123456789abcdef"[(v >> shift) & 0xf];
    rt_console_write(buf, n);
}

void rt_exception(struct rt_excframe *f)
{
    static const char *const names[] = { "rip", "rsp", "rflags", "cr2", "error", "rax", "rbx",
                                         "rcx", "rdx", "rsi",    "rdi", "rbp",   "r8",  "r9",
                                         "r10", "r11", "r12",    "r13", "r14",   "r15" };
    static bool reporting;
    uint64_t cr2, v[20];
    if ( reporting ) /* the report itself faulted: just stop */
        rt_shutdown(SHUTDOWN_crash);
    reporting = true;
    asm volatile("mov %%cr2, %0" : "=r"(cr2));
    put("\ndom0: fatal exception: ");
    put(f->vec < 22 ? exc_names[f->vec] : "reserved");
    put_reg("vector", f->vec);
    put("\n");
    memcpy(v, (uint64_t[]){ f->rip, f->rsp, f->rflags, cr2,    f->err, f->rax, f->rbx,
                            f->rcx, f->rdx, f->rsi,    f->rdi, f->rbp, f->r8,  f->r9,
                            f->r10, f->r11, f->r12,    f->r13, f->r14, f->r15 },
           sizeof(v));
    for ( unsigned int i = 0; i < 20; i++ )
    {
        put_reg(names[i], v[i]);
        if ( i % 4 == 3 )
            put("\n");
    }
    rt_shutdown(SHUTDOWN_crash);
}
