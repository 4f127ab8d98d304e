/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * launch.h - the sandbox: confinement settings and the ordered sequence that
 * applies them and executes the sealed payload.
 *
 * Every helper that only computes something (parsing, planning descriptor
 * numbers, building argv and envp, predicting what a step will do) is kept
 * apart from the helpers that change the state of the calling process, so the
 * former can be unit-tested in place and the latter in forked children.
 */
#ifndef SEALEXEC_SANDBOX_LAUNCH_H
#define SEALEXEC_SANDBOX_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* What the capability step does with the bounding set (see caps_plan_bounding()). */
enum caps_bounding_plan {
        CAPS_BOUNDING_DROP,          /* drop every cap not kept (needs CAP_SETPCAP) */
        CAPS_BOUNDING_ALREADY,       /* nothing beyond the kept caps is in it */
        CAPS_BOUNDING_UNCHANGED_NNP, /* cannot drop, but nothing can be gained */
        CAPS_BOUNDING_REFUSE,        /* cannot drop and something could be gained */
};

struct sealexec_launch {
        sealexec_payload *payload;
        struct launch_file *files;
        size_t n_files;

        char **argv; /* NULL-terminated copy */
        size_t argc;
        char *argv0; /* override of argv[0], or NULL */

        struct launch_env_edit *env_edits;
        size_t n_env_edits;

        int *keep_fds; /* sorted ascending, no duplicates */
        size_t n_keep_fds;

        struct launch_fd_map *fd_maps; /* parent fd -> payload fd (fds.c) */
        size_t n_fd_maps;

        char **envp; /* explicit environment (set_envp), or NULL: the caller's environ */

        char *chdir;

