/* SPDX-License-Identifier: MIT */
/*
 * xl_info.c - the commands that only report: list, info, dmesg (which
 * may clear the hypervisor's ring), vcpu-list, uptime, domid, domname.
 * Their output is Xen's xl's, column for column, so scripts written
 * against Xen read it.
 *
 * They change nothing but the console ring (dmesg -c).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "xl.h"

/* A list of domains: those named in argv[first..argc), or all of them. */
static libxl_dominfo *domains_of(int argc, char **argv, int first, int *nb)
{
    libxl_dominfo *list;
    libxl_domid domid;
    int i;

    if ( first >= argc )
    {
        list = libxl_list_domain(ctx, nb);
        if ( !list )
            xl_fail("cannot list the domains");
        return list;
    }
    list = calloc(argc - first, sizeof(*list));
    for ( i = first; list && i < argc; i++ )
        if ( xl_find_domain(argv[i], &domid) || libxl_domain_info(ctx, &list[i - first], domid) )
        {
            free(list);
            return NULL;
        }
    *nb = argc - first;
    return list;
}

static char name_buf[64];

/* The domain's name, or "(null)" as Xen's printf of a NULL prints. */
static const char *domname(libxl_domid domid)
{
    char *n = libxl_domid_to_name(ctx, domid);

    snprintf(name_buf, sizeof(name_buf), "%s", n ? n : "(null)");
    free(n);
    return name_buf;
}

static void list_row(const libxl_dominfo *d, bool verbose)
{
    static const char reason_letters[] = "-rscw";
    int r = d->shutdown ? d->shutdown_reason : 0;
    char uuid[LIBXL_UUID_STRLEN];

    fprintf(xl_out, "%-40s %5u %5lu %5u     %c%c%c%c%c%c  %8.1f", domname(d->domid), d->domid,
            (unsigned long)((d->current_memkb + d->outstanding_memkb) / 1024), d->vcpu_online,
            d->running ? 'r' : '-', d->blocked ? 'b' : '-', d->paused ? 'p' : '-',
            d->shutdown ? 's' : '-', r >= 0 && r < 5 ? reason_letters[r] : '?',
            d->dying ? 'd' : '-', (float)d->cpu_time / 1e9);
    if ( verbose )
    {
        libxl_uuid_to_string(&d->uuid, uuid);
        fprintf(xl_out, " %s", uuid);
        if ( d->shutdown )
            fprintf(xl_out, " %8x", r);
        else
            fprintf(xl_out, " %8s", "-");
        fprintf(xl_out, " %16s", "-");
    }
    fputc('\n', xl_out);
}

/* Xen's xl list -l: a JSON array of { "domid", "config" }. */
static int list_long(const libxl_dominfo *list, int nb)
{
    libxl_domain_config d;
    bool first = true;
    char *json;
    int i;

    fprintf(xl_out, "[");
    for ( i = 0; i < nb; i++ )
    {
        libxl_domain_config_init(&d);
        if ( libxl_retrieve_domain_configuration(ctx, list[i].domid, &d) )
            continue;
        json = libxl_domain_config_to_json(&d);
        libxl_domain_config_dispose(&d);
        if ( !json )
            return xl_fail("out of memory");
        fprintf(xl_out, "%s\n    {\n        \"domid\": %u,\n        \"config\": ", first ? "" : ",",
                list[i].domid);
        for ( char *p = json; *p; p++ )
            fprintf(xl_out, *p == '\n' ? "\n        " : "%c", *p);
        fprintf(xl_out, "\n    }");
        free(json);
        first = false;
    }
    fprintf(xl_out, "\n]\n");
    return 0;
}

int main_list(int argc, char **argv)
{
    struct xl_opts o;
    libxl_dominfo *list;
    int nb = 0, i, rc = 0;

    XL_GETOPTS(argc, argv, "lv", 0, -1, &o);
    list = domains_of(argc, argv, o.first, &nb);
    if ( !list )
        return 1;
    if ( o.set['l'] )
        rc = list_long(list, nb);
    else
    {
        fprintf(xl_out,
                "Name                                        ID   Mem VCPUs\tState\tTime(s)");
        if ( o.set['v'] )
            fprintf(xl_out, "   UUID                            Reason-Code\tSecurity Label");
        fputc('\n', xl_out);
        for ( i = 0; i < nb; i++ )
            list_row(&list[i], o.set['v']);
    }
    libxl_dominfo_list_free(list, nb);
    return rc;
}

/* --- info ----------------------------------------------------------------- */

