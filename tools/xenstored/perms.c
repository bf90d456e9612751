/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * perms.c - node permissions: what a domain may do with a node, and the
 * wire form of a permission list ("b0", "r5": a letter n/r/w/b and a
 * domain id, one NUL-terminated string each; the first entry names the
 * owner and what every domain not listed may do).
 *
 * Pure functions over struct perms; no tree, no connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define PERM_ALL (PERM_READ | PERM_WRITE | PERM_OWNER)

static bool is_me(const struct who *w, unsigned int id)
{
    return id == w->domid || (w->target != DOMID_NONE && id == w->target);
}

unsigned int perm_for(const struct who *w, const struct perms *p)
{
    unsigned int i;

    if ( w->privileged || is_me(w, p->p[0].id) )
        return PERM_ALL;
    for ( i = 1; i < p->num; i++ )
        if ( is_me(w, p->p[i].id) )
            return p->p[i].perms;
    return p->p[0].perms;
}

static int perm_letter(char c, unsigned int *perms)
{
    switch ( c )
    {
    case 'n': *perms = PERM_NONE; return 0;
    case 'r': *perms = PERM_READ; return 0;
    case 'w': *perms = PERM_WRITE; return 0;
    case 'b': *perms = PERM_READ | PERM_WRITE; return 0;
    default: return EINVAL;
    }
}

static int perm_parse_one(const char *s, struct xs_perm *out)
{
    char *end;
    unsigned long id;

    if ( perm_letter(s[0], &out->perms) || s[1] < '0' || s[1] > '9' )
        return EINVAL;
    errno = 0;
    id = strtoul(s + 1, &end, 10);
    if ( errno || *end || id > 0xffff )
        return EINVAL;
    out->id = id;
    return 0;
}

/* n NUL-terminated strings at s (len bytes in all). */
int perms_parse(const char *s, unsigned int len, unsigned int n, struct perms *out)
{
    unsigned int i;

    if ( !n )
        return EINVAL;
    out->num = n;
    if ( !(out->p = calloc(n, sizeof(*out->p))) )
        return ENOMEM;
    for ( i = 0; i < n; i++, s += strlen(s) + 1 )
        if ( perm_parse_one(s, &out->p[i]) )
        {
            perms_dispose(out);
            return EINVAL;
        }
    return 0;
}

/* The wire form; its length (the whole length, even if size was short). */
unsigned int perms_format(const struct perms *p, char *buf, unsigned int size)
{
    static const char letters[] = { 'n', 'r', 'w', 'b' };
    unsigned int i, off = 0;
    int n;

    for ( i = 0; i < p->num; i++ )
    {
        n = snprintf(off < size ? buf + off : NULL, off < size ? size - off : 0, "%c%u",
                     letters[p->p[i].perms & 3], p->p[i].id);
        off += n + 1;
    }
    return off;
}

int perms_copy(struct perms *dst, const struct perms *src)
{
    dst->num = src->num;
    dst->p = malloc(src->num * sizeof(*dst->p));
    if ( !dst->p )
        return ENOMEM;
    memcpy(dst->p, src->p, src->num * sizeof(*dst->p));
    return 0;
}

void perms_dispose(struct perms *p)
{
    free(p->p);
    p->p = NULL;
    p->num = 0;
}
