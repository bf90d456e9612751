/*
 * stub-libxl.c - a stand-in for the libxl-style layer (tools/libs/light)
 * so that xl's commands can be tested for their output and argument
 * handling alone: three fixed domains (0 Domain-0, 3 web, 7 crashed),
 * fixed host facts, and a record of the last action asked for.
 *
 * It touches only its own state (stub in stub-libxl.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wrendm.h>

#include "libxl.h"
#include "stub-libxl.h"

struct stub_state stub;

struct libxl__ctx
{
    int unused;
};

struct stub_dom
{
    libxl_domid domid;
    const char *name;
    uint64_t memkb;
    uint32_t vcpus;
    uint64_t cpu_ns;
    bool running, blocked, paused, shutdown;
    libxl_shutdown_reason reason;
};

static const struct stub_dom doms[] = {
    { 0, "Domain-0", 1024 * 1024, 2, 123400000000ULL, true, false, false, false, 0 },
    { 3, "web", 512 * 1024, 1, 5300000000ULL, false, true, false, false, 0 },
    { 7, "crashed", 64 * 1024, 1, 0, false, false, true, true, LIBXL_SHUTDOWN_REASON_CRASH },
};
#define NR_DOMS (sizeof(doms) / sizeof(doms[0]))

void stub_reset(void)
{
    libxl_domain_config_dispose(&stub.created);
    memset(&stub, 0, sizeof(stub));
    stub.last_domid = INVALID_DOMID;
}

static const struct stub_dom *find(libxl_domid domid)
{
    unsigned int i;

    for ( i = 0; i < NR_DOMS; i++ )
        if ( doms[i].domid == domid )
            return &doms[i];
    return NULL;
}

static int act(const char *what, libxl_domid domid)
{
    size_t n = strlen(stub.actions);

    snprintf(stub.actions + n, sizeof(stub.actions) - n, "%s ", what);
    stub.last_action = what;
    stub.last_domid = domid;
    if ( !find(domid) )
        return ERROR_DOMAIN_NOTFOUND;
    if ( domid == 0 )
    {
        snprintf(stub.error, sizeof(stub.error), "cannot %s domain 0", what);
        return ERROR_INVAL;
    }
    return 0;
}

int libxl_ctx_alloc(libxl_ctx **pctx, int version, unsigned int flags, void *lg)
{
    *pctx = calloc(1, sizeof(**pctx));
    return 0;
}

int libxl_ctx_free(libxl_ctx *ctx)
{
    free(ctx);
    return 0;
}

const char *libxl_ctx_last_error(const libxl_ctx *ctx)
{
    return stub.error;
}

static void fill(libxl_dominfo *o, const struct stub_dom *d)
{
    libxl_dominfo_init(o);
    o->domid = d->domid;
    o->uuid.bytes[15] = d->domid;
    o->current_memkb = d->memkb;
    o->max_memkb = d->memkb;
    o->vcpu_online = d->vcpus;
    o->vcpu_max_id = d->vcpus - 1;
    o->cpu_time = d->cpu_ns;
    o->running = d->running;
    o->blocked = d->blocked;
    o->paused = d->paused;
    o->shutdown = d->shutdown;
    o->shutdown_reason = d->shutdown ? d->reason : LIBXL_SHUTDOWN_REASON_UNKNOWN;
}

void libxl_dominfo_init(libxl_dominfo *info)
{
    memset(info, 0, sizeof(*info));
}

void libxl_dominfo_dispose(libxl_dominfo *info)
{
}

int libxl_domain_info(libxl_ctx *ctx, libxl_dominfo *info, libxl_domid domid)
{
    const struct stub_dom *d = find(domid);

    if ( !d )
        return ERROR_DOMAIN_NOTFOUND;
    if ( info )
        fill(info, d);
    return 0;
}

libxl_dominfo *libxl_list_domain(libxl_ctx *ctx, int *nb)
{
    libxl_dominfo *l = calloc(NR_DOMS, sizeof(*l));
    unsigned int i;

    for ( i = 0; i < NR_DOMS; i++ )
        fill(&l[i], &doms[i]);
    *nb = NR_DOMS;
    return l;
}

void libxl_dominfo_list_free(libxl_dominfo *list, int nb)
{
    free(list);
}

char *libxl_domid_to_name(libxl_ctx *ctx, libxl_domid domid)
{
    const struct stub_dom *d = find(domid);

    return d ? strdup(d->name) : NULL;
}

int libxl_name_to_domid(libxl_ctx *ctx, const char *name, libxl_domid *domid)
{
    unsigned int i;

    for ( i = 0; i < NR_DOMS; i++ )
        if ( !strcmp(doms[i].name, name) )
        {
            *domid = doms[i].domid;
            return 0;
        }
    return ERROR_DOMAIN_NOTFOUND;
}

int libxl_domain_create_new(libxl_ctx *ctx, libxl_domain_config *d, libxl_domid *domid,
                            const libxl_domain_create_opts *opts)
{
    stub.last_action = "create";
    stub.create_paused = opts && opts->paused;
    libxl_domain_config_dispose(&stub.created);
    stub.created = *d;
    libxl_domain_config_init(d); /* the stub keeps the strings */
    *domid = 9;
    return 0;
}

