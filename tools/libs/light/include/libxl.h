/* SPDX-License-Identifier: MIT */
/*
 * libxl.h - Wren's libxl-style layer (tools/libs/light): what xl needs to
 * create, inspect and end domains, under Xen's libxl names and error
 * codes so that xl's code reads as Xen's does.
 *
 * It sits on libxenctrl, libxenguest, libxenstore and libxenevtchn and
 * may not reach the hypervisor any other way. It prints nothing: a
 * failure returns an ERROR_* code and leaves a message for
 * libxl_ctx_last_error(). Every call that fails part-way undoes what it
 * did (a failed create leaves no domain, no store node and no port).
 *
 * Conventions (Xen's): functions return 0 or a negative ERROR_*; a type
 * with pointers has _init (everything empty) and _dispose (frees, may be
 * called after a failed fill, and again after _init).
 */
#ifndef LIBXL_H
#define LIBXL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The error codes: Xen's libxl_error values. */
/* clang-format off */
#define ERROR_NONSPECIFIC       (-1)
#define ERROR_VERSION           (-2)
#define ERROR_FAIL              (-3)  /* a lower layer failed */
#define ERROR_NI                (-4)  /* not implemented */
#define ERROR_NOMEM             (-5)
#define ERROR_INVAL             (-6)  /* a bad argument or configuration */
#define ERROR_BADFAIL           (-7)  /* failed, and could not undo all of it */
#define ERROR_GUEST_TIMEDOUT    (-8)
#define ERROR_TIMEDOUT          (-9)
#define ERROR_NOT_READY         (-11)
#define ERROR_BUFFERFULL        (-13)
#define ERROR_DOMAIN_NOTFOUND   (-21) /* no domain with that id or name */
#define ERROR_ABORTED           (-22)
#define ERROR_NOTFOUND          (-23) /* no such item (e.g. a vCPU) */
#define ERROR_DOMAIN_DESTROYED  (-24)
/* clang-format on */

typedef uint32_t libxl_domid;
#define INVALID_DOMID (~(libxl_domid)0)

typedef struct
{
    uint8_t bytes[16];
} libxl_uuid;
#define LIBXL_UUID_FMT "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x"
/* Buffer for the text form, with its NUL. */
#define LIBXL_UUID_STRLEN 37
void libxl_uuid_to_string(const libxl_uuid *u, char out[LIBXL_UUID_STRLEN]);
/* 0, or ERROR_INVAL unless s is 8-4-4-4-12 hex digits. */
int libxl_uuid_from_string(libxl_uuid *u, const char *s);
bool libxl_uuid_is_nil(const libxl_uuid *u);

/* Xen's libxl_domain_type values; Wren builds PVH only. */
typedef enum
{
    LIBXL_DOMAIN_TYPE_INVALID = -1,
    LIBXL_DOMAIN_TYPE_HVM = 1,
    LIBXL_DOMAIN_TYPE_PV = 2,
    LIBXL_DOMAIN_TYPE_PVH = 3,
} libxl_domain_type;

/* Xen's libxl_action_on_shutdown values; Wren does DESTROY and RESTART. */
typedef enum
{
    LIBXL_ACTION_ON_SHUTDOWN_DESTROY = 1,
    LIBXL_ACTION_ON_SHUTDOWN_RESTART = 2,
    LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME = 3,
    LIBXL_ACTION_ON_SHUTDOWN_PRESERVE = 4,
} libxl_action_on_shutdown;

/* Wren's own: how log-dirty mode tracks writes (public/wren.h's
 * WREN_LOGDIRTY_MECH_*, same values), used when log-dirty is enabled
 * (save, migrate); OFF refuses log-dirty mode for the domain. */
typedef enum
{
    LIBXL_LOGDIRTY_OFF = -1,
    LIBXL_LOGDIRTY_DEFAULT = 0,
    LIBXL_LOGDIRTY_WP = 1,
    LIBXL_LOGDIRTY_PML = 2,
    LIBXL_LOGDIRTY_AD = 3,
} libxl_logdirty;

const char *libxl_action_on_shutdown_to_string(libxl_action_on_shutdown a);
const char *libxl_logdirty_to_string(libxl_logdirty l);

