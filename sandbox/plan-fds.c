/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The descriptor layout of a launch, computed once (plan_fds_build) and
 * applied with system calls only (plan_fds_apply, plan_exec_fd_apply).
 *
 * The payload sees 0, 1, 2 and its kept fds at their numbers, then, from
 * B = 3 (or one above the highest kept fd): the files at B+i, the payload's
 * memfd at B+n_files, then what the kernel or ld.so needs beside it (the
 * sealed interpreter that ld.so reads), then the executed fd. Under the exec
 * guard or a launch rule the executed fd finally moves to the exec-once
 * number X (hard RLIMIT_NOFILE - 1). Only the executed fd is close-on-exec;
 * every other one is read after exec (by the payload, the kernel's "#!"
 * handling, the interpreter or ld.so).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "error.h"
#include "loader/payload.h"
#include "sandbox/plan.h"

static bool fd_in(int fd, const int *fds, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (fds[i] == fd)
                        return true;
        return false;
}

static void add_move(struct launch_plan *plan, int src, int dst, bool inherit, const char *role)
{
        plan->moves[plan->n_moves++] =
            (struct plan_fd_move){.src = src, .dst = dst, .inherit = inherit, .role = role};
}

/* The object execveat() runs, and whether the payload's memfd is read after exec. */
static const sealexec_payload *exec_object(const sealexec_launch *launch,
                                           const struct launch_plan *plan)
{
        if (plan->exec_kind == PLAN_EXEC_LDSO)
                return plan->ldso;
        return launch->interpreter ? launch->interpreter : launch->payload;
}

static void layout(const sealexec_launch *launch, struct launch_plan *plan)
{
        struct fd_plan fdp;
        fd_plan_compute(launch->keep_fds, launch->n_keep_fds, launch->n_files, &fdp);
        plan->base = fdp.base;
        plan->payload_fd = fdp.payload_fd;
        plan->interp_fd = -1;
        for (size_t i = 0; i < launch->n_files; i++)
                add_move(plan, launch->files[i].payload->fd, fdp.base + (int)i, true,
                         launch->files[i].name);
        int next = fdp.payload_fd + 1;
        bool payload_is_exec = exec_object(launch, plan) == launch->payload;
        /* A "#!" payload run by the kernel reads /dev/fd/N of itself after exec. */
        bool payload_inherit = !payload_is_exec || launch->payload->is_script;
        if (!payload_is_exec)
                add_move(plan, launch->payload->fd, fdp.payload_fd, true, "payload");
        if (plan->exec_kind == PLAN_EXEC_LDSO && launch->interpreter) {
                plan->interp_fd = next++;
                add_move(plan, launch->interpreter->fd, plan->interp_fd, true, "interpreter");
        }
        int stage = payload_is_exec ? fdp.payload_fd : next;
        const char *role = plan->exec_kind == PLAN_EXEC_LDSO          ? "ld.so"
                           : plan->exec_kind == PLAN_EXEC_INTERPRETER ? "interpreter"
                                                                      : "payload";
        add_move(plan, exec_object(launch, plan)->fd, stage, payload_is_exec && payload_inherit,
                 role);
        plan->exec_stage_fd = stage;
        const char *name = exec_object(launch, plan)->name;
        plan->exec_name = name ? name : "?";
        if (!plan->nofile_lowered)
                plan->exec_fd = stage;
}

/* 0, 1, 2, the kept fds and every planned number, sorted. */
static int build_keep(const sealexec_launch *launch, struct launch_plan *plan)
{
        size_t cap = 3 + launch->n_keep_fds + plan->n_moves;
        plan->keep = calloc(cap, sizeof(*plan->keep));
        if (!plan->keep)
                return -ENOMEM;
        size_t n = 0, k = 0;
        for (int std = 0; std < 3; std++) {
                while (k < launch->n_keep_fds && launch->keep_fds[k] < std)
                        plan->keep[n++] = launch->keep_fds[k++];
                if (k < launch->n_keep_fds && launch->keep_fds[k] == std)
                        k++;
                plan->keep[n++] = std;
        }
        while (k < launch->n_keep_fds)
                plan->keep[n++] = launch->keep_fds[k++];
        int top = plan->exec_stage_fd > plan->payload_fd ? plan->exec_stage_fd : plan->payload_fd;
        for (int fd = plan->base; fd <= top; fd++)
                plan->keep[n++] = fd;
        plan->n_keep = n;
        return 0;
}

