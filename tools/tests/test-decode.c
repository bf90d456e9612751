/*
 * test-decode.c - the x86 instruction decoder (xen/arch/x86/x86_decode.c).
 *
 * A corpus of instructions assembled by GNU as, with lengths checked
 * against objdump (gen-decode-corpus.py writes the table below): each must
 * decode to its length and class in its mode, ignore the bytes after it,
 * and give -ENODATA when cut short anywhere. Hand-checked cases pin the
 * fields an emulator reads (ModRM/SIB/displacement, immediates, sizes,
 * prefixes), the invalid encodings, VEX/EVEX/XOP, and the 15-byte limit.
 * Random byte strings must never make it read past avail (every buffer is
 * a heap block of exactly avail bytes, and the tests run under ASan), and
 * whatever decodes must do so consistently.
 */
#include <asm/x86_decode.h>
#include <xen/errno.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define M32 X86_MODE_PROT32
#define M64 X86_MODE_LONG64
#define RMW (X86_MEM_READ | X86_MEM_WRITE)

struct corpus_entry
{
    uint8_t mode;
    uint8_t insn_class;
    uint8_t mem_access;
    uint8_t len;
    uint8_t bytes[X86_MAX_INSN_LEN];
    const char *text;
};

static const struct corpus_entry corpus[] = {
#include "decode-corpus.h"
};

static const char *mode_name(unsigned int mode)
{
    return mode == M64 ? "64-bit" : "32-bit";
}

/* Decode from a heap copy of exactly avail bytes: ASan sees any overread. */
static int decode_exact(const uint8_t *bytes, size_t avail, unsigned int mode,
                        struct x86_insn *insn)
{
    uint8_t *copy = malloc(avail);
    int rc;

    CHECK(copy || !avail);
    if ( avail )
        memcpy(copy, bytes, avail);
    rc = x86_decode(copy, avail, mode, insn);
    free(copy);
    return rc;
}

static void test_corpus_lengths(void)
{
    struct x86_insn insn;

    for ( size_t i = 0; i < ARRAY_SIZE(corpus); i++ )
    {
        const struct corpus_entry *e = &corpus[i];
        int rc = decode_exact(e->bytes, e->len, e->mode, &insn);

        CHECK_MSG(rc == 0, "%s \"%s\": rc %d", mode_name(e->mode), e->text, rc);
        CHECK_MSG(insn.length == e->len, "%s \"%s\": length %u, expected %u", mode_name(e->mode),
                  e->text, insn.length, e->len);
    }
}

static void test_corpus_classes(void)
{
    struct x86_insn insn;

    for ( size_t i = 0; i < ARRAY_SIZE(corpus); i++ )
    {
        const struct corpus_entry *e = &corpus[i];

        CHECK(decode_exact(e->bytes, e->len, e->mode, &insn) == 0);
        CHECK_MSG(insn.insn_class == e->insn_class && insn.mem_access == e->mem_access,
                  "%s \"%s\": class %u access %u, expected %u, %u", mode_name(e->mode), e->text,
                  insn.insn_class, insn.mem_access, e->insn_class, e->mem_access);
        CHECK_MSG(insn.insn_class == X86_INSN_OTHER || (insn.has_mem && insn.mem_size),
                  "%s \"%s\": classified without a memory operand", mode_name(e->mode), e->text);
    }
}

/* Every proper prefix of an instruction is a truncation, never an error. */
static void test_corpus_truncated(void)
{
    struct x86_insn insn;

    for ( size_t i = 0; i < ARRAY_SIZE(corpus); i++ )
    {
        const struct corpus_entry *e = &corpus[i];

        for ( unsigned int avail = 0; avail < e->len; avail++ )
        {
            int rc = decode_exact(e->bytes, avail, e->mode, &insn);

            CHECK_MSG(rc == -ENODATA, "%s \"%s\" cut to %u bytes: rc %d", mode_name(e->mode),
                      e->text, avail, rc);
        }
    }
}

/* What follows an instruction does not change how it decodes. */
static void test_corpus_trailing_bytes(void)
{
    static const uint8_t fill[] = { 0x00, 0x0f, 0x66, 0xff, 0x48, 0xc4 };
    uint8_t buf[32];
    struct x86_insn insn;

    for ( size_t i = 0; i < ARRAY_SIZE(corpus); i++ )
    {
        const struct corpus_entry *e = &corpus[i];

        for ( size_t f = 0; f < ARRAY_SIZE(fill); f++ )
        {
            memset(buf, fill[f], sizeof(buf));
            memcpy(buf, e->bytes, e->len);
            CHECK(decode_exact(buf, sizeof(buf), e->mode, &insn) == 0);
            CHECK_MSG(insn.length == e->len, "%s \"%s\" + %#x...: length %u", mode_name(e->mode),
                      e->text, fill[f], insn.length);
        }
    }
}

/* The corpus must cover every classification in both modes. */
static void test_corpus_coverage(void)
{
    unsigned int seen[2][X86_INSN_ALU_MEM + 1] = { { 0 } };

    for ( size_t i = 0; i < ARRAY_SIZE(corpus); i++ )
        seen[corpus[i].mode == M64][corpus[i].insn_class]++;
    for ( unsigned int m = 0; m < 2; m++ )
        for ( unsigned int c = 0; c <= X86_INSN_ALU_MEM; c++ )
            CHECK_MSG(seen[m][c] >= 2, "mode %u class %u: %u entries", m, c, seen[m][c]);
    CHECK(ARRAY_SIZE(corpus) >= 300);
}

#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

static struct x86_insn decode_ok(unsigned int mode, const uint8_t *bytes, size_t n)
{
    struct x86_insn insn;
    int rc = decode_exact(bytes, n, mode, &insn);

    CHECK_MSG(rc == 0, "rc %d", rc);
    CHECK_EQ(insn.length, n);
    return insn;
}

