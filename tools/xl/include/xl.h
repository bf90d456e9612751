/* SPDX-License-Identifier: MIT */
/*
 * xl.h - the xl command line: its entry point (dom0's shell calls
 * xl_main), its command table, and the config-file reader it shares with
 * its tests.
 *
 * xl reaches domains only through libxl.h; it prints results on stdout,
 * errors on stderr, and returns Xen's exit codes (0 success, 1 failure).
 */
#ifndef XL_H
#define XL_H

#include <stdbool.h>
#include <stdio.h>

#include "libxl.h"
#include "xlu_cfg.h"

int xl_main(int argc, char **argv);

/* One row per command: later issues add save/restore/migrate and the
 * p2m/ioreq/altp2m commands by adding rows. */
struct cmd_spec
{
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage; /* the arguments, after the name */
    const char *help;  /* one line */
};
extern const struct cmd_spec cmd_table[];
extern const unsigned int cmd_table_nr;
const struct cmd_spec *cmdtable_lookup(const char *name);

/* The context every command uses, opened by xl_main (or a test), and
 * where output and errors go (stdout and stderr unless a test says). */
extern libxl_ctx *ctx;
extern FILE *xl_out, *xl_err;

/* The options of one command: flag letters without arguments, Xen's. */
struct xl_opts
{
    bool set[128];
    int first; /* argv index of the first operand */
};
/* 0 to go on; 1 after a usage error (usage printed); -1 after -h (help
 * printed: the command returns 0). Options come before operands;
 * max_operands -1 is no limit. */
int xl_getopts(int argc, char **argv, const char *allowed, int min_operands, int max_operands,
               struct xl_opts *o);
#define XL_GETOPTS(argc, argv, allowed, min, max, o)           \
    do                                                         \
    {                                                          \
        int r_ = xl_getopts(argc, argv, allowed, min, max, o); \
        if ( r_ )                                              \
            return r_ < 0 ? 0 : r_;                            \
    } while ( 0 )
/* Test only: take every --debug-break=STEP:GFN out of argv and arm
 * libxl's frame break with it (xl save, xl migrate). 0, or 1 with the
 * problem named on stderr. */
int xl_take_debug_break(const char *cmd, int *argc, char **argv);
/* "Usage: xl NAME USAGE" and the help line, on f. */
void xl_help_command(FILE *f, const struct cmd_spec *c);
/* Print "xl: <what>: <libxl's message>" on stderr; returns 1. */
int xl_fail(const char *what);

/* The commands (one row each in the table). */
int main_create(int argc, char **argv);
int main_fork_vm(int argc, char **argv);
int main_list(int argc, char **argv);
int main_destroy(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_pause(int argc, char **argv);
int main_unpause(int argc, char **argv);
int main_console(int argc, char **argv);
int main_info(int argc, char **argv);
int main_dmesg(int argc, char **argv);
int main_vcpulist(int argc, char **argv);
int main_memset(int argc, char **argv);
int main_memshare(int argc, char **argv);
int main_memmax(int argc, char **argv);
int main_domid(int argc, char **argv);
int main_domname(int argc, char **argv);
int main_rename(int argc, char **argv);
int main_uptime(int argc, char **argv);
int main_help(int argc, char **argv);
int main_ioreq_list(int argc, char **argv);
int main_save(int argc, char **argv);
int main_restore(int argc, char **argv);
int main_migrate(int argc, char **argv);
int main_migrate_receive(int argc, char **argv);

/* The xl save-file header with domid's config as xl text (save and
 * migrate); 0, or -1 after a message on xl_err starting with who. */
int xl_write_save_header(int fd, libxl_domid domid, const char *who);
/* The header read back and checked; *text the config, *nodes the
 * guest nodes the saved domain had announced (NULL: none; for
 * libxl_domain_create_opts.guest_nodes), both malloc()ed, NUL-ended and
 * freed by the caller even on failure. 0, or -1 after a message naming
 * path. */
int xl_read_save_header(int fd, const char *path, char **text, size_t *len, char **nodes);

/* Fill d_config from cfg's settings: every key checked, defaults filled,
 * the command line composed. 0, or ERROR_INVAL with cfg->error naming
 * file, line and key (or ERROR_NOMEM). Warnings go to warn. */
int xl_parse_config(XLU_Config *cfg, libxl_domain_config *d_config, FILE *warn);

/* Read text (the file filename) and the "key=value" overrides, then fill
 * d_config. On failure *err is a malloc()ed message for the caller. */
int xl_config_from_text(const char *filename, const char *text, size_t len, char **overrides,
                        int nr_overrides, libxl_domain_config *d_config, char **err, FILE *warn);

/* A domain argument: a number, or a name. 0, or 1 after printing Xen's
 * "Error: Domain 'x' does not exist." */
int xl_find_domain(const char *p, libxl_domid *domid);

#endif /* XL_H */