/* No descriptor of sealexec's own may be handed over as a "kept" one. */
static int check_kept(const sealexec_launch *launch, const struct launch_plan *plan,
                      sealexec_error *err)
{
        for (size_t i = 0; i < plan->n_moves; i++)
                if (fd_in(plan->moves[i].src, launch->keep_fds, launch->n_keep_fds))
                        return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED,
                                        "prepare: fds: kept fd %d is sealexec's own descriptor "
                                        "(the sealed %s)",
                                        plan->moves[i].src, plan->moves[i].role);
        for (size_t i = 0; i < launch->landlock.n_paths; i++)
                if (fd_in(launch->landlock.paths[i].fd, launch->keep_fds, launch->n_keep_fds))
                        return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED,
                                        "prepare: fds: kept fd %d is sealexec's own descriptor "
                                        "(the Landlock path '%s')",
                                        launch->landlock.paths[i].fd,
                                        launch->landlock.paths[i].path);
        if (plan->nofile_lowered && plan->exec_fd <= plan->keep[plan->n_keep - 1])
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "prepare: exec fd: the hard RLIMIT_NOFILE (%d) leaves no "
                                "descriptor above the launch's descriptors (highest %d)",
                                plan->exec_fd + 1, plan->keep[plan->n_keep - 1]);
        return 0;
}

int plan_fds_build(const sealexec_launch *launch, struct launch_plan *plan, sealexec_error *err)
{
        size_t max_moves = launch->n_files + 3;
        plan->moves = calloc(max_moves, sizeof(*plan->moves));
        plan->scratch = calloc(max_moves, sizeof(*plan->scratch));
        if (!plan->moves || !plan->scratch)
                return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED, "prepare: out of memory");
        layout(launch, plan);
        if (build_keep(launch, plan) < 0)
                return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED, "prepare: out of memory");
        return check_kept(launch, plan, err);
}

static int clear_cloexec(int fd)
{
        int flags = fcntl(fd, F_GETFD);
        if (flags < 0)
                return -errno;
        if ((flags & FD_CLOEXEC) && fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
                return -errno;
        return 0;
}

static bool kept_by_caller(const struct launch_plan *plan, int fd)
{
        /* The keep list holds the caller's fds below base; planned numbers from base on. */
        return fd < plan->base && fd_in(fd, plan->keep, plan->n_keep);
}

int plan_fds_apply(const struct launch_plan *plan, sealexec_error *err)
{
        /*
         * First copy every source above all targets and kept fds, so that no
         * dup3() below can close a source or a kept descriptor that happens
         * to sit on a target number.
         */
        int above = plan->keep[plan->n_keep - 1] + 1;
        for (size_t i = 0; i < plan->n_moves; i++) {
                plan->scratch[i] = fcntl(plan->moves[i].src, F_DUPFD_CLOEXEC, above);
                if (plan->scratch[i] < 0)
                        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                              "confine: fds: copying fd %d (%s)",
                                              plan->moves[i].src, plan->moves[i].role);
        }
        for (size_t i = 0; i < plan->n_moves; i++)
                if (plan->moves[i].src != plan->ruleset_fd)
                        close(plan->moves[i].src);
        for (size_t i = 0; i < plan->n_moves; i++) {
                const struct plan_fd_move *m = &plan->moves[i];
                if (dup3(plan->scratch[i], m->dst, m->inherit ? 0 : O_CLOEXEC) < 0)
                        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                              "confine: fds: moving the %s to fd %d", m->role,
                                              m->dst);
                close(plan->scratch[i]);
        }
        for (size_t i = 0; i < plan->n_keep; i++) {
                int fd = plan->keep[i];
                if (fd <= 2 || !kept_by_caller(plan, fd))
                        continue;
                int r = clear_cloexec(fd);
                if (r < 0)
                        return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                              "confine: fds: keeping fd %d", fd);
        }
        return fds_close_others(plan->keep, plan->n_keep, err);
}

int plan_exec_fd_apply(const struct launch_plan *plan, sealexec_error *err)
{
        if (!plan->nofile_lowered)
                return 0;
        const struct plan_fd_move *exec = &plan->moves[plan->n_moves - 1];
        /* dup3() needs X below the soft limit; the soft limit may rise to the hard one. */
        if (setrlimit(RLIMIT_NOFILE, &plan->nofile_open) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec fd: raising the soft RLIMIT_NOFILE");
        if (fcntl(plan->exec_fd, F_GETFD) >= 0)
                return se_error(err, -EBUSY, SEALEXEC_ERROR_REFUSED,
                                "confine: exec fd: fd %d is already in use", plan->exec_fd);
        if (dup3(plan->exec_stage_fd, plan->exec_fd, exec->inherit ? 0 : O_CLOEXEC) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec fd: moving fd %d to %d", plan->exec_stage_fd,
                                      plan->exec_fd);
        close(plan->exec_stage_fd);
        if (setrlimit(RLIMIT_NOFILE, &plan->nofile_sealed) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec fd: lowering RLIMIT_NOFILE to %d",
                                      plan->exec_fd);
        return 0;
}
