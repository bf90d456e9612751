/*
 * xcheck.c - the EL2 half of the stage-2 QEMU cross-check (run.sh): puts
 * every leaf gen-stage2-cases printed (the stage-2 backend's descriptors:
 * pages, and 2M blocks) into a real stage-2 table, drops to EL1 with its
 * MMU off, reads, writes and executes through each one, and compares what
 * QEMU's MMU did with what the p2m-hw.c model predicted; also that the MMU
 * set S2AP[1] on every clean DBM leaf it let a write through, and changed
 * nothing else.
 * Ends with one "Test result:" line. A bare-metal test program for
 * qemu-system-aarch64 -M virt,virtualization=on: it uses no Wren code
 * and no library, and must not be linked into anything.
 */
#include <stdbool.h>
#include <stdint.h>

struct xcase
{
    uint64_t pte;    /* its address field is where the case lives */
    uint8_t level;   /* the core's: 1 a page, 2 a 2M block */
    uint8_t want[3]; /* read, write, fetch: the model's outcome */
};
#include "cases.h"

enum
{
    OUT_OK = 0,
    OUT_TRANSLATION = 1,
    OUT_PERMISSION = 2,
    OUT_OTHER = 3,
};

#define PL011_DR        ((volatile uint32_t *)0x09000000)
#define PL011_FR        ((volatile uint32_t *)0x09000018)
#define FR_TXFF         (1U << 5)
#define CASE_BASE       0x41000000ULL /* 2M-aligned: one level-3 table */
#define CASE_PAGE(i)    (CASE_BASE + ((uint64_t)(i) << 12))
#define OA_MASK         0x0000fffffffff000ULL
#define RAM_BASE        0x40000000ULL
#define S2_RAM          ((0xfULL << 2) | (3ULL << 6) | (3ULL << 8) | (1ULL << 10) | 1)
#define S2_DEVICE       ((0x1ULL << 2) | (3ULL << 6) | (1ULL << 10) | (2ULL << 53) | 1)
#define S2_TABLE        3ULL
#define S2_PAGE         2ULL
#define S2AP_W          (1ULL << 7)
#define S2_AF           (1ULL << 10)
#define S2_DBM          (1ULL << 51)
#define INSN_RET        0xd65f03c0U
#define PSCI_SYSTEM_OFF 0x84000008U /* PSCI 0.2, SMC32 */

