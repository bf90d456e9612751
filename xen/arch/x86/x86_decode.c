/*
 * x86_decode.c - decodes one x86 instruction (legacy prefixes, REX, the
 * one-byte, 0F, 0F 38 and 0F 3A maps) in 32-bit or 64-bit mode: its
 * length, ModRM/SIB/displacement, immediates, sizes, and what kind of
 * memory access it makes. The contract is in asm/x86_decode.h.
 *
 * Opcode facts are from the Intel SDM vol. 2 (appendix A, the opcode maps
 * and their superscripts i64/d64/f64) and the AMD APM vol. 3.
 *
 * It may touch only the bytes it is given (never at or past avail, never
 * past 15) and *out: no guest state, no globals it writes, no allocation,
 * no output. It stays freestanding: xen/types.h and xen/errno.h only.
 */
#include <asm/x86_decode.h>
#include <xen/errno.h>

/*
 * Opcode attributes, one 16-bit word per opcode. The immediate kind sits
 * in bits 8-11.
 */
#define MODRM       0x0001u /* a ModRM byte follows */
#define BYTE        0x0002u /* operand size is 1 */
#define D64         0x0004u /* 64-bit mode: operand size defaults to 8 */
#define F64         0x0008u /* 64-bit mode: operand size is 8, 66 ignored */
#define I64         0x0010u /* invalid in 64-bit mode */
#define BAD         0x0020u /* undefined in every mode */
#define MEM_ONLY    0x0040u /* mod == 3 is undefined */
#define REG_ONLY    0x0080u /* mod != 3 is undefined */
#define NO_MOD      0x1000u /* mod is ignored: always a register */
#define IMM_SHIFT   8
#define IMM_KIND(f) (((f) >> IMM_SHIFT) & 0xfu)

enum imm_kind
{
    IMM_NONE,
    IMM_B,     /* 1 byte */
    IMM_W,     /* 2 bytes */
    IMM_Z,     /* 2 with a 16-bit operand size, else 4 */
    IMM_V,     /* the operand size: 2, 4 or 8 (B8-BF) */
    IMM_MOFFS, /* an address-size offset (A0-A3), kept in disp */
    IMM_FAR,   /* IMM_Z offset, then a 2-byte selector */
    IMM_WB,    /* 2 bytes, then 1 (ENTER) */
    IMM_BB,    /* 1 byte, then 1 (EXTRQ/INSERTQ) */
};

#define IB    (IMM_B << IMM_SHIFT)
#define IW    (IMM_W << IMM_SHIFT)
#define IZ    (IMM_Z << IMM_SHIFT)
#define IV    (IMM_V << IMM_SHIFT)
#define MOFFS (IMM_MOFFS << IMM_SHIFT)
#define FAR   (IMM_FAR << IMM_SHIFT)
#define WB    (IMM_WB << IMM_SHIFT)
#define BB    (IMM_BB << IMM_SHIFT)

#define REX_W    0x08
#define REX_R    0x04
#define REX_X    0x02
#define REX_B    0x01
#define REX_BASE 0x40

/* The six classic ALU encodings at op+0 .. op+5 (add, or, adc, ...). */
#define ALU_OPS(op)                                                                               \
    [(op) + 0] = MODRM | BYTE, [(op) + 1] = MODRM, [(op) + 2] = MODRM | BYTE, [(op) + 3] = MODRM, \
            [(op) + 4] = BYTE | IB, [(op) + 5] = IZ

/*
 * Prefixes (26 2E 36 3E 40-4F in 64-bit mode, 64-67, F0 F2 F3) and 0F are
 * consumed before the lookup; their entries are never read. Entries whose
 * validity depends on ModRM.reg are refined in modrm_flags().
 */
