/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Compiling a policy into a libseccomp filter: the libseccomp backend
 * (POLICY_BACKEND_LIBSECCOMP), kept as the reference backend and for
 * `explain --pfc`; the choice of backend; and the questions about a policy
 * in a launch context that every backend asks (the launch rule,
 * capabilities). The compiler every launch uses is sealexec's own
 * generator, bpf-gen.c.
 *
 * Semantics (ir.h): for each syscall the rules are tried in order and the
 * first match decides; the rest gets default_action. libseccomp has no
 * ordering between the rules of one syscall, so each rule k is emitted for
 *     cond_k AND NOT(cond_j) for every earlier rule j with another action,
 * which makes the conditions of different actions disjoint. (An earlier rule
 * with the same action can be left out of the negation: wherever it matched
 * first, the outcome is that same action.) Conditions are rewritten into
 * disjunctive normal form over what libseccomp 2.5 can compare (cond.c),
 * with at most one comparison per argument in each libseccomp rule, since
 * libseccomp refuses two comparisons of one argument in a rule (-EINVAL).
 * A rule whose action is the default action is not emitted (libseccomp
 * refuses it, -EACCES) but still shadows later rules.
 *
 * Architectures: the policy's list is authoritative; an empty list means the
 * native one. A list without the native architecture is refused, since the
 * payload could not even be executed. Each architecture gets its own filter,
 * merged with seccomp_merge(): that lets the native filter use syscall
 * numbers libseccomp does not know (syscalls.c), which libseccomp cannot
 * translate for the other architectures. A name that does not exist on an
 * architecture is left out of that architecture's filter.
 *
 * Attributes: NO_NEW_PRIVS stays on (libseccomp's default): the sandbox sets
 * no_new_privs itself before loading, and if that step were ever skipped the
 * load still sets it rather than needing CAP_SYS_ADMIN. The binary-tree
 * optimisation only changes how the syscall number is dispatched; arguments
 * are still loaded only after the number is known, so the kernel (5.11+)
 * can cache syscalls that are always allowed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "policy/bpf-gen.h"
#include "policy/compile.h"
#include "policy/cond.h"
#include "policy/syscalls.h"

uint32_t policy_scmp_action(const struct policy_action *action)
{
        switch (action->kind) {
        case POLICY_ACT_ALLOW:
                return SCMP_ACT_ALLOW;
        case POLICY_ACT_ERRNO:
                return SCMP_ACT_ERRNO(action->data);
        case POLICY_ACT_KILL_PROCESS:
                return SCMP_ACT_KILL_PROCESS;
        case POLICY_ACT_KILL_THREAD:
                return SCMP_ACT_KILL_THREAD;
        case POLICY_ACT_TRAP:
                return SCMP_ACT_TRAP;
        case POLICY_ACT_TRACE:
                return SCMP_ACT_TRACE(action->data);
        case POLICY_ACT_LOG:
                return SCMP_ACT_LOG;
        case POLICY_ACT_USER_NOTIF:
                return SCMP_ACT_NOTIFY;
        }
        /* Unknown kinds fail closed. */
        return SCMP_ACT_KILL_PROCESS;
}

bool policy_rule_applies(const struct policy_rule *rule, const struct policy_compile_ctx *ctx)
{
        uint64_t kept = ctx ? ctx->kept_caps : 0;
        return (rule->caps_required & ~kept) == 0 && (rule->caps_excluded & kept) == 0;
}

const char *policy_rule_file(const struct policy_rule *rule)
{
        return rule->origin.file ? rule->origin.file : "<builtin>";
}

/* The launch rule: execveat(launch_fd, "", ..., POLICY_LAUNCH_FLAGS), compared
 * as ints, the way the kernel reads both arguments. */
void policy_launch_rule(int launch_fd, struct policy_rule *rule, struct policy_clause *clause,
                        struct policy_cmp cmps[2])
{
        cmps[0] = (struct policy_cmp){
            .arg = 0, .op = POLICY_CMP_EQ, .value = (uint32_t)launch_fd, .low32 = true};
        cmps[1] = (struct policy_cmp){
            .arg = 4, .op = POLICY_CMP_EQ, .value = POLICY_LAUNCH_FLAGS, .low32 = true};
        *clause = (struct policy_clause){.n_cmps = 2, .cmps = cmps};
        *rule = (struct policy_rule){
            .syscall_name = (char *)"execveat",
            .action = {.kind = POLICY_ACT_ALLOW},
            .n_clauses = 1,
            .clauses = clause,
        };
}

int policy_rule_known(const struct policy_rule *rule, uint32_t arch, sealexec_error *err)
{
        if (policy_syscall_resolve(rule->syscall_name, SCMP_ARCH_NATIVE) != -ENOENT ||
            policy_syscall_resolve(rule->syscall_name, arch) != -ENOENT)
                return 0;
        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "%s:%u:%u: unknown syscall '%s'",
                        policy_rule_file(rule), rule->origin.line, rule->origin.col,
                        rule->syscall_name);
}

