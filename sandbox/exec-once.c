/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Exec-once: the executed memfd at an fd number that cannot come back, and a
 * stacked seccomp filter that allows no other exec (see exec-once.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <unistd.h>

#include <seccomp.h>

#include "error.h"
#include "sandbox/exec-once.h"

SEALEXEC_API int sealexec_launch_set_exec_once(sealexec_launch *launch, bool exec_once,
                                               sealexec_error *err)
{
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "exec-once: no launch");
        launch->exec_once = exec_once;
        return 0;
}

int exec_once_check(const sealexec_launch *launch, sealexec_error *err)
{
        /* With CAP_SYS_RESOURCE the payload could raise the hard limit and reopen X. */
        if (launch->keep_caps & (UINT64_C(1) << CAP_SYS_RESOURCE))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "exec-once: refused with CAP_SYS_RESOURCE kept (it could raise "
                                "RLIMIT_NOFILE and reopen the exec descriptor)");
        return 0;
}

/* The hard RLIMIT_NOFILE in force once the rlimit step has run. */
static int nofile_hard(const sealexec_launch *launch, rlim_t *ret_hard, sealexec_error *err)
{
        for (size_t i = launch->n_rlimits; i > 0; i--)
                if (launch->rlimits[i - 1].resource == RLIMIT_NOFILE) {
                        *ret_hard = launch->rlimits[i - 1].limit.rlim_max;
                        return 0;
                }
        struct rlimit limit;
        if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "exec-once: reading RLIMIT_NOFILE");
        *ret_hard = limit.rlim_max;
        return 0;
}

int exec_once_target_fd(const sealexec_launch *launch, const struct fd_plan *plan, int *ret_fd,
                        sealexec_error *err)
{
        rlim_t hard = 0;
        int r = nofile_hard(launch, &hard, err);
        if (r < 0)
                return r;
        if (hard == RLIM_INFINITY || hard > INT_MAX)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "exec-once: the hard RLIMIT_NOFILE is unlimited or too large");
        /* Every descriptor the payload keeps must stay below X and usable. */
        if (hard < 1 || (int)hard - 1 <= plan->payload_fd)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "exec-once: the hard RLIMIT_NOFILE (%llu) leaves no descriptor "
                                "above the launch's descriptors (highest %d)",
                                (unsigned long long)hard, plan->payload_fd);
        *ret_fd = (int)hard - 1;
        return 0;
}

int exec_once_place(const sealexec_launch *launch, const struct fd_plan *plan, int *fd,
                    bool inherit, sealexec_error *err)
{
        int x;
        int r = exec_once_target_fd(launch, plan, &x, err);
        if (r < 0)
                return se_error_prefix(err, r, "confine");
        struct rlimit limit;
        if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec-once: reading RLIMIT_NOFILE");
        /* dup3() needs X below the soft limit; the soft limit may rise to the hard one. */
        struct rlimit open_up = {.rlim_cur = limit.rlim_max, .rlim_max = limit.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &open_up) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec-once: raising the soft RLIMIT_NOFILE");
        /* Something kept above the plan (a ruleset, an interpreter) must not be clobbered. */
        if (x != *fd && fcntl(x, F_GETFD) >= 0)
                return se_error(err, -EBUSY, SEALEXEC_ERROR_REFUSED,
                                "confine: exec-once: fd %d is already in use", x);
        if (dup3(*fd, x, inherit ? 0 : O_CLOEXEC) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec-once: moving fd %d to %d", *fd, x);
        close(*fd);
        *fd = x;
        struct rlimit sealed = {.rlim_cur = limit.rlim_cur < (rlim_t)x ? limit.rlim_cur : (rlim_t)x,
                                .rlim_max = (rlim_t)x};
        if (setrlimit(RLIMIT_NOFILE, &sealed) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec-once: lowering RLIMIT_NOFILE to %d", x);
        return 0;
}

/* The ABIs a process of the native one can also call: exec must be denied in each. */
static int add_compat_arches(scmp_filter_ctx ctx)
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
        for (size_t i = 0; compat[i]; i++) {
                int r = seccomp_arch_add(ctx, compat[i]);
                if (r < 0 && r != -EEXIST)
                        return r;
        }
        return 0;
}

static int build_filter(scmp_filter_ctx ctx, int exec_fd, bool tsync)
{
        int r = add_compat_arches(ctx);
        if (r == 0 && tsync)
                r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
        if (r == 0)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(execve), 0);
        /* 64-bit comparison: a forged 0x100000000|X does not match X. */
        const struct scmp_arg_cmp not_exec_fd = {
            .arg = 0, .op = SCMP_CMP_NE, .datum_a = (scmp_datum_t)exec_fd, .datum_b = 0};
        if (r == 0)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(execveat), 1,
                                     not_exec_fd);
        return r;
}

int exec_once_filter_apply(int exec_fd, bool tsync, sealexec_error *err)
{
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
        if (!ctx)
                return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED,
                                "confine: exec-once: creating the seccomp filter");
        int r = build_filter(ctx, exec_fd, tsync);
        if (r < 0) {
                seccomp_release(ctx);
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec-once: building the seccomp filter");
        }
        r = seccomp_load(ctx);
        seccomp_release(ctx);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "confine: exec-once: loading the seccomp filter");
        return 0;
}
