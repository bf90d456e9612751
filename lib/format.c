/*
 * format.c - vsnprintf and snprintf for the hypervisor, the XTF guests
 * and dom0 (what they accept: wren/format.h).
 *
 * Freestanding and self-contained: it may use only lib/, takes no lock
 * and allocates nothing, because it runs in panic() and before the heap
 * exists. Output goes through one sink that counts every character and
 * stores only those that fit, so truncation needs no special case.
 */
#include <wren/format.h>
#include <wren/string.h>

struct sink
{
    char *buf;
    size_t size; /* bytes of buf, the NUL included */
    size_t len;  /* characters produced, stored or not */
};

enum length
{
    LEN_INT,
    LEN_CHAR,
    LEN_SHORT,
    LEN_LONG,
    LEN_LLONG,
    LEN_SIZE,
    LEN_PTRDIFF,
    LEN_MAX
};

struct spec
{
    bool left, zero, alt, plus, space;
    unsigned int width;
    int precision; /* -1: none given */
    enum length length;
};

static void put(struct sink *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void put_n(struct sink *o, const char *s, size_t n)
{
    while ( n-- )
        put(o, *s++);
}

static void put_fill(struct sink *o, char c, size_t n)
{
    while ( n-- )
        put(o, c);
}

/*
 * One field: blanks to the width (before, or after with '-'), then the
 * prefix (sign, "0x"), zeros, and the body.
 */
static void put_field(struct sink *o, const struct spec *sp, const char *prefix, size_t zeros,
                      const char *body, size_t n)
{
    size_t used = strlen(prefix) + zeros + n;
    size_t pad = sp->width > used ? sp->width - used : 0;

    if ( !sp->left )
        put_fill(o, ' ', pad);
    put_n(o, prefix, strlen(prefix));
    put_fill(o, '0', zeros);
    put_n(o, body, n);
    if ( sp->left )
        put_fill(o, ' ', pad);
}

/* ---- parsing a conversion specification ---- */

static unsigned int cap(long long v)
{
    return v > FORMAT_WIDTH_MAX ? FORMAT_WIDTH_MAX : (unsigned int)v;
}

static const char *parse_number(const char *f, unsigned int *v)
{
    long long n = 0;

    for ( ; *f >= '0' && *f <= '9'; f++ )
        n = cap(n * 10 + (*f - '0'));
    *v = (unsigned int)n;
    return f;
}

static const char *parse_flags(const char *f, struct spec *sp)
{
    for ( ;; f++ )
        switch ( *f )
        {
        case '-': sp->left = true; break;
        case '0': sp->zero = true; break;
        case '#': sp->alt = true; break;
        case '+': sp->plus = true; break;
        case ' ': sp->space = true; break;
        default: return f;
        }
}

/* A '*' width below zero means '-' and its magnitude (C11 7.21.6.1p5). */
static const char *parse_width(const char *f, struct spec *sp, va_list *ap)
{
    int w;

    if ( *f != '*' )
        return parse_number(f, &sp->width);
    w = va_arg(*ap, int);
    sp->left |= w < 0;
    sp->width = cap(w < 0 ? -(long long)w : w);
    return f + 1;
}

/* A '*' precision below zero means none was given. */
static const char *parse_precision(const char *f, struct spec *sp, va_list *ap)
{
    unsigned int p;
    int v;

    if ( *f != '.' )
        return f;
    if ( f[1] != '*' )
    {
        f = parse_number(f + 1, &p);
        sp->precision = (int)p;
        return f;
    }
    v = va_arg(*ap, int);
    sp->precision = v < 0 ? -1 : (int)cap(v);
    return f + 2;
}

/* hh h l ll z t j; with none, the length stays LEN_INT. */
static const char *parse_length(const char *f, struct spec *sp)
{
    bool twice = (*f == 'h' || *f == 'l') && f[1] == *f;

    switch ( *f )
    {
    case 'h': sp->length = twice ? LEN_CHAR : LEN_SHORT; return f + 1 + twice;
    case 'l': sp->length = twice ? LEN_LLONG : LEN_LONG; return f + 1 + twice;
    case 'z': sp->length = LEN_SIZE; return f + 1;
    case 't': sp->length = LEN_PTRDIFF; return f + 1;
    case 'j': sp->length = LEN_MAX; return f + 1;
    default: return f;
    }
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .precision = -1 };
    f = parse_flags(f, sp);
    f = parse_width(f, sp, ap);
    f = parse_precision(f, sp, ap);
    return parse_length(f, sp);
}

/* ---- fetching arguments ---- */

static long long fetch_signed(const struct spec *sp, va_list *ap)
{
    switch ( sp->length )
    {
    case LEN_CHAR: return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG: return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE: return va_arg(*ap, ptrdiff_t); /* size_t, signed */
    case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
    case LEN_MAX: return va_arg(*ap, intmax_t);
    default: return va_arg(*ap, int);
    }
}

