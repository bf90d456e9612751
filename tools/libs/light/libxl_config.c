/* SPDX-License-Identifier: MIT */
/*
 * libxl_config.c - the domain configuration object: _init/_dispose, copy,
 * its JSON form (xl list -l), UUIDs, and the registry of configurations
 * of the domains this process created.
 *
 * It may not call the lower libraries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxl_internal.h"

void libxl_domain_config_init(libxl_domain_config *d)
{
    memset(d, 0, sizeof(*d));
    d->c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    d->b_info.logdirty = LIBXL_LOGDIRTY_DEFAULT;
    d->on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    d->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    d->on_crash = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
}

void libxl_domain_config_dispose(libxl_domain_config *d)
{
    free(d->c_info.name);
    free(d->b_info.kernel);
    free(d->b_info.ramdisk);
    free(d->b_info.cmdline);
    memset(d, 0, sizeof(*d));
}

static int dup_str(char **dst, const char *src)
{
    *dst = NULL;
    if ( !src )
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : ERROR_NOMEM;
}

int libxl__domain_config_copy(libxl_domain_config *dst, const libxl_domain_config *src)
{
    int rc = 0;

    *dst = *src;
    rc |= dup_str(&dst->c_info.name, src->c_info.name);
    rc |= dup_str(&dst->b_info.kernel, src->b_info.kernel);
    rc |= dup_str(&dst->b_info.ramdisk, src->b_info.ramdisk);
    rc |= dup_str(&dst->b_info.cmdline, src->b_info.cmdline);
    if ( rc )
    {
        libxl_domain_config_dispose(dst);
        return ERROR_NOMEM;
    }
    return 0;
}

const char *libxl_action_on_shutdown_to_string(libxl_action_on_shutdown a)
{
    switch ( a )
    {
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY: return "destroy";
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART: return "restart";
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME: return "rename-restart";
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE: return "preserve";
    }
    return NULL;
}

const char *libxl_logdirty_to_string(libxl_logdirty l)
{
    switch ( l )
    {
    case LIBXL_LOGDIRTY_OFF: return "off";
    case LIBXL_LOGDIRTY_DEFAULT: return "default";
    case LIBXL_LOGDIRTY_WP: return "wp";
    case LIBXL_LOGDIRTY_PML: return "pml";
    case LIBXL_LOGDIRTY_AD: return "ad";
    }
    return NULL;
}

const char *libxl_altp2m_mode_to_string(libxl_altp2m_mode m)
{
    switch ( m )
    {
    case LIBXL_ALTP2M_MODE_DISABLED: return "disabled";
    case LIBXL_ALTP2M_MODE_MIXED: return "mixed";
    case LIBXL_ALTP2M_MODE_EXTERNAL: return "external";
    case LIBXL_ALTP2M_MODE_LIMITED: return "limited";
    }
    return NULL;
}

/* --- UUIDs ------------------------------------------------------------ */

