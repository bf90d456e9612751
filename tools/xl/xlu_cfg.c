/* SPDX-License-Identifier: MIT */
/*
 * xlu_cfg.c - the XLU_Config object: its life, lookups and error
 * messages. The reading itself is xl_cfg.l and xl_cfg.y.
 *
 * It may not touch libxl or any domain.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxl.h"
#include "xlu_cfg.h"

void xlu_cfg_value_dispose(struct xlu_cfg_value *v);

void xlu_cfg_value_dispose(struct xlu_cfg_value *v)
{
    unsigned int i;

    if ( !v )
        return;
    for ( i = 0; i < v->nr_items; i++ )
        xlu_cfg_value_dispose(&v->items[i]);
    free(v->items);
    free(v->str);
    memset(v, 0, sizeof(*v));
}

int xlu_cfg_init(XLU_Config *cfg, const char *source)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->source = strdup(source);
    return cfg->source ? 0 : ERROR_NOMEM;
}

void xlu_cfg_dispose(XLU_Config *cfg)
{
    struct xlu_cfg_setting *s, *next;

    for ( s = cfg->settings; s; s = next )
    {
        next = s->next;
        xlu_cfg_value_dispose(&s->value);
        free(s->key);
        free(s->source);
        free(s);
    }
    free(cfg->source);
    free(cfg->error);
    memset(cfg, 0, sizeof(*cfg));
}

const struct xlu_cfg_setting *xlu_cfg_find(const XLU_Config *cfg, const char *key)
{
    const struct xlu_cfg_setting *s;

    for ( s = cfg->settings; s; s = s->next )
        if ( !strcmp(s->key, key) )
            return s;
    return NULL;
}

static int cfg_verror(XLU_Config *cfg, const char *source, int line, const char *fmt, va_list ap)
{
    char *why = NULL, *msg = NULL;
    int n;

    if ( cfg->error )
        return ERROR_INVAL;
    if ( vasprintf(&why, fmt, ap) < 0 )
        return ERROR_NOMEM;
    if ( line > 0 )
        n = asprintf(&msg, "%s:%d: %s", source, line, why);
    else
        n = asprintf(&msg, "%s: %s", source, why);
    free(why);
    if ( n < 0 )
        return ERROR_NOMEM;
    cfg->error = msg;
    return ERROR_INVAL;
}

int xlu_cfg_error(XLU_Config *cfg, int line, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = cfg_verror(cfg, cfg->source, line, fmt, ap);
    va_end(ap);
    return rc;
}

int xlu_cfg_error_at(XLU_Config *cfg, const struct xlu_cfg_setting *s, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = cfg_verror(cfg, s->source, s->line, fmt, ap);
    va_end(ap);
    return rc;
}
