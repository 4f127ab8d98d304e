/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * equiv.h - checks that a compiled program means what the interpreter
 * (policy/eval.c) says the policy means, call by call: every syscall number
 * of every listed architecture and of a foreign one, and for the syscalls
 * the policy has rules for, argument values at every boundary those rules
 * compare against.
 */
#ifndef SEALEXEC_TESTS_GEN_EQUIV_H
#define SEALEXEC_TESTS_GEN_EQUIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/filter.h>

#include "policy/policy.h"

struct equiv_stats {
        unsigned long calls;       /* calls compared */
        unsigned long mismatches;  /* program and interpreter disagree */
        unsigned long cache_leaks; /* argument-free verdicts that loaded an argument */
        unsigned long bad_insns;   /* instructions the kernel's action cache cannot emulate */
        unsigned long malformed;   /* the simulator refused the program */
};

/*
 * Only calls the kernel can make: on 32-bit architectures the arguments'
 * upper halves are zero, and no numbers beyond the syscall tables (where
 * libseccomp and sealexec draw the x86_64/x32 line differently).
 */
#define EQUIV_KERNEL_INPUTS 1u

/*
 * Compares `prog` with the interpreter for the policy in `ctx`. Mismatches
 * are printed (at most `max_print`, prefixed by `label`).
 */
int equiv_check(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                const struct sock_filter *prog, size_t n, const char *label, unsigned max_print,
                unsigned flags, struct equiv_stats *ret_stats);

/*
 * The capability sets worth compiling the policy with: none, all, and for
 * each capability a rule names, only it and all but it. ret_sets has room
 * for 2 + 2 * 64 entries; returns how many.
 */
size_t equiv_cap_sets(const struct sealexec_policy *policy, uint64_t *ret_sets);

/*
 * libseccomp's program for the policy, compiled in a child killed after
 * `seconds` (2.5.4 can loop without end): 0, or -ETIMEDOUT / the error.
 */
int equiv_compile_libseccomp(const struct sealexec_policy *policy,
                             const struct policy_compile_ctx *ctx, unsigned seconds,
                             struct sock_filter **ret_prog, size_t *ret_len);

#endif
