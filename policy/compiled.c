/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Compiled policies a runtime builds once and shares.
 *
 * A runtime that launches many containers with one profile should compile it
 * once: sealexec_policy_compile() turns a policy into a precompiled one that
 * remembers what it was compiled for (the launch fd of its launch rule, the
 * capabilities that decided Docker's includes/excludes, whether the source
 * allowed execve), so that a launch can refuse a mismatch instead of running
 * a filter built for another fd, and can plan the launch rule and the exec
 * guard exactly as for the source. sealexec_policy_ref() lets several
 * launches hold it (each sealexec_launch_set_policy() takes one reference).
 * sealexec_policy_load_bpf_mem() takes a program from memory, for callers
 * that keep their programs elsewhere than in files.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "common/caps.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "policy/compile.h"
#include "policy/ir.h"

SEALEXEC_API int sealexec_policy_compile(const sealexec_policy *policy, const char *kept_caps,
                                         int launch_fd, sealexec_policy **ret_compiled,
                                         sealexec_error *err)
{
        struct policy_compile_ctx ctx = {.launch_fd = launch_fd < 0 ? -1 : launch_fd};
        if (!policy || !ret_compiled)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy compile: no policy");
        if (policy->no_filter || policy->n_bpf > 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': %s, nothing to compile",
                                policy->name ? policy->name : "?",
                                policy->no_filter ? "no filter" : "already compiled");
        int r = caps_parse_list(kept_caps, &ctx.kept_caps, err);
        if (r < 0)
                return r;
        const struct policy_compile_ctx ask = {.launch_fd = 0, .kept_caps = ctx.kept_caps};
        bool launch_rule = policy_needs_launch_rule(policy, &ask);
        if (launch_rule && launch_fd < 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy '%s' does not allow execveat itself, so it needs the "
                                "launch fd it will run from (sealexec_launch_exec_fd())",
                                policy->name ? policy->name : "?");
        _cleanup_free_ void *prog = NULL;
        size_t n = 0;
        r = policy_compile_bpf(policy, &ctx, &prog, &n, err);
        if (r < 0)
                return r;
        struct sealexec_policy *c = NULL;
        r = policy_new(policy->name, &c, err);
        if (r < 0)
                return r;
        c->bpf = TAKE_PTR(prog);
        c->n_bpf = n;
        c->filter_flags = policy->filter_flags;
        c->bpf_known = true;
        c->bpf_launch_rule = launch_rule;
        c->bpf_launch_fd = launch_rule ? launch_fd : -1;
        c->bpf_execve_open = policy_allows_unconditionally(policy, &ctx, "execve");
        c->bpf_kept_caps = ctx.kept_caps;
        *ret_compiled = c;
        return 0;
}

SEALEXEC_API int sealexec_policy_load_bpf_mem(const void *prog, size_t size, unsigned filter_flags,
                                              sealexec_policy **ret_policy, sealexec_error *err)
{
        const unsigned known =
            SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW;
        if (!prog || !ret_policy)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "BPF program: none given");
        if (size == 0 || size % sizeof(struct sock_filter) != 0 ||
            size / sizeof(struct sock_filter) > BPF_MAXINSNS)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "BPF program: %zu bytes; a program is 1 to %d instructions of "
                                "%zu bytes each",
                                size, BPF_MAXINSNS, sizeof(struct sock_filter));
        if (filter_flags & ~known)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "BPF program: unsupported seccomp filter flags 0x%x",
                                filter_flags & ~known);
        _cleanup_free_ void *copy = malloc(size);
        if (!copy)
                return se_oom(err, "BPF program");
        memcpy(copy, prog, size);
        struct sealexec_policy *p = NULL;
        int r = policy_new("<memory>", &p, err);
        if (r < 0)
                return r;
        p->bpf = TAKE_PTR(copy);
        p->n_bpf = size / sizeof(struct sock_filter);
        p->filter_flags = filter_flags;
        *ret_policy = p;
        return 0;
}
