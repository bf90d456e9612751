/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xs-list.c - libxenstore's calls that return lists: a directory (with
 * XS_DIRECTORY_PART when the list does not fit one message, restarting
 * if the node changes meanwhile) and permission lists in both
 * directions. Each list is handed back as one malloc()ed block: the
 * array, then the strings it points into.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs-private.h"

/* "a\0b\0" (len bytes) as a NULL-free array of *num strings. */
static char **split(const char *buf, unsigned int len, unsigned int *num)
{
    unsigned int i, n = 0;
    char **vec, *strs;

    for ( i = 0; i < len; i++ )
        n += buf[i] == '\0';
    if ( !(vec = malloc(n * sizeof(*vec) + len + 1)) )
        return NULL;
    strs = (char *)(vec + n);
    memcpy(strs, buf, len);
    for ( i = 0; i < n; i++, strs += strlen(strs) + 1 )
        vec[i] = strs;
    *num = n;
    return vec;
}

/* Appends one reply's names to *all; 1 when the list ended. */
static int part_append(char **all, size_t *used, const char *names, unsigned int len)
{
    const char *s = names;
    size_t l;
    char *grown;

    for ( ; s < names + len && *s; s += l )
    {
        l = strlen(s) + 1;
        if ( !(grown = realloc(*all, *used + l)) )
            return -1;
        *all = grown;
        memcpy(*all + *used, s, l);
        *used += l;
    }
    return s < names + len;
}

/* One DIRECTORY_PART round; the generation must stay gen (or set it). */
static int part_round(struct xs_handle *h, xs_transaction_t t, const char *path, char *gen,
                      char **all, size_t *used)
{
    char req[XENSTORE_ABS_PATH_MAX + 32], *r;
    unsigned int len, glen;
    int n = snprintf(req, sizeof(req), "%s%c%zu", path, '\0', *used), rc;

    if ( n < 0 || (size_t)n >= sizeof(req) )
    {
        errno = E2BIG;
        return -1;
    }
    if ( !(r = xs_talk(h, XS_DIRECTORY_PART, t, req, n + 1, &len)) )
        return -1;
    glen = strlen(r) + 1;
    if ( !*gen )
        snprintf(gen, 32, "%s", r);
    if ( strcmp(gen, r) || glen > len )
        rc = 2; /* changed under us: start again */
    else
        rc = part_append(all, used, r + glen, len - glen);
    free(r);
    return rc;
}

static char **directory_parts(struct xs_handle *h, xs_transaction_t t, const char *path,
                              unsigned int *num)
{
    char gen[32] = "", *all = NULL, **vec = NULL;
    size_t used = 0;
    int rc, tries = 0;

    while ( (rc = part_round(h, t, path, gen, &all, &used)) != 1 && rc >= 0 )
        if ( rc == 2 && ++tries < 8 )
        {
            used = 0;
            gen[0] = '\0';
        }
        else if ( rc == 2 )
        {
            errno = EAGAIN;
            rc = -1;
            break;
        }
    if ( rc == 1 )
        vec = split(all ? all : "", used, num);
    free(all);
    return vec;
}

char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *num)
{
    unsigned int len;
    char *r = xs_talk(h, XS_DIRECTORY, t, path, strlen(path) + 1, &len), **vec;

    if ( !r )
        return errno == E2BIG ? directory_parts(h, t, path, num) : NULL;
    vec = split(r, len, num);
    free(r);
    return vec;
}

static int perm_parse(const char *s, struct xs_permissions *p)
{
    char *end;

    switch ( s[0] )
    {
    case 'n': p->perms = XS_PERM_NONE; break;
    case 'r': p->perms = XS_PERM_READ; break;
    case 'w': p->perms = XS_PERM_WRITE; break;
    case 'b': p->perms = XS_PERM_READ | XS_PERM_WRITE; break;
    default: return -1;
    }
    p->id = strtoul(s + 1, &end, 10);
    return *end || end == s + 1 ? -1 : 0;
}

struct xs_permissions *xs_get_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                                          unsigned int *num)
{
    unsigned int len, i, n;
    char *r = xs_talk(h, XS_GET_PERMS, t, path, strlen(path) + 1, &len), **vec;
    struct xs_permissions *perms = NULL;

    if ( !r || !(vec = split(r, len, &n)) )
        goto out;
    if ( n && (perms = malloc(n * sizeof(*perms))) )
        for ( i = 0; i < n && perms; i++ )
            if ( perm_parse(vec[i], &perms[i]) )
            {
                free(perms);
                perms = NULL;
                errno = EPROTO;
            }
    *num = n;
    free(vec);
out:
    free(r);
    return perms;
}

static int perm_format(const struct xs_permissions *p, char *buf, size_t size)
{
    static const char letters[] = { 'n', 'r', 'w', 'b' };
    int n = snprintf(buf, size, "%c%u", letters[p->perms & 3], p->id);

    return n < 0 || (size_t)n >= size ? -1 : n + 1;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                        struct xs_permissions *perms, unsigned int num_perms)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    const char *vec[1] = { path };
    int off = xs_join(buf, sizeof(buf), vec, 1), n;
    unsigned int i;

    for ( i = 0; off >= 0 && i < num_perms; i++, off += n )
        if ( (n = perm_format(&perms[i], buf + off, sizeof(buf) - off)) < 0 )
            off = -1;
    if ( off < 0 )
    {
        errno = E2BIG;
        return false;
    }
    return xs_bool(h, XS_SET_PERMS, t, buf, off);
}