        struct launch_rlimit *rlimits;
        size_t n_rlimits;

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

/* --- descriptors (fds.c) -------------------------------------------------- */

/* Where the files and the payload land: files at base+i, payload at base+n_files. */
struct fd_plan {
        int base;
        size_t n_files;
        int payload_fd;
};

/* keep_fds sorted ascending. Pure. */
void fd_plan_compute(const int *keep_fds, size_t n_keep_fds, size_t n_files,
                     struct fd_plan *ret_plan);

/* Closes every descriptor except 0, 1, 2 and those in `keep` (sorted ascending). */
int fds_close_others(const int *keep, size_t n_keep, sealexec_error *err);

/* Same, without close_range(), for kernels that lack it (also used by tests). */
int fds_close_others_fallback(const int *keep, size_t n_keep, sealexec_error *err);

/* --- argv and environment (argv.c, env.c) --------------------------------- */

/* A declared file name and its final fd, for "%{NAME}" substitution. */
struct subst_entry {
        const char *name;
        int fd;
};

/*
 * Copies `text` with every "%{NAME}" of a declared NAME replaced by
 * "/proc/self/fd/N" and every "%%{" by a literal "%{". Everything else,
 * including "%{" of an undeclared name or without a closing brace, is copied
 * as it is. Pure.
 */
int subst_expand(const char *text, const struct subst_entry *entries, size_t n_entries,
                 char **ret_text, sealexec_error *err);

/*
 * The argv the payload receives: argv with substitutions, argv[0] replaced by
 * argv0 when it is not NULL. ret_argv is NULL-terminated; free with strv_free().
 */
int argv_build(char *const *argv, const char *argv0, const struct subst_entry *entries,
               size_t n_entries, char ***ret_argv, sealexec_error *err);

/* Applies the edits in order to a copy of `base`, substituting in values. Pure. */
int envp_build(char *const *base, const struct launch_env_edit *edits, size_t n_edits,
               const struct subst_entry *entries, size_t n_entries, char ***ret_envp,
               sealexec_error *err);

/* Checks an environment variable name: non-empty and without '='. */
bool env_name_is_valid(const char *name, size_t len);

/* -EBUSY: a setting changed after sealexec_launch_prepare() (launch.c). */
int launch_busy(sealexec_error *err);

void strv_free(char **strv);

/*
 * The last step of building a NULL-terminated vector of n strdup()ed
 * entries: if any entry is NULL (out of memory) everything is freed and
 * -ENOMEM recorded for `what`; otherwise *ret_strv receives strv.
 */
int strv_check_built(char **strv, size_t n, char ***ret_strv, const char *what,
                     sealexec_error *err);
static inline void strv_freep(char ***strv)
{
        strv_free(*strv);
}
char **strv_copy(char *const *strv);
size_t strv_length(char *const *strv);

/* --- resource limits (rlimit.c) ------------------------------------------- */

/* Parses "NAME=SOFT[:HARD]" as prlimit(1) spells it. Pure. */
int rlimit_parse(const char *spec, struct launch_rlimit *ret_limit, sealexec_error *err);

/* The prlimit(1) name of an RLIMIT_* value, or NULL. */
const char *rlimit_name(int resource);

/* Formats a value as a number or "unlimited". */
const char *rlimit_format_value(rlim_t value, char *buf, size_t size);

/* setrlimit() each, in order. */
int rlimits_apply(const struct launch_rlimit *limits, size_t n_limits, sealexec_error *err);

/* --- user and group (user.c) ---------------------------------------------- */

/*
 * A name or a number; ret_gid receives the user's primary group (the number
 * itself for a uid without an entry). Unknown names: -ENOENT. The _in forms
 * read root_fd's /etc/passwd and /etc/group instead of the host's NSS when
 * root_fd >= 0 (passwd-file.c).
 */
int user_resolve(const char *user, uid_t *ret_uid, gid_t *ret_gid, sealexec_error *err);
int group_resolve(const char *group, gid_t *ret_gid, sealexec_error *err);
int user_resolve_in(int root_fd, const char *user, uid_t *ret_uid, gid_t *ret_gid,
                    sealexec_error *err);
int group_resolve_in(int root_fd, const char *group, gid_t *ret_gid, sealexec_error *err);

/* passwd-file.c: the files(5) format, without NSS. */
int id_file_read(int root_fd, const char *path, char **ret_text, size_t *ret_len,
                 sealexec_error *err);
/* The id in field `id_field` (2) of the line for `name`; ret_gid (may be NULL) field 3. */
int id_file_lookup(const char *text, size_t len, const char *name, unsigned id_field,
                   uint32_t *ret_id, uint32_t *ret_gid);
/* The gid (field 3) of the passwd line with uid `uid`. */
int id_file_lookup_uid_gid(const char *text, size_t len, uint32_t uid, uint32_t *ret_gid);

/*
 * setgroups([gid]), setresgid, setresuid (with PR_SET_KEEPCAPS so the
 * capability step can still choose what to keep), then checks the result.
 * set_uid false: only the groups and the gid change.
 */
int user_switch(bool set_uid, uid_t uid, gid_t gid, sealexec_error *err);

/* Same, with an explicit supplementary group list (at most SEALEXEC_GROUPS_MAX). */
int user_switch_groups(bool set_uid, uid_t uid, gid_t gid, const gid_t *groups, size_t n_groups,
                       sealexec_error *err);

/* --- capabilities (caps.c) ------------------------------------------------ */

/* Pure: what to do with the bounding set. */
enum caps_bounding_plan caps_plan_bounding(bool have_setpcap, bool permitted_empty,
                                           bool target_is_root, uint64_t bounding, uint64_t kept);

const char *caps_bounding_plan_describe(enum caps_bounding_plan plan);

/* The highest capability the kernel knows (/proc/sys/kernel/cap_last_cap). */
int caps_last_cap(void);

/* The current bounding set as a mask. */
uint64_t caps_read_bounding(int last_cap);

/* Reads the calling thread's permitted set. */
int caps_read_permitted(uint64_t *ret_permitted, sealexec_error *err);

/* --- no_new_privs, seccomp, threads (nnp.c, seccomp.c, threads.c) --------- */

int nnp_apply(sealexec_error *err);

/* --- root of the initial user namespace (root-guard.c) ------------------- */

/* Whether uid maps to uid 0 of the parent user namespace (or this is the initial one). */
bool root_guard_maps_to_root(uid_t uid);

/* Refuses a payload uid that is root of the host unless allow_root. */
int root_guard_check(const sealexec_launch *launch, uid_t payload_uid, sealexec_error *err);

/* Empties the signal mask and resets ignored signals to SIG_DFL (signals.c). */
int signals_reset(sealexec_error *err);

/* --new-session: setsid(), refused with a clear message for a group leader. */
int session_apply(sealexec_error *err);

/* --- /proc/self/status without stdio (proc-status.c) ---------------------- */

/* Opens it (O_CLOEXEC); -errno with the step named. */
int proc_status_open(sealexec_error *err);
/* Reads it whole from offset 0 into buf (NUL-terminated); -EIO when empty. */
int proc_status_pread(int fd, char *buf, size_t size);
/* proc_status_open() + proc_status_pread() + close, with the error recorded. */
int proc_status_read(char *buf, size_t size, sealexec_error *err);
/* The decimal value of "Key:" in the text, or -1. */
long proc_status_field(const char *text, const char *key);

/* Threads == 1 in a status text (unless allowed) and TracerPid == 0 (tracer.c). */
int status_check_text(const char *text, bool check_threads, sealexec_error *err);

/* ret_threads receives the "Threads:" count of /proc/self/status. */
int threads_count(unsigned *ret_threads, sealexec_error *err);

/* Refuses unless the calling process has exactly one thread. */
int threads_check_single(sealexec_error *err);

/* --- shared by exec.c and describe.c -------------------------------------- */

/*
 * The payload whose memfd is executed: the one place that decides which fd
 * execveat() gets (exec-once moves exactly that fd; a sealed interpreter,
 * when set, is the one executed instead of the script).
 */
sealexec_payload *launch_exec_payload(const sealexec_launch *launch);

/* --- sealed interpreter (script-interpreter.c) ----------------------------- */

/* Frees what sealexec_launch_set_interpreter() recorded. */
void launch_interpreter_done(sealexec_launch *launch);
/* Refuses an interpreter without a "#!" payload (the payload may have changed). */
int launch_interpreter_check(const sealexec_launch *launch, sealexec_error *err);

/*
 * [#! interpreter, optional argument, "/dev/fd/<script_fd>", argv[1]...]
 * from the built argv, as the kernel would make it. Pure; free with strv_free().
 */
int interpreter_argv_build(const sealexec_launch *launch, int script_fd, char *const *argv,
                           char ***ret_argv, sealexec_error *err);
/* The "interpreter:" lines of describe() for a "#!" payload (nothing for ELF). */
int interpreter_describe(FILE *out, const sealexec_launch *launch, const struct fd_plan *plan,
                         sealexec_error *err);

/* The substitution table for a plan. */
int launch_subst_entries(const sealexec_launch *launch, const struct fd_plan *plan,
                         struct subst_entry **ret_entries, sealexec_error *err);

#endif
