/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eval.c - what a policy decides for one call, read straight from the
 * intermediate form (ir.h), with no optimisation at all:
 *   - a call of an architecture the policy does not list gets
 *     bad_arch_action (x32 is its own architecture: AUDIT_ARCH_X86_64 with
 *     the x32 bit in the number);
 *   - the launch rule comes first for execveat, when
 *     policy_needs_launch_rule() says it is added;
 *   - then the first rule for the call's syscall that applies with the
 *     capabilities kept and whose condition matches decides;
 *   - otherwise default_action.
 * The BPF generator is tested against this, so it must stay obviously right.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "policy/compile.h"
#include "policy/describe.h"
#include "policy/eval.h"
#include "policy/ir.h"
#include "policy/syscalls.h"

#define LOW32 UINT64_C(0xffffffff)

static const char *policy_label(const struct sealexec_policy *policy)
{
        return policy->name ? policy->name : "?";
}

int policy_listed_arches(const struct sealexec_policy *policy, uint32_t *ret_arches, size_t *ret_n,
                         sealexec_error *err)
{
        uint32_t native = seccomp_arch_native();
        bool has_native = policy->n_arches == 0;

        if (policy->n_arches > POLICY_MAX_ARCHES)
                return se_error(err, -E2BIG, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': lists %zu architectures", policy_label(policy),
                                policy->n_arches);
        for (size_t i = 0; i < policy->n_arches; i++) {
                uint32_t a = policy->arches[i];
                if (strcmp(policy_arch_name(a), "unknown") == 0)
                        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                        "policy '%s': unsupported architecture 0x%x",
                                        policy_label(policy), a);
                has_native |= a == native;
        }
        if (!has_native)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': does not list this machine's architecture",
                                policy_label(policy));
        /* The native one first, then the others in the policy's order. */
        size_t n = 0;
        ret_arches[n++] = native;
        for (size_t i = 0; i < policy->n_arches; i++)
                if (policy->arches[i] != native)
                        ret_arches[n++] = policy->arches[i];
        *ret_n = n;
        return 0;
}

int policy_rule_numbers(const struct sealexec_policy *policy, uint32_t scmp_arch, int *ret_nrs,
                        sealexec_error *err)
{
        for (size_t i = 0; i < policy->n_rules; i++) {
                const struct policy_rule *rule = &policy->rules[i];
                int nr = policy_syscall_resolve_real(rule->syscall_name, scmp_arch);
                if (nr >= 0) {
                        ret_nrs[i] = nr;
                        continue;
                }
                /* Not on this architecture is fine; not anywhere is a typo. */
                int r = policy_rule_known(rule, scmp_arch, err);
                if (r < 0)
                        return r;
                ret_nrs[i] = -1;
        }
        return 0;
}

uint32_t policy_call_arch(uint32_t audit_arch, int nr)
{
        if (audit_arch == AUDIT_ARCH_X86_64 && nr != -1 && ((uint32_t)nr & POLICY_X32_SYSCALL_BIT))
                return SCMP_ARCH_X32;
        /* SCMP_ARCH_* tokens are the AUDIT_ARCH_* values for all the others. */
        return audit_arch;
}

bool policy_cmp_holds(const struct policy_cmp *cmp, const uint64_t args[POLICY_MAX_ARGS])
{
        uint64_t w = cmp->low32 ? LOW32 : ~UINT64_C(0);
        uint64_t a = args[cmp->arg] & w, v = cmp->value & w, v2 = cmp->value2 & w;

        switch (cmp->op) {
        case POLICY_CMP_EQ:
                return a == v;
        case POLICY_CMP_NE:
                return a != v;
        case POLICY_CMP_LT:
                return a < v;
        case POLICY_CMP_LE:
                return a <= v;
        case POLICY_CMP_GT:
                return a > v;
        case POLICY_CMP_GE:
                return a >= v;
        case POLICY_CMP_MASKED_EQ:
                return (a & v) == v2;
        case POLICY_CMP_ANY_BITS:
                return (a & v) != 0;
        case POLICY_CMP_IN:
                return (a & ~v) == 0;
        }
        /* policy_add_rule() refuses other operators; never match one. */
        return false;
}

bool policy_rule_matches(const struct policy_rule *rule, const uint64_t args[POLICY_MAX_ARGS])
{
        if (rule->n_clauses == 0)
                return true;
        for (size_t k = 0; k < rule->n_clauses; k++) {
                const struct policy_clause *c = &rule->clauses[k];
                bool all = true;
                for (size_t j = 0; j < c->n_cmps && all; j++)
                        all = policy_cmp_holds(&c->cmps[j], args);
                if (all)
                        return true;
        }
        return false;
}

