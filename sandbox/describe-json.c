/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * describe-json.c - `sealexec run --dry-run --json`: what
 * sealexec_launch_exec() would do, for tools. Like describe.c it only looks;
 * nothing in the process changes. The shape is documented in sealexec(1).
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/caps.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "loader/payload.h"
#include "policy/policy.h"
#include "sandbox/fds.h"
#include "sandbox/landlock.h"
#include "sandbox/plan.h"
#include "sandbox/rlimit.h"

#define SEAL_SEAL_BIT  0x0001
#define SEAL_SHRINK    0x0002
#define SEAL_GROW      0x0004
#define SEAL_WRITE     0x0008
#define SEAL_FUT_WRITE 0x0010
#define SEAL_EXEC      0x0020

static json_t *seals_json(unsigned seals)
{
        static const struct {
                unsigned bit;
                const char *name;
        } names[] = {
            {SEAL_SEAL_BIT, "seal"}, {SEAL_SHRINK, "shrink"},          {SEAL_GROW, "grow"},
            {SEAL_WRITE, "write"},   {SEAL_FUT_WRITE, "future-write"}, {SEAL_EXEC, "exec"}};
        json_t *a = json_array();
        for (size_t i = 0; a && i < sizeof(names) / sizeof(names[0]); i++)
                if (seals & names[i].bit)
                        json_array_append_new(a, json_string(names[i].name));
        return a;
}

static json_t *payload_json(sealexec_payload *p, int fd, sealexec_error *err)
{
        char digest[SEALEXEC_DIGEST_STRING_MAX];
        if (sealexec_payload_digest(p, digest, err) < 0)
                return NULL;
        return json_pack("{s:s, s:I, s:s, s:o, s:b, s:i}", "name", p->name ? p->name : "", "size",
                         (json_int_t)p->size, "digest", digest, "seals", seals_json(p->seals),
                         "script", p->is_script, "fd", fd);
}

static json_t *strv_json(char **strv)
{
        json_t *a = json_array();
        for (size_t i = 0; a && strv && strv[i]; i++)
                json_array_append_new(a, json_string(strv[i]));
        return a;
}

static json_t *env_json(const sealexec_launch *l)
{
        static const char *const ops[] = {
            [LAUNCH_ENV_SET] = "set", [LAUNCH_ENV_UNSET] = "unset", [LAUNCH_ENV_CLEAR] = "clear"};
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->n_env_edits; i++) {
                const struct launch_env_edit *e = &l->env_edits[i];
                json_array_append_new(a,
                                      json_pack("{s:s, s:s?}", "op", ops[e->op], "value", e->text));
        }
        return a;
}

static json_t *files_json(const sealexec_launch *l, const struct fd_plan *plan, sealexec_error *err)
{
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->n_files; i++) {
                int fd = plan->base + (int)i;
                char path[64];
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                json_t *f = payload_json(l->files[i].payload, fd, err);
                if (!f) {
                        json_decref(a);
                        return NULL;
                }
                json_object_set_new(f, "file", json_string(l->files[i].name));
                json_object_set_new(f, "path", json_string(path));
                json_array_append_new(a, f);
        }
        return a;
}

static json_t *rlimits_json(const sealexec_launch *l)
{
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->n_rlimits; i++) {
                const struct launch_rlimit *r = &l->rlimits[i];
                json_t *soft = r->limit.rlim_cur == RLIM_INFINITY
                                   ? json_string("unlimited")
                                   : json_integer((json_int_t)r->limit.rlim_cur);
                json_t *hard = r->limit.rlim_max == RLIM_INFINITY
                                   ? json_string("unlimited")
                                   : json_integer((json_int_t)r->limit.rlim_max);
                const char *name = rlimit_name(r->resource);
                json_array_append_new(a, json_pack("{s:s, s:o, s:o}", "name", name ? name : "?",
                                                   "soft", soft, "hard", hard));
        }
        return a;
}

static json_t *caps_json(const sealexec_launch *l)
{
        json_t *a = json_array();
        for (int cap = 0; a && cap < 64; cap++) {
                char name[64];
                if (l->keep_caps & (UINT64_C(1) << cap))
                        json_array_append_new(
                            a, json_string(caps_format(UINT64_C(1) << cap, name, sizeof(name))));
        }
        return json_pack("{s:o}", "kept", a);
}

/* Landlock's description, one string per line, as the text form gives it. */
static json_t *landlock_json(const sealexec_launch *l, bool no_exec)
{
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        if (!f)
                return NULL;
        landlock_describe(f, l, no_exec);
        if (fclose(f) != 0)
                return NULL;
        json_t *a = json_array();
        for (char *line = text, *next; a && line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                json_array_append_new(a, json_string(line));
        }
        return a;
}

static json_t *user_json(const sealexec_launch *l)
{
        return json_pack("{s:o, s:o}", "uid",
                         l->have_uid ? json_integer((json_int_t)l->uid) : json_null(), "gid",
                         l->have_gid ? json_integer((json_int_t)l->gid) : json_null());
}

