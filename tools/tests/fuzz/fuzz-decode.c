/*
 * fuzz-decode.c - libFuzzer harness for the x86 instruction decoder
 * (xen/arch/x86/x86_decode.c).
 *
 * Input: one byte choosing the mode (bit 0: 64-bit), then the bytes to
 * decode. Oracles, beyond ASan/UBSan staying quiet:
 *   - bounds: every decode reads from a heap block that ends at
 *     min(avail, 15) bytes, so a read at or past avail, or past the
 *     15-byte limit, is a heap overflow;
 *   - the result: a known error code, never -ENODATA with 15 bytes at
 *     hand, a length in [1, min(15, avail)], every field in its range;
 *   - layout: the fields must be where the bytes say they are. Counting
 *     back from the length over immediates, displacement, SIB, ModRM,
 *     opcode and escapes must land on a run of prefixes, and the prefix
 *     flags, ModRM/SIB fields, displacement and immediates must equal
 *     what those bytes encode;
 *   - the moves an MMIO emulator carries out (MOV 88-8B, C6/C7, A0-A3,
 *     MOVS, STOS, MOVZX/MOVSX) have the class, access, size and
 *     immediate a reference from the SDM gives for their prefixes;
 *   - determinism and context: decoding again, with the bytes after the
 *     instruction changed and more of them, gives the same answer; an
 *     error other than -ENODATA stays the same error; every proper prefix
 *     of a decoded instruction is -ENODATA, and an -ENODATA input never
 *     turns into an instruction that fits in what was given.
 *
 * It may not touch anything but the decoder's public interface.
 */
#include <asm/x86_decode.h>
#include <xen/errno.h>

#include <stdbool.h>

#include "fuzz.h"

#define MAX_INPUT 32 /* longer inputs are cut: 15 is the limit */

/* Decode bytes[0 .. avail) from a heap block of min(avail, 15) bytes. */
static int decode_guarded(const uint8_t *bytes, size_t avail, unsigned int mode,
                          struct x86_insn *out)
{
    uint8_t *copy = fuzz_dup(bytes, avail < X86_MAX_INSN_LEN ? avail : X86_MAX_INSN_LEN);
    int rc;

    memset(out, 0xa5, sizeof(*out));
    rc = x86_decode(copy, avail, mode, out);
    free(copy);
    return rc;
}

static int64_t sext(uint64_t v, unsigned int bytes)
{
    unsigned int shift = 64 - 8 * bytes;

    return bytes ? (int64_t)(v << shift) >> shift : 0;
}

