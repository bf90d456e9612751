/*
 * test-xl-cfg.c - host tests of xl's config reader: the grammar
 * (tools/xl/xl_cfg.{l,y}), the settings object (xlu_cfg.c) and what each
 * key means (xl_parse.c). Every key is set once, and every error message
 * is checked word for word, with its file and line.
 *
 * It links only the reader and libxl's config object; no domain exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "xl.h"

static libxl_domain_config d;
static char *err;
static char warnbuf[512];

/* Parse text as file "guest.cfg" with overrides; returns the rc. */
static int parse_ov(const char *text, char **ov, int nr)
{
    FILE *warn = fmemopen(warnbuf, sizeof(warnbuf), "w");
    int rc;

    memset(warnbuf, 0, sizeof(warnbuf));
    free(err);
    err = NULL;
    libxl_domain_config_dispose(&d);
    libxl_domain_config_init(&d);
    rc = xl_config_from_text("guest.cfg", text, strlen(text), ov, nr, &d, &err, warn);
    fclose(warn);
    return rc;
}

static int parse(const char *text)
{
    return parse_ov(text, NULL, 0);
}

#define BASE "name = \"g\"\nkernel = \"/k\"\n"

/* text must fail with exactly msg. */
#define CHECK_ERR(text, msg)                                                                 \
    do                                                                                       \
    {                                                                                        \
        CHECK_EQ(parse(text), ERROR_INVAL);                                                  \
        CHECK_MSG(err && !strcmp(err, msg), "got \"%s\", want \"%s\"", err ? err : "", msg); \
    } while ( 0 )

