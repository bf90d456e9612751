/* SPDX-License-Identifier: MIT */
/*
 * xl_migrate.c - xl migrate and xl migrate-receive: a running domain
 * moved to a new domain while it runs (docs/designs/live-migration.md,
 * "The protocol, message by message").
 *
 * The sender writes the xl save header and a live stream; the receiver
 * restores it into a paused domain named NAME--incoming and reports;
 * only then does the sender rename its domain NAME--migratedaway and say
 * "go"; the receiver takes the name, unpauses and reports again; the
 * sender destroys its domain. Any failure before that leaves the source
 * running under its name and no target domain.
 *
 * Transport: "localhost" is a socket pair to a receiver task in this
 * dom0 (dom0/task.h); any other host is /dev/wren-link, the two-machine
 * channel, whose peer runs xl migrate-receive.
 *
 * It acts through libxl.h only, on the domain named (sender) or the one
 * it creates (receiver); the receiver task has a libxl context of its
 * own, so the two sides never share one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <dom0/task.h>

#include "xl.h"

#define LINK_DEV      "/dev/wren-link"
#define MSG_BANNER    "wren-migrate: receiver 1"
#define MSG_STREAM_OK "wren-migrate: stream read"
#define MSG_REFUSED   "wren-migrate: stream refused"
#define MSG_GO        "wren-migrate: go"
#define MSG_GO_PAUSED "wren-migrate: go, leave it paused"
#define MSG_ABORT     "wren-migrate: abort"
#define MSG_RUNNING   "wren-migrate: running"
#define MSG_PAUSED    "wren-migrate: paused"
#define MSG_FAILED    "wren-migrate: failed"
#define MSG_MAX       64
#define INCOMING      "--incoming"
#define AWAY          "--migratedaway"
/* -T: an unknown mandatory record type, sent after round 1. */
#define BOGUS_RECORD 0x7fffU

/* --ring: the rounds' dirty sets from the dirty rings, not the bitmap. */
#define OPT_RING "--ring"

struct receiver
{
    int fd;
    bool paused;
    const char *who;  /* prefix of its messages */
    uint64_t resumed; /* when it unpaused (monotonic ns), 0: not */
};

static uint64_t mono_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static int send_msg(int fd, const char *msg)
{
    size_t len = strlen(msg);
    char buf[MSG_MAX + 1];

    memcpy(buf, msg, len);
    buf[len] = '\n';
    for ( size_t off = 0; off <= len; )
    {
        ssize_t n = write(fd, buf + off, len + 1 - off);

        if ( n <= 0 )
            return -1;
        off += (size_t)n;
    }
    return 0;
}

/* One line (without its newline) into buf; -1 at end or error. */
static int recv_msg(int fd, char *buf)
{
    for ( size_t i = 0; i < MSG_MAX; i++ )
    {
        if ( read(fd, buf + i, 1) != 1 )
            return -1;
        if ( buf[i] == '\n' )
        {
            buf[i] = '\0';
            return 0;
        }
    }
    return -1;
}

static bool expect_msg(int fd, const char *want)
{
    char buf[MSG_MAX + 1];

    return !recv_msg(fd, buf) && !strcmp(buf, want);
}

/* ---- the receiving side ------------------------------------------------ */

/* name + suffix, or NULL when out of memory. */
static char *suffixed(const char *name, const char *suffix)
{
    size_t n = strlen(name) + strlen(suffix) + 1;
    char *s = malloc(n);

    if ( s )
        snprintf(s, n, "%s%s", name, suffix);
    return s;
}

/* The header, the config and the stream, into a paused domain called
 * NAME--incoming; *name the domain's own name (malloc()ed). */
