/*
 * stub-libxl.h - what the stand-in libxl of stub-libxl.c remembers of
 * the calls xl made, for test-xl.c to check.
 */
#ifndef STUB_LIBXL_H
#define STUB_LIBXL_H

#include "libxl.h"

struct stub_state
{
    const char *last_action;
    libxl_domid last_domid;
    libxl_domain_config created;
    bool create_paused, waited;
    int dmesg_clear;
    int death_polls;
    int64_t kb;
    char arg[64];
    char error[128];
    bool fail_suspend;   /* libxl_domain_suspend fails */
    char break_step[16]; /* libxl_debug_break_gfn's, "" if not armed */
    uint64_t break_gfn;
    char actions[128];        /* every action, space-separated */
    const char *guest_nodes;  /* libxl_domain_guest_nodes' answer (NULL: "") */
    bool fail_guest_nodes;    /* ... fails */
    char restored_nodes[600]; /* the restore's opts->guest_nodes ("-": NULL) */
    libxl_domid share_b;      /* libxl_mem_share's second domain */
    uint64_t share_first, share_last;
    bool share_by_hash;
};
extern struct stub_state stub;

void stub_reset(void);

#endif /* STUB_LIBXL_H */
