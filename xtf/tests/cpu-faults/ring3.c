/*
 * ring3.c - run one XSETBV at CPL 3 for cpu-faults, without help from the
 * runtime (which has no ring 3): a private GDT (the runtime's selectors
 * plus DPL-3 code and data and a TSS whose RSP0 catches the fault), the
 * U bit on the two pages the user code and stack use, and an IDT gate
 * (vector 0x80, DPL 3) that brings the CPU back to ring 0.
 *
 * The #GP is caught by the runtime's exception table like any other; its
 * fixup is still in ring 3, and "int $0x80" from there returns here.
 */
#include <xtf.h>
#include "ring3.h"

#define USER_CS      0x2b /* 0x28 | RPL 3 */
#define USER_SS      0x23 /* 0x20 | RPL 3 */
#define TSS_SEL      0x30
#define RING0_VECTOR 0x80
#define PTE_U        4ULL

extern uint64_t xtf_pml4[512], xtf_pdpt[512], xtf_pd[2048], xtf_pt_low[512];

struct tss64
{
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1, ist[7], reserved2;
    uint16_t reserved3, iomap_base;
} __attribute__((packed));

static uint64_t gdt[8] __aligned(16);
static struct tss64 tss __aligned(16);
static uint8_t ring0_stack[4096] __aligned(16);
uint8_t user_stack[4096] __aligned(4096);
uint64_t ring3_saved_rsp;

void ring3_xsetbv_entry(void);
void ring3_return(void);
uint64_t ring3_run(void);

/*
 * ring3_run: save the callee-saved registers and RSP, IRETQ to
 * ring3_xsetbv_entry at CPL 3. There XSETBV(0, 3) runs; RAX becomes its
 * exinfo (0 if it did not fault) and INT 0x80 lands in ring3_return,
 * which takes the saved RSP back and returns RAX.
 */
__asm__("    .text\n"
        "    .global ring3_run\n"
        "ring3_run:\n"
        "    push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "    mov %rsp, ring3_saved_rsp(%rip)\n"
        "    pushq $"
        "0x23"
        "\n"
        "    lea user_stack+4096(%rip), %rax\n"
        "    push %rax\n"
        "    pushq $2\n"
        "    pushq $"
        "0x2b"
        "\n"
        "    lea ring3_xsetbv_entry(%rip), %rax\n"
        "    push %rax\n"
        "    iretq\n"
        "    .balign 4096\n"
        "    .global ring3_xsetbv_entry\n"
        "ring3_xsetbv_entry:\n"
        "    xor %ecx, %ecx\n"
        "    xor %edx, %edx\n"
        "    mov $3, %eax\n"
        "1:  xsetbv\n"
        "    xor %eax, %eax\n"
        "2:  int $0x80\n"
        "    ud2\n" _ASM_EXTABLE(
            1b, 2b) "    .balign 16\n"
                    "    .global ring3_return\n"
                    "ring3_return:\n"
                    "    mov ring3_saved_rsp(%rip), %rsp\n"
                    "    pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
                    "    ret\n");

static void load_gdt_tss(void)
{
    struct __attribute__((packed))
    {
        uint16_t limit;
        uint64_t base;
    } desc;
    uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;

    __asm__ volatile("sgdt %0" : "=m"(desc));
    memcpy(gdt, (void *)(uintptr_t)desc.base, 4 * 8); /* null, CS64, DS, CS32 */
    gdt[4] = 0x00cff3000000ffffULL;                   /* 0x20: data, DPL 3 */
    gdt[5] = 0x00affb000000ffffULL;                   /* 0x28: 64-bit code, DPL 3 */
    gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
             (((base >> 24) & 0xff) << 56); /* 0x30: available 64-bit TSS */
    gdt[7] = base >> 32;
    tss.rsp[0] = (uint64_t)(uintptr_t)(ring0_stack + sizeof(ring0_stack));
    tss.iomap_base = sizeof(tss);
    desc.limit = sizeof(gdt) - 1;
    desc.base = (uint64_t)(uintptr_t)gdt;
    __asm__ volatile("lgdt %0" ::"m"(desc));
    __asm__ volatile("ltr %w0" ::"r"((uint16_t)TSS_SEL));
}

static void set_ring0_gate(void)
{
    struct __attribute__((packed))
    {
        uint16_t limit;
        uint64_t base;
    } idtr;
    uint64_t h = (uint64_t)(uintptr_t)ring3_return;
    uint32_t *g;

    __asm__ volatile("sidt %0" : "=m"(idtr));
    g = (uint32_t *)(uintptr_t)(idtr.base + RING0_VECTOR * 16);
    g[0] = (h & 0xffff) | ((uint32_t)XTF_CS64 << 16);
    g[1] = (h & 0xffff0000) | 0xee00; /* present, DPL 3, interrupt gate */
    g[2] = h >> 32;
    g[3] = 0;
    if ( idtr.limit < RING0_VECTOR * 16 + 15 )
    {
        idtr.limit = RING0_VECTOR * 16 + 15;
        __asm__ volatile("lidt %0" ::"m"(idtr));
    }
}

/* The U bit on the 4 KiB page holding va (first 2 MiB) and the tables above. */
static void make_user(const void *va)
{
    uint64_t a = (uint64_t)(uintptr_t)va;

    xtf_pml4[0] |= PTE_U;
    xtf_pdpt[0] |= PTE_U;
    xtf_pd[0] |= PTE_U;
    xtf_pt_low[(a >> 12) & 511] |= PTE_U;
}

uint64_t xsetbv_at_cpl3(void)
{
    load_gdt_tss();
    set_ring0_gate();
    make_user(ring3_xsetbv_entry);
    make_user(user_stack);
    __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
    return ring3_run();
}
