/* SPDX-License-Identifier: MIT */
/*
 * xl_cmdtable.c - xl's commands, one row each: name, function, usage,
 * help. Later issues add rows (save, restore, migrate, the p2m, ioreq and
 * altp2m commands); nothing else needs to change.
 *
 * Data only.
 */
#include <string.h>

#include "xl.h"

/* clang-format off */
const struct cmd_spec cmd_table[] = {
    { "create",    main_create,   "[-c] [-p] <ConfigFile> [key=value ...]",
      "Create a domain from config file <ConfigFile>" },
    { "list",      main_list,     "[-l] [-v] [Domain ...]",
      "List information about all or some domains" },
    { "destroy",   main_destroy,  "<Domain>",
      "Terminate a domain immediately" },
    { "shutdown",  main_shutdown, "[-w] [-F] <Domain>",
      "Issue a shutdown signal to a domain" },
    { "reboot",    main_reboot,   "[-w] [-F] <Domain>",
      "Issue a reboot signal to a domain" },
    { "pause",     main_pause,    "<Domain>",
      "Pause execution of a domain" },
    { "unpause",   main_unpause,  "<Domain>",
      "Unpause a paused domain" },
    { "console",   main_console,  "<Domain>",
      "Attach to domain's console (Ctrl-] leaves)" },
    { "save",      main_save,     "[-c] [-p] [--debug-break=STEP:GFN] <Domain> <CheckpointFile>",
      "Save a domain state to restore later (-c: keep it running, -p: paused)" },
    { "restore",   main_restore,  "[-p] <CheckpointFile>",
      "Restore a domain from a saved state (-p: leave it paused)" },
    { "migrate",   main_migrate,  "[-p] [--ring] [--debug-break=STEP:GFN] <Domain> <host>",
      "Move a running domain to host (localhost: this one) while it runs (-p: leave it paused there, --ring: dirty sets from the dirty rings)" },
    { "migrate-receive", main_migrate_receive, "[-p]",
      "Receive a domain from the peer machine's xl migrate over /dev/wren-link" },
    { "info",      main_info,     "",
      "Get information about Xen host" },
    { "dmesg",     main_dmesg,    "[-c]",
      "Read and/or clear dmesg buffer" },
    { "vcpu-list", main_vcpulist, "[Domain ...]",
      "List the VCPUs for all/some domains" },
    { "mem-set",   main_memset,   "<Domain> <Mem>",
      "Set the current memory usage for a domain" },
    { "mem-max",   main_memmax,   "<Domain> <Mem>",
      "Set the maximum amount reservation for a domain" },
    { "domid",     main_domid,    "<DomainName>",
      "Convert a domain name to domain id" },
    { "domname",   main_domname,  "<DomainId>",
      "Convert a domain id to domain name" },
    { "rename",    main_rename,   "<Domain> <NewDomainName>",
      "Rename a domain" },
    { "uptime",    main_uptime,   "[-s] [Domain ...]",
      "Print uptime for all/some domains" },
    { "ioreq-list", main_ioreq_list, "[Domain]",
      "List the IOREQ servers of wren-dm's domains, with their counters" },
    { "fork-vm",   main_fork_vm,  "[-p] [--max-vcpus=N] [--fork-reset] <Domain>",
      "Fork a domain into a new one, or reset a fork (--fork-reset)" },
    { "mem-share", main_memshare, "[-H] <DomA> <DomB> [FIRST-LAST] | -s [Domain...]",
      "Share the pages two domains hold identically (-H: at any gfn); -s: the counters" },
    { "help",      main_help,     "[command]",
      "Print this help" },
};
/* clang-format on */

const unsigned int cmd_table_nr = sizeof(cmd_table) / sizeof(cmd_table[0]);

const struct cmd_spec *cmdtable_lookup(const char *name)
{
    unsigned int i;

    for ( i = 0; i < cmd_table_nr; i++ )
        if ( !strcmp(cmd_table[i].name, name) )
            return &cmd_table[i];
    return NULL;
}
