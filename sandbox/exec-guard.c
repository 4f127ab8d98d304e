/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The launch rule and the exec guard: how the launch's own execveat() gets
 * through a policy that denies exec, without letting the payload repeat it.
 *
 * seccomp cannot read a pathname, and for an absolute pathname the kernel
 * ignores execveat()'s directory fd, so no comparison of arguments can tell
 * the launch from a later execveat(fd, "/usr/bin/id", ...). sealexec
 * therefore decides per launch:
 *
 *  1. The policy allows execveat unconditionally (the default and docker
 *     profiles do): nothing to add.
 *  2. It does not, but allows execve unconditionally: a launch rule "execveat
 *     with arg0 == X and flags (arg4) exactly the launch's own
 *     AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW" is put first, with X = hard
 *     RLIMIT_NOFILE - 1 and the hard limit lowered to X, so no descriptor can
 *     ever be numbered X again.
 *     execveat(X, "/abs", ...) then gives the payload nothing execve() does
 *     not already give it.
 *  3. Otherwise (the policy denies exec), and always under --exec-once, the
 *     exec guard: the Landlock domain handles EXECUTE and grants it nowhere,
 *     so no file on any filesystem can be executed; memfd_create() is allowed
 *     only with MFD_NOEXEC_SEAL, so no new executable memfd can appear; a
 *     dynamic payload is started through a sealed copy of its ELF interpreter
 *     (ld.so), so no filesystem path needs the execute right; a "#!" payload
 *     through its sealed interpreter. Without the kernel features this needs
 *     (Landlock; MFD_NOEXEC_SEAL, Linux 6.3) the launch is refused.
 * --exec-once adds a stacked filter that denies execve and allows execveat
 * only on X, whatever the policy says. plan_stacked_programs() compiles the
 * stacked filters (this one or the guard's, and --deny-unix's) that go in
 * before the policy's own program.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "loader/loader.h"
#include "loader/payload.h"
#include "policy/compile.h"
#include "policy/policy.h"
#include "policy/profiles/profiles.h"
#include "sandbox/env.h"
#include "sandbox/exec-once.h"
#include "sandbox/landlock.h"
#include "sandbox/plan.h"
#include "sandbox/script-interpreter.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif

/* The hard and soft RLIMIT_NOFILE in force once the rlimit step has run. */
static int nofile_after_rlimits(const sealexec_launch *launch, struct rlimit *ret,
                                sealexec_error *err)
{
        for (size_t i = launch->n_rlimits; i > 0; i--)
                if (launch->rlimits[i - 1].resource == RLIMIT_NOFILE) {
                        *ret = launch->rlimits[i - 1].limit;
                        return 0;
                }
        if (getrlimit(RLIMIT_NOFILE, ret) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "prepare: exec fd: reading RLIMIT_NOFILE");
        return 0;
}

static int plan_nofile(const sealexec_launch *launch, struct launch_plan *plan, sealexec_error *err)
{
        struct rlimit limit;
        int r = exec_once_check(launch, err);
        if (r < 0)
                return r;
        r = nofile_after_rlimits(launch, &limit, err);
        if (r < 0)
                return r;
        if (limit.rlim_max == RLIM_INFINITY || limit.rlim_max > INT_MAX || limit.rlim_max < 8)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "prepare: exec fd: the hard RLIMIT_NOFILE (%llu) is unlimited, "
                                "too large or too small for the exec descriptor",
                                (unsigned long long)limit.rlim_max);
        int x = (int)limit.rlim_max - 1;
        plan->nofile_lowered = true;
        plan->exec_fd = x;
        plan->nofile_open = (struct rlimit){.rlim_cur = limit.rlim_max, .rlim_max = limit.rlim_max};
        plan->nofile_sealed = (struct rlimit){
            .rlim_cur = limit.rlim_cur < (rlim_t)x ? limit.rlim_cur : (rlim_t)x,
            .rlim_max = (rlim_t)x,
        };
        return 0;
}

