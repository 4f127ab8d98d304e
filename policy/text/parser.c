/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The minijail text policy parser: statements, syscall lists, filters and
 * actions, turned into IR rules.
 *
 *   statement = syscalls ":" filter | directive
 *   syscalls  = descriptor | "{" descriptor { "," descriptor } "}"
 *   descriptor= NAME [ "[" "arch" "=" NAME { "," NAME } "]" ]
 *   filter    = single | "{" single { "," single } "}"
 *   single    = action | expression [ ";" action ]
 *   action    = "1" | "allow" | "kill" | "kill-process" | "kill-thread" | "trap"
 *             | "trace" | "log" | "user-notify" | "return" ERRNO
 *
 * Each (syscall, filter item) becomes one IR rule, in the order written; an
 * expression without an action allows. Once a syscall has an unconditional
 * rule, any later rule for it is unreachable and refused (as minijail does).
 * Without @default a syscall the policy does not name kills the process; with
 * @denylist it is allowed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "common/io.h"
#include "policy/syscalls.h"
#include "policy/text/text.h"

/* --- actions -------------------------------------------------------------- */

static int parse_errno(struct text_ctx *ctx, struct text_cursor *cur, struct policy_action *ret)
{
        const struct text_tok *t = cursor_peek(cur);
        struct text_value value;

        if (t->kind == TOK_EOL)
                return text_error_tok(ctx, t, "missing errno after 'return'");
        int r = text_parse_single_constant(ctx, cur, &value);
        if (r < 0)
                return r;
        if (value.v > TEXT_ERRNO_MAX)
                return text_error_tok(ctx, t, "errno %lld out of range (0 to %u)",
                                      (long long)value.v, TEXT_ERRNO_MAX);
        *ret = (struct policy_action){.kind = POLICY_ACT_ERRNO, .data = (uint32_t)value.v};
        return 0;
}

int text_parse_action(struct text_ctx *ctx, struct text_cursor *cur, struct policy_action *ret)
{
        static const struct {
                const char *word;
                enum policy_action_kind kind;
        } words[] = {
            {"allow", POLICY_ACT_ALLOW},
            {"kill", POLICY_ACT_KILL_PROCESS},
            {"kill-process", POLICY_ACT_KILL_PROCESS},
            {"kill-thread", POLICY_ACT_KILL_THREAD},
            {"trap", POLICY_ACT_TRAP},
            {"trace", POLICY_ACT_TRACE},
            {"log", POLICY_ACT_LOG},
            {"user-notify", POLICY_ACT_USER_NOTIF},
        };
        const struct text_tok *t = cursor_next(cur);
        char buf[TEXT_TOKEN_SHOW + 8];

        if (tok_is(t, "return"))
                return parse_errno(ctx, cur, ret);
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                if (tok_is(t, words[i].word)) {
                        *ret = (struct policy_action){.kind = words[i].kind};
                        return 0;
                }
        if (t->kind == TOK_NUMBER) {
                struct text_value v;
                if (text_parse_number(t, &v) == 0 && v.v == 1) {
                        *ret = (struct policy_action){.kind = POLICY_ACT_ALLOW};
                        return 0;
                }
        }
        if (t->kind == TOK_EOL)
                return text_error_tok(ctx, t, "missing action");
        return text_error_tok(ctx, t, "invalid action '%s'", text_tok_show(t, buf, sizeof(buf)));
}

/* --- filters ------------------------------------------------------------- */

struct text_filter {
        const struct text_tok *tok; /* where the item starts */
        struct policy_action action;
        struct text_dnf dnf;
};

struct text_filters {
        struct text_filter *v;
        size_t n, cap;
};

static void filters_done(struct text_filters *f)
{
        for (size_t i = 0; i < f->n; i++)
                text_dnf_done(&f->v[i].dnf);
        free(f->v);
        *f = (struct text_filters){0};
}

