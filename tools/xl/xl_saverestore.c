/* SPDX-License-Identifier: MIT */
/*
 * xl_saverestore.c - xl save and xl restore: a domain to a file and back.
 * The file is the xl file header of docs/designs/migration-stream.md
 * (Xen's xl save-file header, the config as xl text), then the
 * migration stream that libxl writes and reads.
 *
 * After the config, the optional data may hold Wren's records (u32
 * type, u32 length, the bytes): XL_REC_GUEST_NODES carries what the
 * guest announced in its store (libxl_domain_guest_nodes), which a
 * resumed Linux does not announce again. A record of an unknown type is
 * skipped; Xen's xl reads the config and ignores the rest.
 *
 * They act through libxl.h only, on the domain named (save) or the one
 * they create (restore); they write only the file named. xl migrate
 * (xl_migrate.c) sends the same header before its stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xl.h"

#define XL_MAGIC      "Xen saved domain, xl format\n \0 \r"
#define XL_MAGIC_LEN  32
#define XL_BYTEORDER  0x01020304u
#define XL_HDR_LEN    48
#define XL_MAX_CONFIG (1u << 20)
/* Wren's record of the optional data: the guest's store announcements. */
#define XL_REC_GUEST_NODES 0x4e475257u /* "WRGN" */
#define XL_REC_HDR_LEN     8

static const char *action_name(libxl_action_on_shutdown a)
{
    return a == LIBXL_ACTION_ON_SHUTDOWN_RESTART ? "restart" : "destroy";
}

static const char *logdirty_name(libxl_logdirty m)
{
    switch ( m )
    {
    case LIBXL_LOGDIRTY_OFF: return "off";
    case LIBXL_LOGDIRTY_WP: return "wp";
    case LIBXL_LOGDIRTY_PML: return "pml";
    case LIBXL_LOGDIRTY_AD: return "ad";
    default: return NULL;
    }
}

/* A string xl's config reader takes back as it was. */
static bool plain(const char *s)
{
    return !s || !strpbrk(s, "\"\\\n");
}

static void put_str(FILE *f, const char *key, const char *v)
{
    if ( v )
        fprintf(f, "%s = \"%s\"\n", key, v);
}

/* The domain's configuration as xl config text (malloc()ed), or NULL. */
static char *config_text(const libxl_domain_config *d, size_t *len)
{
    const libxl_domain_build_info *b = &d->b_info;
    char *text = NULL;
    FILE *f;

    if ( !plain(d->c_info.name) || !plain(b->kernel) || !plain(b->ramdisk) || !plain(b->cmdline) )
        return fprintf(xl_err, "xl save: a config string has a quote or newline\n"), NULL;
    f = open_memstream(&text, len);
    if ( !f )
        return NULL;
    put_str(f, "name", d->c_info.name);
    if ( !libxl_uuid_is_nil(&d->c_info.uuid) )
    {
        char uuid[LIBXL_UUID_STRLEN];

        libxl_uuid_to_string(&d->c_info.uuid, uuid);
        put_str(f, "uuid", uuid); /* the restored domain is the same one */
    }
    fprintf(f, "type = \"pvh\"\nmemory = %llu\nmaxmem = %llu\n",
            (unsigned long long)b->target_memkb / 1024, (unsigned long long)b->max_memkb / 1024);
    fprintf(f, "vcpus = %u\nmaxvcpus = %u\n", b->avail_vcpus, b->max_vcpus);
    put_str(f, "kernel", b->kernel);
    put_str(f, "ramdisk", b->ramdisk);
    put_str(f, "cmdline", b->cmdline);
    if ( b->p2m_pool_kb )
        fprintf(f, "p2m_pool = %llu\n", (unsigned long long)b->p2m_pool_kb / 1024);
    put_str(f, "logdirty", logdirty_name(b->logdirty));
    put_str(f, "device_model", b->device_model == LIBXL_DEVICE_MODEL_WREN_DM ? "wren-dm" : NULL);
    if ( b->altp2m != LIBXL_ALTP2M_MODE_DISABLED )
        put_str(f, "altp2m", libxl_altp2m_mode_to_string(b->altp2m));
    put_str(f, "on_poweroff", action_name(d->on_poweroff));
    put_str(f, "on_reboot", action_name(d->on_reboot));
    put_str(f, "on_crash", action_name(d->on_crash));
    if ( fclose(f) )
    {
        free(text);
        return NULL;
    }
    return text;
}