/* altp2m = "...": HVM_PARAM_ALTP2M's mode (Xen's libxl names and values):
 * who may use the domain's altp2m views (docs/designs/altp2m-sharing.md). */
typedef enum
{
    LIBXL_ALTP2M_MODE_DISABLED = 0,
    LIBXL_ALTP2M_MODE_MIXED = 1,
    LIBXL_ALTP2M_MODE_EXTERNAL = 2,
    LIBXL_ALTP2M_MODE_LIMITED = 3,
} libxl_altp2m_mode;

const char *libxl_altp2m_mode_to_string(libxl_altp2m_mode m);

/* device_model = "wren-dm": dom0's device model serves the domain from
 * before it first runs until it is destroyed (tools/dm). */
typedef enum
{
    LIBXL_DEVICE_MODEL_NONE = 0,
    LIBXL_DEVICE_MODEL_WREN_DM = 1,
} libxl_device_model;

typedef struct
{
    libxl_domain_type type;
    char *name;
    libxl_uuid uuid; /* nil: one is made up at create */
} libxl_domain_create_info;

typedef struct
{
    unsigned int max_vcpus;   /* maxvcpus (default: vcpus) */
    unsigned int avail_vcpus; /* vcpus */
    uint64_t max_memkb;       /* maxmem */
    uint64_t target_memkb;    /* memory */
    uint64_t p2m_pool_kb;     /* 0: the hypervisor's default */
    libxl_logdirty logdirty;
    libxl_device_model device_model;
    libxl_altp2m_mode altp2m;
    char *kernel; /* a path */
    char *ramdisk;
    char *cmdline;
} libxl_domain_build_info;

typedef struct
{
    libxl_domain_create_info c_info;
    libxl_domain_build_info b_info;
    libxl_action_on_shutdown on_poweroff;
    libxl_action_on_shutdown on_reboot;
    libxl_action_on_shutdown on_crash;
} libxl_domain_config;

void libxl_domain_config_init(libxl_domain_config *d_config);
void libxl_domain_config_dispose(libxl_domain_config *d_config);
/* The configuration as JSON, in Xen's layout ("c_info", "b_info", "on_*");
 * a malloc()ed string, or NULL when out of memory. */
char *libxl_domain_config_to_json(const libxl_domain_config *d_config);

/* The configuration domid was created with (xl list -l); ERROR_NOTFOUND
 * for a domain not created through this library in this dom0. */
typedef struct libxl__ctx libxl_ctx;
int libxl_retrieve_domain_configuration(libxl_ctx *ctx, libxl_domid domid,
                                        libxl_domain_config *d_config);

/* --- the context ------------------------------------------------------- */
#define LIBXL_VERSION 0
/* Opens the lower libraries; ERROR_FAIL if one will not open. */
int libxl_ctx_alloc(libxl_ctx **pctx, int version, unsigned int flags, void *lg);
int libxl_ctx_free(libxl_ctx *ctx);
/* Why the last call on ctx failed (never NULL; "" if it did not). */
const char *libxl_ctx_last_error(const libxl_ctx *ctx);

/* --- domains ------------------------------------------------------------ */
/* Reports once the domain runs (or is built paused, with -p). */
typedef struct
{
    bool paused; /* leave it paused (xl create -p) */
    /* The guest's own announcements from the domain it was saved from
     * (libxl_domain_guest_nodes' text), written into the new domain's
     * store before it first runs; NULL: none. Checked before anything
     * is made: a line libxl would not have produced is ERROR_INVAL. */
    const char *guest_nodes;
} libxl_domain_create_opts;
int libxl_domain_create_new(libxl_ctx *ctx, libxl_domain_config *d_config, libxl_domid *domid,
                            const libxl_domain_create_opts *opts);
/* The same domain, its memory and state read from the migration stream
 * at restore_fd (docs/designs/migration-stream.md) instead of built; a
 * refused stream leaves no domain. */
int libxl_domain_create_restore(libxl_ctx *ctx, libxl_domain_config *d_config, libxl_domid *domid,
                                int restore_fd, const libxl_domain_create_opts *opts);
