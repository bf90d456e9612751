/*
 * test-dom0-shell.c - host tests of the dom0 shell's pure parts: word
 * splitting (tools/dom0/split.c) and the line editor driven by key
 * strings as a terminal would send them (tools/dom0/lineedit.c).
 *
 * May not touch: anything but its own buffers.
 */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "../../dom0/dom0.h"

static void test_split_words(void)
{
    char line[] = "  xl  create\t/etc/vm.cfg  ";
    char *argv[8];
    CHECK_EQ(dom0_split(line, argv, 8), 3);
    CHECK(!strcmp(argv[0], "xl") && !strcmp(argv[1], "create"));
    CHECK(!strcmp(argv[2], "/etc/vm.cfg") && !argv[3]);
}

static void test_split_quotes(void)
{
    char line[] = "echo 'a b' \"c \\\"d\\\"\" e\\ f x'y'z";
    char *argv[8];
    CHECK_EQ(dom0_split(line, argv, 8), 5);
    CHECK(!strcmp(argv[1], "a b"));
    CHECK(!strcmp(argv[2], "c \"d\""));
    CHECK(!strcmp(argv[3], "e f"));
    CHECK(!strcmp(argv[4], "xyz"));
}

static void test_split_errors(void)
{
    char open[] = "echo 'never closed", many[] = "a b c d", empty[] = "   ";
    char *argv[4];
    CHECK_EQ(dom0_split(open, argv, 4), -1);
    CHECK_EQ(dom0_split(many, argv, 4), -2);
    CHECK_EQ(dom0_split(empty, argv, 4), 0);
    CHECK(!argv[0]);
}

static char screen[4096];
static size_t screen_len;

static void out(void *ctx, const char *s, size_t n)
{
    if ( screen_len + n < sizeof(screen) )
    {
        memcpy(screen + screen_len, s, n);
        screen_len += n;
    }
}

/* Feed keys; the number of completed lines. */
static int type(struct lineedit *le, const char *keys)
{
    int done = 0;
    for ( ; *keys; keys++ )
        if ( le_feed(le, *keys) )
        {
            done++;
            if ( keys[1] )
                le_next(le);
        }
    return done;
}

static void test_edit_cursor(void)
{
    static struct lineedit le;
    le_init(&le, "xl> ", out, NULL);
    CHECK_EQ(type(&le, "abc\x1b[D\x1b[DX\x1b[CY\r"), 1);
    CHECK(!strcmp(le.buf, "aXbYc"));
    le_next(&le);
    CHECK_EQ(type(&le, "world\x01hello \x05!\r"), 1); /* Ctrl-A, Ctrl-E */
    CHECK(!strcmp(le.buf, "hello world!"));
}

static void test_edit_kill(void)
{
    static struct lineedit le;
    le_init(&le, "xl> ", out, NULL);
    type(&le, "abcdef\x1b[D\x1b[D\x0b"); /* Ctrl-K: kill to end */
    CHECK(!strcmp(le.buf, "abcd"));
    type(&le, "\x1b[D\x15"); /* Ctrl-U: kill to start */
    CHECK(!strcmp(le.buf, "d") && le.cur == 0);
    type(&le, "\x1b[C\x7f\x7f"); /* backspace, once too often */
    CHECK(!strcmp(le.buf, "") && le.cur == 0);
    type(&le, "junk\x03"); /* Ctrl-C drops the line */
    CHECK(!strcmp(le.buf, "") && le.len == 0);
}

static void test_edit_history(void)
{
    static struct lineedit le;
    le_init(&le, "xl> ", out, NULL);
    CHECK_EQ(type(&le, "one\rtwo\rthree\r"), 3);
    le_next(&le);
    type(&le, "\x1b[A");
    CHECK(!strcmp(le.buf, "three"));
    type(&le, "\x1b[A\x1b[A\x1b[A");
    CHECK(!strcmp(le.buf, "one")); /* stops at the oldest */
    type(&le, "\x1b[B");
    CHECK(!strcmp(le.buf, "two"));
    type(&le, "\x1b[B\x1b[B");
    CHECK(!strcmp(le.buf, "")); /* past the newest: a fresh line */
}

static void test_edit_history_limit(void)
{
    static struct lineedit le;
    char line[16];
    le_init(&le, "xl> ", out, NULL);
    for ( int i = 0; i < LE_HISTORY + 4; i++ )
    {
        snprintf(line, sizeof(line), "c%d\r", i);
        type(&le, line);
        le_next(&le);
    }
    for ( int i = 0; i < 2 * LE_HISTORY; i++ )
        type(&le, "\x1b[A");
    CHECK(!strcmp(le.buf, "c4")); /* the oldest still remembered */
}

static void test_edit_full(void)
{
    static struct lineedit le;
    le_init(&le, "> ", out, NULL);
    for ( int i = 0; i < 2 * LE_MAX; i++ )
        le_feed(&le, 'x');
    CHECK_EQ(le.len, LE_MAX - 1);
    CHECK_EQ(strlen(le.buf), LE_MAX - 1);
}

static void test_edit_redraw(void)
{
    static struct lineedit le;
    screen_len = 0;
    le_init(&le, "xl> ", out, NULL);
    type(&le, "ab\x1b[D");
    screen[screen_len] = 0;
    /* The last redraw: clear the line, prompt, text, one column back. */
    CHECK(strstr(screen, "\r\x1b[Kxl> ab\x1b[1D"));
}

int main(void)
{
    static const struct test_case cases[] = {
        { "split_words", test_split_words },   { "split_quotes", test_split_quotes },
        { "split_errors", test_split_errors }, { "edit_cursor", test_edit_cursor },
        { "edit_kill", test_edit_kill },       { "edit_history", test_edit_history },
        { "edit_full", test_edit_full },       { "edit_history_limit", test_edit_history_limit },
        { "edit_redraw", test_edit_redraw },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