static void test_every_key(void)
{
    static const char text[] = "# a full one\n"
                               "name = \"web\"\n"
                               "type = 'pvh'\n"
                               "kernel = \"/boot/k.elf\"\n"
                               "ramdisk = \"/boot/initrd\"\n"
                               "cmdline = \"console=hvc0\"\n"
                               "memory = 256; maxmem = 0x200\n"
                               "vcpus = 2\n"
                               "maxvcpus = 4\n"
                               "on_poweroff = \"restart\"\n"
                               "on_reboot = \"destroy\"\n"
                               "on_crash = \"restart\"   # comment after a value\n"
                               "uuid = \"0123abcd-4567-89ef-0123-456789ABCDEF\"\n"
                               "logdirty = \"pml\"\n"
                               "p2m_pool = 8";
    char uuid[LIBXL_UUID_STRLEN];

    CHECK_EQ(parse(text), 0);
    CHECK(!strcmp(d.c_info.name, "web"));
    CHECK_EQ(d.c_info.type, LIBXL_DOMAIN_TYPE_PVH);
    CHECK(!strcmp(d.b_info.kernel, "/boot/k.elf"));
    CHECK(!strcmp(d.b_info.ramdisk, "/boot/initrd"));
    CHECK(!strcmp(d.b_info.cmdline, "console=hvc0"));
    CHECK_EQ(d.b_info.target_memkb, 256 * 1024);
    CHECK_EQ(d.b_info.max_memkb, 512 * 1024);
    CHECK_EQ(d.b_info.avail_vcpus, 2);
    CHECK_EQ(d.b_info.max_vcpus, 4);
    CHECK_EQ(d.on_poweroff, LIBXL_ACTION_ON_SHUTDOWN_RESTART);
    CHECK_EQ(d.on_reboot, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    CHECK_EQ(d.on_crash, LIBXL_ACTION_ON_SHUTDOWN_RESTART);
    libxl_uuid_to_string(&d.c_info.uuid, uuid);
    CHECK(!strcmp(uuid, "0123abcd-4567-89ef-0123-456789abcdef"));
    CHECK_EQ(d.b_info.logdirty, LIBXL_LOGDIRTY_PML);
    CHECK_EQ(d.b_info.p2m_pool_kb, 8 * 1024);
}

static void test_defaults(void)
{
    CHECK_EQ(parse(BASE), 0);
    CHECK_EQ(d.c_info.type, LIBXL_DOMAIN_TYPE_PVH);
    CHECK_EQ(d.b_info.target_memkb, 128 * 1024);
    CHECK_EQ(d.b_info.max_memkb, 128 * 1024);
    CHECK_EQ(d.b_info.avail_vcpus, 1);
    CHECK_EQ(d.b_info.max_vcpus, 1);
    CHECK_EQ(d.on_poweroff, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    CHECK_EQ(d.on_reboot, LIBXL_ACTION_ON_SHUTDOWN_RESTART);
    CHECK_EQ(d.on_crash, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    CHECK_EQ(d.b_info.logdirty, LIBXL_LOGDIRTY_DEFAULT);
    CHECK_EQ(d.b_info.p2m_pool_kb, 0);
    CHECK(!d.b_info.ramdisk && !d.b_info.cmdline);
    CHECK(libxl_uuid_is_nil(&d.c_info.uuid));
}

static void test_logdirty_modes(void)
{
    CHECK_EQ(parse(BASE "logdirty = \"off\""), 0);
    CHECK_EQ(d.b_info.logdirty, LIBXL_LOGDIRTY_OFF);
    CHECK_EQ(parse(BASE "logdirty = \"wp\""), 0);
    CHECK_EQ(d.b_info.logdirty, LIBXL_LOGDIRTY_WP);
    CHECK_EQ(parse(BASE "logdirty = \"ad\""), 0);
    CHECK_EQ(d.b_info.logdirty, LIBXL_LOGDIRTY_AD);
}

static void test_device_model(void)
{
    CHECK_EQ(parse(BASE), 0);
    CHECK_EQ(d.b_info.device_model, LIBXL_DEVICE_MODEL_NONE);
    CHECK_EQ(parse(BASE "device_model = \"wren-dm\""), 0);
    CHECK_EQ(d.b_info.device_model, LIBXL_DEVICE_MODEL_WREN_DM);
    CHECK_EQ(parse(BASE "device_model = \"none\""), 0);
    CHECK_EQ(d.b_info.device_model, LIBXL_DEVICE_MODEL_NONE);
    CHECK_ERR(BASE "device_model = \"qemu-xen\"",
              "guest.cfg:3: bad value \"qemu-xen\" for key \"device_model\": Wren's device "
              "model is \"wren-dm\" (or \"none\")");
    CHECK_ERR(BASE "device_model = 1",
              "guest.cfg:3: key \"device_model\" wants a string, not an integer");
}

static void test_altp2m(void)
{
    CHECK_EQ(parse(BASE), 0);
    CHECK_EQ(d.b_info.altp2m, LIBXL_ALTP2M_MODE_DISABLED);
    CHECK_EQ(parse(BASE "altp2m = \"mixed\""), 0);
    CHECK_EQ(d.b_info.altp2m, LIBXL_ALTP2M_MODE_MIXED);
    CHECK_EQ(parse(BASE "altp2m = \"external\""), 0);
    CHECK_EQ(d.b_info.altp2m, LIBXL_ALTP2M_MODE_EXTERNAL);
    CHECK_EQ(parse(BASE "altp2m = \"limited\""), 0);
    CHECK_EQ(d.b_info.altp2m, LIBXL_ALTP2M_MODE_LIMITED);
    CHECK_EQ(parse(BASE "altp2m = \"disabled\""), 0);
    CHECK_EQ(d.b_info.altp2m, LIBXL_ALTP2M_MODE_DISABLED);
    CHECK_ERR(BASE "altp2m = \"on\"",
              "guest.cfg:3: bad value \"on\" for key \"altp2m\": one of \"disabled\", \"mixed\", "
              "\"external\", \"limited\"");
    CHECK_ERR(BASE "altp2m = 1", "guest.cfg:3: key \"altp2m\" wants a string, not an integer");
}

static void test_cmdline_composition(void)
{
    CHECK_EQ(parse(BASE "extra = \"quiet\""), 0);
    CHECK(!strcmp(d.b_info.cmdline, "quiet"));
    CHECK_EQ(parse(BASE "root = \"/dev/xvda\"\nextra = \"quiet\""), 0);
    CHECK(!strcmp(d.b_info.cmdline, "root=/dev/xvda quiet"));
    CHECK_EQ(parse(BASE "root = \"/dev/xvda\""), 0);
    CHECK(!strcmp(d.b_info.cmdline, "root=/dev/xvda"));
    CHECK_EQ(parse(BASE "cmdline = \"a\"\nextra = \"b\""), 0);
    CHECK(!strcmp(d.b_info.cmdline, "a"));
    CHECK(strstr(warnbuf, "guest.cfg: warning: ignoring \"root\" and \"extra\""));
}

static void test_syntax_forms(void)
{
    CHECK_EQ(parse("name='g';kernel=\"/k\";memory=0x40;"), 0);
    CHECK_EQ(d.b_info.target_memkb, 64 * 1024);
    CHECK_EQ(parse("\n\n  # only\n\t cmdline = \"a\\\"b\\\\c\\n\\t\\'\"  \n" BASE "\n\n"), 0);
    CHECK(!strcmp(d.b_info.cmdline, "a\"b\\c\n\t'"));
    CHECK_EQ(parse("kernel = '/k' ; name = 'x'\r\n"), 0);
    CHECK(!strcmp(d.c_info.name, "x"));
}

static void test_lists(void)
{
    static const char text[] = "a = [ \"x\", 'y',\n  3,\n  0x10, ]\nb = []\nc = [\n]\n"
                               "d = [ 'only' ]";
    XLU_Config cfg;
    const struct xlu_cfg_setting *s;

    CHECK_EQ(xlu_cfg_init(&cfg, "l.cfg"), 0);
    CHECK_EQ(xlu_cfg_parse(&cfg, text, strlen(text), 0), 0);
    s = xlu_cfg_find(&cfg, "a");
    CHECK(s && s->value.type == XLU_CFG_LIST && s->value.nr_items == 4);
    CHECK(!strcmp(s->value.items[0].str, "x") && !strcmp(s->value.items[1].str, "y"));
    CHECK_EQ(s->value.items[2].num, 3);
    CHECK_EQ(s->value.items[3].num, 16);
    CHECK_EQ(s->line, 1);
    s = xlu_cfg_find(&cfg, "b");
    CHECK(s && s->value.type == XLU_CFG_LIST && s->value.nr_items == 0 && s->line == 4);
    s = xlu_cfg_find(&cfg, "c");
    CHECK(s && s->value.nr_items == 0 && s->line == 5);
    s = xlu_cfg_find(&cfg, "d");
    CHECK(s && s->value.nr_items == 1 && s->line == 7);
    xlu_cfg_dispose(&cfg);
}

static void test_key_errors(void)
{
    CHECK_ERR(BASE "memroy = 3", "guest.cfg:3: unknown key \"memroy\"");
    CHECK_ERR(BASE "memory = 3\nmemory = 4",
              "guest.cfg:4: duplicate key \"memory\" (first set on line 3)");
    CHECK_ERR(BASE "memory = \"3\"", "guest.cfg:3: key \"memory\" wants an integer, not a string");
    CHECK_ERR(BASE "ramdisk = 3", "guest.cfg:3: key \"ramdisk\" wants a string, not an integer");
    CHECK_ERR(BASE "cmdline = [ 'a' ]", "guest.cfg:3: key \"cmdline\" wants a string, not a list");
    CHECK_ERR("kernel = \"/k\"", "guest.cfg: no \"name\" key: every domain needs a name");
    CHECK_ERR("name = \"g\"", "guest.cfg: no \"kernel\" key: a PVH domain boots from a kernel");
}

static void test_value_errors(void)
{
    CHECK_ERR(BASE "type = \"hvm\"",
              "guest.cfg:3: type \"hvm\" is not supported: Wren builds \"pvh\" only");
    CHECK_ERR(BASE "type = \"pv\"",
              "guest.cfg:3: type \"pv\" is not supported: Wren builds \"pvh\" only");
    CHECK_ERR(BASE "type = \"x\"",
              "guest.cfg:3: bad value \"x\" for key \"type\": one of \"pvh\", \"hvm\", \"pv\"");
    CHECK_ERR("name = \"a b\"\nkernel='/k'",
              "guest.cfg:1: bad value \"a b\" for key \"name\": 1 to 64 printable characters, "
              "no blank or '/', not only digits");
    CHECK_ERR("name = \"12\"\nkernel='/k'",
              "guest.cfg:1: bad value \"12\" for key \"name\": 1 to 64 printable characters, "
              "no blank or '/', not only digits");
    CHECK_ERR("name = 'g'\nkernel=''", "guest.cfg:2: bad value \"\" for key \"kernel\": a path");
    CHECK_ERR(BASE "ramdisk=''", "guest.cfg:3: bad value \"\" for key \"ramdisk\": a path");
    CHECK_ERR(BASE "memory = 0",
              "guest.cfg:3: bad value 0 for key \"memory\": must be 1 to 16777216");
    CHECK_ERR(BASE "maxmem = 0",
              "guest.cfg:3: bad value 0 for key \"maxmem\": must be 1 to 16777216");
    CHECK_ERR(BASE "vcpus = 129", "guest.cfg:3: bad value 129 for key \"vcpus\": must be 1 to 128");
    CHECK_ERR(BASE "maxvcpus = 0",
              "guest.cfg:3: bad value 0 for key \"maxvcpus\": must be 1 to 128");
    CHECK_ERR(BASE "p2m_pool = 0",
              "guest.cfg:3: bad value 0 for key \"p2m_pool\": must be 1 to 16777216");
    CHECK_ERR(BASE "uuid = \"0123\"", "guest.cfg:3: bad value \"0123\" for key \"uuid\": a UUID, "
                                      "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    CHECK_ERR(BASE "logdirty = \"on\"", "guest.cfg:3: bad value \"on\" for key \"logdirty\": one "
                                        "of \"off\", \"wp\", \"pml\", \"ad\"");
}

static void test_action_errors(void)
{
    CHECK_ERR(BASE "on_crash = \"preserve\"", "guest.cfg:3: on_crash = \"preserve\" is not "
                                              "supported: Wren does \"destroy\" and \"restart\"");
    CHECK_ERR(BASE "on_reboot = \"rename-restart\"",
              "guest.cfg:3: on_reboot = \"rename-restart\" is not supported: Wren does "
              "\"destroy\" and \"restart\"");
    CHECK_ERR(BASE "on_poweroff = \"explode\"",
              "guest.cfg:3: bad value \"explode\" for key \"on_poweroff\": one of \"destroy\", "
              "\"restart\", \"preserve\", \"rename-restart\"");
}

static void test_consistency_errors(void)
{
    CHECK_ERR(BASE "memory = 512\nmaxmem = 256",
              "guest.cfg:4: maxmem (256 MiB) is below memory (512 MiB)");
    CHECK_ERR(BASE "maxvcpus = 2\nvcpus = 4", "guest.cfg:3: maxvcpus (2) is below vcpus (4)");
}

static void test_syntax_errors(void)
{
    CHECK_ERR(BASE "memory =\n", "guest.cfg:3: syntax error at the end of the line");
    CHECK_ERR(BASE "memory =", "guest.cfg:3: syntax error at the end of the line");
    CHECK_ERR(BASE "= 3", "guest.cfg:3: syntax error near \"=\"");
    CHECK_ERR(BASE "memory = 3 4", "guest.cfg:3: syntax error near \"4\"");
    CHECK_ERR(BASE "a = [ 1 2 ]", "guest.cfg:3: syntax error near \"2\"");
    CHECK_ERR(BASE "a = [ [ 1 ] ]", "guest.cfg:3: syntax error near \"[\"");
    CHECK_ERR(BASE "kernel2 = \"abc\n",
              "guest.cfg:3: string not closed before the end of the line");
    CHECK_ERR(BASE "a = @", "guest.cfg:3: unexpected character 0x40");
    CHECK_ERR(BASE "memory = 12ab", "guest.cfg:3: malformed number \"12ab\"");
    CHECK_ERR(BASE "memory = 99999999999999999999999",
              "guest.cfg:3: number \"99999999999999999999999\" is too large or malformed");
    CHECK_ERR(BASE "cmdline = \"a\\qb\"", "guest.cfg:3: bad escape \"\\q\" in a string");
}

static void test_nul_in_text(void)
{
    static const char text[] = "name = 'g'\n\0kernel = '/k'\n";

    free(err);
    err = NULL;
    libxl_domain_config_dispose(&d);
    libxl_domain_config_init(&d);
    CHECK_EQ(xl_config_from_text("guest.cfg", text, sizeof(text) - 1, NULL, 0, &d, &err, stderr),
             ERROR_INVAL);
    CHECK(err && !strcmp(err, "guest.cfg:2: unexpected character 0x00"));
    CHECK(!d.c_info.name); /* a failed parse leaves an empty config */
}

static void test_overrides(void)
{
    char *ov[] = { "memory=256", "vcpus = 2", "name='other'" };
    char *bad[] = { "memory=256", "memroy=3" };
    char *badval[] = { "vcpus=0" };

    CHECK_EQ(parse_ov(BASE "memory = 64", ov, 3), 0);
    CHECK_EQ(d.b_info.target_memkb, 256 * 1024);
    CHECK_EQ(d.b_info.avail_vcpus, 2);
    CHECK(!strcmp(d.c_info.name, "other"));
    CHECK_EQ(parse_ov(BASE, bad, 2), ERROR_INVAL);
    CHECK(!strcmp(err, "command line:1: unknown key \"memroy\""));
    CHECK_EQ(parse_ov(BASE, badval, 1), ERROR_INVAL);
    CHECK(!strcmp(err, "command line:1: bad value 0 for key \"vcpus\": must be 1 to 128"));
}

static void test_uuid_round_trip(void)
{
    libxl_uuid u;
    char s[LIBXL_UUID_STRLEN];

    CHECK_EQ(libxl_uuid_from_string(&u, "00112233-4455-6677-8899-aabbccddeeff"), 0);
    libxl_uuid_to_string(&u, s);
    CHECK(!strcmp(s, "00112233-4455-6677-8899-aabbccddeeff"));
    CHECK_EQ(libxl_uuid_from_string(&u, "00112233-4455-6677-8899-aabbccddeeff0"), ERROR_INVAL);
    CHECK_EQ(libxl_uuid_from_string(&u, "00112233+4455-6677-8899-aabbccddeeff"), ERROR_INVAL);
    CHECK_EQ(libxl_uuid_from_string(&u, "0011223g-4455-6677-8899-aabbccddeeff"), ERROR_INVAL);
    CHECK_EQ(libxl_uuid_from_string(&u, "0011"), ERROR_INVAL);
}

static void test_json(void)
{
    char *j;

    CHECK_EQ(parse(BASE "cmdline = \"a \\\"q\\\"\"\nlogdirty = 'wp'"), 0);
    j = libxl_domain_config_to_json(&d);
    CHECK(j);
    CHECK(strstr(j, "\"c_info\": {\n        \"type\": \"pvh\",\n        \"name\": \"g\","));
    CHECK(strstr(j, "\"cmdline\": \"a \\\"q\\\"\""));
    CHECK(strstr(j, "\"target_memkb\": 131072"));
    CHECK(strstr(j, "\"logdirty\": \"wp\""));
    CHECK(strstr(j, "\"on_reboot\": \"restart\""));
    CHECK(strstr(j, "\"ramdisk\": null"));
    free(j);
}

static void test_cleanup(void)
{
    libxl_domain_config_dispose(&d);
    free(err);
    err = NULL;
}

static const struct test_case cases[] = {
    { "every key", test_every_key },
    { "defaults", test_defaults },
    { "logdirty modes", test_logdirty_modes },
    { "device_model", test_device_model },
    { "altp2m", test_altp2m },
    { "cmdline from root and extra", test_cmdline_composition },
    { "syntax forms", test_syntax_forms },
    { "lists", test_lists },
    { "key errors", test_key_errors },
    { "value errors", test_value_errors },
    { "on_* errors", test_action_errors },
    { "maxmem and maxvcpus", test_consistency_errors },
    { "syntax errors", test_syntax_errors },
    { "NUL in the text", test_nul_in_text },
    { "command-line overrides", test_overrides },
    { "uuid round trip", test_uuid_round_trip },
    { "json", test_json },
    { "cleanup", test_cleanup },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