int libxl_domain_destroy(libxl_ctx *ctx, libxl_domid domid, const void *ao)
{
    return act("destroy", domid);
}

/* The fork gets domain 7 (one the stub knows); the parent's action
 * is recorded, its vCPU count in arg. */
int libxl_domain_fork_vm(libxl_ctx *ctx, uint32_t pdomid, uint32_t max_vcpus, uint32_t *domid)
{
    int rc = act("fork", pdomid);

    snprintf(stub.arg, sizeof(stub.arg), "%u", max_vcpus);
    *domid = 7;
    return rc;
}

int libxl_domain_fork_reset(libxl_ctx *ctx, uint32_t domid)
{
    return act("fork-reset", domid);
}

int libxl_domain_pause(libxl_ctx *ctx, libxl_domid domid, const void *ao)
{
    return act("pause", domid);
}

int libxl_domain_unpause(libxl_ctx *ctx, libxl_domid domid, const void *ao)
{
    return act("unpause", domid);
}

/* A domain the save suspended runs on (libxl_suspend.c). */
int libxl_domain_resume(libxl_ctx *ctx, libxl_domid domid, int suspend_cancel, const void *ao)
{
    return act("resume", domid);
}

int libxl_domain_shutdown(libxl_ctx *ctx, libxl_domid domid, const void *ao)
{
    return act("shutdown", domid);
}

int libxl_domain_reboot(libxl_ctx *ctx, libxl_domid domid, const void *ao)
{
    return act("reboot", domid);
}

int libxl_domain_wait_shutdown(libxl_ctx *ctx, libxl_domid domid, int timeout_ms)
{
    stub.waited = true;
    return 0;
}

int libxl_domain_rename(libxl_ctx *ctx, libxl_domid domid, const char *old, const char *new_name)
{
    snprintf(stub.arg, sizeof(stub.arg), "%s", new_name);
    return act("rename", domid);
}

int libxl_set_memory_target(libxl_ctx *ctx, libxl_domid domid, int64_t kb, int rel, int enforce)
{
    stub.kb = kb;
    return act("mem-set", domid);
}

int libxl_domain_setmaxmem(libxl_ctx *ctx, libxl_domid domid, uint64_t kb)
{
    stub.kb = kb;
    return act("mem-max", domid);
}

int libxl_mem_share(libxl_ctx *ctx, libxl_domid a, libxl_domid b, uint64_t first, uint64_t last,
                    bool by_hash, libxl_mem_share_result *r)
{
    stub.share_b = b;
    stub.share_first = first;
    stub.share_last = last;
    stub.share_by_hash = by_hash;
    *r = (libxl_mem_share_result){ 10, 4, 4, 4 };
    return act("mem-share", a);
}

int libxl_mem_share_info(libxl_ctx *ctx, libxl_mem_share_info_t *info)
{
    *info = (libxl_mem_share_info_t){ 5, 3, 0 };
    return 0;
}

