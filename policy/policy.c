/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The intermediate form: building and freeing struct sealexec_policy. Every
 * parser and every built-in profile goes through these functions, so a rule
 * always owns deep copies of what it was given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "policy/argwidth.h"
#include "policy/ir.h"
#include "policy/syscalls.h"

int policy_new(const char *name, struct sealexec_policy **ret_policy, sealexec_error *err)
{
        struct sealexec_policy *policy = calloc(1, sizeof(*policy));
        if (!policy)
                return se_oom(err, "policy");
        if (name) {
                policy->name = strdup(name);
                if (!policy->name) {
                        free(policy);
                        return se_oom(err, "policy");
                }
        }
        /* Fail closed: whatever a source does not mention kills the process. */
        policy->default_action = (struct policy_action){.kind = POLICY_ACT_KILL_PROCESS};
        policy->bad_arch_action = (struct policy_action){.kind = POLICY_ACT_KILL_PROCESS};
        policy->bpf_launch_fd = -1;
        *ret_policy = policy;
        return 0;
}

static void rule_done(struct policy_rule *rule)
{
        free(rule->syscall_name);
        for (size_t i = 0; i < rule->n_clauses; i++)
                free(rule->clauses[i].cmps);
        free(rule->clauses);
        free(rule->origin.file);
}

static int rule_copy(struct policy_rule *dst, const struct policy_rule *src)
{
        *dst = *src;
        dst->syscall_name = NULL;
        dst->clauses = NULL;
        dst->n_clauses = 0;
        dst->origin.file = NULL;

        if (src->syscall_name && !(dst->syscall_name = strdup(src->syscall_name)))
                goto oom;
        if (src->origin.file && !(dst->origin.file = strdup(src->origin.file)))
                goto oom;
        if (src->n_clauses > 0) {
                dst->clauses = calloc(src->n_clauses, sizeof(*dst->clauses));
                if (!dst->clauses)
                        goto oom;
                for (size_t i = 0; i < src->n_clauses; i++) {
                        const struct policy_clause *c = &src->clauses[i];
                        dst->n_clauses = i + 1;
                        if (c->n_cmps == 0)
                                continue;
                        dst->clauses[i].cmps = calloc(c->n_cmps, sizeof(*c->cmps));
                        if (!dst->clauses[i].cmps)
                                goto oom;
                        memcpy(dst->clauses[i].cmps, c->cmps, c->n_cmps * sizeof(*c->cmps));
                        dst->clauses[i].n_cmps = c->n_cmps;
                }
        }
        return 0;
oom:
        rule_done(dst);
        return -ENOMEM;
}

int policy_rule_check(const struct policy_rule *rule, char *reason, size_t size)
{
        if (!rule->syscall_name || !*rule->syscall_name) {
                snprintf(reason, size, "rule without a syscall name");
                return -EINVAL;
        }
        for (size_t i = 0; i < rule->n_clauses; i++)
                for (size_t j = 0; j < rule->clauses[i].n_cmps; j++) {
                        const struct policy_cmp *cmp = &rule->clauses[i].cmps[j];
                        if (cmp->arg >= POLICY_MAX_ARGS || cmp->op > POLICY_CMP_IN) {
                                snprintf(reason, size, "'%s': bad argument comparison",
                                         rule->syscall_name);
                                return -EINVAL;
                        }
                }
        return 0;
}

static int cmp_argwidth(const void *key, const void *entry)
{
        return strcmp(key, ((const struct policy_argwidth *)entry)->name);
}

uint8_t policy_syscall_int_args(const char *name)
{
        const struct policy_argwidth *e =
            bsearch(name, policy_argwidth_table, policy_argwidth_count, sizeof(*e), cmp_argwidth);
        return e ? e->int_args : 0;
}

/*
 * Comparisons of arguments the kernel reads as 32-bit integers look at the
 * low halves only (argwidth.h), whatever the source wrote: done here, where
 * every rule of every format enters the IR, so the interpreter, the code
 * generators and `explain` all see the same condition.
 */
static void apply_arg_widths(struct policy_rule *rule)
{
        uint8_t ints = policy_syscall_int_args(rule->syscall_name);
        if (ints == 0)
                return;
        for (size_t k = 0; k < rule->n_clauses; k++)
                for (size_t j = 0; j < rule->clauses[k].n_cmps; j++) {
                        struct policy_cmp *cmp = &rule->clauses[k].cmps[j];
                        if (ints & (1u << cmp->arg))
                                cmp->low32 = true;
                }
}

