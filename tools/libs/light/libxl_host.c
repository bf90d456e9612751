/* SPDX-License-Identifier: MIT */
/*
 * libxl_host.c - the host: physical information, the hypervisor's
 * version, and its console ring (xl info, xl dmesg).
 *
 * It only reads, except that dmesg -c clears the hypervisor's ring.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/version.h>

#include "libxl_internal.h"

#define CONSOLE_READ_CHUNK 16384
#define CONSOLE_READ_MAX   (4 << 20) /* far more than any console ring */

void libxl_physinfo_init(libxl_physinfo *p)
{
    memset(p, 0, sizeof(*p));
}

void libxl_physinfo_dispose(libxl_physinfo *p)
{
    memset(p, 0, sizeof(*p));
}

int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *p)
{
    xc_physinfo_t x;

    memset(&x, 0, sizeof(x));
    if ( xc_physinfo(ctx->xch, &x) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot read the host's information");
    libxl_physinfo_init(p);
    p->threads_per_core = x.threads_per_core;
    p->cores_per_socket = x.cores_per_socket;
    p->max_cpu_id = x.max_cpu_id;
    p->nr_cpus = x.nr_cpus;
    p->cpu_khz = x.cpu_khz;
    p->total_pages = x.total_pages;
    p->free_pages = x.free_pages;
    p->scrub_pages = x.scrub_pages;
    p->outstanding_pages = x.outstanding_pages;
    p->nr_nodes = x.nr_nodes;
    memcpy(p->hw_cap, x.hw_cap, sizeof(p->hw_cap));
    p->cap_hvm = x.capabilities & XEN_SYSCTL_PHYSCAP_hvm;
    p->cap_pv = x.capabilities & XEN_SYSCTL_PHYSCAP_pv;
    p->cap_hap = x.capabilities & XEN_SYSCTL_PHYSCAP_hap;
    p->cap_shadow = x.capabilities & XEN_SYSCTL_PHYSCAP_shadow;
    return 0;
}

/* A string answer of xen_version(cmd) (the buffers are fixed-size and
 * may lack their NUL). */
static char *version_string(libxl_ctx *ctx, int cmd, size_t size)
{
    char *buf = calloc(1, size + 1);

    if ( buf && xc_version(ctx->xch, cmd, buf) < 0 )
        buf[0] = '\0';
    return buf;
}

static int read_version(libxl_ctx *ctx, libxl_version_info *v)
{
    struct xen_compile_info ci;
    int ver = xc_version(ctx->xch, XENVER_version, NULL);

    if ( ver < 0 )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot read the hypervisor's version");
    v->xen_version_major = ver >> 16;
    v->xen_version_minor = ver & 0xffff;
    v->xen_version_extra = version_string(ctx, XENVER_extraversion, sizeof(xen_extraversion_t));
    v->capabilities = version_string(ctx, XENVER_capabilities, sizeof(xen_capabilities_info_t));
    v->changeset = version_string(ctx, XENVER_changeset, sizeof(xen_changeset_info_t));
    v->commandline = version_string(ctx, XENVER_commandline, sizeof(xen_commandline_t));
    memset(&ci, 0, sizeof(ci));
    xc_version(ctx->xch, XENVER_compile_info, &ci);
    v->compiler = strndup(ci.compiler, sizeof(ci.compiler));
    v->compile_by = strndup(ci.compile_by, sizeof(ci.compile_by));
    v->compile_domain = strndup(ci.compile_domain, sizeof(ci.compile_domain));
    v->compile_date = strndup(ci.compile_date, sizeof(ci.compile_date));
    v->pagesize = xc_version(ctx->xch, XENVER_pagesize, NULL);
    if ( !v->xen_version_extra || !v->capabilities || !v->changeset || !v->commandline ||
         !v->compiler || !v->compile_by || !v->compile_domain || !v->compile_date )
        return libxl__err(ctx, ERROR_NOMEM, "no memory for the version");
    return 0;
}

const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx)
{
    if ( ctx->have_version )
        return &ctx->version;
    if ( read_version(ctx, &ctx->version) )
    {
        libxl__version_info_dispose(&ctx->version);
        return NULL;
    }
    ctx->have_version = true;
    return &ctx->version;
}

/* --- the hypervisor's console ring ------------------------------------ */

/* The ring is read whole at start, then handed out a line at a time: in
 * Wren's dom0 what xl prints goes into that same ring, so reading while
 * printing would never reach the end. */
struct libxl__xen_console_reader
{
    char *text;
    size_t len, pos, cap;
    char *line; /* the line last handed out */
};

static int reader_grow(libxl_xen_console_reader *cr)
{
    size_t cap = cr->cap ? cr->cap * 2 : CONSOLE_READ_CHUNK;
    char *t = cap <= CONSOLE_READ_MAX ? realloc(cr->text, cap + 1) : NULL;

    if ( !t )
        return -1;
    cr->text = t;
    cr->cap = cap;
    return 0;
}

static int reader_fill(libxl_ctx *ctx, libxl_xen_console_reader *cr, int clear)
{
    uint32_t index = 0;
    unsigned int n;

    do
    {
        if ( cr->cap - cr->len < CONSOLE_READ_CHUNK / 2 && reader_grow(cr) )
            return libxl__err(ctx, ERROR_NOMEM, "the console ring does not fit in memory");
        n = cr->cap - cr->len;
        if ( xc_readconsolering(ctx->xch, cr->text + cr->len, &n, 0, 1, &index) )
            return libxl__err_errno(ctx, ERROR_FAIL, "cannot read the hypervisor's console");
        cr->len += n;
    } while ( n );
    n = 0;
    if ( clear && xc_readconsolering(ctx->xch, cr->text + cr->len, &n, 1, 0, &index) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot clear the hypervisor's console");
    return 0;
}

libxl_xen_console_reader *libxl_xen_console_read_start(libxl_ctx *ctx, int clear)
{
    libxl_xen_console_reader *cr = calloc(1, sizeof(*cr));

    if ( !cr )
    {
        libxl__err(ctx, ERROR_NOMEM, "no memory for the console reader");
        return NULL;
    }
    if ( reader_fill(ctx, cr, clear) )
    {
        libxl_xen_console_read_finish(ctx, cr);
        return NULL;
    }
    return cr;
}

/* *line_r: the next line with its newline (the last may lack one). */
int libxl_xen_console_read_line(libxl_ctx *ctx, libxl_xen_console_reader *cr, char **line_r)
{
    char *start = cr->text + cr->pos, *nl;
    size_t n;

    *line_r = NULL;
    if ( cr->pos >= cr->len )
        return 0;
    nl = memchr(start, '\n', cr->len - cr->pos);
    n = nl ? (size_t)(nl - start) + 1 : cr->len - cr->pos;
    free(cr->line);
    cr->line = strndup(start, n);
    if ( !cr->line )
        return libxl__err(ctx, ERROR_NOMEM, "no memory for a console line");
    cr->pos += n;
    *line_r = cr->line;
    return 1;
}

void libxl_xen_console_read_finish(libxl_ctx *ctx, libxl_xen_console_reader *cr)
{
    if ( !cr )
        return;
    free(cr->line);
    free(cr->text);
    free(cr);
}