void libxl_uuid_to_string(const libxl_uuid *u, char out[LIBXL_UUID_STRLEN])
{
    const uint8_t *b = u->bytes;

    snprintf(out, LIBXL_UUID_STRLEN, LIBXL_UUID_FMT, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
             b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int hex_digit(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'F' )
        return c - 'A' + 10;
    return -1;
}

int libxl_uuid_from_string(libxl_uuid *u, const char *s)
{
    unsigned int i, b = 0;
    int hi, lo;

    for ( i = 0; i < LIBXL_UUID_STRLEN - 1; )
    {
        if ( i == 8 || i == 13 || i == 18 || i == 23 )
        {
            if ( s[i++] != '-' )
                return ERROR_INVAL;
            continue;
        }
        hi = hex_digit(s[i]);
        lo = hi < 0 ? -1 : hex_digit(s[i + 1]);
        if ( lo < 0 )
            return ERROR_INVAL;
        u->bytes[b++] = hi << 4 | lo;
        i += 2;
    }
    return s[i] ? ERROR_INVAL : 0;
}

bool libxl_uuid_is_nil(const libxl_uuid *u)
{
    unsigned int i;

    for ( i = 0; i < sizeof(u->bytes); i++ )
        if ( u->bytes[i] )
            return false;
    return true;
}

/* --- JSON --------------------------------------------------------------- */

/* A JSON string literal of s (or null), appended to f. */
static void json_string(FILE *f, const char *s)
{
    if ( !s )
    {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for ( ; *s; s++ )
    {
        if ( *s == '"' || *s == '\\' )
            fprintf(f, "\\%c", *s);
        else if ( (unsigned char)*s < 0x20 )
            fprintf(f, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void json_c_info(FILE *f, const libxl_domain_create_info *c)
{
    char uuid[LIBXL_UUID_STRLEN];

    libxl_uuid_to_string(&c->uuid, uuid);
    fprintf(f, "    \"c_info\": {\n        \"type\": \"%s\",\n        \"name\": ",
            c->type == LIBXL_DOMAIN_TYPE_PVH ? "pvh" : "unknown");
    json_string(f, c->name);
    fprintf(f, ",\n        \"uuid\": \"%s\"\n    },\n", uuid);
}

static void json_b_info(FILE *f, const libxl_domain_build_info *b)
{
    fprintf(f,
            "    \"b_info\": {\n        \"max_vcpus\": %u,\n        \"avail_vcpus\": %u,\n"
            "        \"max_memkb\": %llu,\n        \"target_memkb\": %llu,\n"
            "        \"p2m_pool_kb\": %llu,\n        \"logdirty\": \"%s\",\n",
            b->max_vcpus, b->avail_vcpus, (unsigned long long)b->max_memkb,
            (unsigned long long)b->target_memkb, (unsigned long long)b->p2m_pool_kb,
            libxl_logdirty_to_string(b->logdirty));
    if ( b->device_model == LIBXL_DEVICE_MODEL_WREN_DM )
        fputs("        \"device_model\": \"wren-dm\",\n", f);
    if ( b->altp2m != LIBXL_ALTP2M_MODE_DISABLED )
        fprintf(f, "        \"altp2m\": \"%s\",\n", libxl_altp2m_mode_to_string(b->altp2m));
    fputs("        \"type.pvh\": {\n            \"kernel\": ", f);
    json_string(f, b->kernel);
    fputs(",\n            \"ramdisk\": ", f);
    json_string(f, b->ramdisk);
    fputs(",\n            \"cmdline\": ", f);
    json_string(f, b->cmdline);
    fputs("\n        }\n    },\n", f);
}

char *libxl_domain_config_to_json(const libxl_domain_config *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if ( !f )
        return NULL;
    fputs("{\n", f);
    json_c_info(f, &d->c_info);
    json_b_info(f, &d->b_info);
    fprintf(f,
            "    \"on_poweroff\": \"%s\",\n    \"on_reboot\": \"%s\",\n"
            "    \"on_crash\": \"%s\"\n}",
            libxl_action_on_shutdown_to_string(d->on_poweroff),
            libxl_action_on_shutdown_to_string(d->on_reboot),
            libxl_action_on_shutdown_to_string(d->on_crash));
    if ( fclose(f) )
    {
        free(buf);
        return NULL;
    }
    return buf;
}

/* --- the registry ------------------------------------------------------- */

struct config_entry
{
    libxl_domid domid;
    libxl_domain_config config;
    struct config_entry *next;
};
static struct config_entry *configs;

int libxl__config_store(libxl_domid domid, const libxl_domain_config *d_config)
{
    struct config_entry *e = calloc(1, sizeof(*e));

    if ( !e )
        return ERROR_NOMEM;
    if ( libxl__domain_config_copy(&e->config, d_config) )
    {
        free(e);
        return ERROR_NOMEM;
    }
    libxl__config_forget(domid);
    e->domid = domid;
    e->next = configs;
    configs = e;
    return 0;
}

bool libxl__config_any(void)
{
    return configs != NULL;
}

const libxl_domain_config *libxl__config_lookup(libxl_domid domid)
{
    struct config_entry *e;

    for ( e = configs; e; e = e->next )
        if ( e->domid == domid )
            return &e->config;
    return NULL;
}

void libxl__config_forget(libxl_domid domid)
{
    struct config_entry **pe, *e;

    for ( pe = &configs; (e = *pe); pe = &e->next )
        if ( e->domid == domid )
        {
            *pe = e->next;
            libxl_domain_config_dispose(&e->config);
            free(e);
            return;
        }
}
