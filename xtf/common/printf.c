/*
 * printf.c - formatted output for test kernels.
 *
 * Supports what tests print: %d %i %u %x %X %o %c %s %p %%, the length
 * modifiers l, ll, z, the flags '0', '-', '#', and a field width (also
 * '*'). Output longer than the buffer is truncated, never overrun.
 */
#include <xtf/lib.h>
#include <xtf/console.h>

struct outbuf {
    char *buf;
    size_t size;        /* including the NUL */
    size_t len;         /* characters produced, even if not stored */
};

struct spec {
    bool zero, left, alt;
    unsigned int width;
    unsigned int lng;   /* 0 int, 1 long, 2 long long, 3 size_t */
};

static void put(struct outbuf *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct outbuf *o, const char *s, size_t n,
                       const struct spec *sp, bool numeric_zero)
{
    size_t pad = sp->width > n ? sp->width - n : 0;
    char fill = (numeric_zero && sp->zero && !sp->left) ? '0' : ' ';

    if ( !sp->left )
        while ( pad-- )
            put(o, fill);
    while ( n-- )
        put(o, *s++);
    if ( sp->left )
        while ( pad-- )
            put(o, ' ');
}

static void put_number(struct outbuf *o, uint64_t v, bool neg,
                       unsigned int base, bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24], out[28];
    size_t n = 0, i = 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while ( v );

    if ( neg )
        out[i++] = '-';
    if ( sp->alt && base == 16 )
    {
        out[i++] = '0';
        out[i++] = upper ? 'X' : 'x';
    }
    /* Zero padding goes between the sign/prefix and the digits. */
    if ( sp->zero && !sp->left )
        while ( i + n < sp->width && i + n < sizeof(out) )
            out[i++] = '0';
    while ( n )
        out[i++] = tmp[--n];
    put_padded(o, out, i, sp, false);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ 0 };
    for ( ;; f++ )
    {
        if ( *f == '0' )      sp->zero = true;
        else if ( *f == '-' ) sp->left = true;
        else if ( *f == '#' ) sp->alt = true;
        else break;
    }
    if ( *f == '*' )
    {
        int w = va_arg(*ap, int);
        sp->width = w < 0 ? 0 : (unsigned int)w;
        f++;
    }
    while ( *f >= '0' && *f <= '9' )
        sp->width = sp->width * 10 + (unsigned int)(*f++ - '0');
    if ( *f == 'z' )
    {
        sp->lng = 3;
        f++;
    }
    while ( *f == 'l' && sp->lng < 2 )
    {
        sp->lng++;
        f++;
    }
    return f;
}

static uint64_t get_unsigned(const struct spec *sp, va_list *ap)
{
    switch ( sp->lng )
    {
    case 0:  return va_arg(*ap, unsigned int);
    case 1:  return va_arg(*ap, unsigned long);
    case 2:  return va_arg(*ap, unsigned long long);
    default: return va_arg(*ap, size_t);
    }
}

static int64_t get_signed(const struct spec *sp, va_list *ap)
{
    switch ( sp->lng )
    {
    case 0:  return va_arg(*ap, int);
    case 1:  return va_arg(*ap, long);
    case 2:  return va_arg(*ap, long long);
    default: return (int64_t)va_arg(*ap, size_t);
    }
}

static void convert(struct outbuf *o, char conv, struct spec *sp, va_list *ap)
{
    switch ( conv )
    {
    case 'd': case 'i':
    {
        int64_t v = get_signed(sp, ap);
        put_number(o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, sp);
        break;
    }
    case 'u': put_number(o, get_unsigned(sp, ap), false, 10, false, sp); break;
    case 'o': put_number(o, get_unsigned(sp, ap), false, 8, false, sp); break;
    case 'x': put_number(o, get_unsigned(sp, ap), false, 16, false, sp); break;
    case 'X': put_number(o, get_unsigned(sp, ap), false, 16, true, sp); break;
    case 'p':
        sp->alt = true;
        put_number(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, sp);
        break;
    case 'c':
    {
        char c = (char)va_arg(*ap, int);
        put_padded(o, &c, 1, sp, false);
        break;
    }
    case 's':
    {
        const char *s = va_arg(*ap, const char *);
        if ( !s )
            s = "(null)";
        put_padded(o, s, strlen(s), sp, false);
        break;
    }
    case '%': put(o, '%'); break;
    default:  put(o, '%'); put(o, conv); break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct outbuf o = { .buf = buf, .size = size, .len = 0 };
    struct spec sp;
    va_list args;

    va_copy(args, ap);
    while ( *fmt )
    {
        if ( *fmt != '%' )
        {
            put(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &args);
        if ( !*fmt )
            break;
        convert(&o, *fmt++, &sp, &args);
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

int vprintf(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    console_write(buf, strnlen(buf, sizeof(buf)));
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
