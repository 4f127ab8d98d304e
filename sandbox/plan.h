/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plan.h - one launch plan, built before the first confinement step.
 *
 * sealexec_launch_prepare() computes everything a launch needs while the
 * caller is still unconfined and may allocate, read /proc, resolve names and
 * compile seccomp programs: the descriptor layout with the final exec fd,
 * argv and envp, resolved ids, capability sets, the Landlock ruleset and
 * every BPF program. The dry-run text, the dry-run JSON and the exec all read
 * this one plan, so they cannot disagree.
 *
 * Applying a plan (plan_apply(), exec.c) makes system calls only: no
 * allocation, no stdio, no fork, so it is safe in a child forked from a
 * multithreaded parent. The one file it reads is /proc/self/status, to refuse
 * a traced process (see tracer.c).
 */
#ifndef SEALEXEC_SANDBOX_PLAN_H
#define SEALEXEC_SANDBOX_PLAN_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "sandbox/caps.h"
#include "sandbox/launch.h"

/* One descriptor the payload receives: moved from `src` to `dst`. */
struct plan_fd_move {
        int src;
        int dst;
        bool inherit;     /* false: close-on-exec (the exec fd itself) */
        const char *role; /* "file NAME", "payload", "interpreter", "ld.so", "exec" */
};

/* What the kernel executes, and why (for describe() and the argv shape). */
enum plan_exec_kind {
        PLAN_EXEC_PAYLOAD,     /* the payload's memfd (ELF, or "#!" resolved by the kernel) */
        PLAN_EXEC_INTERPRETER, /* the sealed "#!" interpreter, script at /dev/fd/N */
        PLAN_EXEC_LDSO,        /* a sealed copy of the ELF interpreter (ld.so) */
};

/* A classic-BPF program to install, in order. */
struct plan_program {
        struct sock_filter *insns; /* owned */
        unsigned short len;
        unsigned flags; /* SECCOMP_FILTER_FLAG_* */
        char what[96];  /* for messages: "policy 'docker'", "exec guard" */
};

#define PLAN_MAX_PROGRAMS 4

struct launch_plan {
        /* --- descriptors ---------------------------------------------------- */
        int base;          /* first file's number */
        int payload_fd;    /* base + n_files: the payload's memfd */
        int interp_fd;     /* sealed interpreter read by ld.so, or -1 */
        int exec_fd;       /* the number execveat() uses */
        int exec_stage_fd; /* where the exec fd waits before moving to exec_fd (== exec_fd
                              unless it moves to the exec-once number) */
        struct plan_fd_move *moves;
        size_t n_moves;
        int *scratch; /* n_moves ints for plan_apply(): no allocation there */
        int *keep;    /* sorted: every fd that stays open through the fd step */
        size_t n_keep, keep_cap;
        int ruleset_fd;    /* Landlock ruleset (owned, the caller's number), or -1 */
        int ruleset_slot;  /* the number the fd step moves it to, or -1 */
        int listener_slot; /* the seccomp listener socket's planned number, or -1 */

        /* --- exec guard (exec-guard.c) --------------------------------------- */
        enum plan_exec_kind exec_kind;
        bool launch_rule;          /* the policy needed the launch rule for execveat(exec_fd) */
        bool exec_guard;           /* no filesystem exec, no executable memfd after the launch */
        const char *guard_reason;  /* why exec_guard is on */
        bool nofile_lowered;       /* exec_fd is hard RLIMIT_NOFILE - 1 and the limit drops to it */
        struct rlimit nofile_open; /* soft raised to hard, so dup3() to exec_fd works */
        struct rlimit nofile_sealed;        /* {min(soft, exec_fd), exec_fd} */
        sealexec_payload *ldso;             /* owned sealed ld.so, or NULL */
        char *ldso_path;                    /* PT_INTERP it was loaded from */
        sealexec_payload *auto_interpreter; /* interpreter sealed by prepare (owned) */
        /* DT_RPATH / DT_RUNPATH with $ORIGIN expanded against the file's real
         * directory, passed to ld.so as --library-path (origin.c); NULL: none. */
        char *origin_rpath;
        char *origin_runpath;

        /* --- argv, environment ------------------------------------------------ */
        char **argv; /* what execveat() passes */
        char **envp;
        const char *exec_name; /* the executed object's name, for the message (borrowed) */

        /* --- process steps ------------------------------------------------------ */
        bool new_session;
        bool reset_signals;
        const char *chdir;                   /* borrowed from the launch */
        const struct launch_rlimit *rlimits; /* borrowed */
        size_t n_rlimits;
        bool switch_ids;
        bool set_uid;
        uid_t uid;
        gid_t gid;
        const gid_t *groups; /* supplementary groups (borrowed from the launch, or &gid) */
        size_t n_groups;
        uid_t payload_uid;

