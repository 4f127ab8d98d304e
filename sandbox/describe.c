/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec_launch_describe(): what sealexec_launch_exec() would do, as stable
 * "key: value" lines (one fact per line, so scripts can grep them). It reads
 * the process state it predicts from and changes nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "common/caps.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "loader/payload.h"
#include "policy/policy.h"
#include "sandbox/caps.h"
#include "sandbox/env.h"
#include "sandbox/exec-once.h"
#include "sandbox/fds.h"
#include "sandbox/landlock.h"
#include "sandbox/plan.h"
#include "sandbox/process.h"
#include "sandbox/rlimit.h"
#include "sandbox/script-interpreter.h"

static void describe_seals(FILE *out, unsigned seals)
{
        static const struct {
                unsigned bit;
                const char *name;
        } names[] = {
            {F_SEAL_SEAL, "seal"},
            {F_SEAL_SHRINK, "shrink"},
            {F_SEAL_GROW, "grow"},
            {F_SEAL_WRITE, "write"},
#ifdef F_SEAL_FUTURE_WRITE
            {F_SEAL_FUTURE_WRITE, "future-write"},
#endif
#ifdef F_SEAL_EXEC
            {F_SEAL_EXEC, "exec"},
#else
            {0x0020, "exec"},
#endif
        };
        bool any = false;
        fputs("seals:", out);
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (seals & names[i].bit) {
                        fprintf(out, " %s", names[i].name);
                        any = true;
                }
        fputs(any ? "\n" : " none\n", out);
}

static int describe_payload(FILE *out, sealexec_payload *payload, sealexec_error *err)
{
        char digest[SEALEXEC_DIGEST_STRING_MAX];
        int r = sealexec_payload_digest(payload, digest, err);
        if (r < 0)
                return r;
        fprintf(out, "payload: %s\n", payload->name ? payload->name : "?");
        fprintf(out, "payload size: %" PRIu64 "\n", payload->size);
        fprintf(out, "payload type: %s\n", payload->is_script ? "script" : "elf");
        fprintf(out, "digest: %s\n", digest);
        describe_seals(out, payload->seals);
        return 0;
}

/* Environment edits in order, with "%{NAME}" in values as the payload will see it. */
static int describe_env(FILE *out, const sealexec_launch *launch, const struct subst_entry *entries,
                        sealexec_error *err)
{
        if (launch->n_env_edits == 0)
                fputs("env: inherited unchanged\n", out);
        for (size_t i = 0; i < launch->n_env_edits; i++) {
                const struct launch_env_edit *edit = &launch->env_edits[i];
                if (edit->op == LAUNCH_ENV_SET) {
                        _cleanup_free_ char *text = NULL;
                        int r = subst_expand(edit->text, entries, launch->n_files, &text, err);
                        if (r < 0)
                                return r;
                        fprintf(out, "env: set %s\n", text);
                } else if (edit->op == LAUNCH_ENV_UNSET) {
                        fprintf(out, "env: unset %s\n", edit->text);
                } else {
                        fputs("env: clear\n", out);
                }
        }
        fprintf(out, "chdir: %s\n", launch->chdir ? launch->chdir : "unchanged");
        return 0;
}

static int describe_files(FILE *out, const sealexec_launch *launch, const struct launch_plan *plan,
                          sealexec_error *err)
{
        for (size_t i = 0; i < launch->n_files; i++) {
                char digest[SEALEXEC_DIGEST_STRING_MAX];
                int r = sealexec_payload_digest(launch->files[i].payload, digest, err);
                if (r < 0)
                        return r;
                int fd = plan->base + (int)i;
                fprintf(out, "file: %s -> fd %d, path /proc/self/fd/%d, size %" PRIu64 ", %s\n",
                        launch->files[i].name, fd, fd, launch->files[i].payload->size, digest);
        }
        return 0;
}

static const char *fd_role(const struct launch_plan *plan, int fd)
{
        for (size_t i = 0; i < plan->n_moves; i++)
                if (plan->moves[i].dst == fd)
                        return plan->moves[i].role;
        return fd == plan->exec_stage_fd ? "exec" : NULL;
}

