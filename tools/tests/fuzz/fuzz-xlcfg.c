/*
 * fuzz-xlcfg.c - libFuzzer harness for xl's config reader: the flex/bison
 * grammar (tools/xl/xl_cfg.l, .y), the settings object (xlu_cfg.c) and
 * the keys' meaning (xl_parse.c), which read whatever file a user names.
 *
 * Built with the toolstack's include flags (tools/Rules.mk), from the
 * sources FUZZ_TOOL_SRCS_xlcfg lists (harnesses.mk).
 *
 * Input: the text of a config file (NULs included: they must be refused,
 * not end the text). Oracles, beyond ASan/UBSan (the text is a heap block
 * of exactly its size, with no NUL after it):
 *   - success gives a config with a name and a kernel, 1 <= vcpus <=
 *     maxvcpus, 0 < memory <= maxmem, and no message;
 *   - failure gives one message "fuzz.cfg:" or "command line:" ... and
 *     leaves the config empty;
 *   - a successful config turns into JSON (xl list -l);
 *   - the same text read again gives the same result (no hidden state).
 */
#include "fuzz.h"

#include <stdio.h>

#include "xl.h"

static int read_once(const uint8_t *text, size_t size, libxl_domain_config *d, char **err)
{
    static char *const overrides[] = { "vcpus = 1" };
    FILE *warn = fopen("/dev/null", "w");
    int rc;

    FUZZ_CHECK(warn);
    libxl_domain_config_init(d);
    /* Inputs starting with '!' also take an override. */
    rc = xl_config_from_text("fuzz.cfg", (const char *)text, size, (char **)overrides,
                             size && text[0] == '!', d, err, warn);
    fclose(warn);
    return rc;
}

static void check_result(int rc, const libxl_domain_config *d, const char *err)
{
    const libxl_domain_build_info *b = &d->b_info;
    char *json;

    if ( rc )
    {
        FUZZ_CHECK(rc == ERROR_INVAL || rc == ERROR_NOMEM);
        FUZZ_CHECK(err && (!strncmp(err, "fuzz.cfg:", 9) || !strncmp(err, "command line:", 13)));
        FUZZ_CHECK(!d->c_info.name && !b->kernel && !b->cmdline);
        return;
    }
    FUZZ_CHECK(!err && d->c_info.name && b->kernel);
    FUZZ_CHECK(b->avail_vcpus >= 1 && b->avail_vcpus <= b->max_vcpus);
    FUZZ_CHECK(b->target_memkb > 0 && b->target_memkb <= b->max_memkb);
    json = libxl_domain_config_to_json(d);
    FUZZ_CHECK(json && json[0] == '{' && json[strlen(json) - 1] == '}');
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *text = fuzz_dup(data, size);
    libxl_domain_config d1, d2;
    char *err1 = NULL, *err2 = NULL;
    int rc1, rc2;

    rc1 = read_once(text, size, &d1, &err1);
    check_result(rc1, &d1, err1);
    rc2 = read_once(text, size, &d2, &err2);
    FUZZ_CHECK(rc1 == rc2);
    FUZZ_CHECK(rc1 ? !strcmp(err1, err2) : !strcmp(d1.c_info.name, d2.c_info.name));
    libxl_domain_config_dispose(&d1);
    libxl_domain_config_dispose(&d2);
    free(err1);
    free(err2);
    free(text);
    return 0;
}
