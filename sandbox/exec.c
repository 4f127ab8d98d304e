/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec_launch_exec(): applies the prepared plan in order, then
 * execveat().
 *
 * Everything that can fail without changing the process (checks, names,
 * allocations, compiling seccomp programs, the Landlock ruleset) happened in
 * sealexec_launch_prepare() (plan.c). What runs here makes system calls only,
 * so it is safe in a child forked from a multithreaded parent. From the
 * first step on, each failure returns at once: the payload never runs in a
 * half-confined process.
 *
 * Two helpers the plan and the dry run use live here too, outside the exec
 * path: launch_exec_payload() (what is executed) and launch_subst_entries()
 * (the "%{NAME}" table, which allocates).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/error.h"
#include "loader/payload.h"
#include "policy/policy.h"
#include "sandbox/env.h"
#include "sandbox/fds.h"
#include "sandbox/ids.h"
#include "sandbox/landlock.h"
#include "sandbox/plan.h"
#include "sandbox/process.h"
#include "sandbox/rlimit.h"

sealexec_payload *launch_exec_payload(const sealexec_launch *launch)
{
        return launch->interpreter ? launch->interpreter : launch->payload;
}

int launch_subst_entries(const sealexec_launch *launch, const struct fd_plan *plan,
                         struct subst_entry **ret_entries, sealexec_error *err)
{
        struct subst_entry *entries = calloc(launch->n_files + 1, sizeof(*entries));
        if (!entries)
                return se_oom(err, "launch");
        for (size_t i = 0; i < launch->n_files; i++)
                entries[i] = (struct subst_entry){
                    .name = launch->files[i].name,
                    .fd = plan->base + (int)i,
                };
        *ret_entries = entries;
        return 0;
}

/*
 * One read of /proc/self/status: the thread count (unless threads are
 * allowed) and TracerPid, before anything changes. Then no new ptrace attach
 * and no /proc/PID/fd opening by the same user; an attach that raced this is
 * caught by the second tracer check.
 */
static int step_status_protect(const struct launch_plan *plan, sealexec_error *err)
{
        char buf[4096];
        int r = proc_status_read(buf, sizeof(buf), err);
        if (r >= 0)
                r = status_check_text(buf, plan->check_threads, err);
        if (r >= 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                r = se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                   "confine: protect: PR_SET_DUMPABLE");
        return r;
}

static int step_chdir(const struct launch_plan *plan, sealexec_error *err)
{
        if (plan->chdir && chdir(plan->chdir) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "confine: chdir '%s'",
                                      plan->chdir);
        return 0;
}

/* The process steps: each returns at the first failure. */
static int confine_process(const struct launch_plan *plan, sealexec_error *err)
{
        int r = step_status_protect(plan, err);
        /* The payload must not keep the launcher's controlling terminal. */
        if (r >= 0 && plan->new_session)
                r = session_apply(err);
        if (r >= 0 && plan->reset_signals)
                r = signals_reset(err);
        if (r >= 0)
                r = plan_fds_apply(plan, err);
        if (r >= 0)
                r = step_chdir(plan, err);
        if (r >= 0)
                r = rlimits_apply(plan->rlimits, plan->n_rlimits, err);
        /* After the rlimits, so that X follows a --rlimit nofile hard value. */
        if (r >= 0)
                r = plan_exec_fd_apply(plan, err);
        if (r >= 0 && plan->switch_ids)
                r = user_switch_groups(plan->set_uid, plan->uid, plan->gid, plan->groups,
                                       plan->n_groups, err);
        return r;
}

/* The privilege steps, last before exec. */
static int confine_privileges(const struct launch_plan *plan, int status_fd, sealexec_error *err)
{
        int r = caps_apply_planned(plan, err);
        if (r >= 0)
                r = nnp_apply(err);
        /* After no_new_privs (restrict_self needs it), before seccomp (which may deny it). */
        if (r >= 0)
                r = landlock_enforce_fd(plan->ruleset_slot, err);
        /* Once more, before seccomp may deny the read: an attach shows by now. */
        if (r >= 0)
                r = tracer_check_fd(status_fd, err);
        if (r >= 0)
                r = plan_seccomp_apply(plan, err);
        return r;
}

static int plan_apply(const struct launch_plan *plan, sealexec_error *err)
{
        int r = confine_process(plan, err);
        /* Opened before Landlock, whose rules may hide /proc; closed on exec. */
        int status_fd = r >= 0 ? proc_status_open(err) : -1;
        if (status_fd < 0)
                return r < 0 ? r : status_fd;
        r = confine_privileges(plan, status_fd, err);
        if (r < 0)
                return r;
        execveat(plan->exec_fd, "", plan->argv, plan->envp, POLICY_LAUNCH_FLAGS);
        return se_error_errno(err, -errno, SEALEXEC_ERROR_CANNOT_EXECUTE, "exec: %s '%s'",
                              plan->moves[plan->n_moves - 1].role, plan->exec_name);
}

SEALEXEC_API int sealexec_launch_exec(sealexec_launch *launch, sealexec_error *err)
{
        const struct launch_plan *plan;
        int r = launch_plan_get(launch, &plan, err);
        if (r < 0)
                return r;
        return plan_apply(plan, err);
}
