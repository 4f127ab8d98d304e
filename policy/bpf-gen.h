/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-gen.h - sealexec's own seccomp BPF code generator (bpf-gen.c). */
#ifndef SEALEXEC_POLICY_BPF_GEN_H
#define SEALEXEC_POLICY_BPF_GEN_H

#include <stddef.h>

#include <linux/filter.h>

#include "policy/ir.h"

/*
 * Compiles a policy in a context to a classic-BPF seccomp program with the
 * meaning eval.c gives it. ret_prog receives a malloc'd array (caller frees),
 * ret_len its instruction count. -E2BIG, naming the policy, when the program
 * would not fit in the kernel's BPF_MAXINSNS.
 */
int policy_bpf_generate(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                        struct sock_filter **ret_prog, size_t *ret_len, sealexec_error *err);

#endif