uint32_t policy_action_ret(const struct policy_action *action)
{
        switch (action->kind) {
        case POLICY_ACT_ALLOW:
                return SECCOMP_RET_ALLOW;
        case POLICY_ACT_ERRNO:
                return SECCOMP_RET_ERRNO | (action->data & SECCOMP_RET_DATA);
        case POLICY_ACT_KILL_PROCESS:
                return SECCOMP_RET_KILL_PROCESS;
        case POLICY_ACT_KILL_THREAD:
                return SECCOMP_RET_KILL_THREAD;
        case POLICY_ACT_TRAP:
                return SECCOMP_RET_TRAP;
        case POLICY_ACT_TRACE:
                return SECCOMP_RET_TRACE | (action->data & SECCOMP_RET_DATA);
        case POLICY_ACT_LOG:
                return SECCOMP_RET_LOG;
        case POLICY_ACT_USER_NOTIF:
                return SECCOMP_RET_USER_NOTIF;
        }
        return SECCOMP_RET_KILL_PROCESS;
}

/* --- a prepared policy ------------------------------------------------------- */

struct policy_eval {
        const struct sealexec_policy *policy;
        struct policy_compile_ctx ctx;
        bool launch;
        size_t n_arches;
        uint32_t arches[POLICY_MAX_ARCHES];
        int launch_nrs[POLICY_MAX_ARCHES]; /* execveat on each arch, or -1 */
        int *nrs;                          /* [arch * n_rules + rule] */
};

void policy_eval_free(struct policy_eval *eval)
{
        if (!eval)
                return;
        free(eval->nrs);
        free(eval);
}

int policy_eval_new(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                    struct policy_eval **ret_eval, sealexec_error *err)
{
        if (policy->no_filter || policy->n_bpf > 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': %s, nothing to evaluate", policy_label(policy),
                                policy->no_filter ? "no filter" : "precompiled BPF");
        struct policy_eval *e = calloc(1, sizeof(*e));
        if (!e)
                return se_oom(err, "policy");
        e->policy = policy;
        e->ctx = ctx ? *ctx : (struct policy_compile_ctx){.launch_fd = -1};
        e->launch = policy_needs_launch_rule(policy, &e->ctx);
        int r = policy_listed_arches(policy, e->arches, &e->n_arches, err);
        if (r >= 0 && policy->n_rules > 0) {
                e->nrs = calloc(e->n_arches * policy->n_rules, sizeof(int));
                if (!e->nrs)
                        r = se_oom(err, "policy");
        }
        for (size_t a = 0; r >= 0 && a < e->n_arches; a++) {
                int nr = policy_syscall_resolve_real("execveat", e->arches[a]);
                e->launch_nrs[a] = nr >= 0 ? nr : -1;
                if (policy->n_rules > 0)
                        r = policy_rule_numbers(policy, e->arches[a], e->nrs + a * policy->n_rules,
                                                err);
        }
        if (r < 0) {
                policy_eval_free(e);
                return r;
        }
        *ret_eval = e;
        return 0;
}

static bool launch_matches(const struct policy_eval *e, const uint64_t args[POLICY_MAX_ARGS])
{
        /* The kernel reads both as ints. */
        return (uint32_t)args[0] == (uint32_t)e->ctx.launch_fd &&
               (uint32_t)args[4] == POLICY_LAUNCH_FLAGS;
}

struct policy_action policy_eval_call(const struct policy_eval *e, uint32_t audit_arch, int nr,
                                      const uint64_t args[POLICY_MAX_ARGS])
{
        const struct sealexec_policy *p = e->policy;
        uint32_t arch = policy_call_arch(audit_arch, nr);
        size_t a = 0;

        while (a < e->n_arches && e->arches[a] != arch)
                a++;
        if (a == e->n_arches)
                return p->bad_arch_action;
        /* No syscall has a negative number (-1 marks "none here" below). */
        if (nr < 0)
                return p->default_action;
        if (e->launch && nr == e->launch_nrs[a] && launch_matches(e, args))
                return (struct policy_action){.kind = POLICY_ACT_ALLOW};
        for (size_t i = 0; i < p->n_rules; i++) {
                const struct policy_rule *rule = &p->rules[i];
                if (e->nrs[a * p->n_rules + i] != nr || !policy_rule_applies(rule, &e->ctx))
                        continue;
                if (policy_rule_matches(rule, args))
                        return rule->action;
        }
        return p->default_action;
}

int policy_eval(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                uint32_t audit_arch, int nr, const uint64_t args[POLICY_MAX_ARGS],
                struct policy_action *ret_action, sealexec_error *err)
{
        struct policy_eval *e = NULL;
        int r = policy_eval_new(policy, ctx, &e, err);
        if (r < 0)
                return r;
        *ret_action = policy_eval_call(e, audit_arch, nr, args);
        policy_eval_free(e);
        return 0;
}