static const uint16_t onebyte_flags[256] = {
    ALU_OPS(0x00),
    [0x06 ... 0x07] = I64,
    ALU_OPS(0x08),
    [0x0e] = I64,
    ALU_OPS(0x10),
    [0x16 ... 0x17] = I64,
    ALU_OPS(0x18),
    [0x1e ... 0x1f] = I64,
    ALU_OPS(0x20),
    [0x27] = I64,
    ALU_OPS(0x28),
    [0x2f] = I64,
    ALU_OPS(0x30),
    [0x37] = I64,
    ALU_OPS(0x38),
    [0x3f] = I64,
    [0x50 ... 0x5f] = D64,
    [0x60 ... 0x61] = I64,
    [0x62] = MODRM | I64 | MEM_ONLY,
    [0x63] = MODRM,
    [0x68] = IZ | D64,
    [0x69] = MODRM | IZ,
    [0x6a] = IB | D64,
    [0x6b] = MODRM | IB,
    [0x6c] = BYTE,
    [0x6e] = BYTE,
    [0x70 ... 0x7f] = IB | F64,
    [0x80] = MODRM | BYTE | IB,
    [0x81] = MODRM | IZ,
    [0x82] = MODRM | BYTE | IB | I64,
    [0x83] = MODRM | IB,
    [0x84] = MODRM | BYTE,
    [0x85] = MODRM,
    [0x86] = MODRM | BYTE,
    [0x87] = MODRM,
    [0x88] = MODRM | BYTE,
    [0x89] = MODRM,
    [0x8a] = MODRM | BYTE,
    [0x8b] = MODRM,
    [0x8c] = MODRM,
    [0x8d] = MODRM | MEM_ONLY,
    [0x8e] = MODRM,
    [0x8f] = MODRM | D64,
    [0x9a] = FAR | I64,
    [0x9c ... 0x9d] = D64,
    [0xa0] = MOFFS | BYTE,
    [0xa1] = MOFFS,
    [0xa2] = MOFFS | BYTE,
    [0xa3] = MOFFS,
    [0xa4] = BYTE,
    [0xa6] = BYTE,
    [0xa8] = IB | BYTE,
    [0xa9] = IZ,
    [0xaa] = BYTE,
    [0xac] = BYTE,
    [0xae] = BYTE,
    [0xb0 ... 0xb7] = IB | BYTE,
    [0xb8 ... 0xbf] = IV,
    [0xc0] = MODRM | BYTE | IB,
    [0xc1] = MODRM | IB,
    [0xc2] = IW | F64,
    [0xc3] = F64,
    [0xc4 ... 0xc5] = MODRM | I64 | MEM_ONLY,
    [0xc6] = MODRM | BYTE | IB,
    [0xc7] = MODRM | IZ,
    [0xc8] = WB | D64,
    [0xc9] = D64,
    [0xca] = IW,
    [0xcd] = IB,
    [0xce] = I64,
    [0xd0] = MODRM | BYTE,
    [0xd1] = MODRM,
    [0xd2] = MODRM | BYTE,
    [0xd3] = MODRM,
    [0xd4 ... 0xd5] = IB | I64,
    [0xd6] = BAD,
    [0xd7] = BYTE,
    [0xd8 ... 0xdf] = MODRM,
    [0xe0 ... 0xe3] = IB | F64,
    [0xe4] = IB | BYTE,
    [0xe5] = IB,
    [0xe6] = IB | BYTE,
    [0xe7] = IB,
    [0xe8 ... 0xe9] = IZ | F64,
    [0xea] = FAR | I64,
    [0xeb] = IB | F64,
    [0xec] = BYTE,
    [0xee] = BYTE,
    [0xf6] = MODRM | BYTE,
    [0xf7] = MODRM,
    [0xfe] = MODRM | BYTE,
    [0xff] = MODRM,
};

/* The 0F map; 0F 38 and 0F 3A are escapes handled in decode_opcode(). */
static const uint16_t twobyte_flags[256] = {
    [0x00 ... 0x03] = MODRM,
    [0x04] = BAD,
    [0x0a] = BAD,
    [0x0c] = BAD,
    [0x0d] = MODRM,
    [0x0f] = MODRM | IB, /* 3DNow!: the opcode is the imm */
    [0x10 ... 0x12] = MODRM,
    [0x13] = MODRM | MEM_ONLY,
    [0x14 ... 0x16] = MODRM,
    [0x17] = MODRM | MEM_ONLY,
    [0x18 ... 0x1f] = MODRM,
    [0x20 ... 0x23] = MODRM | NO_MOD | F64, /* mov to/from CR, DR */
    [0x24 ... 0x27] = BAD,
    [0x28 ... 0x2a] = MODRM,
    [0x2b] = MODRM | MEM_ONLY,
    [0x2c ... 0x2f] = MODRM,
    [0x36] = BAD,
    [0x39] = BAD,
    [0x3b ... 0x3f] = BAD,
    [0x40 ... 0x4f] = MODRM,
    [0x50] = MODRM | REG_ONLY,
    [0x51 ... 0x6f] = MODRM,
    [0x70] = MODRM | IB,
    [0x71 ... 0x73] = MODRM | REG_ONLY | IB,
    [0x74 ... 0x76] = MODRM,
    [0x78 ... 0x79] = MODRM,
    [0x7a ... 0x7b] = BAD,
    [0x7c ... 0x7f] = MODRM,
    [0x80 ... 0x8f] = IZ | F64,
    [0x90 ... 0x9f] = MODRM | BYTE,
    [0xa0 ... 0xa1] = D64,
    [0xa3] = MODRM,
    [0xa4] = MODRM | IB,
    [0xa5] = MODRM,
    [0xa6 ... 0xa7] = BAD,
    [0xa8 ... 0xa9] = D64,
    [0xab] = MODRM,
    [0xac] = MODRM | IB,
    [0xad ... 0xaf] = MODRM,
    [0xb0] = MODRM | BYTE,
    [0xb1] = MODRM,
    [0xb2] = MODRM | MEM_ONLY,
    [0xb3] = MODRM,
    [0xb4 ... 0xb5] = MODRM | MEM_ONLY,
    [0xb6 ... 0xb9] = MODRM,
    [0xba] = MODRM | IB,
    [0xbb ... 0xbf] = MODRM,
    [0xc0] = MODRM | BYTE,
    [0xc1] = MODRM,
    [0xc2] = MODRM | IB,
    [0xc3] = MODRM | MEM_ONLY,
    [0xc4] = MODRM | IB,
    [0xc5] = MODRM | REG_ONLY | IB,
    [0xc6] = MODRM | IB,
    [0xc7] = MODRM,
    [0xd0 ... 0xd6] = MODRM,
    [0xd7] = MODRM | REG_ONLY,
    [0xd8 ... 0xe6] = MODRM,
    [0xe7] = MODRM | MEM_ONLY,
    [0xe8 ... 0xef] = MODRM,
    [0xf0] = MODRM | MEM_ONLY,
    [0xf1 ... 0xf6] = MODRM,
    [0xf7] = MODRM | REG_ONLY,
    [0xf8 ... 0xff] = MODRM,
};

