/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscalls[] entries: names, action, errnoRet, args, and Docker's
 * includes/excludes. Each name becomes one rule of the intermediate form, in
 * file order; as everywhere in sealexec, the first matching rule for a
 * syscall decides (for the non-overlapping conditions of real profiles this
 * is what libseccomp and runc do too).
 */
#include "policy/json/json-syscalls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/io.h"
#include "policy/json/json-arches.h"
#include "policy/json/json-tables.h"
#include "policy/syscalls.h"

#define ARG_INDEX_MAX (POLICY_MAX_ARGS - 1)
/*
 * SECCOMP_RET_DATA is 16 bits: Docker, runc and libseccomp accept any such
 * errno, and the kernel returns MAX_ERRNO for one above it.
 */
#define RET_DATA_MAX 0xffff
#define MAX_ERRNO    4095

/* containers/common's errno name, beside or instead of the number. */
static int parse_errno_name(struct json_ctx *c, const struct json_action_src *src,
                            const struct json_action_name *a, struct policy_action *act)
{
        const char *name = NULL;
        int r = jget_string(c, src->errno_name, src->name_what, &name);
        if (r < 0)
                return r;
        /* Go's omitempty: an empty name is no name. */
        if (*name == '\0')
                return 0;
        if (a->kind != POLICY_ACT_ERRNO)
                return jctx_error(c, src->errno_name.node,
                                  "%s: only SCMP_ACT_ERRNO takes an errno name, not %s",
                                  src->name_what, a->name);
        int e = json_errno_lookup(name);
        if (e < 0)
                return jctx_error(c, src->errno_name.node, "%s: unknown errno name '%s'",
                                  src->name_what, name);
        if (src->errno_ret.v && act->data != (uint32_t)e)
                return jctx_error_at(c, jctx_key_pos(c, src->errno_name.node),
                                     "%s: '%s' is %d but %s is %u: they must agree", src->name_what,
                                     name, e, src->ret_what, act->data);
        act->data = (uint32_t)e;
        return 0;
}

static int parse_errno_ret(struct json_ctx *c, const struct json_action_src *src,
                           const struct json_action_name *a, struct policy_action *act)
{
        uint64_t v = 0;
        if (a->kind != POLICY_ACT_ERRNO && a->kind != POLICY_ACT_TRACE)
                return jctx_error(c, src->errno_ret.node,
                                  "%s: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a value, not %s",
                                  src->ret_what, a->name);
        int r = jget_uint(c, src->errno_ret, src->ret_what, RET_DATA_MAX, &v);
        if (r < 0)
                return r;
        if (a->kind == POLICY_ACT_ERRNO && v > MAX_ERRNO)
                jctx_warning(c, src->errno_ret.node,
                             "%s: errno %llu is above %d: the kernel returns %d (MAX_ERRNO) "
                             "instead",
                             src->ret_what, (unsigned long long)v, MAX_ERRNO, MAX_ERRNO);
        act->data = (uint32_t)v;
        return 0;
}

int json_parse_action(struct json_ctx *c, const struct json_action_src *src,
                      struct policy_action *ret)
{
        const char *name = NULL;
        int r = jget_string(c, src->action, src->what, &name);
        if (r < 0)
                return r;
        const struct json_action_name *a = json_action_lookup(name);
        if (!a)
                return jctx_error(c, src->action.node, "%s: unknown action '%s'", src->what, name);
        if (src->is_default && a->kind == POLICY_ACT_USER_NOTIF)
                return jctx_error(c, src->action.node,
                                  "%s: SCMP_ACT_NOTIFY cannot be the default action", src->what);
        bool takes_value = a->kind == POLICY_ACT_ERRNO || a->kind == POLICY_ACT_TRACE;
        struct policy_action act = {.kind = a->kind, .data = takes_value ? EPERM : 0};
        if (src->errno_ret.v && (r = parse_errno_ret(c, src, a, &act)) < 0)
                return r;
        if (src->errno_name.v && (r = parse_errno_name(c, src, a, &act)) < 0)
                return r;
        *ret = act;
        return 0;
}

/* --- args ------------------------------------------------------------------ */

