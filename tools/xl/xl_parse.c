/* SPDX-License-Identifier: MIT */
/*
 * xl_parse.c - what the keys of an xl.cfg file mean (Xen's
 * parse_config_data): each setting is checked against its key's type and
 * range and stored in a libxl_domain_config; then the defaults are filled
 * and the keys that depend on each other checked.
 *
 * It reads only the XLU_Config it is given and writes only d_config; it
 * may not call libxl beyond the config object's own helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "xl.h"

#define MAX_VCPUS     128       /* the hypervisor's limit for an HVM domain */
#define MAX_MEMORY_MB (1 << 24) /* 16 TiB: past that it is a typo */

struct cfg_key
{
    const char *key;
    enum xlu_cfg_type type;
    int (*set)(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d);
};

static const char *const type_names[] = {
    [XLU_CFG_STRING] = "a string",
    [XLU_CFG_INT] = "an integer",
    [XLU_CFG_LIST] = "a list",
};

static int set_string(XLU_Config *cfg, const struct xlu_cfg_setting *s, char **out)
{
    free(*out);
    *out = strdup(s->value.str);
    return *out ? 0 : ERROR_NOMEM;
}

static int bad_value(XLU_Config *cfg, const struct xlu_cfg_setting *s, const char *why)
{
    if ( s->value.type == XLU_CFG_STRING )
        return xlu_cfg_error_at(cfg, s, "bad value \"%s\" for key \"%s\": %s", s->value.str, s->key,
                                why);
    return xlu_cfg_error_at(cfg, s, "bad value %llu for key \"%s\": %s", s->value.num, s->key, why);
}

/* The integer value of s, within [lo, hi]. */
static int get_int(XLU_Config *cfg, const struct xlu_cfg_setting *s, unsigned long long lo,
                   unsigned long long hi, unsigned long long *out)
{
    char why[64];

    if ( s->value.num < lo || s->value.num > hi )
    {
        snprintf(why, sizeof(why), "must be %llu to %llu", lo, hi);
        return bad_value(cfg, s, why);
    }
    *out = s->value.num;
    return 0;
}

static int valid_name(const char *n)
{
    size_t i, digits = 0, len = strlen(n);

    if ( len == 0 || len > 64 )
        return 0;
    for ( i = 0; i < len; i++ )
    {
        if ( n[i] <= ' ' || n[i] > '~' || n[i] == '/' )
            return 0;
        digits += n[i] >= '0' && n[i] <= '9';
    }
    return digits != len; /* all digits would read as a domid */
}

static int set_name(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    if ( !valid_name(s->value.str) )
        return bad_value(cfg, s, "1 to 64 printable characters, no blank or '/', not only digits");
    return set_string(cfg, s, &d->c_info.name);
}

static int set_type(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    const char *t = s->value.str;

    if ( !strcmp(t, "pvh") )
    {
        d->c_info.type = LIBXL_DOMAIN_TYPE_PVH;
        return 0;
    }
    if ( !strcmp(t, "hvm") || !strcmp(t, "pv") )
        return xlu_cfg_error_at(cfg, s, "type \"%s\" is not supported: Wren builds \"pvh\" only",
                                t);
    return bad_value(cfg, s, "one of \"pvh\", \"hvm\", \"pv\"");
}

static int set_kernel(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    if ( !s->value.str[0] )
        return bad_value(cfg, s, "a path");
    return set_string(cfg, s, &d->b_info.kernel);
}

static int set_ramdisk(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    if ( !s->value.str[0] )
        return bad_value(cfg, s, "a path");
    return set_string(cfg, s, &d->b_info.ramdisk);
}

static int set_cmdline(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    return set_string(cfg, s, &d->b_info.cmdline);
}

/* root and extra are composed into the command line at the end. */
static int set_nothing(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    return 0;
}