/* {"fd": N, "role": "...", "close_on_exec": bool} for each fd the payload gets. */
static json_t *exec_json(const sealexec_launch *l, const struct launch_plan *plan)
{
        const struct plan_fd_move *exec = &plan->moves[plan->n_moves - 1];
        return json_pack("{s:i, s:s, s:b, s:b, s:b, s:s?, s:b, s:s?}", "fd", plan->exec_fd,
                         "executes", exec->role, "close_on_exec", !exec->inherit, "launch_rule",
                         plan->launch_rule, "exec_guard", plan->exec_guard, "guard_reason",
                         plan->exec_guard ? plan->guard_reason : NULL, "nofile_lowered",
                         plan->nofile_lowered, "ld_so", plan->ldso ? plan->ldso_path : NULL);
}

static json_t *planned_fds_json(const struct launch_plan *plan)
{
        json_t *a = json_array();
        for (size_t i = 0; a && i < plan->n_keep; i++) {
                int fd = plan->keep[i];
                if (fd == plan->ruleset_slot || fd == plan->listener_slot ||
                    (plan->nofile_lowered && fd == plan->exec_stage_fd))
                        continue;
                json_array_append_new(a, json_integer(fd));
        }
        if (a && plan->nofile_lowered)
                json_array_append_new(a, json_integer(plan->exec_fd));
        return a;
}

static json_t *programs_json(const struct launch_plan *plan)
{
        json_t *a = json_array();
        for (size_t i = 0; a && i < plan->n_programs; i++)
                json_array_append_new(a, json_pack("{s:s, s:i}", "what", plan->programs[i].what,
                                                   "instructions", plan->programs[i].len));
        return a;
}

static int build(sealexec_launch *l, const struct launch_plan *plan, json_t *root,
                 sealexec_error *err)
{
        struct fd_plan fdp = {
            .base = plan->base, .n_files = l->n_files, .payload_fd = plan->payload_fd};
        json_object_set_new(root, "argv", strv_json(plan->argv));
        json_t *payload = payload_json(l->payload, plan_payload_fd(plan), err);
        json_t *files = payload ? files_json(l, &fdp, err) : NULL;
        json_t *interp =
            l->interpreter
                ? payload_json(l->interpreter,
                               plan->interp_fd >= 0 ? plan->interp_fd : plan->exec_fd, err)
                : json_null();
        if (!payload || !files || !interp) {
                json_decref(payload), json_decref(files), json_decref(interp);
                return err && err->code ? err->code : -ENOMEM;
        }
        json_object_set_new(root, "payload", payload);
        json_object_set_new(root, "interpreter", interp);
        json_object_set_new(root, "files", files);
        json_object_set_new(root, "fds", planned_fds_json(plan));
        json_object_set_new(root, "exec", exec_json(l, plan));
        json_object_set_new(root, "env", env_json(l));
        json_object_set_new(root, "chdir", l->chdir ? json_string(l->chdir) : json_null());
        json_object_set_new(root, "rlimits", rlimits_json(l));
        json_object_set_new(root, "user", user_json(l));
        json_object_set_new(root, "capabilities", caps_json(l));
        json_object_set_new(root, "no_new_privs", json_true());
        json_object_set_new(root, "new_session", json_boolean(l->new_session));
        json_object_set_new(root, "exec_once", json_boolean(l->exec_once));
        json_object_set_new(root, "allow_root", json_boolean(l->allow_root));
        json_object_set_new(root, "reset_signals", json_boolean(plan->reset_signals));
        json_object_set_new(root, "deny_unix", json_boolean(l->deny_unix));
        json_object_set_new(root, "landlock", landlock_json(l, plan->exec_guard));
        json_object_set_new(root, "seccomp_programs", programs_json(plan));
        return 0;
}

static int add_seccomp(sealexec_launch *l, const struct launch_plan *plan, json_t *root,
                       sealexec_error *err)
{
        const struct sealexec_policy *policy = l->policy;
        const struct policy_compile_ctx ctx = {.launch_fd = plan->launch_rule ? plan->exec_fd : -1,
                                               .kept_caps = plan->kept_caps};
        json_t *j = NULL;
        int r = policy->no_filter ? 0 : policy_describe_json(policy, &ctx, &j, err);
        if (r < 0)
                return r;
        json_object_set_new(root, "seccomp", j ? j : json_null());
        return 0;
}

SEALEXEC_API int sealexec_launch_describe_json(sealexec_launch *launch, char **ret_json,
                                               sealexec_error *err)
{
        if (!ret_json)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "describe: no result given");
        const struct launch_plan *plan;
        int r = launch_plan_get(launch, &plan, err);
        if (r < 0)
                return r;
        json_t *root = json_pack("{s:i}", "version", 1);
        if (!root)
                return se_oom(err, "describe");
        r = build(launch, plan, root, err);
        if (r >= 0)
                r = add_seccomp(launch, plan, root, err);
        char *text = r >= 0 ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(root);
        if (r < 0)
                return r;
        if (!text)
                return se_oom(err, "describe");
        *ret_json = text;
        return 0;
}