static void test_modrm_sib_rex(void)
{
    /* mov [r13 + r12*8 + 0x10], r9 */
    struct x86_insn i = decode_ok(M64, BYTES(0x4f, 0x89, 0x4c, 0xe5, 0x10));

    CHECK_EQ(i.map, X86_MAP_ONEBYTE);
    CHECK_EQ(i.opcode, 0x89);
    CHECK_EQ(i.rex, 0x4f);
    CHECK_EQ(i.mod, 1);
    CHECK_EQ(i.reg, 9);
    CHECK(i.has_sib && i.has_mem);
    CHECK_EQ(i.base, 13);
    CHECK_EQ(i.index, 12);
    CHECK_EQ(i.scale, 8);
    CHECK_EQ(i.disp_size, 1);
    CHECK_EQ(i.disp, 0x10);
    CHECK_EQ(i.op_size, 8);
    CHECK_EQ(i.addr_size, 8);
    CHECK_EQ(i.insn_class, X86_INSN_MOV_STORE);
    CHECK_EQ(i.mem_size, 8);

    /* SIB index 100 is "none" ... */
    i = decode_ok(M64, BYTES(0x8b, 0x04, 0x24));
    CHECK(i.has_sib && i.base == 4 && i.index == X86_REG_NONE && i.scale == 1);
    /* ... unless REX.X makes it r12. */
    i = decode_ok(M64, BYTES(0x4a, 0x8b, 0x04, 0x24));
    CHECK(i.base == 4 && i.index == 12);
    /* SIB base 101 with mod 0: no base, disp32 (absolute, not RIP-relative). */
    i = decode_ok(M64, BYTES(0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12));
    CHECK(i.base == X86_REG_NONE && i.index == X86_REG_NONE);
    CHECK_EQ(i.disp, 0x12345678);
    /* ... and with REX.B it is still "no base" (r13 needs mod 1). */
    i = decode_ok(M64, BYTES(0x41, 0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12));
    CHECK(i.base == X86_REG_NONE);
    i = decode_ok(M64, BYTES(0x41, 0x8b, 0x45, 0x00)); /* [r13+0] */
    CHECK(i.base == 13 && i.disp_size == 1 && i.disp == 0);
    /* A register operand: rm carries REX.B. */
    i = decode_ok(M64, BYTES(0x4d, 0x89, 0xc8)); /* mov r8, r9 */
    CHECK(!i.has_mem && i.mod == 3 && i.rm == 8 && i.reg == 9);
    CHECK_EQ(i.insn_class, X86_INSN_OTHER);
    /* Negative displacements are sign-extended. */
    i = decode_ok(M32, BYTES(0x8b, 0x46, 0xf8)); /* [esi-8] */
    CHECK(i.base == 6 && i.disp == -8);
    i = decode_ok(M32, BYTES(0x8b, 0x86, 0x00, 0x00, 0x00, 0x80));
    CHECK_EQ(i.disp, (uint64_t)(int64_t)INT32_MIN);
}

static void test_rip_relative(void)
{
    /* mov byte [rip+0x10], 5: disp32 then imm8 */
    struct x86_insn i = decode_ok(M64, BYTES(0xc6, 0x05, 0x10, 0, 0, 0, 0x05));

    CHECK(i.has_mem && !i.has_sib);
    CHECK_EQ(i.base, X86_REG_RIP);
    CHECK_EQ(i.disp, 0x10);
    CHECK_EQ(i.imm, 5);
    CHECK_EQ(i.imm_size, 1);
    CHECK_EQ(i.insn_class, X86_INSN_MOV_STORE);
    /* 67: EIP-relative */
    i = decode_ok(M64, BYTES(0x67, 0x8b, 0x05, 0xfc, 0xff, 0xff, 0xff));
    CHECK(i.base == X86_REG_RIP && i.addr_size == 4 && i.disp == -4);
    /* The same bytes in 32-bit mode are an absolute disp32. */
    i = decode_ok(M32, BYTES(0x8b, 0x05, 0x78, 0x56, 0x34, 0x12));
    CHECK(i.base == X86_REG_NONE && i.index == X86_REG_NONE && i.disp == 0x12345678);
}

static void test_addressing_16bit(void)
{
    /* mov eax, [bp+di+5] */
    struct x86_insn i = decode_ok(M32, BYTES(0x67, 0x8b, 0x43, 0x05));

    CHECK_EQ(i.addr_size, 2);
    CHECK(i.base == 5 && i.index == 7 && i.disp == 5 && i.disp_size == 1);
    i = decode_ok(M32, BYTES(0x67, 0x8b, 0x06, 0x34, 0x12)); /* [0x1234] */
    CHECK(i.base == X86_REG_NONE && i.index == X86_REG_NONE && i.disp == 0x1234);
    i = decode_ok(M32, BYTES(0x67, 0x8b, 0x87, 0xfe, 0xff)); /* [bx-2] */
    CHECK(i.base == 3 && i.index == X86_REG_NONE && i.disp_size == 2 && i.disp == -2);
    i = decode_ok(M32, BYTES(0x67, 0x8b, 0x04)); /* [si] */
    CHECK(i.base == X86_REG_NONE && i.index == 6 && !i.disp_size);
    /* No SIB in 16-bit addressing: rm 4 is [si]. */
    CHECK(!i.has_sib);
}

