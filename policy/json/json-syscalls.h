/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The syscalls[] entries of an OCI / Docker seccomp profile, and actions. */
#ifndef SEALEXEC_POLICY_JSON_SYSCALLS_H
#define SEALEXEC_POLICY_JSON_SYSCALLS_H

#include "json-ctx.h"

/*
 * An action name plus its optional errno/trace value (errno_ret.v NULL when
 * absent), as runc reads them: SCMP_ACT_KILL is kill-thread; SCMP_ACT_ERRNO
 * and SCMP_ACT_TRACE without a value use EPERM; a value on any other action
 * is an error. `is_default` for defaultAction (SCMP_ACT_NOTIFY is refused).
 */
int json_parse_action(struct json_ctx *c, struct jval action, struct jval errno_ret,
                      const char *what, const char *errno_what, bool is_default,
                      struct policy_action *ret);

/* syscalls[i]: appends its rules to c->policy (or skips it, see json-arches.h). */
int json_parse_syscall_entry(struct json_ctx *c, struct jval entry, size_t i);

#endif
