/*
 * builtins.c - the commands dom0 runs itself (help, ls, cat, echo, true,
 * false, exit/poweroff, selftest), and dispatching a command line: a
 * built-in, or "xl ..." to the toolstack's xl_main().
 *
 * May not touch: anything a command is not asked to; ls and cat only
 * read.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "dom0.h"

#define MAX_WORDS 64

static int cmd_help(int argc, char **argv)
{
    printf("commands: xl <args> | ls [dir] | cat <file>... | echo <words> | true | false\n"
           "          selftest [name...] | help | exit [n] | poweroff\n"
           "          xenstore-read|-write|-rm|-ls ... | sleep S\n"
           "          wait-xs PATH [=V|>=N] [S] | wait-console DOMID TEXT [S]\n"
           "          wait-gone NAME [S] | repeat N \"CMD; CMD...\"\n"
           "          free-pages save|same\n");
    return 0;
}

static int ls_one(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if ( !d )
    {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    while ( (e = readdir(d)) )
        printf("%s%s\n", e->d_name, e->d_type == DT_DIR ? "/" : "");
    closedir(d);
    return 0;
}

static int cmd_ls(int argc, char **argv)
{
    int rc = 0;
    if ( argc < 2 )
        return ls_one("/");
    for ( int i = 1; i < argc; i++ )
        rc |= ls_one(argv[i]);
    return rc;
}

static int cmd_cat(int argc, char **argv)
{
    char buf[512];
    int rc = 0;
    for ( int i = 1; i < argc; i++ )
    {
        FILE *f = fopen(argv[i], "r");
        size_t n;
        if ( !f )
        {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
            continue;
        }
        while ( (n = fread(buf, 1, sizeof(buf), f)) )
            fwrite(buf, 1, n, stdout);
        fclose(f);
    }
    return rc;
}

static int cmd_echo(int argc, char **argv)
{
    for ( int i = 1; i < argc; i++ )
        printf("%s%s", argv[i], i + 1 < argc ? " " : "");
    printf("\n");
    return 0;
}

static int cmd_exit(int argc, char **argv)
{
    fflush(NULL);
    exit(argc > 1 ? atoi(argv[1]) : 0);
}

static int cmd_true(int argc, char **argv)
{
    return 0;
}

static int cmd_false(int argc, char **argv)
{
    return 1;
}

static int cmd_xl(int argc, char **argv)
{
    optind = 1; /* xl parses options with getopt: start afresh each time */
    return xl_main(argc, argv);
}

static const struct
{
    const char *name;
    int (*fn)(int argc, char **argv);
} builtins[] = {
    { "help", cmd_help },
    { "ls", cmd_ls },
    { "cat", cmd_cat },
    { "echo", cmd_echo },
    { "exit", cmd_exit },
    { "poweroff", cmd_exit },
    { "true", cmd_true },
    { "false", cmd_false },
    { "selftest", dom0_selftest },
    { "xl", cmd_xl },
    { "sleep", dom0_cmd_sleep },
    { "xenstore-read", dom0_cmd_xenstore_read },
    { "xenstore-write", dom0_cmd_xenstore_write },
    { "xenstore-rm", dom0_cmd_xenstore_rm },
    { "xenstore-ls", dom0_cmd_xenstore_ls },
    { "wait-xs", dom0_cmd_wait_xs },
    { "wait-console", dom0_cmd_wait_console },
    { "console-send", dom0_cmd_console_send },
    { "free-pages", dom0_cmd_free_pages },
    { "wait-gone", dom0_cmd_wait_gone },
    { "xen-mceinj", dom0_cmd_mceinj },
    { "xen-access", dom0_cmd_xen_access },
    { "repeat", dom0_cmd_repeat },
    { "expect-output", dom0_cmd_expect_output },
    { "uart-input", dom0_cmd_uart_input },
    { "wait-uart", dom0_cmd_wait_uart },
    { "wait-dm", dom0_cmd_wait_dm },
    { "link-check", dom0_cmd_link_check },
};

int dom0_builtin(int argc, char **argv, bool *found)
{
    for ( size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++ )
        if ( !strcmp(argv[0], builtins[i].name) )
        {
            *found = true;
            return builtins[i].fn(argc, argv);
        }
    *found = false;
    return 127;
}

int dom0_run_line(const char *line)
{
    char copy[1024], *argv[MAX_WORDS];
    bool found;
    int argc, rc;
    if ( snprintf(copy, sizeof(copy), "%s", line) >= (int)sizeof(copy) )
    {
        fprintf(stderr, "dom0: command line too long\n");
        return 2;
    }
    argc = dom0_split(copy, argv, MAX_WORDS);
    if ( argc < 0 )
    {
        fprintf(stderr, "dom0: %s\n", argc == -1 ? "unterminated quote" : "too many words");
        return 2;
    }
    if ( !argc )
        return 0;
    rc = dom0_builtin(argc, argv, &found);
    if ( !found )
        fprintf(stderr, "dom0: %s: no such command (try help)\n", argv[0]);
    fflush(NULL);
    return rc;
}
