/* SPDX-License-Identifier: MIT */
/*
 * xl_vmcontrol.c - the commands that start, stop and connect to domains:
 * create, destroy, shutdown, reboot, pause, unpause, console.
 *
 * They act through libxl.h only, on the domain named on the command line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xl.h"

#define MAX_CONFIG_SIZE (1 << 20)

/* The whole config file, NUL-terminated. */
static char *read_config(const char *path, size_t *len)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;

    if ( !f )
    {
        fprintf(xl_err, "Failed to read config file: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf = malloc(MAX_CONFIG_SIZE + 1);
    *len = buf ? fread(buf, 1, MAX_CONFIG_SIZE + 1, f) : 0;
    if ( !buf || ferror(f) || *len > MAX_CONFIG_SIZE )
    {
        fprintf(xl_err, "Failed to read config file: %s: %s\n", path,
                buf && !ferror(f) ? "larger than 1 MiB" : "read error");
        free(buf);
        buf = NULL;
    }
    else
        buf[*len] = '\0';
    fclose(f);
    return buf;
}

static int create_from(const char *path, char **overrides, int nr, bool paused, bool console)
{
    libxl_domain_config d;
    libxl_domain_create_opts opts = { .paused = paused };
    libxl_domid domid;
    char *text, *err = NULL;
    size_t len;
    int rc = 1;

    libxl_domain_config_init(&d);
    fprintf(xl_err, "Parsing config from %s\n", path);
    text = read_config(path, &len);
    if ( !text )
        goto out;
    if ( xl_config_from_text(path, text, len, overrides, nr, &d, &err, xl_err) )
    {
        fprintf(xl_err, "%s\n", err);
        goto out;
    }
    if ( libxl_domain_create_new(ctx, &d, &domid, &opts) )
    {
        rc = xl_fail("cannot create the domain");
        goto out;
    }
    rc = 0;
    if ( console && libxl_console_attach(ctx, domid, 0, LIBXL_CONSOLE_TYPE_PV, 0, 1) )
        rc = xl_fail("console");

out:
    free(err);
    free(text);
    libxl_domain_config_dispose(&d);
    return rc;
}

int main_create(int argc, char **argv)
{
    struct xl_opts o;
    int i;

    XL_GETOPTS(argc, argv, "cp", 1, -1, &o);
    for ( i = o.first + 1; i < argc; i++ )
        if ( !strchr(argv[i], '=') )
        {
            fprintf(xl_err, "xl create: \"%s\" is not key=value\n", argv[i]);
            return 1;
        }
    return create_from(argv[o.first], argv + o.first + 1, argc - o.first - 1, o.set['p'],
                       o.set['c']);
}

/* The one-domain commands: find it, then act. */
static int one_domain(int argc, char **argv, const char *allowed, struct xl_opts *o,
                      libxl_domid *domid)
{
    int rc = xl_getopts(argc, argv, allowed, 1, 1, o);

    if ( rc )
        return rc;
    return xl_find_domain(argv[o->first], domid);
}

int main_destroy(int argc, char **argv)
{
    struct xl_opts o;
    libxl_domid domid;
    int rc = one_domain(argc, argv, "", &o, &domid);

    if ( rc )
        return rc < 0 ? 0 : rc;
    if ( libxl_domain_destroy(ctx, domid, NULL) )
        return xl_fail("destroy failed");
    return 0;
}

static int shutdown_or_reboot(int argc, char **argv, bool reboot)
{
    struct xl_opts o;
    libxl_domid domid;
    int rc = one_domain(argc, argv, "wF", &o, &domid);

    if ( rc )
        return rc < 0 ? 0 : rc;
    rc = reboot ? libxl_domain_reboot(ctx, domid, NULL) : libxl_domain_shutdown(ctx, domid, NULL);
    if ( rc )
        return xl_fail(reboot ? "reboot failed" : "shutdown failed");
    if ( !o.set['w'] )
        return 0;
    fprintf(xl_err, "Waiting for 1 domains\n");
    if ( libxl_domain_wait_shutdown(ctx, domid, -1) )
        return xl_fail("waiting for the domain");
    fprintf(xl_err, "Domain %u has been shut down.\n", domid);
    return 0;
}

int main_shutdown(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, false);
}

int main_reboot(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, true);
}

int main_pause(int argc, char **argv)
{
    struct xl_opts o;
    libxl_domid domid;
    int rc = one_domain(argc, argv, "", &o, &domid);

    if ( rc )
        return rc < 0 ? 0 : rc;
    return libxl_domain_pause(ctx, domid, NULL) ? xl_fail("pause failed") : 0;
}

int main_unpause(int argc, char **argv)
{
    struct xl_opts o;
    libxl_domid domid;
    int rc = one_domain(argc, argv, "", &o, &domid);

    if ( rc )
        return rc < 0 ? 0 : rc;
    return libxl_domain_unpause(ctx, domid, NULL) ? xl_fail("unpause failed") : 0;
}

int main_console(int argc, char **argv)
{
    struct xl_opts o;
    libxl_domid domid;
    int rc = one_domain(argc, argv, "", &o, &domid);

    if ( rc )
        return rc < 0 ? 0 : rc;
    if ( libxl_console_attach(ctx, domid, 0, LIBXL_CONSOLE_TYPE_PV, STDIN_FILENO, STDOUT_FILENO) )
        return xl_fail("console");
    return 0;
}
