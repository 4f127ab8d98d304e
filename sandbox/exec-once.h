/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec-once.h - after the launch, neither the payload nor anything it forks
 * can execute a program, without any monitor process.
 *
 * The executed memfd is moved to fd X = (hard RLIMIT_NOFILE - 1) and the hard
 * limit is lowered to X, so no later descriptor can ever be numbered X (raising
 * it again needs CAP_SYS_RESOURCE, which the launch drops). A second seccomp
 * filter, stacked after the policy's, denies execve and allows execveat only
 * with arg0 == X (a full 64-bit comparison). The launch itself passes; after
 * it X is closed by close-on-exec and cannot come back. A "#!" payload keeps
 * X open for its interpreter, so a script can only re-execute itself.
 */
#ifndef SEALEXEC_SANDBOX_EXEC_ONCE_H
#define SEALEXEC_SANDBOX_EXEC_ONCE_H

#include <stdbool.h>

#include "sandbox/launch.h"

/* Refuses settings exec-once cannot honour (CAP_SYS_RESOURCE kept). Pure. */
int exec_once_check(const sealexec_launch *launch, sealexec_error *err);

/*
 * The fd X the executed memfd will sit at: the hard RLIMIT_NOFILE of a
 * "nofile" --rlimit if there is one, else the current hard limit, minus one.
 * Refuses when X would not lie above every descriptor the launch keeps.
 */
int exec_once_target_fd(const sealexec_launch *launch, const struct fd_plan *plan, int *ret_fd,
                        sealexec_error *err);

/*
 * The confinement step, after the rlimits: moves *fd to X (close-on-exec
 * unless `inherit`), closes the old number, lowers the hard RLIMIT_NOFILE to
 * X. *fd receives X, also when a later part fails.
 */
int exec_once_place(const sealexec_launch *launch, const struct fd_plan *plan, int *fd,
                    bool inherit, sealexec_error *err);

/* The second filter: execve denied, execveat allowed only on exec_fd. */
int exec_once_filter_apply(int exec_fd, bool tsync, sealexec_error *err);

#endif
