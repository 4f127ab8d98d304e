/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The names of OCI's seccomp vocabulary: actions, operators, architectures, flags. */
#ifndef SEALEXEC_POLICY_JSON_TABLES_H
#define SEALEXEC_POLICY_JSON_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/ir.h"

/* The kernel's values, also where the installed uapi headers are older. */
#define JSON_FLAG_TSYNC              (1u << 0)
#define JSON_FLAG_LOG                (1u << 1)
#define JSON_FLAG_SPEC_ALLOW         (1u << 2)
#define JSON_FLAG_NEW_LISTENER       (1u << 3)
#define JSON_FLAG_WAIT_KILLABLE_RECV (1u << 5)

struct json_action_name {
        const char *name;
        enum policy_action_kind kind;
};
extern const struct json_action_name json_actions[];
extern const size_t json_n_actions;

struct json_op_name {
        const char *name;
        enum policy_cmp_op op;
};
extern const struct json_op_name json_ops[];
extern const size_t json_n_ops;

struct json_arch_name {
        const char *scmp_name;   /* "SCMP_ARCH_X86_64" */
        uint32_t token;          /* 0 when this libseccomp does not support it */
        const char *docker_name; /* Docker's name for it as a native arch, or NULL */
};
extern const struct json_arch_name json_arches[];
extern const size_t json_n_arches;

struct json_flag_name {
        const char *name;
        uint32_t flag;
};
extern const struct json_flag_name json_flags[];
extern const size_t json_n_flags;

const struct json_action_name *json_action_lookup(const char *name);
const struct json_op_name *json_op_lookup(const char *name);
const struct json_arch_name *json_arch_lookup(const char *scmp_name);
const struct json_arch_name *json_arch_by_token(uint32_t token);
const struct json_flag_name *json_flag_lookup(const char *name);

/*
 * The number of an errno name ("EPERM" -> 1), as containers/common's
 * "errno" / "defaultErrno" name them: the C library's names
 * (policy_errno_name()) and their aliases (EWOULDBLOCK, ENOTSUP,
 * EDEADLOCK). -ENOENT for an unknown name.
 */
int json_errno_lookup(const char *name);

#endif
