/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of compile.c shared with describe.c. */
#ifndef SEALEXEC_POLICY_COMPILE_H
#define SEALEXEC_POLICY_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"

/* SCMP_ACT_* for an action. */
uint32_t policy_scmp_action(const struct policy_action *action);

/* Whether a rule's capability includes/excludes hold in this context. */
bool policy_rule_applies(const struct policy_rule *rule, const struct policy_compile_ctx *ctx);

/* The rule's file for messages ("<builtin>" without one). */
const char *policy_rule_file(const struct policy_rule *rule);

/* Whether compiling in `ctx` adds the launch rule, and the rule itself
 * (built in caller-provided storage). */
bool policy_needs_launch_rule(const struct sealexec_policy *policy,
                              const struct policy_compile_ctx *ctx);
void policy_launch_rule(int launch_fd, struct policy_rule *rule, struct policy_clause *clause,
                        struct policy_cmp cmps[2]);

/* seccomp_export_bpf() into malloc'd memory; ret_len in instructions. */
int policy_export_ctx_bpf(scmp_filter_ctx sctx, void **ret_prog, size_t *ret_len,
                          sealexec_error *err);

#endif
