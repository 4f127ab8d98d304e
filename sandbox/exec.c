/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec_launch_exec(): the ordered confinement sequence, then execveat().
 *
 * Everything that can fail without changing the process (loading the default
 * policy, building argv and envp) happens before the first step, so most
 * errors leave the caller untouched. From the first step on, each failure
 * returns at once: the payload never runs in a half-confined process.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"
#include "loader/payload.h"
#include "policy/policy.h"
#include "sandbox/exec-once.h"
#include "sandbox/launch.h"

extern char **environ;

sealexec_payload *launch_exec_payload(const sealexec_launch *launch)
{
        return launch->interpreter ? launch->interpreter : launch->payload;
}

static void strv_freep(char ***strv)
{
        strv_free(*strv);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

int launch_open_fds(const sealexec_launch *launch, const struct fd_plan *plan, int **ret_fds,
                    size_t *ret_n)
{
        size_t cap = 3 + launch->n_keep_fds + plan->n_files + 1, n = 0;
        int *fds = calloc(cap, sizeof(*fds));
        if (!fds)
                return -ENOMEM;
        size_t k = 0;
        /* Merge 0, 1, 2 with the sorted kept fds, then the planned range above them. */
        for (int std = 0; std < 3; std++) {
                while (k < launch->n_keep_fds && launch->keep_fds[k] < std)
                        fds[n++] = launch->keep_fds[k++];
                if (k < launch->n_keep_fds && launch->keep_fds[k] == std)
                        k++;
                fds[n++] = std;
        }
        while (k < launch->n_keep_fds)
                fds[n++] = launch->keep_fds[k++];
        for (int fd = plan->base; fd <= plan->payload_fd; fd++)
                fds[n++] = fd;
        *ret_fds = fds;
        *ret_n = n;
        return 0;
}

int launch_subst_entries(const sealexec_launch *launch, const struct fd_plan *plan,
                         struct subst_entry **ret_entries, sealexec_error *err)
{
        struct subst_entry *entries = calloc(launch->n_files + 1, sizeof(*entries));
        if (!entries)
                return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED, "launch: out of memory");
        for (size_t i = 0; i < launch->n_files; i++)
                entries[i] = (struct subst_entry){
                    .name = launch->files[i].name,
                    .fd = plan->base + (int)i,
                };
        *ret_entries = entries;
        return 0;
}

static int check_ready(sealexec_launch *launch, sealexec_error *err)
{
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "exec: no launch");
        if (!launch->payload)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "exec: no payload set");
        if (!launch->argv || !launch->argv[0])
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "exec: no argv set");
        int r0 = launch_interpreter_check(launch, err);
        if (r0 < 0)
                return r0;
        if (launch->policy)
                return 0;
        int r = policy_profile_load("default", &launch->policy, err);
        return r < 0 ? se_error_prefix(err, r, "confine: seccomp") : 0;
}

/* Step 1: descriptors. Updates the payloads' fds to their new numbers. */
static int step_fds(sealexec_launch *launch, const struct fd_plan *plan, int ruleset_fd,
                    sealexec_error *err)
{
        size_t n = launch->n_files + 1;
        _cleanup_free_ int *sources = calloc(n, sizeof(*sources));
        _cleanup_free_ int *open_fds = NULL;
        size_t n_open;
        if (!sources || launch_open_fds(launch, plan, &open_fds, &n_open) < 0)
                return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED,
                                "confine: fds: out of memory");
        for (size_t i = 0; i < launch->n_files; i++)
                sources[i] = launch->files[i].payload->fd;
        sources[launch->n_files] = launch->payload->fd;

        /* A sealed interpreter first goes above the plan, out of fds_place()'s way. */
        int r = interpreter_fd_lift(launch, plan, err);
        if (r < 0)
                return r;
        /* A script's interpreter opens /dev/fd/N, so its fd must survive the exec. */
        r = fds_place(plan, sources, launch->keep_fds, launch->n_keep_fds,
                      launch->payload->is_script, err);
        for (size_t i = 0; i < launch->n_files; i++)
                launch->files[i].payload->fd = sources[i];
        launch->payload->fd = sources[launch->n_files];
        if (r < 0)
                return r;
        /* The Landlock ruleset waits above every planned fd until its step (sorted last). */
        if (ruleset_fd >= 0) {
                int *more = reallocarray(open_fds, n_open + 1, sizeof(*more));
                if (!more)
                        return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED,
                                        "confine: fds: out of memory");
                open_fds = more;
                open_fds[n_open++] = ruleset_fd;
        }
        r = interpreter_keep_open(launch, &open_fds, &n_open, err);
        if (r < 0)
                return r;
        return fds_close_others(open_fds, n_open, err);
}