static int parse_single_filter(struct text_ctx *ctx, struct text_cursor *cur, struct text_filter *f)
{
        const struct text_tok *t = cursor_peek(cur);
        const struct text_tok *action_tok = t;
        int r;

        f->tok = t;
        if (t->kind == TOK_LPAREN)
                return text_error_tok(ctx, t,
                                      "parentheses around argument expressions are not "
                                      "supported; write a || b && c (&& binds tighter)");
        if (t->kind == TOK_IDENT && t->len >= 3 && memcmp(t->s, "arg", 3) == 0) {
                r = text_parse_expression(ctx, cur, &f->dnf);
                if (r < 0)
                        return r;
                f->action = (struct policy_action){.kind = POLICY_ACT_ALLOW};
                if (cursor_peek(cur)->kind == TOK_SEMICOLON) {
                        cursor_next(cur);
                        action_tok = cursor_peek(cur);
                        r = text_parse_action(ctx, cur, &f->action);
                        if (r < 0)
                                return r;
                }
        } else {
                r = text_parse_action(ctx, cur, &f->action);
                if (r < 0)
                        return r;
        }
        if (ctx->denylist && policy_action_permissive(&f->action))
                return text_error_tok(ctx, action_tok,
                                      "a @denylist policy lists what is denied: use return "
                                      "ERRNO, kill or trap, not an allowing action");
        return 0;
}

static int parse_filters(struct text_ctx *ctx, struct text_cursor *cur, struct text_filters *fs)
{
        const struct text_tok *open = NULL;
        char buf[TEXT_TOKEN_SHOW + 8];

        if (cursor_peek(cur)->kind == TOK_LBRACE)
                open = cursor_next(cur);
        for (;;) {
                if (array_reserve(&fs->v, &fs->cap, fs->n + 1, sizeof(*fs->v)) < 0)
                        return text_fatal(ctx, -ENOMEM);
                fs->v[fs->n] = (struct text_filter){0};
                int r = parse_single_filter(ctx, cur, &fs->v[fs->n]);
                fs->n++; /* counted even on failure, so its expression is freed */
                if (r < 0)
                        return r;
                if (!open || cursor_peek(cur)->kind != TOK_COMMA)
                        break;
                cursor_next(cur);
        }
        if (!open)
                return 0;
        const struct text_tok *t = cursor_peek(cur);
        if (t->kind == TOK_RBRACE) {
                cursor_next(cur);
                return 0;
        }
        if (t->kind == TOK_EOL)
                return text_error_tok(ctx, open, "unclosed '{'");
        return text_error_tok(ctx, t, "expected ',' or '}', found '%s'",
                              text_tok_show(t, buf, sizeof(buf)));
}

/* --- syscalls ------------------------------------------------------------ */

struct text_syscall {
        const struct text_tok *tok;
        char name[64];
        int nr;
        bool skip; /* [arch=...] names other architectures */
};

struct text_syscalls {
        struct text_syscall *v;
        size_t n, cap;
};

static bool arch_matches(const struct text_ctx *ctx, const struct text_tok *t)
{
        char name[32];
        if (t->len >= sizeof(name))
                return false;
        memcpy(name, t->s, t->len);
        name[t->len] = '\0';
        const char *json_name = text_constants_json_arch_name(ctx->constants_json);
        if (json_name && strcmp(json_name, name) == 0)
                return true;
        return seccomp_arch_resolve_name(name) == ctx->arch;
}

/* "[arch=x86_64,aarch64]": sets *skip unless this system is listed. */
static int parse_metadata(struct text_ctx *ctx, struct text_cursor *cur, bool *skip)
{
        const struct text_tok *open = cursor_next(cur);
        char buf[TEXT_TOKEN_SHOW + 8];
        bool listed = false;

        const struct text_tok *key = cursor_next(cur);
        if (!tok_is(key, "arch"))
                return text_error_tok(ctx, key, "unknown metadata key '%s' (only 'arch')",
                                      text_tok_show(key, buf, sizeof(buf)));
        const struct text_tok *eq = cursor_next(cur);
        if (eq->kind != TOK_ASSIGN)
                return text_error_tok(ctx, eq, "expected '=' after 'arch'");
        for (;;) {
                const struct text_tok *v = cursor_next(cur);
                if (v->kind != TOK_IDENT)
                        return text_error_tok(ctx, v, "expected an architecture name, found '%s'",
                                              text_tok_show(v, buf, sizeof(buf)));
                listed = listed || arch_matches(ctx, v);
                if (cursor_peek(cur)->kind != TOK_COMMA)
                        break;
                cursor_next(cur);
        }
        const struct text_tok *close = cursor_next(cur);
        if (close->kind != TOK_RBRACKET)
                return close->kind == TOK_EOL
                           ? text_error_tok(ctx, open, "unclosed '['")
                           : text_error_tok(ctx, close, "expected ']', found '%s'",
                                            text_tok_show(close, buf, sizeof(buf)));
        *skip = !listed;
        return 0;
}

