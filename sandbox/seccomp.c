/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp step, last before exec: installs the launch's policy. */
#include <errno.h>
#include <stdio.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "cleanup.h"
#include "error.h"
#include "policy/policy.h"
#include "sandbox/launch.h"

/* Installs a classic-BPF program with the policy's filter flags (and TSYNC). */
static int install_program(const struct sealexec_policy *policy, struct sock_filter *filter,
                           size_t n, bool tsync, const char *what, sealexec_error *err)
{
        if (n == 0 || n > BPF_MAXINSNS)
                return se_error(err, -E2BIG, SEALEXEC_ERROR_REFUSED,
                                "confine: seccomp: %s of %zu instructions: the kernel takes 1 "
                                "to %d",
                                what, n, BPF_MAXINSNS);
        struct sock_fprog prog = {.len = (unsigned short)n, .filter = filter};
        unsigned flags = policy->filter_flags | (tsync ? SECCOMP_FILTER_FLAG_TSYNC : 0);
        long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
        if (r < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: seccomp: installing %s", what);
        /* With TSYNC, a positive value is the thread that could not be synchronised. */
        if (r > 0)
                return se_error(err, -EBUSY, SEALEXEC_ERROR_REFUSED,
                                "confine: seccomp: thread %ld could not take the filter (TSYNC)",
                                r);
        return 0;
}

/* A precompiled program goes in exactly as it was given. */
static int install_bpf(const struct sealexec_policy *policy, bool tsync, sealexec_error *err)
{
        return install_program(policy, policy->bpf, policy->n_bpf, tsync, "the precompiled program",
                               err);
}

/*
 * Compiled to BPF first (in a child with a deadline for policies read from
 * files: libseccomp can loop without end on some rule sets), then installed
 * like a precompiled program, so every path loads with the same flags.
 */
static int install_compiled(const struct sealexec_policy *policy, int payload_fd,
                            uint64_t kept_caps, bool tsync, sealexec_error *err)
{
        const struct policy_compile_ctx ctx = {.launch_fd = payload_fd, .kept_caps = kept_caps};
        _cleanup_free_ void *prog = NULL;
        size_t n = 0;
        int r = policy_compile_any(policy, &ctx, &prog, &n, err);
        if (r < 0)
                return se_error_prefix(err, r, "confine: seccomp");
        char what[300];
        snprintf(what, sizeof(what), "policy '%s'", policy->name ? policy->name : "?");
        return install_program(policy, prog, n, tsync, what, err);
}

int seccomp_apply(const struct sealexec_policy *policy, int payload_fd, uint64_t kept_caps,
                  sealexec_error *err)
{
        return seccomp_apply_tsync(policy, payload_fd, kept_caps, false, err);
}

int seccomp_apply_tsync(const struct sealexec_policy *policy, int payload_fd, uint64_t kept_caps,
                        bool tsync, sealexec_error *err)
{
        if (!policy)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "confine: seccomp: no policy");
        if (policy->no_filter)
                return 0;
        if (policy->n_bpf > 0)
                return install_bpf(policy, tsync, err);
        return install_compiled(policy, payload_fd, kept_caps, tsync, err);
}