static void test_immediates(void)
{
    struct x86_insn i;

    i = decode_ok(M32, BYTES(0x83, 0x00, 0xff)); /* add [eax], -1 */
    CHECK(i.imm == -1 && i.imm_size == 1 && i.op_size == 4);
    i = decode_ok(M64, BYTES(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff));
    CHECK(i.imm == -1 && i.imm_size == 4 && i.op_size == 8);
    CHECK(i.insn_class == X86_INSN_MOV_STORE && i.mem_size == 8);
    i = decode_ok(M64, BYTES(0x66, 0xc7, 0x00, 0x34, 0x12)); /* mov word [rax] */
    CHECK(i.imm == 0x1234 && i.imm_size == 2 && i.op_size == 2 && i.mem_size == 2);
    i = decode_ok(M64, BYTES(0x49, 0xbf, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11));
    CHECK(i.imm == 0x1122334455667788LL && i.imm_size == 8);
    i = decode_ok(M64, BYTES(0xb8, 0x78, 0x56, 0x34, 0x12));
    CHECK(i.imm == 0x12345678 && i.imm_size == 4);
    i = decode_ok(M32, BYTES(0xc8, 0x00, 0x10, 0x03)); /* enter 0x1000, 3 */
    CHECK(i.imm == 0x1000 && i.imm_size == 2 && i.imm2 == 3 && i.imm2_size == 1);
    i = decode_ok(M32, BYTES(0xca, 0x08, 0x00)); /* retf 8 */
    CHECK(i.imm == 8 && i.imm_size == 2);
    i = decode_ok(M32, BYTES(0xea, 0x78, 0x56, 0x34, 0x12, 0x10, 0x00));
    CHECK(i.imm == 0x12345678 && i.imm_size == 4 && i.imm2 == 0x10 && i.imm2_size == 2);
    i = decode_ok(M32, BYTES(0x66, 0x9a, 0x34, 0x12, 0x08, 0x00));
    CHECK(i.imm == 0x1234 && i.imm_size == 2 && i.imm2 == 8);
    i = decode_ok(M32, BYTES(0xf6, 0x00, 0x80)); /* test byte [eax], 0x80 */
    CHECK(i.imm_size == 1 && i.imm == -128);
    i = decode_ok(M32, BYTES(0xf7, 0x10)); /* not dword [eax] */
    CHECK(!i.imm_size);
    i = decode_ok(M32, BYTES(0x0f, 0x0f, 0xc1, 0x9e)); /* pfadd mm0, mm1 */
    CHECK(i.map == X86_MAP_0F && i.opcode == 0x0f && i.imm_size == 1 && (uint8_t)i.imm == 0x9e);
    i = decode_ok(M32, BYTES(0x66, 0x0f, 0x78, 0xc0, 0x03, 0x04)); /* extrq */
    CHECK(i.imm == 3 && i.imm2 == 4);
    i = decode_ok(M64, BYTES(0x0f, 0x78, 0x00)); /* vmread [rax], rax */
    CHECK(!i.imm_size);
    i = decode_ok(M32, BYTES(0xe9, 0xfb, 0xff, 0xff, 0xff)); /* jmp rel32 */
    CHECK(i.imm == -5 && i.imm_size == 4);
    i = decode_ok(M32, BYTES(0x66, 0xe9, 0xfc, 0xff)); /* jmp rel16 */
    CHECK(i.imm == -4 && i.imm_size == 2 && i.op_size == 2);
    i = decode_ok(M64, BYTES(0x66, 0xe9, 0xfa, 0xff, 0xff, 0xff)); /* 66 ignored */
    CHECK(i.imm == -6 && i.imm_size == 4 && i.op_size == 8);
}

static void test_moffs(void)
{
    struct x86_insn i;

    i = decode_ok(M64, BYTES(0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11));
    CHECK(i.has_mem && !i.has_modrm && i.disp_size == 8);
    CHECK_EQ(i.disp, 0x1122334455667788ULL);
    CHECK(i.base == X86_REG_NONE && i.index == X86_REG_NONE && !i.imm_size);
    CHECK(i.insn_class == X86_INSN_MOV_STORE && i.mem_size == 4 && i.reg == 0);
    i = decode_ok(M64, BYTES(0x67, 0xa0, 0x78, 0x56, 0x34, 0x12));
    CHECK(i.disp_size == 4 && i.insn_class == X86_INSN_MOV_LOAD && i.mem_size == 1);
    i = decode_ok(M64, BYTES(0x48, 0xa1, 1, 2, 3, 4, 5, 6, 7, 8));
    CHECK(i.mem_size == 8 && i.op_size == 8);
    i = decode_ok(M32, BYTES(0xa1, 0x78, 0x56, 0x34, 0x12));
    CHECK(i.disp_size == 4 && i.disp == 0x12345678);
    i = decode_ok(M32, BYTES(0x67, 0x66, 0xa3, 0x34, 0x12));
    CHECK(i.disp_size == 2 && i.mem_size == 2 && i.addr_size == 2);
}