static unsigned long long fetch_unsigned(const struct spec *sp, va_list *ap)
{
    switch ( sp->length )
    {
    case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG: return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE: return va_arg(*ap, size_t);
    case LEN_PTRDIFF: return (size_t)va_arg(*ap, ptrdiff_t);
    case LEN_MAX: return va_arg(*ap, uintmax_t);
    default: return va_arg(*ap, unsigned int);
    }
}

/* ---- conversions ---- */

struct number
{
    unsigned long long value;
    unsigned int base;
    bool upper;
    const char *prefix; /* sign or "0x", "" for none */
};

/* Digits of v, most significant first, into tmp; returns how many. */
static size_t digits(const struct number *num, const struct spec *sp, char tmp[24])
{
    const char *set = num->upper ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned long long v = num->value;
    char rev[24];
    size_t n = 0, i;

    if ( !v && !sp->precision )
        return 0; /* "%.0d" of 0 prints nothing */
    do
    {
        rev[n++] = set[v % num->base];
        v /= num->base;
    } while ( v );
    for ( i = 0; i < n; i++ )
        tmp[i] = rev[n - 1 - i];
    return n;
}

/* Zeros between prefix and digits: for the precision, else for '0'. */
static size_t leading_zeros(const struct number *num, const struct spec *sp, const char *body,
                            size_t n)
{
    size_t used = strlen(num->prefix) + n, zeros = 0;

    if ( sp->precision >= 0 && (size_t)sp->precision > n )
        zeros = sp->precision - n;
    else if ( sp->precision < 0 && sp->zero && !sp->left && sp->width > used )
        zeros = sp->width - used;
    if ( num->base == 8 && sp->alt && !zeros && (!n || body[0] != '0') )
        zeros = 1; /* "%#o" always starts with 0 */
    return zeros;
}

static void put_number(struct sink *o, const struct number *num, const struct spec *sp)
{
    char body[24];
    size_t n = digits(num, sp, body);

    put_field(o, sp, num->prefix, leading_zeros(num, sp, body, n), body, n);
}

static void convert_signed(struct sink *o, const struct spec *sp, va_list *ap)
{
    long long v = fetch_signed(sp, ap);
    struct number num = {
        .value = v < 0 ? -(unsigned long long)v : (unsigned long long)v,
        .base = 10,
        .prefix = v < 0       ? "-"
                  : sp->plus  ? "+"
                  : sp->space ? " "
                              : "",
    };

    put_number(o, &num, sp);
}

static void convert_unsigned(struct sink *o, const struct spec *sp, char conv, va_list *ap)
{
    struct number num = {
        .value = fetch_unsigned(sp, ap),
        .base = conv == 'u'   ? 10
                : conv == 'o' ? 8
                              : 16,
        .upper = conv == 'X',
        .prefix = "",
    };

    /* Unlike C, "%#x" of 0 is "0x0": both old copies printed it so. */
    if ( sp->alt && conv != 'u' && conv != 'o' )
        num.prefix = conv == 'X' ? "0X" : "0x";
    put_number(o, &num, sp);
}

static void convert_pointer(struct sink *o, const struct spec *sp, va_list *ap)
{
    struct number num = {
        .value = (uintptr_t)va_arg(*ap, void *),
        .base = 16,
        .prefix = "0x",
    };

    put_number(o, &num, sp);
}

static void convert_string(struct sink *o, const struct spec *sp, va_list *ap)
{
    const char *s = va_arg(*ap, const char *);

    if ( !s )
        s = "(null)";
    put_field(o, sp, "", 0, s, sp->precision >= 0 ? strnlen(s, sp->precision) : strlen(s));
}

static void convert_char(struct sink *o, const struct spec *sp, va_list *ap)
{
    char c = (char)va_arg(*ap, int);

    put_field(o, sp, "", 0, &c, 1);
}

/* Convert at f (just past the '%'); returns what follows the conversion. */
static const char *convert(struct sink *o, const char *f, va_list *ap)
{
    struct spec sp;

    f = parse_spec(f, &sp, ap);
    switch ( *f )
    {
    case 'd':
    case 'i': convert_signed(o, &sp, ap); break;
    case 'u':
    case 'o':
    case 'x':
    case 'X': convert_unsigned(o, &sp, *f, ap); break;
    case 'p': convert_pointer(o, &sp, ap); break;
    case 's': convert_string(o, &sp, ap); break;
    case 'c': convert_char(o, &sp, ap); break;
    case '%': put(o, '%'); break;
    case '\0': return f;
    default:
        put(o, '%');
        put(o, *f);
        break;
    }
    return f + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink o = { .buf = buf, .size = size, .len = 0 };
    va_list args;

    va_copy(args, ap);
    while ( *fmt )
    {
        if ( *fmt == '%' )
            fmt = convert(&o, fmt + 1, &args);
        else
            put(&o, *fmt++);
    }
    va_end(args);
    if ( size )
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
