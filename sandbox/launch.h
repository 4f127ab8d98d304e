/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * launch.h - the settings of a launch (struct sealexec_launch), as the
 * sealexec_launch_set_*() calls record them.
 *
 * The steps have headers of their own, so that each file includes what it
 * uses: fds.h (descriptors), env.h (argv, environment, "%{NAME}"), rlimit.h,
 * ids.h (user, groups, passwd files), caps.h, process.h (session, signals,
 * no_new_privs, threads, root guard, /proc/self/status), landlock.h,
 * script-interpreter.h, exec-once.h; plan.h is the prepared plan and
 * exec.c applies it in order.
 */
#ifndef SEALEXEC_SANDBOX_LAUNCH_H
#define SEALEXEC_SANDBOX_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "sandbox/landlock.h"
#include "sealexec.h"

enum launch_env_op {
        LAUNCH_ENV_SET,   /* text is "NAME=VALUE" */
        LAUNCH_ENV_UNSET, /* text is "NAME" */
        LAUNCH_ENV_CLEAR, /* text is NULL */
};

struct launch_env_edit {
        enum launch_env_op op;
        char *text;
};

struct launch_file {
        char *name; /* [A-Za-z0-9_.-]+, unique within the launch */
        sealexec_payload *payload;
};

struct launch_fd_map {
        int parent; /* the caller's descriptor (borrowed until the launch) */
        int child;  /* the number the payload sees it at */
};

struct launch_rlimit {
        int resource; /* RLIMIT_* */
        struct rlimit limit;
};

struct sealexec_launch {
        sealexec_payload *payload;
        struct launch_file *files;
        size_t n_files, files_cap;

        char **argv; /* NULL-terminated copy */
        size_t argc;
        char *argv0; /* override of argv[0], or NULL */

        struct launch_env_edit *env_edits;
        size_t n_env_edits, env_edits_cap;

        int *keep_fds; /* sorted ascending, no duplicates */
        size_t n_keep_fds, keep_fds_cap;

        struct launch_fd_map *fd_maps; /* parent fd -> payload fd (fds.c) */
        size_t n_fd_maps, fd_maps_cap;

        char **envp; /* explicit environment (set_envp), or NULL: the caller's environ */

        char *chdir;

        struct launch_rlimit *rlimits;
        size_t n_rlimits, rlimits_cap;

        bool have_uid;
        uid_t uid;
        bool have_gid;
        gid_t gid;
        bool gid_from_user; /* the gid is the user's primary group, not set_group() */
        gid_t *groups;      /* explicit supplementary groups (set_groups), or NULL: [gid] */
        size_t n_groups;
        bool have_groups;
        int ids_root_fd; /* resolve names in this root's /etc files (owned), or -1 */

        uint64_t keep_caps;

        struct sealexec_policy *policy; /* NULL: the "default" profile */

        struct launch_landlock landlock; /* see sandbox/landlock.h */

        bool exec_once;     /* see sandbox/exec-once.h */
        bool new_session;   /* setsid() first (session.c) */
        bool allow_threads; /* skip the single-thread check, load filters with TSYNC */
        bool allow_root;    /* let the payload be uid 0 of the initial user namespace */
        bool keep_signals;  /* keep the inherited signal mask and SIG_IGN dispositions */
        bool deny_unix;     /* stacked filter: socket(AF_UNIX) fails (deny-unix.c) */

        int listener_fd; /* socket the seccomp listener is sent to (owned), or -1 */

        /* Built by sealexec_launch_prepare() (plan.h); NULL until then. */
        struct launch_plan *plan;

        /* --seal-interpreter (script-interpreter.c): the sealed ELF interpreter of a
         * "#!" payload, executed instead of it, with the #! line's
         * interpreter path (argv[0]) and optional argument (NULL: none). */
        sealexec_payload *interpreter;
        char *interpreter_argv0;
        char *interpreter_arg;
};

/* -EBUSY: a setting changed after sealexec_launch_prepare() (launch.c). */
int launch_busy(sealexec_error *err);

/* --- shared by exec.c and describe.c -------------------------------------- */

/*
 * The payload whose memfd is executed: the one place that decides which fd
 * execveat() gets (exec-once moves exactly that fd; a sealed interpreter,
 * when set, is the one executed instead of the script).
 */
sealexec_payload *launch_exec_payload(const sealexec_launch *launch);

#endif