static void test_sizes(void)
{
    struct x86_insn i;

    i = decode_ok(M64, BYTES(0x66, 0x48, 0x89, 0x08)); /* REX.W beats 66 */
    CHECK(i.op_size == 8 && i.opsize_prefix);
    i = decode_ok(M64, BYTES(0x48, 0x66, 0x89, 0x08)); /* REX before 66 is ignored */
    CHECK(i.op_size == 2 && i.rex == 0);
    i = decode_ok(M64, BYTES(0x41, 0x48, 0x89, 0x08)); /* the last REX counts */
    CHECK(i.rex == 0x48 && i.rm == 0 && i.base == 0);
    i = decode_ok(M64, BYTES(0x50)); /* push rax */
    CHECK_EQ(i.op_size, 8);
    i = decode_ok(M64, BYTES(0x66, 0x50)); /* push ax */
    CHECK_EQ(i.op_size, 2);
    i = decode_ok(M64, BYTES(0xff, 0x30)); /* push [rax] */
    CHECK_EQ(i.op_size, 8);
    i = decode_ok(M64, BYTES(0xff, 0x10)); /* call [rax] */
    CHECK_EQ(i.op_size, 8);
    i = decode_ok(M64, BYTES(0x74, 0x00));
    CHECK_EQ(i.op_size, 8);
    i = decode_ok(M64, BYTES(0x40, 0x88, 0x30)); /* mov [rax], sil */
    CHECK(i.rex == 0x40 && i.reg == 6 && i.op_size == 1);
    i = decode_ok(M64, BYTES(0x88, 0x30)); /* mov [rax], dh */
    CHECK(i.rex == 0 && i.reg == 6);
    i = decode_ok(M32, BYTES(0x48)); /* dec eax */
    CHECK(i.length == 1 && i.rex == 0);
    i = decode_ok(M32, BYTES(0x0f, 0xb7, 0x03)); /* movzx eax, word [ebx] */
    CHECK(i.op_size == 4 && i.mem_size == 2 && i.insn_class == X86_INSN_MOV_LOAD);
    i = decode_ok(M64, BYTES(0x48, 0x0f, 0xbe, 0x03)); /* movsx rax, byte [rbx] */
    CHECK(i.op_size == 8 && i.mem_size == 1);
    i = decode_ok(M64, BYTES(0x48, 0x63, 0x03)); /* movsxd rax, [rbx] */
    CHECK(i.op_size == 8 && i.mem_size == 4 && i.insn_class == X86_INSN_MOV_LOAD);
    i = decode_ok(M32, BYTES(0x63, 0x03)); /* arpl: not a load */
    CHECK_EQ(i.insn_class, X86_INSN_OTHER);
    i = decode_ok(M64, BYTES(0x67, 0xab)); /* stosd with 32-bit rdi */
    CHECK(i.addr_size == 4 && i.op_size == 4 && i.has_mem && i.mem_size == 4);
    i = decode_ok(M32, BYTES(0x67, 0xab));
    CHECK_EQ(i.addr_size, 2);
}

static void test_prefix_fields(void)
{
    struct x86_insn i;

    i = decode_ok(M32, BYTES(0xf3, 0xa5));
    CHECK(i.rep == X86_REP_F3 && i.insn_class == X86_INSN_MOVS && i.mem_access == RMW);
    i = decode_ok(M32, BYTES(0xf3, 0xf2, 0xaa)); /* the last one counts */
    CHECK(i.rep == X86_REP_F2 && i.insn_class == X86_INSN_STOS);
    i = decode_ok(M32, BYTES(0x64, 0x89, 0x03));
    CHECK_EQ(i.seg, X86_SEG_FS);
    i = decode_ok(M32, BYTES(0x26, 0x65, 0x89, 0x03));
    CHECK_EQ(i.seg, X86_SEG_GS);
    i = decode_ok(M32, BYTES(0x65, 0x26, 0x89, 0x03));
    CHECK_EQ(i.seg, X86_SEG_ES);
    i = decode_ok(M32, BYTES(0x2e, 0x89, 0x03));
    CHECK_EQ(i.seg, X86_SEG_CS);
    i = decode_ok(M32, BYTES(0x36, 0x89, 0x03));
    CHECK_EQ(i.seg, X86_SEG_SS);
    i = decode_ok(M32, BYTES(0x3e, 0x89, 0x03));
    CHECK_EQ(i.seg, X86_SEG_DS);
    i = decode_ok(M32, BYTES(0x89, 0x03));
    CHECK(i.seg == X86_SEG_NONE && i.rep == X86_REP_NONE && !i.lock && !i.opsize_prefix);
    i = decode_ok(M64, BYTES(0xf0, 0x48, 0x0f, 0xb1, 0x0f)); /* lock cmpxchg [rdi], rcx */
    CHECK(i.lock && i.insn_class == X86_INSN_ALU_MEM && i.mem_access == RMW);
    i = decode_ok(M64, BYTES(0xf0, 0x0f, 0xc7, 0x0e)); /* lock cmpxchg8b [rsi] */
    CHECK(i.lock && i.insn_class == X86_INSN_OTHER);
}

static void test_maps(void)
{
    struct x86_insn i;

    i = decode_ok(M32, BYTES(0x66, 0x0f, 0x38, 0x00, 0x00));
    CHECK(i.map == X86_MAP_0F38 && i.opcode == 0x00 && i.has_mem);
    i = decode_ok(M32, BYTES(0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x03));
    CHECK(i.map == X86_MAP_0F3A && i.opcode == 0x0f && i.imm == 3);
    i = decode_ok(M64, BYTES(0x0f, 0x20, 0x00)); /* mov rax, cr0: mod ignored */
    CHECK(i.map == X86_MAP_0F && i.mod == 3 && !i.has_mem && i.rm == 0 && i.reg == 0);
    i = decode_ok(M64, BYTES(0x44, 0x0f, 0x22, 0xc0)); /* mov cr8, rax */
    CHECK(i.reg == 8 && i.rm == 0);
    /* C4/C5/62 are LES/LDS/BOUND outside 64-bit mode when ModRM names memory. */
    i = decode_ok(M32, BYTES(0xc4, 0x03));
    CHECK(i.opcode == 0xc4 && i.has_mem);
    i = decode_ok(M32, BYTES(0x62, 0x43, 0x08));
    CHECK(i.opcode == 0x62 && i.disp == 8);
    i = decode_ok(M32, BYTES(0x8f, 0x00)); /* pop [eax] */
    CHECK(i.opcode == 0x8f && i.has_mem);
}

