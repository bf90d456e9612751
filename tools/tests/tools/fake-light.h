/*
 * fake-light.h - test doubles of the libraries under tools/libs/light
 * (libxenctrl, libxenguest, libxenforeignmemory, libxenstore): an
 * in-memory hypervisor with domains and ports, and an in-memory store
 * with permissions, transactions and introductions, so that libxl-style
 * code runs on the host.
 *
 * Fault injection: fake_fail_call(n) makes the n-th call (counted over
 * every faked function from now on) fail once with EIO, so a test can
 * fail each step of an operation in turn. The doubles touch only their
 * own state.
 */
#ifndef FAKE_LIGHT_H
#define FAKE_LIGHT_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_MAX_DOMS 16

struct fake_dom
{
    bool exists;
    bool paused, shutdown, dying;
    unsigned int shutdown_reason;
    uint64_t maxmem_kb, pool_bytes;
    uint64_t altp2m; /* HVM_PARAM_ALTP2M as set */
    unsigned int nr_ports, max_vcpus;
    bool built;
    uint8_t handle[16];
    /* Its guest, seen at each xs_check_watch: takes a "suspend" in its
     * control/shutdown (empties it), and then suspends unless it only
     * takes requests. */
    bool guest_takes_suspend, guest_only_takes;
    unsigned int resumed, resumed_fast; /* xc_domain_resume calls */
};

struct fake_state
{
    struct fake_dom dom[FAKE_MAX_DOMS];
    unsigned long calls;     /* faked calls so far */
    unsigned long fail_at;   /* 0: none */
    const char *failed_call; /* the one that failed */
    int open_handles;        /* xc + fmem + xs, open minus closed */
    bool introduced[FAKE_MAX_DOMS];
    bool console_added[FAKE_MAX_DOMS]; /* registered with the console daemon */
    int txn_eagain;                    /* transaction ends to fail with EAGAIN */
    unsigned int check_watch_calls;
    int shutdown_after_checks; /* mark shutdown_domid after that many */
    unsigned int shutdown_domid;
    char console[256];   /* the hypervisor's console ring */
    uint32_t save_flags; /* the last xc_domain_save's */
    unsigned int saves;
    bool save_fails; /* xc_domain_save fails once the guest is stopped */
    /* xc_wren_break_gfn's last call (broke_domid -1: none), and the step
     * of xc_domain_save's final_step hook it came in */
    int broke_domid;
    uint64_t broke_gfn;
    int broke_at_step;
};
extern struct fake_state fake;

/* Empty hypervisor with dom0 only, empty store. */
void fake_reset(void);
void fake_fail_call(unsigned long nth_from_now);

/* The store. */
unsigned int fake_store_count(void);                     /* nodes, "/" not counted */
unsigned int fake_store_count_under(const char *prefix); /* paths starting so */
const char *fake_store_read(const char *path);           /* NULL if absent */
/* The permission list of path as "n0 r5" style text ("" if absent). */
const char *fake_store_perms(const char *path);
void fake_store_write(const char *path, const char *value);

#endif /* FAKE_LIGHT_H */
