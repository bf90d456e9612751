/*
 * test-light.c - host tests of the libxl-style layer (tools/libs/light)
 * over the doubles of fake-xen.c: what create builds and writes, that a
 * failure of any lower-library call during create undoes everything,
 * destroy, shutdown requests and waiting, on_* handling, names, memory,
 * the host queries, and how a save stops its guest (paused, or asked to
 * suspend through the store) and leaves it running when it fails.
 *
 * It links the layer's own files and the doubles, nothing else.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xenguest.h>
#include "fake-light.h"
#include "harness.h"
#include "libxl.h"

/* libxl_internal.h's: the registry outlives a context, as in dom0. */
void libxl__config_forget(libxl_domid domid);
/* and the suspend protocol's deadlines, short here */
extern int libxl__suspend_ack_ms, libxl__suspend_done_ms;

static libxl_ctx *ctx;
static char kernel_path[64] = "";
static char notelf_path[64] = "";

static void write_file(char *path, const char *data)
{
    int fd;

    if ( !path[0] )
    {
        strcpy(path, "/tmp/test-light-XXXXXX");
        fd = mkstemp(path);
        CHECK(fd >= 0);
        CHECK(write(fd, data, strlen(data)) == (ssize_t)strlen(data));
        close(fd);
    }
}

static void setup(void)
{
    write_file(kernel_path, "\177ELF and the rest");
    write_file(notelf_path, "#!/bin/sh");
    unsigned int i;

    libxl_ctx_free(ctx);
    ctx = NULL;
    fake_reset();
    for ( i = 0; i < FAKE_MAX_DOMS; i++ )
        libxl__config_forget(i);
    CHECK_EQ(libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, NULL), 0);
}

static void make_config(libxl_domain_config *d, const char *name)
{
    libxl_domain_config_init(d);
    d->c_info.name = strdup(name);
    d->b_info.kernel = strdup(kernel_path);
    d->b_info.cmdline = strdup("console=hvc0");
    d->b_info.target_memkb = 64 * 1024;
    d->b_info.max_memkb = 128 * 1024;
    d->b_info.avail_vcpus = d->b_info.max_vcpus = 2;
    d->b_info.p2m_pool_kb = 2048;
}

static int create(const char *name, libxl_domid *domid)
{
    libxl_domain_config d;
    int rc;

    make_config(&d, name);
    rc = libxl_domain_create_new(ctx, &d, domid, NULL);
    libxl_domain_config_dispose(&d);
    return rc;
}

#define CHECK_NODE(path, value)                                                                    \
    do                                                                                             \
    {                                                                                              \
        const char *v_ = fake_store_read(path);                                                    \
        CHECK_MSG(v_ && !strcmp(v_, value), "%s is \"%s\", want \"%s\"", path, v_ ? v_ : "(none)", \
                  value);                                                                          \
    } while ( 0 )
#define CHECK_PERMS(path, perms)                                               \
    CHECK_MSG(!strcmp(fake_store_perms(path), perms), "%s perms \"%s\"", path, \
              fake_store_perms(path))

/* altp2m = "mixed" reaches HVM_PARAM_ALTP2M before the domain runs;
 * without the key the parameter is never set. */
static void test_create_altp2m(void)
{
    libxl_domain_config d;
    libxl_domid domid;

    setup();
    CHECK_EQ(create("plain", &domid), 0);
    CHECK_EQ(fake.dom[domid].altp2m, 0);
    make_config(&d, "views");
    d.b_info.altp2m = LIBXL_ALTP2M_MODE_MIXED;
    CHECK_EQ(libxl_domain_create_new(ctx, &d, &domid, NULL), 0);
    libxl_domain_config_dispose(&d);
    CHECK_EQ(fake.dom[domid].altp2m, XEN_ALTP2M_mixed);
}

static void test_create(void)
{
    libxl_domid domid;
    char vm[64], path[128];

    setup();
    CHECK_EQ(create("web", &domid), 0);
    CHECK_EQ(domid, 1);
    CHECK(fake.dom[1].exists && fake.dom[1].built && !fake.dom[1].paused);
    CHECK_EQ(fake.dom[1].maxmem_kb, 128 * 1024 + 1024);
    CHECK_EQ(fake.dom[1].pool_bytes, 2048 * 1024);
    CHECK_EQ(fake.dom[1].nr_ports, 2);
    CHECK(fake.introduced[1]);
    CHECK(fake.console_added[1]);
    CHECK_NODE("/local/domain/1/name", "web");
    CHECK_NODE("/local/domain/1/domid", "1");
    CHECK_NODE("/local/domain/1/memory/target", "65536");
    CHECK_NODE("/local/domain/1/memory/static-max", "131072");
    CHECK_NODE("/local/domain/1/control/shutdown", "");
    CHECK_NODE("/local/domain/1/control/platform-feature-multiprocessor-suspend", "1");
    CHECK_NODE("/local/domain/1/control/platform-feature-xs_reset_watches", "1");
    CHECK_NODE("/local/domain/1/store/port", "1");
    CHECK_NODE("/local/domain/1/store/ring-ref", "156");
    CHECK_NODE("/local/domain/1/console/port", "2");
    CHECK_NODE("/local/domain/1/console/ring-ref", "158");
    CHECK_NODE("/local/domain/1/console/type", "xenconsoled");
    CHECK_NODE("/local/domain/1/console/limit", "1048576");
    /* The domain owns its node, dom0 reads it; control/ is dom0's. */
    CHECK_PERMS("/local/domain/1", "n1 r0");
    CHECK_PERMS("/local/domain/1/name", "n1 r0");
    CHECK_PERMS("/local/domain/1/control", "n0 r1");
    CHECK_PERMS("/local/domain/1/control/shutdown", "n1 r0");
    CHECK_PERMS("/local/domain/1/console/port", "n0 r1");
    snprintf(vm, sizeof(vm), "%s", fake_store_read("/local/domain/1/vm"));
    CHECK(!strncmp(vm, "/vm/", 4) && strlen(vm) == 4 + 36);
    snprintf(path, sizeof(path), "%s/uuid", vm);
    CHECK_NODE(path, vm + 4);
    snprintf(path, sizeof(path), "%s/name", vm);
    CHECK_NODE(path, "web");
    CHECK_PERMS(vm, "n0 r1");
}

