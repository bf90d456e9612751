/*
 * test-xl.c - host tests of the xl command line over a stand-in libxl
 * (stub-libxl.c): the output of list, vcpu-list, uptime, info, dmesg and
 * help column for column, argument and option errors with their exit
 * codes, and what each command asks of libxl.
 *
 * It links xl's own files, the config reader and the stub; the config
 * files it writes are temporary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "stub-libxl.h"
#include "xl.h"

static char *out, *err;

/* Run xl with the words of cmd (split on spaces); its exit code. */
static int xl(const char *cmd)
{
    char *copy = strdup(cmd), *argv[16], *save = NULL, *w;
    size_t out_len, err_len;
    int argc = 0, rc;

    free(out);
    free(err);
    xl_out = open_memstream(&out, &out_len);
    xl_err = open_memstream(&err, &err_len);
    argv[argc++] = "xl";
    for ( w = strtok_r(copy, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save) )
        argv[argc++] = w;
    argv[argc] = NULL;
    rc = xl_main(argc, argv);
    fclose(xl_out);
    fclose(xl_err);
    xl_out = xl_err = NULL;
    free(copy);
    return rc;
}

#define CHECK_STR(got, want) CHECK_MSG(!strcmp(got, want), "got\n[%s]\nwant\n[%s]", got, want)

#define CHECK_PREFIX(got, want) \
    CHECK_MSG(!strncmp(got, want, strlen(want)), "got\n[%s]\nwant prefix\n[%s]", got, want)

#define LIST_HEADER "Name                                        ID   Mem VCPUs\tState\tTime(s)"
#define ROW_DOM0    "Domain-0                                     0  1024     2     r-----     123.4"
#define ROW_WEB     "web                                          3   512     1     -b----       5.3"
#define ROW_CRASHED \
    "crashed                                      7    64     1     --psc-       0.0"

static void test_list(void)
{
    stub_reset();
    CHECK_EQ(xl("list"), 0);
    CHECK_STR(out, LIST_HEADER "\n" ROW_DOM0 "\n" ROW_WEB "\n" ROW_CRASHED "\n");
    CHECK_STR(err, "");
    CHECK_EQ(xl("list web 0"), 0);
    CHECK_STR(out, LIST_HEADER "\n" ROW_WEB "\n" ROW_DOM0 "\n");
}

static void test_list_verbose(void)
{
    stub_reset();
    CHECK_EQ(xl("list -v crashed"), 0);
    CHECK_STR(out, LIST_HEADER
              "   UUID                            Reason-Code\tSecurity Label\n" ROW_CRASHED
              " 00000000-0000-0000-0000-000000000007        3                -\n");
    CHECK_EQ(xl("list -v web"), 0);
    CHECK(strstr(out, ROW_WEB " 00000000-0000-0000-0000-000000000003        -                -\n"));
}

static void test_list_long(void)
{
    stub_reset();
    CHECK_EQ(xl("list -l"), 0);
    CHECK_PREFIX(out, "[\n    {\n        \"domid\": 3,\n        \"config\": {\n");
    CHECK(strstr(out, "            \"name\": \"web\",\n"));
    CHECK(strstr(out, "\"kernel\": \"/boot/web.elf\""));
    CHECK_STR(out + strlen(out) - 18, "        }\n    }\n]\n");
}

static void test_list_errors(void)
{
    stub_reset();
    CHECK_EQ(xl("list nosuch"), 1);
    CHECK_STR(err, "Error: Domain 'nosuch' does not exist.\n");
    CHECK_STR(out, "");
    CHECK_EQ(xl("list -x"), 1);
    CHECK_PREFIX(err, "xl list: invalid option -- 'x'\nUsage: xl list [-l] [-v] [Domain ...]\n");
    CHECK_EQ(xl("list 12"), 1);
    CHECK_STR(err, "Error: Domain '12' does not exist.\n");
}

