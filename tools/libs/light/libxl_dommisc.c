/* SPDX-License-Identifier: MIT */
/*
 * libxl_dommisc.c - a domain's name, memory limits, uptime and vCPUs
 * (xl rename, mem-set, mem-max, uptime, vcpu-list).
 *
 * It may change only the domain it is asked about.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libxl_internal.h"

#define MAXMEM_SLACK_KB 1024 /* as at create */

/* Writes name in /local/domain/N/name and /vm/<uuid>/name together. */
static int write_name(libxl_ctx *ctx, libxl_domid domid, const char *name)
{
    char path[XS_PATH_BUF], vmname[XS_PATH_BUF + 8];
    char *vm;
    xs_transaction_t t;
    int rc;

    do
    {
        t = xs_transaction_start(ctx->xsh);
        if ( !t )
            return libxl__err_errno(ctx, ERROR_FAIL, "cannot start a store transaction");
        libxl__dom_path(path, domid, "name");
        rc = libxl__xs_printf(ctx, t, path, "%s", name);
        libxl__dom_path(path, domid, "vm");
        vm = rc ? NULL : libxl__xs_read(ctx, t, path);
        snprintf(vmname, sizeof(vmname), "%s/name", vm ? vm : "");
        if ( vm && !strncmp(vm, "/vm/", 4) )
            rc = libxl__xs_printf(ctx, t, vmname, "%s", name);
        free(vm);
        if ( rc )
        {
            xs_transaction_end(ctx->xsh, t, true);
            return rc;
        }
    } while ( !xs_transaction_end(ctx->xsh, t, false) && errno == EAGAIN );
    return 0;
}

int libxl_domain_rename(libxl_ctx *ctx, libxl_domid domid, const char *old_name,
                        const char *new_name)
{
    char *cur;
    libxl_domid other;
    int rc;

    if ( domid == 0 )
        return libxl__err(ctx, ERROR_INVAL, "cannot rename domain 0");
    rc = libxl_domain_info(ctx, NULL, domid);
    if ( rc )
        return rc;
    if ( !new_name || !new_name[0] || strchr(new_name, '/') )
        return libxl__err(ctx, ERROR_INVAL, "bad name \"%s\"", new_name ? new_name : "");
    if ( !libxl_name_to_domid(ctx, new_name, &other) && other != domid )
        return libxl__err(ctx, ERROR_INVAL, "domain name \"%s\" is in use by domain %u", new_name,
                          other);
    cur = libxl_domid_to_name(ctx, domid);
    rc = old_name && (!cur || strcmp(cur, old_name)) ? ERROR_INVAL : 0;
    free(cur);
    if ( rc )
        return libxl__err(ctx, rc, "domain %u is not called \"%s\"", domid, old_name);
    return write_name(ctx, domid, new_name);
}

int libxl_domain_setmaxmem(libxl_ctx *ctx, libxl_domid domid, uint64_t max_memkb)
{
    char path[XS_PATH_BUF];
    int rc = libxl_domain_info(ctx, NULL, domid);

    if ( rc )
        return rc;
    if ( xc_domain_setmaxmem(ctx->xch, domid, max_memkb + MAXMEM_SLACK_KB) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot set domain %u's maxmem", domid);
    libxl__dom_path(path, domid, "memory/static-max");
    return libxl__xs_printf(ctx, XBT_NULL, path, "%llu", (unsigned long long)max_memkb);
}

static int read_kb(libxl_ctx *ctx, libxl_domid domid, const char *rel, uint64_t *kb)
{
    char path[XS_PATH_BUF], *v, *end;

    libxl__dom_path(path, domid, rel);
    v = libxl__xs_read(ctx, XBT_NULL, path);
    if ( !v )
        return libxl__err(ctx, ERROR_FAIL, "domain %u has no %s", domid, path);
    *kb = strtoull(v, &end, 10);
    free(v);
    return 0;
}

/* The balloon driver reads memory/target; maxmem grows with it. */
int libxl_set_memory_target(libxl_ctx *ctx, libxl_domid domid, int64_t target_memkb, int relative,
                            int enforce)
{
    char path[XS_PATH_BUF];
    uint64_t cur = 0, max = 0;
    int64_t want;
    int rc = libxl_domain_info(ctx, NULL, domid);

    if ( !rc )
        rc = read_kb(ctx, domid, "memory/target", &cur);
    if ( !rc )
        rc = read_kb(ctx, domid, "memory/static-max", &max);
    if ( rc )
        return rc;
    want = relative ? (int64_t)cur + target_memkb : target_memkb;
    if ( want <= 0 )
        return libxl__err(ctx, ERROR_INVAL, "memory target %lld KiB is not positive",
                          (long long)want);
    if ( (uint64_t)want > max )
        return libxl__err(ctx, ERROR_INVAL, "memory target %lld KiB is above maxmem %llu KiB",
                          (long long)want, (unsigned long long)max);
    if ( enforce && xc_domain_setmaxmem(ctx->xch, domid, want + MAXMEM_SLACK_KB) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot limit domain %u", domid);
    libxl__dom_path(path, domid, "memory/target");
    return libxl__xs_printf(ctx, XBT_NULL, path, "%lld", (long long)want);
}

int libxl_domain_uptime(libxl_ctx *ctx, libxl_domid domid, uint64_t *seconds)
{
    char path[XS_PATH_BUF], *vm, *start;
    int rc = libxl_domain_info(ctx, NULL, domid);

    if ( rc )
        return rc;
    libxl__dom_path(path, domid, "vm");
    vm = libxl__xs_read(ctx, XBT_NULL, path);
    snprintf(path, sizeof(path), "%s/start_time", vm ? vm : "");
    free(vm);
    start = libxl__xs_read(ctx, XBT_NULL, path);
    if ( !start )
        return libxl__err(ctx, ERROR_NOTFOUND, "domain %u has no start time", domid);
    *seconds = time(NULL) - strtoull(start, NULL, 10);
    free(start);
    return 0;
}

libxl_vcpuinfo *libxl_list_vcpu(libxl_ctx *ctx, libxl_domid domid, int *nb_vcpu, int *nr_cpus_out)
{
    libxl_dominfo info;
    libxl_vcpuinfo *list;
    xc_vcpuinfo_t vi;
    uint32_t i, n;

    *nb_vcpu = 0;
    if ( libxl_domain_info(ctx, &info, domid) )
        return NULL;
    n = info.vcpu_max_id == XEN_INVALID_MAX_VCPU_ID ? 0 : info.vcpu_max_id + 1;
    list = calloc(n ? n : 1, sizeof(*list));
    if ( !list )
        return NULL;
    for ( i = 0; i < n; i++ )
    {
        if ( xc_vcpu_getinfo(ctx->xch, domid, i, &vi) )
        {
            libxl__err_errno(ctx, ERROR_FAIL, "cannot get domain %u's vCPU %u", domid, i);
            free(list);
            return NULL;
        }
        list[i].vcpuid = i;
        list[i].cpu = vi.cpu;
        list[i].online = vi.online;
        list[i].blocked = vi.blocked;
        list[i].running = vi.running;
        list[i].vcpu_time = vi.cpu_time;
    }
    *nb_vcpu = n;
    if ( nr_cpus_out )
        *nr_cpus_out = n;
    return list;
}

void libxl_vcpuinfo_list_free(libxl_vcpuinfo *list, int nr)
{
    free(list);
}
