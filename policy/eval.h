/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eval.h - the meaning of a policy, computed directly from the intermediate
 * form: the reference every compiled program is checked against.
 *
 * Also the two things the interpreter and the BPF generator (bpf-gen.c) must
 * agree on and therefore share: which architectures a policy covers, and the
 * number each rule's syscall has on each of them.
 */
#ifndef SEALEXEC_POLICY_EVAL_H
#define SEALEXEC_POLICY_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/ir.h"

/* x32 calls come with AUDIT_ARCH_X86_64 and this bit set in the number. */
#define POLICY_X32_SYSCALL_BIT 0x40000000u

/* Most architectures a policy can list (every one libseccomp knows). */
#define POLICY_MAX_ARCHES 24

/*
 * The SCMP_ARCH_* tokens the policy covers: its list, or the native one for
 * an empty list. Refuses (naming the policy) a list without the native
 * architecture, as the payload could not even run, and tokens libseccomp
 * does not know. ret_arches needs POLICY_MAX_ARCHES entries.
 */
int policy_listed_arches(const struct sealexec_policy *policy, uint32_t *ret_arches, size_t *ret_n,
                         sealexec_error *err);

/*
 * The number of every rule's syscall on `scmp_arch`, or -1 where it has none
 * there (such rules do not exist for that architecture). An unknown name is
 * an error naming the rule's FILE:LINE:COL. ret_nrs has policy->n_rules
 * entries.
 */
int policy_rule_numbers(const struct sealexec_policy *policy, uint32_t scmp_arch, int *ret_nrs,
                        sealexec_error *err);

/*
 * The SCMP_ARCH_* token a call belongs to: its audit arch, except x86_64
 * calls with POLICY_X32_SYSCALL_BIT, which are x32 (-1 is x86_64's "no
 * syscall", like libseccomp treats it).
 */
uint32_t policy_call_arch(uint32_t audit_arch, int nr);

/* Whether one comparison holds for these arguments (low32 looks at the low
 * halves of the argument and of the values only). */
bool policy_cmp_holds(const struct policy_cmp *cmp, const uint64_t args[POLICY_MAX_ARGS]);

/* Whether a rule's condition holds: no clauses, or one clause whose
 * comparisons all hold. */
bool policy_rule_matches(const struct policy_rule *rule, const uint64_t args[POLICY_MAX_ARGS]);

/* The SECCOMP_RET_* value of an action (unknown kinds kill the process). */
uint32_t policy_action_ret(const struct policy_action *action);

/* A policy ready to be asked about calls: numbers resolved once. */
struct policy_eval;

int policy_eval_new(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                    struct policy_eval **ret_eval, sealexec_error *err);
void policy_eval_free(struct policy_eval *eval);

/*
 * The action for one call: audit_arch as the kernel puts it in
 * seccomp_data.arch, nr as in seccomp_data.nr, the six raw arguments.
 */
struct policy_action policy_eval_call(const struct policy_eval *eval, uint32_t audit_arch, int nr,
                                      const uint64_t args[POLICY_MAX_ARGS]);

/* Both in one, for a single question. */
int policy_eval(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                uint32_t audit_arch, int nr, const uint64_t args[POLICY_MAX_ARGS],
                struct policy_action *ret_action, sealexec_error *err);

#endif
