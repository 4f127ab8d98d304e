/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The options of `sealexec run`, parsed without side effects: nothing is
 * opened or loaded here, so parsing is unit-testable and errors in any option
 * are reported before anything is done.
 */
#ifndef SEALEXEC_CLI_RUN_OPTIONS_H
#define SEALEXEC_CLI_RUN_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* An edit of the environment or another ordered setting, kept in command-line order. */
enum run_env_op { RUN_ENV_SET, RUN_ENV_UNSET, RUN_ENV_CLEAR };

struct run_env_edit {
        enum run_env_op op;
        const char *value; /* "K=V" for SET, "K" for UNSET, NULL for CLEAR */
};

struct run_fd_map {
        int parent;
        int child;
};

struct run_landlock_path {
        const char *path;
        bool writable;
};

struct run_options {
        /* The payload: argv[0..] of the command line after the options. */
        char **command;
        int payload_fd; /* --fd N, or -1 */
        uint64_t max_size;
        const char *digest;
        const char *argv0;
        const char *chdir;
        const char *user;
        const char *group;
        const char *profile;
        const char *policy_path;
        const char *bpf_path;
        const char *constants_path;
        const char *root;
        bool seal_interpreter;
        bool exec_once;
        bool new_session;
        bool landlock_require;
        bool no_scope_signals;
        bool no_scope_abstract_unix;
        bool allow_root;   /* --allow-root */
        bool keep_signals; /* --keep-signals */
        bool deny_unix;    /* --deny-unix */
        const char *hold_socket; /* --hold PATH */
        bool hold_require;       /* --hold=require */
        bool hold_off;           /* --hold=off: ignore $SEALEXEC_HOLD_SOCKET */
        bool dry_run;
        bool json; /* --json: --dry-run prints JSON */
        bool verbose;
        bool help;

        size_t n_files;
        struct cli_file_spec *files;
        size_t n_keep_fds;
        int *keep_fds;
        size_t n_fd_maps;
        struct run_fd_map *fd_maps; /* --fd-map PARENT:CHILD, in order */
        const char *groups;         /* --groups */
        bool ids_from_root;         /* --ids-from-root */
        const char *seccomp_listener; /* --seccomp-listener PATH */
        size_t n_env;
        struct run_env_edit *env;
        size_t n_rlimits;
        const char **rlimits;
        size_t n_caps;
        const char **caps;
        /* --ro and --rw paths, in order. */
        size_t n_landlock_paths;
        struct run_landlock_path *landlock_paths;
};

/*
 * Parses argv (argv[0] is "run"). Values point into argv, which must outlive
 * the options (--file values are split in place). On error returns -EINVAL
 * with a one-line message in errbuf.
 */
int run_options_parse(int argc, char **argv, struct run_options *ret_options, char *errbuf,
                      size_t errsize);

/* Frees the arrays of a parsed run_options. Accepts a zeroed struct. */
void run_options_done(struct run_options *options);

/* The text of `sealexec run --help`. */
extern const char run_usage[];

#endif
