/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The @-directives of the minijail text format.
 *
 *   @include PATH    Parses PATH (relative to the including file's directory)
 *                    in place. At most TEXT_INCLUDE_MAX levels; a file that
 *                    includes itself, directly or not, is an error naming the
 *                    chain.
 *   @frequency PATH  minijail's hint for ordering the BPF program by how often
 *                    syscalls are made. Accepted for compatibility; the path
 *                    must be written as a path, the file is not read (the
 *                    compiled program's order does not change what it decides).
 *   @default ACTION  The action for syscalls no rule matches. Only in the
 *                    top-level file, at most once, never permissive (allow,
 *                    log, trace): a default that lets unknown syscalls through
 *                    turns an allow-list into nothing. Besides minijail's
 *                    kill, kill-process, kill-thread, trap and user-notify,
 *                    sealexec accepts "return ERRNO" (e.g. ENOSYS).
 *   @denylist        The policy lists what is denied: every syscall it does not
 *                    name is allowed, and every rule must deny. Only in the
 *                    top-level file, before the first rule, not with @default.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/io.h"
#include "policy/text/text.h"

static bool directive_is(const struct text_tok *t, const char *word)
{
        size_t n = strlen(word);
        return t->len == n && memcmp(t->s, word, n) == 0;
}

static int expect_path(struct text_ctx *ctx, struct text_cursor *cur, const char *directive,
                       const struct text_tok **ret)
{
        const struct text_tok *t = cursor_next(cur);
        char buf[TEXT_TOKEN_SHOW + 8];

        if (t->kind == TOK_EOL)
                return text_error_tok(ctx, t, "missing path after %s", directive);
        if (t->kind != TOK_PATH)
                return text_error_tok(ctx, t,
                                      "invalid path '%s' after %s: write /absolute or ./relative",
                                      text_tok_show(t, buf, sizeof(buf)), directive);
        int r = text_expect_eol(ctx, cur, "the path");
        if (r < 0)
                return r;
        *ret = t;
        return 0;
}

/* The included file's name: relative paths start from the includer's directory. */
static char *include_name(const struct text_ctx *ctx, const struct text_tok *t)
{
        const char *base = text_current_file(ctx);
        const char *slash = strrchr(base, '/');
        int dir_len = (t->s[0] == '/' || !slash) ? 0 : (int)(slash - base + 1);
        const char *rel = t->s;
        size_t rel_len = t->len;
        char *name = NULL;

        /* "./" adds nothing to the includer's directory; keep names readable. */
        while (rel_len > 2 && rel[0] == '.' && rel[1] == '/') {
                rel += 2;
                rel_len -= 2;
        }
        if (asprintf(&name, "%.*s%.*s", dir_len, base, (int)rel_len, rel) < 0)
                return NULL;
        return name;
}

static int report_cycle(struct text_ctx *ctx, const struct text_tok *t, unsigned from,
                        const char *name)
{
        char chain[SEALEXEC_ERROR_MESSAGE_MAX] = "";
        size_t len = 0;

        for (unsigned i = from; i < ctx->depth && len < sizeof(chain); i++)
                len += (size_t)snprintf(chain + len, sizeof(chain) - len, "%s -> ",
                                        ctx->frames[i].name);
        if (len < sizeof(chain))
                snprintf(chain + len, sizeof(chain) - len, "%s", name);
        return text_error_tok(ctx, t, "include cycle: %s", chain);
}

/* Opens and reads an included file, or reports why not at the path token. */
static int load_include(struct text_ctx *ctx, const struct text_tok *t, const char *name,
                        struct stat *st, char **ret_buf, size_t *ret_len)
{
        _cleanup_close_ int fd = open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        int r;

        if (fd < 0)
                return text_error_tok(ctx, t, "cannot include '%s': %s", name, strerror(errno));
        if (fstat(fd, st) < 0)
                return text_error_tok(ctx, t, "cannot include '%s': %s", name, strerror(errno));
        if (!S_ISREG(st->st_mode))
                return text_error_tok(ctx, t, "cannot include '%s': not a regular file", name);
        for (unsigned i = 0; i < ctx->depth; i++)
                if (ctx->frames[i].has_id && ctx->frames[i].dev == st->st_dev &&
                    ctx->frames[i].ino == st->st_ino)
                        return report_cycle(ctx, t, i, name);
        if (st->st_size > (off_t)POLICY_FILE_MAX)
                return text_error_tok(ctx, t, "cannot include '%s': larger than %u bytes", name,
                                      POLICY_FILE_MAX);
        r = io_read_capped(fd, POLICY_FILE_MAX, ret_buf, ret_len);
        if (r == -ENOMEM)
                return text_fatal(ctx, r);
        if (r < 0)
                return text_error_tok(ctx, t, "cannot include '%s': %s", name, strerror(-r));
        return 0;
}

static int do_include(struct text_ctx *ctx, struct text_cursor *cur)
{
        const struct text_tok *t;
        _cleanup_free_ char *name = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        struct stat st;

        int r = expect_path(ctx, cur, "@include", &t);
        if (r < 0)
                return r;
        if (ctx->depth > TEXT_INCLUDE_MAX)
                return text_error_tok(ctx, t, "include depth exceeds %u", TEXT_INCLUDE_MAX);
        name = include_name(ctx, t);
        if (!name)
                return text_fatal(ctx, -ENOMEM);
        r = load_include(ctx, t, name, &st, &buf, &len);
        if (r < 0)
                return r;
        const char *kept = text_keep_name(ctx, name);
        if (!kept)
                return text_fatal(ctx, -ENOMEM);

        ctx->frames[ctx->depth++] =
            (struct text_frame){.name = kept, .has_id = true, .dev = st.st_dev, .ino = st.st_ino};
        struct text_source src = {.name = kept, .text = buf, .len = len, .line = 1};
        r = text_parse_source(ctx, &src);
        ctx->depth--;
        return r;
}

static int do_frequency(struct text_ctx *ctx, struct text_cursor *cur)
{
        const struct text_tok *t;
        return expect_path(ctx, cur, "@frequency", &t);
}

static int do_default(struct text_ctx *ctx, struct text_cursor *cur, const struct text_tok *d)
{
        struct policy_action action;
        char buf[TEXT_TOKEN_SHOW + 8];

        if (ctx->depth > 1)
                return text_error_tok(ctx, d,
                                      "@default is only allowed in the top-level policy, "
                                      "not in an included file");
        if (ctx->have_default)
                return text_error_tok(ctx, d, "duplicate @default");
        if (ctx->denylist)
                return text_error_tok(ctx, d, "@default cannot be combined with @denylist");
        const struct text_tok *t = cursor_peek(cur);
        int r = text_parse_action(ctx, cur, &action);
        if (r < 0)
                return r;
        if (policy_action_permissive(&action))
                return text_error_tok(ctx, t,
                                      "permissive @default '%s' refused: use @denylist for a "
                                      "policy that lists what is denied",
                                      text_tok_show(t, buf, sizeof(buf)));
        r = text_expect_eol(ctx, cur, "the @default action");
        if (r < 0)
                return r;
        ctx->have_default = true;
        ctx->default_action = action;
        return 0;
}

static int do_denylist(struct text_ctx *ctx, struct text_cursor *cur, const struct text_tok *d)
{
        if (ctx->depth > 1)
                return text_error_tok(ctx, d,
                                      "@denylist is only allowed in the top-level policy, "
                                      "not in an included file");
        if (ctx->have_default)
                return text_error_tok(ctx, d, "@default cannot be combined with @denylist");
        if (ctx->n_rules > 0)
                return text_error_tok(ctx, d, "@denylist must come before the first rule");
        int r = text_expect_eol(ctx, cur, "@denylist");
        if (r < 0)
                return r;
        ctx->denylist = true;
        return 0;
}

int text_parse_directive(struct text_ctx *ctx, struct text_cursor *cur)
{
        const struct text_tok *d = cursor_next(cur);
        char buf[TEXT_TOKEN_SHOW + 8];

        if (directive_is(d, "@include"))
                return do_include(ctx, cur);
        if (directive_is(d, "@frequency"))
                return do_frequency(ctx, cur);
        if (directive_is(d, "@default"))
                return do_default(ctx, cur, d);
        if (directive_is(d, "@denylist"))
                return do_denylist(ctx, cur, d);
        return text_error_tok(ctx, d, "unknown directive '%s'", text_tok_show(d, buf, sizeof(buf)));
}
