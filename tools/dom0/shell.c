/*
 * shell.c - the interactive shell on /dev/console: the terminal in raw
 * mode, the line editor (lineedit.c) fed from it, each finished line run
 * as a command. Ctrl-D on an empty line powers dom0 off.
 *
 * May not touch: the terminal's settings beyond the time it runs (they
 * are put back before a command runs, so commands see a normal tty).
 */
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include "dom0.h"

static void out(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
}

static void raw(struct termios *saved)
{
    struct termios t;
    tcgetattr(0, saved);
    t = *saved;
    cfmakeraw(&t);
    tcsetattr(0, TCSANOW, &t);
}

int dom0_shell(void)
{
    static struct lineedit le;
    struct termios saved;
    char c;
    printf("Wren dom0: type help for the commands\n");
    raw(&saved);
    le_init(&le, "xl> ", out, NULL);
    for ( ;; )
    {
        fflush(stdout);
        if ( read(0, &c, 1) != 1 || (c == 4 && !le.len) )
            break;
        if ( !le_feed(&le, c) )
            continue;
        tcsetattr(0, TCSANOW, &saved);
        dom0_run_line(le.buf);
        raw(&saved);
        le_next(&le);
    }
    tcsetattr(0, TCSANOW, &saved);
    printf("\n");
    return 0;
}