static int resolve_syscall(struct text_ctx *ctx, struct text_syscall *sc)
{
        const struct text_tok *t = sc->tok;
        char buf[TEXT_TOKEN_SHOW + 8];

        if (memchr(t->s, '@', t->len))
                return text_error_tok(ctx, t, "syscall groups ('%s') are not supported",
                                      text_tok_show(t, buf, sizeof(buf)));
        if (t->len >= sizeof(sc->name))
                return text_error_tok(ctx, t, "unknown syscall '%s'",
                                      text_tok_show(t, buf, sizeof(buf)));
        memcpy(sc->name, t->s, t->len);
        sc->name[t->len] = '\0';
        int nr = policy_syscall_resolve(sc->name, ctx->arch);
        if (nr == -ENOENT && ctx->constants_json)
                nr = text_constants_json_syscall(ctx->constants_json, sc->name);
        if (nr == -ENOENT)
                return text_error_tok(ctx, t, "unknown syscall '%s'", sc->name);
        sc->nr = nr;
        return 0;
}

static int parse_descriptor(struct text_ctx *ctx, struct text_cursor *cur, struct text_syscall *sc)
{
        const struct text_tok *t = cursor_next(cur);
        char buf[TEXT_TOKEN_SHOW + 8];

        *sc = (struct text_syscall){.tok = t};
        if (t->kind != TOK_IDENT)
                return t->kind == TOK_EOL
                           ? text_error_tok(ctx, t, "missing syscall name")
                           : text_error_tok(ctx, t, "expected a syscall name, found '%s'",
                                            text_tok_show(t, buf, sizeof(buf)));
        if (cursor_peek(cur)->kind == TOK_LBRACKET) {
                int r = parse_metadata(ctx, cur, &sc->skip);
                if (r < 0)
                        return r;
        }
        return resolve_syscall(ctx, sc);
}

static int parse_syscalls(struct text_ctx *ctx, struct text_cursor *cur, struct text_syscalls *scs)
{
        const struct text_tok *open = NULL;
        char buf[TEXT_TOKEN_SHOW + 8];

        if (cursor_peek(cur)->kind == TOK_LBRACE)
                open = cursor_next(cur);
        for (;;) {
                if (array_reserve(&scs->v, &scs->cap, scs->n + 1, sizeof(*scs->v)) < 0)
                        return text_fatal(ctx, -ENOMEM);
                int r = parse_descriptor(ctx, cur, &scs->v[scs->n]);
                if (r < 0)
                        return r;
                scs->n++;
                if (!open || cursor_peek(cur)->kind != TOK_COMMA)
                        break;
                cursor_next(cur);
        }
        const struct text_tok *t = cursor_peek(cur);
        if (open) {
                if (t->kind != TOK_RBRACE)
                        return t->kind == TOK_EOL
                                   ? text_error_tok(ctx, open, "unclosed '{'")
                                   : text_error_tok(ctx, t, "expected ',' or '}', found '%s'",
                                                    text_tok_show(t, buf, sizeof(buf)));
                cursor_next(cur);
                t = cursor_peek(cur);
        }
        if (t->kind == TOK_EOL)
                return text_error_tok(ctx, t, "missing ':' after the syscall name");
        if (t->kind != TOK_COLON)
                return text_error_tok(ctx, t, "expected ':' after the syscall name, found '%s'",
                                      text_tok_show(t, buf, sizeof(buf)));
        cursor_next(cur);
        return 0;
}

/* --- rules ---------------------------------------------------------------- */

static struct text_seen *seen_find(struct text_ctx *ctx, int nr)
{
        size_t mask = ctx->seen_cap - 1;
        size_t i = ((size_t)(unsigned)nr * 2654435761u) & mask;
        while (ctx->seen[i].used && ctx->seen[i].nr != nr)
                i = (i + 1) & mask;
        return &ctx->seen[i];
}

