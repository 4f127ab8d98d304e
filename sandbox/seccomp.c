/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp step, last before exec: installs the launch's policy. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "error.h"
#include "policy/policy.h"
#include "sandbox/launch.h"

/* A precompiled program goes in exactly as it was given. */
static int install_bpf(const struct sealexec_policy *policy, bool tsync, sealexec_error *err)
{
        if (policy->n_bpf > BPF_MAXINSNS)
                return se_error(err, -E2BIG, SEALEXEC_ERROR_REFUSED,
                                "confine: seccomp: program of %zu instructions is too long",
                                policy->n_bpf);
        struct sock_fprog prog = {
            .len = (unsigned short)policy->n_bpf,
            .filter = policy->bpf,
        };
        unsigned flags = policy->filter_flags | (tsync ? SECCOMP_FILTER_FLAG_TSYNC : 0);
        long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
        if (r < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: seccomp: installing the precompiled program");
        /* With TSYNC, a positive value is the thread that could not be synchronised. */
        if (r > 0)
                return se_error(err, -EBUSY, SEALEXEC_ERROR_REFUSED,
                                "confine: seccomp: thread %ld could not take the filter (TSYNC)",
                                r);
        return 0;
}

static int install_compiled(const struct sealexec_policy *policy, int payload_fd,
                            uint64_t kept_caps, bool tsync, sealexec_error *err)
{
        const struct policy_compile_ctx ctx = {.launch_fd = payload_fd, .kept_caps = kept_caps};
        scmp_filter_ctx filter = NULL;
        int r = policy_compile(policy, &ctx, &filter, err);
        if (r < 0)
                return se_error_prefix(err, r, "confine: seccomp");
        if (tsync)
                r = seccomp_attr_set(filter, SCMP_FLTATR_CTL_TSYNC, 1);
        if (r >= 0)
                r = seccomp_load(filter);
        seccomp_release(filter);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "confine: seccomp: loading policy '%s'",
                                      policy->name ? policy->name : "?");
        return 0;
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
