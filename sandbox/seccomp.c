/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp programs of a launch: the stacked ones (exec guard or
 * exec-once, deny-unix) first, the policy's own last, since a policy may
 * deny seccomp(2) itself. The kernel applies the most restrictive verdict of
 * all of them, so the order changes nothing else. Compiled while the plan is
 * built (plan_policy_program, in-process: sealexec's own code generator
 * takes linear time), installed with seccomp(2) only in the exec path; the
 * policy's program creates the listener a notify action needs, handed over
 * at once (listener.c).
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "policy/policy.h"
#include "sandbox/plan.h"

int plan_add_program(struct launch_plan *plan, void *insns, size_t len, unsigned flags,
                     const char *what, sealexec_error *err)
{
        _cleanup_free_ void *owned = insns;
        if (plan->n_programs >= PLAN_MAX_PROGRAMS)
                return se_error(err, -E2BIG, SEALEXEC_ERROR_REFUSED,
                                "prepare: seccomp: more than %d programs", PLAN_MAX_PROGRAMS);
        if (len == 0 || len > BPF_MAXINSNS)
                return se_error(err, -E2BIG, SEALEXEC_ERROR_REFUSED,
                                "prepare: seccomp: %s of %zu instructions: the kernel takes 1 "
                                "to %d",
                                what, len, BPF_MAXINSNS);
        struct plan_program *p = &plan->programs[plan->n_programs++];
        p->insns = TAKE_PTR(owned);
        p->len = (unsigned short)len;
        p->flags = flags;
        snprintf(p->what, sizeof(p->what), "%s", what);
        return 0;
}

int plan_policy_program(const sealexec_launch *launch, struct launch_plan *plan,
                        sealexec_error *err)
{
        const struct sealexec_policy *policy = launch->policy;
        if (policy->no_filter)
                return 0;
        const struct policy_compile_ctx ctx = {
            .launch_fd = plan->launch_rule ? plan->exec_fd : -1,
            .kept_caps = launch->keep_caps,
        };
        void *prog = NULL;
        size_t n = 0;
        int r = policy_compile_bpf(policy, &ctx, &prog, &n, err);
        if (r < 0)
                return se_error_prefix(err, r, "prepare: seccomp");
        char what[sizeof(plan->programs[0].what)];
        snprintf(what, sizeof(what), "%s '%.60s'",
                 policy->n_bpf > 0 ? "the precompiled program" : "policy",
                 policy->name ? policy->name : "?");
        unsigned flags = policy->filter_flags | (plan->tsync ? SECCOMP_FILTER_FLAG_TSYNC : 0);
        return plan_add_program(plan, prog, n, flags, what, err);
}

int plan_seccomp_apply(const struct launch_plan *plan, sealexec_error *err)
{
        for (size_t i = 0; i < plan->n_programs; i++) {
                const struct plan_program *p = &plan->programs[i];
                struct sock_fprog prog = {.len = p->len, .filter = p->insns};
                /* The policy's program, last, creates the listener a notify action needs. */
                bool listener = plan->listener_slot >= 0 && i == plan->n_programs - 1;
                unsigned flags = p->flags | (listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
                long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
                if (r < 0)
                        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                              "confine: seccomp: installing %s", p->what);
                if (listener)
                        return listener_send(plan->listener_slot, (int)r, err);
                /* With TSYNC, a positive value is the thread that could not be synchronised. */
                if (r > 0)
                        return se_error(err, -EBUSY, SEALEXEC_ERROR_REFUSED,
                                        "confine: seccomp: thread %ld could not take %s (TSYNC)", r,
                                        p->what);
        }
        return 0;
}