/* VEX (C4/C5): map, opcode, the prefix pp stands for, R/X/B/W, vvvv, L. */
static void vex_forms(void)
{
    struct x86_insn i;

    i = decode_ok(M64, BYTES(0xc5, 0xf8, 0x77)); /* vzeroupper */
    CHECK(i.vex && i.map == X86_MAP_0F && i.opcode == 0x77 && !i.has_modrm && i.length == 3);
    i = decode_ok(M64, BYTES(0xc4, 0xe2, 0x79, 0x00, 0xc1)); /* vpshufb xmm0, xmm0, xmm1 */
    CHECK(i.vex && i.map == X86_MAP_0F38 && i.opsize_prefix && !i.rep && i.vex_vvvv == 0 &&
          i.vex_l == 0 && i.reg == 0 && i.rm == 1 && i.length == 5);
    i = decode_ok(M64, BYTES(0xc4, 0x02, 0x79, 0x00, 0xc1)); /* R, X, B set */
    CHECK(i.vex && i.reg == 8 && i.rm == 9);
    i = decode_ok(M64, BYTES(0xc5, 0xfe, 0x6f, 0x00)); /* vmovdqu ymm0, [rax] */
    CHECK(i.vex && i.map == X86_MAP_0F && i.opcode == 0x6f && i.rep == X86_REP_F3 &&
          !i.opsize_prefix && i.vex_l == 1 && i.has_mem && i.base == 0 && i.length == 4);
    i = decode_ok(M64, BYTES(0xc4, 0x41, 0x7a, 0x6f, 0x04, 0x24)); /* vmovdqu xmm8, [r12] */
    CHECK(i.vex && i.reg == 8 && i.base == 12 && i.has_sib && i.length == 6);
    i = decode_ok(M64, BYTES(0xc4, 0xe1, 0xf9, 0x7e, 0xc0)); /* vmovq rax, xmm0: W1 */
    CHECK(i.vex && i.op_size == 8 && i.opsize_prefix && i.rm == 0);
    i = decode_ok(M64, BYTES(0xc5, 0xb1, 0xef, 0xc1)); /* vpxor xmm0, xmm9, xmm1 */
    CHECK(i.vex && i.vex_vvvv == 9 && i.opcode == 0xef);
    i = decode_ok(M64, BYTES(0xc4, 0xe3, 0x79, 0x0f, 0xc1, 0x04)); /* vpalignr: imm8 */
    CHECK(i.vex && i.map == X86_MAP_0F3A && i.imm == 4 && i.length == 6);
    /* Outside 64-bit mode a register-looking ModRM makes C4/C5 VEX
     * (R and X, vvvv's top bit for C5, must then be clear); B is ignored. */
    i = decode_ok(M32, BYTES(0xc5, 0xf9, 0x6f, 0x00)); /* vmovdqa xmm0, [eax] */
    CHECK(i.vex && i.opsize_prefix && i.has_mem && i.rex == 0 && i.length == 4);
    i = decode_ok(M32, BYTES(0xc5, 0x39)); /* ModRM 00: lds edi, [ecx] */
    CHECK(!i.vex && i.opcode == 0xc5 && i.has_mem && i.length == 2);
    i = decode_ok(M32, BYTES(0xc4, 0xc1, 0x79, 0x6f, 0x00)); /* B ignored */
    CHECK(i.vex && i.rm == 0 && i.base == 0);
}

struct bad_case
{
    uint8_t mode;
    int rc;
    uint8_t len;
    uint8_t bytes[20];
    const char *what;
};

#define BAD(m, r, what, ...)                                            \
    {                                                                   \
        m, r, sizeof((uint8_t[]){ __VA_ARGS__ }), { __VA_ARGS__ }, what \
    }

