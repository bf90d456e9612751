/*
 * console.c - /dev/console: the hypervisor console as a terminal.
 * Output is CONSOLEIO_write; input is whatever CONSOLEIO_read hands us
 * (the serial line), pulled when someone reads or polls and when
 * VIRQ_CONSOLE fires (a hypervisor without it is polled every 20 ms
 * while someone waits for input: event.c). TCGETS/TCSETS keep a termios: in canonical mode
 * (the default) input is echoed and handed out a line at a time with
 * backspace applied; in raw mode (what the shell's line editor sets) it
 * is handed out as it comes.
 *
 * May not touch: other descriptors; the hypervisor beyond console_io.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <xen/xen.h>
#include "rt.h"

#define INBUF 1024

static struct termios tio = {
    .c_iflag = ICRNL,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B38400 | CS8 | CREAD,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE,
    .c_cc = { [VINTR] = 3, [VERASE] = 127, [VKILL] = 21, [VEOF] = 4, [VMIN] = 1 },
};
static char in[INBUF];
static size_t in_len, in_ready; /* [0, in_ready) may be read */

static void echo(const char *s, size_t n)
{
    if ( tio.c_lflag & ECHO )
        rt_console_write(s, n);
}

static void cook(char c)
{
    if ( (tio.c_iflag & ICRNL) && c == '\r' )
        c = '\n';
    if ( !(tio.c_lflag & ICANON) )
    {
        if ( in_len < INBUF )
            in[in_len++] = c;
        in_ready = in_len;
        return;
    }
    if ( c == tio.c_cc[VERASE] || c == '\b' )
    {
        if ( in_len > in_ready && in_len-- )
            echo("\b \b", 3);
        return;
    }
    if ( in_len < INBUF )
        in[in_len++] = c;
    echo(&c, 1);
    if ( c == '\n' || in_len == INBUF )
        in_ready = in_len;
}

/* Take everything waiting (a full buffer means there may be more). */
void rt_console_poll_input(void)
{
    char buf[64];
    long n;
    do
    {
        n = hypercall(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf), (long)buf, 0, 0);
        for ( long i = 0; i < n; i++ )
            cook(buf[i]);
    } while ( n == (long)sizeof(buf) );
}

void rt_console_kick(void)
{
    rt_console_poll_input();
}

static bool readable(void *unused)
{
    if ( !in_ready )
        rt_console_poll_input();
    if ( !in_ready )
        rt_console_waiting = true;
    return in_ready;
}

static long con_read(struct rt_file *f, void *buf, size_t n, int64_t *off)
{
    int rc = rt_block(readable, NULL, rt_file_nonblock(f), 0);
    if ( rc )
        return rc;
    if ( n > in_ready )
        n = in_ready;
    memcpy(buf, in, n);
    memmove(in, in + n, in_len - n);
    in_len -= n;
    in_ready -= n;
    return (long)n;
}

static long con_write(struct rt_file *f, const void *buf, size_t n, int64_t *off)
{
    rt_console_write(buf, n);
    return (long)n;
}

static long con_ioctl(struct rt_file *f, unsigned long req, unsigned long arg)
{
    switch ( req )
    {
    case TCGETS: memcpy((void *)arg, &tio, sizeof(tio)); return 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        memcpy(&tio, (const void *)arg, sizeof(tio));
        if ( !(tio.c_lflag & ICANON) )
            in_ready = in_len;
        return 0;
    case TIOCGWINSZ:
        *(struct winsize *)arg = (struct winsize){ .ws_row = 25, .ws_col = 80 };
        return 0;
    case TIOCSWINSZ: return 0;
    case TIOCGPGRP: *(int *)arg = 1; return 0;
    default: return -ENOTTY;
    }
}

static short con_poll(struct rt_file *f)
{
    return POLLOUT | (readable(NULL) ? POLLIN : 0);
}

const struct rt_fops rt_console_fops = {
    .read = con_read, .write = con_write, .ioctl = con_ioctl, .poll = con_poll
};

int rt_console_open_std(void)
{
    for ( int i = 0; i < 3; i++ )
        if ( rt_fs_open(AT_FDCWD, "/dev/console", O_RDWR, 0) != i )
            return -1;
    return 0;
}

/* /dev/null, for the programs that want one. */
static long null_read(struct rt_file *f, void *buf, size_t n, int64_t *off)
{
    return 0;
}

static long null_write(struct rt_file *f, const void *buf, size_t n, int64_t *off)
{
    return (long)n;
}

static short null_poll(struct rt_file *f)
{
    return POLLIN | POLLOUT;
}

const struct rt_fops rt_null_fops = { .read = null_read, .write = null_write, .poll = null_poll };
