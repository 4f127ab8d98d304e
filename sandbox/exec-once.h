/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec-once.h - after the launch, neither the payload nor anything it forks
 * can execute a program, without any monitor process.
 *
 * The mechanism is the exec guard of exec-guard.c (Landlock grants execute
 * nowhere, memfds only with MFD_NOEXEC_SEAL, dynamic payloads started
 * through a sealed ld.so, scripts through their sealed interpreter), plus a
 * stacked seccomp filter that denies execve and allows execveat only on the
 * executed fd X = hard RLIMIT_NOFILE - 1, a number no later descriptor can
 * take because the hard limit is lowered to X (raising it again needs
 * CAP_SYS_RESOURCE, which must not be kept).
 */
#ifndef SEALEXEC_SANDBOX_EXEC_ONCE_H
#define SEALEXEC_SANDBOX_EXEC_ONCE_H

#include <stdbool.h>

#include "sandbox/launch.h"

/* Refuses settings exec-once cannot honour (CAP_SYS_RESOURCE kept). Pure. */
int exec_once_check(const sealexec_launch *launch, sealexec_error *err);

#endif
