/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy.h - the policy seam.
 *
 * Every policy source (the built-in profiles, minijail's text format, OCI and
 * Docker JSON) is parsed into the same intermediate form, struct
 * sealexec_policy: an ordered list of rules, each naming one syscall, an
 * action and an optional condition on its arguments. Nothing here touches
 * the kernel; compile.c turns a policy plus the launch context (the payload
 * fd for the launch rule, the capabilities kept) into a BPF program
 * (bpf-gen.c; eval.c computes the same meaning directly, as the reference
 * the tests hold it to), and sandbox/ loads that.
 *
 * Semantics, shared by all formats:
 *   - Rules for one syscall are tried in the order they were added; the first
 *     whose condition matches decides. A rule with no condition always matches.
 *   - A syscall no rule matches gets default_action.
 *   - Architectures other than those listed get bad_arch_action.
 */
#ifndef SEALEXEC_POLICY_H
#define SEALEXEC_POLICY_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <seccomp.h>

#include "sealexec.h"

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
        unsigned arg; /* 0..5 */
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
        char *syscall_name; /* as written; resolved by compile.c */
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

/* --- building a policy (policy.c) -------------------------------------- */

/* ret_policy receives an empty policy: default kill-process, native arch. */
int policy_new(const char *name, struct sealexec_policy **ret_policy, sealexec_error *err);

/*
 * Appends a rule; the rule's pointers (name, clauses, origin.file) are copied,
 * so the caller keeps ownership of what it passed.
 */
int policy_add_rule(struct sealexec_policy *policy, const struct policy_rule *rule,
                    sealexec_error *err);

int policy_add_arch(struct sealexec_policy *policy, uint32_t scmp_arch, sealexec_error *err);

/* Human-readable action name, e.g. "allow", "errno(38)", "kill-process". */
const char *policy_action_name(const struct policy_action *action, char *buf, size_t size);

/*
 * Whether the first rule for `name` that applies in ctx (capabilities) is an
 * unconditional allow, or no rule applies and the default allows (compile.c).
 */
bool policy_allows_unconditionally(const struct sealexec_policy *policy,
                                   const struct policy_compile_ctx *ctx, const char *name);

/* --- built-in profiles (profiles.c) ------------------------------------- */

int policy_profile_load(const char *name, struct sealexec_policy **ret_policy, sealexec_error *err);

/* --- compiling (compile.c) ---------------------------------------------- */

/*
 * Builds a libseccomp filter for the policy in the given context.
 * ret_ctx receives a filter owned by the caller (seccomp_release()).
 * Not valid for no_filter or precompiled (n_bpf > 0) policies.
 */
int policy_compile(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                   scmp_filter_ctx *ret_ctx, sealexec_error *err);

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
 * POLICY_BACKEND_SEALEXEC.
 */
int policy_compile_bpf(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                       void **ret_prog, size_t *ret_len, sealexec_error *err);

/* The same with a chosen backend. */
int policy_compile_bpf_backend(const struct sealexec_policy *policy,
                               const struct policy_compile_ctx *ctx, enum policy_backend backend,
                               void **ret_prog, size_t *ret_len, sealexec_error *err);

/*
 * Readable description for `policy explain` and `run --dry-run`: default
 * action, architectures, per-syscall actions (with the launch rule), skipped
 * names, instruction count; with `pfc`, libseccomp's pseudo filter code too.
 * ret_text receives malloc'd text owned by the caller.
 */
int policy_describe(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                    bool pfc, char **ret_text, sealexec_error *err);

/*
 * Compiles to BPF the way every caller should: policy_compile_bpf(), in
 * process (sealexec's generator runs in linear time on any policy).
 */
int policy_compile_any(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                       void **ret_prog, size_t *ret_len, sealexec_error *err);

/* Name of an SCMP_ARCH_* token ("x86_64"), or "unknown" (describe.c). */
const char *policy_arch_name(uint32_t scmp_arch);

/* Writes a rule's condition ("arg1 == 0x5412 && ...") to f; nothing if unconditional. */
void policy_print_condition(FILE *f, const struct policy_rule *rule);

/*
 * The machine-readable explanation (explain-json.c), shape documented in
 * docs/sealexec-policy.5.scd: ret_json receives a new jansson object
 * (json_decref()).
 */
struct json_t;
int policy_describe_json(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                         struct json_t **ret_json, sealexec_error *err);

/*
 * Reads fd to its end into a malloc'd, NUL-terminated buffer (load.c), for
 * policy files and the files they @include: -EFBIG once it holds more than
 * `max` bytes, so a file that grows while it is read cannot exhaust memory.
 */
int policy_read_capped(int fd, size_t max, char **ret_buf, size_t *ret_len);

/* --- diagnostics (diag.c) ------------------------------------------------ */

/*
 * Collects every error of a parse ("FILE:LINE:COL: message\n" each) for
 * `policy check`. Parsers given a NULL collector stop at the first error.
 */
struct policy_diag {
        char *text; /* NUL-terminated, malloc'd; NULL while empty */
        size_t len;
        size_t cap;
        unsigned count;
};

int policy_diag_add(struct policy_diag *diag, const char *file, unsigned line, unsigned col,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void policy_diag_done(struct policy_diag *diag);

/* --- parsers (text.c, json.c), chosen by content in load.c --------------- */

/*
 * Both parsers: on failure return a negative errno with err->message set to
 * the first "FILE:LINE:COL: message"; when `diag` is not NULL they go on
 * after an error where they can and add every error to it.
 * `constants_path` (text only, may be NULL) is a minijail constants.json.
 */
int policy_parse_text(const char *path, const char *text, size_t len, const char *constants_path,
                      struct policy_diag *diag, struct sealexec_policy **ret_policy,
                      sealexec_error *err);
int policy_parse_json(const char *path, const char *text, size_t len, struct policy_diag *diag,
                      struct sealexec_policy **ret_policy, sealexec_error *err);

/* --- additions by the policy core ---------------------------------------- */

/*
 * Records a name the policy lists but that cannot be used on this machine
 * (skipped, shown by `explain`). Copied; duplicates are ignored.
 */
int policy_add_skipped(struct sealexec_policy *policy, const char *name, sealexec_error *err);

/*
 * Syscall names <-> numbers (syscalls.c; see policy/syscalls.h):
 * policy_syscall_resolve(name, SCMP_ARCH_NATIVE) returns the number (possibly
 * a negative libseccomp pseudo number < -1 for a syscall of another arch) or
 * -ENOENT when the name is unknown. Parsers use it to reject unknown names.
 */
int policy_syscall_resolve(const char *name, uint32_t scmp_arch);

#endif
