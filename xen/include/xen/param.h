/*
 * param.h - hypervisor command-line options, in Xen's syntax:
 * space-separated "name", "name=value", "no-name" for booleans.
 * Each option registers itself in the .data.param section; setup walks
 * the command line once and warns about options nobody registered.
 */
#ifndef XEN_PARAM_H
#define XEN_PARAM_H

#include <xen/types.h>

enum param_kind
{
    PARAM_BOOL,
    PARAM_UINT,
    PARAM_SIZE,
    PARAM_STRING,
    PARAM_CUSTOM
};

struct kernel_param
{
    const char *name;
    enum param_kind kind;
    void *var;
    size_t len;                    /* for strings: buffer size */
    void (*fn)(const char *value); /* for custom */
};

#define __param_entry(n, k, v, l, f)                   \
    static const struct kernel_param __param_##v##_##k \
        __attribute__((used, section(".data.param"), aligned(8))) = { n, k, (void *)&(v), l, f }

#define boolean_param(n, v) __param_entry(n, PARAM_BOOL, v, 0, NULL)
#define integer_param(n, v) __param_entry(n, PARAM_UINT, v, sizeof(v), NULL)
#define size_param(n, v)    __param_entry(n, PARAM_SIZE, v, sizeof(v), NULL)
#define string_param(n, v)  __param_entry(n, PARAM_STRING, v, sizeof(v), NULL)
#define custom_param(n, f)                                                                      \
    static const struct kernel_param __param_##f                                                \
        __attribute__((used, section(".data.param"), aligned(8))) = { n, PARAM_CUSTOM, NULL, 0, \
                                                                      f }

void cmdline_parse(const char *cmdline);
extern char saved_cmdline[512];

#endif /* XEN_PARAM_H */