static void test_create_paused(void)
{
    libxl_domain_config d;
    libxl_domain_create_opts opts = { .paused = true };
    libxl_domid domid;

    setup();
    make_config(&d, "p");
    CHECK_EQ(libxl_domain_create_new(ctx, &d, &domid, &opts), 0);
    CHECK(fake.dom[domid].paused);
    CHECK_EQ(libxl_domain_unpause(ctx, domid, NULL), 0);
    CHECK(!fake.dom[domid].paused);
    libxl_domain_config_dispose(&d);
}

/* Nothing of a failed create is left: only dom0, no domain's nodes. */
static void check_nothing_left(void)
{
    unsigned int i;
    libxl_domain_config d;

    for ( i = 1; i < FAKE_MAX_DOMS; i++ )
        CHECK_MSG(!fake.dom[i].exists, "domain %u left after %s failed", i, fake.failed_call);
    for ( i = 0; i < FAKE_MAX_DOMS; i++ )
        CHECK_MSG(!fake.introduced[i], "domain %u still introduced", i);
    for ( i = 0; i < FAKE_MAX_DOMS; i++ )
        CHECK_MSG(!fake.console_added[i], "domain %u still has a console", i);
    CHECK_MSG(fake_store_count_under("/local/domain/") == 0 && fake_store_count_under("/vm/") == 0,
              "store nodes left after %s failed", fake.failed_call);
    CHECK_EQ(libxl_retrieve_domain_configuration(ctx, 1, &d), ERROR_NOTFOUND);
}

/* Fail the n-th lower-library call of a create, for every n. */
static void test_create_unwinds_every_step(void)
{
    unsigned long n, total;
    libxl_domid domid;
    unsigned int failed = 0;
    int rc;

    setup();
    fake.calls = 0;
    CHECK_EQ(create("w", &domid), 0);
    total = fake.calls;
    CHECK(total > 20);
    for ( n = 1; n <= total; n++ )
    {
        setup();
        fake_fail_call(n);
        rc = create("w", &domid);
        CHECK_MSG(fake.failed_call, "call %lu never made", n);
        if ( rc == 0 )
            continue; /* that failure is tolerated (e.g. a name lookup) */
        failed++;
        CHECK_MSG(rc == ERROR_FAIL || rc == ERROR_INVAL, "rc %d after %s", rc, fake.failed_call);
        CHECK_MSG(domid == INVALID_DOMID, "domid set after %s failed", fake.failed_call);
        CHECK_MSG(libxl_ctx_last_error(ctx)[0], "no message after %s failed", fake.failed_call);
        check_nothing_left();
    }
    CHECK(failed >= 15);
}

static void test_create_bad_inputs(void)
{
    libxl_domain_config d;
    libxl_domid domid;

    setup();
    CHECK_EQ(create("a", &domid), 0);
    CHECK_EQ(create("a", &domid), ERROR_INVAL);
    CHECK(strstr(libxl_ctx_last_error(ctx), "domain name \"a\" is in use by domain 1"));
    make_config(&d, "b");
    free(d.b_info.kernel);
    d.b_info.kernel = strdup(notelf_path);
    CHECK_EQ(libxl_domain_create_new(ctx, &d, &domid, NULL), ERROR_FAIL);
    CHECK(strstr(libxl_ctx_last_error(ctx), ": not an ELF image"));
    free(d.b_info.kernel);
    d.b_info.kernel = strdup("/nonexistent/kernel");
    CHECK_EQ(libxl_domain_create_new(ctx, &d, &domid, NULL), ERROR_INVAL);
    CHECK(strstr(libxl_ctx_last_error(ctx), "cannot open kernel /nonexistent/kernel"));
    CHECK(!fake.dom[2].exists && libxl_uuid_is_nil(&d.c_info.uuid));
    d.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    CHECK_EQ(libxl_domain_create_new(ctx, &d, &domid, NULL), ERROR_INVAL);
    /* No device model linked here: refused, and nothing is left. */
    d.c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    free(d.b_info.kernel);
    d.b_info.kernel = strdup(kernel_path);
    d.b_info.device_model = LIBXL_DEVICE_MODEL_WREN_DM;
    CHECK_EQ(libxl_domain_create_new(ctx, &d, &domid, NULL), ERROR_NI);
    CHECK(strstr(libxl_ctx_last_error(ctx),
                 "device_model \"wren-dm\" is not part of this toolstack"));
    CHECK_EQ(domid, INVALID_DOMID);
    /* Domain 2 got as far as its console, and all of it was undone. */
    CHECK(!fake.dom[2].exists && !fake.introduced[2] && !fake.console_added[2]);
    CHECK_EQ(fake_store_count_under("/local/domain/2"), 0);
    libxl_domain_config_dispose(&d);
}

