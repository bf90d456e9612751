/* SPDX-License-Identifier: MIT */
/*
 * libxl_create.c - libxl_domain_create_new(): a PVH domain from a
 * configuration, step by step as Xen's toolstack does it:
 *
 *   createdomain -> max_mem -> p2m pool -> store and console ports
 *   (unbound, for dom0) -> build (libxenguest) -> xenstore nodes ->
 *   introduce to xenstored -> console daemon -> device model -> unpause
 *
 * libxl_domain_create_restore() takes the same steps with the build
 * replaced by reading a migration stream into the new domain
 * (xc_domain_restore); a refused stream unwinds like any failed step.
 *
 * Each step that succeeds is remembered in struct create_state; when a
 * later one fails, create_unwind() undoes them all in reverse, so a failed
 * create leaves no domain, no store node, no introduction and no console.
 *
 * It changes only the domain it creates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libxl_internal.h"

/* Xen's LIBXL_MAXMEM_CONSTANT: room above the RAM for the special pages. */
#define MAXMEM_SLACK_KB     1024
#define MAX_EVTCHN_PORT     1023
#define MAX_GRANT_FRAMES    32
#define MAX_MAPTRACK_FRAMES 1024
/*
 * Restore's pfn limit. The RAM may sit above the 1 MiB hole, and a guest
 * maps things in unused guest-physical space: Debian's Linux puts its
 * grant frames in a 128 MiB region (its memory-section size) at the
 * first free aligned address, which is 4 GiB for a small guest, and the
 * stream then names every pfn up to there (XTAB). So the limit is the
 * RAM's or 4 GiB, whichever is higher, and 1 GiB more: a byte of the
 * reader's state per pfn, about 1.3 MB.
 */
#define XG_RESTORE_LOW_PFNS   256
#define XG_RESTORE_4G_PFNS    (1ULL << 20)
#define XG_RESTORE_ABOVE_PFNS (1ULL << 18)

struct create_state
{
    libxl_domain_config *cfg;
    void *kernel, *ramdisk;
    size_t kernel_size, ramdisk_size;
    libxl_domid domid;
    uint32_t store_port, console_port;
    struct xc_pvh_dom dom;
    int restore_fd; /* -1: build from the kernel */
    bool created, store_written, introduced, console_added, dm_started, registered;
    struct libxl__guest_nodes carried; /* opts->guest_nodes, checked */
};

/* A whole file into a malloc()ed buffer. */
static int read_file(libxl_ctx *ctx, const char *what, const char *path, void **buf, size_t *size)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long len;
    int rc = ERROR_FAIL;

    if ( !f )
        return libxl__err_errno(ctx, ERROR_INVAL, "cannot open %s %s", what, path);
    if ( fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) )
    {
        rc = libxl__err_errno(ctx, ERROR_INVAL, "cannot size %s %s", what, path);
        goto out;
    }
    data = malloc(len ? len : 1);
    if ( !data )
    {
        rc = libxl__err(ctx, ERROR_NOMEM, "no memory for %s %s", what, path);
        goto out;
    }
    if ( fread(data, 1, len, f) != (size_t)len )
    {
        rc = libxl__err_errno(ctx, ERROR_FAIL, "cannot read %s %s", what, path);
        goto out;
    }
    *buf = data;
    *size = len;
    data = NULL;
    rc = 0;

out:
    free(data);
    fclose(f);
    return rc;
}