        /* --- capabilities (caps.c) ---------------------------------------------- */
        uint64_t kept_caps;
        int last_cap;
        uint64_t caps_valid;              /* bits 0..last_cap */
        bool raise_ambient;               /* the payload is not root: kept caps become ambient */
        enum caps_bounding_plan bounding; /* predicted from the launcher's sets */

        /* --- seccomp -------------------------------------------------------------- */
        struct plan_program programs[PLAN_MAX_PROGRAMS];
        size_t n_programs;
        bool tsync;
        bool check_threads;
};

/* Builds the plan of a launch (allocates; the launch is left unchanged but for
 * the plan it then owns). */
int plan_build(sealexec_launch *launch, struct launch_plan **ret_plan, sealexec_error *err);

void plan_free(struct launch_plan *plan);

/* The fd layout (plan-fds.c): moves, keep list, exec fd. */
int plan_fds_build(const sealexec_launch *launch, struct launch_plan *plan, sealexec_error *err);

/* Where the payload's memfd is in the payload, and what happens to it (for describe). */
int plan_payload_fd(const struct launch_plan *plan);
const char *plan_payload_role(const struct launch_plan *plan);

/* Gives an internal descriptor (closed before exec) a planned number above the rest. */
int plan_fds_add_internal(struct launch_plan *plan, int fd, const char *role, int *ret_slot,
                          sealexec_error *err);

/* listener.c: whether the policy has a notify action; sending the listener. */
bool policy_uses_notify(const struct sealexec_policy *policy);
int listener_send(int socket_fd, int listener, sealexec_error *err);

/* Gives the Landlock ruleset a planned number above every other one. */
int plan_fds_add_ruleset(struct launch_plan *plan, sealexec_error *err);

/* Applies the descriptor moves and closes everything else. System calls only. */
int plan_fds_apply(const struct launch_plan *plan, sealexec_error *err);

/* Moves the exec fd to its exec-once number and lowers RLIMIT_NOFILE. Syscalls only. */
int plan_exec_fd_apply(const struct launch_plan *plan, sealexec_error *err);

/* exec-guard.c: decides launch rule, exec guard, what is executed; loads ld.so. */
int plan_exec_build(sealexec_launch *launch, struct launch_plan *plan, sealexec_error *err);

/* origin.c: $ORIGIN in the executed ELF's search paths, expanded (NULLs when none). */
int plan_origin_paths(const sealexec_payload *target, char **ret_rpath, char **ret_runpath,
                      sealexec_error *err);

/* origin.c: the --library-path value for ld.so: rpath, LD_LIBRARY_PATH, runpath. */
int plan_library_path(const struct launch_plan *plan, char **ret_path, sealexec_error *err);

/* exec-guard.c: argv as execveat() passes it, from the built argv. */
int plan_exec_argv(const sealexec_launch *launch, const struct launch_plan *plan, char **argv,
                   char ***ret_argv, sealexec_error *err);

/* exec-guard.c: the stacked programs (guard, exec-once, deny-unix), installed before the policy's.
 */
int plan_stacked_programs(const sealexec_launch *launch, struct launch_plan *plan,
                          sealexec_error *err);

/* seccomp.c: compiles the policy and appends it: the last program installed. */
int plan_policy_program(const sealexec_launch *launch, struct launch_plan *plan,
                        sealexec_error *err);

/* seccomp.c: appends a compiled program. Takes ownership of insns. */
int plan_add_program(struct launch_plan *plan, void *insns, size_t len, unsigned flags,
                     const char *what, sealexec_error *err);

/* seccomp.c: installs every program in order. Syscalls only. */
int plan_seccomp_apply(const struct launch_plan *plan, sealexec_error *err);

/* caps.c: applies plan->kept_caps with capset/prctl. Syscalls only. */
int caps_apply_planned(const struct launch_plan *plan, sealexec_error *err);

/* tracer.c: the tracer check (status_check_text()) through an fd from
 * proc_status_open(), read from offset 0. */
int tracer_check_fd(int fd, sealexec_error *err);

/* tracer.c: the value of kernel.yama.ptrace_scope, or -errno when unknown. */
int tracer_ptrace_scope(void);

/* The prepared plan of a launch, building it if needed (plan.c). */
int launch_plan_get(sealexec_launch *launch, const struct launch_plan **ret_plan,
                    sealexec_error *err);

#endif
