/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Building the launch plan (see plan.h): everything that reads, resolves,
 * allocates or compiles happens here, in the unconfined caller, in this
 * order: checks, the default policy when none was set, the user and group
 * ids, the exec decision (what is executed, at which fd, under which guard),
 * descriptors, argv and envp, capabilities, Landlock, the seccomp listener's
 * socket, then the seccomp programs: the stacked ones first, the policy's
 * last.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "common/caps.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "loader/payload.h"
#include "policy/policy.h"
#include "sandbox/caps.h"
#include "sandbox/env.h"
#include "sandbox/exec-once.h"
#include "sandbox/fds.h"
#include "sandbox/landlock.h"
#include "sandbox/plan.h"
#include "sandbox/process.h"
#include "sandbox/script-interpreter.h"

extern char **environ;

void plan_free(struct launch_plan *plan)
{
        if (!plan)
                return;
        free(plan->moves);
        free(plan->scratch);
        free(plan->keep);
        if (plan->ruleset_fd >= 0)
                close(plan->ruleset_fd);
        sealexec_payload_free(plan->ldso);
        free(plan->ldso_path);
        free(plan->origin_rpath);
        free(plan->origin_runpath);
        sealexec_payload_free(plan->auto_interpreter);
        strv_free(plan->argv);
        strv_free(plan->envp);
        for (size_t i = 0; i < plan->n_programs; i++)
                free(plan->programs[i].insns);
        free(plan);
}

static void plan_freep(struct launch_plan **plan)
{
        plan_free(*plan);
}

static int check_launch(const sealexec_launch *launch, sealexec_error *err)
{
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "prepare: no launch");
        if (!launch->payload)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "prepare: no payload set");
        if (!launch->argv || !launch->argv[0])
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "prepare: no argv set");
        return launch_interpreter_check(launch, err);
}

/* "No policy" means the built-in default profile: decided here, once. */
static int ensure_policy(sealexec_launch *launch, sealexec_error *err)
{
        if (launch->policy)
                return 0;
        int r = policy_profile_load("default", &launch->policy, err);
        return r < 0 ? se_error_prefix(err, r, "prepare: seccomp") : 0;
}

static int build_ids(const sealexec_launch *launch, struct launch_plan *plan, sealexec_error *err)
{
        plan->switch_ids = launch->have_uid || launch->have_gid;
        plan->set_uid = launch->have_uid;
        plan->uid = launch->uid;
        plan->gid = launch->have_gid ? launch->gid : getgid();
        plan->switch_ids |= launch->have_groups;
        plan->groups = launch->have_groups ? launch->groups : &plan->gid;
        plan->n_groups = launch->have_groups ? launch->n_groups : 1;
        plan->payload_uid = launch->have_uid ? launch->uid : geteuid();
        return root_guard_check(launch, plan->payload_uid, err);
}

static int build_caps(const sealexec_launch *launch, struct launch_plan *plan, sealexec_error *err)
{
        plan->kept_caps = launch->keep_caps;
        plan->last_cap = caps_last_cap();
        plan->caps_valid =
            plan->last_cap >= 63 ? UINT64_MAX : (UINT64_C(1) << (plan->last_cap + 1)) - 1;
        if (plan->kept_caps & ~plan->caps_valid)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "prepare: capabilities: a kept capability is unknown to this "
                                "kernel");
        plan->raise_ambient = plan->payload_uid != 0;
        uint64_t permitted = 0;
        int r = caps_read_permitted(&permitted, err);
        if (r < 0)
                return r;
        if (plan->kept_caps & ~permitted) {
                char names[1024];
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "prepare: capabilities: cannot keep %s: the launcher does not "
                                "hold %s",
                                caps_format(plan->kept_caps & ~permitted, names, sizeof(names)),
                                __builtin_popcountll(plan->kept_caps & ~permitted) > 1 ? "them"
                                                                                       : "it");
        }
        plan->bounding = caps_plan_bounding(permitted & (UINT64_C(1) << CAP_SETPCAP),
                                            permitted == 0, plan->payload_uid == 0,
                                            caps_read_bounding(plan->last_cap), plan->kept_caps);
        return 0;
}