static void test_create_store_busy(void)
{
    libxl_domid domid;

    setup();
    fake.txn_eagain = 3;
    CHECK_EQ(create("busy", &domid), 0);
    CHECK_NODE("/local/domain/1/name", "busy");
    fake.txn_eagain = 100;
    CHECK_EQ(create("busier", &domid), ERROR_FAIL);
    CHECK(strstr(libxl_ctx_last_error(ctx), "the store stayed busy"));
    CHECK(!fake.dom[2].exists);
}

static void test_destroy(void)
{
    libxl_domid domid;

    setup();
    CHECK_EQ(create("d", &domid), 0);
    CHECK_EQ(libxl_domain_destroy(ctx, domid, NULL), 0);
    check_nothing_left();
    CHECK_EQ(libxl_domain_destroy(ctx, domid, NULL), ERROR_DOMAIN_NOTFOUND);
    CHECK_EQ(libxl_domain_destroy(ctx, 0, NULL), ERROR_INVAL);
    CHECK(fake.dom[0].exists);
}

static void test_shutdown_and_wait(void)
{
    libxl_domid domid;

    setup();
    CHECK_EQ(create("s", &domid), 0);
    CHECK_EQ(libxl_domain_shutdown(ctx, domid, NULL), 0);
    CHECK_NODE("/local/domain/1/control/shutdown", "poweroff");
    CHECK_EQ(libxl_domain_reboot(ctx, domid, NULL), 0);
    CHECK_NODE("/local/domain/1/control/shutdown", "reboot");
    CHECK_EQ(libxl_domain_shutdown(ctx, 0, NULL), ERROR_INVAL);
    CHECK_EQ(libxl_domain_shutdown(ctx, 9, NULL), ERROR_DOMAIN_NOTFOUND);
    fake.shutdown_domid = domid;
    fake.shutdown_after_checks = 3;
    CHECK_EQ(libxl_domain_wait_shutdown(ctx, domid, 1000), 0);
    CHECK_EQ(fake.check_watch_calls, 3);
    /* It powered off (reason 0): on_poweroff = destroy was applied. */
    CHECK(!fake.dom[domid].exists);
    CHECK(!fake_store_read("/local/domain/1/name"));
}

static void test_death_actions(void)
{
    libxl_domain_config d;
    libxl_domid a, b;
    char *name;

    setup();
    CHECK_EQ(create("off", &a), 0);
    CHECK_EQ(create("again", &b), 0);
    CHECK_EQ(libxl_domain_death_handle(ctx), 0);
    fake.dom[a].shutdown = true;
    fake.dom[a].shutdown_reason = LIBXL_SHUTDOWN_REASON_POWEROFF;
    fake.dom[b].shutdown = true;
    fake.dom[b].shutdown_reason = LIBXL_SHUTDOWN_REASON_REBOOT;
    CHECK_EQ(libxl_domain_death_handle(ctx), 2);
    /* a destroyed (on_poweroff=destroy); b rebuilt (on_reboot=restart),
     * in the first free slot, which a's destruction freed. */
    CHECK(fake.dom[a].exists && !fake.dom[b].exists);
    name = libxl_domid_to_name(ctx, a);
    CHECK(name && !strcmp(name, "again"));
    free(name);
    CHECK_EQ(libxl_retrieve_domain_configuration(ctx, a, &d), 0);
    CHECK(!strcmp(d.c_info.name, "again"));
    libxl_domain_config_dispose(&d);
    CHECK_EQ(libxl_domain_death_handle(ctx), 0);
}

static void test_names_and_info(void)
{
    libxl_domid domid, found;
    libxl_dominfo info, *list;
    char *name;
    int nb;

    setup();
    CHECK_EQ(create("n", &domid), 0);
    CHECK_EQ(libxl_name_to_domid(ctx, "n", &found), 0);
    CHECK_EQ(found, domid);
    CHECK_EQ(libxl_name_to_domid(ctx, "Domain-0", &found), 0);
    CHECK_EQ(found, 0);
    CHECK_EQ(libxl_name_to_domid(ctx, "nope", &found), ERROR_DOMAIN_NOTFOUND);
    CHECK_EQ(libxl_domain_rename(ctx, domid, "n", "m"), 0);
    name = libxl_domid_to_name(ctx, domid);
    CHECK(name && !strcmp(name, "m"));
    free(name);
    CHECK_EQ(libxl_domain_rename(ctx, domid, "n", "k"), ERROR_INVAL);
    CHECK_EQ(libxl_domain_rename(ctx, domid, NULL, "Domain-0"), ERROR_INVAL);
    CHECK_EQ(libxl_domain_rename(ctx, 0, NULL, "x"), ERROR_INVAL);
    CHECK_EQ(libxl_domain_info(ctx, &info, domid), 0);
    CHECK(!info.paused && info.blocked && info.vcpu_online == 2);
    CHECK_EQ(info.current_memkb, 128 * 1024);
    CHECK_EQ(libxl_domain_info(ctx, &info, 7), ERROR_DOMAIN_NOTFOUND);
    list = libxl_list_domain(ctx, &nb);
    CHECK(list && nb == 2 && list[0].domid == 0 && list[1].domid == domid);
    libxl_dominfo_list_free(list, nb);
}

