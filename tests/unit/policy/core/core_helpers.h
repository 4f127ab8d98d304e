/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the policy core tests: build policies, run verdicts. */
#ifndef SEALEXEC_TESTS_CORE_HELPERS_H
#define SEALEXEC_TESTS_CORE_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "bpf_sim.h"
#include "policy/policy.h"

#define RET_ALLOW        SECCOMP_RET_ALLOW
#define RET_KILL_PROCESS SECCOMP_RET_KILL_PROCESS
#define RET_ERRNO(e)     (SECCOMP_RET_ERRNO | (e))

#ifdef __x86_64__
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

static inline struct policy_action act(enum policy_action_kind kind, uint32_t data)
{
        return (struct policy_action){.kind = kind, .data = data};
}

static inline struct policy_cmp cmp(unsigned arg, enum policy_cmp_op op, uint64_t value,
                                    uint64_t value2, bool low32)
{
        return (struct policy_cmp){
            .arg = arg, .op = op, .value = value, .value2 = value2, .low32 = low32};
}

/* Adds a rule with one clause of n comparisons (n == 0: unconditional). */
static inline void add_rule(struct sealexec_policy *p, const char *name, struct policy_action a,
                            size_t n, const struct policy_cmp *cmps)
{
        struct policy_clause clause = {.n_cmps = n, .cmps = (struct policy_cmp *)cmps};
        struct policy_rule rule = {.syscall_name = (char *)name,
                                   .action = a,
                                   .n_clauses = n ? 1 : 0,
                                   .clauses = n ? &clause : NULL,
                                   .origin = {.file = (char *)"test.policy", .line = 7, .col = 1}};
        sealexec_error err = {0};
        assert_int_equal(policy_add_rule(p, &rule, &err), 0);
}

struct compiled {
        struct sock_filter *prog;
        size_t n;
};

static inline struct compiled compile_ctx(const struct sealexec_policy *p, int launch_fd,
                                          uint64_t caps)
{
        struct policy_compile_ctx ctx = {.launch_fd = launch_fd, .kept_caps = caps};
        struct compiled c = {0};
        sealexec_error err = {0};
        void *prog = NULL;
        int r = policy_compile_bpf(p, &ctx, &prog, &c.n, &err);
        if (r < 0)
                fail_msg("compile failed: %s", err.message);
        c.prog = prog;
        return c;
}

/* The verdict for one call on an audit arch. */
static inline uint32_t verdict_arch(const struct compiled *c, uint32_t arch, int nr, uint64_t a0,
                                    uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
        struct bpf_sim_call call = {.nr = nr, .arch = arch, .args = {a0, a1, a2, a3, a4, 0}};
        int64_t r = bpf_sim_run(c->prog, c->n, &call);
        assert_true(r >= 0);
        return (uint32_t)r;
}

#define verdict(c, nr, ...) verdict_arch((c), NATIVE_AUDIT_ARCH, (nr), __VA_ARGS__)

#endif