static int parse_arg(struct json_ctx *c, struct jval arg, const char *what, struct policy_cmp *ret)
{
        char mwhat[128];
        struct jmember m[] = {{"index", {0}}, {"value", {0}}, {"valueTwo", {0}}, {"op", {0}}};
        uint64_t index, value = 0, value2 = 0;
        const char *op_name;

        int r = jobject_members(c, arg, what, m, ARRAY_SIZE(m));
        if (r < 0)
                return r;
        if (!m[0].val.v)
                return jctx_error(c, arg.node, "%s: no index", what);
        if (!m[3].val.v)
                return jctx_error(c, arg.node, "%s: no op", what);
        snprintf(mwhat, sizeof(mwhat), "%s.index", what);
        r = jget_uint(c, m[0].val, mwhat, ARG_INDEX_MAX, &index);
        if (r < 0)
                return r;
        snprintf(mwhat, sizeof(mwhat), "%s.value", what);
        if (m[1].val.v && (r = jget_uint(c, m[1].val, mwhat, UINT64_MAX, &value)) < 0)
                return r;
        snprintf(mwhat, sizeof(mwhat), "%s.valueTwo", what);
        if (m[2].val.v && (r = jget_uint(c, m[2].val, mwhat, UINT64_MAX, &value2)) < 0)
                return r;
        snprintf(mwhat, sizeof(mwhat), "%s.op", what);
        r = jget_string(c, m[3].val, mwhat, &op_name);
        if (r < 0)
                return r;
        const struct json_op_name *op = json_op_lookup(op_name);
        if (!op)
                return jctx_error(c, m[3].val.node, "%s: unknown operator '%s'", mwhat, op_name);
        /* valueTwo matters only to MASKED_EQ: (arg & value) == valueTwo. */
        *ret = (struct policy_cmp){
            .arg = (unsigned)index,
            .op = op->op,
            .value = value,
            .value2 = op->op == POLICY_CMP_MASKED_EQ ? value2 : 0,
        };
        return 0;
}

/* The parsed condition of one entry: the comparisons and how they combine. */
struct entry_args {
        size_t n;
        struct policy_cmp *cmps;
        struct policy_clause *clauses;
        size_t n_clauses;
};

static void entry_args_done(struct entry_args *a)
{
        free(a->cmps);
        free(a->clauses);
}

/*
 * runc's rule: when one argument index appears more than once, every
 * comparison becomes a rule of its own (OR); otherwise all are ANDed.
 */
static int build_clauses(struct json_ctx *c, struct entry_args *a)
{
        unsigned count[ARG_INDEX_MAX + 1] = {0};
        bool repeated = false;

        for (size_t i = 0; i < a->n; i++)
                if (++count[a->cmps[i].arg] > 1)
                        repeated = true;
        a->n_clauses = repeated ? a->n : 1;
        a->clauses = calloc(a->n_clauses, sizeof(*a->clauses));
        if (!a->clauses)
                return jctx_oom(c);
        if (!repeated) {
                a->clauses[0] = (struct policy_clause){.n_cmps = a->n, .cmps = a->cmps};
                return 0;
        }
        for (size_t i = 0; i < a->n; i++)
                a->clauses[i] = (struct policy_clause){.n_cmps = 1, .cmps = &a->cmps[i]};
        return 0;
}

static int parse_args(struct json_ctx *c, struct jval args, const char *what,
                      struct entry_args *ret)
{
        char awhat[96];
        struct jarray_iter it;

        snprintf(awhat, sizeof(awhat), "%s.args", what);
        int r = jarray_begin(c, args, awhat, &it);
        if (r < 0)
                return r;
        if (it.n == 0)
                return 0;
        ret->cmps = calloc(it.n, sizeof(*ret->cmps));
        if (!ret->cmps)
                return jctx_oom(c);
        while (jarray_next(c, &it)) {
                snprintf(awhat, sizeof(awhat), "%s.args[%zu]", what, it.i - 1);
                r = parse_arg(c, it.elem, awhat, &ret->cmps[ret->n]);
                if (r < 0)
                        return r;
                ret->n++;
        }
        return build_clauses(c, ret);
}

/* --- names ------------------------------------------------------------------ */

/* The names of an entry ("names", or moby's older single "name"), borrowed from jansson. */
struct entry_names {
        size_t n;
        const char **names;
};

static int add_name(struct json_ctx *c, struct jval val, const char *what, struct entry_names *ret)
{
        const char *name = NULL;
        int r = jget_string(c, val, what, &name);
        if (r < 0)
                return r;
        if (*name == '\0')
                return jctx_error(c, val.node, "%s: empty syscall name", what);
        ret->names[ret->n++] = name;
        return 0;
}

static int parse_names(struct json_ctx *c, struct jval entry, struct jval names, struct jval name,
                       const char *what, struct entry_names *ret)
{
        char nwhat[96];
        size_t n = 0;

        if (names.v && name.v)
                return jctx_error(c, name.node, "%s: use either 'name' or 'names', not both", what);
        if (names.v) {
                snprintf(nwhat, sizeof(nwhat), "%s.names", what);
                int r = jexpect_type(c, names, JSON_ARRAY, nwhat);
                if (r < 0)
                        return r;
                n = json_array_size(names.v);
        } else if (name.v) {
                n = 1;
        }
        if (n == 0)
                return jctx_error(c, names.v ? names.node : entry.node, "%s: no syscall names",
                                  what);
        ret->names = calloc(n, sizeof(*ret->names));
        if (!ret->names)
                return jctx_oom(c);
        if (name.v) {
                snprintf(nwhat, sizeof(nwhat), "%s.name", what);
                return add_name(c, name, nwhat, ret);
        }
        struct jarray_iter it;
        int r = jarray_begin(c, names, nwhat, &it);
        while (r >= 0 && jarray_next(c, &it)) {
                char ewhat[112];
                snprintf(ewhat, sizeof(ewhat), "%s.names[%zu]", what, it.i - 1);
                r = add_name(c, it.elem, ewhat, ret);
        }
        return r;
}

