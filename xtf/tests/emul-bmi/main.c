/*
 * emul-bmi - the BMI1, BMI2 and ADX instructions with a memory operand
 * aimed at guest-physical holes behave as on Xen with no device model:
 * the hole reads all-ones, and each instruction completes with the
 * registers and flags the CPU itself gives on RAM holding all-ones.
 *
 *  - BMI1: ANDN, BEXTR, BLSI, BLSMSK, BLSR (32- and 64-bit);
 *  - BMI2: BZHI, PDEP, PEXT, MULX, RORX, SARX, SHLX, SHRX;
 *  - ADX: ADCX, ADOX, with the carry in clear and set.
 * A family the CPU does not offer (CPUID.7.0:EBX BMI1, BMI2, ADX) is
 * not run, and said so; with none of them the test is SKIPPED. Flags
 * the SDM leaves undefined are not compared. Every instruction is
 * followed by a sentinel MOV that must run whole (RIP exactly past it).
 *
 * It touches nothing but its own registers, buffers and the holes.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: BMI1/BMI2/ADX on holes";

#define ONES     0xffffffffffffffffULL
#define FL_ARITH 0x8d5ULL
#define FL_CF    0x001ULL
#define FL_PF    0x004ULL
#define FL_AF    0x010ULL
#define FL_ZF    0x040ULL
#define FL_SF    0x080ULL
#define FL_OF    0x800ULL

struct io
{
    uint64_t a, b, c, d, fl;
};

typedef uint32_t (*op_fn)(uint64_t m, struct io *io);

#define OP_FN(name, text)                                                                    \
    static uint32_t name(uint64_t m, struct io *io)                                          \
    {                                                                                        \
        uint32_t s;                                                                          \
        __asm__ volatile("push %[f]; popf; " text "; mov $0x5a5a5a5a, %[s]; pushf; pop %[f]" \
                         : "+a"(io->a), "+b"(io->b), "+c"(io->c),                            \
                           "+d"(io->d), [f] "+r"(io->fl), [s] "=r"(s)                        \
                         : [m] "r"(m)                                                        \
                         : "memory", "cc");                                                  \
        return s;                                                                            \
    }

/* AT&T order: the memory operand, then vvvv, then the destination. */
OP_FN(andn32, "andn (%[m]), %%ecx, %%ebx")
OP_FN(andn64, "andn (%[m]), %%rcx, %%rbx")
OP_FN(bextr32, "bextr %%ecx, (%[m]), %%ebx")
OP_FN(bextr64, "bextr %%rcx, (%[m]), %%rbx")
OP_FN(blsi32, "blsi (%[m]), %%ebx")
OP_FN(blsi64, "blsi (%[m]), %%rbx")
OP_FN(blsmsk64, "blsmsk (%[m]), %%rbx")
OP_FN(blsr32, "blsr (%[m]), %%ebx")
OP_FN(blsr64, "blsr (%[m]), %%rbx")
OP_FN(bzhi32, "bzhi %%ecx, (%[m]), %%ebx")
OP_FN(bzhi64, "bzhi %%rcx, (%[m]), %%rbx")
OP_FN(pdep64, "pdep (%[m]), %%rcx, %%rbx")
OP_FN(pext32, "pext (%[m]), %%ecx, %%ebx")
OP_FN(pext64, "pext (%[m]), %%rcx, %%rbx")
OP_FN(mulx32, "mulx (%[m]), %%ebx, %%ecx")
OP_FN(mulx64, "mulx (%[m]), %%rbx, %%rcx")
OP_FN(mulx_same, "mulx (%[m]), %%rbx, %%rbx")
OP_FN(rorx32, "rorx $7, (%[m]), %%ebx")
OP_FN(rorx64, "rorx $33, 4(%[m]), %%rbx")
OP_FN(sarx64, "sarx %%rcx, (%[m]), %%rbx")
OP_FN(shlx32, "shlx %%ecx, (%[m]), %%ebx")
OP_FN(shlx64, "shlx %%rcx, (%[m]), %%rbx")
OP_FN(shrx64, "shrx %%rcx, (%[m]), %%rbx")
OP_FN(adcx32, "adcx (%[m]), %%ebx")
OP_FN(adcx64, "adcx (%[m]), %%rbx")
OP_FN(adox32, "adox (%[m]), %%ebx")
OP_FN(adox64, "adox (%[m]), %%rbx")