static const struct bad_case bad_cases[] = {
    /* Opcodes removed in 64-bit mode. */
    BAD(M64, -EINVAL, "push es", 0x06),
    BAD(M64, -EINVAL, "pop es", 0x07),
    BAD(M64, -EINVAL, "push cs", 0x0e),
    BAD(M64, -EINVAL, "push ss", 0x16),
    BAD(M64, -EINVAL, "pop ss", 0x17),
    BAD(M64, -EINVAL, "push ds", 0x1e),
    BAD(M64, -EINVAL, "pop ds", 0x1f),
    BAD(M64, -EINVAL, "daa", 0x27),
    BAD(M64, -EINVAL, "das", 0x2f),
    BAD(M64, -EINVAL, "aaa", 0x37),
    BAD(M64, -EINVAL, "aas", 0x3f),
    BAD(M64, -EINVAL, "pusha", 0x60),
    BAD(M64, -EINVAL, "popa", 0x61),
    BAD(M64, -EINVAL, "82 /0", 0x82, 0x00, 0x01),
    BAD(M64, -EINVAL, "call far", 0x9a, 1, 2, 3, 4, 5, 6),
    BAD(M64, -EINVAL, "into", 0xce),
    BAD(M64, -EINVAL, "aam", 0xd4, 0x0a),
    BAD(M64, -EINVAL, "aad", 0xd5, 0x0a),
    BAD(M64, -EINVAL, "jmp far", 0xea, 1, 2, 3, 4, 5, 6),
    /* Undefined everywhere. */
    BAD(M32, -EINVAL, "salc", 0xd6),
    BAD(M64, -EINVAL, "salc", 0xd6),
    BAD(M32, -EINVAL, "0f 04", 0x0f, 0x04),
    BAD(M32, -EINVAL, "0f 0a", 0x0f, 0x0a),
    BAD(M64, -EINVAL, "0f 0c", 0x0f, 0x0c),
    BAD(M32, -EINVAL, "mov tr", 0x0f, 0x24, 0xc0),
    BAD(M32, -EINVAL, "0f 26", 0x0f, 0x26, 0xc0),
    BAD(M32, -EINVAL, "0f 36", 0x0f, 0x36),
    BAD(M64, -EINVAL, "0f 39", 0x0f, 0x39),
    BAD(M64, -EINVAL, "0f 3b", 0x0f, 0x3b),
    BAD(M64, -EINVAL, "0f 3f", 0x0f, 0x3f),
    BAD(M32, -EINVAL, "0f 7a", 0x0f, 0x7a, 0x00),
    BAD(M32, -EINVAL, "0f a6", 0x0f, 0xa6, 0x00),
    BAD(M32, -EINVAL, "0f a7", 0x0f, 0xa7, 0x00),
    /* Undefined group members and register forms. */
    BAD(M32, -EINVAL, "fe /2", 0xfe, 0x10),
    BAD(M32, -EINVAL, "fe /7", 0xfe, 0x38),
    BAD(M64, -EINVAL, "ff /7", 0xff, 0x38),
    BAD(M64, -EINVAL, "ff /3 reg", 0xff, 0xd8),
    BAD(M32, -EINVAL, "ff /5 reg", 0xff, 0xe8),
    BAD(M32, -EINVAL, "lea reg", 0x8d, 0xc0),
    BAD(M64, -EINVAL, "c6 /1", 0xc6, 0x08, 0x00),
    BAD(M64, -EINVAL, "c7 /7 not f8", 0xc7, 0xf9, 0, 0, 0, 0),
    BAD(M64, -EINVAL, "c7 /7 mem", 0xc7, 0x38, 0, 0, 0, 0),
    BAD(M32, -EINVAL, "0f 00 /6", 0x0f, 0x00, 0x30),
    BAD(M32, -EINVAL, "0f 00 /7", 0x0f, 0x00, 0xf8),
    BAD(M32, -EINVAL, "0f ba /0", 0x0f, 0xba, 0x00, 0x01),
    BAD(M32, -EINVAL, "0f ba /3", 0x0f, 0xba, 0xd8, 0x01),
    BAD(M64, -EINVAL, "0f c7 /0", 0x0f, 0xc7, 0x00),
    BAD(M64, -EINVAL, "0f c7 /2", 0x0f, 0xc7, 0x10),
    BAD(M64, -EINVAL, "cmpxchg8b reg", 0x0f, 0xc7, 0xc8),
    BAD(M64, -EINVAL, "xsavec reg", 0x0f, 0xc7, 0xe0),
    BAD(M32, -EINVAL, "lss reg", 0x0f, 0xb2, 0xc0),
    BAD(M32, -EINVAL, "lfs reg", 0x0f, 0xb4, 0xc0),
    BAD(M32, -EINVAL, "movnti reg", 0x0f, 0xc3, 0xc0),
    BAD(M32, -EINVAL, "movntq reg", 0x0f, 0xe7, 0xc0),
    BAD(M32, -EINVAL, "movhps store reg", 0x0f, 0x17, 0xc0),
    BAD(M32, -EINVAL, "movmskps mem", 0x0f, 0x50, 0x00),
    BAD(M32, -EINVAL, "pextrw mem", 0x0f, 0xc5, 0x00, 0x01),
    BAD(M32, -EINVAL, "psrlw mem", 0x0f, 0x71, 0x10, 0x03),
    BAD(M32, -EINVAL, "0f 71 /0", 0x0f, 0x71, 0xc0, 0x03),
    BAD(M32, -EINVAL, "0f 73 /4", 0x0f, 0x73, 0xe0, 0x03),
    BAD(M32, -EINVAL, "0f d6 without prefix", 0x0f, 0xd6, 0xc0),
    BAD(M32, -EINVAL, "movq2dq mem", 0xf3, 0x0f, 0xd6, 0x00),
    BAD(M32, -EINVAL, "extrq mem", 0x66, 0x0f, 0x78, 0x00, 0x01, 0x02),
    BAD(M32, -EINVAL, "movbe reg", 0x0f, 0x38, 0xf0, 0xc0),
    BAD(M64, -EINVAL, "invpcid reg", 0x66, 0x0f, 0x38, 0x82, 0xc0),
    BAD(M64, -EINVAL, "undefined 0f 38 50", 0x0f, 0x38, 0x50, 0x00),
    BAD(M64, -EINVAL, "undefined 0f 38 ff", 0x0f, 0x38, 0xff, 0x00),
    BAD(M64, -EINVAL, "undefined 0f 3a 00", 0x0f, 0x3a, 0x00, 0xc0, 0x00),
    BAD(M64, -EINVAL, "undefined 0f 3a 80", 0x66, 0x0f, 0x3a, 0x80, 0xc0, 0x00),
    BAD(M32, -EINVAL, "3dnow suffix 00", 0x0f, 0x0f, 0xc1, 0x00),
    BAD(M32, -EINVAL, "3dnow suffix ff", 0x0f, 0x0f, 0x00, 0xff),
    /* LOCK where it is #UD. */
    BAD(M32, -EINVAL, "lock mov", 0xf0, 0x89, 0x08),
    BAD(M32, -EINVAL, "lock add reg", 0xf0, 0x01, 0xc1),
    BAD(M32, -EINVAL, "lock add reg, mem", 0xf0, 0x03, 0x08),
    BAD(M32, -EINVAL, "lock cmp", 0xf0, 0x39, 0x08),
    BAD(M32, -EINVAL, "lock cmp imm", 0xf0, 0x83, 0x38, 0x01),
    BAD(M32, -EINVAL, "lock test", 0xf0, 0xf6, 0x00, 0x05),
    BAD(M32, -EINVAL, "lock bt", 0xf0, 0x0f, 0xa3, 0x08),
    BAD(M32, -EINVAL, "lock bt imm", 0xf0, 0x0f, 0xba, 0x20, 0x05),
    BAD(M32, -EINVAL, "lock rol", 0xf0, 0xc0, 0x00, 0x03),
    BAD(M32, -EINVAL, "lock nop", 0xf0, 0x90),
    BAD(M32, -EINVAL, "lock stos", 0xf0, 0xab),
    BAD(M64, -EINVAL, "lock movzx", 0xf0, 0x0f, 0xb6, 0x00),
    BAD(M64, -EINVAL, "lock inc reg", 0xf0, 0xff, 0xc0),
    BAD(M64, -EINVAL, "lock xchg reg", 0xf0, 0x87, 0xc1),
    BAD(M64, -EINVAL, "lock pshufb", 0xf0, 0x0f, 0x38, 0x00, 0x00),
    /* VEX (decoded: see vex_forms), EVEX, XOP. */
    BAD(M64, -EINVAL, "vex after 66", 0x66, 0xc5, 0xf8, 0x77),
    BAD(M64, -EINVAL, "vex after f3", 0xf3, 0xc5, 0xf8, 0x77),
    BAD(M64, -EINVAL, "vex after rex", 0x48, 0xc5, 0xf8, 0x77),
    BAD(M64, -EINVAL, "vex after lock", 0xf0, 0xc5, 0xf8, 0x77),
    BAD(M64, -EINVAL, "vex3 map 0", 0xc4, 0xe0, 0x79, 0x00, 0xc1),
    BAD(M64, -EINVAL, "vex3 map 4", 0xc4, 0xe4, 0x79, 0x00, 0xc1),
    BAD(M64, -EINVAL, "vex 0f b6 (no vex form)", 0xc5, 0xf8, 0xb6, 0xc0),
    BAD(M64, -ENODATA, "vex2 alone", 0xc5),
    BAD(M64, -ENODATA, "vex3 half", 0xc4, 0xe2),
    BAD(M64, -ENODATA, "vex3 no opcode", 0xc4, 0xe2, 0x79),
    BAD(M64, -ENODATA, "vex 0f3a no imm", 0xc4, 0xe3, 0x79, 0x0f, 0xc1),
    BAD(M64, -EOPNOTSUPP, "evex", 0x62, 0xf1, 0x7c, 0x48, 0x58, 0xc1),
    BAD(M32, -EOPNOTSUPP, "evex 32-bit", 0x62, 0xf1, 0x7c, 0x48, 0x58, 0xc1),
    BAD(M64, -EOPNOTSUPP, "xop", 0x8f, 0xe8, 0x78, 0xc0, 0xc1, 0x00),
    BAD(M32, -EOPNOTSUPP, "xop 32-bit", 0x8f, 0xe9, 0x78, 0x81, 0xc1),
    BAD(M32, -EINVAL, "8f /4", 0x8f, 0x20),
    /* Not a mode. */
    BAD(7, -EINVAL, "mode 7", 0x90),
    /* Truncated. */
    BAD(M32, -ENODATA, "empty"),
    BAD(M64, -ENODATA, "empty"),
    BAD(M64, -ENODATA, "prefixes only", 0x66, 0xf3, 0x2e, 0x48),
    BAD(M32, -ENODATA, "0f", 0x0f),
    BAD(M32, -ENODATA, "0f 38", 0x0f, 0x38),
    BAD(M64, -ENODATA, "0f 3a", 0x66, 0x0f, 0x3a),
    BAD(M64, -ENODATA, "0f 3a no imm", 0x66, 0x0f, 0x3a, 0x0f, 0xc1),
    BAD(M32, -ENODATA, "c4 alone in 32-bit", 0xc4),
    BAD(M64, -ENODATA, "8f alone", 0x8f),
    BAD(M64, -ENODATA, "no sib", 0x8b, 0x04),
    BAD(M64, -ENODATA, "half a disp32", 0x8b, 0x05, 0x00, 0x00),
    BAD(M64, -ENODATA, "imm64 short", 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7),
    BAD(M64, -ENODATA, "moffs64 short", 0xa1, 1, 2, 3, 4),
    BAD(M32, -ENODATA, "enter short", 0xc8, 0x00, 0x10),
    BAD(M32, -ENODATA, "far short", 0xea, 1, 2, 3, 4, 5),
    BAD(M32, -ENODATA, "test imm short", 0xf7, 0x00, 1, 2, 3),
    /* Longer than 15 bytes: final, whatever avail says. */
    BAD(M64, -EINVAL, "16 bytes of prefixes", 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66),
    BAD(M32, -EINVAL, "15 prefixes and nop", 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90),
    BAD(M64, -EINVAL, "16-byte lock add", 0x2e, 0x2e, 0xf0, 0x67, 0x48, 0x81, 0x84, 0x18, 0x78,
        0x56, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12),
    BAD(M64, -EINVAL, "16 bytes, imm64 at the end", 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x48, 0xb8,
        1, 2, 3, 4, 5, 6, 7, 8),
    BAD(M64, -EINVAL, "imm64 cannot fit, avail short", 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x48,
        0xb8, 1),
};