static int receive_domain(libxl_ctx *rctx, struct receiver *r, libxl_domid *domid, char **name)
{
    libxl_domain_config d;
    libxl_domain_create_opts opts = { .paused = true };
    char *text = NULL, *err = NULL, *incoming = NULL, *nodes = NULL;
    size_t len = 0;
    int rc = -1;

    libxl_domain_config_init(&d);
    if ( xl_read_save_header(r->fd, "migration stream", &text, &len, &nodes) )
        goto out;
    opts.guest_nodes = nodes;
    if ( xl_config_from_text("migration stream", text, len, NULL, 0, &d, &err, xl_err) )
    {
        fprintf(xl_err, "%s: %s\n", r->who, err);
        goto out;
    }
    *name = d.c_info.name;
    incoming = suffixed(*name, INCOMING);
    if ( !incoming )
        goto out;
    d.c_info.name = incoming;
    incoming = NULL;
    if ( libxl_domain_create_restore(rctx, &d, domid, r->fd, &opts) )
        fprintf(xl_err, "%s: %s\n", r->who, libxl_ctx_last_error(rctx));
    else
        rc = 0;

out:
    if ( d.c_info.name != *name )
        free(d.c_info.name);
    d.c_info.name = NULL; /* *name lives on: it was the config's */
    free(incoming);
    free(err);
    free(text);
    free(nodes);
    libxl_domain_config_dispose(&d);
    return rc;
}

/* After "go": the domain takes its name and runs (unless -p). */
static int receive_go(libxl_ctx *rctx, struct receiver *r, libxl_domid domid, const char *name)
{
    char *incoming = suffixed(name, INCOMING);
    int rc = incoming ? libxl_domain_rename(rctx, domid, incoming, name) : ERROR_NOMEM;

    free(incoming);
    if ( !rc && !r->paused )
        rc = libxl_domain_unpause(rctx, domid, NULL);
    if ( rc )
    {
        fprintf(xl_err, "%s: domain %u: %s\n", r->who, domid, libxl_ctx_last_error(rctx));
        return -1;
    }
    r->resumed = mono_ns();
    return 0;
}

/* The stream was read: report, wait for go, hand the domain on. */
static int receive_rest(libxl_ctx *rctx, struct receiver *r, libxl_domid domid, const char *name)
{
    char msg[MSG_MAX + 1];

    if ( send_msg(r->fd, MSG_STREAM_OK) || recv_msg(r->fd, msg) ||
         (strcmp(msg, MSG_GO) && strcmp(msg, MSG_GO_PAUSED)) )
        return fprintf(xl_err, "%s: the sender did not say go\n", r->who), -1;
    r->paused |= !strcmp(msg, MSG_GO_PAUSED);
    if ( receive_go(rctx, r, domid, name) )
        return send_msg(r->fd, MSG_FAILED), -1;
    return send_msg(r->fd, r->paused ? MSG_PAUSED : MSG_RUNNING);
}

static int receive_with(libxl_ctx *rctx, struct receiver *r)
{
    libxl_domid domid = INVALID_DOMID;
    char *name = NULL;
    int rc = 1;

    if ( send_msg(r->fd, MSG_BANNER) )
        return fprintf(xl_err, "%s: the sender is gone\n", r->who), 1;
    if ( receive_domain(rctx, r, &domid, &name) )
        send_msg(r->fd, MSG_REFUSED);
    else if ( receive_rest(rctx, r, domid, name) )
        libxl_domain_destroy(rctx, domid, NULL);
    else
    {
        fprintf(xl_err, "%s: domain %s arrived as domain %u\n", r->who, name, domid);
        rc = 0;
    }
    free(name);
    return rc;
}

/* The localhost receiver's task: a context of its own. */
static int receiver_task(void *arg)
{
    struct receiver *r = arg;
    libxl_ctx *rctx;
    int rc;

    if ( libxl_ctx_alloc(&rctx, LIBXL_VERSION, 0, NULL) )
    {
        fprintf(xl_err, "%s: cannot open libxl\n", r->who);
        send_msg(r->fd, MSG_REFUSED);
        close(r->fd);
        return 1;
    }
    rc = receive_with(rctx, r);
    libxl_ctx_free(rctx);
    close(r->fd); /* a sender still writing sees EPIPE */
    r->fd = -1;
    return rc;
}

/* ---- the sending side ------------------------------------------------- */

struct sender
{
    int fd;
    bool paused;          /* -p */
    bool bogus;           /* -T */
    int ring;             /* --ring: LIBXL_SUSPEND_RING */
    uint64_t final_start; /* when the guest was stopped */
};