static void test_memory(void)
{
    libxl_domid domid;

    setup();
    CHECK_EQ(create("m", &domid), 0);
    CHECK_EQ(libxl_set_memory_target(ctx, domid, 100 * 1024, 0, 1), 0);
    CHECK_NODE("/local/domain/1/memory/target", "102400");
    CHECK_EQ(fake.dom[1].maxmem_kb, 100 * 1024 + 1024);
    CHECK_EQ(libxl_set_memory_target(ctx, domid, 200 * 1024, 0, 1), ERROR_INVAL);
    CHECK_EQ(libxl_set_memory_target(ctx, domid, -1024, 1, 0), 0);
    CHECK_NODE("/local/domain/1/memory/target", "101376");
    CHECK_EQ(libxl_domain_setmaxmem(ctx, domid, 256 * 1024), 0);
    CHECK_NODE("/local/domain/1/memory/static-max", "262144");
    CHECK_EQ(fake.dom[1].maxmem_kb, 256 * 1024 + 1024);
    CHECK_EQ(libxl_domain_setmaxmem(ctx, 9, 1024), ERROR_DOMAIN_NOTFOUND);
}

static void test_vcpus_and_uptime(void)
{
    libxl_domid domid;
    libxl_vcpuinfo *v;
    uint64_t up = 99;
    int nb, nr;

    setup();
    CHECK_EQ(create("v", &domid), 0);
    v = libxl_list_vcpu(ctx, domid, &nb, &nr);
    CHECK(v && nb == 2 && v[0].running && v[1].blocked && v[1].cpu == 1);
    libxl_vcpuinfo_list_free(v, nb);
    CHECK(!libxl_list_vcpu(ctx, 9, &nb, &nr) && nb == 0);
    CHECK_EQ(libxl_domain_uptime(ctx, domid, &up), 0);
    CHECK(up < 5);
    CHECK_EQ(libxl_domain_uptime(ctx, 0, &up), ERROR_NOTFOUND);
}

static void test_host(void)
{
    libxl_physinfo p;
    const libxl_version_info *v;
    libxl_xen_console_reader *cr;
    char *line;

    setup();
    CHECK_EQ(libxl_get_physinfo(ctx, &p), 0);
    CHECK(p.nr_cpus == 2 && p.total_pages == 262144 && p.cap_hvm && p.cap_hap && !p.cap_pv);
    v = libxl_get_version_info(ctx);
    CHECK(v && v->xen_version_major == 4 && v->xen_version_minor == 19);
    CHECK(!strcmp(v->xen_version_extra, "-wren") && !strcmp(v->compile_by, "wren"));
    CHECK(libxl_get_version_info(ctx) == v);
    strcpy(fake.console, "(XEN) hello\n(XEN) world\n");
    cr = libxl_xen_console_read_start(ctx, 1);
    CHECK(cr);
    /* What is printed while reading is not read: the ring was read whole. */
    strcat(fake.console, "(XEN) printed while reading\n");
    CHECK_EQ(libxl_xen_console_read_line(ctx, cr, &line), 1);
    CHECK(!strcmp(line, "(XEN) hello\n"));
    CHECK_EQ(libxl_xen_console_read_line(ctx, cr, &line), 1);
    CHECK(!strcmp(line, "(XEN) world\n"));
    CHECK_EQ(libxl_xen_console_read_line(ctx, cr, &line), 0);
    libxl_xen_console_read_finish(ctx, cr);
    CHECK(!strcmp(fake.console, "(XEN) printed while reading\n")); /* cleared first */
}

/* The console daemon's side, in a child: accept, send "hello", type
 * "hi" then Ctrl-] on the terminal, expect "hi" on the socket. */
static void console_daemon(int listener, int keys)
{
    char buf[8] = "";
    int c = accept(listener, NULL, NULL);
    ssize_t n = 0, r;

    if ( c < 0 || write(c, "hello", 5) != 5 )
        _exit(2);
    usleep(100000);
    if ( write(keys, "hi\x1dlost", 7) != 7 )
        _exit(3);
    while ( n < 2 && (r = read(c, buf + n, sizeof(buf) - 1 - n)) > 0 )
        n += r;
    _exit(strcmp(buf, "hi") ? 4 : 0);
}