static uint64_t le_bytes(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    for ( unsigned int i = 0; i < n; i++ )
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static bool is_size(unsigned int v, bool zero_ok)
{
    return (zero_ok && v == 0) || v == 1 || v == 2 || v == 4 || v == 8;
}

static bool same_insn(const struct x86_insn *a, const struct x86_insn *b)
{
    return a->length == b->length && a->map == b->map && a->opcode == b->opcode &&
           a->insn_class == b->insn_class && a->op_size == b->op_size &&
           a->addr_size == b->addr_size && a->rep == b->rep && a->seg == b->seg &&
           a->lock == b->lock && a->opsize_prefix == b->opsize_prefix && a->rex == b->rex &&
           a->has_modrm == b->has_modrm && a->modrm == b->modrm && a->mod == b->mod &&
           a->reg == b->reg && a->rm == b->rm && a->has_mem == b->has_mem &&
           a->has_sib == b->has_sib && a->base == b->base && a->index == b->index &&
           a->scale == b->scale && a->disp_size == b->disp_size && a->disp == b->disp &&
           a->imm_size == b->imm_size && a->imm2_size == b->imm2_size && a->imm == b->imm &&
           a->imm2 == b->imm2 && a->mem_size == b->mem_size && a->mem_access == b->mem_access;
}

static void check_sizes(const struct x86_insn *i, bool long64)
{
    FUZZ_CHECK(i->map <= X86_MAP_0F3A && i->insn_class <= X86_INSN_ALU_MEM);
    FUZZ_CHECK(is_size(i->op_size, false) && i->op_size != 3);
    FUZZ_CHECK(long64 || i->op_size != 8);
    FUZZ_CHECK(long64 ? i->addr_size == 4 || i->addr_size == 8
                      : i->addr_size == 2 || i->addr_size == 4);
    FUZZ_CHECK(is_size(i->disp_size, true) && is_size(i->imm_size, true));
    FUZZ_CHECK(i->imm2_size <= 2 && (!i->imm2_size || i->imm_size));
    FUZZ_CHECK(i->disp == sext(i->disp, i->disp_size ? i->disp_size : 0) || i->disp_size == 8);
    FUZZ_CHECK(i->disp_size || !i->disp);
    FUZZ_CHECK(i->imm == sext(i->imm, i->imm_size) || i->imm_size == 8);
    FUZZ_CHECK(i->imm2 == sext(i->imm2, i->imm2_size));
}

static void check_modrm_fields(const struct x86_insn *i)
{
    bool crdr = i->map == X86_MAP_0F && i->opcode >= 0x20 && i->opcode <= 0x23;

    if ( !i->has_modrm )
    {
        FUZZ_CHECK(!i->modrm && !i->mod && !i->reg && !i->rm && !i->has_sib);
        return;
    }
    FUZZ_CHECK_MSG(i->mod == (crdr ? 3 : i->modrm >> 6), "mod %u modrm %#x", i->mod, i->modrm);
    FUZZ_CHECK(i->reg == (((i->modrm >> 3) & 7) | (i->rex & 4 ? 8 : 0)));
    FUZZ_CHECK(i->rm == ((i->modrm & 7) | (i->rex & 1 ? 8 : 0)));
}

static bool valid_reg(uint8_t r, bool rip_ok)
{
    return r < 16 || r == X86_REG_NONE || (rip_ok && r == X86_REG_RIP);
}

static void check_mem_fields(const struct x86_insn *i, bool long64)
{
    if ( !i->has_mem )
    {
        FUZZ_CHECK(i->base == X86_REG_NONE && i->index == X86_REG_NONE && !i->scale);
        FUZZ_CHECK(!i->disp_size && !i->has_sib);
        FUZZ_CHECK(i->insn_class == X86_INSN_OTHER);
        return;
    }
    if ( !i->has_modrm && !i->disp_size )
    {
        /* String ops and XLAT: implicit operands, nothing to describe. */
        FUZZ_CHECK(i->base == X86_REG_NONE && i->index == X86_REG_NONE && !i->scale);
        return;
    }
    FUZZ_CHECK(i->scale == 1 || i->scale == 2 || i->scale == 4 || i->scale == 8);
    FUZZ_CHECK(valid_reg(i->base, long64) && valid_reg(i->index, false) && i->index != 4);
    FUZZ_CHECK(!i->has_modrm || i->mod != 3);
    FUZZ_CHECK(!i->has_sib || (i->addr_size != 2 && (i->modrm & 7) == 4));
    FUZZ_CHECK(i->base != X86_REG_RIP || (!i->has_sib && i->mod == 0 && (i->modrm & 7) == 5));
    FUZZ_CHECK(i->disp_size != 8 || (!i->has_modrm && i->addr_size == 8));
    if ( i->addr_size == 2 )
        FUZZ_CHECK((i->base == 3 || i->base == 5 || i->base == X86_REG_NONE) &&
                   (i->index == 6 || i->index == 7 || i->index == X86_REG_NONE));
}

static void check_class(const struct x86_insn *i)
{
    if ( i->insn_class == X86_INSN_OTHER )
    {
        FUZZ_CHECK(!i->mem_access && !i->mem_size);
        return;
    }
    FUZZ_CHECK(i->has_mem && i->mem_access && i->mem_access <= 3);
    FUZZ_CHECK(is_size(i->mem_size, false));
}

/* The prefix flags must be exactly what bytes[0 .. end) say. */
static void check_prefixes(const struct x86_insn *i, const uint8_t *b, unsigned int end,
                           bool long64)
{
    uint8_t rep = X86_REP_NONE, seg = X86_SEG_NONE, rex = 0;
    bool lock = false, opsize = false, addr = false;

    for ( unsigned int k = 0; k < end; k++ )
    {
        uint8_t p = b[k];

        rex = 0;
        if ( p == 0x26 || p == 0x2e || p == 0x36 || p == 0x3e )
            seg = (p >> 3) & 3;
        else if ( p == 0x64 || p == 0x65 )
            seg = X86_SEG_FS + (p - 0x64);
        else if ( p == 0xf2 || p == 0xf3 )
            rep = p;
        else if ( long64 && p >= 0x40 && p <= 0x4f )
            rex = p;
        else
            FUZZ_CHECK_MSG(p == 0x66 || p == 0x67 || p == 0xf0,
                           "byte %u (%#x) before the opcode is no prefix", k, p);
        lock |= p == 0xf0;
        opsize |= p == 0x66;
        addr |= p == 0x67;
    }
    FUZZ_CHECK(i->rep == rep && i->seg == seg && i->rex == rex);
    FUZZ_CHECK(i->lock == lock && i->opsize_prefix == opsize);
    FUZZ_CHECK(i->addr_size == (long64 ? (addr ? 4 : 8) : (addr ? 2 : 4)));
}

static void check_sib(const struct x86_insn *i, uint8_t sib)
{
    uint8_t index = ((sib >> 3) & 7) | (i->rex & 2 ? 8 : 0);

    FUZZ_CHECK(i->scale == 1u << (sib >> 6));
    FUZZ_CHECK(i->index == (index == 4 ? X86_REG_NONE : index));
}

/* Walk back from the end of the instruction to its first opcode byte. */
static void check_layout(const struct x86_insn *i, const uint8_t *b, bool long64)
{
    static const unsigned int escapes[] = { 0, 1, 2, 2 };
    unsigned int tail = i->has_modrm + i->has_sib + i->disp_size + i->imm_size + i->imm2_size;
    unsigned int op_end, esc = escapes[i->map], pos;

    FUZZ_CHECK_MSG(tail + 1 + esc <= i->length, "length %u, tail %u", i->length, tail);
    op_end = i->length - tail;
    FUZZ_CHECK(b[op_end - 1] == i->opcode);
    FUZZ_CHECK(!esc || b[op_end - 1 - esc] == 0x0f);
    FUZZ_CHECK(esc != 2 || b[op_end - 2] == (i->map == X86_MAP_0F38 ? 0x38 : 0x3a));
    FUZZ_CHECK(i->map != X86_MAP_ONEBYTE || i->opcode != 0x0f);
    check_prefixes(i, b, op_end - 1 - esc, long64);
    pos = op_end;
    if ( i->has_modrm )
        FUZZ_CHECK(b[pos++] == i->modrm);
    if ( i->has_sib )
        check_sib(i, b[pos++]);
    FUZZ_CHECK((uint64_t)i->disp == (uint64_t)sext(le_bytes(b + pos, i->disp_size), i->disp_size) ||
               i->disp_size == 8);
    FUZZ_CHECK(i->disp_size != 8 || (uint64_t)i->disp == le_bytes(b + pos, 8));
    pos += i->disp_size;
    FUZZ_CHECK(i->imm_size == 8 ? (uint64_t)i->imm == le_bytes(b + pos, 8)
                                : i->imm == sext(le_bytes(b + pos, i->imm_size), i->imm_size));
    pos += i->imm_size;
    FUZZ_CHECK(i->imm2 == sext(le_bytes(b + pos, i->imm2_size), i->imm2_size));
}

/*
 * A reference for the moves an MMIO emulator carries out, from the SDM's
 * MOV, MOVS, STOS, MOVZX and MOVSX pages: the class, the access and the
 * bytes moved, and the immediate. Other opcodes: no opinion (false).
 */
struct mov_ref
{
    uint8_t cls, access, mem_size, imm_size;
};

/* The operand size of a non-byte operation: REX.W, then 66, then 32. */
static unsigned int ref_osz(const struct x86_insn *i, bool long64)
{
    if ( long64 && (i->rex & 8) )
        return 8;
    return i->opsize_prefix ? 2 : 4;
}

static bool ref_mov_onebyte(const struct x86_insn *i, unsigned int osz, struct mov_ref *r)
{
    unsigned int ext = (i->modrm >> 3) & 7;

    switch ( i->opcode )
    {
    case 0x88: *r = (struct mov_ref){ X86_INSN_MOV_STORE, X86_MEM_WRITE, 1, 0 }; break;
    case 0x89: *r = (struct mov_ref){ X86_INSN_MOV_STORE, X86_MEM_WRITE, osz, 0 }; break;
    case 0x8a: *r = (struct mov_ref){ X86_INSN_MOV_LOAD, X86_MEM_READ, 1, 0 }; break;
    case 0x8b: *r = (struct mov_ref){ X86_INSN_MOV_LOAD, X86_MEM_READ, osz, 0 }; break;
    case 0xc6: *r = (struct mov_ref){ X86_INSN_MOV_STORE, X86_MEM_WRITE, 1, 1 }; break;
    case 0xc7:
        *r = (struct mov_ref){ X86_INSN_MOV_STORE, X86_MEM_WRITE, osz, osz == 2 ? 2 : 4 };
        break;
    case 0xa0: *r = (struct mov_ref){ X86_INSN_MOV_LOAD, X86_MEM_READ, 1, 0 }; return true;
    case 0xa1: *r = (struct mov_ref){ X86_INSN_MOV_LOAD, X86_MEM_READ, osz, 0 }; return true;
    case 0xa2: *r = (struct mov_ref){ X86_INSN_MOV_STORE, X86_MEM_WRITE, 1, 0 }; return true;
    case 0xa3: *r = (struct mov_ref){ X86_INSN_MOV_STORE, X86_MEM_WRITE, osz, 0 }; return true;
    case 0xa4:
        *r = (struct mov_ref){ X86_INSN_MOVS, X86_MEM_READ | X86_MEM_WRITE, 1, 0 };
        return true;
    case 0xa5:
        *r = (struct mov_ref){ X86_INSN_MOVS, X86_MEM_READ | X86_MEM_WRITE, osz, 0 };
        return true;
    case 0xaa: *r = (struct mov_ref){ X86_INSN_STOS, X86_MEM_WRITE, 1, 0 }; return true;
    case 0xab: *r = (struct mov_ref){ X86_INSN_STOS, X86_MEM_WRITE, osz, 0 }; return true;
    default: return false;
    }
    /* The ModRM forms move memory only with a memory operand; C6/C7 only as /0. */
    if ( (i->modrm >> 6) == 3 || ((i->opcode == 0xc6 || i->opcode == 0xc7) && ext) )
        r->cls = r->access = r->mem_size = 0;
    return true;
}

static bool ref_mov(const struct x86_insn *i, bool long64, struct mov_ref *r)
{
    unsigned int osz = ref_osz(i, long64);

    if ( i->map == X86_MAP_ONEBYTE )
        return ref_mov_onebyte(i, osz, r);
    if ( i->map != X86_MAP_0F || (i->opcode & 0xf6) != 0xb6 )
        return false;
    /* 0F B6/BE from a byte, 0F B7/BF from a word. */
    *r = (struct mov_ref){ X86_INSN_MOV_LOAD, X86_MEM_READ, i->opcode & 1 ? 2 : 1, 0 };
    if ( (i->modrm >> 6) == 3 )
        r->cls = r->access = r->mem_size = 0;
    return true;
}

static void check_mov(const struct x86_insn *i, bool long64)
{
    struct mov_ref r;

    if ( !ref_mov(i, long64, &r) )
        return;
    FUZZ_CHECK_MSG(i->insn_class == r.cls && i->mem_access == r.access && i->mem_size == r.mem_size,
                   "opcode %#x: class %u access %u size %u, reference %u %u %u", i->opcode,
                   i->insn_class, i->mem_access, i->mem_size, r.cls, r.access, r.mem_size);
    FUZZ_CHECK_MSG(!r.cls || r.cls == X86_INSN_MOVS || r.cls == X86_INSN_STOS ||
                       i->imm_size == r.imm_size,
                   "opcode %#x: imm_size %u, reference %u", i->opcode, i->imm_size, r.imm_size);
    FUZZ_CHECK(!(i->opcode >= 0xa0 && i->opcode <= 0xa3 && i->map == X86_MAP_ONEBYTE) ||
               i->disp_size == i->addr_size);
}

static void check_decoded(const struct x86_insn *i, const uint8_t *b, size_t avail, bool long64)
{
    FUZZ_CHECK_MSG(i->length >= 1 && i->length <= X86_MAX_INSN_LEN && i->length <= avail,
                   "length %u of %zu bytes", i->length, avail);
    check_sizes(i, long64);
    check_modrm_fields(i);
    check_mem_fields(i, long64);
    check_class(i);
    check_layout(i, b, long64);
    check_mov(i, long64);
}

/* Every proper prefix of the instruction is too short, never invalid. */
static void check_truncations(const uint8_t *b, unsigned int len, unsigned int mode)
{
    struct x86_insn t;

    for ( unsigned int k = 0; k < len; k++ )
    {
        int rc = decode_guarded(b, k, mode, &t);

        FUZZ_CHECK_MSG(rc == -ENODATA, "cut to %u of %u bytes: rc %d", k, len, rc);
    }
}

/*
 * Keep the first 'keep' bytes, change every byte after them and add more:
 * what the decoder did not need must not change its answer.
 */
static void check_context(const uint8_t *b, size_t n, unsigned int mode, int rc,
                          const struct x86_insn *first)
{
    uint8_t ext[MAX_INPUT + X86_MAX_INSN_LEN];
    size_t keep = rc ? n : first->length, ext_n = n + X86_MAX_INSN_LEN;
    struct x86_insn again;
    int rc2;

    for ( size_t k = 0; k < ext_n; k++ )
        ext[k] = k < keep ? b[k] : k < n ? (uint8_t)~b[k] : (uint8_t)(0x0f + 0x37 * k);
    rc2 = decode_guarded(ext, ext_n, mode, &again);
    if ( rc == -ENODATA )
    {
        FUZZ_CHECK_MSG(rc2 || again.length > n,
                       "-ENODATA with %zu bytes, but more bytes make a %u-byte instruction", n,
                       again.length);
        return;
    }
    FUZZ_CHECK_MSG(rc2 == rc, "rc %d, then %d with other bytes after it", rc, rc2);
    FUZZ_CHECK(rc || same_insn(first, &again));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct x86_insn insn, again;
    unsigned int mode;
    size_t n;
    int rc;

    if ( size < 1 )
        return 0;
    mode = data[0] & 1 ? X86_MODE_LONG64 : X86_MODE_PROT32;
    data++;
    n = size - 1 < MAX_INPUT ? size - 1 : MAX_INPUT;

    rc = decode_guarded(data, n, mode, &insn);
    FUZZ_CHECK_MSG(rc == 0 || rc == -ENODATA || rc == -EINVAL || rc == -EOPNOTSUPP, "rc %d", rc);
    FUZZ_CHECK_MSG(rc != -ENODATA || n < X86_MAX_INSN_LEN, "-ENODATA with %zu bytes", n);
    FUZZ_CHECK(decode_guarded(data, n, mode, &again) == rc);
    if ( !rc )
    {
        FUZZ_CHECK(same_insn(&insn, &again));
        check_decoded(&insn, data, n, mode == X86_MODE_LONG64);
        check_truncations(data, insn.length, mode);
    }
    check_context(data, n, mode, rc, &insn);
    return 0;
}
