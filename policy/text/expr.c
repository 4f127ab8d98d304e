/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Argument expressions and values of the minijail text format.
 *
 *   expression = clause { "||" clause }        (already in DNF, as minijail)
 *   clause     = atom { "&&" atom }
 *   atom       = "arg"N op value               N in 0..5
 *   op         = "==" | "!=" | "<" | "<=" | ">" | ">=" | "&" | "in"
 *   value      = constant { "|" constant }
 *   constant   = [ "~" ] ( "(" value ")" | number | NAME )
 *
 * minijail has no parentheses around expressions, only inside values; those
 * nest at most TEXT_PAREN_MAX deep, so the recursion below is bounded.
 *
 * Sign extension: a comparison whose value is a negative number or constant
 * within the int32 range (arg0 == -1, arg0 == AT_FDCWD) gets low32, so it
 * matches whether the caller passed the int zero-extended (0xffffffff) or
 * sign-extended (0xffffffffffffffff); the compilers compare the low 32 bits.
 * '~' yields a bit mask, never a negative number.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/io.h"
#include "policy/text/text.h"

/* Decimal, 0x hex or 0 octal, with an optional '-'. -EINVAL or -ERANGE. */
int text_parse_number(const struct text_tok *t, struct text_value *ret)
{
        const char *s = t->s;
        size_t n = t->len;
        bool neg = n > 0 && s[0] == '-';
        unsigned base = 10;
        uint64_t mag = 0;

        if (neg) {
                s++;
                n--;
        }
        if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                base = 16;
                s += 2;
                n -= 2;
        } else if (n >= 2 && s[0] == '0') {
                base = 8;
                s++;
                n--;
        }
        if (n == 0)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                int value = hex_digit_value(s[i]);
                if (value < 0 || (unsigned)value >= base)
                        return -EINVAL;
                unsigned d = (unsigned)value;
                if (mag > (UINT64_MAX - d) / base)
                        return -ERANGE;
                mag = mag * base + d;
        }
        if (neg && mag > (UINT64_C(1) << 63))
                return -ERANGE;
        *ret = (struct text_value){
            .v = neg ? (uint64_t)0 - mag : mag,
            .negative = neg && mag != 0,
        };
        return 0;
}

int text_parse_single_constant(struct text_ctx *ctx, struct text_cursor *cur,
                               struct text_value *ret)
{
        const struct text_tok *t = cursor_next(cur);
        char buf[TEXT_TOKEN_SHOW + 8];

        if (t->kind == TOK_NUMBER) {
                int r = text_parse_number(t, ret);
                if (r == -ERANGE)
                        return text_error_tok(ctx, t, "number '%s' out of range",
                                              text_tok_show(t, buf, sizeof(buf)));
                if (r < 0)
                        return text_error_tok(ctx, t, "invalid number '%s'",
                                              text_tok_show(t, buf, sizeof(buf)));
                return 0;
        }
        if (t->kind == TOK_IDENT) {
                char name[128];
                if (t->len < sizeof(name)) {
                        memcpy(name, t->s, t->len);
                        name[t->len] = '\0';
                        if (text_lookup_constant(ctx, name, ret))
                                return 0;
                }
                return text_error_tok(ctx, t, "unknown constant '%s'",
                                      text_tok_show(t, buf, sizeof(buf)));
        }
        if (t->kind == TOK_EOL)
                return text_error_tok(ctx, t, "missing value");
        return text_error_tok(ctx, t, "expected a number or a constant, found '%s'",
                              text_tok_show(t, buf, sizeof(buf)));
}

static int parse_value_at(struct text_ctx *ctx, struct text_cursor *cur, unsigned depth,
                          struct text_value *ret);

static int parse_constant(struct text_ctx *ctx, struct text_cursor *cur, unsigned depth,
                          struct text_value *ret)
{
        bool complement = false;
        int r;

        if (cursor_peek(cur)->kind == TOK_TILDE) {
                cursor_next(cur);
                complement = true;
                if (cursor_peek(cur)->kind == TOK_TILDE)
                        return text_error_tok(ctx, cursor_peek(cur), "invalid double complement");
        }
        const struct text_tok *open = cursor_peek(cur);
        if (open->kind == TOK_LPAREN) {
                if (depth >= TEXT_PAREN_MAX)
                        return text_error_tok(ctx, open, "parentheses nested deeper than %u",
                                              TEXT_PAREN_MAX);
                cursor_next(cur);
                r = parse_value_at(ctx, cur, depth + 1, ret);
                if (r < 0)
                        return r;
                const struct text_tok *close = cursor_peek(cur);
                if (close->kind != TOK_RPAREN) {
                        char buf[TEXT_TOKEN_SHOW + 8];
                        if (close->kind == TOK_EOL)
                                return text_error_tok(ctx, open, "unclosed '('");
                        return text_error_tok(ctx, close, "expected ')', found '%s'",
                                              text_tok_show(close, buf, sizeof(buf)));
                }
                cursor_next(cur);
        } else {
                r = text_parse_single_constant(ctx, cur, ret);
                if (r < 0)
                        return r;
        }
        if (complement)
                *ret = (struct text_value){.v = ~ret->v, .negative = false};
        return 0;
}

static int parse_value_at(struct text_ctx *ctx, struct text_cursor *cur, unsigned depth,
                          struct text_value *ret)
{
        struct text_value acc = {0};