static int check_config(libxl_ctx *ctx, const libxl_domain_config *d)
{
    libxl_domid other;
    int rc;

    if ( d->c_info.type != LIBXL_DOMAIN_TYPE_PVH )
        return libxl__err(ctx, ERROR_INVAL, "only PVH domains can be built");
    if ( !d->c_info.name || !d->b_info.kernel )
        return libxl__err(ctx, ERROR_INVAL, "a domain needs a name and a kernel");
    if ( !d->b_info.avail_vcpus || d->b_info.max_vcpus < d->b_info.avail_vcpus )
        return libxl__err(ctx, ERROR_INVAL, "bad vcpus/maxvcpus");
    if ( !d->b_info.target_memkb || d->b_info.max_memkb < d->b_info.target_memkb )
        return libxl__err(ctx, ERROR_INVAL, "bad memory/maxmem");
    rc = libxl_name_to_domid(ctx, d->c_info.name, &other);
    if ( rc == ERROR_DOMAIN_NOTFOUND )
        return 0;
    if ( rc )
        return libxl__err(ctx, rc, "cannot check that name \"%s\" is free", d->c_info.name);
    return libxl__err(ctx, ERROR_INVAL, "domain name \"%s\" is in use by domain %u", d->c_info.name,
                      other);
}

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A random (version 4) UUID from the clock: unique is what matters. */
static void make_uuid(libxl_uuid *u)
{
    static uint64_t counter;
    struct timespec ts;
    uint64_t a, b;

    clock_gettime(CLOCK_REALTIME, &ts);
    a = mix64(ts.tv_sec * 1000000000ULL + ts.tv_nsec + ++counter);
    b = mix64(a ^ (uint64_t)(uintptr_t)u);
    memcpy(u->bytes, &a, 8);
    memcpy(u->bytes + 8, &b, 8);
    u->bytes[6] = (u->bytes[6] & 0x0f) | 0x40;
    u->bytes[8] = (u->bytes[8] & 0x3f) | 0x80;
}

static int create_domain(libxl_ctx *ctx, struct create_state *st)
{
    const libxl_domain_config *d = st->cfg;
    struct xen_domctl_createdomain cd = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = d->b_info.max_vcpus,
        .max_evtchn_port = MAX_EVTCHN_PORT,
        .max_grant_frames = MAX_GRANT_FRAMES,
        .max_maptrack_frames = MAX_MAPTRACK_FRAMES,
        .arch.emulation_flags = XEN_X86_EMU_LAPIC,
    };
    uint32_t domid = 0;

    memcpy(cd.handle, d->c_info.uuid.bytes, sizeof(cd.handle));
    if ( xc_domain_create(ctx->xch, &domid, &cd) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot create the domain");
    st->domid = domid;
    st->created = true;
    return 0;
}

/* A pool the config does not size is sized as Xen's toolstack sizes one
 * (libxl_get_required_shadow_memory(): 4 KiB per MiB of RAM twice over,
 * and 1 MiB per vCPU). The builder's superpages need few tables, but a
 * restore populates page by page (a table per 2 MiB) and log-dirty
 * splits every superpage. */
static uint64_t default_p2m_pool_kb(const libxl_domain_build_info *b)
{
    return 4 * (256 * (uint64_t)b->max_vcpus + 2 * (b->max_memkb / 1024));
}