int libxl_domain_shared_pages(libxl_ctx *ctx, libxl_domid domid, uint64_t *pages)
{
    *pages = 2;
    return find(domid) ? 0 : ERROR_DOMAIN_NOTFOUND;
}

int libxl_domain_uptime(libxl_ctx *ctx, libxl_domid domid, uint64_t *s)
{
    *s = domid == 3 ? 93784 : 59; /* 1 day, 2:03:04 */
    return find(domid) ? 0 : ERROR_DOMAIN_NOTFOUND;
}

libxl_vcpuinfo *libxl_list_vcpu(libxl_ctx *ctx, libxl_domid domid, int *nb, int *nr)
{
    const struct stub_dom *d = find(domid);
    libxl_vcpuinfo *v;
    uint32_t i;

    if ( !d )
        return NULL;
    v = calloc(d->vcpus, sizeof(*v));
    for ( i = 0; i < d->vcpus; i++ )
    {
        v[i].vcpuid = i;
        v[i].cpu = i;
        v[i].online = true;
        v[i].running = d->running && i == 0;
        v[i].blocked = !v[i].running;
        v[i].vcpu_time = 1500000000ULL;
    }
    *nb = *nr = d->vcpus;
    return v;
}

void libxl_vcpuinfo_list_free(libxl_vcpuinfo *list, int nr)
{
    free(list);
}

void libxl_physinfo_init(libxl_physinfo *p)
{
    memset(p, 0, sizeof(*p));
}

void libxl_physinfo_dispose(libxl_physinfo *p)
{
}

int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *p)
{
    libxl_physinfo_init(p);
    p->nr_cpus = 2;
    p->max_cpu_id = 1;
    p->nr_nodes = 1;
    p->cores_per_socket = 2;
    p->threads_per_core = 1;
    p->cpu_khz = 2394123;
    p->total_pages = 262144;
    p->free_pages = 131072;
    p->hw_cap[0] = 0x178bfbff;
    p->cap_hvm = p->cap_hap = true;
    return 0;
}

const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx)
{
    static libxl_version_info v = {
        .xen_version_major = 4,
        .xen_version_minor = 19,
        .xen_version_extra = "-wren",
        .compiler = "gcc",
        .compile_by = "wren",
        .compile_domain = "example.org",
        .compile_date = "today",
        .capabilities = "hvm-3.0-x86_64",
        .changeset = "abc123",
        .pagesize = 4096,
        .commandline = "console=com1",
    };
    return &v;
}

struct libxl__xen_console_reader
{
    int calls;
};

libxl_xen_console_reader *libxl_xen_console_read_start(libxl_ctx *ctx, int clear)
{
    stub.dmesg_clear = clear;
    return calloc(1, sizeof(libxl_xen_console_reader));
}

int libxl_xen_console_read_line(libxl_ctx *ctx, libxl_xen_console_reader *cr, char **line)
{
    static char text[] = "(XEN) Wren booting\n(XEN) done\n";

    *line = cr->calls++ ? NULL : text;
    return *line != NULL;
}

void libxl_xen_console_read_finish(libxl_ctx *ctx, libxl_xen_console_reader *cr)
{
    free(cr);
}

int libxl_console_attach(libxl_ctx *ctx, libxl_domid domid, int n, libxl_console_type t, int in,
                         int out)
{
    snprintf(stub.error, sizeof(stub.error), "no console for domain %u", domid);
    stub.last_action = "console";
    stub.last_domid = domid;
    return ERROR_NI;
}

int libxl_retrieve_domain_configuration(libxl_ctx *ctx, libxl_domid domid, libxl_domain_config *d)
{
    if ( domid != 3 )
        return ERROR_NOTFOUND;
    libxl_domain_config_init(d);
    d->c_info.name = strdup("web");
    libxl_uuid_from_string(&d->c_info.uuid, "0e57a5ed-1234-4abc-8def-0123456789ab");
    d->b_info.kernel = strdup("/boot/web.elf");
    d->b_info.target_memkb = d->b_info.max_memkb = 512 * 1024;
    d->b_info.avail_vcpus = d->b_info.max_vcpus = 1;
    return 0;
}