#define NEED_BMI1 3
#define NEED_BMI2 8
#define NEED_ADX  19

struct op_case
{
    const char *name;
    op_fn fn;
    uint64_t b, c, d;
    uint64_t undef;    /* flags the SDM leaves undefined */
    unsigned int need; /* CPUID.7.0:EBX bit */
    unsigned int fix;  /* FIX_*: a flag some emulators get wrong */
};

/* BLSI's CF is set for the hole's non-zero source; ADOX (4 or 8 bytes)
 * carries out into OF whenever rBX or the OF it starts with is not 0. */
#define FIX_BLSI  1
#define FIX_ADOX4 4
#define FIX_ADOX8 8

#define U_LOGIC (FL_AF | FL_PF)
#define U_BEXTR (FL_AF | FL_PF | FL_SF)
#define R1      0x1111222233334444ULL

static const struct op_case cases[] = {
    { "andn 32", andn32, R1, 0x0f0f0f0f, 0, U_LOGIC, NEED_BMI1 },
    { "andn 64 to zero", andn64, R1, ONES, 0, U_LOGIC, NEED_BMI1 },
    { "bextr 32", bextr32, R1, 0x0804, 0, U_BEXTR, NEED_BMI1 },
    { "bextr 32 start past", bextr32, R1, 0x0840, 0, U_BEXTR, NEED_BMI1 },
    { "bextr 64 long", bextr64, R1, 0x4010, 0, U_BEXTR, NEED_BMI1 },
    { "bextr 64 empty", bextr64, R1, 0x0003, 0, U_BEXTR, NEED_BMI1 },
    { "blsi 32", blsi32, R1, R1, 0, U_LOGIC, NEED_BMI1, FIX_BLSI },
    { "blsi 64", blsi64, R1, R1, 0, U_LOGIC, NEED_BMI1, FIX_BLSI },
    { "blsmsk 64", blsmsk64, R1, R1, 0, U_LOGIC, NEED_BMI1 },
    { "blsr 32", blsr32, R1, R1, 0, U_LOGIC, NEED_BMI1 },
    { "blsr 64", blsr64, R1, R1, 0, U_LOGIC, NEED_BMI1 },
    { "bzhi 32", bzhi32, R1, 13, 0, U_LOGIC, NEED_BMI2 },
    { "bzhi 32 index past", bzhi32, R1, 0x120, 0, U_LOGIC, NEED_BMI2 },
    { "bzhi 64 zero", bzhi64, R1, 0, 0, U_LOGIC, NEED_BMI2 },
    { "bzhi 64 index 64", bzhi64, R1, 64, 0, U_LOGIC, NEED_BMI2 },
    { "pdep 64", pdep64, R1, 0x123456789abcdefULL, 0, 0, NEED_BMI2 },
    { "pext 32", pext32, R1, 0x89abcdefULL, 0, 0, NEED_BMI2 },
    { "pext 64", pext64, R1, 0x8000000000000001ULL, 0, 0, NEED_BMI2 },
    { "mulx 32", mulx32, R1, R1, 0x12345678, 0, NEED_BMI2 },
    { "mulx 64", mulx64, R1, R1, 0x123456789ULL, 0, NEED_BMI2 },
    { "mulx high wins", mulx_same, R1, R1, 0x5, 0, NEED_BMI2 },
    { "rorx 32", rorx32, R1, 0, 0, 0, NEED_BMI2 },
    { "rorx 64", rorx64, R1, 0, 0, 0, NEED_BMI2 },
    { "sarx 64", sarx64, R1, 65, 0, 0, NEED_BMI2 },
    { "shlx 32", shlx32, R1, 35, 0, 0, NEED_BMI2 },
    { "shlx 64", shlx64, R1, 63, 0, 0, NEED_BMI2 },
    { "shrx 64", shrx64, R1, 4, 0, 0, NEED_BMI2 },
    { "adcx 32", adcx32, 0x12345678, 0, 0, 0, NEED_ADX },
    { "adcx 64", adcx64, 0, 0, 0, 0, NEED_ADX },
    { "adox 32", adox32, 1, 0, 0, 0, NEED_ADX, FIX_ADOX4 },
    { "adox 32 from 0", adox32, 0, 0, 0, 0, NEED_ADX, FIX_ADOX4 },
    { "adox 64", adox64, R1, 0, 0, 0, NEED_ADX, FIX_ADOX8 },
};

