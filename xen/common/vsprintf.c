/*
 * vsprintf.c - formatted output into a buffer. Supports what the
 * hypervisor prints: %d %i %u %x %X %o %p %s %c %%, the l/ll/z/h length
 * modifiers, field width, '-' and '0' flags, and precision for %s.
 */
#include <xen/lib.h>

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

struct spec {
    bool left, zero, alt;
    int width, precision;
};

static void put_padded(struct out *o, const char *s, size_t n, const struct spec *sp)
{
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;
    if (!sp->left)
        while (pad-- > 0)
            put(o, sp->zero ? '0' : ' ');
    while (n--)
        put(o, *s++);
    if (sp->left)
        while (pad-- > 0)
            put(o, ' ');
}

static void put_number(struct out *o, unsigned long long v, bool neg,
                       unsigned int base, bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int i = sizeof(tmp);
    do {
        tmp[--i] = digits[v % base];
        v /= base;
    } while (v);
    if (neg) {
        if (sp->zero && sp->width) {
            struct spec s2 = *sp;
            put(o, '-');
            s2.width = s2.width ? s2.width - 1 : 0;
            put_padded(o, tmp + i, sizeof(tmp) - i, &s2);
            return;
        }
        tmp[--i] = '-';
    }
    put_padded(o, tmp + i, sizeof(tmp) - i, sp);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    memset(sp, 0, sizeof(*sp));
    sp->precision = -1;
    for (;; f++) {
        if (*f == '-') sp->left = true;
        else if (*f == '0') sp->zero = true;
        else if (*f == '#') sp->alt = true;
        else break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        sp->precision = 0;
        if (f[1] == '*') {
            sp->precision = va_arg(*ap, int);
            return f + 2;
        }
        for (f++; *f >= '0' && *f <= '9'; f++)
            sp->precision = sp->precision * 10 + (*f - '0');
    }
    return f;
}

static unsigned long long fetch_unsigned(int lng, va_list *ap)
{
    if (lng >= 2) return va_arg(*ap, unsigned long long);
    if (lng == 1) return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static long long fetch_signed(int lng, va_list *ap)
{
    if (lng >= 2) return va_arg(*ap, long long);
    if (lng == 1) return va_arg(*ap, long);
    return va_arg(*ap, int);
}

static void format_string(struct out *o, const char *s, const struct spec *sp)
{
    size_t n;
    if (!s)
        s = "(null)";
    n = sp->precision >= 0 ? strnlen(s, sp->precision) : strlen(s);
    put_padded(o, s, n, sp);
}

/* Handle one conversion; returns the character after it. */
static const char *format_one(struct out *o, const char *f, va_list *ap)
{
    struct spec sp;
    int lng = 0;
    f = parse_spec(f, &sp, ap);
    for (; *f == 'l' || *f == 'z' || *f == 'h'; f++)
        if (*f != 'h')
            lng++;
    switch (*f) {
    case 'd': case 'i': {
        long long v = fetch_signed(lng, ap);
        put_number(o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0, 10, false, &sp);
        break;
    }
    case 'u': put_number(o, fetch_unsigned(lng, ap), false, 10, false, &sp); break;
    case 'x':
        if (sp.alt) {
            put(o, '0'); put(o, 'x');
        }
        put_number(o, fetch_unsigned(lng, ap), false, 16, false, &sp);
        break;
    case 'X': put_number(o, fetch_unsigned(lng, ap), false, 16, true, &sp); break;
    case 'o': put_number(o, fetch_unsigned(lng, ap), false, 8, false, &sp); break;
    case 'p':
        put(o, '0'); put(o, 'x');
        sp.width = 16; sp.zero = true;
        put_number(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, &sp);
        break;
    case 's': format_string(o, va_arg(*ap, const char *), &sp); break;
    case 'c': put(o, (char)va_arg(*ap, int)); break;
    case '%': put(o, '%'); break;
    case '\0': return f;
    default: put(o, '%'); put(o, *f); break;
    }
    return f + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    va_list aq;
    va_copy(aq, ap);
    while (*fmt) {
        if (*fmt != '%')
            put(&o, *fmt++);
        else
            fmt = format_one(&o, fmt + 1, &aq);
    }
    va_end(aq);
    if (size)
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