static void test_console_attach(void)
{
    char dir[] = "/tmp/test-light-console-XXXXXX", out[16] = "";
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int listener, keys[2], screen[2], status = -1;
    libxl_domid domid;
    pid_t pid;

    setup();
    CHECK_EQ(create("c", &domid), 0);
    CHECK(mkdtemp(dir));
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%u", dir, domid);
    listener = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(listener >= 0 && !bind(listener, (struct sockaddr *)&sa, sizeof(sa)));
    CHECK(!listen(listener, 1) && !pipe(keys) && !pipe(screen));
    pid = fork();
    CHECK(pid >= 0);
    if ( pid == 0 )
        console_daemon(listener, keys[1]);
    libxl_ctx_set_console_dir(ctx, dir);
    CHECK_EQ(libxl_console_attach(ctx, domid, 0, LIBXL_CONSOLE_TYPE_PV, keys[0], screen[1]), 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "daemon side status %#x", status);
    CHECK_EQ(read(screen[0], out, sizeof(out) - 1), 5);
    CHECK(!strcmp(out, "hello"));
    close(listener);
    unlink(sa.sun_path);
    rmdir(dir);
    libxl_ctx_set_console_dir(ctx, "/nonexistent");
    CHECK_EQ(libxl_console_attach(ctx, domid, 0, LIBXL_CONSOLE_TYPE_PV, keys[0], screen[1]),
             ERROR_FAIL);
    CHECK(strstr(libxl_ctx_last_error(ctx), "has no console at /nonexistent/1"));
    CHECK_EQ(libxl_console_attach(ctx, 9, 0, LIBXL_CONSOLE_TYPE_PV, 0, 1), ERROR_DOMAIN_NOTFOUND);
    close(keys[0]);
    close(keys[1]);
    close(screen[0]);
    close(screen[1]);
}

static void test_ctx_alloc_failures(void)
{
    libxl_ctx *c = NULL;
    unsigned long n;

    setup();
    libxl_ctx_free(ctx);
    ctx = NULL;
    for ( n = 1; n <= 3; n++ )
    {
        fake_reset();
        fake_fail_call(n);
        CHECK_EQ(libxl_ctx_alloc(&c, LIBXL_VERSION, 0, NULL), ERROR_FAIL);
        CHECK(!c);
        CHECK_EQ(fake.open_handles, 0);
    }
    CHECK_EQ(libxl_ctx_alloc(&c, 99, 0, NULL), ERROR_VERSION);
}

/* A stream file with `what` in it, rewound. */
static int stream_file(const char *what)
{
    int fd = memfd_create("stream", 0);

    CHECK(fd >= 0);
    CHECK(write(fd, what, strlen(what)) == (ssize_t)strlen(what));
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    return fd;
}