#define READ_SYSREG(r)                              \
    ({                                              \
        uint64_t v_;                                \
        __asm__ volatile("mrs %0, " #r : "=r"(v_)); \
        v_;                                         \
    })
#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))

_Static_assert(NR_XPAGES <= 512, "the 4K cases must fit one level-3 table");

static uint64_t l0[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint64_t el1_stack[1024] __attribute__((aligned(16)));
extern char xcheck_vectors[];

/* Shared between EL1 (which sets the case) and EL2 (which records). */
static volatile unsigned int cur_case, cur_access;
static volatile uint8_t got[NR_XCASES][3];

static void put_char(char c)
{
    while ( *PL011_FR & FR_TXFF )
        ;
    *PL011_DR = c;
}

static void put_str(const char *s)
{
    for ( ; *s; s++ )
    {
        if ( *s == '\n' )
            put_char('\r');
        put_char(*s);
    }
}

static void put_num(uint64_t v, unsigned int base)
{
    char buf[24];
    int n = 0;

    do
        buf[n++] = "0123456789abcdef"[v % base];
    while ( v /= base );
    if ( base == 16 )
        put_str("0x");
    while ( n )
        put_char(buf[--n]);
}

/* ESR_ELx fault status code -> outcome. */
static unsigned int classify(uint64_t esr)
{
    switch ( esr & 0x3c )
    {
    case 0x04: return OUT_TRANSLATION;
    case 0x0c: return OUT_PERMISSION;
    default: return OUT_OTHER; /* address size, access flag, ... */
    }
}

/* Where case i's descriptor sits, and the address its accesses use. */
static volatile uint64_t *case_slot(unsigned int i)
{
    uint64_t oa = xcases[i].pte & OA_MASK;

    return xcases[i].level == 1 ? &l3[(oa - CASE_BASE) >> 12] : &l2[(oa - RAM_BASE) >> 21];
}

static uint64_t case_addr(unsigned int i)
{
    return xcases[i].pte & OA_MASK;
}

/* The MMU may set S2AP[1] (clean DBM leaf written) and AF, nothing else. */
static unsigned int check_descriptor(unsigned int i)
{
    uint64_t before = xcases[i].pte, now = *case_slot(i);
    bool wrote = got[i][1] == OUT_OK;
    bool clean_dbm = (before & S2_DBM) && !(before & S2AP_W);

    if ( wrote && clean_dbm && !(now & S2AP_W) )
        return 1;
    if ( ((before ^ now) & ~(S2_AF | (wrote && clean_dbm ? S2AP_W : 0))) != 0 )
        return 1;
    return 0;
}

static void report(void)
{
    unsigned int i, k, passed = 0, failed = 0;

    for ( i = 0; i < NR_XCASES; i++ )
    {
        for ( k = 0; k < 3; k++ )
        {
            if ( got[i][k] == xcases[i].want[k] )
            {
                passed++;
                continue;
            }
            failed++;
            put_str("mismatch: descriptor ");
            put_num(xcases[i].pte, 16);
            put_str(k == 0 ? " read" : k == 1 ? " write" : " fetch");
            put_str(": QEMU ");
            put_num(got[i][k], 10);
            put_str(", model ");
            put_num(xcases[i].want[k], 10);
            put_str("\n");
        }
        if ( check_descriptor(i) )
        {
            failed++;
            put_str("descriptor ");
            put_num(xcases[i].pte, 16);
            put_str(" became ");
            put_num(*case_slot(i), 16);
            put_str("\n");
        }
    }
    put_num(passed, 10);
    put_str(" passed, ");
    put_num(failed, 10);
    put_str(" failed\nTest result: ");
    put_str(failed ? "FAILURE\n" : "SUCCESS\n");
}

/* QEMU's virt board answers PSCI by SMC when it starts at EL2. */
static void power_off(void)
{
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

    __asm__ volatile("smc #0" : "+r"(x0)::"memory");
    for ( ;; )
        __asm__ volatile("wfi");
}

/* EL1's synchronous exceptions, taken to EL2; regs = x0..x30 as saved. */
void xcheck_trap(uint64_t *regs)
{
    uint64_t esr = READ_SYSREG(esr_el2);

    switch ( esr >> 26 )
    {
    case 0x16: /* HVC: EL1 is done */ report(); power_off();
    case 0x24: /* data abort from EL1: skip the plain load or store */
        got[cur_case][cur_access] = classify(esr);
        WRITE_SYSREG(elr_el2, READ_SYSREG(elr_el2) + 4);
        return;
    case 0x20: /* instruction abort: back to the caller of the page */
        got[cur_case][cur_access] = classify(esr);
        WRITE_SYSREG(elr_el2, regs[30]);
        return;
    }
    put_str("unexpected ESR_EL2 ");
    put_num(esr, 16);
    put_str("\nTest result: ERROR\n");
    power_off();
}

/* At EL1, stage 1 off. Plain ldr/str only: a faulting access with base
 * writeback, skipped, would lose its writeback (and reports ISV 0). */
static void el1_main(void)
{
    unsigned int i;

    for ( i = 0; i < NR_XCASES; i++ )
    {
        uint64_t p = case_addr(i) + 8, v;

        cur_case = i;
        cur_access = 0;
        __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
        cur_access = 1;
        __asm__ volatile("str %0, [%1]" ::"r"((uint64_t)i), "r"(p) : "memory");
        cur_access = 2;
        ((void (*)(void))case_addr(i))();
    }
    __asm__ volatile("hvc #0");
}

/* IPA = PA: 1G of Device for the UART, RAM in 2M blocks, the 2M at
 * CASE_BASE in pages; then each case's descriptor in its place (a page
 * in l3, a block in l2), with a "ret" where its fetch lands. */
static void build_tables(void)
{
    unsigned int i;

    l0[0] = (uint64_t)l1 | S2_TABLE;
    l1[0] = S2_DEVICE;
    l1[1] = (uint64_t)l2 | S2_TABLE;
    for ( i = 0; i < 512; i++ )
        l2[i] = (RAM_BASE + ((uint64_t)i << 21)) | S2_RAM;
    l2[(CASE_BASE - RAM_BASE) >> 21] = (uint64_t)l3 | S2_TABLE;
    for ( i = 0; i < 512; i++ )
        l3[i] = CASE_PAGE(i) | S2_RAM | S2_PAGE;
    for ( i = 0; i < NR_XCASES; i++ )
    {
        *(volatile uint32_t *)case_addr(i) = INSN_RET;
        *case_slot(i) = xcases[i].pte;
    }
}

void xcheck_main(void)
{
    /* 48-bit IPA from level 0, 4K, WBWA inner-shareable walks, PS 48
     * bits, 16-bit VMIDs, HA, HD: what stage2_vtcr() gives on QEMU. */
    const uint64_t vtcr = 0x806d3590ULL;

    put_str("stage-2 cross-check: ");
    put_num(NR_XCASES, 10);
    put_str(" leaves from p2m-stage2.c, read/write/fetch each\n");
    build_tables();
    WRITE_SYSREG(vtcr_el2, vtcr);
    WRITE_SYSREG(vttbr_el2, (uint64_t)l0 | (1ULL << 48));
    WRITE_SYSREG(vbar_el2, xcheck_vectors);
    WRITE_SYSREG(hcr_el2, (1ULL << 31) | 1); /* RW: EL1 is AArch64; VM */
    WRITE_SYSREG(sctlr_el1, 0x30d00800ULL);  /* RES1 bits, MMU off */
    WRITE_SYSREG(sp_el1, (uint64_t)&el1_stack[1024]);
    WRITE_SYSREG(spsr_el2, 0x3c5); /* EL1h, interrupts masked */
    WRITE_SYSREG(elr_el2, el1_main);
    __asm__ volatile("isb; tlbi vmalls12e1; dsb sy; isb; eret");
}
