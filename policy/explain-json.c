/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * explain-json.c - `sealexec policy explain --json` and the "seccomp" member
 * of `sealexec run --dry-run --json`. The shape (documented in
 * sealexec-policy(5)):
 *   {"name": str, "kind": "profile"|"file"|"bpf"|"none",
 *    "default_action": str, "bad_arch_action": str, "architectures": [str],
 *    "rules": [{"syscall": str, "action": str, "condition": str|null,
 *               "origin": "FILE:LINE:COL"|null, "applied": bool}],
 *    "per_architecture": [{"architecture": str, "native": bool,
 *                          "rules": [int], "absent": [str]}],
 *    "launch_rule": {"fd": int}|null, "skipped": [str], "instructions": int}
 * Rules keep the policy's order: for each syscall the first match wins.
 * per_architecture says, for each architecture filtered (native first), which
 * rules exist there (indices into "rules") and which of the policy's syscalls
 * it does not have at all (x86_64 has no socketcall, x86 no accept).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "policy/compile.h"
#include "policy/describe.h"
#include "policy/eval.h"

static json_t *condition_json(const struct policy_rule *rule)
{
        if (rule->n_clauses == 0)
                return json_null();
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        if (!f)
                return NULL;
        policy_print_condition(f, rule);
        if (fclose(f) != 0) {
                free(text);
                return NULL;
        }
        json_t *j = json_string(text);
        free(text);
        return j;
}

static json_t *rule_json(const struct policy_rule *rule, const struct policy_compile_ctx *ctx)
{
        char act[64], origin[600];
        json_t *origin_j = json_null();
        if (rule->origin.file && rule->origin.line > 0) {
                snprintf(origin, sizeof(origin), "%s:%u:%u", rule->origin.file, rule->origin.line,
                         rule->origin.col);
                origin_j = json_string(origin);
        }
        return json_pack("{s:s, s:s, s:o, s:o, s:b}", "syscall", rule->syscall_name, "action",
                         policy_action_name(&rule->action, act, sizeof(act)), "condition",
                         condition_json(rule), "origin", origin_j, "applied",
                         policy_rule_applies(rule, ctx));
}

static bool name_listed(json_t *names, const char *name)
{
        for (size_t i = 0; i < json_array_size(names); i++)
                if (strcmp(json_string_value(json_array_get(names, i)), name) == 0)
                        return true;
        return false;
}

/* {"architecture", "native", "rules": [indices], "absent": [names]} for one arch. */
static int arch_json(const struct sealexec_policy *policy, uint32_t arch, bool native, int *nrs,
                     json_t **ret, sealexec_error *err)
{
        int r = policy_rule_numbers(policy, arch, nrs, err);
        if (r < 0)
                return r;
        json_t *rules = json_array(), *absent = json_array();
        json_t *j = json_pack("{s:s, s:b, s:o, s:o}", "architecture", policy_arch_name(arch),
                              "native", native, "rules", rules, "absent", absent);
        if (!j)
                return se_oom(err, "policy");
        for (size_t i = 0; i < policy->n_rules; i++) {
                const char *name = policy->rules[i].syscall_name;
                if (nrs[i] >= 0)
                        r = json_array_append_new(rules, json_integer((json_int_t)i));
                else if (!name_listed(absent, name))
                        r = json_array_append_new(absent, json_string(name));
                if (r < 0) {
                        json_decref(j);
                        return se_oom(err, "policy");
                }
        }
        *ret = j;
        return 0;
}

/* Per architecture, so that x86's socketcall is not "missing" on an x86_64 host. */
static int fill_arches(json_t *root, const struct sealexec_policy *policy, sealexec_error *err)
{
        uint32_t arches[POLICY_MAX_ARCHES];
        size_t n = 0;
        int r = policy_listed_arches(policy, arches, &n, err);
        if (r < 0)
                return r;
        _cleanup_free_ int *nrs = calloc(policy->n_rules ? policy->n_rules : 1, sizeof(*nrs));
        json_t *per = json_array();
        if (!nrs || !per) {
                json_decref(per);
                return se_oom(err, "policy");
        }
        for (size_t a = 0; a < n; a++) {
                json_t *j = NULL;
                r = arch_json(policy, arches[a], a == 0, nrs, &j, err);
                if (r < 0) {
                        json_decref(per);
                        return r;
                }
                json_array_append_new(per, j);
        }
        json_object_set_new(root, "per_architecture", per);
        return 0;
}

static const char *policy_kind(const struct sealexec_policy *policy)
{
        if (policy->no_filter)
                return "none";
        if (policy->n_bpf > 0)
                return "bpf";
        return policy->builtin ? "profile" : "file";
}

static int fill_rules(json_t *root, const struct sealexec_policy *policy,
                      const struct policy_compile_ctx *ctx)
{
        json_t *rules = json_array(), *arches = json_array(), *skipped = json_array();
        if (!rules || !arches || !skipped) {
                json_decref(rules), json_decref(arches), json_decref(skipped);
                return -ENOMEM;
        }
        uint32_t native = seccomp_arch_native();
        json_array_append_new(arches, json_string(policy_arch_name(native)));
        for (size_t i = 0; i < policy->n_arches; i++)
                if (policy->arches[i] != native)
                        json_array_append_new(arches,
                                              json_string(policy_arch_name(policy->arches[i])));
        for (size_t i = 0; i < policy->n_rules; i++)
                json_array_append_new(rules, rule_json(&policy->rules[i], ctx));
        for (size_t i = 0; i < policy->n_skipped; i++)
                json_array_append_new(skipped, json_string(policy->skipped_names[i]));
        json_object_set_new(root, "architectures", arches);
        json_object_set_new(root, "rules", rules);
        json_object_set_new(root, "skipped", skipped);
        json_object_set_new(root, "launch_rule",
                            policy_needs_launch_rule(policy, ctx)
                                ? json_pack("{s:i}", "fd", ctx->launch_fd)
                                : json_null());
        return 0;
}

int policy_describe_json(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                         struct json_t **ret_json, sealexec_error *err)
{
        char act[64], bad[64];
        json_t *root = json_pack("{s:s, s:s}", "name", policy->name ? policy->name : "", "kind",
                                 policy_kind(policy));
        if (!root)
                return se_oom(err, "policy");
        if (policy->no_filter || policy->n_bpf > 0) {
                json_object_set_new(root, "instructions", json_integer((json_int_t)policy->n_bpf));
                *ret_json = root;
                return 0;
        }
        json_object_set_new(
            root, "default_action",
            json_string(policy_action_name(&policy->default_action, act, sizeof(act))));
        json_object_set_new(
            root, "bad_arch_action",
            json_string(policy_action_name(&policy->bad_arch_action, bad, sizeof(bad))));
        void *prog = NULL;
        size_t n = 0;
        int r = fill_rules(root, policy, ctx);
        if (r < 0) {
                json_decref(root);
                return se_oom(err, "policy");
        }
        r = fill_arches(root, policy, err);
        if (r < 0) {
                json_decref(root);
                return r;
        }
        r = policy_compile_bpf(policy, ctx, &prog, &n, err);
        if (r < 0) {
                json_decref(root);
                return r;
        }
        free(prog);
        json_object_set_new(root, "instructions", json_integer((json_int_t)n));
        *ret_json = root;
        return 0;
}
