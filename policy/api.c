/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The public policy functions of sealexec.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/filter.h>

#include <jansson.h>

#include "common/caps.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "policy/compile.h"
#include "policy/describe.h"
#include "policy/load.h"
#include "policy/parse.h"

SEALEXEC_API int sealexec_policy_new_profile(const char *name, sealexec_policy **ret_policy,
                                             sealexec_error *err)
{
        return policy_profile_load(name, ret_policy, err);
}

SEALEXEC_API int sealexec_policy_load_file(const char *path, const char *constants_path,
                                           sealexec_policy **ret_policy, sealexec_error *err)
{
        _cleanup_free_ char *text = NULL;
        size_t len;
        struct sealexec_policy *p = NULL;

        if (!path || !ret_policy)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy: no file given");
        int r = policy_read_file(path, &text, &len, err);
        if (r < 0)
                return r;
        /* Parsing only: the one compile happens at launch (or in check, compile,
         * explain), in process and in linear time (bpf-gen.c). A launch that
         * cannot compile fails closed, with the rule's FILE:LINE:COL. */
        r = policy_parse_buffer(path, text, len, constants_path, NULL, &p, err);
        if (r < 0)
                return r;
        *ret_policy = p;
        return 0;
}

/*
 * A failure the parsers did not add to the diagnostics themselves (they add
 * every error they find there, with its location as data): one without a
 * place in the file, such as a program too large to compile, shown at
 * FILE:1:1.
 */
static void diag_add_message(struct policy_diag *diag, const char *path, const char *msg)
{
        policy_diag_add(diag, path, 1, 1, "%s", msg);
}

SEALEXEC_API int sealexec_policy_check_file(const char *path, const char *constants_path,
                                            char **ret_diagnostics, sealexec_error *err)
{
        _cleanup_free_ char *text = NULL;
        struct policy_diag diag = {0};
        struct sealexec_policy *p = NULL;
        sealexec_error step = {0};
        size_t len;

        if (!path || !ret_diagnostics)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy: no file given");
        int r = policy_read_file(path, &text, &len, err);
        if (r < 0)
                return r;
        r = policy_parse_buffer(path, text, len, constants_path, &diag, &p, &step);
        if (r < 0 && r != -EINVAL && diag.count == 0) {
                /* Not a problem of the file's content (out of memory, ...). */
                policy_diag_done(&diag);
                if (err)
                        *err = step;
                return r;
        }
        if (r < 0 && diag.count == 0)
                diag_add_message(&diag, path, step.message);
        if (r >= 0 && policy_check_compiles(p, &step) < 0)
                diag_add_message(&diag, path, step.message);
        sealexec_policy_free(p);

        char *out = strdup(diag.text ? diag.text : "");
        unsigned count = diag.count;
        policy_diag_done(&diag);
        if (!out)
                return se_oom(err, "policy check");
        *ret_diagnostics = out;
        if (count > 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy '%s': %u error%s",
                                path, count, count == 1 ? "" : "s");
        return 0;
}

static int parse_backend(const char *name, enum policy_backend *ret, sealexec_error *err)
{
        if (!name || strcmp(name, "sealexec") == 0)
                *ret = POLICY_BACKEND_SEALEXEC;
        else if (strcmp(name, "libseccomp") == 0)
                *ret = POLICY_BACKEND_LIBSECCOMP;
        else
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy export: unknown backend '%s' (sealexec, libseccomp)", name);
        return 0;
}

SEALEXEC_API int sealexec_policy_export_bpf_backend(const sealexec_policy *policy,
                                                    const char *kept_caps, int launch_fd,
                                                    const char *backend, void **ret_prog,
                                                    size_t *ret_len, sealexec_error *err)
{
        struct policy_compile_ctx ctx = {.launch_fd = launch_fd < 0 ? -1 : launch_fd};
        enum policy_backend which = POLICY_BACKEND_SEALEXEC;
        void *prog;
        size_t n;

        if (!policy || !ret_prog || !ret_len)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy export: no policy");
        if (policy->no_filter)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': no seccomp filter to export",
                                policy->name ? policy->name : "none");
        int r = parse_backend(backend, &which, err);
        if (r < 0)
                return r;
        r = caps_parse_list(kept_caps, &ctx.kept_caps, err);
        if (r < 0)
                return r;
        r = policy_compile_bpf_backend(policy, &ctx, which, &prog, &n, err);
        if (r < 0)
                return r;
        *ret_prog = prog;
        *ret_len = n * sizeof(struct sock_filter);
        return 0;
}

SEALEXEC_API int sealexec_policy_export_bpf(const sealexec_policy *policy, const char *kept_caps,
                                            int launch_fd, void **ret_prog, size_t *ret_len,
                                            sealexec_error *err)
{
        return sealexec_policy_export_bpf_backend(policy, kept_caps, launch_fd, NULL, ret_prog,
                                                  ret_len, err);
}

SEALEXEC_API int sealexec_policy_explain(const sealexec_policy *policy, const char *kept_caps,
                                         unsigned flags, char **ret_text, sealexec_error *err)
{
        struct policy_compile_ctx ctx = {.launch_fd = -1};

        if (!policy || !ret_text)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy explain: no policy");
        if (flags & ~(unsigned)(SEALEXEC_EXPLAIN_PFC | SEALEXEC_EXPLAIN_JSON))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy explain: unknown flags 0x%x", flags);
        int r = caps_parse_list(kept_caps, &ctx.kept_caps, err);
        if (r < 0)
                return r;
        if (!(flags & SEALEXEC_EXPLAIN_JSON))
                return policy_describe(policy, &ctx, flags & SEALEXEC_EXPLAIN_PFC, ret_text, err);
        json_t *json = NULL;
        r = policy_describe_json(policy, &ctx, &json, err);
        if (r < 0)
                return r;
        char *text = json_dumps(json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(json);
        if (!text)
                return se_oom(err, "policy explain");
        *ret_text = text;
        return 0;
}

SEALEXEC_API int sealexec_policy_load_bpf(const char *path, sealexec_policy **ret_policy,
                                          sealexec_error *err)
{
        if (!path || !ret_policy)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "BPF program: no file given");
        return policy_load_bpf_file(path, ret_policy, err);
}