/*
 * The three-byte maps, legacy (non-VEX) encodings only. Every defined
 * opcode takes ModRM, so an empty entry means undefined.
 */
static const uint16_t map0f38_flags[256] = {
    [0x00 ... 0x0b] = MODRM,
    [0x10] = MODRM,
    [0x14 ... 0x15] = MODRM,
    [0x17] = MODRM,
    [0x1c ... 0x1e] = MODRM,
    [0x20 ... 0x25] = MODRM,
    [0x28 ... 0x29] = MODRM,
    [0x2a] = MODRM | MEM_ONLY,
    [0x2b] = MODRM,
    [0x30 ... 0x35] = MODRM,
    [0x37 ... 0x41] = MODRM,
    [0x80 ... 0x82] = MODRM | MEM_ONLY, /* invept, invvpid, invpcid */
    [0xc8 ... 0xcd] = MODRM,
    [0xcf] = MODRM,
    [0xd8] = MODRM | MEM_ONLY,
    [0xdb ... 0xdf] = MODRM,
    [0xf0 ... 0xf1] = MODRM,
    [0xf5] = MODRM | MEM_ONLY,
    [0xf6] = MODRM,
    [0xf8 ... 0xf9] = MODRM | MEM_ONLY,
    [0xfa ... 0xfb] = MODRM,
    [0xfc] = MODRM | MEM_ONLY,
};

static const uint16_t map0f3a_flags[256] = {
    [0x08 ... 0x0f] = MODRM | IB, [0x14 ... 0x17] = MODRM | IB, [0x20 ... 0x22] = MODRM | IB,
    [0x40 ... 0x42] = MODRM | IB, [0x44] = MODRM | IB,          [0x60 ... 0x63] = MODRM | IB,
    [0xcc] = MODRM | IB,          [0xce ... 0xcf] = MODRM | IB, [0xdf] = MODRM | IB,
    [0xf0] = MODRM | IB,
};

struct decoder
{
    const uint8_t *bytes;
    size_t avail;
    unsigned int pos;
    bool long64;
    bool addr_prefix;
    struct x86_insn *insn;
};

static int64_t sign_extend(uint64_t v, unsigned int bytes)
{
    switch ( bytes )
    {
    case 1: return (int8_t)v;
    case 2: return (int16_t)v;
    case 4: return (int32_t)v;
    default: return (int64_t)v;
    }
}

/*
 * Take n little-endian bytes. Running into the 15-byte limit is final
 * (-EINVAL) whatever avail says; running out of avail first means more
 * bytes could still make a valid instruction (-ENODATA).
 */
static int fetch(struct decoder *d, unsigned int n, uint64_t *val)
{
    uint64_t v = 0;

    if ( d->pos + n > X86_MAX_INSN_LEN )
        return -EINVAL;
    if ( d->pos + n > d->avail )
        return -ENODATA;
    for ( unsigned int i = 0; i < n; i++ )
        v |= (uint64_t)d->bytes[d->pos + i] << (8 * i);
    d->pos += n;
    *val = v;
    return 0;
}

static int fetch_byte(struct decoder *d, uint8_t *b)
{
    uint64_t v = 0;
    int rc = fetch(d, 1, &v);

    *b = v;
    return rc;
}

static int peek_byte(struct decoder *d, uint8_t *b)
{
    int rc = fetch_byte(d, b);

    if ( !rc )
        d->pos--;
    return rc;
}

static bool legacy_prefix(struct decoder *d, uint8_t b)
{
    struct x86_insn *insn = d->insn;

    switch ( b )
    {
    case 0x26:
    case 0x2e:
    case 0x36:
    case 0x3e: insn->seg = X86_SEG_ES + ((b >> 3) & 3); break;
    case 0x64:
    case 0x65: insn->seg = X86_SEG_FS + (b - 0x64); break;
    case 0x66: insn->opsize_prefix = true; break;
    case 0x67: d->addr_prefix = true; break;
    case 0xf0: insn->lock = true; break;
    case 0xf2:
    case 0xf3: insn->rep = b; break;
    default: return false;
    }
    return true;
}

