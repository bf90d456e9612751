/*
 * emul-string - string instructions with an operand in a guest-physical
 * hole, and string port I/O, behave as on Xen with no device model.
 *
 * The guest's own paging is made non-identity for three pages: VA
 * 0xC0000 maps a RAM page, 0xC1000 the HPET hole, 0xC2000 another RAM
 * page, so accesses cross RAM->hole and hole->RAM page boundaries that
 * only the guest's tables join. Checked, each with rCX/rSI/rDI/flags
 * after and a sentinel MOV that must run whole (RIP exact):
 *  - REP MOVSB across RAM->hole and hole->RAM, DF=0 and DF=1; REP MOVSQ
 *    RAM->hole; MOVSW hole->RAM without REP; REP STOSL half RAM, half
 *    hole; REP STOSQ of 300 (more than one exit's batch) down a hole;
 *    an addr32 REP STOSB; LODSB/LODSQ from a hole;
 *  - REPE CMPSB and REPNE SCASB stopping on ZF, and running out of rCX;
 *  - REP INSB/INSW/INSL (DF both ways) storing all-ones, into RAM and
 *    across into the hole; REP OUTSB/OUTSW reading and dropping;
 *  - a REP MOVSB from the hole whose destination runs onto a page the
 *    guest's tables do not map takes the #PF the CPU would (CR2 the
 *    first unmapped byte, error code W, rCX/rSI/rDI counting the bytes
 *    done); onto a read-only page (CR0.WP set) error code P|W.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/runtime.h>

const char test_title[] = "emulation: string instructions and string I/O on holes";

#define FL_DF    0x400ULL
#define FL_ZF    0x40ULL
#define FL_ARITH 0x8d5ULL
#define VA_RAM1  0xc0000ULL
#define VA_HOLE  0xc1000ULL
#define VA_RAM2  0xc2000ULL
#define VA_NP    0xc3000ULL /* not present */
#define VA_RO    0xc4000ULL /* page2, read-only */
#define HPET     0xfed00000ULL
#define PORT     0x510 /* nothing there */

static uint8_t page1[4096] __attribute__((aligned(4096)));
static uint8_t page2[4096] __attribute__((aligned(4096)));
static uint8_t buf[4096] __attribute__((aligned(64)));

struct sregs
{
    uint64_t a, c, si, di, fl;
};

#define STR_FN(name, text)                                                                     \
    static uint32_t name(struct sregs *r)                                                      \
    {                                                                                          \
        uint32_t s;                                                                            \
        __asm__ volatile("push %[f]; popf; " text "; mov $0x5a5a5a5a, %[s]; pushf; pop %[f]; " \
                         "cld"                                                                 \
                         : "+a"(r->a), "+c"(r->c), "+S"(r->si),                                \
                           "+D"(r->di), [f] "+r"(r->fl), [s] "=r"(s)                           \
                         :                                                                     \
                         : "rdx", "memory", "cc");                                             \
        return s;                                                                              \
    }

STR_FN(rep_movsb, "rep movsb")
STR_FN(rep_movsq, "rep movsq")
STR_FN(movsw, "movsw")
STR_FN(rep_stosl, "rep stosl")
STR_FN(rep_stosq, "rep stosq")
STR_FN(a32_rep_stosb, ".byte 0x67; rep stosb")
STR_FN(lodsb, "lodsb")
STR_FN(lodsq, "lodsq")
STR_FN(repe_cmpsb, "repe cmpsb")
STR_FN(repne_scasb, "repne scasb")
STR_FN(rep_insb, "mov $0x510, %%edx; rep insb")
STR_FN(rep_insw, "mov $0x510, %%edx; rep insw")
STR_FN(insl, "mov $0x510, %%edx; insl")
STR_FN(rep_outsb, "mov $0x510, %%edx; rep outsb")
STR_FN(rep_outsw, "mov $0x510, %%edx; rep outsw")

