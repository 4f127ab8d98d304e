/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * landlock.h - the Landlock step of the sandbox.
 *
 * Where the kernel has Landlock, the payload always enters a Landlock domain:
 * even without any filesystem rule, a domain keeps the payload from ptrace and
 * from its parent's /proc/PID/mem, paths that a seccomp filter does not see.
 * The ruleset is built before confinement starts (while the caller's
 * descriptors and credentials are still those it added paths with) and is
 * enforced right after no_new_privs, which landlock_restrict_self() needs.
 */
#ifndef SEALEXEC_SANDBOX_LANDLOCK_H
#define SEALEXEC_SANDBOX_LANDLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sealexec.h"

/* One --ro/--rw path: opened with O_PATH when it was added. */
struct landlock_path_rule {
        char *path; /* as given, for messages and describe() */
        int fd;     /* O_PATH|O_CLOEXEC, owned */
        bool writable;
};

/* The Landlock settings of a launch. Zeroed means: best-effort, both scopes on. */
struct launch_landlock {
        sealexec_landlock_mode mode;
        unsigned scopes_off; /* SEALEXEC_SCOPE_* turned off (zero: both on) */
        struct landlock_path_rule *paths;
        size_t n_paths, paths_cap;
};

/* Kernel values, defined here because older uapi headers lack them. */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (UINT64_C(1) << 0)
#define LL_SCOPE_SIGNAL               (UINT64_C(1) << 1)
#define LL_ACCESS_FS_REFER            (UINT64_C(1) << 13)
#define LL_ACCESS_FS_TRUNCATE         (UINT64_C(1) << 14)
#define LL_ACCESS_FS_IOCTL_DEV        (UINT64_C(1) << 15)

/* What the Landlock step will do, computed without changing anything. */
struct landlock_plan {
        int abi;              /* 0: the kernel lacks Landlock */
        bool domain;          /* the payload enters a Landlock domain */
        bool refuse;          /* require mode and something requested is missing */
        uint64_t handled_fs;  /* LANDLOCK_ACCESS_FS_* the ruleset handles */
        uint64_t scoped;      /* LANDLOCK_SCOPE_* set in the ruleset */
        unsigned scopes;      /* SEALEXEC_SCOPE_* enforced */
        unsigned scopes_lost; /* SEALEXEC_SCOPE_* requested but not in this ABI */
        uint64_t fs_lost;     /* fs rights sealexec handles that this ABI lacks */
        bool placeholder;     /* only MAKE_BLOCK handled, so the ruleset is not empty */
        bool fs_rules;        /* --ro/--rw given: filesystem access is restricted */
        bool no_exec;         /* exec guard: EXECUTE handled, granted nowhere */
};

/* The highest Landlock ABI of the running kernel, 0 when it has none. */
int landlock_abi(void);

/* Every filesystem right a ruleset of this ABI can handle (0 for ABI 0). Pure. */
uint64_t landlock_fs_rights(int abi);

/* Rights allowed beneath a rule: read-only or all handled, narrowed for a file. Pure. */
uint64_t landlock_rule_rights(uint64_t handled, bool writable, bool is_dir);

/* Computes the plan for a kernel ABI. Pure. */
void landlock_plan_compute(int abi, sealexec_landlock_mode mode, unsigned scopes_off, bool fs_rules,
                           struct landlock_plan *ret_plan);

/*
 * Builds the ruleset for a launch (nothing when the plan has no domain; then
 * *ret_ruleset_fd is -1): a close-on-exec descriptor owned by the caller, which
 * the plan's descriptor step moves to a planned number of its own
 * (plan_fds_add_ruleset()). Refuses per the plan.
 */
int landlock_prepare(const sealexec_launch *launch, bool no_exec, int *ret_ruleset_fd,
                     sealexec_error *err);

/* The exec guard's change to a plan: EXECUTE handled and granted nowhere. Pure. */
void landlock_plan_no_exec(struct landlock_plan *plan, bool no_exec);

/*
 * Enters the domain (needs no_new_privs), then closes the ruleset and sets
 * *ruleset_fd to -1. Nothing when *ruleset_fd < 0.
 */
int landlock_enforce_fd(int ruleset_fd, sealexec_error *err);

/* One "landlock: ..." line (and notes) for sealexec_launch_describe(). */
void landlock_describe(FILE *out, const sealexec_launch *launch, bool no_exec);

/* Closes the path descriptors and frees the settings. */
void launch_landlock_done(struct launch_landlock *ll);

#endif