/*
 * Prefixes in any order and number. A REX counts only as the last byte
 * before the opcode: a legacy prefix after it makes the CPU ignore it.
 */
static int decode_prefixes(struct decoder *d, uint8_t *first)
{
    uint8_t b;
    int rc;

    for ( ;; )
    {
        rc = fetch_byte(d, &b);
        if ( rc )
            return rc;
        if ( legacy_prefix(d, b) )
            d->insn->rex = 0;
        else if ( d->long64 && (b & 0xf0) == 0x40 )
            d->insn->rex = b;
        else
            break;
    }
    *first = b;
    return 0;
}

static int decode_opcode(struct decoder *d, uint8_t first)
{
    struct x86_insn *insn = d->insn;
    int rc;

    insn->map = X86_MAP_ONEBYTE;
    insn->opcode = first;
    if ( first != 0x0f )
        return 0;
    insn->map = X86_MAP_0F;
    rc = fetch_byte(d, &insn->opcode);
    if ( rc || (insn->opcode != 0x38 && insn->opcode != 0x3a) )
        return rc;
    insn->map = insn->opcode == 0x38 ? X86_MAP_0F38 : X86_MAP_0F3A;
    return fetch_byte(d, &insn->opcode);
}

/* The 0F-map opcodes that have VEX forms (SSE and AVX): elsewhere #UD. */
static bool vex_0f_opcode(uint8_t op)
{
    return (op >= 0x10 && op <= 0x17) || (op >= 0x28 && op <= 0x2f) || (op >= 0x50 && op <= 0x7f) ||
           (op >= 0xc2 && op <= 0xc6) || op == 0xae || op >= 0xd0;
}

/*
 * The VEX prefix (C4: three bytes, C5: two) in place of the opcode byte:
 * R, X, B and W (stored as a REX byte, so ModRM and SIB extend as with
 * REX), the map (C5: 0F), vvvv, L, and pp standing for 66/F3/F2. A VEX
 * after 66, F2, F3, F0 or REX is #UD. Outside 64-bit mode R and X are
 * always clear (that is what tells VEX from LES/LDS), B, W and vvvv's
 * top bit are ignored (no REX byte is recorded).
 */
static int decode_vex(struct decoder *d)
{
    struct x86_insn *insn = d->insn;
    static const uint8_t pp_prefix[4] = { 0, 0x66, X86_REP_F3, X86_REP_F2 };
    uint8_t b1, b2, rex;
    int rc;

    if ( insn->rep || insn->opsize_prefix || insn->lock || insn->rex )
        return -EINVAL;
    rc = fetch_byte(d, &b1);
    if ( rc )
        return rc;
    b2 = b1;
    rex = REX_BASE | (b1 & 0x80 ? 0 : REX_R);
    insn->map = X86_MAP_0F;
    if ( insn->opcode == 0xc4 )
    {
        static const uint8_t maps[4] = { 0, X86_MAP_0F, X86_MAP_0F38, X86_MAP_0F3A };

        if ( (b1 & 0x1f) == 0 || (b1 & 0x1f) > 3 )
            return -EINVAL;
        insn->map = maps[b1 & 3];
        rex |= (b1 & 0x40 ? 0 : REX_X) | (b1 & 0x20 ? 0 : REX_B);
        rc = fetch_byte(d, &b2);
        if ( rc )
            return rc;
        rex |= b2 & 0x80 ? REX_W : 0;
    }
    insn->rex = d->long64 ? rex : 0;
    insn->vex = true;
    insn->vex_l = (b2 >> 2) & 1;
    insn->vex_vvvv = (~b2 >> 3) & (d->long64 ? 15 : 7);
    insn->opsize_prefix = pp_prefix[b2 & 3] == 0x66;
    insn->rep = insn->opsize_prefix ? 0 : pp_prefix[b2 & 3];
    rc = fetch_byte(d, &insn->opcode);
    if ( !rc && insn->map == X86_MAP_0F && !vex_0f_opcode(insn->opcode) )
        return -EINVAL;
    return rc;
}

/*
 * C4/C5 (LES/LDS), 62 (BOUND) and 8F (POP) double as the VEX, EVEX and XOP
 * escapes. In 64-bit mode the first three are always escapes; elsewhere a
 * register ModRM (invalid for LES/LDS/BOUND) marks one. POP has only /0,
 * and XOP's map-select field (8 and up) makes reg non-zero. VEX is
 * decoded; EVEX and XOP are -EOPNOTSUPP.
 */