static void test_invalid(void)
{
    struct x86_insn insn;

    for ( size_t i = 0; i < ARRAY_SIZE(bad_cases); i++ )
    {
        const struct bad_case *b = &bad_cases[i];
        int rc = decode_exact(b->bytes, b->len, b->mode, &insn);

        CHECK_MSG(rc == b->rc, "%s \"%s\": rc %d, expected %d", mode_name(b->mode), b->what, rc,
                  b->rc);
    }
}

/* The valid encodings next to the invalid ones above. */
static void test_valid_neighbours(void)
{
    struct x86_insn i;

    i = decode_ok(M32, BYTES(0x06));
    CHECK_EQ(i.opcode, 0x06);
    i = decode_ok(M32, BYTES(0x82, 0x00, 0x01));
    CHECK(i.insn_class == X86_INSN_ALU_MEM && i.imm == 1);
    i = decode_ok(M32, BYTES(0xd4, 0x0a));
    CHECK_EQ(i.imm, 10);
    decode_ok(M64, BYTES(0xfe, 0x08));                   /* dec byte [rax] */
    decode_ok(M64, BYTES(0xff, 0x18));                   /* call far [rax] */
    decode_ok(M64, BYTES(0xc7, 0xf8, 0, 0, 0, 0));       /* xbegin */
    decode_ok(M64, BYTES(0xc6, 0xf8, 0x01));             /* xabort */
    decode_ok(M64, BYTES(0x0f, 0x00, 0x28));             /* verw [rax] */
    decode_ok(M64, BYTES(0x0f, 0xba, 0x20, 0x01));       /* bt [rax], 1 */
    decode_ok(M64, BYTES(0x0f, 0xc7, 0xf0));             /* rdrand eax */
    decode_ok(M64, BYTES(0x0f, 0xc7, 0x30));             /* vmptrld [rax] */
    decode_ok(M64, BYTES(0x0f, 0x0b));                   /* ud2 */
    decode_ok(M64, BYTES(0xf2, 0x0f, 0x38, 0xf0, 0xc0)); /* crc32 eax, al */
    decode_ok(M32, BYTES(0x66, 0x0f, 0xd6, 0xc0));       /* movq xmm0, xmm0 */
    decode_ok(M32, BYTES(0x0f, 0x73, 0xd0, 0x03));       /* psrlq mm0, 3 */
    decode_ok(M32, BYTES(0x0f, 0x0f, 0x00, 0xbf));       /* pavgusb mm0, [eax] */
    /* The longest legal instruction, 15 bytes. */
    i = decode_ok(M64, BYTES(0x2e, 0xf0, 0x67, 0x48, 0x81, 0x84, 0x18, 0x78, 0x56, 0x34, 0x12, 0x78,
                             0x56, 0x34, 0x12));
    CHECK(i.lock && i.addr_size == 4 && i.insn_class == X86_INSN_ALU_MEM);
    i = decode_ok(M32, BYTES(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                             0x66, 0x66, 0x90));
    CHECK_EQ(i.opcode, 0x90);
}