static struct text_seen *seen_get(struct text_ctx *ctx, int nr)
{
        if ((ctx->seen_n + 1) * 2 > ctx->seen_cap) {
                size_t old_cap = ctx->seen_cap;
                struct text_seen *old = ctx->seen;
                size_t cap = old_cap ? old_cap * 2 : 64;
                struct text_seen *v = calloc(cap, sizeof(*v));
                if (!v)
                        return NULL;
                ctx->seen = v;
                ctx->seen_cap = cap;
                for (size_t i = 0; i < old_cap; i++)
                        if (old[i].used)
                                *seen_find(ctx, old[i].nr) = old[i];
                free(old);
        }
        struct text_seen *s = seen_find(ctx, nr);
        if (!s->used) {
                *s = (struct text_seen){.used = true, .nr = nr};
                ctx->seen_n++;
        }
        return s;
}

static int add_rule(struct text_ctx *ctx, const struct text_syscall *sc,
                    const struct text_filter *f)
{
        struct text_seen *seen = seen_get(ctx, sc->nr);
        if (!seen)
                return text_fatal(ctx, -ENOMEM);
        if (seen->unconditional)
                return text_error_tok(ctx, sc->tok,
                                      f->dnf.n == 0
                                          ? "syscall '%s' already has an unconditional "
                                            "action (at %s:%u:%u)"
                                          : "rule for syscall '%s' is unreachable: the "
                                            "unconditional action at %s:%u:%u comes first",
                                      sc->name, seen->file, seen->line, seen->col);
        if (f->dnf.n == 0) {
                seen->unconditional = true;
                seen->file = text_current_file(ctx);
                seen->line = f->tok->line;
                seen->col = f->tok->col;
        }

        struct policy_rule rule = {
            .syscall_name = (char *)sc->name,
            .syscall_nr = sc->nr,
            .action = f->action,
            .n_clauses = f->dnf.n,
            .clauses = f->dnf.clauses,
            .origin = {.file = (char *)text_current_file(ctx),
                       .line = sc->tok->line,
                       .col = sc->tok->col},
        };
        char reason[SEALEXEC_ERROR_MESSAGE_MAX / 2];
        if (policy_rule_check(&rule, reason, sizeof(reason)) < 0)
                return text_error_tok(ctx, sc->tok, "%s", reason);
        sealexec_error e = {0};
        int r = policy_add_rule(ctx->policy, &rule, &e);
        if (r < 0)
                return text_fatal(ctx, r);
        ctx->n_rules++;
        return 0;
}

static int parse_rule_statement(struct text_ctx *ctx, struct text_cursor *cur)
{
        struct text_syscalls scs = {0};
        struct text_filters fs = {0};

        int r = parse_syscalls(ctx, cur, &scs);
        if (r >= 0)
                r = parse_filters(ctx, cur, &fs);
        if (r >= 0)
                r = text_expect_eol(ctx, cur, "the filter");
        for (size_t i = 0; r >= 0 && i < scs.n; i++) {
                if (scs.v[i].skip)
                        continue;
                for (size_t j = 0; r >= 0 && j < fs.n; j++)
                        r = add_rule(ctx, &scs.v[i], &fs.v[j]);
        }
        filters_done(&fs);
        free(scs.v);
        return r;
}

/* Parses every statement of one file; errors are reported as they come. */
int text_parse_source(struct text_ctx *ctx, struct text_source *src)
{
        struct text_toks toks = {0};

        while (!ctx->stop) {
                int r = text_lex_statement(ctx, src, &toks);
                if (r < 0) {
                        text_fatal(ctx, r);
                        break;
                }
                if (r == TEXT_LEX_EOF)
                        break;
                if (r == TEXT_LEX_BAD)
                        continue;
                struct text_cursor cur = {.t = toks.v, .n = toks.n};
                if (cursor_peek(&cur)->kind == TOK_DIRECTIVE)
                        (void)text_parse_directive(ctx, &cur);
                else
                        (void)parse_rule_statement(ctx, &cur);
        }
        text_toks_done(&toks);
        return ctx->fatal ? ctx->fatal : (ctx->n_errors ? -EINVAL : 0);
}