static uint64_t va(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void run(uint32_t (*fn)(struct sregs *), struct sregs *r, const char *what)
{
    uint32_t s = fn(r);

    if ( s != SENTINEL )
        xtf_failure("%s: RIP did not land on the next instruction", what);
}

static void expect_regs(const struct sregs *r, uint64_t c, uint64_t si, uint64_t di,
                        const char *what)
{
    if ( r->c != c || r->si != si || r->di != di )
        xtf_failure("%s: rcx %#lx rsi %#lx rdi %#lx, expected %#lx %#lx %#lx", what,
                    (unsigned long)r->c, (unsigned long)r->si, (unsigned long)r->di,
                    (unsigned long)c, (unsigned long)si, (unsigned long)di);
}

static void expect_bytes(const uint8_t *p, unsigned int n, uint8_t want, const char *what)
{
    for ( unsigned int i = 0; i < n; i++ )
        if ( p[i] != want )
        {
            xtf_failure("%s: byte %u is %#x, expected %#x", what, i, p[i], want);
            return;
        }
}

static void map_low(uint64_t v, uint64_t gpa)
{
    xtf_pt_low[v >> 12] = gpa | 3; /* present, writable */
    invlpg((const void *)(uintptr_t)v);
}

static void fill(uint8_t *p, unsigned int n, uint8_t base)
{
    for ( unsigned int i = 0; i < n; i++ )
        p[i] = base + i;
}

/* ---- MOVS, STOS, LODS -------------------------------------------------- */

static void test_movs(void)
{
    struct sregs r;

    fill(page1 + 4096 - 16, 16, 0x10);
    memset(buf, 0, 64);
    r = (struct sregs){ 0, 32, VA_HOLE - 16, va(buf), 0x2 };
    run(rep_movsb, &r, "rep movsb RAM->hole");
    expect_regs(&r, 0, VA_HOLE + 16, va(buf) + 32, "rep movsb RAM->hole");
    if ( buf[0] != 0x10 || buf[15] != 0x1f )
        xtf_failure("rep movsb RAM->hole: the RAM half did not arrive");
    expect_bytes(buf + 16, 16, 0xff, "rep movsb RAM->hole, hole half");

    memset(buf, 0, 64);
    fill(page2, 16, 0x40);
    r = (struct sregs){ 0, 32, VA_RAM2 + 15, va(buf) + 31, 0x2 | FL_DF };
    run(rep_movsb, &r, "rep movsb RAM<-hole, DF=1");
    expect_regs(&r, 0, VA_RAM2 - 17, va(buf) - 1, "rep movsb DF=1");
    expect_bytes(buf, 16, 0xff, "rep movsb DF=1, hole half");
    if ( buf[16] != 0x40 || buf[31] != 0x4f )
        xtf_failure("rep movsb DF=1: the RAM half did not arrive");

    fill(buf, 80, 1);
    r = (struct sregs){ 0, 10, va(buf), HPET + 0x100, 0x2 };
    run(rep_movsq, &r, "rep movsq RAM->hole");
    expect_regs(&r, 0, va(buf) + 80, HPET + 0x150, "rep movsq RAM->hole");

    memset(buf, 0, 8);
    r = (struct sregs){ 0, 77, HPET, va(buf), 0x2 };
    run(movsw, &r, "movsw hole->RAM");
    expect_regs(&r, 77, HPET + 2, va(buf) + 2, "movsw (no rep: rcx kept)");
    expect_bytes(buf, 2, 0xff, "movsw");
    expect_bytes(buf + 2, 6, 0, "movsw, past the word");
}

static void test_stos_lods(void)
{
    struct sregs r;

    memset(page1 + 4088, 0, 8);
    r = (struct sregs){ 0x11223344, 4, 0, VA_HOLE - 8, 0x2 };
    run(rep_stosl, &r, "rep stosl RAM|hole");
    expect_regs(&r, 0, 0, VA_HOLE + 8, "rep stosl RAM|hole");
    if ( *(uint32_t *)(page1 + 4088) != 0x11223344 || *(uint32_t *)(page1 + 4092) != 0x11223344 )
        xtf_failure("rep stosl: the RAM half was not written");

    r = (struct sregs){ 0, 300, 0, HPET + 0x1000 - 8, 0x2 | FL_DF };
    run(rep_stosq, &r, "rep stosq x300 DF=1 (two batches)");
    expect_regs(&r, 0, 0, HPET + 0x1000 - 8 - 300 * 8, "rep stosq x300 DF=1");

    r = (struct sregs){ 0, 0xffffffff00000003ULL, 0, 0xabcd00000000ULL | 0xa0000, 0x2 };
    run(a32_rep_stosb, &r, "addr32 rep stosb");
    /* ecx and edi count; a 32-bit register write clears bits 63:32 */
    expect_regs(&r, 0, 0, 0xa0003, "addr32 rep stosb");

    r = (struct sregs){ 0x1122334455667788ULL, 0, HPET, 0, 0x2 };
    run(lodsb, &r, "lodsb");
    if ( r.a != 0x11223344556677ffULL || r.si != HPET + 1 )
        xtf_failure("lodsb from a hole: rax %#lx rsi %#lx", (unsigned long)r.a,
                    (unsigned long)r.si);
    r = (struct sregs){ 0, 0, HPET + 8, 0, 0x2 | FL_DF };
    run(lodsq, &r, "lodsq DF=1");
    if ( r.a != ~0ULL || r.si != HPET )
        xtf_failure("lodsq from a hole: rax %#lx rsi %#lx", (unsigned long)r.a,
                    (unsigned long)r.si);
}

/* ---- CMPS, SCAS: the CPU on all-ones RAM is the reference -------------- */

static void cmp_case(uint32_t (*fn)(struct sregs *), struct sregs in, uint64_t hole_off,
                     const char *what)
{
    static uint8_t ones[64];
    struct sregs ram = in, hole = in;

    memset(ones, 0xff, sizeof(ones));
    ram.di += va(ones);
    hole.di += HPET + hole_off;
    run(fn, &ram, what);
    run(fn, &hole, what);
    if ( ram.c != hole.c || ram.si != hole.si || hole.di - HPET - hole_off != ram.di - va(ones) ||
         ((ram.fl ^ hole.fl) & FL_ARITH) )
        xtf_failure("%s: rcx %#lx rsi %#lx flags %#lx, the CPU on RAM gives %#lx %#lx %#lx", what,
                    (unsigned long)hole.c, (unsigned long)hole.si,
                    (unsigned long)(hole.fl & FL_ARITH), (unsigned long)ram.c,
                    (unsigned long)ram.si, (unsigned long)(ram.fl & FL_ARITH));
}

static void test_cmps_scas(void)
{
    memset(buf, 0xff, 16);
    buf[5] = 0x7f;
    cmp_case(repe_cmpsb, (struct sregs){ 0, 12, va(buf), 0, 0x2 }, 0, "repe cmpsb, stops at 5");
    cmp_case(repe_cmpsb, (struct sregs){ 0, 4, va(buf), 0, 0x2 }, 0, "repe cmpsb, runs out");
    cmp_case(repe_cmpsb, (struct sregs){ 0, 4, va(buf) + 8, 3, 0x2 | FL_DF }, 0x10,
             "repe cmpsb DF=1");
    cmp_case(repne_scasb, (struct sregs){ 0xff, 20, 0, 0, 0x2 }, 0, "repne scasb, match");
    cmp_case(repne_scasb, (struct sregs){ 0x00, 20, 0, 0, 0x2 }, 0, "repne scasb, runs out");
    cmp_case(repne_scasb, (struct sregs){ 0x00, 0, 0, 0, 0x2 | FL_ARITH }, 0, "repne scasb, rcx 0");
}

/* ---- string port I/O ----------------------------------------------------- */

static void test_string_io(void)
{
    struct sregs r;

    memset(buf, 0, 64);
    r = (struct sregs){ 0, 5, 0, va(buf), 0x2 };
    run(rep_insb, &r, "rep insb");
    expect_regs(&r, 0, 0, va(buf) + 5, "rep insb");
    expect_bytes(buf, 5, 0xff, "rep insb");
    expect_bytes(buf + 5, 3, 0, "rep insb, past the count");

    memset(buf, 0, 64);
    r = (struct sregs){ 0, 3, 0, va(buf) + 16, 0x2 | FL_DF };
    run(rep_insw, &r, "rep insw DF=1");
    expect_regs(&r, 0, 0, va(buf) + 10, "rep insw DF=1");
    expect_bytes(buf + 12, 6, 0xff, "rep insw DF=1");
    expect_bytes(buf + 18, 2, 0, "rep insw DF=1, above the start");

    memset(buf, 0, 64);
    r = (struct sregs){ 0, 9, 0, va(buf), 0x2 };
    run(insl, &r, "insl");
    expect_regs(&r, 9, 0, va(buf) + 4, "insl (no rep: rcx kept)");
    expect_bytes(buf, 4, 0xff, "insl");

    memset(page1 + 4092, 0, 4);
    r = (struct sregs){ 0, 8, 0, VA_HOLE - 4, 0x2 };
    run(rep_insb, &r, "rep insb RAM|hole");
    expect_regs(&r, 0, 0, VA_HOLE + 4, "rep insb RAM|hole");
    expect_bytes(page1 + 4092, 4, 0xff, "rep insb RAM|hole, RAM half");

    r = (struct sregs){ 0, 7, va(buf), 0, 0x2 };
    run(rep_outsb, &r, "rep outsb");
    expect_regs(&r, 0, va(buf) + 7, 0, "rep outsb");
    r = (struct sregs){ 0, 2, HPET + 0x10, 0, 0x2 | FL_DF };
    run(rep_outsw, &r, "rep outsw from a hole, DF=1");
    expect_regs(&r, 0, HPET + 0xc, 0, "rep outsw DF=1");
}

static void expect_fault(uint64_t ex, uint32_t ec, uint64_t cr2, const char *what)
{
    if ( ex != EXINFO(X86_EXC_PF, ec) )
        xtf_failure("%s: exception %#lx, expected #PF error code %#x", what, (unsigned long)ex, ec);
    else if ( read_cr2() != cr2 )
        xtf_failure("%s: CR2 %#lx, expected %#lx", what, (unsigned long)read_cr2(),
                    (unsigned long)cr2);
}

static uint64_t movsb_faulting(struct sregs *r)
{
    uint64_t ex = 0;

    __asm__ volatile("1: rep movsb; 2:" _ASM_EXTABLE(1b, 2b)
                     : "+a"(ex), "+c"(r->c), "+S"(r->si), "+D"(r->di)
                     :
                     : "memory");
    return ex;
}

static void test_page_faults(void)
{
    struct sregs r = { 0, 16, VA_HOLE, VA_NP - 8, 0 };
    uint64_t ex, cr0;

    xtf_pt_low[VA_NP >> 12] = 0;
    invlpg((const void *)(uintptr_t)VA_NP);
    ex = movsb_faulting(&r);
    expect_fault(ex, 2, VA_NP, "rep movsb hole -> unmapped page");
    expect_regs(&r, 8, VA_HOLE + 8, VA_NP, "rep movsb hole -> unmapped page");
    cr0 = read_cr0();
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0 | (1UL << 16))); /* WP: ring 0 obeys R/W */
    xtf_pt_low[VA_RO >> 12] = va(page2) | 1;                    /* present, read-only */
    invlpg((const void *)(uintptr_t)VA_RO);
    r = (struct sregs){ 0, 4, VA_HOLE, VA_RO, 0 };
    ex = movsb_faulting(&r);
    expect_fault(ex, 3, VA_RO, "rep movsb hole -> read-only page");
    expect_regs(&r, 4, VA_HOLE, VA_RO, "rep movsb hole -> read-only page");
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0));
}

void test_main(void)
{
    map_low(VA_RAM1, va(page1));
    map_low(VA_HOLE, HPET);
    map_low(VA_RAM2, va(page2));
    test_movs();
    test_stos_lods();
    test_cmps_scas();
    test_string_io();
    test_page_faults();
    xtf_success(NULL);
}