static int check_vex_like(struct decoder *d)
{
    uint8_t next;
    int rc;

    if ( d->insn->map != X86_MAP_ONEBYTE )
        return 0;
    switch ( d->insn->opcode )
    {
    case 0xc4:
    case 0xc5:
    case 0x62:
        if ( !d->long64 )
        {
            rc = peek_byte(d, &next);
            if ( rc || (next >> 6) != 3 )
                return rc;
        }
        return d->insn->opcode == 0x62 ? -EOPNOTSUPP : decode_vex(d);
    case 0x8f:
        rc = peek_byte(d, &next);
        if ( rc || !((next >> 3) & 7) )
            return rc;
        return (next & 0x1f) >= 8 ? -EOPNOTSUPP : -EINVAL;
    }
    return 0;
}

static uint16_t opcode_flags(const struct x86_insn *insn)
{
    if ( insn->vex && insn->map != X86_MAP_0F )
        return insn->map == X86_MAP_0F38 ? MODRM : MODRM | IB;
    switch ( insn->map )
    {
    case X86_MAP_ONEBYTE: return onebyte_flags[insn->opcode];
    case X86_MAP_0F: return twobyte_flags[insn->opcode];
    case X86_MAP_0F38: return map0f38_flags[insn->opcode] ?: BAD;
    default: return map0f3a_flags[insn->opcode] ?: BAD;
    }
}

/* Attributes of one-byte group opcodes that depend on ModRM.reg. */
static uint16_t onebyte_group_flags(const struct x86_insn *insn, uint16_t flags)
{
    unsigned int ext = (insn->modrm >> 3) & 7;

    switch ( insn->opcode )
    {
    case 0xf6:
    case 0xf7: /* only test (/0, /1) has an immediate */
        if ( ext < 2 )
            flags |= insn->opcode == 0xf6 ? IB : IZ;
        return flags;
    case 0xfe: return ext < 2 ? flags : BAD;
    case 0xff:
        if ( ext == 2 || ext == 4 ) /* near call/jmp */
            return flags | F64;
        if ( ext == 3 || ext == 5 ) /* far call/jmp */
            return flags | MEM_ONLY;
        if ( ext == 6 ) /* push */
            return flags | D64;
        return ext == 7 ? BAD : flags;
    case 0xc6:
    case 0xc7: /* mov; C6 F8 xabort, C7 F8 xbegin */
        return ext == 0 || insn->modrm == 0xf8 ? flags : BAD;
    }
    return flags;
}

/*
 * The same for 0F-map groups, and for opcodes whose mandatory prefix (the
 * last F2/F3, else 66) changes the form.
 */
static uint16_t twobyte_group_flags(const struct x86_insn *insn, uint16_t flags)
{
    static const uint8_t mmx_shift_exts[3] = {
        /* 0F 71, 72, 73 */
        0x54,
        0x54,
        0xcc,
    };
    unsigned int ext = (insn->modrm >> 3) & 7;
    bool pfx = insn->opsize_prefix || insn->rep;

    switch ( insn->opcode )
    {
    case 0x00: return ext < 6 ? flags : BAD;
    case 0x71 ... 0x73: return mmx_shift_exts[insn->opcode - 0x71] & (1u << ext) ? flags : BAD;
    case 0x78: /* 66: EXTRQ, F2: INSERTQ imm8, imm8 (AMD) */
        return pfx ? flags | BB | REG_ONLY : flags;
    case 0x79: /* 66: EXTRQ, F2: INSERTQ (register forms) */ return pfx ? flags | REG_ONLY : flags;
    case 0xba: /* bt, bts, btr, btc imm8 */ return ext >= 4 ? flags : BAD;
    case 0xc7:
        if ( ext == 0 || ext == 2 )
            return BAD;
        return ext < 6 ? flags | MEM_ONLY : flags;
    case 0xd6: /* 66: movq; F2/F3: movdq2q/movq2dq */
        if ( insn->rep )
            return flags | REG_ONLY;
        return insn->opsize_prefix ? flags : BAD;
    }
    return flags;
}

static uint16_t modrm_flags(const struct x86_insn *insn, uint16_t flags)
{
    if ( insn->map == X86_MAP_ONEBYTE )
        return onebyte_group_flags(insn, flags);
    if ( insn->map == X86_MAP_0F )
        return twobyte_group_flags(insn, flags);
    if ( insn->map == X86_MAP_0F38 && (insn->opcode & 0xfe) == 0xf0 && insn->rep != X86_REP_F2 )
        return flags | MEM_ONLY; /* movbe; with F2 it is crc32 */
    return flags;
}

static unsigned int operand_size(const struct decoder *d, uint16_t flags)
{
    const struct x86_insn *insn = d->insn;

    if ( flags & BYTE )
        return 1;
    if ( !d->long64 )
        return insn->opsize_prefix ? 2 : 4;
    if ( (flags & F64) || (insn->rex & REX_W) )
        return 8;
    if ( insn->opsize_prefix )
        return 2;
    return flags & D64 ? 8 : 4;
}

static unsigned int address_size(const struct decoder *d)
{
    if ( d->long64 )
        return d->addr_prefix ? 4 : 8;
    return d->addr_prefix ? 2 : 4;
}

