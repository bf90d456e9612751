/*
 * scenario.c - the commands a toolstack scenario script uses beside xl:
 * Xen's xenstore-read/-write/-ls/-rm, repeat (a loop), and checks that
 * wait for a guest to do something (sleep, wait-xs, wait-console,
 * wait-gone), type at a guest's console (console-send) or compare the
 * host's free memory with a baseline (free-pages save|same|fewer N).
 * Each returns 0 when the condition holds and 1 (with a message naming
 * what was seen) when not, so script mode's verdict follows them.
 *
 * May not touch: anything but the store nodes a command names and the
 * console input of the domain console-send names; reads only, otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <xenctrl.h>
#include <xenstore.h>
#include <xenconsoled.h>
#include <libxl.h>
#include "dom0.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep in the runtime, so that the services keep running. */
static void pause_ms(unsigned int ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

int dom0_cmd_sleep(int argc, char **argv)
{
    if ( argc != 2 )
    {
        fprintf(stderr, "usage: sleep SECONDS\n");
        return 2;
    }
    pause_ms((unsigned int)(strtod(argv[1], NULL) * 1000));
    return 0;
}

/* Run fn on an open store handle. */
static int with_store(int (*fn)(struct xs_handle *, int, char **), int argc, char **argv)
{
    struct xs_handle *xs = xs_open(0);
    int rc;

    if ( !xs )
    {
        fprintf(stderr, "%s: cannot reach xenstored: %s\n", argv[0], strerror(errno));
        return 1;
    }
    rc = fn(xs, argc, argv);
    xs_close(xs);
    return rc;
}

static int do_read(struct xs_handle *xs, int argc, char **argv)
{
    for ( int i = 1; i < argc; i++ )
    {
        unsigned int len;
        char *v = xs_read(xs, XBT_NULL, argv[i], &len);

        if ( !v )
        {
            fprintf(stderr, "xenstore-read: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        printf("%.*s\n", (int)len, v);
        free(v);
    }
    return 0;
}

static int do_write(struct xs_handle *xs, int argc, char **argv)
{
    for ( int i = 1; i + 1 < argc; i += 2 )
        if ( !xs_write(xs, XBT_NULL, argv[i], argv[i + 1], strlen(argv[i + 1])) )
        {
            fprintf(stderr, "xenstore-write: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
    return 0;
}

static int do_rm(struct xs_handle *xs, int argc, char **argv)
{
    for ( int i = 1; i < argc; i++ )
        if ( !xs_rm(xs, XBT_NULL, argv[i]) )
        {
            fprintf(stderr, "xenstore-rm: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
    return 0;
}

static void list_tree(struct xs_handle *xs, const char *path, int depth)
{
    unsigned int n, len;
    char **kids = xs_directory(xs, XBT_NULL, path, &n);

    for ( unsigned int i = 0; kids && i < n; i++ )
    {
        char child[1024];
        char *v;

        snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", kids[i]);
        v = xs_read(xs, XBT_NULL, child, &len);
        printf("%*s%s = \"%.*s\"\n", depth, "", kids[i], v ? (int)len : 0, v ? v : "");
        free(v);
        list_tree(xs, child, depth + 1);
    }
    free(kids);
}

static int do_ls(struct xs_handle *xs, int argc, char **argv)
{
    list_tree(xs, argc > 1 ? argv[1] : "/", 0);
    return 0;
}

int dom0_cmd_xenstore_read(int argc, char **argv)
{
    return argc < 2 ? 2 : with_store(do_read, argc, argv);
}

int dom0_cmd_xenstore_write(int argc, char **argv)
{
    return argc < 3 || !(argc & 1) ? 2 : with_store(do_write, argc, argv);
}

int dom0_cmd_xenstore_rm(int argc, char **argv)
{
    return argc < 2 ? 2 : with_store(do_rm, argc, argv);
}

int dom0_cmd_xenstore_ls(int argc, char **argv)
{
    return with_store(do_ls, argc, argv);
}

/* "=V" equal, ">=N" at least N (numbers), or "" any value. */
static bool value_matches(const char *v, const char *want)
{
    if ( !want || !*want )
        return true;
    if ( !strncmp(want, ">=", 2) )
        return strtoll(v, NULL, 0) >= strtoll(want + 2, NULL, 0);
    return !strcmp(v, want[0] == '=' ? want + 1 : want);
}

static int do_wait_xs(struct xs_handle *xs, int argc, char **argv)
{
    const char *want = argc > 2 ? argv[2] : NULL;
    double end = now_s() + (argc > 3 ? strtod(argv[3], NULL) : 30);
    char *v = NULL;

    for ( ;; )
    {
        unsigned int len;

        free(v);
        v = xs_read(xs, XBT_NULL, argv[1], &len);
        if ( want && !strcmp(want, "gone") ? !v && errno == ENOENT : v && value_matches(v, want) )
            break;
        if ( now_s() > end )
        {
            fprintf(stderr, "wait-xs: %s is %s%s%s, wanted %s\n", argv[1], v ? "\"" : "",
                    v ? v : "missing", v ? "\"" : "", want ? want : "any value");
            free(v);
            return 1;
        }
        pause_ms(50);
    }
    printf("%s = \"%s\"\n", argv[1], v ? v : "(gone)");
    free(v);
    return 0;
}

/* wait-xs PATH [=VALUE|>=N|gone] [TIMEOUT_S]: gone waits for the node
 * to be removed. */
int dom0_cmd_wait_xs(int argc, char **argv)
{
    if ( argc < 2 || argc > 4 )
    {
        fprintf(stderr, "usage: wait-xs PATH [=VALUE|>=N|gone] [TIMEOUT_S]\n");
        return 2;
    }
    return with_store(do_wait_xs, argc, argv);
}

static int console_connect(unsigned int domid)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%u", XENCONSOLED_DIR, domid);
    if ( fd >= 0 && (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
                     fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)) )
    {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* What wait-console read last, for its failure message. */
static char console_seen[16384];
static size_t console_have;

/* Read the console until text shows up or the time is over. */
static bool console_shows(int fd, const char *text, double end)
{
    console_have = 0;
    console_seen[0] = '\0';
    while ( now_s() <= end )
    {
        ssize_t n =
            recv(fd, console_seen + console_have, sizeof(console_seen) - 1 - console_have, 0);

        if ( n > 0 )
        {
            console_have += n;
            console_seen[console_have] = '\0';
            if ( strstr(console_seen, text) )
                return true;
            if ( console_have > sizeof(console_seen) / 2 ) /* keep a tail: text may straddle */
            {
                memmove(console_seen, console_seen + console_have - 4096, 4096);
                console_have = 4096;
                console_seen[console_have] = '\0';
            }
            continue;
        }
        if ( n == 0 )
            return false;
        pause_ms(50);
    }
    return false;
}

/* The guest's lines, each behind "  | " so that none can pass for one
 * of dom0's own (a guest's "Test result:" line above all). */
static void print_quoted(const char *text)
{
    while ( *text )
    {
        size_t n = strcspn(text, "\n");

        fprintf(stderr, "  | %.*s\n", (int)n, text);
        text += n + (text[n] == '\n');
    }
}

/* wait-console DOMID TEXT [TIMEOUT_S] */
int dom0_cmd_wait_console(int argc, char **argv)
{
    int fd;
    bool ok;

    if ( argc < 3 || argc > 4 )
    {
        fprintf(stderr, "usage: wait-console DOMID TEXT [TIMEOUT_S]\n");
        return 2;
    }
    fd = console_connect((unsigned int)strtoul(argv[1], NULL, 0));
    if ( fd < 0 )
    {
        fprintf(stderr, "wait-console: no console for domain %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    ok = console_shows(fd, argv[2], now_s() + (argc > 3 ? strtod(argv[3], NULL) : 30));
    close(fd);
    if ( !ok )
    {
        fprintf(stderr, "wait-console: domain %s never printed \"%s\"; its console ended:\n",
                argv[1], argv[2]);
        print_quoted(console_seen);
    }
    else
        printf("domain %s printed \"%s\"\n", argv[1], argv[2]);
    return !ok;
}

/* Read what the daemon sends for ms: it serves a client (log first,
 * then input) only while the client is connected, so a client that
 * hung up at once would have its keystrokes dropped. */
static void console_linger(int fd, unsigned int ms)
{
    char sink[512];

    for ( double end = now_s() + ms / 1e3; now_s() < end; )
        if ( recv(fd, sink, sizeof(sink), 0) <= 0 )
            pause_ms(20);
}

/* console-send DOMID TEXT: TEXT and a newline typed at the guest's
 * console, as `xl console` would type them. */
int dom0_cmd_console_send(int argc, char **argv)
{
    char line[256];
    int fd, len;
    bool ok;

    if ( argc != 3 || (len = snprintf(line, sizeof(line), "%s\n", argv[2])) >= (int)sizeof(line) )
    {
        fprintf(stderr, "usage: console-send DOMID TEXT (TEXT under %zu bytes)\n", sizeof(line));
        return 2;
    }
    fd = console_connect((unsigned int)strtoul(argv[1], NULL, 0));
    if ( fd < 0 )
    {
        fprintf(stderr, "console-send: no console for domain %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    ok = send(fd, line, len, MSG_NOSIGNAL) == len;
    if ( !ok )
        fprintf(stderr, "console-send: domain %s: %s\n", argv[1], strerror(errno));
    else
        console_linger(fd, 500);
    close(fd);
    return !ok;
}

/* free-pages save | free-pages same: the host's free frames now, or
 * compared with the saved count (a leak shows as fewer). */
int dom0_cmd_free_pages(int argc, char **argv)
{
    static uint64_t saved;
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    xc_physinfo_t info;
    int rc = 1;

    if ( argc < 2 || argc > 3 || !xch || xc_physinfo(xch, &info) )
        goto out;
    if ( !strcmp(argv[1], "save") )
    {
        saved = info.free_pages;
        printf("free pages: %llu (saved)\n", (unsigned long long)saved);
        rc = 0;
    }
    else if ( !strcmp(argv[1], "same") )
    {
        printf("free pages: %llu, saved %llu\n", (unsigned long long)info.free_pages,
               (unsigned long long)saved);
        rc = info.free_pages != saved;
    }
    else if ( !strcmp(argv[1], "fewer") && argc == 3 )
    {
        /* A frame taken out of service for good (a broken one) is missed. */
        unsigned long long n = strtoull(argv[2], NULL, 0);

        printf("free pages: %llu, saved %llu, %llu fewer expected\n",
               (unsigned long long)info.free_pages, (unsigned long long)saved, n);
        rc = info.free_pages + n != saved;
    }
out:
    if ( xch )
        xc_interface_close(xch);
    return rc;
}

/* Has xl, acting on the domain's on_poweroff/on_reboot/on_crash, made
 * the domain named go away? (xl does this at each command; here too.) */
static bool domain_gone(libxl_ctx *ctx, const char *name)
{
    libxl_domid domid;

    libxl_domain_death_handle(ctx);
    return libxl_name_to_domid(ctx, name, &domid) != 0;
}

/* wait-gone NAME [TIMEOUT_S]: the domain shut itself down and was reaped. */
int dom0_cmd_wait_gone(int argc, char **argv)
{
    libxl_ctx *ctx = NULL;
    double end;
    bool gone = false;

    if ( argc < 2 || argc > 3 )
    {
        fprintf(stderr, "usage: wait-gone NAME [TIMEOUT_S]\n");
        return 2;
    }
    if ( libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, NULL) )
        return 1;
    end = now_s() + (argc > 2 ? strtod(argv[2], NULL) : 30);
    while ( !(gone = domain_gone(ctx, argv[1])) && now_s() <= end )
        pause_ms(100);
    libxl_ctx_free(ctx);
    if ( !gone )
        fprintf(stderr, "wait-gone: domain %s is still there\n", argv[1]);
    else
        printf("domain %s is gone\n", argv[1]);
    return !gone;
}

/* Run each ';'-separated command of one line, stopping at a failure. */
static int run_sequence(const char *line)
{
    char copy[1024], *cmd, *save = NULL;
    int rc = 0;

    snprintf(copy, sizeof(copy), "%s", line);
    for ( cmd = strtok_r(copy, ";", &save); cmd && !rc; cmd = strtok_r(NULL, ";", &save) )
        rc = dom0_run_line(cmd);
    return rc;
}

/* repeat N "CMD; CMD..." - the commands N times over, stopping at the
 * first that fails (a script's loop). */
int dom0_cmd_repeat(int argc, char **argv)
{
    long n = argc == 3 ? strtol(argv[1], NULL, 0) : 0;
    int rc = 0;

    if ( n <= 0 )
    {
        fprintf(stderr, "usage: repeat N \"CMD; CMD...\"\n");
        return 2;
    }
    for ( long i = 0; i < n && !rc; i++ )
        rc = run_sequence(argv[2]);
    return rc;
}