int libxl_domain_death_poll(libxl_ctx *ctx)
{
    stub.death_polls++;
    return 0;
}

/* wren-dm as xl ioreq-list sees it: it serves domain 3 ("web") only. */
unsigned int wrendm_list(uint32_t *domids, unsigned int max)
{
    if ( max )
        domids[0] = 3;
    return 1;
}

int wrendm_info(uint32_t domid, struct wrendm_info *info)
{
    if ( domid != 3 )
        return errno = ESRCH, -1;
    memset(info, 0, sizeof(*info));
    *info = (struct wrendm_info){
        .domid = 3,
        .server_id = 1,
        .enabled = 1,
        .nr_ranges = 2,
        .ranges = { { "port", "uart", 0x2f8, 0x2ff }, { "memtype", "dtable", 0x100000, 0x1003f } },
        .sync = 40,
        .buffered = 2,
        .pio = 30,
        .mmio = 12,
        .invalidates = 1,
        .mc_hits = 9,
        .mc_misses = 3,
        .mc_evictions = 1,
        .mc_invalidations = 1,
        .mc_live = 2,
        .mc_budget = 8,
        .dt_seen = 6,
        .dt_rejected = 2,
        .dt_applied = 4,
        .uart_tx = 25,
        .uart_rx = 3,
    };
    return 0;
}

/* The real one's steps; anything else is refused. */
int libxl_debug_break_gfn(libxl_ctx *ctx, const char *step, uint64_t gfn)
{
    static const char *const steps[] = { "stopped", "query", "copy", "copying", "sent", "tail" };

    for ( unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++ )
        if ( !strcmp(step, steps[i]) )
        {
            snprintf(stub.break_step, sizeof(stub.break_step), "%s", step);
            stub.break_gfn = gfn;
            return 0;
        }
    snprintf(stub.error, sizeof(stub.error), "no final-round step \"%s\"", step);
    return ERROR_INVAL;
}

/* A "stream" is the bytes STREAM; anything else is refused as the real
 * reader would refuse it. */
int libxl_domain_suspend(libxl_ctx *ctx, libxl_domid domid, int fd, int flags, const void *ao)
{
    int rc = act("suspend", domid);

    if ( rc )
        return rc;
    if ( stub.fail_suspend )
    {
        snprintf(stub.error, sizeof(stub.error), "cannot save domain %u: write failed", domid);
        return ERROR_FAIL;
    }
    return write(fd, "STREAM", 6) == 6 ? 0 : ERROR_FAIL;
}

int libxl_domain_suspend_opts(libxl_ctx *ctx, libxl_domid domid, int fd, int flags,
                              libxl_save_opts *opts)
{
    return libxl_domain_suspend(ctx, domid, fd, 0, NULL);
}

int libxl_domain_guest_nodes(libxl_ctx *ctx, libxl_domid domid, char **text)
{
    if ( stub.fail_guest_nodes )
    {
        snprintf(stub.error, sizeof(stub.error), "cannot read domain %u's store", domid);
        return ERROR_FAIL;
    }
    *text = strdup(stub.guest_nodes ? stub.guest_nodes : "");
    return *text ? 0 : ERROR_NOMEM;
}

int libxl_domain_create_restore(libxl_ctx *ctx, libxl_domain_config *d, libxl_domid *domid, int fd,
                                const libxl_domain_create_opts *opts)
{
    char buf[8] = { 0 };

    if ( read(fd, buf, sizeof(buf)) != 6 || memcmp(buf, "STREAM", 6) )
    {
        snprintf(stub.error, sizeof(stub.error),
                 "cannot restore domain 9: record END (0x0) at offset 0x28: out of order");
        return ERROR_FAIL;
    }
    stub.last_action = "restore";
    stub.create_paused = opts && opts->paused;
    snprintf(stub.restored_nodes, sizeof(stub.restored_nodes), "%s",
             opts && opts->guest_nodes ? opts->guest_nodes : "-");
    libxl_domain_config_dispose(&stub.created);
    stub.created = *d;
    libxl_domain_config_init(d); /* the stub keeps the strings */
    *domid = 9;
    return 0;
}