        for (;;) {
                struct text_value one;
                int r = parse_constant(ctx, cur, depth, &one);
                if (r < 0)
                        return r;
                acc.v |= one.v;
                acc.negative = acc.negative || one.negative;
                if (cursor_peek(cur)->kind != TOK_PIPE)
                        break;
                cursor_next(cur);
        }
        *ret = acc;
        return 0;
}

int text_parse_value(struct text_ctx *ctx, struct text_cursor *cur, struct text_value *ret)
{
        return parse_value_at(ctx, cur, 0, ret);
}

/* arg0..arg5 -> 0..5 (POLICY_MAX_ARGS); reports anything else that looks like an argument. */
static int parse_argument(struct text_ctx *ctx, const struct text_tok *t, unsigned *ret)
{
        char buf[TEXT_TOKEN_SHOW + 8];
        bool digits = t->kind == TOK_IDENT && t->len > 3 && memcmp(t->s, "arg", 3) == 0;

        for (size_t i = 3; digits && i < t->len; i++)
                digits = t->s[i] >= '0' && t->s[i] <= '9';
        if (digits && t->len == 4 && t->s[3] - '0' < POLICY_MAX_ARGS) {
                *ret = (unsigned)(t->s[3] - '0');
                return 0;
        }
        if (digits)
                return text_error_tok(ctx, t,
                                      "argument '%s' out of range: syscalls have arg0 to arg5",
                                      text_tok_show(t, buf, sizeof(buf)));
        if (t->kind == TOK_EOL)
                return text_error_tok(ctx, t, "missing argument (arg0 to arg5)");
        return text_error_tok(ctx, t, "invalid argument '%s': expected arg0 to arg5",
                              text_tok_show(t, buf, sizeof(buf)));
}

static int parse_operator(struct text_ctx *ctx, struct text_cursor *cur, const struct text_tok *arg,
                          enum policy_cmp_op *ret)
{
        const struct text_tok *t = cursor_next(cur);
        char buf[TEXT_TOKEN_SHOW + 8];

        switch (t->kind) {
        case TOK_EQ:
                *ret = POLICY_CMP_EQ;
                return 0;
        case TOK_NE:
                *ret = POLICY_CMP_NE;
                return 0;
        case TOK_LT:
                *ret = POLICY_CMP_LT;
                return 0;
        case TOK_LE:
                *ret = POLICY_CMP_LE;
                return 0;
        case TOK_GT:
                *ret = POLICY_CMP_GT;
                return 0;
        case TOK_GE:
                *ret = POLICY_CMP_GE;
                return 0;
        case TOK_AMP:
                *ret = POLICY_CMP_ANY_BITS;
                return 0;
        default:
                break;
        }
        if (tok_is(t, "in")) {
                *ret = POLICY_CMP_IN;
                return 0;
        }
        if (t->kind == TOK_EOL)
                return text_error_tok(ctx, t, "missing operator after '%.*s'", (int)arg->len,
                                      arg->s);
        return text_error_tok(ctx, t,
                              "invalid operator '%s': expected ==, !=, <, <=, >, >=, & or in",
                              text_tok_show(t, buf, sizeof(buf)));
}

static int parse_atom(struct text_ctx *ctx, struct text_cursor *cur, struct policy_cmp *ret)
{
        const struct text_tok *arg = cursor_next(cur);
        struct policy_cmp cmp = {0};
        struct text_value value;
        int r;

        r = parse_argument(ctx, arg, &cmp.arg);
        if (r < 0)
                return r;
        r = parse_operator(ctx, cur, arg, &cmp.op);
        if (r < 0)
                return r;
        r = text_parse_value(ctx, cur, &value);
        if (r < 0)
                return r;
        cmp.value = value.v;
        cmp.low32 = value.negative && (int64_t)value.v < 0 && (int64_t)value.v >= INT32_MIN;
        *ret = cmp;
        return 0;
}

void text_dnf_done(struct text_dnf *dnf)
{
        for (size_t i = 0; i < dnf->n; i++)
                free(dnf->clauses[i].cmps);
        free(dnf->clauses);
        *dnf = (struct text_dnf){0};
}

static int clause_push(struct policy_clause *clause, const struct policy_cmp *cmp)
{
        /* Grow in powers of two: n_cmps doubles as the count. */
        size_t n = clause->n_cmps;
        if ((n & (n - 1)) == 0) {
                size_t cap = n ? n * 2 : 2;
                struct policy_cmp *v = realloc(clause->cmps, cap * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                clause->cmps = v;
        }
        clause->cmps[clause->n_cmps++] = *cmp;
        return 0;
}

static int dnf_new_clause(struct text_dnf *dnf)
{
        int r = array_reserve(&dnf->clauses, &dnf->cap, dnf->n + 1, sizeof(*dnf->clauses));
        if (r < 0)
                return r;
        dnf->clauses[dnf->n++] = (struct policy_clause){0};
        return 0;
}

int text_parse_expression(struct text_ctx *ctx, struct text_cursor *cur, struct text_dnf *dnf)
{
        for (;;) {
                if (dnf_new_clause(dnf) < 0)
                        return text_fatal(ctx, -ENOMEM);
                for (;;) {
                        struct policy_cmp cmp;
                        int r = parse_atom(ctx, cur, &cmp);
                        if (r < 0)
                                return r;
                        if (clause_push(&dnf->clauses[dnf->n - 1], &cmp) < 0)
                                return text_fatal(ctx, -ENOMEM);
                        if (cursor_peek(cur)->kind != TOK_AND)
                                break;
                        cursor_next(cur);
                }
                if (cursor_peek(cur)->kind != TOK_OR)
                        return 0;
                cursor_next(cur);
        }
}
