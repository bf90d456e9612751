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

/* The context every command uses, opened by xl_main (or a test). */
extern libxl_ctx *ctx;

/* Fill d_config from cfg's settings: every key checked, defaults filled,
 * the command line composed. 0, or ERROR_INVAL with cfg->error naming
 * file, line and key (or ERROR_NOMEM). Warnings go to warn. */
int xl_parse_config(XLU_Config *cfg, libxl_domain_config *d_config, FILE *warn);

/* Read text (the file filename) and the "key=value" overrides, then fill
 * d_config. On failure *err is a malloc()ed message for the caller. */
int xl_config_from_text(const char *filename, const char *text, size_t len, char **overrides,
                        int nr_overrides, libxl_domain_config *d_config, char **err, FILE *warn);

/* Parse a domain argument: a number, or a name; exit code style messages
 * on stderr. 0 or 1. */
int xl_find_domain(const char *p, libxl_domid *domid);

#endif /* XL_H */