static int fetch_disp(struct decoder *d, unsigned int size)
{
    uint64_t v;
    int rc;

    if ( !size )
        return 0;
    rc = fetch(d, size, &v);
    if ( rc )
        return rc;
    d->insn->disp_size = size;
    d->insn->disp = sign_extend(v, size);
    return 0;
}

/* mod 1 has a disp8; mod 2 a displacement of the address size (2 or 4). */
static unsigned int mod_disp_size(const struct x86_insn *insn)
{
    if ( insn->mod == 1 )
        return 1;
    if ( insn->mod == 2 )
        return insn->addr_size == 2 ? 2 : 4;
    return 0;
}

/* 16-bit addressing: the eight base/index pairs of the ModRM.rm field. */
static int decode_mem16(struct decoder *d)
{
    enum
    {
        BX = 3,
        BP = 5,
        SI = 6,
        DI = 7,
        NO = X86_REG_NONE
    };
    static const uint8_t base[8] = { BX, BX, BP, BP, NO, NO, BP, BX };
    static const uint8_t index[8] = { SI, DI, SI, DI, SI, DI, NO, NO };
    struct x86_insn *insn = d->insn;
    unsigned int rm = insn->modrm & 7;

    insn->base = base[rm];
    insn->index = index[rm];
    if ( insn->mod == 0 && rm == 6 ) /* [disp16], no base */
    {
        insn->base = X86_REG_NONE;
        return fetch_disp(d, 2);
    }
    return fetch_disp(d, mod_disp_size(insn));
}

static int decode_sib(struct decoder *d)
{
    struct x86_insn *insn = d->insn;
    uint8_t sib;
    int rc = fetch_byte(d, &sib);

    if ( rc )
        return rc;
    insn->has_sib = true;
    insn->scale = 1u << (sib >> 6);
    insn->index = ((sib >> 3) & 7) | (insn->rex & REX_X ? 8 : 0);
    if ( insn->index == 4 ) /* rsp cannot be an index */
        insn->index = X86_REG_NONE;
    insn->base = (sib & 7) | (insn->rex & REX_B ? 8 : 0);
    if ( (sib & 7) == 5 && insn->mod == 0 ) /* no base, disp32 */
    {
        insn->base = X86_REG_NONE;
        return fetch_disp(d, 4);
    }
    return fetch_disp(d, mod_disp_size(insn));
}

/* 32/64-bit addressing; rm 4 means a SIB byte, mod 0 rm 5 a bare disp32. */
static int decode_mem32(struct decoder *d)
{
    struct x86_insn *insn = d->insn;
    unsigned int rm = insn->modrm & 7;

    insn->base = insn->rm;
    if ( rm == 4 )
        return decode_sib(d);
    if ( insn->mod == 0 && rm == 5 )
    {
        insn->base = d->long64 ? X86_REG_RIP : X86_REG_NONE;
        return fetch_disp(d, 4);
    }
    return fetch_disp(d, mod_disp_size(insn));
}

static int decode_modrm(struct decoder *d, uint16_t flags)
{
    struct x86_insn *insn = d->insn;
    int rc = fetch_byte(d, &insn->modrm);

    if ( rc )
        return rc;
    insn->has_modrm = true;
    insn->mod = insn->modrm >> 6;
    insn->reg = ((insn->modrm >> 3) & 7) | (insn->rex & REX_R ? 8 : 0);
    insn->rm = (insn->modrm & 7) | (insn->rex & REX_B ? 8 : 0);
    if ( flags & NO_MOD )
        insn->mod = 3;
    return 0;
}

static int decode_mem(struct decoder *d)
{
    struct x86_insn *insn = d->insn;

    if ( insn->mod == 3 )
        return 0;
    insn->has_mem = true;
    insn->scale = 1;
    if ( insn->addr_size == 2 )
        return decode_mem16(d);
    return decode_mem32(d);
}

static int fetch_imm(struct decoder *d, unsigned int size, int64_t *val, uint8_t *val_size)
{
    uint64_t v;
    int rc = fetch(d, size, &v);

    if ( rc )
        return rc;
    *val = sign_extend(v, size);
    *val_size = size;
    return 0;
}

/* A moffs is an address, not a value: it becomes the memory operand. */
static int decode_moffs(struct decoder *d)
{
    struct x86_insn *insn = d->insn;

    insn->has_mem = true;
    insn->scale = 1;
    return fetch_disp(d, insn->addr_size);
}

static int decode_imm(struct decoder *d, unsigned int kind)
{
    struct x86_insn *insn = d->insn;
    unsigned int z = insn->op_size == 2 ? 2 : 4;
    int rc;

    switch ( kind )
    {
    case IMM_B: return fetch_imm(d, 1, &insn->imm, &insn->imm_size);
    case IMM_W: return fetch_imm(d, 2, &insn->imm, &insn->imm_size);
    case IMM_Z: return fetch_imm(d, z, &insn->imm, &insn->imm_size);
    case IMM_V: return fetch_imm(d, insn->op_size, &insn->imm, &insn->imm_size);
    case IMM_MOFFS: return decode_moffs(d);
    case IMM_FAR: rc = fetch_imm(d, z, &insn->imm, &insn->imm_size); break;
    case IMM_WB: rc = fetch_imm(d, 2, &insn->imm, &insn->imm_size); break;
    case IMM_BB: rc = fetch_imm(d, 1, &insn->imm, &insn->imm_size); break;
    default: return 0;
    }
    if ( rc )
        return rc;
    return fetch_imm(d, kind == IMM_FAR ? 2 : 1, &insn->imm2, &insn->imm2_size);
}