/* The kernel features the exec guard stands on; refused with the missing one named. */
static int guard_check_kernel(const struct launch_plan *plan, sealexec_error *err)
{
        if (landlock_abi() < 1)
                return se_error(err, -EOPNOTSUPP, SEALEXEC_ERROR_REFUSED,
                                "prepare: exec guard (%s): needs Landlock, which this kernel "
                                "lacks or has disabled (it is what makes every filesystem exec "
                                "fail)",
                                plan->guard_reason);
        int fd = memfd_create("sealexec-probe", MFD_CLOEXEC | MFD_NOEXEC_SEAL);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "prepare: exec guard (%s): needs memfd_create() with "
                                      "MFD_NOEXEC_SEAL (Linux 6.3)",
                                      plan->guard_reason);
        close(fd);
        return 0;
}

/* Under the guard a "#!" payload runs through its sealed interpreter. */
static int guard_interpreter(sealexec_launch *launch, sealexec_error *err)
{
        if (!launch->payload->is_script || launch->interpreter)
                return 0;
        sealexec_payload *interp = NULL;
        int r = sealexec_payload_load_interpreter(launch->payload, -1, 0, &interp, err);
        if (r < 0)
                return se_error_prefix(err, r, "prepare: exec guard: sealing the interpreter");
        return sealexec_launch_set_interpreter(launch, interp, err);
}

/* Under the guard a dynamic ELF runs through a sealed copy of its ld.so. */
static int guard_ldso(const sealexec_launch *launch, struct launch_plan *plan, sealexec_error *err)
{
        const sealexec_payload *target = launch_exec_payload(launch);
        char *interp = NULL;
        int r = elf_read_interp(target->fd, &interp, err);
        if (r <= 0)
                return r; /* static: executed as it is */
        plan->ldso_path = interp;
        r = sealexec_payload_load_path(interp, 0, 0, &plan->ldso, err);
        if (r < 0)
                return se_error_prefix(err, r, "prepare: exec guard: sealing the ELF interpreter");
        if (plan->ldso->is_script)
                return se_error(err, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "prepare: exec guard: ELF interpreter '%s' is a script", interp);
        plan->exec_kind = PLAN_EXEC_LDSO;
        return 0;
}

/* A policy compiled by sealexec_policy_compile() fits only the launch it was compiled for. */
static int check_compiled_for(const sealexec_launch *launch, const struct launch_plan *plan,
                              sealexec_error *err)
{
        const struct sealexec_policy *policy = launch->policy;
        if (policy->bpf_kept_caps != launch->keep_caps)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "prepare: seccomp: policy '%s' was compiled for other kept "
                                "capabilities (0x%llx, the launch keeps 0x%llx)",
                                policy->name ? policy->name : "?",
                                (unsigned long long)policy->bpf_kept_caps,
                                (unsigned long long)launch->keep_caps);
        if (policy->bpf_launch_rule && policy->bpf_launch_fd != plan->exec_fd)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "prepare: seccomp: policy '%s' was compiled for launch fd %d, "
                                "this launch executes from fd %d (sealexec_launch_exec_fd())",
                                policy->name ? policy->name : "?", policy->bpf_launch_fd,
                                plan->exec_fd);
        return 0;
}

