/*
 * lineedit.c - the shell's line editor, as a state machine: fed one byte
 * of terminal input at a time, it edits a line and writes what the
 * terminal must show through a callback (VT100 sequences). Keys: left,
 * right, backspace, Ctrl-A/E (start/end), Ctrl-U/K (kill to start/end),
 * up/down (history), Ctrl-C (drop the line), Enter.
 *
 * May not touch: the terminal itself (the caller reads and writes it),
 * so host tests drive it with byte strings.
 */
#include <stdio.h>
#include <string.h>
#include "dom0.h"

#define CTRL(c) ((c)&0x1f)

static void emit(struct lineedit *le, const char *s)
{
    le->out(le->ctx, s, strlen(s));
}

/* Redraw the whole line and put the cursor back where it belongs. */
static void redraw(struct lineedit *le)
{
    char back[32];
    emit(le, "\r\x1b[K");
    emit(le, le->prompt);
    le->out(le->ctx, le->buf, le->len);
    if ( le->len > le->cur )
    {
        snprintf(back, sizeof(back), "\x1b[%zuD", le->len - le->cur);
        emit(le, back);
    }
}

void le_init(struct lineedit *le, const char *prompt,
             void (*out)(void *ctx, const char *s, size_t n), void *ctx)
{
    memset(le, 0, sizeof(*le));
    le->prompt = prompt;
    le->out = out;
    le->ctx = ctx;
    emit(le, prompt);
}

static void set_line(struct lineedit *le, const char *s)
{
    snprintf(le->buf, sizeof(le->buf), "%s", s);
    le->len = le->cur = strlen(le->buf);
}

static void insert(struct lineedit *le, char c)
{
    if ( le->len == LE_MAX - 1 )
        return;
    memmove(le->buf + le->cur + 1, le->buf + le->cur, le->len - le->cur);
    le->buf[le->cur++] = c;
    le->buf[++le->len] = 0;
}

static void erase(struct lineedit *le, size_t from, size_t to)
{
    memmove(le->buf + from, le->buf + to, le->len - to);
    le->len -= to - from;
    le->cur = from;
    le->buf[le->len] = 0;
}

/* Up (-1) or down (+1) through the history; past the newest is empty. */
static void history(struct lineedit *le, int dir)
{
    unsigned int oldest = le->nhist > LE_HISTORY ? le->nhist - LE_HISTORY : 0;
    if ( dir < 0 && le->hpos > oldest )
        le->hpos--;
    else if ( dir > 0 && le->hpos < le->nhist )
        le->hpos++;
    else
        return;
    set_line(le, le->hpos < le->nhist ? le->hist[le->hpos % LE_HISTORY] : "");
}

static void escape(struct lineedit *le, char c)
{
    if ( le->esc == 1 )
    {
        le->esc = c == '[' ? 2 : 0;
        return;
    }
    le->esc = 0;
    switch ( c )
    {
    case 'A': history(le, -1); break;
    case 'B': history(le, +1); break;
    case 'C': le->cur += le->cur < le->len; break;
    case 'D': le->cur -= le->cur > 0; break;
    case 'H': le->cur = 0; break;
    case 'F': le->cur = le->len; break;
    }
}

static bool key(struct lineedit *le, char c)
{
    switch ( c )
    {
    case '\r':
    case '\n': emit(le, "\r\n"); return true;
    case 127:
    case '\b':
        if ( le->cur )
            erase(le, le->cur - 1, le->cur);
        break;
    case CTRL('A'): le->cur = 0; break;
    case CTRL('E'): le->cur = le->len; break;
    case CTRL('U'): erase(le, 0, le->cur); break;
    case CTRL('K'): erase(le, le->cur, le->len); break;
    case CTRL('C'):
        emit(le, "^C\r\n");
        set_line(le, "");
        le->hpos = le->nhist;
        break;
    case 27: le->esc = 1; return false;
    default:
        if ( (unsigned char)c >= 0x20 )
            insert(le, c);
        break;
    }
    return false;
}

bool le_feed(struct lineedit *le, char c)
{
    if ( le->esc )
        escape(le, c);
    else if ( key(le, c) )
        return true;
    if ( !le->esc )
        redraw(le);
    return false;
}

void le_next(struct lineedit *le)
{
    if ( le->len )
    {
        memcpy(le->hist[le->nhist % LE_HISTORY], le->buf, le->len + 1);
        le->nhist++;
    }
    le->hpos = le->nhist;
    set_line(le, "");
    emit(le, le->prompt);
}