static void progress(void *data, const libxl_save_round *r)
{
    struct sender *s = data;
    uint64_t rate = r->ns ? r->pages_sent * 1000000000ULL / r->ns : 0;
    static const uint8_t bogus[8] = { 0xff, 0x7f, 0, 0, 0, 0, 0, 0 };

    /* The guest stops right after the last live round's report. */
    if ( r->final && !s->final_start )
        s->final_start = mono_ns() - r->ns;
    fprintf(xl_err, "migrate: round %u%s: %llu pfns, %llu pages sent, %llu dirtied, %llu pages/s\n",
            r->round, r->final ? " (final)" : "", (unsigned long long)r->pfns,
            (unsigned long long)r->pages_sent, (unsigned long long)r->pages_dirtied,
            (unsigned long long)rate);
    /* -T: the receiver must refuse the stream here, mid-way. */
    if ( s->bogus && r->round == 1 && write(s->fd, bogus, sizeof(bogus)) != sizeof(bogus) )
        fprintf(xl_err, "migrate: -T: %s\n", strerror(errno));
    if ( !r->final )
        s->final_start = mono_ns();
}

/* The stream went and the receiver read it: hand the domain over. */
static int hand_over(struct sender *s, libxl_domid domid, const char *name)
{
    char *away = suffixed(name, AWAY);
    char msg[MSG_MAX + 1];

    if ( !away || libxl_domain_rename(ctx, domid, name, away) )
    {
        send_msg(s->fd, MSG_ABORT);
        free(away);
        return xl_fail("cannot rename the domain before go");
    }
    if ( send_msg(s->fd, s->paused ? MSG_GO_PAUSED : MSG_GO) || recv_msg(s->fd, msg) ||
         (strcmp(msg, MSG_RUNNING) && strcmp(msg, MSG_PAUSED)) )
    {
        libxl_domain_rename(ctx, domid, away, name);
        free(away);
        fprintf(xl_err, "xl migrate: the receiver failed after go\n");
        return 1;
    }
    free(away);
    return 0;
}

/* The stream, the receiver's report, go. 0: the domain is there. */
static int send_domain(struct sender *s, libxl_domid domid, const char *name)
{
    libxl_save_opts opts = { .round_done = progress, .data = s };

    if ( !expect_msg(s->fd, MSG_BANNER) )
        return fprintf(xl_err, "xl migrate: no receiver answered\n"), 1;
    if ( xl_write_save_header(s->fd, domid, "xl migrate") )
        return 1;
    if ( libxl_domain_suspend_opts(ctx, domid, s->fd, LIBXL_SUSPEND_LIVE | s->ring, &opts) )
        return xl_fail("the stream did not go");
    if ( !expect_msg(s->fd, MSG_STREAM_OK) )
        return fprintf(xl_err, "xl migrate: the receiver refused the stream\n"), 1;
    fprintf(xl_err, "migrate: %llu pages sent for %llu guest pages, final round %llu\n",
            (unsigned long long)opts.pages_sent, (unsigned long long)opts.guest_pages,
            (unsigned long long)opts.final_pages);
    fprintf(xl_err, "migrate: log-dirty by %s (%s): %llu logging exits, %llu PML entries\n",
            libxl_logdirty_to_string(opts.logdirty) ?: "?",
            opts.logdirty == opts.logdirty_best ? "the platform's best" : "not the best",
            (unsigned long long)opts.logging_exits, (unsigned long long)opts.pml_entries);
    if ( s->ring )
        fprintf(xl_err,
                "migrate: dirty ring: %llu entries harvested, %llu rounds needed the bitmap, "
                "%llu full-ring stops\n",
                (unsigned long long)opts.ring_entries, (unsigned long long)opts.ring_bitmap_rounds,
                (unsigned long long)opts.ring_full_exits);
    return hand_over(s, domid, name);
}