int policy_add_rule(struct sealexec_policy *policy, const struct policy_rule *rule,
                    sealexec_error *err)
{
        char reason[SEALEXEC_ERROR_MESSAGE_MAX / 2];
        int r = policy_rule_check(rule, reason, sizeof(reason));
        if (r < 0)
                return se_error(err, r, SEALEXEC_ERROR_REFUSED, "%s:%u:%u: %s",
                                rule->origin.file ? rule->origin.file : "<policy>",
                                rule->origin.line, rule->origin.col, reason);
        /* Geometric growth: a profile with many rules must load in linear time. */
        r = array_reserve(&policy->rules, &policy->rules_allocated, policy->n_rules + 1,
                          sizeof(*policy->rules));
        if (r < 0)
                return se_oom(err, "policy");
        struct policy_rule *dst = &policy->rules[policy->n_rules];
        if (rule_copy(dst, rule) < 0)
                return se_oom(err, "policy");
        apply_arg_widths(dst);
        /* Record the native number for readers of the IR; the compilers
         * (bpf-gen.c, compile.c) resolve names again for each architecture. */
        int nr = policy_syscall_resolve(dst->syscall_name, SCMP_ARCH_NATIVE);
        if (nr != -ENOENT)
                dst->syscall_nr = nr;
        policy->n_rules++;
        return 0;
}

int policy_add_arch(struct sealexec_policy *policy, uint32_t scmp_arch, sealexec_error *err)
{
        if (scmp_arch == SCMP_ARCH_NATIVE)
                scmp_arch = seccomp_arch_native();
        for (size_t i = 0; i < policy->n_arches; i++)
                if (policy->arches[i] == scmp_arch)
                        return 0;
        uint32_t *arches = realloc(policy->arches, (policy->n_arches + 1) * sizeof(*arches));
        if (!arches)
                return se_oom(err, "policy");
        arches[policy->n_arches++] = scmp_arch;
        policy->arches = arches;
        return 0;
}

const char *policy_action_name(const struct policy_action *action, char *buf, size_t size)
{
        switch (action->kind) {
        case POLICY_ACT_ALLOW:
                snprintf(buf, size, "allow");
                break;
        case POLICY_ACT_ERRNO: {
                const char *name = policy_errno_name((int)action->data);
                if (name)
                        snprintf(buf, size, "errno(%s)", name);
                else
                        snprintf(buf, size, "errno(%u)", action->data);
                break;
        }
        case POLICY_ACT_KILL_PROCESS:
                snprintf(buf, size, "kill-process");
                break;
        case POLICY_ACT_KILL_THREAD:
                snprintf(buf, size, "kill-thread");
                break;
        case POLICY_ACT_TRAP:
                snprintf(buf, size, "trap");
                break;
        case POLICY_ACT_TRACE:
                snprintf(buf, size, "trace(%u)", action->data);
                break;
        case POLICY_ACT_LOG:
                snprintf(buf, size, "log");
                break;
        case POLICY_ACT_USER_NOTIF:
                snprintf(buf, size, "user-notif");
                break;
        default:
                snprintf(buf, size, "action(%d)", (int)action->kind);
                break;
        }
        return buf;
}

bool policy_action_permissive(const struct policy_action *action)
{
        return action->kind == POLICY_ACT_ALLOW || action->kind == POLICY_ACT_LOG ||
               action->kind == POLICY_ACT_TRACE;
}

SEALEXEC_API sealexec_policy *sealexec_policy_ref(sealexec_policy *policy)
{
        if (policy)
                __atomic_add_fetch(&policy->refs, 1, __ATOMIC_RELAXED);
        return policy;
}

SEALEXEC_API void sealexec_policy_free(sealexec_policy *policy)
{
        if (!policy)
                return;
        /* Another owner still holds it (sealexec_policy_ref()). */
        unsigned refs = __atomic_load_n(&policy->refs, __ATOMIC_ACQUIRE);
        while (refs > 0)
                if (__atomic_compare_exchange_n(&policy->refs, &refs, refs - 1, false,
                                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                        return;
        for (size_t i = 0; i < policy->n_rules; i++)
                rule_done(&policy->rules[i]);
        free(policy->rules);
        for (size_t i = 0; i < policy->n_skipped; i++)
                free(policy->skipped_names[i]);
        free(policy->skipped_names);
        free(policy->arches);
        free(policy->bpf);
        free(policy->name);
        free(policy);
}
