/*
 * split.c - split a command line into words the way a shell does for
 * the cases the dom0 shell and scripts need: blanks, quotes, backslash.
 * No variables, globs, pipes or redirections.
 *
 * May not touch: anything but the line it is given (words are made in
 * place; nothing is allocated).
 */
#include "dom0.h"

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy one word from *src to dst (dst <= *src); -1 on an open quote. */
static int word(char **src, char *dst)
{
    char *s = *src, q = 0;
    for ( ; *s && (q || !blank(*s)); s++ )
    {
        if ( !q && (*s == '\'' || *s == '"') )
            q = *s;
        else if ( q && *s == q )
            q = 0;
        else if ( *s == '\\' && q != '\'' && s[1] && (!q || s[1] == '"' || s[1] == '\\') )
            *dst++ = *++s;
        else
            *dst++ = *s;
    }
    if ( q )
        return -1;
    *src = *s ? s + 1 : s;
    *dst = 0;
    return 0;
}

int dom0_split(char *line, char **argv, int max)
{
    int argc = 0;
    char *s = line;
    for ( ;; )
    {
        char *start;
        while ( blank(*s) )
            s++;
        if ( !*s )
            break;
        if ( argc == max - 1 )
            return -2;
        start = s;
        if ( word(&s, start) )
            return -1;
        argv[argc++] = start;
    }
    argv[argc] = NULL;
    return argc;
}
