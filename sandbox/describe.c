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

#include "caps.h"
#include "cleanup.h"
#include "error.h"
#include "loader/payload.h"
#include "policy/policy.h"
#include "sandbox/exec-once.h"
#include "sandbox/launch.h"

#define DESC_ERR(err, what) se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED, "describe: %s", what)

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
static int describe_argv_env(FILE *out, const sealexec_launch *launch, char **argv,
                             const struct subst_entry *entries, sealexec_error *err)
{
        for (size_t i = 0; argv && argv[i]; i++)
                fprintf(out, "argv[%zu]: %s\n", i, argv[i]);
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

static int describe_files(FILE *out, const sealexec_launch *launch, const struct fd_plan *plan,
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

static void describe_fds(FILE *out, const sealexec_launch *launch, const struct fd_plan *plan,
                         const int *fds, size_t n)
{
        fputs("fds:", out);
        for (size_t i = 0; i < n; i++) {
                fprintf(out, " %d", fds[i]);
                if (fds[i] == plan->payload_fd)
                        fputs(" (payload)", out);
                else if (fds[i] >= plan->base)
                        fprintf(out, " (%s)", launch->files[fds[i] - plan->base].name);
                else if (fds[i] > 2 || fds[i] < 0)
                        fputs(" (kept)", out);
        }
        fputs("\n", out);
        fprintf(out, "payload fd: %d (%s)\n", plan->payload_fd,
                launch->payload->is_script ? "inherited by the interpreter" : "close-on-exec");
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

static void describe_caps(FILE *out, const sealexec_launch *launch)
{
        char buf[1024];
        uint64_t permitted = 0;
        int last_cap = caps_last_cap();
        bool target_is_root =
            launch->have_uid ? launch->uid == 0 : (getuid() == 0 || geteuid() == 0);
        /* Not fatal here: an unreadable set is reported as empty. */
        (void)caps_read_permitted(&permitted, NULL);
        enum caps_bounding_plan plan =
            caps_plan_bounding(permitted & (UINT64_C(1) << CAP_SETPCAP), permitted == 0,
                               target_is_root, caps_read_bounding(last_cap), launch->keep_caps);

        fprintf(out, "capabilities kept: %s\n", caps_format(launch->keep_caps, buf, sizeof(buf)));
        uint64_t missing = launch->keep_caps & ~permitted;
        if (missing)
                fprintf(out, "capabilities missing: %s (the launch would be refused)\n",
                        caps_format(missing, buf, sizeof(buf)));
        fputs("capabilities permitted, effective, inheritable: kept only\n", out);
        fprintf(out, "capabilities ambient: %s\n",
                target_is_root ? "cleared (root gets the bounding set)" : "kept only");
        fprintf(out, "bounding set: %s\n", caps_bounding_plan_describe(plan));
}

static int describe_seccomp(FILE *out, const sealexec_launch *launch, int exec_fd,
                            sealexec_error *err)
{
        struct sealexec_policy *loaded = NULL;
        const struct sealexec_policy *policy = launch->policy;
        if (!policy) {
                int r = policy_profile_load("default", &loaded, err);
                if (r < 0)
                        return se_error_prefix(err, r, "describe: seccomp");
                policy = loaded;
        }
        if (policy->no_filter) {
                fputs("seccomp: none\n", out);
                sealexec_policy_free(loaded);
                return 0;
        }
        const struct policy_compile_ctx ctx = {.launch_fd = exec_fd,
                                               .kept_caps = launch->keep_caps};
        _cleanup_free_ char *text = NULL;
        int r = policy_describe(policy, &ctx, false, &text, err);
        sealexec_policy_free(loaded);
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
        return 0;
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

static int describe_all(FILE *out, sealexec_launch *launch, sealexec_error *err)
{
        struct fd_plan plan;
        _cleanup_free_ struct subst_entry *entries = NULL;
        _cleanup_free_ int *fds = NULL;
        size_t n_fds;
        char **argv = NULL;

        fd_plan_compute(launch->keep_fds, launch->n_keep_fds, launch->n_files, &plan);
        int r = describe_payload(out, launch->payload, err);
        if (r >= 0)
                r = interpreter_describe(out, launch, &plan, err);
        if (r >= 0)
                r = launch_subst_entries(launch, &plan, &entries, err);
        if (r >= 0)
                r = argv_build(launch->argv, launch->argv0, entries, launch->n_files, &argv, err);
        if (r >= 0 && launch->interpreter) {
                char **interp_argv = NULL;
                r = interpreter_argv_build(launch, plan.payload_fd, argv, &interp_argv, err);
                strv_free(argv);
                argv = r >= 0 ? interp_argv : NULL;
        }
        if (r < 0)
                return r;
        r = describe_argv_env(out, launch, argv, entries, err);
        strv_free(argv);
        if (r >= 0)
                r = describe_files(out, launch, &plan, err);
        if (r < 0)
                return r;
        if (launch_open_fds(launch, &plan, &fds, &n_fds) < 0)
                return DESC_ERR(err, "out of memory");
        describe_fds(out, launch, &plan, fds, n_fds);
        describe_rlimits(out, launch);
        describe_user(out, launch);
        describe_caps(out, launch);
        describe_process(out, launch);
        landlock_describe(out, launch);
        int exec_fd = plan.payload_fd;
        if (launch->exec_once) {
                r = exec_once_check(launch, err);
                if (r >= 0)
                        r = exec_once_target_fd(launch, &plan, &exec_fd, err);
                if (r < 0)
                        return r;
                fprintf(out,
                        "exec-once: yes (executed fd moves to %d, hard RLIMIT_NOFILE lowered to "
                        "%d; second seccomp filter: execve denied, execveat only on fd %d)\n",
                        exec_fd, exec_fd, exec_fd);
        } else
                fputs("exec-once: no\n", out);
        r = describe_seccomp(out, launch, exec_fd, err);
        return r;
}

SEALEXEC_API int sealexec_launch_describe(sealexec_launch *launch, char **ret_text,
                                          sealexec_error *err)
{
        if (!launch || !launch->payload)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "describe: no payload set");
        if (!launch->argv)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "describe: no argv set");
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&text, &size);
        if (!out)
                return DESC_ERR(err, "out of memory");
        int r = describe_all(out, launch, err);
        if (fclose(out) != 0 && r >= 0)
                r = DESC_ERR(err, "out of memory");
        if (r < 0)
                return r;
        *ret_text = TAKE_PTR(text);
        return 0;
}