static void describe_fds(FILE *out, const struct launch_plan *plan)
{
        fputs("fds:", out);
        for (size_t i = 0; i < plan->n_keep; i++) {
                int fd = plan->keep[i];
                if (fd == plan->ruleset_slot || fd == plan->listener_slot)
                        continue; /* closed by the Landlock step */
                const char *role = fd_role(plan, fd);
                if (plan->nofile_lowered && fd == plan->exec_stage_fd)
                        continue; /* moves to the exec fd */
                fprintf(out, " %d", fd);
                if (role)
                        fprintf(out, " (%s)", role);
                else if (fd > 2)
                        fputs(" (kept)", out);
        }
        if (plan->nofile_lowered)
                fprintf(out, " %d (%s)", plan->exec_fd, plan->moves[plan->n_moves - 1].role);
        fputs("\n", out);
        fprintf(out, "payload fd: %d (%s)\n", plan_payload_fd(plan), plan_payload_role(plan));
        fprintf(out, "exec fd: %d (%s%s)\n", plan->exec_fd, plan->moves[plan->n_moves - 1].role,
                plan->moves[plan->n_moves - 1].inherit ? ", inherited" : ", close-on-exec");
}

static void describe_rlimits(FILE *out, const sealexec_launch *launch)
{
        if (launch->n_rlimits == 0)
                fputs("rlimits: unchanged\n", out);
        for (size_t i = 0; i < launch->n_rlimits; i++) {
                char soft[32], hard[32];
                fprintf(out, "rlimit: %s=%s:%s\n", rlimit_name(launch->rlimits[i].resource),
                        rlimit_format_value(launch->rlimits[i].limit.rlim_cur, soft, sizeof(soft)),
                        rlimit_format_value(launch->rlimits[i].limit.rlim_max, hard, sizeof(hard)));
        }
}

static void describe_user(FILE *out, const sealexec_launch *launch)
{
        if (launch->have_uid)
                fprintf(out, "user: %u\n", (unsigned)launch->uid);
        else
                fputs("user: unchanged\n", out);
        if (launch->have_gid) {
                fprintf(out, "group: %u\n", (unsigned)launch->gid);
                fprintf(out, "supplementary groups: %u\n", (unsigned)launch->gid);
        } else {
                fputs("group: unchanged\n", out);
                fputs("supplementary groups: unchanged\n", out);
        }
}

static void describe_caps(FILE *out, const struct launch_plan *plan)
{
        char buf[1024];
        uint64_t permitted = 0;
        /* Not fatal here: an unreadable set is reported as empty. */
        (void)caps_read_permitted(&permitted, NULL);
        fprintf(out, "capabilities kept: %s\n", caps_format(plan->kept_caps, buf, sizeof(buf)));
        uint64_t missing = plan->kept_caps & ~permitted;
        if (missing)
                fprintf(out, "capabilities missing: %s (the launch would be refused)\n",
                        caps_format(missing, buf, sizeof(buf)));
        fputs("capabilities permitted, effective, inheritable: kept only\n", out);
        fprintf(out, "capabilities ambient: %s\n",
                plan->raise_ambient ? "kept only" : "cleared (root gets the bounding set)");
        fprintf(out, "bounding set: %s\n", caps_bounding_plan_describe(plan->bounding));
}

static void describe_programs(FILE *out, const struct launch_plan *plan)
{
        for (size_t i = 0; i < plan->n_programs; i++)
                fprintf(out, "seccomp program %zu: %s, %u instructions\n", i + 1,
                        plan->programs[i].what, plan->programs[i].len);
}

static int describe_seccomp(FILE *out, const sealexec_launch *launch,
                            const struct launch_plan *plan, sealexec_error *err)
{
        const struct sealexec_policy *policy = launch->policy;
        if (policy->no_filter) {
                fputs("seccomp: none\n", out);
                describe_programs(out, plan);
                return 0;
        }
        const struct policy_compile_ctx ctx = {.launch_fd = plan->launch_rule ? plan->exec_fd : -1,
                                               .kept_caps = plan->kept_caps};
        _cleanup_free_ char *text = NULL;
        int r = policy_describe(policy, &ctx, false, &text, err);
        if (r < 0)
                return se_error_prefix(err, r, "describe: seccomp");
        fputs("seccomp:\n", out);
        /* Indented, so every line of the policy's own text stays inside this key. */
        for (const char *line = text; line && *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);
                fprintf(out, "  %.*s\n", (int)len, line);
                line = nl ? nl + 1 : line + len;
        }
        describe_programs(out, plan);
        return 0;
}

