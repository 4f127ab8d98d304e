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
 * number X (hard RLIMIT_NOFILE - 1). The launch's own descriptors (the
 * Landlock ruleset, the seccomp listener's socket) wait above them, used
 * before exec. Those and the executed fd (unless it is a "#!" script, which
 * the kernel reads after exec) are close-on-exec; every other one is read
 * after exec (by the payload, the kernel's "#!" handling, the interpreter or
 * ld.so).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/error.h"
#include "common/io.h"
#include "loader/payload.h"
#include "sandbox/fds.h"
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

/* Files start above every kept and mapped number (and at 3 at the lowest). */
static void compute_base(const sealexec_launch *launch, struct fd_plan *ret)
{
        fd_plan_compute(launch->keep_fds, launch->n_keep_fds, launch->n_files, ret);
        for (size_t i = 0; i < launch->n_fd_maps; i++)
                if (launch->fd_maps[i].child + 1 > ret->base)
                        ret->base = launch->fd_maps[i].child + 1;
        ret->payload_fd = ret->base + (int)launch->n_files;
}

static void layout(const sealexec_launch *launch, struct launch_plan *plan)
{
        struct fd_plan fdp;
        compute_base(launch, &fdp);
        plan->base = fdp.base;
        plan->payload_fd = fdp.payload_fd;
        plan->interp_fd = -1;
        for (size_t i = 0; i < launch->n_fd_maps; i++)
                add_move(plan, launch->fd_maps[i].parent, launch->fd_maps[i].child, true,
                         "mapped fd");
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

static int cmp_int(const void *a, const void *b)
{
        int x = *(const int *)a, y = *(const int *)b;
        return (x > y) - (x < y);
}

/* 0, 1, 2, the kept and mapped fds and every planned number: sorted, unique. */
static int build_keep(const sealexec_launch *launch, struct launch_plan *plan)
{
        int top = plan->exec_stage_fd > plan->payload_fd ? plan->exec_stage_fd : plan->payload_fd;
        size_t cap = 3 + launch->n_keep_fds + launch->n_fd_maps + (size_t)(top - plan->base) + 1;
        int *keep = calloc(cap, sizeof(*keep));
        if (!keep)
                return -ENOMEM;
        size_t n = 0;
        for (int std = 0; std < 3; std++)
                keep[n++] = std;
        for (size_t i = 0; i < launch->n_keep_fds; i++)
                keep[n++] = launch->keep_fds[i];
        for (size_t i = 0; i < launch->n_fd_maps; i++)
                keep[n++] = launch->fd_maps[i].child;
        for (int fd = plan->base; fd <= top; fd++)
                keep[n++] = fd;
        qsort(keep, n, sizeof(*keep), cmp_int);
        size_t unique = 0;
        for (size_t i = 0; i < n; i++)
                if (unique == 0 || keep[unique - 1] != keep[i])
                        keep[unique++] = keep[i];
        plan->keep = keep;
        plan->n_keep = unique;
        plan->keep_cap = cap;
        return 0;
}

static bool is_map_parent(const sealexec_launch *launch, int fd)
{
        for (size_t i = 0; i < launch->n_fd_maps; i++)
                if (launch->fd_maps[i].parent == fd)
                        return true;
        return false;
}

/* No descriptor of sealexec's own may be handed over as a kept or mapped one. */
static int check_kept(const sealexec_launch *launch, const struct launch_plan *plan,
                      sealexec_error *err)
{
        for (size_t i = launch->n_fd_maps; i < plan->n_moves; i++)
                if (fd_in(plan->moves[i].src, launch->keep_fds, launch->n_keep_fds) ||
                    is_map_parent(launch, plan->moves[i].src))
                        return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED,
                                        "prepare: fds: kept or mapped fd %d is sealexec's own "
                                        "descriptor (the sealed %s)",
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
        /* Maps, files, payload, interpreter, exec, the Landlock ruleset, the listener. */
        size_t max_moves = launch->n_fd_maps + launch->n_files + 5;
        plan->moves = calloc(max_moves, sizeof(*plan->moves));
        plan->scratch = calloc(max_moves, sizeof(*plan->scratch));
        if (!plan->moves || !plan->scratch)
                return se_oom(err, "prepare");
        layout(launch, plan);
        if (build_keep(launch, plan) < 0)
                return se_oom(err, "prepare");
        return check_kept(launch, plan, err);
}

int plan_fds_add_internal(struct launch_plan *plan, int fd, const char *role, int *ret_slot,
                          sealexec_error *err)
{
        int slot = plan->keep[plan->n_keep - 1] + 1;
        if (plan->nofile_lowered && plan->exec_fd <= slot)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "prepare: exec fd: the hard RLIMIT_NOFILE (%d) leaves no "
                                "descriptor above the launch's descriptors and the %s "
                                "(highest %d)",
                                plan->exec_fd + 1, role, slot);
        if (array_reserve(&plan->keep, &plan->keep_cap, plan->n_keep + 1, sizeof(*plan->keep)) < 0)
                return se_oom(err, "prepare");
        plan->keep[plan->n_keep++] = slot; /* the highest: the list stays sorted */
        /* Before the exec move, which stays last. */
        plan->moves[plan->n_moves] = plan->moves[plan->n_moves - 1];
        plan->moves[plan->n_moves - 1] =
            (struct plan_fd_move){.src = fd, .dst = slot, .inherit = false, .role = role};
        plan->n_moves++;
        *ret_slot = slot;
        return 0;
}

int plan_fds_add_ruleset(struct launch_plan *plan, sealexec_error *err)
{
        return plan_fds_add_internal(plan, plan->ruleset_fd, "landlock ruleset",
                                     &plan->ruleset_slot, err);
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

/* A caller's descriptor that stays at its number (kept, or a mapped target). */
static bool kept_by_caller(const struct launch_plan *plan, int fd)
{
        /* The keep list holds the caller's fds below base; planned numbers from base on. */
        return fd < plan->base && fd_in(fd, plan->keep, plan->n_keep);
}

static bool is_move_target(const struct launch_plan *plan, int fd)
{
        for (size_t i = 0; i < plan->n_moves; i++)
                if (plan->moves[i].dst == fd)
                        return true;
        return false;
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
        /* The old numbers go, unless a kept descriptor lives there. */
        for (size_t i = 0; i < plan->n_moves; i++)
                if (!kept_by_caller(plan, plan->moves[i].src) ||
                    is_move_target(plan, plan->moves[i].src))
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
                if (fd <= 2 || !kept_by_caller(plan, fd) || is_move_target(plan, fd))
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

int plan_payload_fd(const struct launch_plan *plan)
{
        return plan->exec_kind == PLAN_EXEC_PAYLOAD ? plan->exec_fd : plan->payload_fd;
}

const char *plan_payload_role(const struct launch_plan *plan)
{
        bool inherit = plan->moves[plan->n_moves - 1].inherit;
        if (plan->exec_kind != PLAN_EXEC_PAYLOAD)
                return plan->exec_kind == PLAN_EXEC_LDSO && plan->interp_fd < 0
                           ? "inherited, read by the sealed ld.so"
                           : "inherited, read by the interpreter";
        return inherit ? "executed, inherited by the interpreter the kernel starts"
                       : "executed, close-on-exec";
}