/* All len bytes to (out) or from fd: -1 on an error or an early end. */
static int fd_exact(int fd, void *buf, size_t len, bool out)
{
    char *p = buf;

    while ( len )
    {
        ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
    return fd_exact(fd, (void *)buf, len, true);
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4); /* the saving host's order: x86, little-endian */
}

/* The guest nodes' record after the config; nothing when there are none. */
static int write_nodes(int fd, const char *nodes)
{
    size_t len = strlen(nodes);
    uint8_t r[XL_REC_HDR_LEN];

    if ( !len )
        return 0;
    put32(r, XL_REC_GUEST_NODES);
    put32(r + 4, (uint32_t)len);
    return write_all(fd, r, sizeof(r)) || write_all(fd, nodes, len) ? -1 : 0;
}

static int write_header(int fd, const char *config, size_t len, const char *nodes)
{
    size_t nlen = strlen(nodes);
    uint8_t h[XL_HDR_LEN + 4];

    memcpy(h, XL_MAGIC, XL_MAGIC_LEN);
    put32(h + 32, XL_BYTEORDER);
    put32(h + 36, 0); /* mandatory: config as xl text */
    put32(h + 40, 0);
    put32(h + 44, (uint32_t)(4 + len + (nlen ? XL_REC_HDR_LEN + nlen : 0)));
    put32(h + 48, (uint32_t)len);
    return write_all(fd, h, sizeof(h)) || write_all(fd, config, len) || write_nodes(fd, nodes) ? -1
                                                                                               : 0;
}

/* The name the domain has now: the kept config has the one it was
 * created with (xl rename, or a migration's NAME--incoming). */
static int use_current_name(libxl_domain_config *d, libxl_domid domid)
{
    char *name = libxl_domid_to_name(ctx, domid);

    if ( !name )
        return -1;
    free(d->c_info.name);
    d->c_info.name = name;
    return 0;
}

int xl_write_save_header(int fd, libxl_domid domid, const char *who)
{
    libxl_domain_config d;
    char *text = NULL, *nodes = NULL;
    size_t len = 0;
    int rc = -1;

    libxl_domain_config_init(&d);
    if ( libxl_retrieve_domain_configuration(ctx, domid, &d) )
        fprintf(xl_err, "%s: cannot find the domain's configuration: %s\n", who,
                libxl_ctx_last_error(ctx));
    else if ( use_current_name(&d, domid) )
        fprintf(xl_err, "%s: domain %u has no name\n", who, domid);
    else if ( !(text = config_text(&d, &len)) )
        fprintf(xl_err, "%s: no config text\n", who);
    else if ( libxl_domain_guest_nodes(ctx, domid, &nodes) )
        fprintf(xl_err, "%s: %s\n", who, libxl_ctx_last_error(ctx));
    else if ( write_header(fd, text, len, nodes) )
        fprintf(xl_err, "%s: writing the header: %s\n", who, strerror(errno));
    else
        rc = 0;
    free(nodes);
    free(text);
    libxl_domain_config_dispose(&d);
    return rc;
}

