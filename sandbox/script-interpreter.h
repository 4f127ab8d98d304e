/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * script-interpreter.h - executing a "#!" payload through its sealed
 * interpreter (--seal-interpreter, script-interpreter.c).
 */
#ifndef SEALEXEC_SANDBOX_SCRIPT_INTERPRETER_H
#define SEALEXEC_SANDBOX_SCRIPT_INTERPRETER_H

#include <stdio.h>

#include "sandbox/fds.h"
#include "sandbox/launch.h"

/* Frees what sealexec_launch_set_interpreter() recorded. */
void launch_interpreter_done(sealexec_launch *launch);
/* Refuses an interpreter without a "#!" payload (the payload may have changed). */
int launch_interpreter_check(const sealexec_launch *launch, sealexec_error *err);

/*
 * [#! interpreter, optional argument, "/dev/fd/<script_fd>", argv[1]...]
 * from the built argv, as the kernel would make it. Pure; free with strv_free().
 */
int interpreter_argv_build(const sealexec_launch *launch, int script_fd, char *const *argv,
                           char ***ret_argv, sealexec_error *err);
/* The "interpreter:" lines of describe() for a "#!" payload (nothing for ELF). */
int interpreter_describe(FILE *out, const sealexec_launch *launch, const struct fd_plan *plan,
                         sealexec_error *err);

#endif
