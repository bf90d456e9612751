/*
 * kernel.c - parse the hypervisor command line against the options
 * registered with the *_param() macros. Unknown options are warned about
 * and ignored, as Xen does.
 */
#include <xen/lib.h>
#include <xen/param.h>

char saved_cmdline[512];

extern const struct kernel_param __param_start[], __param_end[];

static const struct kernel_param *find_param(const char *name, size_t len)
{
    for ( const struct kernel_param *p = __param_start; p < __param_end; p++ )
        if ( strlen(p->name) == len && !strncmp(p->name, name, len) )
            return p;
    return NULL;
}

static bool parse_bool(const char *v)
{
    return !v || !strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") ||
           !strcmp(v, "enable");
}

static void store_uint(const struct kernel_param *p, unsigned long long v)
{
    if ( p->len == 8 )
        *(uint64_t *)p->var = v;
    else if ( p->len == 4 )
        *(uint32_t *)p->var = (uint32_t)v;
    else
        *(uint8_t *)p->var = (uint8_t)v;
}

static void apply_param(const char *name, size_t nlen, const char *val)
{
    bool negated = nlen > 3 && !strncmp(name, "no-", 3);
    const struct kernel_param *p = find_param(name, nlen);
    if ( !p && negated && (p = find_param(name + 3, nlen - 3)) && p->kind != PARAM_BOOL )
        p = NULL;
    if ( !p )
    {
        printk(XENLOG_WARNING "unknown command line option '%.*s' ignored\n", (int)nlen, name);
        return;
    }
    switch ( p->kind )
    {
    case PARAM_BOOL: *(bool *)p->var = negated ? false : parse_bool(val); break;
    case PARAM_UINT: store_uint(p, val ? simple_strtoull(val, NULL, 0) : 0); break;
    case PARAM_SIZE: store_uint(p, val ? parse_size_and_unit(val, NULL) : 0); break;
    case PARAM_STRING: strlcpy(p->var, val ? val : "", p->len); break;
    case PARAM_CUSTOM: p->fn(val ? val : ""); break;
    }
}

/*
 * Loaders put the image's own path first ("/boot/xen.bin console=com1");
 * a first word with a '/' and no '=' is that path, not an option.
 */
static const char *skip_image_name(const char *s)
{
    const char *w = s;
    while ( *w == ' ' )
        w++;
    for ( const char *p = w; *p && *p != ' '; p++ )
    {
        if ( *p == '=' )
            return s;
        if ( *p == '/' )
        {
            while ( *p && *p != ' ' )
                p++;
            return p;
        }
    }
    return s;
}

void cmdline_parse(const char *cmdline)
{
    char opt[128];
    const char *s = skip_image_name(cmdline);
    strlcpy(saved_cmdline, s, sizeof(saved_cmdline));
    while ( *s )
    {
        size_t n = 0;
        char *eq;
        while ( *s == ' ' )
            s++;
        while ( s[n] && s[n] != ' ' )
            n++;
        if ( !n )
            break;
        strlcpy(opt, s, MIN(n + 1, sizeof(opt)));
        s += n;
        eq = strchr(opt, '=');
        if ( eq )
            *eq = '\0';
        apply_param(opt, strlen(opt), eq ? eq + 1 : NULL);
    }
}