static void describe_exec(FILE *out, const sealexec_launch *launch, const struct launch_plan *plan)
{
        if (plan->exec_kind == PLAN_EXEC_LDSO)
                fprintf(out, "ld.so: %s sealed (%" PRIu64 " bytes), runs fd %d\n", plan->ldso_path,
                        plan->ldso->size, launch->interpreter ? plan->interp_fd : plan->payload_fd);
        if (plan->launch_rule)
                fprintf(out,
                        "launch rule: execveat on fd %d with AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW, "
                        "first in the "
                        "policy (fd %d can never be opened again)\n",
                        plan->exec_fd, plan->exec_fd);
        else
                fputs("launch rule: none (the policy allows execveat itself)\n", out);
        if (plan->exec_guard)
                fprintf(out,
                        "exec guard: yes (%s): Landlock grants execute nowhere, memfd_create "
                        "only with MFD_NOEXEC_SEAL\n",
                        plan->guard_reason);
        else
                fputs("exec guard: no\n", out);
        if (launch->exec_once)
                fprintf(out,
                        "exec-once: yes (executed fd moves to %d, hard RLIMIT_NOFILE lowered to "
                        "%d; second seccomp filter: execve denied, execveat only on fd %d)\n",
                        plan->exec_fd, plan->exec_fd, plan->exec_fd);
        else
                fputs("exec-once: no\n", out);
        int scope = tracer_ptrace_scope();
        if (scope == 0)
                fputs("ptrace: kernel.yama.ptrace_scope is 0: a process of the same user could "
                      "attach before sealexec makes itself non-dumpable (the launch is refused "
                      "if one is attached; see SECURITY.md)\n",
                      out);
        if (!launch->deny_unix)
                fputs("unix sockets: named sockets stay reachable (Landlock does not restrict "
                      "connect(); --deny-unix blocks creating AF_UNIX sockets)\n",
                      out);
        else
                fputs("unix sockets: socket(AF_UNIX) denied (EACCES) by a stacked filter\n", out);
        fprintf(out, "signals: %s\n",
                plan->reset_signals ? "mask emptied, ignored signals reset to default"
                                    : "inherited mask and ignored signals kept");
}

static void describe_process(FILE *out, const sealexec_launch *launch)
{
        unsigned threads = 0;
        fputs("no_new_privs: yes\n", out);
        fprintf(out, "new session: %s\n", launch->new_session ? "yes (setsid)" : "no");
        if (launch->allow_threads)
                fputs("thread check: skipped (threads allowed; seccomp filters loaded with "
                      "TSYNC)\n",
                      out);
        else if (threads_count(&threads, NULL) < 0)
                fputs("thread check: /proc unavailable (the launch would be refused)\n", out);
        else if (threads == 1)
                fputs("thread check: 1 thread (ok)\n", out);
        else
                fprintf(out, "thread check: %u threads (the launch would be refused)\n", threads);
}

/* A value on one line: control characters and backslashes escaped as in C. */
static void put_escaped(FILE *out, const char *text)
{
        for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
                if (*p == '\n')
                        fputs("\\n", out);
                else if (*p == '\t')
                        fputs("\\t", out);
                else if (*p == '\\')
                        fputs("\\\\", out);
                else if (*p < 0x20 || *p == 0x7f)
                        fprintf(out, "\\x%02x", *p);
                else
                        fputc(*p, out);
        }
}

static void describe_argv(FILE *out, char **argv)
{
        for (size_t i = 0; argv && argv[i]; i++) {
                fprintf(out, "argv[%zu]: ", i);
                put_escaped(out, argv[i]);
                fputc('\n', out);
        }
}

static int describe_all(FILE *out, sealexec_launch *launch, sealexec_error *err)
{
        const struct launch_plan *plan;
        _cleanup_free_ struct subst_entry *entries = NULL;
        int r = launch_plan_get(launch, &plan, err);
        if (r < 0)
                return r;
        struct fd_plan fdp = {
            .base = plan->base, .n_files = launch->n_files, .payload_fd = plan->payload_fd};
        r = describe_payload(out, launch->payload, err);
        if (r >= 0)
                r = interpreter_describe(out, launch, &fdp, err);
        if (r >= 0)
                r = launch_subst_entries(launch, &fdp, &entries, err);
        if (r < 0)
                return r;
        describe_argv(out, plan->argv);
        r = describe_env(out, launch, entries, err);
        if (r >= 0)
                r = describe_files(out, launch, plan, err);
        if (r < 0)
                return r;
        describe_fds(out, plan);
        describe_rlimits(out, launch);
        describe_user(out, launch);
        describe_caps(out, plan);
        describe_process(out, launch);
        landlock_describe(out, launch, plan->exec_guard);
        describe_exec(out, launch, plan);
        return describe_seccomp(out, launch, plan, err);
}

SEALEXEC_API int sealexec_launch_describe(sealexec_launch *launch, char **ret_text,
                                          sealexec_error *err)
{
        if (!ret_text)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "describe: no result given");
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&text, &size);
        if (!out)
                return se_oom(err, "describe");
        int r = describe_all(out, launch, err);
        if (fclose(out) != 0 && r >= 0)
                r = se_oom(err, "describe");
        if (r < 0)
                return r;
        *ret_text = TAKE_PTR(text);
        return 0;
}