/* Write domid as a migration stream to fd. A guest with
 * control/feature-suspend = "1" is asked to suspend before the final
 * round (its control/shutdown), any other is paused. On success the
 * domain is left paused, and suspended if it was asked (the caller
 * destroys it, or resumes and unpauses it); on failure it runs as
 * before. flags: 0 or LIBXL_SUSPEND_LIVE. */
int libxl_domain_suspend(libxl_ctx *ctx, libxl_domid domid, int fd, int flags, const void *ao_how);
/* What a guest announced in its store (control/feature-poweroff,
 * -reboot, -suspend: the nodes libxl lets it write there) and will not
 * announce again after a resume in a new domain, as text for
 * libxl_domain_create_opts.guest_nodes: "KEY=VALUE\n" per node the
 * guest set, KEY relative to its /local/domain/N, VALUE 1 to 16 letters
 * or digits (a node it left empty or set otherwise is not carried).
 * *text is malloc()ed, "" when there is none. */
#define LIBXL_GUEST_NODES_MAX 512
int libxl_domain_guest_nodes(libxl_ctx *ctx, libxl_domid domid, char **text);
/* A domain that suspended itself runs on (the controller's pause is
 * left as it is); suspend_cancel: its suspend hypercall returns 1, so it
 * knows it is where it was. A domain that is not shut down is left
 * alone (0); one shut down for another reason is ERROR_INVAL. */
int libxl_domain_resume(libxl_ctx *ctx, libxl_domid domid, int suspend_cancel, const void *ao_how);
/* Live migration (docs/designs/live-migration.md): flags
 * LIBXL_SUSPEND_LIVE sends pre-copy rounds while the domain runs;
 * LIBXL_SUSPEND_RING (with LIVE) takes each round's dirty set from the
 * per-vCPU dirty rings ("The dirty ring"). */
#define LIBXL_SUSPEND_LIVE (1 << 0)
#define LIBXL_SUSPEND_RING (1 << 1)
typedef struct
{
    unsigned int round, final; /* 1-based; final: the domain was paused */
    uint64_t pfns, pages_sent, pages_dirtied, ns;
} libxl_save_round;
typedef struct
{
    /* in */
    void (*round_done)(void *data, const libxl_save_round *r); /* NULL: none */
    void *data;
    unsigned int max_rounds;  /* 0: the library's default */
    uint64_t dirty_threshold; /* 0: the library's default */
    /* out */
    uint64_t rounds, pages_sent, guest_pages, final_pages, final_dirty;
    libxl_logdirty logdirty;      /* the mechanism a live save used */
    libxl_logdirty logdirty_best; /* the platform's best (mode 0's pick) */
    uint64_t logging_exits, pml_entries;
    uint64_t ring_entries, ring_bitmap_rounds, ring_full_exits; /* LIBXL_SUSPEND_RING */
} libxl_save_opts;
/* libxl_domain_suspend with options (opts may be NULL). */
int libxl_domain_suspend_opts(libxl_ctx *ctx, libxl_domid domid, int fd, int flags,
                              libxl_save_opts *opts);
/* Test only (xl save/migrate --debug-break, docs/man/xl.1.md): the next
 * suspend through ctx breaks the guest frame gfn with a software machine
 * check at one step of its final round: "stopped", "query", "copy",
 * "copying", "sent" or "tail" (docs/designs/live-migration.md, "The
 * final round's cases"); a batch step fires at the batch holding gfn.
 * ERROR_INVAL for an unknown step. */
int libxl_debug_break_gfn(libxl_ctx *ctx, const char *step, uint64_t gfn);
/* VM fork (libxl_fork.c): a new domain made a fork of pdomid, paused,
 * with max_vcpus vCPUs (0: the parent's count); it runs once unpaused.
 * And the reset of a fork to its parent's memory and vCPU state. */
int libxl_domain_fork_vm(libxl_ctx *ctx, uint32_t pdomid, uint32_t max_vcpus, uint32_t *domid);
int libxl_domain_fork_reset(libxl_ctx *ctx, uint32_t domid);
int libxl_domain_destroy(libxl_ctx *ctx, libxl_domid domid, const void *ao_how);
int libxl_domain_pause(libxl_ctx *ctx, libxl_domid domid, const void *ao_how);
int libxl_domain_unpause(libxl_ctx *ctx, libxl_domid domid, const void *ao_how);
/* Ask the guest (control/shutdown); it decides when to go. */
int libxl_domain_shutdown(libxl_ctx *ctx, libxl_domid domid, const void *ao_how);
int libxl_domain_reboot(libxl_ctx *ctx, libxl_domid domid, const void *ao_how);
/* Wait until the domain has shut down or gone, then apply its on_* action
 * if this process created it; ERROR_TIMEDOUT after timeout_ms (negative:
 * forever). */
