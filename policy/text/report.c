/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Error reporting of the text parser. Every error is "FILE:LINE:COL: message"
 * with the 1-based line and column of the offending token: the first one goes
 * into sealexec_error (SEALEXEC_ERROR_REFUSED, -EINVAL), all of them into the
 * diagnostics collector when there is one; without a collector the parse
 * stops at the first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "policy/text/text.h"

const char *text_current_file(const struct text_ctx *ctx)
{
        return ctx->depth ? ctx->frames[ctx->depth - 1].name : "<policy>";
}

void text_error(struct text_ctx *ctx, const char *file, unsigned line, unsigned col,
                const char *fmt, ...)
{
        char msg[SEALEXEC_ERROR_MESSAGE_MAX];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (ctx->n_errors++ == 0)
                se_error(ctx->err, -EINVAL, SEALEXEC_ERROR_REFUSED, "%s:%u:%u: %s", file, line, col,
                         msg);
        if (!ctx->diag)
                ctx->stop = true;
        else if (policy_diag_add(ctx->diag, file, line, col, "%s", msg) < 0)
                text_fatal(ctx, -ENOMEM);
}

int text_error_tok(struct text_ctx *ctx, const struct text_tok *t, const char *fmt, ...)
{
        char msg[SEALEXEC_ERROR_MESSAGE_MAX];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        text_error(ctx, text_current_file(ctx), t->line, t->col, "%s", msg);
        return -EINVAL;
}

int text_fatal(struct text_ctx *ctx, int code)
{
        if (ctx->fatal == 0) {
                ctx->fatal = code;
                se_error_errno(ctx->err, code, SEALEXEC_ERROR_REFUSED, "policy '%s'",
                               text_current_file(ctx));
        }
        ctx->stop = true;
        return code;
}

/* Printable bytes as they are, the others as '?'; cut at TEXT_TOKEN_SHOW. */
const char *text_tok_show(const struct text_tok *t, char *buf, size_t size)
{
        if (t->kind == TOK_EOL) {
                snprintf(buf, size, "end of line");
                return buf;
        }
        size_t n = t->len < TEXT_TOKEN_SHOW ? t->len : TEXT_TOKEN_SHOW;
        if (n + 4 > size)
                n = size - 4;
        size_t i;
        for (i = 0; i < n; i++) {
                unsigned char c = (unsigned char)t->s[i];
                buf[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        }
        if (n < t->len) {
                memcpy(buf + i, "...", 3);
                i += 3;
        }
        buf[i] = '\0';
        return buf;
}

const char *text_keep_name(struct text_ctx *ctx, const char *name)
{
        char **v = realloc(ctx->names, (ctx->n_names + 1) * sizeof(*v));
        if (!v)
                return NULL;
        ctx->names = v;
        v[ctx->n_names] = strdup(name);
        if (!v[ctx->n_names])
                return NULL;
        return v[ctx->n_names++];
}

int text_expect_eol(struct text_ctx *ctx, struct text_cursor *cur, const char *after)
{
        const struct text_tok *t = cursor_peek(cur);
        char buf[TEXT_TOKEN_SHOW + 8];

        if (t->kind == TOK_EOL)
                return 0;
        return text_error_tok(ctx, t, "unexpected '%s' after %s",
                              text_tok_show(t, buf, sizeof(buf)), after);
}