/* --- rules ------------------------------------------------------------------- */

static int add_skipped(struct json_ctx *c, const char *name)
{
        struct sealexec_policy *p = c->policy;
        if (array_reserve(&p->skipped_names, &p->skipped_allocated, p->n_skipped + 1,
                          sizeof(*p->skipped_names)) < 0)
                return jctx_oom(c);
        char *copy = strdup(name);
        if (!copy)
                return jctx_oom(c);
        p->skipped_names[p->n_skipped++] = copy;
        return 0;
}

/* A rule the core refuses is an error at its entry, added to the diagnostics. */
static int add_rule(struct json_ctx *c, const struct policy_rule *rule, struct json_pos pos)
{
        char reason[SEALEXEC_ERROR_MESSAGE_MAX / 2];
        if (policy_rule_check(rule, reason, sizeof(reason)) < 0)
                return jctx_error_at(c, pos, "%s", reason);
        int r = policy_add_rule(c->policy, rule, c->err);
        return r == -ENOMEM ? jctx_oom(c) : r;
}

/*
 * The native number of `name` (negative when the native architecture lacks
 * it). *ret_known tells whether any architecture of the policy has it.
 */
static int resolve_name(const struct json_ctx *c, const char *name, bool *ret_known)
{
        const struct sealexec_policy *p = c->policy;
        int native = policy_syscall_resolve(name, c->host->native_arch);
        /* A negative libseccomp pseudo number means "not on this architecture". */
        bool known = native >= 0;
        for (size_t i = 0; !known && i < p->n_arches; i++)
                known = policy_syscall_resolve(name, p->arches[i]) >= 0;
        *ret_known = known;
        return native;
}

static int add_rules(struct json_ctx *c, const struct entry_names *names,
                     const struct policy_action *action, const struct entry_args *args,
                     const struct docker_cond *cond, size_t entry_node)
{
        struct json_pos pos = jctx_pos(c, entry_node);
        for (size_t i = 0; i < names->n; i++) {
                bool known;
                int nr = resolve_name(c, names->names[i], &known);
                int r;
                if (!known) {
                        r = add_skipped(c, names->names[i]);
                } else {
                        struct policy_rule rule = {
                            .syscall_name = (char *)names->names[i],
                            .syscall_nr = nr,
                            .action = *action,
                            .n_clauses = args->n_clauses,
                            .clauses = args->clauses,
                            .caps_required = cond->caps_required,
                            .caps_excluded = cond->caps_excluded,
                            .origin = {(char *)c->file, pos.line, pos.col},
                        };
                        r = add_rule(c, &rule, pos);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

enum {
        M_NAMES,
        M_NAME,
        M_ACTION,
        M_ERRNO_RET,
        M_ERRNO,
        M_ARGS,
        M_INCLUDES,
        M_EXCLUDES,
        M_COMMENT,
};

int json_parse_syscall_entry(struct json_ctx *c, struct jval entry, size_t i)
{
        char what[48], awhat[64], ewhat[64], nwhat[64];
        struct jmember m[] = {
            [M_NAMES] = {"names", {0}},       [M_NAME] = {"name", {0}},
            [M_ACTION] = {"action", {0}},     [M_ERRNO_RET] = {"errnoRet", {0}},
            [M_ERRNO] = {"errno", {0}},       [M_ARGS] = {"args", {0}},
            [M_INCLUDES] = {"includes", {0}}, [M_EXCLUDES] = {"excludes", {0}},
            [M_COMMENT] = {"comment", {0}},
        };
        struct entry_names names = {0};
        struct entry_args args = {0};
        struct policy_action action;
        struct docker_cond cond = {0};

        snprintf(what, sizeof(what), "syscalls[%zu]", i);
        int r = jobject_members(c, entry, what, m, ARRAY_SIZE(m));
        if (r >= 0)
                r = parse_names(c, entry, m[M_NAMES].val, m[M_NAME].val, what, &names);
        if (r >= 0 && !m[M_ACTION].val.v)
                r = jctx_error(c, entry.node, "%s: no action", what);
        snprintf(awhat, sizeof(awhat), "%s.action", what);
        snprintf(ewhat, sizeof(ewhat), "%s.errnoRet", what);
        snprintf(nwhat, sizeof(nwhat), "%s.errno", what);
        if (r >= 0) {
                struct json_action_src src = {
                    .action = m[M_ACTION].val,
                    .errno_ret = m[M_ERRNO_RET].val,
                    .errno_name = m[M_ERRNO].val,
                    .what = awhat,
                    .ret_what = ewhat,
                    .name_what = nwhat,
                };
                r = json_parse_action(c, &src, &action);
        }
        if (r >= 0 && m[M_ARGS].val.v)
                r = parse_args(c, m[M_ARGS].val, what, &args);
        if (r >= 0)
                r = json_parse_docker_cond(c, m[M_INCLUDES].val, m[M_EXCLUDES].val, what, &cond);
        if (r >= 0 && !cond.drop)
                r = add_rules(c, &names, &action, &args, &cond, entry.node);
        entry_args_done(&args);
        free(names.names);
        return r;
}