bool policy_allows_unconditionally(const struct sealexec_policy *policy,
                                   const struct policy_compile_ctx *ctx, const char *name)
{
        for (size_t i = 0; i < policy->n_rules; i++) {
                const struct policy_rule *rule = &policy->rules[i];
                if (strcmp(rule->syscall_name, name) != 0 || !policy_rule_applies(rule, ctx))
                        continue;
                return rule->n_clauses == 0 && rule->action.kind == POLICY_ACT_ALLOW;
        }
        return policy->default_action.kind == POLICY_ACT_ALLOW;
}

bool policy_needs_launch_rule(const struct sealexec_policy *policy,
                              const struct policy_compile_ctx *ctx)
{
        /* The first applicable execveat rule decides the launch too. */
        return ctx && ctx->launch_fd >= 0 &&
               !policy_allows_unconditionally(policy, ctx, "execveat");
}

/* --- one syscall ------------------------------------------------------------ */

struct emit_ctx {
        scmp_filter_ctx sctx;
        uint32_t action;
        int nr;
};

static int emit_rule(void *userdata, unsigned n, const struct scmp_arg_cmp *cmps)
{
        struct emit_ctx *e = userdata;
        int r = seccomp_rule_add_array(e->sctx, e->action, e->nr, n, cmps);
        /* -EEXIST: the same comparisons with the same action again. */
        return r == -EEXIST ? 0 : r;
}

struct group {
        int nr;      /* real number on the architecture */
        int pass_nr; /* the number libseccomp is given (native or pseudo) */
        size_t n, cap;
        const struct policy_rule **rules;
};

static int add_group(scmp_filter_ctx sctx, uint32_t default_act, const struct group *g,
                     sealexec_error *err)
{
        unsigned emitted = 0;
        for (size_t k = 0; k < g->n; k++) {
                const struct policy_rule *rule = g->rules[k];
                uint32_t act = policy_scmp_action(&rule->action);
                if (act == default_act)
                        continue;
                struct cond_dnf dnf = {0};
                int r = cond_dnf_true(&dnf);
                if (r >= 0)
                        r = cond_and_rule(&dnf, rule, false);
                for (size_t j = 0; j < k && r >= 0 && dnf.n > 0; j++)
                        if (policy_scmp_action(&g->rules[j]->action) != act)
                                r = cond_and_rule(&dnf, g->rules[j], true);
                if (r >= 0) {
                        struct emit_ctx e = {.sctx = sctx, .action = act, .nr = g->pass_nr};
                        r = cond_emit(&dnf, emit_rule, &e, &emitted);
                }
                cond_dnf_done(&dnf);
                if (r == -E2BIG)
                        return se_error(
                            err, r, SEALEXEC_ERROR_REFUSED,
                            "%s:%u:%u: '%s': condition too complex once ordered "
                            "after the earlier rules (more than %d terms or %d seccomp rules)",
                            policy_rule_file(rule), rule->origin.line, rule->origin.col,
                            rule->syscall_name, COND_MAX_CONJ, COND_MAX_EMIT);
                if (r < 0)
                        return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                              "%s:%u:%u: '%s': libseccomp refused the rule",
                                              policy_rule_file(rule), rule->origin.line,
                                              rule->origin.col, rule->syscall_name);
        }
        return 0;
}

/* --- one architecture ---------------------------------------------------------- */

struct groups {
        size_t n, cap;
        struct group *v;
};

static void groups_done(struct groups *gs)
{
        for (size_t i = 0; i < gs->n; i++)
                free(gs->v[i].rules);
        free(gs->v);
        *gs = (struct groups){0};
}

static int groups_add(struct groups *gs, int nr, int pass_nr, const struct policy_rule *rule,
                      bool front)
{
        struct group *g = NULL;
        for (size_t i = 0; i < gs->n; i++)
                if (gs->v[i].nr == nr)
                        g = &gs->v[i];
        if (!g) {
                int r = array_reserve(&gs->v, &gs->cap, gs->n + 1, sizeof(*gs->v));
                if (r < 0)
                        return r;
                g = &gs->v[gs->n++];
                *g = (struct group){.nr = nr, .pass_nr = pass_nr};
        }
        int r = array_reserve(&g->rules, &g->cap, g->n + 1, sizeof(*g->rules));
        if (r < 0)
                return r;
        if (front) {
                memmove(g->rules + 1, g->rules, g->n * sizeof(*g->rules));
                g->rules[0] = rule;
        } else {
                g->rules[g->n] = rule;
        }
        g->n++;
        return 0;
}