static int set_memory(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    unsigned long long mb = 0;
    int rc = get_int(cfg, s, 1, MAX_MEMORY_MB, &mb);

    if ( !rc )
        d->b_info.target_memkb = mb * 1024;
    return rc;
}

static int set_maxmem(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    unsigned long long mb = 0;
    int rc = get_int(cfg, s, 1, MAX_MEMORY_MB, &mb);

    if ( !rc )
        d->b_info.max_memkb = mb * 1024;
    return rc;
}

static int set_vcpus(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    unsigned long long n = 0;
    int rc = get_int(cfg, s, 1, MAX_VCPUS, &n);

    if ( !rc )
        d->b_info.avail_vcpus = n;
    return rc;
}

static int set_maxvcpus(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    unsigned long long n = 0;
    int rc = get_int(cfg, s, 1, MAX_VCPUS, &n);

    if ( !rc )
        d->b_info.max_vcpus = n;
    return rc;
}

static int set_p2m_pool(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    unsigned long long mb = 0;
    int rc = get_int(cfg, s, 1, MAX_MEMORY_MB, &mb);

    if ( !rc )
        d->b_info.p2m_pool_kb = mb * 1024;
    return rc;
}

static int set_uuid(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    if ( libxl_uuid_from_string(&d->c_info.uuid, s->value.str) )
        return bad_value(cfg, s, "a UUID, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    return 0;
}

static int set_logdirty(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    static const struct
    {
        const char *name;
        libxl_logdirty mode;
    } modes[] = {
        { "off", LIBXL_LOGDIRTY_OFF },
        { "wp", LIBXL_LOGDIRTY_WP },
        { "pml", LIBXL_LOGDIRTY_PML },
        { "ad", LIBXL_LOGDIRTY_AD },
    };
    unsigned int i;

    for ( i = 0; i < sizeof(modes) / sizeof(modes[0]); i++ )
        if ( !strcmp(s->value.str, modes[i].name) )
        {
            d->b_info.logdirty = modes[i].mode;
            return 0;
        }
    return bad_value(cfg, s, "one of \"off\", \"wp\", \"pml\", \"ad\"");
}

static int get_action(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_action_on_shutdown *a)
{
    const char *v = s->value.str;

    if ( !strcmp(v, "destroy") )
        *a = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    else if ( !strcmp(v, "restart") )
        *a = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    else if ( !strcmp(v, "preserve") || !strcmp(v, "rename-restart") ||
              !strcmp(v, "coredump-destroy") || !strcmp(v, "coredump-restart") ||
              !strcmp(v, "soft-reset") )
        return xlu_cfg_error_at(
            cfg, s, "%s = \"%s\" is not supported: Wren does \"destroy\" and \"restart\"", s->key,
            v);
    else
        return bad_value(cfg, s,
                         "one of \"destroy\", \"restart\", \"preserve\", \"rename-restart\"");
    return 0;
}

static int set_on_poweroff(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    return get_action(cfg, s, &d->on_poweroff);
}

static int set_on_reboot(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    return get_action(cfg, s, &d->on_reboot);
}

static int set_on_crash(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    return get_action(cfg, s, &d->on_crash);
}

/* HVM_PARAM_ALTP2M's mode, by Xen's names. */
static int set_altp2m(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    static const libxl_altp2m_mode modes[] = {
        LIBXL_ALTP2M_MODE_DISABLED,
        LIBXL_ALTP2M_MODE_MIXED,
        LIBXL_ALTP2M_MODE_EXTERNAL,
        LIBXL_ALTP2M_MODE_LIMITED,
    };

    for ( unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++ )
        if ( !strcmp(s->value.str, libxl_altp2m_mode_to_string(modes[i])) )
        {
            d->b_info.altp2m = modes[i];
            return 0;
        }
    return bad_value(cfg, s, "one of \"disabled\", \"mixed\", \"external\", \"limited\"");
}

/* Only dom0's own device model; Xen's QEMU is not part of Wren. */
static int set_device_model(XLU_Config *cfg, const struct xlu_cfg_setting *s,
                            libxl_domain_config *d)
{
    const char *v = s->value.str;

    if ( !strcmp(v, "wren-dm") )
    {
        d->b_info.device_model = LIBXL_DEVICE_MODEL_WREN_DM;
        return 0;
    }
    if ( !strcmp(v, "none") )
    {
        d->b_info.device_model = LIBXL_DEVICE_MODEL_NONE;
        return 0;
    }
    return bad_value(cfg, s, "Wren's device model is \"wren-dm\" (or \"none\")");
}

/* clang-format off */
static const struct cfg_key cfg_keys[] = {
    { "name",         XLU_CFG_STRING, set_name },
    { "type",         XLU_CFG_STRING, set_type },
    { "kernel",       XLU_CFG_STRING, set_kernel },
    { "ramdisk",      XLU_CFG_STRING, set_ramdisk },
    { "cmdline",      XLU_CFG_STRING, set_cmdline },
    { "root",         XLU_CFG_STRING, set_nothing },
    { "extra",        XLU_CFG_STRING, set_nothing },
    { "memory",       XLU_CFG_INT,    set_memory },
    { "maxmem",       XLU_CFG_INT,    set_maxmem },
    { "vcpus",        XLU_CFG_INT,    set_vcpus },
    { "maxvcpus",     XLU_CFG_INT,    set_maxvcpus },
    { "on_poweroff",  XLU_CFG_STRING, set_on_poweroff },
    { "on_reboot",    XLU_CFG_STRING, set_on_reboot },
    { "on_crash",     XLU_CFG_STRING, set_on_crash },
    { "uuid",         XLU_CFG_STRING, set_uuid },
    { "logdirty",     XLU_CFG_STRING, set_logdirty },
    { "p2m_pool",     XLU_CFG_INT,    set_p2m_pool },
    { "device_model", XLU_CFG_STRING, set_device_model },
    { "altp2m",       XLU_CFG_STRING, set_altp2m },
};
/* clang-format on */

static int parse_setting(XLU_Config *cfg, const struct xlu_cfg_setting *s, libxl_domain_config *d)
{
    unsigned int i;

    for ( i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++ )
    {
        if ( strcmp(cfg_keys[i].key, s->key) )
            continue;
        if ( cfg_keys[i].type != s->value.type )
            return xlu_cfg_error_at(cfg, s, "key \"%s\" wants %s, not %s", s->key,
                                    type_names[cfg_keys[i].type], type_names[s->value.type]);
        return cfg_keys[i].set(cfg, s, d);
    }
    return xlu_cfg_error_at(cfg, s, "unknown key \"%s\"", s->key);
}

static const char *cfg_str(const XLU_Config *cfg, const char *key)
{
    const struct xlu_cfg_setting *s = xlu_cfg_find(cfg, key);

    return s ? s->value.str : NULL;
}

/* Xen's rule: cmdline wins; otherwise "root=<root> <extra>". */
static int compose_cmdline(XLU_Config *cfg, libxl_domain_config *d, FILE *warn)
{
    const char *root = cfg_str(cfg, "root"), *extra = cfg_str(cfg, "extra");
    int n = 0;

    if ( d->b_info.cmdline )
    {
        if ( root || extra )
            fprintf(warn, "%s: warning: ignoring \"root\" and \"extra\" in favour of \"cmdline\"\n",
                    cfg->source);
        return 0;
    }
    if ( root && extra )
        n = asprintf(&d->b_info.cmdline, "root=%s %s", root, extra);
    else if ( root )
        n = asprintf(&d->b_info.cmdline, "root=%s", root);
    else if ( extra )
        d->b_info.cmdline = strdup(extra);
    if ( n < 0 || ((root || extra) && !d->b_info.cmdline) )
    {
        d->b_info.cmdline = NULL;
        return ERROR_NOMEM;
    }
    return 0;
}

static int check_memory(XLU_Config *cfg, libxl_domain_build_info *b)
{
    const struct xlu_cfg_setting *s = xlu_cfg_find(cfg, "maxmem");

    if ( !b->target_memkb )
        b->target_memkb = 128 * 1024; /* Xen's default */
    if ( !b->max_memkb )
        b->max_memkb = b->target_memkb;
    if ( b->max_memkb < b->target_memkb )
        return xlu_cfg_error_at(cfg, s, "maxmem (%llu MiB) is below memory (%llu MiB)",
                                (unsigned long long)b->max_memkb / 1024,
                                (unsigned long long)b->target_memkb / 1024);
    return 0;
}

static int check_vcpus(XLU_Config *cfg, libxl_domain_build_info *b)
{
    const struct xlu_cfg_setting *s = xlu_cfg_find(cfg, "maxvcpus");

    if ( !b->avail_vcpus )
        b->avail_vcpus = 1;
    if ( !b->max_vcpus )
        b->max_vcpus = b->avail_vcpus;
    if ( b->max_vcpus < b->avail_vcpus )
        return xlu_cfg_error_at(cfg, s, "maxvcpus (%u) is below vcpus (%u)", b->max_vcpus,
                                b->avail_vcpus);
    return 0;
}

static int check_required(XLU_Config *cfg, libxl_domain_config *d)
{
    if ( !d->c_info.name )
        return xlu_cfg_error(cfg, 0, "no \"name\" key: every domain needs a name");
    if ( !d->b_info.kernel )
        return xlu_cfg_error(cfg, 0, "no \"kernel\" key: a PVH domain boots from a kernel");
    return 0;
}

int xl_parse_config(XLU_Config *cfg, libxl_domain_config *d, FILE *warn)
{
    const struct xlu_cfg_setting *s;
    int rc;

    for ( s = cfg->settings; s; s = s->next )
    {
        rc = parse_setting(cfg, s, d);
        if ( rc )
            return rc;
    }
    rc = check_required(cfg, d);
    if ( !rc )
        rc = check_memory(cfg, &d->b_info);
    if ( !rc )
        rc = check_vcpus(cfg, &d->b_info);
    if ( !rc )
        rc = compose_cmdline(cfg, d, warn);
    return rc;
}

static int set_source(XLU_Config *cfg, const char *source)
{
    char *copy = strdup(source);

    if ( !copy )
        return ERROR_NOMEM;
    free(cfg->source);
    cfg->source = copy;
    return 0;
}

static int parse_overrides(XLU_Config *cfg, char **overrides, int nr)
{
    int i, rc;

    rc = set_source(cfg, "command line");
    if ( rc )
        return rc;
    for ( i = 0; i < nr; i++ )
    {
        rc = xlu_cfg_parse(cfg, overrides[i], strlen(overrides[i]), 1);
        if ( rc )
            return rc;
    }
    return 0;
}

int xl_config_from_text(const char *filename, const char *text, size_t len, char **overrides,
                        int nr_overrides, libxl_domain_config *d, char **err, FILE *warn)
{
    XLU_Config cfg;
    int rc;

    *err = NULL;
    rc = xlu_cfg_init(&cfg, filename);
    if ( rc )
        goto out;
    rc = xlu_cfg_parse(&cfg, text, len, 0);
    if ( !rc )
        rc = parse_overrides(&cfg, overrides, nr_overrides);
    /* A missing key is the file's fault. */
    if ( !rc )
        rc = set_source(&cfg, filename);
    if ( !rc )
        rc = xl_parse_config(&cfg, d, warn);

out:
    if ( rc )
    {
        *err = cfg.error ? strdup(cfg.error) : strdup("out of memory");
        libxl_domain_config_dispose(d);
        libxl_domain_config_init(d);
    }
    xlu_cfg_dispose(&cfg);
    return rc;
}