/* The sender's whole run over fd; the source runs again on failure. */
static int migrate_over(struct sender *s, libxl_domid domid)
{
    char *name = libxl_domid_to_name(ctx, domid);
    int rc;

    if ( !name )
        return fprintf(xl_err, "xl migrate: domain %u has no name\n", domid), 1;
    rc = send_domain(s, domid, name);
    if ( rc )
    {
        /* still ours: paused only if the stream finished, and then
         * suspended too if it was asked to (a Linux guest): its
         * suspend is cancelled before it runs again */
        libxl_domain_resume(ctx, domid, 1, NULL);
        libxl_domain_unpause(ctx, domid, NULL);
        fprintf(xl_err, "xl migrate: domain %u (%s) still runs here\n", domid, name);
    }
    else if ( libxl_domain_destroy(ctx, domid, NULL) )
        rc = xl_fail("the domain moved but the source was not destroyed");
    free(name);
    return rc;
}

static int migrate_localhost(struct sender *s, libxl_domid domid)
{
    static struct receiver r;
    int sv[2], id, rc, rrc = 1;

    if ( socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) )
        return fprintf(xl_err, "xl migrate: socketpair: %s\n", strerror(errno)), 1;
    r = (struct receiver){ .fd = sv[1], .who = "migrate-receive" };
    id = dom0_task_spawn(receiver_task, &r, 0);
    if ( id < 0 )
    {
        close(sv[0]);
        close(sv[1]);
        return fprintf(xl_err, "xl migrate: no receiver task: %s\n", strerror(-id)), 1;
    }
    s->fd = sv[0];
    rc = migrate_over(s, domid);
    close(sv[0]); /* a receiver still reading sees the end */
    if ( dom0_task_join(id, &rrc) )
        rrc = 1;
    if ( !rc && !s->paused && r.resumed && s->final_start )
        fprintf(xl_err, "migrate: paused for %llu ns (the pause to the new domain's unpause)\n",
                (unsigned long long)(r.resumed - s->final_start));
    return rc;
}

static int open_link(const char *who, const char *host)
{
    int fd = open(LINK_DEV, O_RDWR | O_CLOEXEC);

    if ( fd < 0 && host )
        fprintf(xl_err, "%s: no link to host '%s' (%s: %s)\n", who, host, LINK_DEV,
                strerror(errno));
    else if ( fd < 0 )
        fprintf(xl_err, "%s: %s: %s\n", who, LINK_DEV, strerror(errno));
    return fd;
}

/* Drop the long option OPT_RING from the options before the operands
 * (xl_getopts knows single letters only); true if it was there. */
static bool take_ring_option(int *argc, char **argv)
{
    bool found = false;
    int i = 1;

    while ( i < *argc && argv[i][0] == '-' && strcmp(argv[i], "--") )
    {
        if ( strcmp(argv[i], OPT_RING) )
        {
            i++;
            continue;
        }
        memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof(*argv));
        (*argc)--;
        found = true;
    }
    return found;
}

/* xl migrate [-p] [--ring] [--debug-break=STEP:GFN] <Domain> <host> */
int main_migrate(int argc, char **argv)
{
    struct xl_opts o;
    struct sender s = { .fd = -1 };
    libxl_domid domid;
    const char *host;
    int rc;

    s.ring = take_ring_option(&argc, argv) ? LIBXL_SUSPEND_RING : 0;
    if ( xl_take_debug_break("migrate", &argc, argv) )
        return 1;
    XL_GETOPTS(argc, argv, "pT", 2, 2, &o);
    host = argv[o.first + 1];
    if ( xl_find_domain(argv[o.first], &domid) )
        return 1;
    if ( domid == 0 )
        return fprintf(xl_err, "xl migrate: cannot migrate domain 0\n"), 1;
    s.bogus = o.set['T'];
    s.paused = o.set['p'];
    if ( !strcmp(host, "localhost") )
        return migrate_localhost(&s, domid);
    s.fd = open_link("xl migrate", host);
    if ( s.fd < 0 )
        return 1;
    rc = migrate_over(&s, domid);
    close(s.fd);
    return rc;
}

/* xl migrate-receive [-p] */
int main_migrate_receive(int argc, char **argv)
{
    struct xl_opts o;
    struct receiver r = { .who = "xl migrate-receive" };
    int rc;

    XL_GETOPTS(argc, argv, "p", 0, 0, &o);
    r.paused = o.set['p'];
    r.fd = open_link(r.who, NULL);
    if ( r.fd < 0 )
        return 1;
    rc = receive_with(ctx, &r);
    close(r.fd);
    return rc;
}