static void test_help(void)
{
    unsigned int i;

    stub_reset();
    CHECK_EQ(xl("help"), 0);
    CHECK_PREFIX(out, "Usage xl <subcommand> [args]\n\nxl full list of subcommands:\n\n");
    for ( i = 0; i < cmd_table_nr; i++ )
        CHECK_MSG(strstr(out, cmd_table[i].name), "help lacks %s", cmd_table[i].name);
    CHECK(strstr(out, " create              Create a domain from config file <ConfigFile>\n"));
    CHECK_EQ(xl("help list"), 0);
    CHECK_STR(out, "Usage: xl list [-l] [-v] [Domain ...]\n\n"
                   "List information about all or some domains.\n");
    CHECK_EQ(xl("list -h"), 0);
    CHECK_PREFIX(out, "Usage: xl list");
    CHECK_EQ(xl("help nosuch"), 1);
    CHECK_STR(err, "xl: unknown command 'nosuch'\n");
    CHECK_EQ(xl(""), 1);
    CHECK_PREFIX(err, "Usage xl");
    CHECK_EQ(xl("frob"), 1);
    CHECK_STR(err, "xl: unknown command 'frob'\n");
}

static void test_argument_counts(void)
{
    stub_reset();
    CHECK_EQ(xl("destroy"), 1);
    CHECK_PREFIX(err, "xl destroy: not enough arguments\nUsage: xl destroy <Domain>\n");
    CHECK_EQ(xl("destroy web crashed"), 1);
    CHECK_PREFIX(err, "xl destroy: too many arguments\n");
    CHECK_EQ(xl("info extra"), 1);
    CHECK_EQ(xl("mem-set web"), 1);
    CHECK_EQ(xl("create"), 1);
    CHECK(!stub.last_action);
}

