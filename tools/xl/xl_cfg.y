/* SPDX-License-Identifier: MIT */
/*
 * xl_cfg.y - the grammar of an xl.cfg file (xlu_cfg.h has the syntax) and
 * xlu_cfg_parse(), which runs it over a text and adds the settings to an
 * XLU_Config.
 *
 * It stops at the first error, which it records with xlu_cfg_error();
 * values of a setting it could not finish are freed (%destructor). It
 * knows nothing of what keys mean.
 */
%code requires {
#include "xlu_cfg.h"

/* What the scanner and the parser share while one text is read. */
struct xlu_cfg_state
{
    XLU_Config *cfg;
    void *scanner;
    int replace; /* a repeated key replaces (command-line overrides) */
    int nomem;
};
}

%code {
#include <stdlib.h>
#include <string.h>
#include "libxl.h"
#define YYSTYPE XLU_CFG_YYSTYPE
#include "xl_cfg.lex.h"

void xlu_cfg_value_dispose(struct xlu_cfg_value *v);
static void xlu_cfg_yyerror(struct xlu_cfg_state *st, const char *msg);
static int cfg_list_append(struct xlu_cfg_state *st, struct xlu_cfg_value *list,
                           struct xlu_cfg_value *item);
static int cfg_set(struct xlu_cfg_state *st, char *key, int line, struct xlu_cfg_value *v);
static struct xlu_cfg_value *cfg_list_new(struct xlu_cfg_state *st, int line);

static void cfg_value_free(struct xlu_cfg_value *v)
{
    xlu_cfg_value_dispose(v);
    free(v);
}

#define CFG_TRY(x) do { if ( (x) ) YYABORT; } while ( 0 )
}

%define api.prefix {xlu_cfg_yy}
%define api.pure full
%parse-param {struct xlu_cfg_state *st}
%lex-param {void *SCANNER}
%{
#define SCANNER (st->scanner)
%}

%union {
    struct xlu_cfg_value *val;
    struct { char *s; int line; } id;
    int line;
}

%token <val> STRING NUMBER
%token <id> IDENT
%token <line> NEWLINE '=' '[' ']' ',' ';'
%token LEXERROR
%type <val> value atom list items

%destructor { cfg_value_free($$); } <val>
%destructor { free($$.s); } <id>

%%

/* The last setting may end the text without a newline. */
file:     statements
        | statements IDENT '=' value  { CFG_TRY(cfg_set(st, $2.s, $2.line, $4)); }
        ;

statements: %empty
        | statements statement
        ;

statement: end
        | IDENT '=' value end   { CFG_TRY(cfg_set(st, $1.s, $1.line, $3)); }
        ;

end:      NEWLINE | ';' ;

value:    atom
        | list
        ;

atom:     STRING
        | NUMBER
        ;

nls:      %empty
        | nls NEWLINE
        ;

list:     '[' nls ']'                   { $$ = cfg_list_new(st, $1); CFG_TRY(!$$); }
        | '[' nls items ']'             { $$ = $3; }
        | '[' nls items ',' nls ']'     { $$ = $3; }
        ;

items:    atom nls                      {
                                            $$ = cfg_list_new(st, $1->line);
                                            if ( !$$ )
                                                cfg_value_free($1);
                                            CFG_TRY(!$$ || cfg_list_append(st, $$, $1));
                                        }
        | items ',' nls atom nls        { $$ = $1; CFG_TRY(cfg_list_append(st, $$, $4)); }
        ;

%%

static void xlu_cfg_yyerror(struct xlu_cfg_state *st, const char *msg)
{
    const char *text = xlu_cfg_yyget_text(st->scanner);
    int line = xlu_cfg_yyget_lineno(st->scanner);

    if ( st->nomem )
        return;
    if ( text[0] == '\n' || text[0] == '\0' )
        xlu_cfg_error(st->cfg, line - (text[0] == '\n'), "syntax error at the end of the line");
    else
        xlu_cfg_error(st->cfg, line, "syntax error near \"%s\"", text);
}

static struct xlu_cfg_value *cfg_list_new(struct xlu_cfg_state *st, int line)
{
    struct xlu_cfg_value *v = calloc(1, sizeof(*v));

    if ( !v )
    {
        st->nomem = 1;
        return NULL;
    }
    v->type = XLU_CFG_LIST;
    v->line = line;
    return v;
}

/* Moves item into the list (freeing its shell), or frees it on failure. */
static int cfg_list_append(struct xlu_cfg_state *st, struct xlu_cfg_value *list,
                           struct xlu_cfg_value *item)
{
    struct xlu_cfg_value *items;

    items = realloc(list->items, (list->nr_items + 1) * sizeof(*items));
    if ( !items )
    {
        st->nomem = 1;
        cfg_value_free(item);
        return -1;
    }
    items[list->nr_items++] = *item;
    list->items = items;
    free(item);
    return 0;
}

static struct xlu_cfg_setting *cfg_lookup(XLU_Config *cfg, const char *key)
{
    struct xlu_cfg_setting *s;

    for ( s = cfg->settings; s; s = s->next )
        if ( !strcmp(s->key, key) )
            return s;
    return NULL;
}

static int cfg_replace(struct xlu_cfg_state *st, struct xlu_cfg_setting *s, char *key, int line,
                       struct xlu_cfg_value *v)
{
    char *source = strdup(st->cfg->source);

    if ( !source )
    {
        st->nomem = 1;
        free(key);
        cfg_value_free(v);
        return -1;
    }
    xlu_cfg_value_dispose(&s->value);
    free(s->source);
    s->source = source;
    s->value = *v;
    s->line = line;
    free(key);
    free(v);
    return 0;
}

/* Takes key and v, whatever happens. */
static int cfg_set(struct xlu_cfg_state *st, char *key, int line, struct xlu_cfg_value *v)
{
    struct xlu_cfg_setting *s = cfg_lookup(st->cfg, key), **tail;

    if ( s && st->replace )
        return cfg_replace(st, s, key, line, v);
    if ( s )
    {
        xlu_cfg_error(st->cfg, line, "duplicate key \"%s\" (first set on line %d)", key, s->line);
        goto fail;
    }
    s = calloc(1, sizeof(*s));
    if ( s )
        s->source = strdup(st->cfg->source);
    if ( !s || !s->source )
    {
        st->nomem = 1;
        free(s);
        goto fail;
    }
    s->key = key;
    s->line = line;
    s->value = *v;
    free(v);
    for ( tail = &st->cfg->settings; *tail; tail = &(*tail)->next )
        ;
    *tail = s;
    return 0;

 fail:
    free(key);
    cfg_value_free(v);
    return -1;
}

int xlu_cfg_parse(XLU_Config *cfg, const char *text, size_t len, int replace)
{
    struct xlu_cfg_state st = { .cfg = cfg, .replace = replace };
    YY_BUFFER_STATE buf;
    int rc;

    if ( xlu_cfg_yylex_init_extra(&st, &st.scanner) )
        return ERROR_NOMEM;
    buf = xlu_cfg_yy_scan_bytes(text, len, st.scanner);
    if ( buf )
        xlu_cfg_yyset_lineno(1, st.scanner); /* a new buffer's is unset */
    rc = buf ? xlu_cfg_yyparse(&st) : 2;
    xlu_cfg_yylex_destroy(st.scanner);
    if ( st.nomem || rc == 2 )
        return ERROR_NOMEM;
    return rc ? ERROR_INVAL : 0;
}
