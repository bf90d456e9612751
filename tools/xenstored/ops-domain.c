/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ops-domain.c - the handlers of the requests about domains and the
 * daemon: INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, GET_DOMAIN_PATH,
 * SET_TARGET, RESUME and a minimal CONTROL. All but the queries are for
 * privileged connections only (EACCES otherwise).
 *
 * The domains themselves (rings, event channels) are ring.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define DOMID_FIRST_RESERVED 0x7ff0u

/* A decimal number no greater than max. */
static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
    char *end;

    if ( *s < '0' || *s > '9' )
        return EINVAL;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return errno || *end || *out > max ? EINVAL : 0;
}

static int parse_domid(const char *s, unsigned long *out)
{
    return parse_num(s, DOMID_FIRST_RESERVED - 1, out);
}

static int ok(struct req *r)
{
    return req_reply(r, "OK");
}

int op_introduce(struct req *r)
{
    const char *vec[3];
    unsigned long domid, mfn, port;
    int rc;

    if ( !r->conn->who.privileged )
        return EACCES;
    if ( req_strings(r, vec, 3) != 3 || parse_domid(vec[0], &domid) || !domid ||
         parse_num(vec[1], ~0ul, &mfn) || parse_num(vec[2], 0xffffffffu, &port) )
        return EINVAL;
    if ( (rc = domain_introduce(r->xsd, domid, mfn, port)) )
        return rc;
    watch_fire_special(r->xsd, "@introduceDomain");
    return ok(r);
}

int op_release(struct req *r)
{
    const char *arg;
    unsigned long domid;
    struct domain *d;

    if ( !r->conn->who.privileged )
        return EACCES;
    if ( req_onearg(r, &arg) || parse_domid(arg, &domid) )
        return EINVAL;
    if ( !(d = domain_find(r->xsd, domid)) )
        return ENOENT;
    domain_release(r->xsd, d);
    watch_fire_special(r->xsd, "@releaseDomain");
    return ok(r);
}

int op_is_introduced(struct req *r)
{
    const char *arg;
    unsigned long domid;

    if ( req_onearg(r, &arg) || parse_domid(arg, &domid) )
        return EINVAL;
    return req_reply(r, !domid || domain_find(r->xsd, domid) ? "T" : "F");
}

int op_get_domain_path(struct req *r)
{
    const char *arg;
    unsigned long domid;
    char path[32];

    if ( req_onearg(r, &arg) || parse_domid(arg, &domid) )
        return EINVAL;
    snprintf(path, sizeof(path), "/local/domain/%lu", domid);
    return req_reply(r, path);
}

int op_set_target(struct req *r)
{
    const char *vec[2];
    unsigned long domid, target;
    struct conn *c;

    if ( !r->conn->who.privileged )
        return EACCES;
    if ( req_strings(r, vec, 2) != 2 || parse_domid(vec[0], &domid) ||
         parse_domid(vec[1], &target) )
        return EINVAL;
    if ( !(c = conn_of_domain(r->xsd, domid)) || !domain_find(r->xsd, target) )
        return ENOENT;
    c->who.target = target;
    return ok(r);
}

int op_resume(struct req *r)
{
    const char *arg;
    unsigned long domid;

    if ( !r->conn->who.privileged )
        return EACCES;
    if ( req_onearg(r, &arg) || parse_domid(arg, &domid) )
        return EINVAL;
    return domain_find(r->xsd, domid) ? ok(r) : ENOENT;
}

/* "check" (the tree is always consistent here) and "print" (to stderr). */
int op_control(struct req *r)
{
    const char *vec[2];
    int n = req_strings(r, vec, 2);

    if ( !r->conn->who.privileged )
        return EACCES;
    if ( n >= 1 && !strcmp(vec[0], "check") )
        return ok(r);
    if ( n == 2 && !strcmp(vec[0], "print") )
    {
        fprintf(stderr, "xenstored: %s\n", vec[1]);
        return ok(r);
    }
    return EINVAL;
}