int plan_exec_build(sealexec_launch *launch, struct launch_plan *plan, sealexec_error *err)
{
        const struct sealexec_policy *policy = launch->policy;
        bool compiled = !policy->no_filter && policy->n_bpf == 0;
        const struct policy_compile_ctx ask = {.launch_fd = 0, .kept_caps = launch->keep_caps};
        plan->launch_rule = compiled ? policy_needs_launch_rule(policy, &ask)
                                     : policy->bpf_known && policy->bpf_launch_rule;
        bool execve_open = compiled ? policy_allows_unconditionally(policy, &ask, "execve")
                                    : !policy->bpf_known || policy->bpf_execve_open;

        plan->exec_guard = launch->exec_once || (plan->launch_rule && !execve_open);
        plan->guard_reason = launch->exec_once ? "exec-once"
                                               : "the policy denies exec, so the launch may "
                                                 "happen only once";
        plan->exec_kind = launch->interpreter ? PLAN_EXEC_INTERPRETER : PLAN_EXEC_PAYLOAD;
        plan->exec_fd = -1;
        int r = 0;
        if (launch->exec_once || plan->launch_rule)
                r = plan_nofile(launch, plan, err);
        if (r >= 0 && policy->bpf_known)
                r = check_compiled_for(launch, plan, err);
        if (r >= 0 && plan->exec_guard) {
                r = guard_check_kernel(plan, err);
                if (r >= 0)
                        r = guard_interpreter(launch, err);
                if (launch->interpreter)
                        plan->exec_kind = PLAN_EXEC_INTERPRETER;
                if (r >= 0)
                        r = guard_ldso(launch, plan, err);
        }
        if (r < 0)
                return r;
        /* $ORIGIN in the search paths: through ld.so too, with the paths expanded. */
        r = plan_origin_paths(launch_exec_payload(launch), &plan->origin_rpath,
                              &plan->origin_runpath, err);
        return r > 0 ? guard_ldso(launch, plan, err) : r;
}

/*
 * [argv[0], ["--library-path", PATHS,] "--argv0", argv[0], "/proc/self/fd/N",
 * argv[1], ...]: ld.so runs fd N.
 */
static int wrap_for_ldso(char **argv, const char *library_path, int prog_fd, char ***ret_argv,
                         sealexec_error *err)
{
        size_t argc = strv_length(argv);
        char **out = calloc(argc + 6, sizeof(*out));
        if (!out)
                return se_oom(err, "prepare");
        size_t n = 0;
        out[n++] = strdup(argv[0]);
        if (library_path) {
                out[n++] = strdup("--library-path");
                out[n++] = strdup(library_path);
        }
        out[n++] = strdup("--argv0");
        out[n++] = strdup(argv[0]);
        if (asprintf(&out[n++], "/proc/self/fd/%d", prog_fd) < 0)
                out[n - 1] = NULL;
        for (size_t i = 1; i < argc; i++)
                out[n++] = strdup(argv[i]);
        return strv_check_built(out, n, ret_argv, "prepare: ld.so argv", err);
}

int plan_exec_argv(const sealexec_launch *launch, const struct launch_plan *plan, char **argv,
                   char ***ret_argv, sealexec_error *err)
{
        _cleanup_(strv_freep) char **base = NULL;
        int r = 0;
        if (launch->interpreter)
                r = interpreter_argv_build(launch, plan->payload_fd, argv, &base, err);
        else if (!(base = strv_copy(argv)))
                r = se_oom(err, "prepare");
        if (r < 0)
                return r;
        if (plan->exec_kind != PLAN_EXEC_LDSO) {
                *ret_argv = TAKE_PTR(base);
                return 0;
        }
        int prog_fd = launch->interpreter ? plan->interp_fd : plan->payload_fd;
        _cleanup_free_ char *library_path = NULL;
        if (plan->origin_rpath || plan->origin_runpath) {
                r = plan_library_path(plan, &library_path, err);
                if (r < 0)
                        return r;
        }
        return wrap_for_ldso(base, library_path, prog_fd, ret_argv, err);
}

/* --- stacked programs ----------------------------------------------------- */

static int add_rule(struct sealexec_policy *p, const char *name, struct policy_action action,
                    size_t n_cmps, struct policy_cmp *cmps, sealexec_error *err)
{
        struct policy_clause clause = {.n_cmps = n_cmps, .cmps = cmps};
        const struct policy_rule rule = {
            .syscall_name = (char *)name,
            .action = action,
            .n_clauses = n_cmps ? 1 : 0,
            .clauses = n_cmps ? &clause : NULL,
        };
        return policy_add_rule(p, &rule, err);
}

