/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy_parse_text(): the entry point of the minijail text parser. It sets
 * up the parse (constants.json, the top-level file's identity for include
 * cycles), runs parser.c over the text, and fills in the defaults:
 *   - no @default: a syscall the policy does not name kills the process, as
 *     in minijail; @denylist: it is allowed;
 *   - other architectures are killed;
 *   - a policy that names no syscall is refused ("empty policy"): minijail
 *     would kill every syscall, which is a mistake rather than a policy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <seccomp.h>

#include "common/error.h"
#include "policy/text/text.h"

static void ctx_done(struct text_ctx *ctx)
{
        for (size_t i = 0; i < ctx->n_names; i++)
                free(ctx->names[i]);
        free(ctx->names);
        free(ctx->seen);
        text_constants_json_free((struct text_constants_json *)ctx->constants_json);
}

static int parse_top(struct text_ctx *ctx, const char *path, const char *text, size_t len)
{
        const char *name = text_keep_name(ctx, path ? path : "<policy>");
        struct stat st;

        if (!name)
                return text_fatal(ctx, -ENOMEM);
        ctx->frames[0] = (struct text_frame){.name = name};
        if (path && stat(path, &st) == 0)
                ctx->frames[0] = (struct text_frame){
                    .name = name, .has_id = true, .dev = st.st_dev, .ino = st.st_ino};
        ctx->depth = 1;
        struct text_source src = {.name = name, .text = text, .len = len, .line = 1};
        (void)text_parse_source(ctx, &src);
        if (ctx->fatal)
                return ctx->fatal;
        /*
         * minijail would accept an empty policy and kill every syscall; a
         * policy file that names nothing is far more likely a mistake.
         */
        if (ctx->n_errors == 0 && ctx->n_rules == 0)
                text_error(ctx, name, 1, 1, "empty policy: it names no syscall");
        return ctx->n_errors ? -EINVAL : 0;
}

int policy_parse_text(const char *path, const char *text, size_t len, const char *constants_path,
                      struct policy_diag *diag, struct sealexec_policy **ret_policy,
                      sealexec_error *err)
{
        struct text_ctx ctx = {.diag = diag, .err = err, .arch = seccomp_arch_native()};
        struct text_constants_json *json = NULL;
        int r;

        if (!text && len > 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy: no text");
        if (constants_path) {
                r = text_constants_json_load(constants_path, ctx.arch, &json, err);
                if (r < 0)
                        return r;
                ctx.constants_json = json;
        }
        r = policy_new(path ? path : "<policy>", &ctx.policy, err);
        if (r < 0) {
                ctx_done(&ctx);
                return r;
        }
        r = parse_top(&ctx, path, text ? text : "", len);
        if (r < 0) {
                sealexec_policy_free(ctx.policy);
                ctx_done(&ctx);
                return r;
        }
        if (ctx.denylist)
                ctx.policy->default_action = (struct policy_action){.kind = POLICY_ACT_ALLOW};
        else if (ctx.have_default)
                ctx.policy->default_action = ctx.default_action;
        else
                ctx.policy->default_action =
                    (struct policy_action){.kind = POLICY_ACT_KILL_PROCESS};
        ctx.policy->bad_arch_action = (struct policy_action){.kind = POLICY_ACT_KILL_PROCESS};
        *ret_policy = ctx.policy;
        ctx_done(&ctx);
        return 0;
}
