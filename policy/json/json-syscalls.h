/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The syscalls[] entries of an OCI / Docker seccomp profile, and actions. */
#ifndef SEALEXEC_POLICY_JSON_SYSCALLS_H
#define SEALEXEC_POLICY_JSON_SYSCALLS_H

#include "policy/json/json-ctx.h"

/*
 * The members that make an action: "action" with its optional "errnoRet" and
 * "errno" (in syscalls[] entries), or "defaultAction", "defaultErrnoRet" and
 * "defaultErrno" (at the top). A jval's v is NULL when the member is absent.
 */
struct json_action_src {
        struct jval action, errno_ret, errno_name;
        const char *what, *ret_what, *name_what; /* their names in messages */
        bool is_default;                         /* SCMP_ACT_NOTIFY is refused */
};

/*
 * An action as runc reads it: SCMP_ACT_KILL is kill-thread; SCMP_ACT_ERRNO
 * and SCMP_ACT_TRACE without a value use EPERM; a value on any other action
 * is an error. errnoRet is 16 bits, as SECCOMP_RET_DATA (the kernel returns
 * at most 4095 for an errno: a larger one draws a warning). containers/common's
 * errno name ("EPERM") is accepted for SCMP_ACT_ERRNO; with errnoRet too, the
 * two must agree.
 */
int json_parse_action(struct json_ctx *c, const struct json_action_src *src,
                      struct policy_action *ret);

/* syscalls[i]: appends its rules to c->policy (or skips it, see json-arches.h). */
int json_parse_syscall_entry(struct json_ctx *c, struct jval entry, size_t i);

#endif
