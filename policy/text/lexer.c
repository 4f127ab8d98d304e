/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The lexer of the minijail text format. It cuts the source into logical
 * lines (a line ending in '\' continues on the next one), drops blanks and
 * '#' comments, and turns the rest into tokens. Any byte that starts no token
 * (NUL, binary garbage, '!', ...) is an error at its own column; the rest of
 * that logical line is skipped. Single pass, no recursion: linear in the
 * input whatever it holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/io.h"
#include "policy/text/text.h"

static bool is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* As minijail: [a-zA-Z_][a-zA-Z_0-9-@]* */
static bool is_ident_char(char c)
{
        return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '@';
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void text_toks_done(struct text_toks *toks)
{
        free(toks->v);
        *toks = (struct text_toks){0};
}

static int toks_push(struct text_toks *toks, const struct text_tok *t)
{
        int r = array_reserve(&toks->v, &toks->cap, toks->n + 1, sizeof(*toks->v));
        if (r < 0)
                return r;
        toks->v[toks->n++] = *t;
        return 0;
}

/* A '\' followed by an optional '\r' and then '\n' or the end continues the line. */
static size_t continuation_len(const struct text_source *src, size_t pos)
{
        size_t p = pos + 1;
        if (p < src->len && src->text[p] == '\r')
                p++;
        if (p >= src->len)
                return p - pos;
        return src->text[p] == '\n' ? p + 1 - pos : 0;
}

/* Skips what is left of a bad logical line, following continuations. */
static void skip_statement(struct text_source *src)
{
        while (src->pos < src->len) {
                const char *nl = memchr(src->text + src->pos, '\n', src->len - src->pos);
                if (!nl) {
                        src->pos = src->len;
                        return;
                }
                size_t end = (size_t)(nl - src->text);
                size_t back = end;
                if (back > src->pos && src->text[back - 1] == '\r')
                        back--;
                bool continued = back > src->pos && src->text[back - 1] == '\\';
                src->pos = end + 1;
                src->line++;
                if (!continued)
                        return;
        }
}

static size_t span(const struct text_source *src, size_t pos, bool (*pred)(char))
{
        size_t p = pos;
        while (p < src->len && pred(src->text[p]))
                p++;
        return p - pos;
}

static bool is_not_space(char c)
{
        return !is_blank(c) && c != '\n';
}

static bool is_number_char(char c)
{
        return is_alpha(c) || is_digit(c) || c == '_';
}

/* Operators and punctuation: the two-byte ones first. */
static size_t punct(const char *s, size_t avail, enum text_tok_kind *kind)
{
        static const struct {
                const char *text;
                enum text_tok_kind kind;
        } table[] = {
            {"||", TOK_OR},    {"&&", TOK_AND},   {"==", TOK_EQ},      {"!=", TOK_NE},
            {"<=", TOK_LE},    {">=", TOK_GE},    {":", TOK_COLON},    {";", TOK_SEMICOLON},
            {",", TOK_COMMA},  {"~", TOK_TILDE},  {"(", TOK_LPAREN},   {")", TOK_RPAREN},
            {"{", TOK_LBRACE}, {"}", TOK_RBRACE}, {"[", TOK_LBRACKET}, {"]", TOK_RBRACKET},
            {"|", TOK_PIPE},   {"&", TOK_AMP},    {"<", TOK_LT},       {">", TOK_GT},
            {"=", TOK_ASSIGN},
        };
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
                size_t n = strlen(table[i].text);
                if (n <= avail && memcmp(s, table[i].text, n) == 0) {
                        *kind = table[i].kind;
                        return n;
                }
        }
        return 0;
}

static bool starts_path(const struct text_source *src, size_t pos)
{
        const char *s = src->text + pos;
        size_t avail = src->len - pos;
        return s[0] == '/' || (avail >= 2 && memcmp(s, "./", 2) == 0) ||
               (avail >= 3 && memcmp(s, "../", 3) == 0);
}

/* Length and kind of the token at pos; 0 if no token starts there. */
static size_t token_at(const struct text_source *src, size_t pos, enum text_tok_kind *kind)
{
        char c = src->text[pos];

        if (is_alpha(c) || c == '_') {
                *kind = TOK_IDENT;
                return span(src, pos, is_ident_char);
        }
        if (is_digit(c) || (c == '-' && pos + 1 < src->len && is_digit(src->text[pos + 1]))) {
                *kind = TOK_NUMBER;
                return 1 + span(src, pos + 1, is_number_char);
        }
        if (c == '@' && pos + 1 < src->len && is_alpha(src->text[pos + 1])) {
                *kind = TOK_DIRECTIVE;
                return 1 + span(src, pos + 1, is_ident_char);
        }
        if (starts_path(src, pos)) {
                *kind = TOK_PATH;
                return span(src, pos, is_not_space);
        }
        return punct(src->text + pos, src->len - pos, kind);
}

static void report_bad_byte(struct text_ctx *ctx, const struct text_source *src, unsigned col,
                            char c)
{
        unsigned char u = (unsigned char)c;
        if (u >= 0x21 && u < 0x7f)
                text_error(ctx, src->name, src->line, col, "invalid character '%c'", c);
        else
                text_error(ctx, src->name, src->line, col, "invalid byte 0x%02x", u);
}

/*
 * Reads the next non-empty logical line into toks (terminated by TOK_EOL).
 * Returns TEXT_LEX_STATEMENT, TEXT_LEX_BAD (an error was reported and the
 * line skipped), TEXT_LEX_EOF, or a negative errno.
 */
int text_lex_statement(struct text_ctx *ctx, struct text_source *src, struct text_toks *toks)
{
        size_t line_start = src->pos;
        size_t stmt_start = src->pos;
        unsigned stmt_line = src->line;

        toks->n = 0;
        for (;;) {
                bool at_end = src->pos >= src->len;
                if (at_end || src->text[src->pos] == '\n') {
                        struct text_tok eol = {
                            .kind = TOK_EOL,
                            .s = src->text + src->pos,
                            .line = src->line,
                            .col = (unsigned)(src->pos - line_start + 1),
                        };
                        if (!at_end) {
                                src->pos++;
                                src->line++;
                        }
                        if (toks->n > 0) {
                                if (toks_push(toks, &eol) < 0)
                                        return -ENOMEM;
                                return TEXT_LEX_STATEMENT;
                        }
                        if (at_end)
                                return TEXT_LEX_EOF;
                        /* An empty line: the statement starts on the next one. */
                        line_start = stmt_start = src->pos;
                        stmt_line = src->line;
                        continue;
                }

                char c = src->text[src->pos];
                if (is_blank(c)) {
                        src->pos++;
                        continue;
                }
                if (c == '#') {
                        const char *nl = memchr(src->text + src->pos, '\n', src->len - src->pos);
                        src->pos = nl ? (size_t)(nl - src->text) : src->len;
                        continue;
                }
                if (c == '\\') {
                        size_t n = continuation_len(src, src->pos);
                        if (n > 0) {
                                src->pos += n;
                                if (src->text[src->pos - 1] == '\n') {
                                        src->line++;
                                        line_start = src->pos;
                                }
                                continue;
                        }
                }

                struct text_tok t = {
                    .s = src->text + src->pos,
                    .line = src->line,
                    .col = (unsigned)(src->pos - line_start + 1),
                };
                t.len = token_at(src, src->pos, &t.kind);
                if (t.len == 0) {
                        report_bad_byte(ctx, src, t.col, c);
                        skip_statement(src);
                        return TEXT_LEX_BAD;
                }
                /* Tokens cost memory: bound what one logical line may hold. */
                if (src->pos + t.len - stmt_start > TEXT_LINE_MAX) {
                        text_error(ctx, src->name, stmt_line, 1, "line longer than %u bytes",
                                   TEXT_LINE_MAX);
                        src->pos += t.len;
                        skip_statement(src);
                        return TEXT_LEX_BAD;
                }
                if (toks_push(toks, &t) < 0)
                        return -ENOMEM;
                src->pos += t.len;
        }
}
