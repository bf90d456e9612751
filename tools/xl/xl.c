/* SPDX-License-Identifier: MIT */
/*
 * xl.c - xl_main(), the entry point dom0's shell calls with a command
 * line, and what every command shares: options, domain arguments, help,
 * error reports.
 *
 * It keeps no state between calls except the libxl context it opens and
 * closes within each call; it reaches domains only through libxl.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

libxl_ctx *ctx;
FILE *xl_out, *xl_err;

void xl_help_command(FILE *f, const struct cmd_spec *c)
{
    fprintf(f, "Usage: xl %s%s%s\n\n%s.\n", c->name, c->usage[0] ? " " : "", c->usage, c->help);
}

static void usage_error(const char *cmd)
{
    const struct cmd_spec *c = cmdtable_lookup(cmd);

    if ( c )
        xl_help_command(xl_err, c);
}

/* One "-xyz" word of options. 0, or the exit code. */
static int opt_word(const char *cmd, const char *word, const char *allowed, struct xl_opts *o)
{
    const char *p;

    for ( p = word + 1; *p; p++ )
    {
        if ( *p == 'h' )
        {
            xl_help_command(xl_out, cmdtable_lookup(cmd));
            return -1;
        }
        if ( (unsigned char)*p >= 128 || !strchr(allowed, *p) )
        {
            fprintf(xl_err, "xl %s: invalid option -- '%c'\n", cmd, *p);
            usage_error(cmd);
            return 1;
        }
        o->set[(unsigned char)*p] = true;
    }
    return 0;
}

int xl_getopts(int argc, char **argv, const char *allowed, int min_operands, int max_operands,
               struct xl_opts *o)
{
    int i, rc, n;

    memset(o, 0, sizeof(*o));
    for ( i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++ )
    {
        if ( !strcmp(argv[i], "--") )
        {
            i++;
            break;
        }
        rc = opt_word(argv[0], argv[i], allowed, o);
        if ( rc )
            return rc;
    }
    o->first = i;
    n = argc - i;
    if ( n < min_operands || (max_operands >= 0 && n > max_operands) )
    {
        fprintf(xl_err, "xl %s: %s\n", argv[0],
                n < min_operands ? "not enough arguments" : "too many arguments");
        usage_error(argv[0]);
        return 1;
    }
    return 0;
}

int xl_fail(const char *what)
{
    fprintf(xl_err, "xl: %s: %s\n", what, libxl_ctx_last_error(ctx));
    return 1;
}

int xl_find_domain(const char *p, libxl_domid *domid)
{
    char *end;
    unsigned long n = strtoul(p, &end, 10);

    if ( p[0] >= '0' && p[0] <= '9' && !*end && n < INVALID_DOMID )
    {
        *domid = n;
        if ( !libxl_domain_info(ctx, NULL, *domid) )
            return 0;
    }
    else if ( !libxl_name_to_domid(ctx, p, domid) )
        return 0;
    fprintf(xl_err, "Error: Domain '%s' does not exist.\n", p);
    return 1;
}

static void help_all(FILE *f)
{
    unsigned int i;

    fprintf(f, "Usage xl <subcommand> [args]\n\nxl full list of subcommands:\n\n");
    for ( i = 0; i < cmd_table_nr; i++ )
        fprintf(f, " %-19s %s\n", cmd_table[i].name, cmd_table[i].help);
}

int main_help(int argc, char **argv)
{
    const struct cmd_spec *c;

    if ( argc < 2 )
    {
        help_all(xl_out);
        return 0;
    }
    c = cmdtable_lookup(argv[1]);
    if ( !c )
    {
        fprintf(xl_err, "xl: unknown command '%s'\n", argv[1]);
        return 1;
    }
    xl_help_command(xl_out, c);
    return 0;
}

/* Commands that need no hypervisor. */
static bool needs_ctx(const struct cmd_spec *c)
{
    return c->fn != main_help;
}

int xl_main(int argc, char **argv)
{
    const struct cmd_spec *c;
    bool own_ctx = false;
    int rc;

    xl_out = xl_out ? xl_out : stdout;
    xl_err = xl_err ? xl_err : stderr;
    if ( argc < 2 )
    {
        help_all(xl_err);
        return 1;
    }
    c = cmdtable_lookup(argv[1]);
    if ( !c )
    {
        fprintf(xl_err, "xl: unknown command '%s'\n", argv[1]);
        return 1;
    }
    if ( needs_ctx(c) && !ctx )
    {
        if ( libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, NULL) )
        {
            fprintf(xl_err, "xl: cannot open the hypervisor and xenstore interfaces: %s\n",
                    strerror(errno));
            return 1;
        }
        own_ctx = true;
    }
    /* Domains that went down since the last command get their on_*
     * action now (dom0 has no monitor process to do it sooner). */
    if ( ctx )
        libxl_domain_death_poll(ctx);
    rc = c->fn(argc - 1, argv + 1);
    fflush(xl_out);
    if ( own_ctx )
    {
        libxl_ctx_free(ctx);
        ctx = NULL;
    }
    return rc;
}