static int step_chdir(const sealexec_launch *launch, sealexec_error *err)
{
        if (launch->chdir && chdir(launch->chdir) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "confine: chdir '%s'",
                                      launch->chdir);
        return 0;
}

/* Steps 1-7, in order. */
static int confine(sealexec_launch *launch, const struct fd_plan *plan, int *ruleset_fd,
                   sealexec_error *err)
{
        /* First: the payload must not keep the launcher's controlling terminal. */
        int r = launch->new_session ? session_apply(err) : 0;
        if (r < 0)
                return r;
        r = step_fds(launch, plan, *ruleset_fd, err);
        if (r < 0)
                return r;
        r = step_chdir(launch, err);
        if (r < 0)
                return r;
        r = rlimits_apply(launch->rlimits, launch->n_rlimits, err);
        if (r < 0)
                return r;
        sealexec_payload *exec = launch_exec_payload(launch);
        /* After the rlimits, so that X follows a --rlimit nofile hard value. */
        r = launch->exec_once ? exec_once_place(launch, plan, &exec->fd, exec->is_script, err) : 0;
        if (r < 0)
                return r;
        if (launch->have_uid || launch->have_gid) {
                gid_t gid = launch->have_gid ? launch->gid : getgid();
                r = user_switch(launch->have_uid, launch->uid, gid, err);
                if (r < 0)
                        return r;
        }
        r = caps_apply(launch->keep_caps, &launch->bounding_result, err);
        if (r < 0)
                return r;
        r = nnp_apply(err);
        if (r < 0)
                return r;
        /* After no_new_privs (restrict_self needs it), before seccomp (which may deny it). */
        r = landlock_enforce(ruleset_fd, err);
        if (r < 0)
                return r;
        r = seccomp_apply_tsync(launch->policy, exec->fd, launch->keep_caps, launch->allow_threads,
                                err);
        if (r < 0)
                return r;
        /* Stacked after the policy's own filter, so it holds whatever the policy is. */
        return launch->exec_once ? exec_once_filter_apply(exec->fd, launch->allow_threads, err) : 0;
}

SEALEXEC_API int sealexec_launch_exec(sealexec_launch *launch, sealexec_error *err)
{
        int r = launch && launch->allow_threads ? 0 : threads_check_single(err);
        if (r < 0)
                return r;
        r = check_ready(launch, err);
        if (r < 0)
                return r;

        struct fd_plan plan;
        fd_plan_compute(launch->keep_fds, launch->n_keep_fds, launch->n_files, &plan);
        _cleanup_free_ struct subst_entry *entries = NULL;
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_strv_free_ char **envp = NULL;
        r = launch_subst_entries(launch, &plan, &entries, err);
        if (r >= 0)
                r = argv_build(launch->argv, launch->argv0, entries, launch->n_files, &argv, err);
        if (r >= 0)
                r = envp_build(environ, launch->env_edits, launch->n_env_edits, entries,
                               launch->n_files, &envp, err);
        if (r >= 0 && launch->interpreter) {
                char **interp_argv = NULL;
                r = interpreter_argv_build(launch, plan.payload_fd, argv, &interp_argv, err);
                if (r >= 0) {
                        strv_free(argv);
                        argv = interp_argv;
                }
        }
        if (r < 0)
                return r;
        if (launch->exec_once) {
                int exec_once_fd;
                r = exec_once_check(launch, err);
                if (r >= 0)
                        r = exec_once_target_fd(launch, &plan, &exec_once_fd, err);
                if (r < 0)
                        return r;
        }

        /* Built before confinement, with the caller's fds and credentials (landlock.h). */
        _cleanup_close_ int ruleset_fd = -1;
        r = landlock_prepare(launch, &plan, &ruleset_fd, err);
        if (r < 0)
                return r;
        r = confine(launch, &plan, &ruleset_fd, err);
        if (r < 0)
                return r;

        execveat(launch_exec_payload(launch)->fd, "", argv, envp, AT_EMPTY_PATH);
        const sealexec_payload *failed = launch_exec_payload(launch);
        return se_error_errno(err, -errno, SEALEXEC_ERROR_CANNOT_EXECUTE, "exec: %s '%s'",
                              launch->interpreter ? "interpreter" : "payload",
                              failed->name ? failed->name : "?");
}