#define INFO(key, fmt, ...) fprintf(xl_out, "%-23s: " fmt "\n", key, __VA_ARGS__)

static void info_host(void)
{
    struct utsname u;

    if ( uname(&u) )
        memset(&u, 0, sizeof(u));
    INFO("host", "%s", u.nodename);
    INFO("release", "%s", u.release);
    INFO("version", "%s", u.version);
    INFO("machine", "%s", u.machine);
}

static void info_phys(const libxl_physinfo *p)
{
    char caps[8 * 9 + 1];
    unsigned int i;

    for ( i = 0; i < 8; i++ )
        snprintf(caps + i * 9, sizeof(caps) - i * 9, "%08x%s", p->hw_cap[i], i < 7 ? ":" : "");
    INFO("nr_cpus", "%u", p->nr_cpus);
    INFO("max_cpu_id", "%u", p->max_cpu_id);
    INFO("nr_nodes", "%u", p->nr_nodes);
    INFO("cores_per_socket", "%u", p->cores_per_socket);
    INFO("threads_per_core", "%u", p->threads_per_core);
    INFO("cpu_mhz", "%u.%03u", p->cpu_khz / 1000, p->cpu_khz % 1000);
    INFO("hw_caps", "%s", caps);
    INFO("virt_caps", "%s%s%s%s", p->cap_pv ? "pv " : "", p->cap_hvm ? "hvm " : "",
         p->cap_hap ? "hap " : "", p->cap_shadow ? "shadow" : "");
    INFO("total_memory", "%llu", (unsigned long long)p->total_pages / 256);
    INFO("free_memory", "%llu", (unsigned long long)p->free_pages / 256);
    INFO("outstanding_claims", "%llu", (unsigned long long)p->outstanding_pages / 256);
}

static void info_xen(const libxl_version_info *v)
{
    INFO("xen_major", "%d", v->xen_version_major);
    INFO("xen_minor", "%d", v->xen_version_minor);
    INFO("xen_extra", "%s", v->xen_version_extra);
    INFO("xen_version", "%d.%d%s", v->xen_version_major, v->xen_version_minor,
         v->xen_version_extra);
    INFO("xen_caps", "%s", v->capabilities);
    INFO("xen_pagesize", "%lu", v->pagesize);
    INFO("xen_changeset", "%s", v->changeset);
    INFO("xen_commandline", "%s", v->commandline);
    INFO("cc_compiler", "%s", v->compiler);
    INFO("cc_compile_by", "%s", v->compile_by);
    INFO("cc_compile_domain", "%s", v->compile_domain);
    INFO("cc_compile_date", "%s", v->compile_date);
}

int main_info(int argc, char **argv)
{
    struct xl_opts o;
    libxl_physinfo p;
    const libxl_version_info *v;

    XL_GETOPTS(argc, argv, "", 0, 0, &o);
    if ( libxl_get_physinfo(ctx, &p) )
        return xl_fail("cannot read the host's information");
    v = libxl_get_version_info(ctx);
    if ( !v )
        return xl_fail("cannot read the hypervisor's version");
    info_host();
    info_phys(&p);
    info_xen(v);
    libxl_physinfo_dispose(&p);
    return 0;
}

int main_dmesg(int argc, char **argv)
{
    struct xl_opts o;
    libxl_xen_console_reader *cr;
    char *line;
    int rc;

    XL_GETOPTS(argc, argv, "c", 0, 0, &o);
    cr = libxl_xen_console_read_start(ctx, o.set['c']);
    if ( !cr )
        return xl_fail("cannot read the console");
    while ( (rc = libxl_xen_console_read_line(ctx, cr, &line)) > 0 )
        fputs(line, xl_out);
    libxl_xen_console_read_finish(ctx, cr);
    return rc < 0 ? xl_fail("cannot read the console") : 0;
}

/* --- vcpu-list ---------------------------------------------------------- */

static int vcpulist_one(libxl_domid domid)
{
    libxl_vcpuinfo *v;
    int nb, nr, i;

    v = libxl_list_vcpu(ctx, domid, &nb, &nr);
    if ( !v )
        return xl_fail("cannot list the vCPUs");
    for ( i = 0; i < nb; i++ )
    {
        fprintf(xl_out, "%-32s %5u %5u", domname(domid), domid, v[i].vcpuid);
        if ( v[i].online )
            fprintf(xl_out, " %5u", v[i].cpu);
        else
            fprintf(xl_out, " %5c", '-');
        fprintf(xl_out, "   %c%c%c %9.1f all / all\n", v[i].running ? 'r' : '-',
                v[i].blocked ? 'b' : '-', v[i].online ? '-' : 'p', (float)v[i].vcpu_time / 1e9);
    }
    libxl_vcpuinfo_list_free(v, nb);
    return 0;
}