int libxl_domain_wait_shutdown(libxl_ctx *ctx, libxl_domid domid, int timeout_ms);
int libxl_domain_rename(libxl_ctx *ctx, libxl_domid domid, const char *old_name,
                        const char *new_name);
int libxl_set_memory_target(libxl_ctx *ctx, libxl_domid domid, int64_t target_memkb, int relative,
                            int enforce);
int libxl_domain_setmaxmem(libxl_ctx *ctx, libxl_domid domid, uint64_t max_memkb);

/* Xen's libxl_shutdown_reason values (SHUTDOWN_* of sched.h). */
typedef enum
{
    LIBXL_SHUTDOWN_REASON_UNKNOWN = -1,
    LIBXL_SHUTDOWN_REASON_POWEROFF = 0,
    LIBXL_SHUTDOWN_REASON_REBOOT = 1,
    LIBXL_SHUTDOWN_REASON_SUSPEND = 2,
    LIBXL_SHUTDOWN_REASON_CRASH = 3,
    LIBXL_SHUTDOWN_REASON_WATCHDOG = 4,
    LIBXL_SHUTDOWN_REASON_SOFT_RESET = 5,
} libxl_shutdown_reason;

typedef struct
{
    libxl_uuid uuid;
    libxl_domid domid;
    bool running, blocked, paused, shutdown, dying;
    libxl_shutdown_reason shutdown_reason;
    uint64_t outstanding_memkb;
    uint64_t current_memkb;
    uint64_t max_memkb;
    uint64_t cpu_time; /* ns */
    uint32_t vcpu_max_id;
    uint32_t vcpu_online;
    libxl_domain_type domain_type;
} libxl_dominfo;

void libxl_dominfo_init(libxl_dominfo *info);
void libxl_dominfo_dispose(libxl_dominfo *info);
/* ERROR_DOMAIN_NOTFOUND if there is no such domain. info may be NULL. */
int libxl_domain_info(libxl_ctx *ctx, libxl_dominfo *info, libxl_domid domid);
/* Every domain, in id order; NULL (and *nb_domain 0) on failure. */
libxl_dominfo *libxl_list_domain(libxl_ctx *ctx, int *nb_domain);
void libxl_dominfo_list_free(libxl_dominfo *list, int nb_domain);

/* Names: from the store's /local/domain/N/name (dom0: "Domain-0"). */
int libxl_name_to_domid(libxl_ctx *ctx, const char *name, libxl_domid *domid);
/* A malloc()ed name, or NULL if the domain has none. */
char *libxl_domid_to_name(libxl_ctx *ctx, libxl_domid domid);
/* How long the domain has run (its /vm/<uuid>/start_time), seconds. */
int libxl_domain_uptime(libxl_ctx *ctx, libxl_domid domid, uint64_t *seconds);

typedef struct
{
    uint32_t vcpuid;
    uint32_t cpu;
    bool online, blocked, running;
    uint64_t vcpu_time; /* ns */
} libxl_vcpuinfo;
libxl_vcpuinfo *libxl_list_vcpu(libxl_ctx *ctx, libxl_domid domid, int *nb_vcpu, int *nr_cpus_out);
void libxl_vcpuinfo_list_free(libxl_vcpuinfo *list, int nr);

/* --- memory sharing (libxl_memshare.c) ----------------------------------- */
typedef struct
{
    uint64_t compared;  /* page pairs read and compared */
    uint64_t identical; /* of those, the same bytes */
    uint64_t shared;    /* pairs this call shared */
    uint64_t saved;     /* frames the host got back meanwhile */
} libxl_mem_share_result;

