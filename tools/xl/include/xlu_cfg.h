/* SPDX-License-Identifier: MIT */
/*
 * xlu_cfg.h - the reader of xl.cfg files (the role of Xen's libxlutil):
 * turns the text into settings (key, value, line) and checks only the
 * syntax and that no key is set twice. What a key means, and whether its
 * value is right for it, is xl_parse.c's business.
 *
 * Syntax (Xen's): "key = value" settings separated by newlines or ';';
 * a value is a string in "..." or '...' (escapes \\ \" \' \n \t), an
 * unsigned integer (decimal or 0x hex), or a list [ v, v, ... ] of
 * strings and integers that may span lines and end with a comma; '#'
 * starts a comment to the end of the line.
 *
 * It may not touch libxl, a domain or any file: the caller reads the
 * file and passes its text.
 */
#ifndef XLU_CFG_H
#define XLU_CFG_H

#include <stddef.h>

enum xlu_cfg_type
{
    XLU_CFG_STRING,
    XLU_CFG_INT,
    XLU_CFG_LIST,
};

struct xlu_cfg_value
{
    enum xlu_cfg_type type;
    int line;
    char *str;                   /* STRING */
    unsigned long long num;      /* INT */
    struct xlu_cfg_value *items; /* LIST: STRING and INT values */
    unsigned int nr_items;
};

struct xlu_cfg_setting
{
    char *key;
    char *source; /* the file (or "command line") it came from */
    int line;
    struct xlu_cfg_value value;
    struct xlu_cfg_setting *next;
};

typedef struct
{
    char *source;                     /* the file's name, for messages */
    struct xlu_cfg_setting *settings; /* in the text's order */
    char *error;                      /* the first error, "source:line: why" */
} XLU_Config;

/* 0, or ERROR_NOMEM. */
int xlu_cfg_init(XLU_Config *cfg, const char *source);
void xlu_cfg_dispose(XLU_Config *cfg);

/* Add the settings of text[0..len) (NULs in it are errors). 0, or
 * ERROR_INVAL (cfg->error says where and why; settings added before the
 * error stay) or ERROR_NOMEM. With replace, a key set before (by an
 * earlier call) takes the new value instead of being a duplicate: that is
 * how "xl create cfg key=value" overrides the file. */
int xlu_cfg_parse(XLU_Config *cfg, const char *text, size_t len, int replace);

/* The setting of key, or NULL. */
const struct xlu_cfg_setting *xlu_cfg_find(const XLU_Config *cfg, const char *key);

/* Record an error about the text (first one wins): "source:line: why".
 * line 0 leaves the line out. Returns ERROR_INVAL (ERROR_NOMEM if the
 * message cannot be made). */
int xlu_cfg_error(XLU_Config *cfg, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same about setting s, at its own source and line. */
int xlu_cfg_error_at(XLU_Config *cfg, const struct xlu_cfg_setting *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* XLU_CFG_H */