static int build_argv_envp(const sealexec_launch *launch, struct launch_plan *plan,
                           sealexec_error *err)
{
        _cleanup_free_ struct subst_entry *entries = NULL;
        struct fd_plan fdp = {
            .base = plan->base, .n_files = launch->n_files, .payload_fd = plan->payload_fd};
        int r = launch_subst_entries(launch, &fdp, &entries, err);
        if (r < 0)
                return r;
        /* The explicit vector, or the caller's environment as it is now. */
        r = envp_build(launch->envp ? launch->envp : environ, launch->env_edits,
                       launch->n_env_edits, entries, launch->n_files, &plan->envp, err);
        if (r < 0)
                return r;
        char **argv = NULL;
        r = argv_build(launch->argv, launch->argv0, entries, launch->n_files, &argv, err);
        if (r < 0)
                return r;
        r = plan_exec_argv(launch, plan, argv, &plan->argv, err);
        strv_free(argv);
        return r;
}

static int build_landlock(const sealexec_launch *launch, struct launch_plan *plan,
                          sealexec_error *err)
{
        int r = landlock_prepare(launch, plan->exec_guard, &plan->ruleset_fd, err);
        if (r < 0 || plan->ruleset_fd < 0)
                return r;
        /* The fd step moves it to a planned number of its own, above the rest. */
        return plan_fds_add_ruleset(plan, err);
}

/* A notify action needs somebody to answer: the listener socket, or a refusal. */
static int build_listener(const sealexec_launch *launch, struct launch_plan *plan,
                          sealexec_error *err)
{
        const struct sealexec_policy *policy = launch->policy;
        bool notify = !policy->no_filter && policy->n_bpf == 0 && policy_uses_notify(policy);
        if (!notify)
                return 0;
        if (launch->listener_fd < 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "prepare: seccomp: policy '%s' has a notify action "
                                "(SCMP_ACT_NOTIFY, user-notify) but no listener was given "
                                "(--seccomp-listener, sealexec_launch_set_seccomp_listener()): "
                                "its calls would have nobody to answer them",
                                policy->name ? policy->name : "?");
        return plan_fds_add_internal(plan, launch->listener_fd, "seccomp listener socket",
                                     &plan->listener_slot, err);
}

int plan_build(sealexec_launch *launch, struct launch_plan **ret_plan, sealexec_error *err)
{
        int r = check_launch(launch, err);
        if (r < 0)
                return r;
        r = ensure_policy(launch, err);
        if (r < 0)
                return r;
        _cleanup_(plan_freep) struct launch_plan *plan = calloc(1, sizeof(*plan));
        if (!plan)
                return se_oom(err, "prepare");
        plan->ruleset_fd = -1;
        plan->ruleset_slot = -1;
        plan->listener_slot = -1;
        plan->new_session = launch->new_session;
        plan->reset_signals = !launch->keep_signals;
        plan->chdir = launch->chdir;
        plan->rlimits = launch->rlimits;
        plan->n_rlimits = launch->n_rlimits;
        plan->tsync = launch->allow_threads;
        plan->check_threads = !launch->allow_threads;

        r = build_ids(launch, plan, err);
        if (r >= 0)
                r = plan_exec_build(launch, plan, err);
        if (r >= 0)
                r = plan_fds_build(launch, plan, err);
        if (r >= 0)
                r = build_argv_envp(launch, plan, err);
        if (r >= 0)
                r = build_caps(launch, plan, err);
        if (r >= 0)
                r = build_landlock(launch, plan, err);
        if (r >= 0)
                r = build_listener(launch, plan, err);
        /* The policy's program goes in last: it may deny seccomp(2) itself. */
        if (r >= 0)
                r = plan_stacked_programs(launch, plan, err);
        if (r >= 0)
                r = plan_policy_program(launch, plan, err);
        if (r < 0)
                return r;
        *ret_plan = TAKE_PTR(plan);
        return 0;
}

int launch_plan_get(sealexec_launch *launch, const struct launch_plan **ret_plan,
                    sealexec_error *err)
{
        if (launch && launch->plan) {
                *ret_plan = launch->plan;
                return 0;
        }
        struct launch_plan *plan = NULL;
        int r = plan_build(launch, &plan, err);
        if (r < 0)
                return r;
        launch->plan = plan;
        *ret_plan = plan;
        return 0;
}

SEALEXEC_API int sealexec_launch_prepare(sealexec_launch *launch, sealexec_error *err)
{
        const struct launch_plan *plan;
        return launch_plan_get(launch, &plan, err);
}

SEALEXEC_API int sealexec_launch_exec_fd(sealexec_launch *launch, sealexec_error *err)
{
        const struct launch_plan *plan;
        int r = launch_plan_get(launch, &plan, err);
        return r < 0 ? r : plan->exec_fd;
}
