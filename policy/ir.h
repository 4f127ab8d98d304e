/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ir.h - the intermediate form every policy source is turned into.
 *
 * Every policy source (the built-in profiles, minijail's text format, OCI and
 * Docker JSON) is parsed into the same struct sealexec_policy: an ordered
 * list of rules, each naming one syscall, an action and an optional
 * condition on its arguments. Nothing here touches the kernel or libseccomp:
 * compile.h turns a policy plus the launch context into a BPF program, and
 * sandbox/ loads that.
 *
 * Semantics, shared by all formats:
 *   - Rules for one syscall are tried in the order they were added; the first
 *     whose condition matches decides. A rule with no condition always matches.
 *   - A syscall no rule matches gets default_action.
 *   - Architectures other than those listed get bad_arch_action.
 */
#ifndef SEALEXEC_POLICY_IR_H
#define SEALEXEC_POLICY_IR_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sealexec.h"

/* A syscall has at most six arguments (struct seccomp_data's args[6]). */
#define POLICY_MAX_ARGS 6

enum policy_action_kind {
        POLICY_ACT_ALLOW,
        POLICY_ACT_ERRNO, /* data = errno */
        POLICY_ACT_KILL_PROCESS,
        POLICY_ACT_KILL_THREAD,
        POLICY_ACT_TRAP,
        POLICY_ACT_TRACE, /* data = tracer message */
        POLICY_ACT_LOG,
        POLICY_ACT_USER_NOTIF,
};

struct policy_action {
        enum policy_action_kind kind;
        uint32_t data;
};

enum policy_cmp_op {
        POLICY_CMP_EQ, /* arg == value */
        POLICY_CMP_NE, /* arg != value */
        POLICY_CMP_LT, /* arg <  value (unsigned) */
        POLICY_CMP_LE,
        POLICY_CMP_GT,
        POLICY_CMP_GE,
        POLICY_CMP_MASKED_EQ, /* (arg & value) == value2  (OCI SCMP_CMP_MASKED_EQ) */
        POLICY_CMP_ANY_BITS,  /* (arg & value) != 0       (minijail '&') */
        POLICY_CMP_IN,        /* (arg & ~value) == 0      (minijail 'in') */
};

/* One comparison of one argument. */
struct policy_cmp {
        unsigned arg; /* 0 .. POLICY_MAX_ARGS - 1 */
        enum policy_cmp_op op;
        uint64_t value;
        uint64_t value2;
        /*
         * Compare only the low 32 bits: for arguments that are C ints, whose
         * upper half the caller may leave zero or sign-extended, and which
         * the kernel reads as 32 bits. policy_add_rule() sets it for every
         * argument the kernel declares as a 32-bit integer (argwidth.h).
         */
        bool low32;
};

/* A conjunction of comparisons. */
struct policy_clause {
        size_t n_cmps;
        struct policy_cmp *cmps;
};

/* Where a rule came from, for messages and `policy explain`. */
struct policy_origin {
        char *file; /* may be NULL for built-in profiles */
        unsigned line;
        unsigned col;
};

struct policy_rule {
        char *syscall_name; /* as written; resolved again by each compiler per architecture */
        int syscall_nr;     /* native number, or a negative libseccomp pseudo number */
        struct policy_action action;
        /*
         * The condition, as a disjunction of clauses (OR of ANDs). No clauses
         * means unconditional.
         */
        size_t n_clauses;
        struct policy_clause *clauses;
        /*
         * Docker's includes/excludes by capability, resolved at compile time
         * against the capabilities kept: the rule applies only when every cap
         * in caps_required is kept and no cap in caps_excluded is.
         * Bit n is capability n.
         */
        uint64_t caps_required;
        uint64_t caps_excluded;
        struct policy_origin origin;
};

struct sealexec_policy {
        char *name; /* profile name or file path */
        /* A built-in profile (not read from a file). */
        bool builtin;
        /* true for "none": no filter is loaded at all. */
        bool no_filter;
        struct policy_action default_action;
        struct policy_action bad_arch_action;
        /* SCMP_ARCH_* tokens; empty means the native architecture only. */
        size_t n_arches;
        uint32_t *arches;
        /* SECCOMP_FILTER_FLAG_* the policy asks for (TSYNC, LOG, SPEC_ALLOW, ...). */
        uint32_t filter_flags;
        size_t n_rules;
        size_t rules_allocated; /* capacity of rules[]: grows geometrically */
        struct policy_rule *rules;
        /*
         * Names a JSON profile lists that libseccomp does not know for this
         * architecture: skipped, and shown by `explain` and `run -v`.
         */
        size_t n_skipped;
        size_t skipped_allocated; /* capacity of skipped_names[] */
        char **skipped_names;
        /* A precompiled program (sealexec_policy_load_bpf): loaded as it is. */
        size_t n_bpf;
        void *bpf; /* struct sock_filter[n_bpf] */
        /*
         * Set when sealexec itself compiled the program (sealexec_policy_compile):
         * what it was compiled for, so a launch can check it matches and plan
         * the launch rule and exec guard as for the source policy.
         */
        bool bpf_known;
        int bpf_launch_fd;      /* the launch rule's fd, or -1 */
        bool bpf_launch_rule;   /* the source needed the launch rule */
        bool bpf_execve_open;   /* the source allowed execve unconditionally */
        uint64_t bpf_kept_caps; /* the capabilities it was compiled for */
        /* Extra owners (sealexec_policy_ref()); freed when the last one lets go. */
        unsigned refs;
};

/*
 * The flags of sealexec's own launch, execveat(fd, "", argv, envp, flags),
 * which the launch rule requires exactly. AT_SYMLINK_NOFOLLOW makes the rule
 * useless to anyone else: with a path, the kernel ignores the fd of an
 * absolute one, but refuses (ELOOP) a final component that is a symlink, and
 * every memfd (/proc/self/fd/N, /proc/self/exe) is reachable by path only
 * through such a magic link. With "" and AT_EMPTY_PATH the flag changes
 * nothing for the launch itself.
 */
#define POLICY_LAUNCH_FLAGS (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)

/* The context a policy is compiled in. */
struct policy_compile_ctx {
        /*
         * The payload's memfd. >= 0: add the launch rule (execveat with exactly
         * this fd and AT_EMPTY_PATH is allowed), unless the policy already
         * allows execveat unconditionally. -1: no launch rule.
         */
        int launch_fd;
        /* Capabilities that the payload keeps (bit n = capability n). */
        uint64_t kept_caps;
};

/* ret_policy receives an empty policy: default kill-process, native arch. */
int policy_new(const char *name, struct sealexec_policy **ret_policy, sealexec_error *err);

/*
 * Whether a rule can enter the IR: 0, or -EINVAL with the reason (without a
 * location) in `reason`.
 */
int policy_rule_check(const struct policy_rule *rule, char *reason, size_t size);

/*
 * Appends a rule; the rule's pointers (name, clauses, origin.file) are copied,
 * so the caller keeps ownership of what it passed. A rule policy_rule_check()
 * refuses fails with "FILE:LINE:COL: reason" (its origin).
 */
int policy_add_rule(struct sealexec_policy *policy, const struct policy_rule *rule,
                    sealexec_error *err);

int policy_add_arch(struct sealexec_policy *policy, uint32_t scmp_arch, sealexec_error *err);

/* Human-readable action name, e.g. "allow", "errno(38)", "kill-process". */
const char *policy_action_name(const struct policy_action *action, char *buf, size_t size);

/*
 * Whether an action lets a syscall through (allow, log, trace): never a
 * default of an allow-list.
 */
bool policy_action_permissive(const struct policy_action *action);

#endif
