/*
 * mceinj.c - dom0's xen-mceinj: break a guest's frame with a software
 * machine check, in the spirit of Xen's xen-mceinj (docs/man/
 * xen-mceinj.1.md). Through xc_wren_break_gfn it asks the hypervisor
 * (__HYPERVISOR_mca) to make a CPU's bank 1 report an uncorrected,
 * action-required memory error at the guest-physical address DOMID:GFN
 * (MC_MSRINJ_F_GPADDR: the hypervisor translates it) and to raise #MC
 * there; the hypervisor's own handler then breaks the frame and tells
 * the guest. -q only reports a
 * frame's state (XEN_SYSCTL_wren_frame).
 *
 * May not touch: anything but the one frame named. Every argument is
 * checked before any call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenctrl_wren.h>
#include <xen/arch-x86/xen-mca.h>
#include "dom0.h"

struct mceinj_args
{
    unsigned long domid, cpu;
    unsigned long long gfn, offset;
    bool have_domid, have_gfn, query;
};

static void usage(void)
{
    fprintf(stderr, "usage: xen-mceinj [-q] -d DOMID -g GFN [-c CPU] [-o OFFSET]\n");
}

/* A whole number within max, or an error naming the option. */
static bool number(const char *opt, const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;

    errno = 0;
    *out = strtoull(s, &end, 0);
    if ( errno || end == s || *end || *s == '-' || *out > max )
    {
        fprintf(stderr, "xen-mceinj: %s '%s' is not a number from 0 to %#llx\n", opt, s, max);
        return false;
    }
    return true;
}

static bool parse_one(int c, struct mceinj_args *a)
{
    unsigned long long v;

    switch ( c )
    {
    case 'q': a->query = true; return true;
    case 'd':
        if ( !number("-d DOMID", optarg, DOMID_FIRST_RESERVED - 1, &v) )
            return false;
        a->domid = v;
        a->have_domid = true;
        return true;
    case 'g': a->have_gfn = number("-g GFN", optarg, (1ULL << 52) - 1, &a->gfn); return a->have_gfn;
    case 'c':
        if ( !number("-c CPU", optarg, 4095, &v) )
            return false;
        a->cpu = v;
        return true;
    case 'o': return number("-o OFFSET", optarg, 4095, &a->offset);
    }
    usage();
    return false;
}

static bool parse(int argc, char **argv, struct mceinj_args *a)
{
    int c;

    optind = 1;
    while ( (c = getopt(argc, argv, "qd:g:c:o:")) != -1 )
        if ( !parse_one(c, a) )
            return false;
    if ( optind != argc || !a->have_domid || !a->have_gfn )
    {
        fprintf(stderr, "xen-mceinj: %s\n",
                optind != argc ? "unexpected arguments" : "-d DOMID and -g GFN are needed");
        usage();
        return false;
    }
    return true;
}

static const char *frame_state(const struct xen_sysctl_wren_frame *f)
{
    if ( f->flags & WREN_FRAME_F_BROKEN )
        return "broken";
    return f->flags & WREN_FRAME_F_GUEST ? "in service" : "not a guest frame";
}

static int query(xc_interface *xch, const struct mceinj_args *a)
{
    struct xen_sysctl_wren_frame f = { .op = WREN_FRAME_OF_GFN, .domid = a->domid, .gfn = a->gfn };

    if ( xc_wren_frame(xch, &f) )
    {
        fprintf(stderr, "xen-mceinj: d%lu gfn %#llx: %s\n", a->domid, a->gfn,
                errno == ESRCH ? "no such domain" : strerror(errno));
        return 1;
    }
    printf("d%lu gfn %#llx: mfn %#llx, p2m type %u, %s; %llu frames broken, %llu retired\n",
           a->domid, a->gfn, (unsigned long long)f.mfn, f.p2m_type, frame_state(&f),
           (unsigned long long)f.reported, (unsigned long long)f.retired);
    return 0;
}

static int inject(xc_interface *xch, const struct mceinj_args *a)
{
    if ( xc_wren_break_gfn(xch, a->cpu, a->domid, a->gfn, a->offset) )
    {
        fprintf(stderr, "xen-mceinj: breaking d%lu gfn %#llx on CPU %lu: %s\n", a->domid, a->gfn,
                a->cpu,
                errno == ESRCH    ? "no such domain"
                : errno == EINVAL ? "refused (no RAM there, or no such CPU)"
                                  : strerror(errno));
        return 1;
    }
    printf("xen-mceinj: machine check raised on CPU %lu for d%lu gfn %#llx\n", a->cpu, a->domid,
           a->gfn);
    return 0;
}

int dom0_cmd_mceinj(int argc, char **argv)
{
    struct mceinj_args a = { 0 };
    xc_interface *xch;
    int rc;

    if ( !parse(argc, argv, &a) )
        return 1;
    xch = xc_interface_open(NULL, NULL, 0);
    if ( !xch )
    {
        fprintf(stderr, "xen-mceinj: cannot open the hypervisor interface\n");
        return 1;
    }
    rc = a.query ? query(xch, &a) : inject(xch, &a);
    xc_interface_close(xch);
    return rc;
}