static bool rc_known(int rc)
{
    return rc == 0 || rc == -EINVAL || rc == -ENODATA || rc == -EOPNOTSUPP;
}

/*
 * Properties of any decode: the length fits; the same bytes cut to the
 * length decode the same; one byte fewer is a truncation.
 */
static void check_consistent(const uint8_t *buf, size_t avail, unsigned int mode)
{
    struct x86_insn a, b;
    int rc = decode_exact(buf, avail, mode, &a);

    CHECK_MSG(rc_known(rc), "rc %d", rc);
    if ( rc )
        return;
    CHECK(a.length >= 1 && a.length <= X86_MAX_INSN_LEN && a.length <= avail);
    CHECK(a.op_size == 1 || a.op_size == 2 || a.op_size == 4 || a.op_size == 8);
    CHECK(a.addr_size == 2 || a.addr_size == (mode == M64 ? 8 : 4) || a.addr_size == 4);
    CHECK(decode_exact(buf, a.length, mode, &b) == 0);
    CHECK(b.length == a.length && b.opcode == a.opcode && b.map == a.map &&
          b.insn_class == a.insn_class && b.imm == a.imm && b.disp == a.disp);
    CHECK_EQ(decode_exact(buf, a.length - 1, mode, &b), -ENODATA);
}

static void test_random_bytes(void)
{
    uint8_t buf[24];

    test_srand(0xdec0de);
    for ( unsigned int n = 0; n < 200000; n++ )
    {
        size_t avail = test_rand_below(sizeof(buf) + 1);

        for ( size_t i = 0; i < avail; i++ )
            buf[i] = test_rand();
        check_consistent(buf, avail, test_rand_below(2) ? M64 : M32);
    }
}

/* Random bytes seldom get past the opcode; build likelier instructions. */
static void test_random_structured(void)
{
    static const uint8_t prefixes[] = {
        0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3,
    };
    uint8_t buf[24];
    unsigned int decoded = 0;

    test_srand(0x5eed);
    for ( unsigned int n = 0; n < 200000; n++ )
    {
        unsigned int mode = test_rand_below(2) ? M64 : M32;
        size_t len = 0, avail;

        for ( unsigned int p = test_rand_below(4); p; p-- )
            buf[len++] = prefixes[test_rand_below(ARRAY_SIZE(prefixes))];
        if ( mode == M64 && test_rand_below(2) )
            buf[len++] = 0x40 | test_rand_below(16);
        if ( test_rand_below(2) )
            buf[len++] = 0x0f;
        if ( len && buf[len - 1] == 0x0f && test_rand_below(4) == 0 )
            buf[len++] = test_rand_below(2) ? 0x38 : 0x3a;
        while ( len < sizeof(buf) )
            buf[len++] = test_rand();
        avail = test_rand_below(4) ? sizeof(buf) : test_rand_below(sizeof(buf) + 1);
        check_consistent(buf, avail, mode);
        decoded += avail == sizeof(buf) && x86_decode(buf, avail, mode, &(struct x86_insn){}) == 0;
    }
    /* Most of these should be real instructions. */
    CHECK_MSG(decoded > 100000, "only %u decoded", decoded);
}

static const struct test_case cases[] = {
    { "decode.corpus_lengths", test_corpus_lengths },
    { "decode.corpus_classes", test_corpus_classes },
    { "decode.corpus_truncated", test_corpus_truncated },
    { "decode.corpus_trailing_bytes", test_corpus_trailing_bytes },
    { "decode.corpus_coverage", test_corpus_coverage },
    { "decode.modrm_sib_rex", test_modrm_sib_rex },
    { "decode.rip_relative", test_rip_relative },
    { "decode.addressing_16bit", test_addressing_16bit },
    { "decode.immediates", test_immediates },
    { "decode.moffs", test_moffs },
    { "decode.sizes", test_sizes },
    { "decode.prefix_fields", test_prefix_fields },
    { "decode.maps", test_maps },
    { "decode.vex", vex_forms },
    { "decode.invalid", test_invalid },
    { "decode.valid_neighbours", test_valid_neighbours },
    { "decode.random_bytes", test_random_bytes },
    { "decode.random_structured", test_random_structured },
};

int main(void)
{
    return run_tests(cases, ARRAY_SIZE(cases));
}