/* The header and the config; the file is left at the stream. */
static int save_to(const char *path, libxl_domid domid)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600), rc = 1;

    if ( fd < 0 )
    {
        fprintf(xl_err, "xl save: %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(xl_err, "Saving to %s new xl format\n", path);
    if ( xl_write_save_header(fd, domid, "xl save") )
        ;
    else if ( libxl_domain_suspend(ctx, domid, fd, 0, NULL) )
        xl_fail("cannot save the domain");
    else
        rc = 0;
    if ( close(fd) && !rc )
        rc = xl_fail("closing the file");
    if ( rc )
        unlink(path);
    return rc;
}

/* Arm libxl's test-only frame break from "STEP:GFN"; 0 or 1 (named). */
static int arm_debug_break(const char *cmd, const char *spec)
{
    const char *colon = strchr(spec, ':');
    char step[16], *end;
    unsigned long long gfn;

    errno = 0;
    gfn = colon ? strtoull(colon + 1, &end, 0) : 0;
    if ( !colon || (size_t)(colon - spec) >= sizeof(step) || errno || end == colon + 1 || *end ||
         colon[1] == '-' || gfn >> 52 )
        return fprintf(xl_err, "xl %s: --debug-break=%s: not STEP:GFN\n", cmd, spec), 1;
    memcpy(step, spec, (size_t)(colon - spec));
    step[colon - spec] = '\0';
    if ( libxl_debug_break_gfn(ctx, step, gfn) )
        return fprintf(xl_err, "xl %s: --debug-break: %s\n", cmd, libxl_ctx_last_error(ctx)), 1;
    return 0;
}

int xl_take_debug_break(const char *cmd, int *argc, char **argv)
{
    static const char opt[] = "--debug-break=";

    for ( int i = 1; i < *argc; i++ )
    {
        if ( strncmp(argv[i], opt, sizeof(opt) - 1) )
            continue;
        if ( arm_debug_break(cmd, argv[i] + sizeof(opt) - 1) )
            return 1;
        memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof(*argv));
        (*argc)--;
        i--;
    }
    return 0;
}

/* xl save [-c] [-p] [--debug-break=STEP:GFN] <Domain> <CheckpointFile>:
 * by default the domain is destroyed once saved; -c leaves it running,
 * -p paused. A guest that suspended for the save is resumed first, told
 * its suspend was cancelled (it is still where it was). */