/* The native ABI and the ones a native process can also call. */
static int add_arches(struct sealexec_policy *p, sealexec_error *err)
{
        static const uint32_t compat[] = {
#if defined(__x86_64__)
                SCMP_ARCH_X86,
                SCMP_ARCH_X32,
#elif defined(__aarch64__)
                SCMP_ARCH_ARM,
#endif
                0
        };
        int r = policy_add_arch(p, seccomp_arch_native(), err);
        for (size_t i = 0; r >= 0 && compat[i]; i++)
                r = policy_add_arch(p, compat[i], err);
        return r;
}

static int guard_policy(bool exec_once, int exec_fd, struct sealexec_policy **ret,
                        sealexec_error *err)
{
        struct sealexec_policy *p = NULL;
        int r = policy_new(exec_once ? "exec-once" : "exec guard", &p, err);
        if (r < 0)
                return r;
        p->builtin = true;
        p->default_action = (struct policy_action){.kind = POLICY_ACT_ALLOW};
        p->bad_arch_action = (struct policy_action){.kind = POLICY_ACT_KILL_PROCESS};
        const struct policy_action eperm = {.kind = POLICY_ACT_ERRNO, .data = EPERM};
        const struct policy_action allow = {.kind = POLICY_ACT_ALLOW};
        /* Only the launch's own call: on X, with exactly its flags (policy/ir.h). */
        struct policy_cmp exec_cmps[2] = {
            {.arg = 0, .op = POLICY_CMP_EQ, .value = (uint64_t)exec_fd},
            {.arg = 4, .op = POLICY_CMP_EQ, .value = POLICY_LAUNCH_FLAGS},
        };
        struct policy_cmp memfd_cmp = {
            .arg = 1, .op = POLICY_CMP_MASKED_EQ, .value = MFD_NOEXEC_SEAL, .value2 = 0};
        r = add_arches(p, err);
        if (r >= 0 && exec_once)
                r = add_rule(p, "execveat", allow, 2, exec_cmps, err);
        if (r >= 0 && exec_once)
                r = add_rule(p, "execveat", eperm, 0, NULL, err);
        if (r >= 0 && exec_once)
                r = add_rule(p, "execve", eperm, 0, NULL, err);
        /* No executable memfd can appear after the launch. */
        if (r >= 0)
                r = add_rule(p, "memfd_create", eperm, 1, &memfd_cmp, err);
        if (r < 0) {
                sealexec_policy_free(p);
                return r;
        }
        *ret = p;
        return 0;
}

static int add_compiled(struct launch_plan *plan, const struct sealexec_policy *p,
                        uint64_t kept_caps, const char *what, sealexec_error *err)
{
        const struct policy_compile_ctx ctx = {.launch_fd = -1, .kept_caps = kept_caps};
        void *prog = NULL;
        size_t len = 0;
        int r = policy_compile_bpf(p, &ctx, &prog, &len, err);
        if (r < 0)
                return se_error_prefix(err, r, "prepare: seccomp");
        return plan_add_program(plan, prog, len, plan->tsync ? SECCOMP_FILTER_FLAG_TSYNC : 0, what,
                                err);
}

int plan_stacked_programs(const sealexec_launch *launch, struct launch_plan *plan,
                          sealexec_error *err)
{
        int r = 0;
        if (plan->exec_guard) {
                struct sealexec_policy *p = NULL;
                r = guard_policy(launch->exec_once, plan->exec_fd, &p, err);
                if (r >= 0)
                        r = add_compiled(plan, p, launch->keep_caps,
                                         launch->exec_once ? "the exec-once filter"
                                                           : "the exec guard filter",
                                         err);
                sealexec_policy_free(p);
        }
        if (r >= 0 && launch->deny_unix) {
                struct sealexec_policy *p = NULL;
                r = policy_profile_deny_unix(&p, err);
                if (r >= 0)
                        r = add_compiled(plan, p, launch->keep_caps, "the deny-unix filter", err);
                sealexec_policy_free(p);
        }
        return r;
}
