/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * text.h - internals of the minijail text policy parser.
 *
 * The parser works one logical line (a "statement") at a time: lexer.c turns
 * the next statement into tokens, parser.c turns the tokens into IR rules
 * (expr.c parses argument expressions and values, directives.c the
 * @-directives); text.c is the entry point. Every error is reported with
 * text_error*() (report.c), which keeps the
 * first one for sealexec_error and adds all of them to the diagnostics;
 * parsing then resumes at the next statement. Nothing recurses per line;
 * only nested parentheses in values (depth-capped) and @include (depth-
 * capped) recurse.
 */
#ifndef SEALEXEC_POLICY_TEXT_TEXT_H
#define SEALEXEC_POLICY_TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy/ir.h"
#include "policy/parse.h"

/* Limits that keep hostile input linear and bounded. */
#define TEXT_INCLUDE_MAX 8               /* nested @include levels */
#define TEXT_PAREN_MAX   64              /* nested parentheses in a value */
#define TEXT_LINE_MAX    (1024u * 1024u) /* bytes of one logical line */
#define TEXT_ERRNO_MAX   4095            /* the kernel's MAX_ERRNO */
#define TEXT_TOKEN_SHOW  64              /* token bytes quoted in messages */

enum text_tok_kind {
        TOK_EOL, /* end of the statement; its position is just past the last byte */
        TOK_IDENT,
        TOK_NUMBER,
        TOK_PATH,
        TOK_DIRECTIVE,
        TOK_COLON,
        TOK_SEMICOLON,
        TOK_COMMA,
        TOK_TILDE,
        TOK_LPAREN,
        TOK_RPAREN,
        TOK_LBRACE,
        TOK_RBRACE,
        TOK_LBRACKET,
        TOK_RBRACKET,
        TOK_OR,   /* || */
        TOK_AND,  /* && */
        TOK_PIPE, /* |  */
        TOK_AMP,  /* &  */
        TOK_EQ,
        TOK_NE,
        TOK_LT,
        TOK_LE,
        TOK_GT,
        TOK_GE,
        TOK_ASSIGN,
};

struct text_tok {
        enum text_tok_kind kind;
        const char *s; /* points into the source text; not NUL-terminated */
        size_t len;
        unsigned line, col; /* 1-based */
};

struct text_toks {
        struct text_tok *v;
        size_t n, cap;
};

/* A policy file being read. */
struct text_source {
        const char *name; /* as shown in messages; owned by the context */
        const char *text;
        size_t len;
        size_t pos;
        unsigned line;
};

/* One file of the @include chain, for cycle detection. */
struct text_frame {
        const char *name;
        bool has_id;
        dev_t dev;
        ino_t ino;
};

/* Per syscall: where its unconditional rule is, once it has one. */
struct text_seen {
        bool used;
        bool unconditional;
        int nr;
        const char *file;
        unsigned line, col;
};

struct text_constants_json;

struct text_ctx {
        struct policy_diag *diag;
        sealexec_error *err;
        unsigned n_errors;
        bool stop; /* no collector: stop at the first error */
        int fatal; /* a negative errno (ENOMEM, ...) that ends the parse */

        struct sealexec_policy *policy;
        const struct text_constants_json *constants_json; /* the caller's constants.json, or NULL */
        uint32_t arch; /* SCMP_ARCH_* (equal to AUDIT_ARCH_*) of this system */

        struct text_frame frames[TEXT_INCLUDE_MAX + 1];
        unsigned depth; /* frames in use; 1 while reading the top-level file */
        char **names;   /* file names kept alive for rule origins and messages */
        size_t n_names;

        bool denylist;
        bool have_default;
        struct policy_action default_action;

        struct text_seen *seen; /* open addressing by syscall number */
        size_t seen_cap, seen_n;
        size_t n_rules;
};

/* A cursor over the tokens of one statement; the last token is TOK_EOL. */
struct text_cursor {
        const struct text_tok *t;
        size_t n, i;
};

static inline const struct text_tok *cursor_peek(const struct text_cursor *cur)
{
        return &cur->t[cur->i];
}

static inline const struct text_tok *cursor_next(struct text_cursor *cur)
{
        const struct text_tok *t = &cur->t[cur->i];
        if (t->kind != TOK_EOL)
                cur->i++;
        return t;
}

static inline bool tok_is(const struct text_tok *t, const char *word)
{
        size_t n = 0;
        while (word[n])
                n++;
        return t->kind == TOK_IDENT && t->len == n && __builtin_memcmp(t->s, word, n) == 0;
}

/* report.c */

/* Name of the file being parsed now. */
const char *text_current_file(const struct text_ctx *ctx);

/* Reports an error at FILE:LINE:COL (see the file comment). */
void text_error(struct text_ctx *ctx, const char *file, unsigned line, unsigned col,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Same, at a token of the current file. Returns -EINVAL for `return`. */
int text_error_tok(struct text_ctx *ctx, const struct text_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a fatal error (-ENOMEM, ...); returns it. */
int text_fatal(struct text_ctx *ctx, int code);
/* Copies a token into buf as text fit for a message ("end of line" for the end). */
const char *text_tok_show(const struct text_tok *t, char *buf, size_t size);
/* Reports anything left before the end of the statement. */
int text_expect_eol(struct text_ctx *ctx, struct text_cursor *cur, const char *after);
/* Keeps a copy of a file name alive for the whole parse; NULL on ENOMEM. */
const char *text_keep_name(struct text_ctx *ctx, const char *name);

/* lexer.c */
enum { TEXT_LEX_EOF = 0, TEXT_LEX_STATEMENT = 1, TEXT_LEX_BAD = 2 };
int text_lex_statement(struct text_ctx *ctx, struct text_source *src, struct text_toks *toks);
void text_toks_done(struct text_toks *toks);

/* expr.c */
struct text_value {
        uint64_t v;
        bool negative; /* a negative number or constant took part */
};
struct text_dnf {
        struct policy_clause *clauses;
        size_t n, cap;
};
int text_parse_number(const struct text_tok *t, struct text_value *ret);
int text_parse_single_constant(struct text_ctx *ctx, struct text_cursor *cur,
                               struct text_value *ret);
int text_parse_value(struct text_ctx *ctx, struct text_cursor *cur, struct text_value *ret);
int text_parse_expression(struct text_ctx *ctx, struct text_cursor *cur, struct text_dnf *dnf);
void text_dnf_done(struct text_dnf *dnf);

/* parser.c */
int text_parse_source(struct text_ctx *ctx, struct text_source *src);
int text_parse_action(struct text_ctx *ctx, struct text_cursor *cur, struct policy_action *ret);

/* directives.c */
int text_parse_directive(struct text_ctx *ctx, struct text_cursor *cur);

/* constants-json.c: a minijail constants.json */
int text_constants_json_load(const char *path, uint32_t native_arch,
                             struct text_constants_json **ret_json, sealexec_error *err);
void text_constants_json_free(struct text_constants_json *json);
bool text_constants_json_constant(const struct text_constants_json *json, const char *name,
                                  struct text_value *ret);
int text_constants_json_syscall(const struct text_constants_json *json, const char *name);
const char *text_constants_json_arch_name(const struct text_constants_json *json);

/* Looks a constant up: constants.json first, then the generated table. */
bool text_lookup_constant(const struct text_ctx *ctx, const char *name, struct text_value *ret);

#endif