/* The numbers of `name` on `arch`: false when it does not exist there. */
static bool syscall_numbers(const char *name, uint32_t arch, int *ret_nr, int *ret_pass_nr)
{
        int nr = policy_syscall_resolve_real(name, arch);
        if (nr < 0)
                return false;
        int pass_nr = nr;
        if (arch != seccomp_arch_native()) {
                /* libseccomp takes native numbers and translates them by name. */
                pass_nr = seccomp_syscall_resolve_name(name);
                if (pass_nr == __NR_SCMP_ERROR)
                        return false;
        }
        *ret_nr = nr;
        *ret_pass_nr = pass_nr;
        return true;
}

static int collect_groups(const struct sealexec_policy *policy,
                          const struct policy_compile_ctx *ctx, uint32_t arch,
                          const struct policy_rule *launch, struct groups *gs, sealexec_error *err)
{
        int nr, pass_nr;
        for (size_t i = 0; i < policy->n_rules; i++) {
                const struct policy_rule *rule = &policy->rules[i];
                if (!policy_rule_applies(rule, ctx))
                        continue;
                int r = policy_rule_known(rule, arch, err);
                if (r < 0)
                        return r;
                if (!syscall_numbers(rule->syscall_name, arch, &nr, &pass_nr))
                        continue;
                if (groups_add(gs, nr, pass_nr, rule, false) < 0)
                        return se_oom(err, "policy compile");
        }
        if (launch && syscall_numbers("execveat", arch, &nr, &pass_nr) &&
            groups_add(gs, nr, pass_nr, launch, true) < 0)
                return se_oom(err, "policy compile");
        return 0;
}

static int set_attrs(scmp_filter_ctx sctx, const struct sealexec_policy *policy,
                     sealexec_error *err)
{
        static const struct {
                uint32_t flag;
                enum scmp_filter_attr attr;
                const char *name;
        } flags[] = {
            {SECCOMP_FILTER_FLAG_TSYNC, SCMP_FLTATR_CTL_TSYNC, "TSYNC"},
            {SECCOMP_FILTER_FLAG_LOG, SCMP_FLTATR_CTL_LOG, "LOG"},
            {SECCOMP_FILTER_FLAG_SPEC_ALLOW, SCMP_FLTATR_CTL_SSB, "SPEC_ALLOW"},
        };
        uint32_t known = 0;
        int r = seccomp_attr_set(sctx, SCMP_FLTATR_ACT_BADARCH,
                                 policy_scmp_action(&policy->bad_arch_action));
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "policy compile: bad-architecture action");
        for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
                known |= flags[i].flag;
                if (!(policy->filter_flags & flags[i].flag))
                        continue;
                r = seccomp_attr_set(sctx, flags[i].attr, 1);
                if (r < 0)
                        return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                              "policy compile: filter flag %s", flags[i].name);
        }
        if (policy->filter_flags & ~known)
                return se_error(err, -EOPNOTSUPP, SEALEXEC_ERROR_REFUSED,
                                "policy compile: unsupported seccomp filter flags 0x%x",
                                policy->filter_flags & ~known);
        /* Only an optimisation: ignore libseccomp versions without it. */
        (void)seccomp_attr_set(sctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        return 0;
}

static int compile_arch(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                        uint32_t arch, scmp_filter_ctx *ret_sctx, sealexec_error *err)
{
        uint32_t default_act = policy_scmp_action(&policy->default_action);
        scmp_filter_ctx sctx = seccomp_init(default_act);
        struct groups gs = {0};
        struct policy_rule launch;
        struct policy_clause launch_clause;
        struct policy_cmp launch_cmps[2];
        int r;

        if (!sctx)
                return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED,
                                "policy compile: libseccomp could not create a filter");
        if (arch != seccomp_arch_native()) {
                r = seccomp_arch_add(sctx, arch);
                if (r >= 0)
                        r = seccomp_arch_remove(sctx, SCMP_ARCH_NATIVE);
                if (r < 0) {
                        se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                       "policy compile: architecture 0x%x", arch);
                        goto fail;
                }
        }
        r = set_attrs(sctx, policy, err);
        if (r < 0)
                goto fail;
        bool with_launch = policy_needs_launch_rule(policy, ctx);
        if (with_launch)
                policy_launch_rule(ctx->launch_fd, &launch, &launch_clause, launch_cmps);
        r = collect_groups(policy, ctx, arch, with_launch ? &launch : NULL, &gs, err);
        for (size_t i = 0; i < gs.n && r >= 0; i++)
                r = add_group(sctx, default_act, &gs.v[i], err);
        groups_done(&gs);
        if (r < 0)
                goto fail;
        *ret_sctx = sctx;
        return 0;
fail:
        seccomp_release(sctx);
        return r;
}