/* 3DNow! (0F 0F): the opcode is the trailing imm8; these are defined. */
static bool valid_3dnow_suffix(uint8_t op)
{
    switch ( op )
    {
    case 0x0c:
    case 0x0d:
    case 0x1c:
    case 0x1d: /* conversions */
    case 0x86:
    case 0x87: /* Geode */
    case 0x8a:
    case 0x8e:
    case 0x90:
    case 0x94:
    case 0x96:
    case 0x97:
    case 0x9a:
    case 0x9e:
    case 0xa0:
    case 0xa4:
    case 0xa6:
    case 0xa7:
    case 0xaa:
    case 0xae:
    case 0xb0:
    case 0xb4:
    case 0xb6:
    case 0xb7:
    case 0xbb:
    case 0xbf: return true;
    }
    return false;
}

/* String ops and XLAT address memory without a ModRM byte. */
static bool implicit_mem(const struct x86_insn *insn)
{
    uint8_t op = insn->opcode;

    if ( insn->map != X86_MAP_ONEBYTE )
        return false;
    return (op >= 0x6c && op <= 0x6f) || (op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf) ||
           op == 0xd7;
}

static void set_class(struct x86_insn *insn, enum x86_insn_class cls, unsigned int access,
                      unsigned int mem_size)
{
    insn->insn_class = cls;
    insn->mem_access = access;
    insn->mem_size = mem_size;
}

#define RD  X86_MEM_READ
#define WR  X86_MEM_WRITE
#define RMW (X86_MEM_READ | X86_MEM_WRITE)

/* The classic ALU block 00-3F: bit 1 set means r/m is the source. */
static void classify_alu_block(struct x86_insn *insn)
{
    uint8_t op = insn->opcode;
    bool is_cmp = (op & 0x38) == 0x38;

    if ( op < 0x40 && (op & 7) < 4 )
        set_class(insn, X86_INSN_ALU_MEM, (op & 2) || is_cmp ? RD : RMW, insn->op_size);
}

/* The forms without ModRM: moffs moves (A0-A3) and string ops. */
static bool classify_implicit(struct x86_insn *insn)
{
    unsigned int size = insn->op_size;

    switch ( insn->opcode )
    {
    case 0xa0:
    case 0xa1: set_class(insn, X86_INSN_MOV_LOAD, RD, size); return true;
    case 0xa2:
    case 0xa3: set_class(insn, X86_INSN_MOV_STORE, WR, size); return true;
    case 0xa4:
    case 0xa5: set_class(insn, X86_INSN_MOVS, RMW, size); return true;
    case 0xaa:
    case 0xab: set_class(insn, X86_INSN_STOS, WR, size); return true;
    }
    return false;
}

/* The ModRM forms; only a memory operand makes them interesting. */
static void classify_onebyte(struct x86_insn *insn, bool long64)
{
    unsigned int ext = (insn->modrm >> 3) & 7, size = insn->op_size;

    if ( classify_implicit(insn) || !insn->has_mem )
        return;
    switch ( insn->opcode )
    {
    case 0x88:
    case 0x89: set_class(insn, X86_INSN_MOV_STORE, WR, size); break;
    case 0xc6:
    case 0xc7: /* only /0 is mov */
        if ( ext == 0 )
            set_class(insn, X86_INSN_MOV_STORE, WR, size);
        break;
    case 0x8a:
    case 0x8b: set_class(insn, X86_INSN_MOV_LOAD, RD, size); break;
    case 0x63: /* movsxd in 64-bit mode, arpl otherwise */
        if ( long64 )
            set_class(insn, X86_INSN_MOV_LOAD, RD, size == 8 ? 4 : size);
        break;
    case 0x84:
    case 0x85: /* test */ set_class(insn, X86_INSN_ALU_MEM, RD, size); break;
    case 0x86:
    case 0x87: /* xchg */ set_class(insn, X86_INSN_ALU_MEM, RMW, size); break;
    case 0x80 ... 0x83: /* /7 is cmp */
        set_class(insn, X86_INSN_ALU_MEM, ext == 7 ? RD : RMW, size);
        break;
    case 0xf6:
    case 0xf7: /* test reads; not, neg write */
        if ( ext < 4 )
            set_class(insn, X86_INSN_ALU_MEM, ext < 2 ? RD : RMW, size);
        break;
    case 0xfe:
    case 0xff: /* inc, dec */
        if ( ext < 2 )
            set_class(insn, X86_INSN_ALU_MEM, RMW, size);
        break;
    default: classify_alu_block(insn);
    }
}