/* Share the pages a and b hold identically in gfns [first, last] (cut
 * to both domains' RAM): at the same gfn, or with by_hash at any gfn of
 * a. Both are paused meanwhile. ERROR_INVAL (dom0, a == b, first >
 * last), ERROR_DOMAIN_NOTFOUND, ERROR_FAIL; *r says what was done. */
int libxl_mem_share(libxl_ctx *ctx, libxl_domid a, libxl_domid b, uint64_t first, uint64_t last,
                    bool by_hash, libxl_mem_share_result *r);

typedef struct
{
    uint64_t shared_frames; /* frames shared now, host-wide */
    uint64_t saved_frames;  /* frames sharing saved, host-wide */
    uint64_t audit_errors;  /* what the hypervisor's audit found */
} libxl_mem_share_info_t;
int libxl_mem_share_info(libxl_ctx *ctx, libxl_mem_share_info_t *info);
/* The domain's entries that map shared frames (Xen's shr_pages). */
int libxl_domain_shared_pages(libxl_ctx *ctx, libxl_domid domid, uint64_t *pages);

/* --- the host ----------------------------------------------------------- */
typedef struct
{
    uint32_t threads_per_core, cores_per_socket;
    uint32_t max_cpu_id, nr_cpus, cpu_khz;
    uint64_t total_pages, free_pages, scrub_pages, outstanding_pages;
    uint32_t nr_nodes;
    uint32_t hw_cap[8];
    bool cap_hvm, cap_pv, cap_hap, cap_shadow;
} libxl_physinfo;
void libxl_physinfo_init(libxl_physinfo *p);
void libxl_physinfo_dispose(libxl_physinfo *p);
int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *physinfo);

typedef struct
{
    int xen_version_major, xen_version_minor;
    char *xen_version_extra;
    char *compiler, *compile_by, *compile_domain, *compile_date;
    char *capabilities;
    char *changeset;
    unsigned long pagesize;
    char *commandline;
} libxl_version_info;
/* Read once, kept in ctx; NULL on failure. */
const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx);

/* The hypervisor's console ring (xl dmesg). */
typedef struct libxl__xen_console_reader libxl_xen_console_reader;
libxl_xen_console_reader *libxl_xen_console_read_start(libxl_ctx *ctx, int clear);
/* *line_r: the next piece (NUL-terminated, valid until the next call);
 * returns 1 while there was one, 0 at the end, or an ERROR_*. */
int libxl_xen_console_read_line(libxl_ctx *ctx, libxl_xen_console_reader *cr, char **line_r);
void libxl_xen_console_read_finish(libxl_ctx *ctx, libxl_xen_console_reader *cr);

/* --- consoles ----------------------------------------------------------- */
typedef enum
{
    LIBXL_CONSOLE_TYPE_UNKNOWN = 0,
    LIBXL_CONSOLE_TYPE_SERIAL = 1,
    LIBXL_CONSOLE_TYPE_PV = 2,
} libxl_console_type;
/* Connect the caller's terminal (fds in_fd/out_fd) to the domain's PV
 * console until the escape character (Ctrl-], 0x1d) is read from in_fd
 * or the domain goes. */
#define LIBXL_CONSOLE_ESCAPE 0x1d
int libxl_console_attach(libxl_ctx *ctx, libxl_domid domid, int cons_num, libxl_console_type type,
                         int in_fd, int out_fd);
/* Wren's own: where the console daemon's sockets are (its default,
 * XENCONSOLED_DIR, unless a host test runs its own daemon elsewhere). */
void libxl_ctx_set_console_dir(libxl_ctx *ctx, const char *dir);

/* --- domain death ------------------------------------------------------- */
/* Apply on_poweroff / on_reboot / on_crash (destroy, or rebuild from the
 * configuration it was created with) to every domain created by this
 * process that has shut down; returns how many it handled. Xen's xl runs
 * this from a monitor process per domain; in dom0, xl's death service
 * (tools/xl/xl_service.c) runs it when @releaseDomain fires, and xl's
 * commands at their start and when libxl_domain_wait_shutdown() sees
 * its domain go down. A call made while another is waiting on the store
 * returns 0 at once. */
int libxl_domain_death_handle(libxl_ctx *ctx);
/* The same, but not even a hypercall while no created domain exists. */
int libxl_domain_death_poll(libxl_ctx *ctx);

#endif /* LIBXL_H */