static int create_limits(libxl_ctx *ctx, struct create_state *st)
{
    const libxl_domain_build_info *b = &st->cfg->b_info;
    uint64_t pool_kb = b->p2m_pool_kb ? b->p2m_pool_kb : default_p2m_pool_kb(b);

    if ( xc_domain_setmaxmem(ctx->xch, st->domid, b->max_memkb + MAXMEM_SLACK_KB) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot set domain %u's memory limit", st->domid);
    if ( xc_set_paging_mempool_size(ctx->xch, st->domid, pool_kb * 1024) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot size domain %u's p2m pool to %llu KiB",
                                st->domid, (unsigned long long)pool_kb);
    if ( b->altp2m != LIBXL_ALTP2M_MODE_DISABLED &&
         xc_hvm_param_set(ctx->xch, st->domid, HVM_PARAM_ALTP2M, (uint64_t)b->altp2m) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot set domain %u's altp2m mode to %s",
                                st->domid, libxl_altp2m_mode_to_string(b->altp2m));
    return 0;
}

/* The ports are the domain's: destroying it closes them. */
static int create_ports(libxl_ctx *ctx, struct create_state *st)
{
    int port = xc_evtchn_alloc_unbound(ctx->xch, st->domid, 0);

    if ( port < 0 )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot make domain %u's store port", st->domid);
    st->store_port = port;
    port = xc_evtchn_alloc_unbound(ctx->xch, st->domid, 0);
    if ( port < 0 )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot make domain %u's console port", st->domid);
    st->console_port = port;
    return 0;
}

static int create_build(libxl_ctx *ctx, struct create_state *st)
{
    const libxl_domain_build_info *b = &st->cfg->b_info;
    struct xc_pvh_dom *dom = &st->dom;
    int rc = read_file(ctx, "kernel", b->kernel, &st->kernel, &st->kernel_size);

    if ( !rc && b->ramdisk )
        rc = read_file(ctx, "ramdisk", b->ramdisk, &st->ramdisk, &st->ramdisk_size);
    if ( rc )
        return rc;
    dom->kernel = st->kernel;
    dom->kernel_size = st->kernel_size;
    dom->ramdisk = st->ramdisk;
    dom->ramdisk_size = st->ramdisk_size;
    dom->cmdline = b->cmdline;
    dom->mem_kb = b->target_memkb;
    dom->max_vcpus = b->max_vcpus;
    dom->store_domid = dom->console_domid = 0;
    dom->store_evtchn = st->store_port;
    dom->console_evtchn = st->console_port;
    if ( xc_pvh_build(ctx->xch, ctx->fmem, st->domid, dom) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot build domain %u from %s%s%s", st->domid,
                                b->kernel, dom->error ? ": " : "", dom->error ? dom->error : "");
    return 0;
}

static uint64_t restore_pfn_limit(const libxl_domain_build_info *b)
{
    uint64_t ram = (b->max_memkb + MAXMEM_SLACK_KB) / 4 + XG_RESTORE_LOW_PFNS;

    return (ram > XG_RESTORE_4G_PFNS ? ram : XG_RESTORE_4G_PFNS) + XG_RESTORE_ABOVE_PFNS;
}

/* The guest's memory and state from a stream; the rings' pfns come
 * with it. The pfn limit: restore_pfn_limit. */
static int create_restore(libxl_ctx *ctx, struct create_state *st)
{
    const libxl_domain_build_info *b = &st->cfg->b_info;
    struct restore_callbacks cb = {
        .fmem = ctx->fmem,
        .nr_pfns = restore_pfn_limit(b),
    };
    unsigned long store = 0, console = 0;

    if ( xc_domain_restore(ctx->xch, st->restore_fd, st->domid, st->store_port, &store, 0,
                           st->console_port, &console, 0, &cb) )
        return libxl__err(ctx, ERROR_FAIL, "cannot restore domain %u: %s", st->domid,
                          cb.error[0] ? cb.error : strerror(errno));
    st->dom.store_pfn = store;
    st->dom.console_pfn = console;
    return 0;
}

static int create_introduce(libxl_ctx *ctx, struct create_state *st)
{
    if ( !xs_introduce_domain(ctx->xsh, st->domid, st->dom.store_pfn, st->store_port) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot introduce domain %u to xenstored",
                                st->domid);
    st->introduced = true;
    return 0;
}

static int create_console(libxl_ctx *ctx, struct create_state *st)
{
    int rc = libxl__console_add(ctx, st->domid, st->console_port, st->dom.console_pfn);

    if ( !rc )
        st->console_added = true;
    return rc;
}

static int create_dm(libxl_ctx *ctx, struct create_state *st)
{
    int rc = libxl__dm_start(ctx, st->domid, st->cfg);

    if ( !rc )
        st->dm_started = true;
    return rc;
}

static int create_register(libxl_ctx *ctx, struct create_state *st)
{
    int rc = libxl__config_store(st->domid, st->cfg);

    if ( rc )
        return libxl__err(ctx, rc, "no memory to keep domain %u's configuration", st->domid);
    st->registered = true;
    return 0;
}

/* Everything the successful steps did, undone in reverse. */
static int create_unwind(libxl_ctx *ctx, struct create_state *st)
{
    int rc = 0;

    if ( st->registered )
        libxl__config_forget(st->domid);
    if ( st->dm_started )
        libxl__dm_stop(ctx, st->domid);
    if ( st->console_added )
        libxl__console_remove(ctx, st->domid);
    if ( st->introduced && !xs_release_domain(ctx->xsh, st->domid) )
        rc = ERROR_BADFAIL;
    if ( st->store_written )
        libxl__xs_remove_domain(ctx, st->domid);
    if ( st->created && xc_domain_destroy(ctx->xch, st->domid) )
        rc = ERROR_BADFAIL;
    return rc;
}

static int create_store(libxl_ctx *ctx, struct create_state *st)
{
    /* Marked first: a half-written store is removed too. */
    st->store_written = true;
    return libxl__create_store(ctx, st->domid, st->cfg, &st->dom, st->store_port, st->console_port,
                               &st->carried);
}

static int create_steps(libxl_ctx *ctx, struct create_state *st, bool paused)
{
    int rc = create_domain(ctx, st);

    if ( !rc )
        rc = create_limits(ctx, st);
    if ( !rc )
        rc = create_ports(ctx, st);
    if ( !rc )
        rc = st->restore_fd < 0 ? create_build(ctx, st) : create_restore(ctx, st);
    if ( !rc )
        rc = create_store(ctx, st);
    if ( !rc )
        rc = create_introduce(ctx, st);
    if ( !rc )
        rc = create_console(ctx, st);
    if ( !rc )
        rc = create_dm(ctx, st);
    if ( !rc )
        rc = create_register(ctx, st);
    if ( !rc && !paused && xc_domain_unpause(ctx->xch, st->domid) )
        rc = libxl__err_errno(ctx, ERROR_FAIL, "cannot unpause domain %u", st->domid);
    return rc;
}

static int create_with(libxl_ctx *ctx, libxl_domain_config *d_config, libxl_domid *domid,
                       const libxl_domain_create_opts *opts, int restore_fd)
{
    struct create_state st = { .cfg = d_config, .restore_fd = restore_fd };
    bool made_uuid = false;
    int rc;

    libxl__err_clear(ctx);
    *domid = INVALID_DOMID;
    rc = check_config(ctx, d_config);
    if ( !rc )
        rc = libxl__guest_nodes_parse(ctx, opts ? opts->guest_nodes : NULL, &st.carried);
    if ( rc )
        return rc;
    made_uuid = libxl_uuid_is_nil(&d_config->c_info.uuid);
    if ( made_uuid )
        make_uuid(&d_config->c_info.uuid);
    rc = create_steps(ctx, &st, opts && opts->paused);
    if ( rc && create_unwind(ctx, &st) )
        rc = ERROR_BADFAIL;
    if ( rc && made_uuid )
        memset(&d_config->c_info.uuid, 0, sizeof(d_config->c_info.uuid));
    if ( !rc )
        *domid = st.domid;
    free(st.kernel);
    free(st.ramdisk);
    return rc;
}

int libxl_domain_create_new(libxl_ctx *ctx, libxl_domain_config *d_config, libxl_domid *domid,
                            const libxl_domain_create_opts *opts)
{
    return create_with(ctx, d_config, domid, opts, -1);
}

int libxl_domain_create_restore(libxl_ctx *ctx, libxl_domain_config *d_config, libxl_domid *domid,
                                int restore_fd, const libxl_domain_create_opts *opts)
{
    if ( restore_fd < 0 )
        return libxl__err(ctx, ERROR_INVAL, "no stream to restore from");
    return create_with(ctx, d_config, domid, opts, restore_fd);
}
