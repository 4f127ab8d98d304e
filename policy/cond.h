/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Conditions in disjunctive normal form over what libseccomp can compare.
 *
 * libseccomp can express neither ordered rules nor two comparisons of the same
 * argument in one rule, so compile.c rewrites each rule's condition into
 * disjoint alternatives (see compile.c). The building block is a constraint on
 * one 64-bit argument: a range lo..hi and a "cube" (x & mask) == val. Both
 * are closed under AND, so a conjunction keeps one of each per argument and
 * contradictions are found as soon as they appear.
 */
#ifndef SEALEXEC_POLICY_COND_H
#define SEALEXEC_POLICY_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "policy/ir.h"

/* Alternatives allowed per syscall and rule before sealexec gives up. */
#define COND_MAX_CONJ 4096
/*
 * libseccomp rules emitted for one syscall. Each costs at least two or three BPF
 * instructions and the kernel takes at most BPF_MAXINSNS, so more could never load;
 * libseccomp also slows down badly with thousands of rules for one syscall.
 */
#define COND_MAX_EMIT 512

struct cond_arg {
        bool has_range;
        bool has_cube;
        uint64_t lo, hi;
        uint64_t mask, val;
};

/* A conjunction; an argument with neither flag set is unconstrained. */
struct cond_conj {
        struct cond_arg args[POLICY_MAX_ARGS];
};

/* A disjunction: no conjunction is "false", one empty conjunction is "true". */
struct cond_dnf {
        size_t n, cap;
        struct cond_conj *v;
};

void cond_dnf_done(struct cond_dnf *dnf);
int cond_dnf_true(struct cond_dnf *dnf);

/* dnf = dnf AND (the comparison, or its negation). -E2BIG past the cap. */
int cond_and_cmp(struct cond_dnf *dnf, const struct policy_cmp *cmp, bool negate);

/* dnf = dnf AND (rule condition, or its negation); n_clauses == 0 is "true". */
int cond_and_rule(struct cond_dnf *dnf, const struct policy_rule *rule, bool negate);

/*
 * Calls `emit` once per libseccomp rule: every conjunction, split into
 * comparisons with at most one per argument. *count adds up the rules of one
 * syscall. Returns the first error of emit, or -E2BIG past COND_MAX_EMIT.
 */
typedef int (*cond_emit_fn)(void *userdata, unsigned n, const struct scmp_arg_cmp *cmps);
int cond_emit(const struct cond_dnf *dnf, cond_emit_fn emit, void *userdata, unsigned *count);

#endif