static bool arch_listed(const struct sealexec_policy *policy, uint32_t arch)
{
        for (size_t i = 0; i < policy->n_arches; i++)
                if (policy->arches[i] == arch)
                        return true;
        return false;
}

int policy_compile(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                   scmp_filter_ctx *ret_ctx, sealexec_error *err)
{
        uint32_t native = seccomp_arch_native();
        scmp_filter_ctx sctx = NULL;

        if (policy->no_filter || policy->n_bpf > 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': %s, nothing to compile",
                                policy->name ? policy->name : "?",
                                policy->no_filter ? "no filter" : "precompiled BPF");
        if (policy->n_arches > 0 && !arch_listed(policy, native))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': does not list this machine's architecture",
                                policy->name ? policy->name : "?");
        int r = compile_arch(policy, ctx, native, &sctx, err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < policy->n_arches; i++) {
                scmp_filter_ctx other;
                if (policy->arches[i] == native)
                        continue;
                r = compile_arch(policy, ctx, policy->arches[i], &other, err);
                if (r < 0)
                        goto fail;
                r = seccomp_merge(sctx, other);
                if (r < 0) {
                        seccomp_release(other);
                        se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                       "policy compile: merging architecture 0x%x",
                                       policy->arches[i]);
                        goto fail;
                }
        }
        *ret_ctx = sctx;
        return 0;
fail:
        seccomp_release(sctx);
        return r;
}

/* --- BPF ---------------------------------------------------------------------- */

int policy_export_ctx_bpf(scmp_filter_ctx sctx, void **ret_prog, size_t *ret_len,
                          sealexec_error *err)
{
        _cleanup_close_ int fd = memfd_create("sealexec-bpf", MFD_CLOEXEC);
        struct stat st;
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "policy compile: memfd_create");
        int r = seccomp_export_bpf(sctx, fd);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "policy compile: libseccomp could not generate BPF");
        if (fstat(fd, &st) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "policy compile: fstat");
        size_t size = (size_t)st.st_size;
        if (size == 0 || size % sizeof(struct sock_filter) != 0)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                "policy compile: libseccomp produced %zu bytes of BPF", size);
        if (size / sizeof(struct sock_filter) > BPF_MAXINSNS)
                return se_error(err, -E2BIG, SEALEXEC_ERROR_REFUSED,
                                "policy compile: program has %zu instructions, the kernel "
                                "accepts at most %d",
                                size / sizeof(struct sock_filter), BPF_MAXINSNS);
        _cleanup_free_ void *prog = malloc(size);
        if (!prog)
                return se_oom(err, "policy compile");
        r = io_pread_exact(fd, prog, size, 0);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "policy compile: reading the BPF back");
        *ret_prog = TAKE_PTR(prog);
        *ret_len = size / sizeof(struct sock_filter);
        return 0;
}

static int copy_precompiled(const struct sealexec_policy *policy, void **ret_prog, size_t *ret_len,
                            sealexec_error *err)
{
        void *copy = malloc(policy->n_bpf * sizeof(struct sock_filter));
        if (!copy)
                return se_oom(err, "policy");
        memcpy(copy, policy->bpf, policy->n_bpf * sizeof(struct sock_filter));
        *ret_prog = copy;
        *ret_len = policy->n_bpf;
        return 0;
}

static int compile_bpf_libseccomp(const struct sealexec_policy *policy,
                                  const struct policy_compile_ctx *ctx, void **ret_prog,
                                  size_t *ret_len, sealexec_error *err)
{
        scmp_filter_ctx sctx;
        int r = policy_compile(policy, ctx, &sctx, err);
        if (r < 0)
                return r;
        r = policy_export_ctx_bpf(sctx, ret_prog, ret_len, err);
        seccomp_release(sctx);
        return r;
}

int policy_compile_bpf_backend(const struct sealexec_policy *policy,
                               const struct policy_compile_ctx *ctx, enum policy_backend backend,
                               void **ret_prog, size_t *ret_len, sealexec_error *err)
{
        if (policy->n_bpf > 0)
                return copy_precompiled(policy, ret_prog, ret_len, err);
        switch (backend) {
        case POLICY_BACKEND_SEALEXEC: {
                struct sock_filter *prog = NULL;
                int r = policy_bpf_generate(policy, ctx, &prog, ret_len, err);
                if (r >= 0)
                        *ret_prog = prog;
                return r;
        }
        case POLICY_BACKEND_LIBSECCOMP:
                return compile_bpf_libseccomp(policy, ctx, ret_prog, ret_len, err);
        }
        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy compile: unknown backend %d",
                        (int)backend);
}

int policy_compile_bpf(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                       void **ret_prog, size_t *ret_len, sealexec_error *err)
{
        return policy_compile_bpf_backend(policy, ctx, POLICY_BACKEND_SEALEXEC, ret_prog, ret_len,
                                          err);
}