int main_save(int argc, char **argv)
{
    struct xl_opts o;
    libxl_domid domid;

    if ( xl_take_debug_break("save", &argc, argv) )
        return 1;
    XL_GETOPTS(argc, argv, "cp", 2, 2, &o);
    if ( xl_find_domain(argv[o.first], &domid) )
        return 1;
    if ( domid == 0 )
        return fprintf(xl_err, "xl save: cannot save domain 0\n"), 1;
    if ( save_to(argv[o.first + 1], domid) )
        return 1;
    if ( (o.set['p'] || o.set['c']) && libxl_domain_resume(ctx, domid, 1, NULL) )
        return xl_fail("cannot resume the domain");
    if ( o.set['p'] )
        return 0;
    if ( o.set['c'] )
        return libxl_domain_unpause(ctx, domid, NULL) ? xl_fail("cannot unpause") : 0;
    return libxl_domain_destroy(ctx, domid, NULL) ? xl_fail("cannot destroy") : 0;
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static int __attribute__((format(printf, 2, 3))) refuse(const char *path, const char *fmt, ...)
{
    va_list ap;

    fprintf(xl_err, "xl restore: %s: ", path);
    va_start(ap, fmt);
    vfprintf(xl_err, fmt, ap);
    va_end(ap);
    fputc('\n', xl_err);
    return -1;
}

static int read_all(int fd, void *buf, size_t len)
{
    return fd_exact(fd, buf, len, false);
}

/* n bytes of the header read and dropped. */
static int skip_bytes(int fd, uint32_t n)
{
    char skip[256];

    while ( n )
    {
        uint32_t k = n < sizeof(skip) ? n : (uint32_t)sizeof(skip);

        if ( read_all(fd, skip, k) )
            return -1;
        n -= k;
    }
    return 0;
}

/* The guest nodes' record, len bytes, into *nodes: text, bounded. */
static int read_nodes(int fd, const char *path, uint32_t len, char **nodes)
{
    if ( *nodes )
        return refuse(path, "two guest-node records");
    if ( !len || len > LIBXL_GUEST_NODES_MAX )
        return refuse(path, "guest-node record of %u bytes (1 to %d)", len, LIBXL_GUEST_NODES_MAX);
    *nodes = malloc(len + 1);
    if ( !*nodes || read_all(fd, *nodes, len) )
        return refuse(path, "truncated guest-node record");
    (*nodes)[len] = '\0';
    if ( strlen(*nodes) != len )
        return refuse(path, "guest-node record holds a NUL");
    return 0;
}

/* Wren's records in the left bytes of optional data after the config. */
static int read_records(int fd, const char *path, uint32_t left, char **nodes)
{
    while ( left )
    {
        uint8_t r[XL_REC_HDR_LEN];
        uint32_t type, len;

        if ( left < sizeof(r) || read_all(fd, r, sizeof(r)) )
            return refuse(path, "truncated record after the config");
        type = get32(r);
        len = get32(r + 4);
        left -= sizeof(r);
        if ( len > left )
            return refuse(path, "record %#x of %u bytes overruns the header", type, len);
        if ( type == XL_REC_GUEST_NODES ? read_nodes(fd, path, len, nodes) : skip_bytes(fd, len) )
            return type == XL_REC_GUEST_NODES ? -1 : refuse(path, "truncated header");
        left -= len;
    }
    return 0;
}

int xl_read_save_header(int fd, const char *path, char **text, size_t *len, char **nodes)
{
    uint8_t h[XL_HDR_LEN + 4];
    uint32_t opt_len, cfg_len;

    *nodes = NULL;
    if ( read_all(fd, h, sizeof(h)) )
        return refuse(path, "truncated xl header");
    if ( memcmp(h, XL_MAGIC, XL_MAGIC_LEN) )
        return refuse(path, "not an xl save file (bad magic)");
    if ( get32(h + 32) != XL_BYTEORDER )
        return refuse(path, "byte order %#x is not this host's", get32(h + 32));
    if ( get32(h + 36) || get32(h + 40) )
        return refuse(path, "unsupported header flags %#x", get32(h + 36) | get32(h + 40));
    opt_len = get32(h + 44);
    cfg_len = get32(h + 48);
    if ( opt_len < 4 || cfg_len > opt_len - 4 || cfg_len > XL_MAX_CONFIG || !cfg_len )
        return refuse(path, "config length %u overruns the header", cfg_len);
    *text = malloc(cfg_len + 1);
    if ( !*text || read_all(fd, *text, cfg_len) )
        return refuse(path, "truncated config (%u bytes)", cfg_len);
    (*text)[cfg_len] = '\0';
    *len = cfg_len;
    return read_records(fd, path, opt_len - 4 - cfg_len, nodes);
}

static int restore_from(const char *path, bool paused)
{
    libxl_domain_config d;
    libxl_domain_create_opts opts = { .paused = paused };
    libxl_domid domid;
    char *text = NULL, *err = NULL, *nodes = NULL;
    size_t len = 0;
    int fd = open(path, O_RDONLY), rc = 1;

    libxl_domain_config_init(&d);
    if ( fd < 0 )
    {
        fprintf(xl_err, "xl restore: %s: %s\n", path, strerror(errno));
        goto out;
    }
    if ( xl_read_save_header(fd, path, &text, &len, &nodes) )
        goto out;
    opts.guest_nodes = nodes;
    if ( xl_config_from_text(path, text, len, NULL, 0, &d, &err, xl_err) )
        fprintf(xl_err, "xl restore: %s\n", err);
    else if ( libxl_domain_create_restore(ctx, &d, &domid, fd, &opts) )
        xl_fail("cannot restore the domain");
    else
        rc = 0;
    if ( !rc )
        fprintf(xl_err, "Restored domain %u from %s\n", domid, path);

out:
    if ( fd >= 0 )
        close(fd);
    free(err);
    free(text);
    free(nodes);
    libxl_domain_config_dispose(&d);
    return rc;
}

/* xl restore [-p] <CheckpointFile> */
int main_restore(int argc, char **argv)
{
    struct xl_opts o;

    XL_GETOPTS(argc, argv, "p", 1, 1, &o);
    return restore_from(argv[o.first], o.set['p']);
}