static void classify_twobyte(struct x86_insn *insn)
{
    unsigned int ext = (insn->modrm >> 3) & 7, size = insn->op_size;

    if ( !insn->has_mem )
        return;
    switch ( insn->opcode )
    {
    case 0xb6:
    case 0xbe: /* movzx, movsx from a byte */ set_class(insn, X86_INSN_MOV_LOAD, RD, 1); break;
    case 0xb7:
    case 0xbf: /* ... from a word */ set_class(insn, X86_INSN_MOV_LOAD, RD, 2); break;
    case 0xa3: /* bt */ set_class(insn, X86_INSN_ALU_MEM, RD, size); break;
    case 0xab:
    case 0xb3:
    case 0xbb: /* bts, btr, btc */
    case 0xb0:
    case 0xb1: /* cmpxchg */
    case 0xc0:
    case 0xc1: /* xadd */ set_class(insn, X86_INSN_ALU_MEM, RMW, size); break;
    case 0xba: /* bt/bts/btr/btc imm8 */
        set_class(insn, X86_INSN_ALU_MEM, ext == 4 ? RD : RMW, size);
        break;
    }
}

/*
 * LOCK is allowed only on these read-modify-write instructions, and only
 * with a memory destination (SDM vol. 2, LOCK); elsewhere it is #UD. AMD's
 * LOCK MOV CR0 is its encoding of MOV CR8 outside 64-bit mode.
 */
static bool lock_allowed(const struct x86_insn *insn)
{
    unsigned int ext = (insn->modrm >> 3) & 7;

    if ( insn->map == X86_MAP_0F && (insn->opcode == 0x20 || insn->opcode == 0x22) )
        return true;
    if ( !insn->has_mem )
        return false;
    if ( insn->map == X86_MAP_0F && insn->opcode == 0xc7 && ext == 1 )
        return true; /* cmpxchg8b, cmpxchg16b */
    return insn->insn_class == X86_INSN_ALU_MEM && (insn->mem_access & X86_MEM_WRITE);
}

static void classify(const struct decoder *d)
{
    struct x86_insn *insn = d->insn;

    if ( implicit_mem(insn) )
        insn->has_mem = true;
    if ( insn->map == X86_MAP_ONEBYTE )
        classify_onebyte(insn, d->long64);
    else if ( insn->map == X86_MAP_0F )
        classify_twobyte(insn);
}

/* Prefixes, opcode, and the escapes this decoder does not handle. */
static int decode_head(struct decoder *d, uint16_t *flags)
{
    uint8_t first;
    int rc = decode_prefixes(d, &first);

    if ( !rc )
        rc = decode_opcode(d, first);
    if ( !rc )
        rc = check_vex_like(d);
    if ( rc )
        return rc;
    *flags = opcode_flags(d->insn);
    if ( (*flags & BAD) || (d->long64 && (*flags & I64)) )
        return -EINVAL;
    return 0;
}

/* ModRM, SIB, displacement and immediates. */
static int decode_body(struct decoder *d, uint16_t flags)
{
    struct x86_insn *insn = d->insn;
    int rc;

    if ( flags & MODRM )
    {
        rc = decode_modrm(d, flags);
        if ( rc )
            return rc;
        flags = modrm_flags(insn, flags);
        if ( (flags & BAD) || ((flags & MEM_ONLY) && insn->mod == 3) ||
             ((flags & REG_ONLY) && insn->mod != 3) )
            return -EINVAL;
    }
    insn->op_size = operand_size(d, flags);
    insn->addr_size = address_size(d);
    if ( insn->has_modrm )
    {
        rc = decode_mem(d);
        if ( rc )
            return rc;
    }
    rc = decode_imm(d, IMM_KIND(flags));
    if ( rc )
        return rc;
    if ( insn->map == X86_MAP_0F && insn->opcode == 0x0f && !valid_3dnow_suffix(insn->imm) )
        return -EINVAL;
    return 0;
}

int x86_decode(const uint8_t *bytes, size_t avail, enum x86_cpu_mode mode, struct x86_insn *out)
{
    struct decoder d = {
        .bytes = bytes,
        .avail = avail,
        .long64 = mode == X86_MODE_LONG64,
        .insn = out,
    };
    uint16_t flags;
    int rc;

    if ( mode != X86_MODE_PROT32 && mode != X86_MODE_LONG64 )
        return -EINVAL;
    *out = (struct x86_insn){
        .seg = X86_SEG_NONE,
        .base = X86_REG_NONE,
        .index = X86_REG_NONE,
    };
    rc = decode_head(&d, &flags);
    if ( !rc )
        rc = decode_body(&d, flags);
    if ( rc )
        return rc;
    classify(&d);
    if ( out->lock && !lock_allowed(out) )
        return -EINVAL;
    out->length = d.pos;
    return 0;
}