static void test_domain_actions(void)
{
    static const char *const cmds[] = { "destroy", "pause", "unpause", "shutdown", "reboot" };
    char line[64];
    unsigned int i;

    for ( i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
    {
        stub_reset();
        snprintf(line, sizeof(line), "%s web", cmds[i]);
        CHECK_EQ(xl(line), 0);
        CHECK(stub.last_action && !strcmp(stub.last_action, cmds[i]) && stub.last_domid == 3);
        snprintf(line, sizeof(line), "%s 7", cmds[i]);
        CHECK_EQ(xl(line), 0);
        CHECK_EQ(stub.last_domid, 7);
    }
    CHECK_EQ(xl("destroy Domain-0"), 1);
    CHECK_STR(err, "xl: destroy failed: cannot destroy domain 0\n");
    CHECK_EQ(xl("destroy nosuch"), 1);
    CHECK_STR(err, "Error: Domain 'nosuch' does not exist.\n");
}

static void test_shutdown_wait(void)
{
    stub_reset();
    CHECK_EQ(xl("shutdown -w web"), 0);
    CHECK(stub.waited);
    CHECK_EQ(stub.death_polls, 1); /* every command applies on_* first */
    CHECK_STR(err, "Waiting for 1 domains\nDomain 3 has been shut down.\n");
    stub_reset();
    CHECK_EQ(xl("reboot -F web"), 0);
    CHECK(!stub.waited && !strcmp(stub.last_action, "reboot"));
    CHECK_EQ(xl("shutdown -c web"), 1);
}

static void test_memory(void)
{
    stub_reset();
    CHECK_EQ(xl("mem-set web 256"), 0);
    CHECK_EQ(stub.kb, 256 * 1024);
    CHECK(!strcmp(stub.last_action, "mem-set"));
    CHECK_EQ(xl("mem-set web 1g"), 0);
    CHECK_EQ(stub.kb, 1024 * 1024);
    CHECK_EQ(xl("mem-max web 4096k"), 0);
    CHECK_EQ(stub.kb, 4096);
    CHECK(!strcmp(stub.last_action, "mem-max"));
    CHECK_EQ(xl("mem-set web 12x"), 1);
    CHECK_STR(err, "invalid memory size: 12x\n");
    CHECK_EQ(xl("mem-set web -5"), 1);
    CHECK_EQ(xl("mem-max nosuch 5"), 1);
}

/* mem-share: its operands, its range, and -s. */
static void test_mem_share(void)
{
    stub_reset();
    CHECK_EQ(xl("mem-share web 7"), 0);
    CHECK(!strcmp(stub.last_action, "mem-share") && stub.last_domid == 3 && stub.share_b == 7);
    CHECK(stub.share_first == 0 && stub.share_last == UINT64_MAX && !stub.share_by_hash);
    CHECK_STR(out, "compared: 10\nidentical: 4\nshared: 4\nframes saved: 4\n");
    CHECK_EQ(xl("mem-share -H web 7 0x400-0x7ff"), 0);
    CHECK(stub.share_by_hash && stub.share_first == 0x400 && stub.share_last == 0x7ff);
    CHECK_EQ(xl("mem-share web 7 0x800-0x400"), 1);
    CHECK_STR(err, "invalid gfn range: 0x800-0x400 (FIRST-LAST, FIRST <= LAST)\n");
    CHECK_EQ(xl("mem-share web 7 12"), 1);
    CHECK_EQ(xl("mem-share web nosuch"), 1);
    CHECK_STR(err, "Error: Domain 'nosuch' does not exist.\n");
    CHECK_EQ(xl("mem-share web"), 1);
    CHECK_EQ(xl("mem-share -s -H"), 1);
    CHECK_EQ(xl("mem-share -s web"), 0);
    CHECK_STR(out,
              "shared frames: 5\nframes saved: 3\naudit errors: 0\ndomain 3 shared pages: 2\n");
}

static void test_names(void)
{
    stub_reset();
    CHECK_EQ(xl("domid web"), 0);
    CHECK_STR(out, "3\n");
    CHECK_EQ(xl("domname 7"), 0);
    CHECK_STR(out, "crashed\n");
    CHECK_EQ(xl("domid nosuch"), 1);
    CHECK_STR(err, "Can't get domid of domain name 'nosuch', maybe this domain does not exist.\n");
    CHECK_EQ(xl("domname 99"), 1);
    CHECK_EQ(xl("domname x1"), 1);
    CHECK_STR(err, "Invalid domain id.\n");
    CHECK_EQ(xl("rename web www"), 0);
    CHECK(!strcmp(stub.arg, "www") && stub.last_domid == 3);
}

static void test_info(void)
{
    stub_reset();
    CHECK_EQ(xl("info"), 0);
    CHECK(strstr(out, "\nnr_cpus                : 2\n"));
    CHECK(strstr(out, "\ncpu_mhz                : 2394.123\n"));
    CHECK(strstr(out, "\nhw_caps                : 178bfbff:00000000:00000000:00000000:"
                      "00000000:00000000:00000000:00000000\n"));
    CHECK(strstr(out, "\nvirt_caps              : hvm hap \n"));
    CHECK(strstr(out, "\ntotal_memory           : 1024\nfree_memory            : 512\n"));
    CHECK(strstr(out, "\nxen_major              : 4\nxen_minor              : 19\n"
                      "xen_extra              : -wren\nxen_version            : 4.19-wren\n"));
    CHECK(strstr(out, "\ncc_compile_by          : wren\n"));
    CHECK_PREFIX(out, "host                   : ");
}

static void test_dmesg(void)
{
    stub_reset();
    CHECK_EQ(xl("dmesg"), 0);
    CHECK_STR(out, "(XEN) Wren booting\n(XEN) done\n");
    CHECK_EQ(stub.dmesg_clear, 0);
    CHECK_EQ(xl("dmesg -c"), 0);
    CHECK_EQ(stub.dmesg_clear, 1);
}

static void test_vcpu_list_and_uptime(void)
{
    stub_reset();
    CHECK_EQ(xl("vcpu-list web"), 0);
    CHECK_STR(out,
              "Name                                ID  VCPU   CPU State   Time(s) Affinity "
              "(Hard / Soft)\n"
              "web                                  3     0     0   -b-       1.5 all / all\n");
    CHECK_EQ(xl("uptime web"), 0);
    CHECK_STR(out, "Name                                ID Uptime\n"
                   "web                                  3 1 day,  2:03:04\n");
    CHECK_EQ(xl("uptime -s web"), 0);
    CHECK(strstr(out, " up 1 day,  2:03, web (3)\n"));
}

static void write_cfg(char *path, const char *text)
{
    int fd;

    strcpy(path, "/tmp/test-xl-XXXXXX");
    fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
}

static void test_create(void)
{
    char path[32], cmd[96], want[96];

    stub_reset();
    write_cfg(path, "name = \"new\"\nkernel = \"/k.elf\"\nmemory = 64\n");
    snprintf(cmd, sizeof(cmd), "create -p %s memory=96 vcpus=2", path);
    CHECK_EQ(xl(cmd), 0);
    CHECK(!strcmp(stub.last_action, "create") && stub.create_paused);
    CHECK(!strcmp(stub.created.c_info.name, "new"));
    CHECK_EQ(stub.created.b_info.target_memkb, 96 * 1024);
    CHECK_EQ(stub.created.b_info.avail_vcpus, 2);
    snprintf(want, sizeof(want), "Parsing config from %s\n", path);
    CHECK_STR(err, want);
    snprintf(cmd, sizeof(cmd), "create %s memroy=96", path);
    CHECK_EQ(xl(cmd), 1);
    CHECK(strstr(err, "command line:1: unknown key \"memroy\"\n"));
    snprintf(cmd, sizeof(cmd), "create %s vcpus", path);
    CHECK_EQ(xl(cmd), 1);
    CHECK(strstr(err, "\"vcpus\" is not key=value"));
    unlink(path);
    write_cfg(path, "name = \"new\"\nkernel = \"/k.elf\"\nmemroy = 64\n");
    snprintf(cmd, sizeof(cmd), "create %s", path);
    stub_reset();
    CHECK_EQ(xl(cmd), 1);
    snprintf(want, sizeof(want), "%s:3: unknown key \"memroy\"\n", path);
    CHECK(strstr(err, want));
    CHECK(!stub.last_action);
    unlink(path);
    CHECK_EQ(xl("create /nonexistent.cfg"), 1);
    CHECK(strstr(err, "Failed to read config file: /nonexistent.cfg: "));
}

static void test_ioreq_list(void)
{
    const char *web = "Domain 3: server 1 (wren-dm), enabled\n"
                      "  port     0x2f8-0x2ff uart\n"
                      "  memtype  0x100000-0x1003f dtable\n"
                      "  requests: sync 40 buffered 2 pio 30 mmio 12 pci 0 invalidate 1 "
                      "unclaimed 0 bad 0\n"
                      "  mapcache: hits 9 misses 3 evictions 1 invalidations 1 buckets 2/8\n"
                      "  dtable: writes 6 rejected 2 applied 4\n"
                      "  uart: tx 25 rx 3\n";

    stub_reset();
    CHECK_EQ(xl("ioreq-list"), 0);
    CHECK_STR(out, web);
    CHECK_EQ(xl("ioreq-list web"), 0);
    CHECK_STR(out, web);
    CHECK_EQ(xl("ioreq-list 0"), 1);
    CHECK_STR(err, "xl: ioreq-list: domain 0 has no device model\n");
    CHECK_EQ(xl("ioreq-list nosuch"), 1);
    CHECK_EQ(xl("ioreq-list web 0"), 1);
    CHECK_PREFIX(err, "xl ioreq-list: too many arguments");
}

static void test_console(void)
{
    stub_reset();
    CHECK_EQ(xl("console web"), 1);
    CHECK_STR(err, "xl: console: no console for domain 3\n");
}

static void test_fork_vm(void)
{
    stub_reset();
    CHECK_EQ(xl("fork-vm web"), 0);
    CHECK_STR(stub.actions, "fork unpause ");
    CHECK_STR(stub.arg, "0");
    CHECK_STR(out, "Domain 3 forked into domain 7\n");
    stub_reset();
    CHECK_EQ(xl("fork-vm -p --max-vcpus=2 3"), 0);
    CHECK_STR(stub.actions, "fork ");
    CHECK_STR(stub.arg, "2");
    stub_reset();
    CHECK_EQ(xl("fork-vm --fork-reset -p web"), 0);
    CHECK_STR(stub.actions, "fork-reset pause ");
    stub_reset();
    CHECK_EQ(xl("fork-vm 0"), 1);
    CHECK(strstr(err, "domain 0 cannot be forked"));
    CHECK_EQ(xl("fork-vm --max-vcpus=0 web"), 1);
    CHECK(strstr(err, "a vCPU count from 1 to 128"));
    CHECK_EQ(xl("fork-vm --max-vcpus=2x web"), 1);
    CHECK_EQ(xl("fork-vm --fork-reset --max-vcpus=2 web"), 1);
    CHECK(strstr(err, "makes no sense"));
    CHECK_EQ(xl("fork-vm web crashed"), 1);
    CHECK_EQ(xl("fork-vm"), 1);
    CHECK_EQ(xl("fork-vm nosuch"), 1);
    CHECK_STR(stub.actions, "");
}

static void test_cleanup(void)
{
    stub_reset();
    libxl_domain_config_dispose(&stub.created);
    free(out);
    free(err);
    out = err = NULL;
}

#define SAVE_FILE "/tmp/wren-test-xl-save"

static void test_save_restore(void)
{
    stub_reset();
    CHECK_EQ(xl("save web " SAVE_FILE), 0);
    CHECK_STR(stub.actions, "suspend destroy ");
    CHECK_EQ(xl("restore " SAVE_FILE), 0);
    CHECK_STR(stub.last_action, "restore");
    CHECK(!stub.create_paused);
    CHECK_STR(stub.created.c_info.name, "web");
    {
        char uuid[LIBXL_UUID_STRLEN];

        libxl_uuid_to_string(&stub.created.c_info.uuid, uuid);
        CHECK_STR(uuid, "0e57a5ed-1234-4abc-8def-0123456789ab"); /* kept, not made anew */
    }
    CHECK_STR(stub.created.b_info.kernel, "/boot/web.elf");
    CHECK_EQ(stub.created.b_info.target_memkb, 512 * 1024);
    CHECK_EQ(stub.created.b_info.max_vcpus, 1);
    CHECK(strstr(err, "Restored domain 9 from " SAVE_FILE));
    CHECK_EQ(xl("restore -p " SAVE_FILE), 0);
    CHECK(stub.create_paused);
    stub_reset();
    CHECK_EQ(xl("save -c web " SAVE_FILE), 0);
    CHECK_STR(stub.actions, "suspend resume unpause ");
    stub_reset();
    CHECK_EQ(xl("save -p web " SAVE_FILE), 0);
    CHECK_STR(stub.actions, "suspend resume ");
    unlink(SAVE_FILE);
}

/* The test-only frame break: armed in libxl before the save; a spec
 * that is not STEP:GFN, or an unknown step, saves nothing. */
static void test_save_debug_break(void)
{
    stub_reset();
    CHECK_EQ(xl("save --debug-break=copy:0x310 web " SAVE_FILE), 0);
    CHECK_STR(stub.actions, "suspend destroy ");
    CHECK_STR(stub.break_step, "copy");
    CHECK_EQ(stub.break_gfn, 0x310);
    stub_reset();
    CHECK_EQ(xl("save --debug-break=copy web " SAVE_FILE), 1);
    CHECK(strstr(err, "--debug-break=copy: not STEP:GFN"));
    CHECK_EQ(xl("save --debug-break=copy:0x1x web " SAVE_FILE), 1);
    CHECK_EQ(xl("save --debug-break=copy:-1 web " SAVE_FILE), 1);
    CHECK_EQ(xl("save --debug-break=bogus:0x310 web " SAVE_FILE), 1);
    CHECK(strstr(err, "no final-round step \"bogus\""));
    CHECK_STR(stub.actions, "");
    unlink(SAVE_FILE);
}

/* A failed save: the file is gone and the domain neither destroyed nor
 * left paused by xl (the library resumed it). */
static void test_save_fails(void)
{
    stub_reset();
    stub.fail_suspend = true;
    CHECK_EQ(xl("save web " SAVE_FILE), 1);
    CHECK_STR(stub.actions, "suspend ");
    CHECK(strstr(err, "cannot save domain 3: write failed"));
    CHECK(access(SAVE_FILE, F_OK) != 0);
    CHECK_EQ(xl("save Domain-0 " SAVE_FILE), 1);
    CHECK_EQ(xl("save nosuch " SAVE_FILE), 1);
    CHECK_EQ(xl("save web"), 1);
}

/* Write a save file whose header word at off is v (off < 0: none),
 * truncated to len bytes (0: whole). */
static void bad_file(int off, uint32_t v, size_t len)
{
    FILE *f;
    char *buf;
    long n;

    stub_reset();
    CHECK_EQ(xl("save -p web " SAVE_FILE), 0);
    f = fopen(SAVE_FILE, "r+b");
    CHECK(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    buf = malloc(n);
    fseek(f, 0, SEEK_SET);
    CHECK(fread(buf, 1, n, f) == (size_t)n);
    if ( off >= 0 )
        memcpy(buf + off, &v, 4);
    fclose(f);
    f = fopen(SAVE_FILE, "wb");
    fwrite(buf, 1, len ? len : (size_t)n, f);
    fclose(f);
    free(buf);
}

static void expect_restore_error(const char *msg)
{
    CHECK_EQ(xl("restore " SAVE_FILE), 1);
    CHECK_MSG(strstr(err, msg), "got [%s], want [%s]", err, msg);
    CHECK(!stub.last_action || strcmp(stub.last_action, "restore"));
}

static void test_restore_refuses(void)
{
    bad_file(0, 0x21212121, 0);
    expect_restore_error(SAVE_FILE ": not an xl save file (bad magic)");
    bad_file(32, 0x04030201, 0);
    expect_restore_error("byte order 0x4030201 is not this host's");
    bad_file(36, 1, 0);
    expect_restore_error("unsupported header flags 0x1");
    bad_file(48, 1 << 30, 0);
    expect_restore_error("config length 1073741824 overruns the header");
    bad_file(-1, 0, 40);
    expect_restore_error("truncated xl header");
    bad_file(-1, 0, 60);
    expect_restore_error("truncated config");
    bad_file(-1, 0, 0);
    {
        FILE *f = fopen(SAVE_FILE, "r+b");

        fseek(f, -6, SEEK_END);
        fputs("STRAY!", f);
        fclose(f);
    }
    expect_restore_error("record END (0x0) at offset 0x28: out of order");
    CHECK_EQ(xl("restore /nonexistent/file"), 1);
    CHECK(strstr(err, "/nonexistent/file: No such file"));
    unlink(SAVE_FILE);
}

#define NODES "control/feature-poweroff=1\ncontrol/feature-suspend=1\n"

/* What the guest announced goes in the header's record after the config
 * and comes back as the restore's guest_nodes; none, no record. */
static void test_save_carries_guest_nodes(void)
{
    stub_reset();
    stub.guest_nodes = NODES;
    CHECK_EQ(xl("save web " SAVE_FILE), 0);
    stub_reset();
    CHECK_EQ(xl("restore " SAVE_FILE), 0);
    CHECK_STR(stub.last_action, "restore");
    CHECK_STR(stub.restored_nodes, NODES);
    stub_reset();
    CHECK_EQ(xl("save web " SAVE_FILE), 0);
    CHECK_EQ(xl("restore " SAVE_FILE), 0);
    CHECK_STR(stub.restored_nodes, "-");
    stub_reset();
    stub.fail_guest_nodes = true;
    CHECK_EQ(xl("save web " SAVE_FILE), 1);
    CHECK(strstr(err, "\nxl save: cannot read domain 3's store\n"));
    CHECK_STR(stub.actions, ""); /* never suspended */
    CHECK(access(SAVE_FILE, F_OK) != 0);
}

/* A saved file (no guest nodes) with recs (n bytes) put after its
 * config, the header's optional length grown to match. */
static void file_with_records(const void *recs, uint32_t n)
{
    uint32_t opt, cfg;
    FILE *f;
    char *buf;
    long len;

    stub_reset();
    CHECK_EQ(xl("save -p web " SAVE_FILE), 0);
    f = fopen(SAVE_FILE, "rb");
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    buf = malloc(len);
    fseek(f, 0, SEEK_SET);
    CHECK(fread(buf, 1, len, f) == (size_t)len);
    fclose(f);
    memcpy(&opt, buf + 44, 4);
    memcpy(&cfg, buf + 48, 4);
    CHECK_EQ(opt, 4 + cfg); /* no record yet */
    opt += n;
    memcpy(buf + 44, &opt, 4);
    f = fopen(SAVE_FILE, "wb");
    fwrite(buf, 1, 52 + cfg, f);
    fwrite(recs, 1, n, f);
    fwrite(buf + 52 + cfg, 1, (size_t)len - 52 - cfg, f);
    fclose(f);
    free(buf);
}

/* A record: type, length, then len bytes of body (or fewer given). */
static uint32_t record(uint8_t *r, uint32_t type, uint32_t len, const char *body, uint32_t n)
{
    memcpy(r, &type, 4);
    memcpy(r + 4, &len, 4);
    memcpy(r + 8, body, n);
    return 8 + n;
}

#define REC_NODES 0x4e475257u

static void test_restore_refuses_bad_records(void)
{
    uint8_t r[1200];
    char big[600];
    uint32_t n;

    memset(big, 'a', sizeof(big));
    n = record(r, 0x12345678, 3, "xyz", 3); /* unknown: skipped */
    n += record(r + n, REC_NODES, 26, "control/feature-suspend=1\n", 26);
    file_with_records(r, n);
    CHECK_EQ(xl("restore " SAVE_FILE), 0);
    CHECK_STR(stub.restored_nodes, "control/feature-suspend=1\n");
    n = record(r, REC_NODES, sizeof(big), big, sizeof(big));
    file_with_records(r, n);
    expect_restore_error("guest-node record of 600 bytes (1 to 512)");
    n = record(r, REC_NODES, 2, "1\n", 2);
    n += record(r + n, REC_NODES, 2, "1\n", 2);
    file_with_records(r, n);
    expect_restore_error("two guest-node records");
    n = record(r, REC_NODES, 3, "a\0\n", 3);
    file_with_records(r, n);
    expect_restore_error("guest-node record holds a NUL");
    n = record(r, REC_NODES, 40, "abc", 3);
    file_with_records(r, n);
    expect_restore_error("record 0x4e475257 of 40 bytes overruns the header");
    n = record(r, REC_NODES, 0, "", 0);
    file_with_records(r, n);
    expect_restore_error("guest-node record of 0 bytes (1 to 512)");
    file_with_records("\1\2\3", 3);
    expect_restore_error("truncated record after the config");
    unlink(SAVE_FILE);
}

static const struct test_case cases[] = {
    { "save and restore", test_save_restore },
    { "save carries guest nodes", test_save_carries_guest_nodes },
    { "restore refuses bad records", test_restore_refuses_bad_records },
    { "save --debug-break", test_save_debug_break },
    { "save fails", test_save_fails },
    { "restore refuses", test_restore_refuses },
    { "list", test_list },
    { "list -v", test_list_verbose },
    { "list -l", test_list_long },
    { "list errors", test_list_errors },
    { "help", test_help },
    { "argument counts", test_argument_counts },
    { "domain actions", test_domain_actions },
    { "shutdown -w", test_shutdown_wait },
    { "mem-set and mem-max", test_memory },
    { "domid, domname, rename", test_names },
    { "mem-share", test_mem_share },
    { "info", test_info },
    { "dmesg", test_dmesg },
    { "vcpu-list and uptime", test_vcpu_list_and_uptime },
    { "create", test_create },
    { "ioreq_list", test_ioreq_list },
    { "console", test_console },
    { "cleanup", test_cleanup },
    { "fork-vm", test_fork_vm },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
