/*
 * x86_pcmpstr.c - PCMPxSTRx and MPSADBW in C (asm/x86_pcmpstr.h says
 * what each does). Pure functions: no guest state, no memory; the
 * emulator (hvm/emulate_sse4x.c) reads the operands and writes the
 * results. The hypervisor could run the legacy instructions itself, but
 * each of their imm8 values would need its own stub.
 */
#include <asm/x86_alu.h>
#include <asm/x86_pcmpstr.h>

#define AGG_EQUAL_ANY     0
#define AGG_RANGES        1
#define AGG_EQUAL_EACH    2
#define AGG_EQUAL_ORDERED 3

struct strings
{
    int32_t a[16], b[16]; /* elements, zero- or sign-extended */
    unsigned int n, la, lb;
};

static unsigned int explicit_len(int64_t l, unsigned int n)
{
    uint64_t mag = l < 0 ? -(uint64_t)l : (uint64_t)l;

    return mag > n ? n : (unsigned int)mag;
}

static unsigned int implicit_len(const int32_t *e, unsigned int n)
{
    unsigned int i = 0;

    while ( i < n && e[i] )
        i++;
    return i;
}

static void unpack(const uint8_t *raw, unsigned int fmt, unsigned int n, int32_t *e)
{
    for ( unsigned int i = 0; i < n; i++ )
    {
        uint16_t w = fmt & 1 ? raw[2 * i] | (uint16_t)raw[2 * i + 1] << 8 : raw[i];

        e[i] = fmt & 2 ? (fmt & 1 ? (int16_t)w : (int8_t)w) : w;
    }
}

/* Is b[i] in one of a's valid [low, high] pairs? */
static bool in_ranges(const struct strings *s, unsigned int i)
{
    for ( unsigned int j = 0; j + 1 < s->la; j += 2 )
        if ( s->a[j] <= s->b[i] && s->b[i] <= s->a[j + 1] )
            return true;
    return false;
}

static bool equal_any(const struct strings *s, unsigned int i)
{
    for ( unsigned int j = 0; j < s->la; j++ )
        if ( s->a[j] == s->b[i] )
            return true;
    return false;
}

/* Does a (up to its length) occur in b from element i on? Past the end
 * of b it does not; a's end always matches. */
static bool ordered_at(const struct strings *s, unsigned int i)
{
    for ( unsigned int j = 0; j < s->la && i + j < s->n; j++ )
        if ( i + j >= s->lb || s->a[j] != s->b[i + j] )
            return false;
    return true;
}

static bool aggregate_one(const struct strings *s, unsigned int agg, unsigned int i)
{
    switch ( agg )
    {
    case AGG_EQUAL_ANY: return i < s->lb && equal_any(s, i);
    case AGG_RANGES: return i < s->lb && in_ranges(s, i);
    case AGG_EQUAL_EACH:
        if ( i >= s->la || i >= s->lb )
            return i >= s->la && i >= s->lb;
        return s->a[i] == s->b[i];
    default: return ordered_at(s, i);
    }
}

static uint32_t polarity(uint32_t res, unsigned int pol, const struct strings *s)
{
    uint32_t all = (1u << s->n) - 1, valid = (1u << s->lb) - 1;

    if ( pol == 1 )
        return res ^ all;
    if ( pol == 3 )
        return res ^ valid;
    return res;
}

static void outputs(uint32_t res, unsigned int imm, const struct strings *s,
                    struct x86_pcmpstr *out)
{
    unsigned int size = 16 / s->n;

    out->index = s->n;
    if ( res )
        out->index = imm & 0x40 ? 31 - __builtin_clz(res) : __builtin_ctz(res);
    for ( unsigned int i = 0; i < 16; i++ )
        out->mask[i] = 0;
    for ( unsigned int i = 0; i < s->n; i++ )
    {
        bool bit = res & (1u << i);

        if ( !(imm & 0x40) )
            out->mask[i / 8] |= bit << (i % 8);
        else if ( bit )
            for ( unsigned int k = 0; k < size; k++ )
                out->mask[i * size + k] = 0xff;
    }
    out->flags = (res ? X86_FL_CF : 0) | (s->lb < s->n ? X86_FL_ZF : 0) |
                 (s->la < s->n ? X86_FL_SF : 0) | (res & 1 ? X86_FL_OF : 0);
}

void x86_pcmpstr(const uint8_t a[16], const uint8_t b[16], unsigned int imm, bool explicit,
                 int64_t la, int64_t lb, struct x86_pcmpstr *out)
{
    struct strings s;
    unsigned int fmt = imm & 3, agg = (imm >> 2) & 3;
    uint32_t res = 0;

    s.n = fmt & 1 ? 8 : 16;
    unpack(a, fmt, s.n, s.a);
    unpack(b, fmt, s.n, s.b);
    s.la = explicit ? explicit_len(la, s.n) : implicit_len(s.a, s.n);
    s.lb = explicit ? explicit_len(lb, s.n) : implicit_len(s.b, s.n);
    for ( unsigned int i = 0; i < s.n; i++ )
        if ( aggregate_one(&s, agg, i) )
            res |= 1u << i;
    outputs(polarity(res, (imm >> 4) & 3, &s), imm, &s, out);
}

void x86_mpsadbw(uint8_t d[16], const uint8_t s[16], unsigned int imm)
{
    unsigned int doff = imm & 4, soff = (imm & 3) * 4;
    uint8_t orig[16];

    for ( unsigned int i = 0; i < 16; i++ )
        orig[i] = d[i];
    for ( unsigned int i = 0; i < 8; i++ )
    {
        unsigned int sum = 0;

        for ( unsigned int k = 0; k < 4; k++ )
        {
            int diff = (int)orig[doff + i + k] - (int)s[soff + k];

            sum += diff < 0 ? -diff : diff;
        }
        d[2 * i] = sum & 0xff;
        d[2 * i + 1] = sum >> 8;
    }
}
