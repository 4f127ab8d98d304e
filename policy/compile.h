/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compile.h - a policy in a launch context -> a seccomp BPF program.
 *
 * sealexec's own generator (bpf-gen.c) is the compiler; libseccomp
 * (compile.c, POLICY_BACKEND_LIBSECCOMP) is kept as a reference backend and
 * for `explain --pfc`. eval.c gives the same meaning directly, as the
 * reference the tests hold both to.
 */
#ifndef SEALEXEC_POLICY_COMPILE_H
#define SEALEXEC_POLICY_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "policy/ir.h"

/* Which code generator turns a policy into BPF. */
enum policy_backend {
        /* sealexec's own (bpf-gen.c): first match natively, exact 64-bit
         * comparisons, linear time. The default. */
        POLICY_BACKEND_SEALEXEC,
        /* libseccomp through policy_compile(): kept for comparison; 2.5.4
         * miscompiles 64-bit range and != comparisons and can loop without
         * end on some rule sets, so never use it for untrusted policies. */
        POLICY_BACKEND_LIBSECCOMP,
};

/*
 * Compiles to a classic BPF program: ret_prog receives a malloc'd array of
 * struct sock_filter (caller frees), ret_len its instruction count. For a
 * precompiled policy this is a copy of the program. Uses
 * POLICY_BACKEND_SEALEXEC, in process (it runs in linear time on any policy).
 */
int policy_compile_bpf(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                       void **ret_prog, size_t *ret_len, sealexec_error *err);

/* The same with a chosen backend. */
int policy_compile_bpf_backend(const struct sealexec_policy *policy,
                               const struct policy_compile_ctx *ctx, enum policy_backend backend,
                               void **ret_prog, size_t *ret_len, sealexec_error *err);

/*
 * Builds a libseccomp filter for the policy in the given context.
 * ret_ctx receives a filter owned by the caller (seccomp_release()).
 * Not valid for no_filter or precompiled (n_bpf > 0) policies.
 */
int policy_compile(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                   scmp_filter_ctx *ret_ctx, sealexec_error *err);

/* seccomp_export_bpf() into malloc'd memory; ret_len in instructions. */
int policy_export_ctx_bpf(scmp_filter_ctx sctx, void **ret_prog, size_t *ret_len,
                          sealexec_error *err);

/* --- questions about a policy in a context (compile.c) -------------------- */

/*
 * Whether the first rule for `name` that applies in ctx (capabilities) is an
 * unconditional allow, or no rule applies and the default allows.
 */
bool policy_allows_unconditionally(const struct sealexec_policy *policy,
                                   const struct policy_compile_ctx *ctx, const char *name);

/* SCMP_ACT_* for an action. */
uint32_t policy_scmp_action(const struct policy_action *action);

/* Whether a rule's capability includes/excludes hold in this context. */
bool policy_rule_applies(const struct policy_rule *rule, const struct policy_compile_ctx *ctx);

/*
 * 0 when the rule's syscall is known on this machine or on `arch` (not on an
 * architecture is fine: the rule is left out there); -EINVAL naming the rule
 * ("FILE:LINE:COL: unknown syscall") when it is known nowhere, a typo.
 */
int policy_rule_known(const struct policy_rule *rule, uint32_t arch, sealexec_error *err);

/* The rule's file for messages ("<builtin>" without one). */
const char *policy_rule_file(const struct policy_rule *rule);

/* Whether compiling in `ctx` adds the launch rule, and the rule itself
 * (built in caller-provided storage). */
bool policy_needs_launch_rule(const struct sealexec_policy *policy,
                              const struct policy_compile_ctx *ctx);
void policy_launch_rule(int launch_fd, struct policy_rule *rule, struct policy_clause *clause,
                        struct policy_cmp cmps[2]);

#endif