static unsigned int noted;

/*
 * Where the CPU on RAM is known to differ from the SDM (QEMU 7.2's TCG
 * clears BLSI's CF for a non-zero source; Bochs 2.7's ADOX never sets
 * OF), the SDM's value is expected, and the difference said once.
 */
static void sdm_flags(const struct op_case *c, uint64_t fl_in, struct io *ram)
{
    uint64_t want = ram->fl, m = c->fix == FIX_ADOX4 ? 0xffffffffULL : ONES;

    if ( c->fix == FIX_BLSI )
        want |= FL_CF;
    else if ( c->fix )
        want = (c->b & m) || (fl_in & FL_OF) ? want | FL_OF : want & ~FL_OF;
    if ( want != ram->fl && !(noted & (1u << c->fix)) )
        printf("note: the CPU's %s on RAM left flags %#lx, the SDM's are %#lx: expected\n", c->name,
               (unsigned long)ram->fl, (unsigned long)want);
    noted |= want != ram->fl ? 1u << c->fix : 0;
    ram->fl = want;
}

/* All-ones RAM: where the CPU runs each case for the reference. */
static uint64_t ram_ones[8] __attribute__((aligned(64)));

static bool have(unsigned int bit)
{
    return cpuid_count(7, 0).b & (1u << bit);
}

static void run_case(const struct op_case *c, uint64_t h, uint64_t fl)
{
    struct io ram = { 0x77, c->b, c->c, c->d, fl }, hole = ram;
    uint64_t mask = FL_ARITH & ~c->undef;

    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
    c->fn((uint64_t)(uintptr_t)&ram_ones[2], &ram);
    sdm_flags(c, fl, &ram);
    check_sentinel(c->fn(h, &hole), c->name);
    if ( ram.a != hole.a || ram.b != hole.b || ram.c != hole.c || ram.d != hole.d ||
         ((ram.fl ^ hole.fl) & mask) )
        xtf_failure("%s at %#lx (flags in %#lx): rax %#lx rbx %#lx rcx %#lx rdx %#lx flags %#lx; "
                    "the CPU on RAM: %#lx %#lx %#lx %#lx flags %#lx",
                    c->name, (unsigned long)h, (unsigned long)fl, (unsigned long)hole.a,
                    (unsigned long)hole.b, (unsigned long)hole.c, (unsigned long)hole.d,
                    (unsigned long)(hole.fl & mask), (unsigned long)ram.a, (unsigned long)ram.b,
                    (unsigned long)ram.c, (unsigned long)ram.d, (unsigned long)(ram.fl & mask));
}

static unsigned int test_cases(uint64_t h)
{
    unsigned int ran = 0;

    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        if ( !have(cases[i].need) )
            continue;
        run_case(&cases[i], h, 0x2);
        run_case(&cases[i], h, 0x2 | FL_ARITH);
        ran++;
    }
    return ran;
}

void test_main(void)
{
    uint64_t holes[3], ram_end = xtf_ram_end();
    static const struct
    {
        unsigned int bit;
        const char *name;
    } fams[] = { { NEED_BMI1, "BMI1" }, { NEED_BMI2, "BMI2" }, { NEED_ADX, "ADX" } };
    unsigned int ran = 0;

    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) )
        return xtf_error("RAM ends at %#lx: not inside the identity map", (unsigned long)ram_end);
    holes[0] = 0xa0100;
    holes[1] = 0xfed00100;
    holes[2] = ram_end + 0x10000;
    for ( unsigned int i = 0; i < ARRAY_SIZE(fams); i++ )
        if ( !have(fams[i].bit) )
            printf("%s not offered (CPUID.7.0:EBX bit %u): its cases are not run\n", fams[i].name,
                   fams[i].bit);
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
        ran += test_cases(holes[i]);
    if ( !ran )
        return xtf_skip("none of BMI1, BMI2, ADX offered by this CPU");
    if ( load64(holes[0]) != ONES )
        xtf_failure("the hole at %#lx no longer reads all-ones", (unsigned long)holes[0]);
    xtf_success(NULL);
}