int main_vcpulist(int argc, char **argv)
{
    struct xl_opts o;
    libxl_dominfo *list;
    int nb = 0, i, rc = 0;

    XL_GETOPTS(argc, argv, "", 0, -1, &o);
    list = domains_of(argc, argv, o.first, &nb);
    if ( !list )
        return 1;
    fprintf(xl_out, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State",
            "Time(s)", "Affinity (Hard / Soft)");
    for ( i = 0; i < nb && !rc; i++ )
        rc = vcpulist_one(list[i].domid);
    libxl_dominfo_list_free(list, nb);
    return rc;
}

/* --- uptime ------------------------------------------------------------- */

static void uptime_text(char *buf, size_t size, uint64_t s, bool short_form)
{
    unsigned long days = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;

    if ( short_form && days )
        snprintf(buf, size, "%lu day%s, %2lu:%02lu", days, days == 1 ? "" : "s", h, m);
    else if ( short_form )
        snprintf(buf, size, "%2lu:%02lu", h, m);
    else if ( days )
        snprintf(buf, size, "%lu day%s, %2lu:%02lu:%02lu", days, days == 1 ? "" : "s", h, m,
                 (unsigned long)(s % 60));
    else
        snprintf(buf, size, "%2lu:%02lu:%02lu", h, m, (unsigned long)(s % 60));
}

/* dom0 has no start time in the store: it is as old as the host. */
static int domain_uptime(libxl_domid domid, uint64_t *s)
{
    struct timespec ts;

    if ( domid )
        return libxl_domain_uptime(ctx, domid, s);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    *s = ts.tv_sec;
    return 0;
}

static void uptime_row(libxl_domid domid, uint64_t s, bool short_form)
{
    char up[48], now[16];
    time_t t = time(NULL);
    struct tm tm;

    uptime_text(up, sizeof(up), s, short_form);
    if ( !short_form )
    {
        fprintf(xl_out, "%-33s %4u %s\n", domname(domid), domid, up);
        return;
    }
    strftime(now, sizeof(now), "%H:%M:%S", localtime_r(&t, &tm));
    fprintf(xl_out, " %s up %s, %s (%u)\n", now, up, domname(domid), domid);
}

int main_uptime(int argc, char **argv)
{
    struct xl_opts o;
    libxl_dominfo *list;
    uint64_t s;
    int nb = 0, i;

    XL_GETOPTS(argc, argv, "s", 0, -1, &o);
    list = domains_of(argc, argv, o.first, &nb);
    if ( !list )
        return 1;
    if ( !o.set['s'] )
        fprintf(xl_out, "%-33s %4s %s\n", "Name", "ID", "Uptime");
    for ( i = 0; i < nb; i++ )
        if ( !domain_uptime(list[i].domid, &s) )
            uptime_row(list[i].domid, s, o.set['s']);
    libxl_dominfo_list_free(list, nb);
    return 0;
}

/* --- names ---------------------------------------------------------------- */

int main_domid(int argc, char **argv)
{
    struct xl_opts o;
    libxl_domid domid;

    XL_GETOPTS(argc, argv, "", 1, 1, &o);
    if ( libxl_name_to_domid(ctx, argv[o.first], &domid) )
    {
        fprintf(xl_err, "Can't get domid of domain name '%s', maybe this domain does not exist.\n",
                argv[o.first]);
        return 1;
    }
    fprintf(xl_out, "%u\n", domid);
    return 0;
}

int main_domname(int argc, char **argv)
{
    struct xl_opts o;
    char *end, *name;
    unsigned long domid;

    XL_GETOPTS(argc, argv, "", 1, 1, &o);
    domid = strtoul(argv[o.first], &end, 10);
    if ( *end || !argv[o.first][0] || domid >= INVALID_DOMID )
    {
        fprintf(xl_err, "Invalid domain id.\n");
        return 1;
    }
    name = libxl_domid_to_name(ctx, domid);
    if ( !name )
    {
        fprintf(xl_err,
                "Can't get domain name of domain id '%lu', maybe this domain does not "
                "exist.\n",
                domid);
        return 1;
    }
    fprintf(xl_out, "%s\n", name);
    free(name);
    return 0;
}