static void test_save_and_restore(void)
{
    libxl_domain_config d;
    libxl_domid src, dst;
    int fd = stream_file("");

    setup();
    CHECK_EQ(create("s", &src), 0);
    CHECK_EQ(libxl_domain_suspend(ctx, src, fd, 0, NULL), 0);
    CHECK(fake.dom[src].paused);
    CHECK_EQ(libxl_domain_destroy(ctx, src, NULL), 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    make_config(&d, "s");
    CHECK_EQ(libxl_domain_create_restore(ctx, &d, &dst, fd, NULL), 0);
    libxl_domain_config_dispose(&d);
    CHECK(fake.dom[dst].exists && fake.dom[dst].built && !fake.dom[dst].paused);
    CHECK(fake.introduced[dst] && fake.console_added[dst]);
    /* page-by-page population: a p2m pool as Xen's toolstack sizes one */
    CHECK_MSG(fake.dom[dst].pool_bytes >= 1024 * 1024, "pool %llu bytes",
              (unsigned long long)fake.dom[dst].pool_bytes);
    close(fd);
}

/* A guest that says it can suspend, created and saved to a scratch fd. */
static int save_pv_guest(libxl_domid *domid, bool takes, bool only_takes)
{
    char path[64];
    int fd = stream_file(""), rc;

    setup();
    libxl__suspend_ack_ms = libxl__suspend_done_ms = 300;
    CHECK_EQ(create("pv", domid), 0);
    snprintf(path, sizeof(path), "/local/domain/%u/control/feature-suspend", *domid);
    fake_store_write(path, "1");
    fake.dom[*domid].guest_takes_suspend = takes;
    fake.dom[*domid].guest_only_takes = only_takes;
    rc = libxl_domain_suspend(ctx, *domid, fd, 0, NULL);
    close(fd);
    return rc;
}

static const char *shutdown_node(libxl_domid domid)
{
    char path[64];

    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
    return fake_store_read(path);
}

/* It takes the request and suspends: left suspended and paused; a
 * checkpoint's resume tells it the suspend was cancelled. */
static void test_save_suspends_pv_guest(void)
{
    libxl_domid d;

    CHECK_EQ(save_pv_guest(&d, true, false), 0);
    CHECK(fake.dom[d].shutdown && fake.dom[d].shutdown_reason == 2 && fake.dom[d].paused);
    CHECK(shutdown_node(d) && !strcmp(shutdown_node(d), "")); /* taken */
    CHECK_EQ(libxl_domain_resume(ctx, d, 1, NULL), 0);
    CHECK(!fake.dom[d].shutdown && fake.dom[d].paused);
    CHECK_EQ(fake.dom[d].resumed_fast, 1);
    /* Running now: nothing to resume. */
    CHECK_EQ(libxl_domain_resume(ctx, d, 1, NULL), 0);
    CHECK_EQ(fake.dom[d].resumed, 1);
}

/* A plain guest (no feature node) is paused and never asked. */
static void test_save_pauses_plain_guest(void)
{
    libxl_domid d;
    int fd = stream_file("");

    setup();
    CHECK_EQ(create("plain", &d), 0);
    CHECK_EQ(libxl_domain_suspend(ctx, d, fd, 0, NULL), 0);
    CHECK(fake.dom[d].paused && !fake.dom[d].shutdown);
    CHECK(shutdown_node(d) == NULL || !strcmp(shutdown_node(d), ""));
    close(fd);
}

/* It never takes the request: withdrawn, a message, still running. */
static void test_save_guest_ignores_request(void)
{
    libxl_domid d;

    CHECK_EQ(save_pv_guest(&d, false, false), ERROR_FAIL);
    CHECK_MSG(strstr(libxl_ctx_last_error(ctx), "did not take the suspend request"), "%s",
              libxl_ctx_last_error(ctx));
    CHECK(shutdown_node(d) && !strcmp(shutdown_node(d), "")); /* withdrawn */
    CHECK(!fake.dom[d].paused && !fake.dom[d].shutdown && !fake.dom[d].resumed);
}

/* It takes the request but never suspends: a message, still running. */
static void test_save_guest_never_suspends(void)
{
    libxl_domid d;

    CHECK_EQ(save_pv_guest(&d, true, true), ERROR_FAIL);
    CHECK_MSG(strstr(libxl_ctx_last_error(ctx), "did not suspend"), "%s",
              libxl_ctx_last_error(ctx));
    CHECK(!fake.dom[d].paused && !fake.dom[d].shutdown && !fake.dom[d].resumed);
}

/* The stream fails after the guest suspended: it is resumed (cancelled)
 * and unpaused, and the stream's error is the message. */
static void test_save_fails_after_suspend(void)
{
    libxl_domid d;
    char path[64];
    int fd = stream_file("");

    setup();
    libxl__suspend_ack_ms = libxl__suspend_done_ms = 300;
    CHECK_EQ(create("pv", &d), 0);
    snprintf(path, sizeof(path), "/local/domain/%u/control/feature-suspend", d);
    fake_store_write(path, "1");
    fake.dom[d].guest_takes_suspend = true;
    fake.save_fails = true;
    CHECK_EQ(libxl_domain_suspend(ctx, d, fd, 0, NULL), ERROR_FAIL);
    CHECK_MSG(strstr(libxl_ctx_last_error(ctx), "No space left"), "%s", libxl_ctx_last_error(ctx));
    CHECK(!fake.dom[d].paused && !fake.dom[d].shutdown && fake.dom[d].resumed_fast == 1);
    close(fd);
}

/* Only a suspend is undone: a powered-off domain stays down. */
static void test_resume_refuses_other_shutdowns(void)
{
    libxl_domid d;

    setup();
    CHECK_EQ(create("off", &d), 0);
    fake.dom[d].shutdown = true;
    fake.dom[d].shutdown_reason = 0;
    CHECK_EQ(libxl_domain_resume(ctx, d, 1, NULL), ERROR_INVAL);
    CHECK(fake.dom[d].shutdown && !fake.dom[d].resumed);
}

/* LIBXL_SUSPEND_RING goes down as XCFLAGS_WREN_DIRTY_RING, with LIVE
 * only, and the ring's counters come back. */
static void test_save_on_ring(void)
{
    libxl_save_opts opts = { 0 };
    libxl_domid src;
    int fd = stream_file("");

    setup();
    CHECK_EQ(create("r", &src), 0);
    CHECK_EQ(libxl_domain_suspend_opts(ctx, src, fd, LIBXL_SUSPEND_RING, &opts), ERROR_INVAL);
    CHECK_EQ(fake.saves, 0);
    CHECK(!fake.dom[src].paused);
    CHECK_EQ(
        libxl_domain_suspend_opts(ctx, src, fd, LIBXL_SUSPEND_LIVE | LIBXL_SUSPEND_RING, &opts), 0);
    CHECK_EQ(fake.save_flags, XCFLAGS_LIVE | XCFLAGS_WREN_DIRTY_RING);
    CHECK_EQ(opts.ring_entries, 5);
    CHECK_EQ(opts.ring_bitmap_rounds, 1);
    close(fd);
}

/* A restore keeps the uuid it is given, even while the saved domain
 * still exists: the hypervisor's handle is the same, each domain has
 * its own /vm node, and destroying the source leaves the copy's. */
static void test_restore_keeps_uuid(void)
{
    libxl_domain_config d;
    libxl_domid src, dst;
    char uuid[LIBXL_UUID_STRLEN], vm[64], path[128];
    int fd = stream_file("");
    const char *v;

    setup();
    make_config(&d, "s");
    CHECK_EQ(libxl_domain_create_new(ctx, &d, &src, NULL), 0);
    libxl_uuid_to_string(&d.c_info.uuid, uuid);
    CHECK_EQ(libxl_domain_suspend(ctx, src, fd, 0, NULL), 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    free(d.c_info.name);
    d.c_info.name = strdup("s-copy");
    CHECK_EQ(libxl_domain_create_restore(ctx, &d, &dst, fd, NULL), 0);
    CHECK(!memcmp(fake.dom[dst].handle, fake.dom[src].handle, 16));
    snprintf(vm, sizeof(vm), "/vm/%s-%u", uuid, dst);
    snprintf(path, sizeof(path), "/local/domain/%u/vm", dst);
    CHECK_NODE(path, vm);
    snprintf(path, sizeof(path), "%s/uuid", vm);
    CHECK_NODE(path, uuid);
    CHECK_EQ(libxl_domain_destroy(ctx, src, NULL), 0);
    snprintf(path, sizeof(path), "/vm/%s", uuid);
    CHECK(!fake_store_read(path));
    snprintf(path, sizeof(path), "%s/name", vm);
    v = fake_store_read(path);
    CHECK(v && !strcmp(v, "s-copy"));
    libxl_domain_config_dispose(&d);
    close(fd);
}

/* The test-only frame break: once, at the step named and the batch
 * holding the gfn, on the domain saved; never again after that save; an
 * unknown step refused. */
static void test_debug_break(void)
{
    libxl_domid src;
    int fd = stream_file("");

    setup();
    CHECK_EQ(create("s", &src), 0);
    CHECK_EQ(libxl_debug_break_gfn(ctx, "bogus", 0x310), ERROR_INVAL);
    CHECK(strstr(libxl_ctx_last_error(ctx), "no final-round step \"bogus\""));
    CHECK_EQ(libxl_debug_break_gfn(ctx, "copying", 0x310), 0);
    CHECK_EQ(libxl_domain_suspend(ctx, src, fd, 0, NULL), 0);
    CHECK_EQ(fake.broke_domid, (int)src);
    CHECK_EQ(fake.broke_gfn, 0x310);
    CHECK_EQ(fake.broke_at_step, XC_SR_STEP_COPYING);
    fake.broke_domid = -1;
    CHECK_EQ(libxl_debug_break_gfn(ctx, "query", 0x999), 0); /* not in the batch */
    CHECK_EQ(libxl_domain_suspend(ctx, src, fd, 0, NULL), 0);
    CHECK_EQ(fake.broke_domid, -1);
    CHECK_EQ(libxl_debug_break_gfn(ctx, "tail", 0x999), 0); /* no batch: any gfn */
    CHECK_EQ(libxl_domain_suspend(ctx, src, fd, 0, NULL), 0);
    CHECK_EQ(fake.broke_at_step, XC_SR_STEP_TAIL);
    fake.broke_domid = -1;
    CHECK_EQ(libxl_debug_break_gfn(ctx, "tail", 0x310), 0);
    fake_fail_call(1); /* the save fails before its final round */
    CHECK_EQ(libxl_domain_suspend(ctx, src, fd, 0, NULL), ERROR_FAIL);
    CHECK_EQ(libxl_domain_suspend(ctx, src, fd, 0, NULL), 0); /* disarmed all the same */
    CHECK_EQ(fake.broke_domid, -1);
    close(fd);
}

/* A refused stream: the reader's message, and nothing left behind. */
static void test_restore_refused(void)
{
    libxl_domain_config d;
    libxl_domid dst;
    int fd = stream_file("BAD!");

    setup();
    make_config(&d, "r");
    CHECK_EQ(libxl_domain_create_restore(ctx, &d, &dst, fd, NULL), ERROR_FAIL);
    libxl_domain_config_dispose(&d);
    CHECK_EQ(dst, INVALID_DOMID);
    CHECK_MSG(strstr(libxl_ctx_last_error(ctx), "record PAGE_DATA (0x1) at offset 0x30"), "%s",
              libxl_ctx_last_error(ctx));
    check_nothing_left();
    close(fd);
}

static void dom_node(char *path, size_t n, libxl_domid domid, const char *rel)
{
    snprintf(path, n, "/local/domain/%u/%s", domid, rel);
}

#define CARRIED "control/feature-poweroff=1\ncontrol/feature-suspend=1\n"

/* What a guest announced (an empty node and an odd value are not
 * carried) goes into the restored domain's store as the guest's own, so
 * it reads back the same there for the next move, and a save of the
 * new domain asks the guest to suspend. */
static void test_guest_nodes_carried(void)
{
    libxl_domain_config d;
    libxl_domain_create_opts opts = { 0 };
    libxl_domid src, dst;
    char path[128], perms[16], *text = NULL, *again = NULL;
    int fd = stream_file("");

    setup();
    CHECK_EQ(create("s", &src), 0);
    dom_node(path, sizeof(path), src, "control/feature-suspend");
    fake_store_write(path, "1");
    dom_node(path, sizeof(path), src, "control/feature-poweroff");
    fake_store_write(path, "1");
    dom_node(path, sizeof(path), src, "control/feature-reboot");
    fake_store_write(path, "yes please");
    CHECK_EQ(libxl_domain_guest_nodes(ctx, src, &text), 0);
    CHECK_MSG(!strcmp(text, CARRIED), "got [%s]", text);
    fake.dom[src].guest_takes_suspend = true;
    CHECK_EQ(libxl_domain_suspend(ctx, src, fd, 0, NULL), 0);
    CHECK_EQ(libxl_domain_destroy(ctx, src, NULL), 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    make_config(&d, "s");
    opts.guest_nodes = text;
    CHECK_EQ(libxl_domain_create_restore(ctx, &d, &dst, fd, &opts), 0);
    libxl_domain_config_dispose(&d);
    dom_node(path, sizeof(path), dst, "control/feature-suspend");
    CHECK_NODE(path, "1");
    snprintf(perms, sizeof(perms), "n%u r0", dst); /* the guest's, dom0 reading */
    CHECK_PERMS(path, perms);
    dom_node(path, sizeof(path), dst, "control/feature-reboot");
    CHECK_NODE(path, "");
    CHECK_EQ(libxl_domain_guest_nodes(ctx, dst, &again), 0);
    CHECK_MSG(!strcmp(again, CARRIED), "got [%s]", again);
    fake.dom[dst].guest_takes_suspend = true;
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK_EQ(libxl_domain_suspend(ctx, dst, fd, 0, NULL), 0);
    CHECK(fake.dom[dst].shutdown && fake.dom[dst].shutdown_reason == 2); /* asked */
    free(text);
    free(again);
    close(fd);
}

/* Lines libxl_domain_guest_nodes would never write: refused by name
 * before anything is made or read. */
static void test_guest_nodes_refused(void)
{
    static const struct
    {
        const char *text, *why;
    } bad[] = {
        { "control/shutdown=suspend\n", "guest node \"control/shutdown\" is not one" },
        { "data/x=1\n", "guest node \"data/x\" is not one" },
        { "../0/control/feature-suspend=1\n", "is not one a guest announces" },
        { "control/feature-suspend\n", "has no '='" },
        { "control/feature-suspend=1", "the last line has no newline" },
        { "control/feature-suspend=1\ncontrol/feature-suspend=1\n", "given twice" },
        { "control/feature-suspend=\n", "value is not 1 to 16 letters or digits" },
        { "control/feature-suspend=1 1\n", "value is not 1 to 16" },
        { "control/feature-suspend=12345678901234567\n", "value is not 1 to 16" },
    };
    char big[LIBXL_GUEST_NODES_MAX + 2];

    for ( size_t i = 0; i <= sizeof(bad) / sizeof(bad[0]); i++ )
    {
        libxl_domain_config d;
        libxl_domain_create_opts opts = { 0 };
        libxl_domid dst;
        int fd = stream_file("");
        const char *why = i < sizeof(bad) / sizeof(bad[0]) ? bad[i].why : "more than 512 bytes";

        memset(big, 'a', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        setup();
        make_config(&d, "r");
        opts.guest_nodes = i < sizeof(bad) / sizeof(bad[0]) ? bad[i].text : big;
        CHECK_EQ(libxl_domain_create_restore(ctx, &d, &dst, fd, &opts), ERROR_INVAL);
        libxl_domain_config_dispose(&d);
        CHECK_EQ(dst, INVALID_DOMID);
        CHECK_MSG(strstr(libxl_ctx_last_error(ctx), why), "got [%s], want [%s]",
                  libxl_ctx_last_error(ctx), why);
        CHECK(lseek(fd, 0, SEEK_CUR) == 0); /* the stream never read */
        check_nothing_left();
        close(fd);
    }
}

static void test_cleanup(void)
{
    libxl_domid domid;

    setup();
    CHECK_EQ(create("left", &domid), 0);
    CHECK_EQ(libxl_domain_destroy(ctx, domid, NULL), 0);
    libxl_ctx_free(ctx);
    ctx = NULL;
    CHECK_EQ(fake.open_handles, 0);
    fake_reset();
    unlink(kernel_path);
    unlink(notelf_path);
}

static const struct test_case cases[] = {
    { "create", test_create },
    { "create altp2m", test_create_altp2m },
    { "guest nodes carried", test_guest_nodes_carried },
    { "guest nodes refused", test_guest_nodes_refused },
    { "create paused", test_create_paused },
    { "create unwinds a failure at every step", test_create_unwinds_every_step },
    { "create refuses bad inputs", test_create_bad_inputs },
    { "create retries a busy store", test_create_store_busy },
    { "destroy", test_destroy },
    { "shutdown and wait", test_shutdown_and_wait },
    { "on_poweroff and on_reboot", test_death_actions },
    { "names and info", test_names_and_info },
    { "memory", test_memory },
    { "vcpus and uptime", test_vcpus_and_uptime },
    { "host", test_host },
    { "console attach", test_console_attach },
    { "ctx alloc failures", test_ctx_alloc_failures },
    { "save and restore", test_save_and_restore },
    { "save --debug-break", test_debug_break },
    { "restore keeps the uuid", test_restore_keeps_uuid },
    { "restore refused", test_restore_refused },
    { "save suspends a PV guest", test_save_suspends_pv_guest },
    { "save pauses a plain guest", test_save_pauses_plain_guest },
    { "save: guest ignores the request", test_save_guest_ignores_request },
    { "save: guest never suspends", test_save_guest_never_suspends },
    { "save fails after the suspend", test_save_fails_after_suspend },
    { "resume refuses other shutdowns", test_resume_refuses_other_shutdowns },
    { "save on the dirty ring", test_save_on_ring },
    { "cleanup", test_cleanup },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
