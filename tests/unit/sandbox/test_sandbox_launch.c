/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The launch end to end: sealexec_launch_describe() and
 * sealexec_launch_exec() with real payloads loaded by the loader and real
 * policies, each exec in a forked child whose output and exit status the
 * parent checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include <cmocka.h>

#include "child.h"
#include "loader/payload.h"
#include "policy/policy.h"
#include "sandbox/launch.h"
#include "sandbox/caps.h"

#define BIT(c) (UINT64_C(1) << (c))

static bool is_root(void)
{
        return geteuid() == 0;
}

/* Writes `content` to a temporary file and returns its path (static buffer per call site). */
static void temp_file(char *path, size_t size, const char *content, mode_t mode)
{
        snprintf(path, size, "/tmp/sealexec-launch-XXXXXX");
        int fd = mkstemp(path);
        CHILD_CHECK(fd >= 0, "mkstemp: %m");
        CHILD_CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content), "write");
        fchmod(fd, mode);
        close(fd);
}

/* What a test launch consists of; NULL/0 fields are left unset. */
struct spec {
        const char *payload; /* path of the program */
        const char *script;  /* or: script content, written to a temp file */
        char *argv[8];
        const char *conf; /* content of file "conf" */
        const char *env[4];
        const char *user;
        const char *caps;
        const char *rlimit;
        const char *profile; /* NULL: the launch's default */
        struct sealexec_policy *policy;
        int keep_fd;      /* 0: none */
        bool refuse_root; /* leave allow_root unset */
        const char *chdir;
};

static sealexec_payload *child_load(const char *path, unsigned flags)
{
        sealexec_payload *payload = NULL;
        sealexec_error err = {0};
        CHILD_CHECK(sealexec_payload_load_path(path, flags, 0, &payload, &err) == 0,
                    "loading %s: %s", path, err.message);
        return payload;
}

static sealexec_launch *build(const struct spec *s)
{
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        char path[64];
        CHILD_CHECK(sealexec_launch_new(&launch, &err) == 0, "%s", err.message);
        if (s->script) {
                temp_file(path, sizeof(path), s->script, 0700);
                CHILD_CHECK(sealexec_launch_set_payload(launch, child_load(path, 0), &err) == 0,
                            "%s", err.message);
                unlink(path);
        } else {
                CHILD_CHECK(sealexec_launch_set_payload(launch, child_load(s->payload, 0), &err) ==
                                0,
                            "%s", err.message);
        }
        CHILD_CHECK(sealexec_launch_set_argv(launch, s->argv, &err) == 0, "%s", err.message);
        if (s->conf) {
                temp_file(path, sizeof(path), s->conf, 0600);
                sealexec_payload *file = child_load(path, SEALEXEC_LOAD_DATA);
                unlink(path);
                CHILD_CHECK(sealexec_launch_add_file(launch, "conf", file, &err) == 0, "%s",
                            err.message);
        }
        for (size_t i = 0; i < 4 && s->env[i]; i++)
                CHILD_CHECK(sealexec_launch_set_env(launch, s->env[i], &err) == 0, "%s",
                            err.message);
        if (s->user)
                CHILD_CHECK(sealexec_launch_set_user(launch, s->user, &err) == 0, "%s",
                            err.message);
        if (s->caps)
                CHILD_CHECK(sealexec_launch_keep_caps(launch, s->caps, &err) == 0, "%s",
                            err.message);
        if (s->rlimit)
                CHILD_CHECK(sealexec_launch_add_rlimit(launch, s->rlimit, &err) == 0, "%s",
                            err.message);
        if (s->chdir)
                CHILD_CHECK(sealexec_launch_set_chdir(launch, s->chdir, &err) == 0, "%s",
                            err.message);
        if (s->keep_fd)
                CHILD_CHECK(sealexec_launch_keep_fd(launch, s->keep_fd, &err) == 0, "%s",
                            err.message);
        /* Run as root, a payload without a user would be refused (root-guard.c, tested
         * in test_exec_root_refused); the other tests are about the other steps. */
        if (!s->user && !s->refuse_root)
                CHILD_CHECK(sealexec_launch_set_allow_root(launch, true, &err) == 0, "%s",
                            err.message);
        struct sealexec_policy *policy = s->policy;
        if (s->profile)
                CHILD_CHECK(policy_profile_load(s->profile, &policy, &err) == 0, "%s", err.message);
        if (policy)
                CHILD_CHECK(sealexec_launch_set_policy(launch, policy, &err) == 0, "%s",
                            err.message);
        return launch;
}

/* Child: builds the launch and execs; on failure prints "exec failed: MESSAGE (kind K)". */
static void child_exec(void *arg)
{
        sealexec_launch *launch = build(arg);
        sealexec_error err = {0};
        int r = sealexec_launch_exec(launch, &err);
        printf("exec failed: %s (kind %d, code %d)\n", err.message, (int)err.kind, r);
        fflush(stdout);
        _exit(100);
}

static int run_exec(struct spec *s, char **ret_output)
{
        char *output = NULL;
        int status = run_child(child_exec, s, &output);
        if (ret_output)
                *ret_output = output;
        else
                free(output);
        return status;
}

static void expect_exec_status(struct spec *s, int want)
{
        char *output = NULL;
        int status = run_exec(s, &output);
        if (status != want)
                fprintf(stderr, "exit status %d, want %d; output:\n%s\n", status, want, output);
        assert_int_equal(status, want);
        free(output);
}

static void expect_line(const char *text, const char *line)
{
        size_t len = strlen(line);
        for (const char *p = text; p && *p;) {
                if (strncmp(p, line, len) == 0 && (p[len] == '\n' || p[len] == '\0'))
                        return;
                p = strchr(p, '\n');
                p = p ? p + 1 : NULL;
        }
        fprintf(stderr, "line '%s' not found in:\n%s\n", line, text);
        fail();
}

static void expect_field(const char *status, const char *key, const char *want)
{
        char buf[256];
        status_field(status, key, buf, sizeof(buf));
        if (strcmp(buf, want) != 0)
                fprintf(stderr, "%s: '%s', want '%s'\n", key, buf, want);
        assert_string_equal(buf, want);
}

static void expect_mask(const char *status, const char *key, uint64_t want)
{
        char buf[64];
        snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)want);
        expect_field(status, key, buf);
}

/* --- refusals before any step ---------------------------------------------- */

static void test_exec_needs_payload_and_argv(void **state)
{
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_new(&launch, &err), 0);
        assert_int_equal(sealexec_launch_exec(launch, &err), -EINVAL);
        assert_string_equal(err.message, "prepare: no payload set");
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);

        sealexec_payload *payload = NULL;
        assert_int_equal(sealexec_payload_load_path("/bin/true", 0, 0, &payload, &err), 0);
        assert_int_equal(sealexec_launch_set_payload(launch, payload, &err), 0);
        assert_int_equal(sealexec_launch_exec(launch, &err), -EINVAL);
        assert_string_equal(err.message, "prepare: no argv set");
        sealexec_launch_free(launch);
}

/* --- describe -------------------------------------------------------------- */

static void test_describe(void **state)
{
        struct spec s = {
            .payload = "/bin/true",
            .argv = {"true", "--config=%{conf}", "%{other}"},
            .conf = "key=value\n",
            .env = {"CONF=%{conf}"},
            .user = "nobody",
            .caps = "net_bind_service",
            .rlimit = "nofile=64:128",
            .profile = "none",
        };
        sealexec_launch *launch = build(&s);
        int payload_fd = launch->payload->fd;
        char *text = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_describe(launch, &text, &err), 0);

        expect_line(text, "payload: /bin/true");
        expect_line(text, "payload type: elf");
        assert_non_null(strstr(text, "\ndigest: sha256:"));
        expect_line(text, "argv[0]: true");
        expect_line(text, "argv[1]: --config=/proc/self/fd/3");
        expect_line(text, "argv[2]: %{other}");
        expect_line(text, "env: set CONF=/proc/self/fd/3");
        expect_line(text, "chdir: unchanged");
        assert_non_null(
            strstr(text, "\nfile: conf -> fd 3, path /proc/self/fd/3, size 10, sha256:"));
        expect_line(text, "fds: 0 1 2 3 (conf) 4 (payload)");
        expect_line(text, "payload fd: 4 (executed, close-on-exec)");
        expect_line(text, "exec fd: 4 (payload, close-on-exec)");
        expect_line(text, "rlimit: nofile=64:128");
        expect_line(text, "user: 65534");
        expect_line(text, "group: 65534");
        expect_line(text, "capabilities kept: cap_net_bind_service");
        expect_line(text, "no_new_privs: yes");
        expect_line(text, "thread check: 1 thread (ok)");
        expect_line(text, "seccomp: none");
        uint64_t permitted = 0;
        assert_int_equal(caps_read_permitted(&permitted, NULL), 0);
        if (permitted & BIT(CAP_SETPCAP))
                expect_line(text, "bounding set: dropped except kept");
        else if (permitted == 0)
                expect_line(text, "bounding set: unchanged (no CAP_SETPCAP; no_new_privs "
                                  "prevents gaining capabilities)");
        free(text);

        /* Describing changed nothing. */
        assert_int_equal(launch->payload->fd, payload_fd);
        assert_true(fcntl(payload_fd, F_GETFD) >= 0);
        sealexec_launch_free(launch);
}

/* Run as 65534 without capabilities: describe predicts the unprivileged path. */
static void child_describe_unprivileged(void *arg)
{
        gid_t g = 65534;
        CHILD_CHECK(setgroups(1, &g) == 0 && setresgid(g, g, g) == 0 &&
                        setresuid(65534, 65534, 65534) == 0,
                    "becoming 65534: %m");
        struct spec s = {.payload = "/bin/true", .argv = {"true"}, .profile = "none"};
        sealexec_launch *launch = build(&s);
        char *text = NULL;
        sealexec_error err = {0};
        CHILD_CHECK(sealexec_launch_describe(launch, &text, &err) == 0, "%s", err.message);
        fputs(text, stdout);
}

static void test_describe_unprivileged(void **state)
{
        char *out = NULL;
        assert_int_equal(run_child(child_describe_unprivileged, NULL, &out), 0);
        expect_line(out, "bounding set: unchanged (no CAP_SETPCAP; no_new_privs prevents gaining "
                         "capabilities)");
        expect_line(out, "capabilities kept: none");
        expect_line(out, "user: unchanged");
        free(out);
}

static void test_describe_default_policy_and_kept_fd(void **state)
{
        int kept = dup2(STDERR_FILENO, 9);
        assert_int_equal(kept, 9);
        struct spec s = {
            .script = "#!/bin/sh\nexit 0\n",
            .argv = {"script"},
            .conf = "x",
            .keep_fd = 9,
        };
        sealexec_launch *launch = build(&s);
        char *text = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_describe(launch, &text, &err), 0);
        expect_line(text, "payload type: script");
        expect_line(text, "fds: 0 1 2 9 (kept) 10 (conf) 11 (payload)");
        /* The kernel's "#!" handling reads the script at /dev/fd/11 after exec. */
        expect_line(text, "exec fd: 11 (payload, inherited)");
        expect_line(text, "user: unchanged");
        expect_line(text, "env: inherited unchanged");
        expect_line(text, "rlimits: unchanged");
        /* The default profile's own description, indented under "seccomp:". */
        expect_line(text, "seccomp:");
        assert_non_null(strstr(text, "\nseccomp:\n  "));
        free(text);
        sealexec_launch_free(launch);
        close(kept);
}

/* --- exec ------------------------------------------------------------------ */

static void test_exec_true_none(void **state)
{
        struct spec s = {.payload = "/bin/true", .argv = {"true"}, .profile = "none"};
        expect_exec_status(&s, 0);
        /* The status is the payload's own: /bin/false gives 1. */
        struct spec f = {.payload = "/bin/false", .argv = {"false"}, .profile = "none"};
        expect_exec_status(&f, 1);
}

static void test_exec_true_default(void **state)
{
        struct spec s = {.payload = "/bin/true", .argv = {"true"}, .profile = "default"};
        expect_exec_status(&s, 0);
        /* No policy set: the built-in default applies. */
        struct spec d = {.payload = "/bin/true", .argv = {"true"}};
        expect_exec_status(&d, 0);
}

static void test_exec_sh_status(void **state)
{
        const uint64_t nbs = BIT(CAP_NET_BIND_SERVICE);
        struct spec s = {
            .payload = "/bin/sh",
            .argv = {"sh", "-c",
                     "echo \"conf=$(cat \"$CONF\")\"; echo \"arg=$0\"; "
                     "cat /proc/self/status",
                     "%{conf}"},
            .conf = "hello-conf",
            .env = {"CONF=%{conf}"},
            .user = "nobody",
            .caps = "net_bind_service",
            .rlimit = "nofile=64:64",
            .profile = "default",
        };
        char *out = NULL;
        int status = run_exec(&s, &out);
        if (status != 0)
                fprintf(stderr, "output:\n%s\n", out);
        assert_int_equal(status, 0);
        expect_line(out, "conf=hello-conf");
        expect_line(out, "arg=/proc/self/fd/3");
        expect_field(out, "Uid", "65534\t65534\t65534\t65534");
        expect_field(out, "Gid", "65534\t65534\t65534\t65534");
        expect_field(out, "Groups", "65534");
        expect_mask(out, "CapInh", nbs);
        expect_mask(out, "CapPrm", nbs);
        expect_mask(out, "CapEff", nbs);
        expect_mask(out, "CapBnd", nbs);
        expect_mask(out, "CapAmb", nbs);
        expect_field(out, "NoNewPrivs", "1");
        expect_field(out, "Seccomp", "2");
        free(out);
}

static void test_exec_sh_status_none(void **state)
{
        struct spec s = {
            .payload = "/bin/sh",
            .argv = {"sh", "-c", "cat /proc/self/status"},
            .profile = "none",
        };
        char *out = NULL;
        assert_int_equal(run_exec(&s, &out), 0);
        expect_field(out, "Uid", "0\t0\t0\t0");
        expect_mask(out, "CapPrm", 0);
        expect_mask(out, "CapEff", 0);
        expect_mask(out, "CapBnd", 0);
        expect_mask(out, "CapAmb", 0);
        expect_field(out, "NoNewPrivs", "1");
        expect_field(out, "Seccomp", "0");
        free(out);
}

/* A launcher that is already unprivileged: the bounding set stays, the rest holds. */
static void child_unprivileged_exec(void *arg)
{
        gid_t g = 65534;
        CHILD_CHECK(setgroups(1, &g) == 0 && setresgid(g, g, g) == 0 &&
                        setresuid(65534, 65534, 65534) == 0,
                    "becoming 65534: %m");
        child_exec(arg);
}

static void test_exec_unprivileged(void **state)
{
        uint64_t bounding = caps_read_bounding(caps_last_cap());
        struct spec s = {
            .payload = "/bin/cat",
            .argv = {"cat", "/proc/self/status"},
            .profile = "default",
        };
        char *out = NULL;
        int status = run_child(child_unprivileged_exec, &s, &out);
        if (status != 0)
                fprintf(stderr, "output:\n%s\n", out);
        assert_int_equal(status, 0);
        expect_field(out, "Uid", "65534\t65534\t65534\t65534");
        expect_mask(out, "CapPrm", 0);
        expect_mask(out, "CapEff", 0);
        expect_mask(out, "CapAmb", 0);
        expect_mask(out, "CapBnd", bounding);
        expect_field(out, "NoNewPrivs", "1");
        expect_field(out, "Seccomp", "2");
        free(out);

        /* Keeping a capability it does not hold fails closed; the payload never runs. */
        struct spec k = {
            .payload = "/bin/sh",
            .argv = {"sh", "-c", "echo PAYLOAD-RAN"},
            .caps = "net_bind_service",
        };
        status = run_child(child_unprivileged_exec, &k, &out);
        assert_int_equal(status, 100);
        assert_null(strstr(out, "PAYLOAD-RAN"));
        assert_non_null(strstr(out, "exec failed: prepare: capabilities: cannot keep "
                                    "cap_net_bind_service: the launcher does not hold it (kind "
                                    "125"));
        free(out);
}

static void test_exec_script(void **state)
{
        struct spec s = {
            .script = "#!/bin/sh\necho \"script-ran $# $1\"\n",
            .argv = {"myscript", "first"},
            .profile = "default",
        };
        char *out = NULL;
        int status = run_exec(&s, &out);
        if (status != 0)
                fprintf(stderr, "output:\n%s\n", out);
        assert_int_equal(status, 0);
        expect_line(out, "script-ran 1 first");
        free(out);
}

static void test_exec_cannot_execute(void **state)
{
        struct spec s = {
            .script = "#!/nonexistent/sealexec-interpreter\n",
            .argv = {"broken"},
            .profile = "none",
        };
        char *out = NULL;
        assert_int_equal(run_exec(&s, &out), 100);
        assert_non_null(strstr(out, "exec failed: exec: payload '/tmp/sealexec-launch-"));
        assert_non_null(strstr(out, "': No such file or directory (kind 126, code -2)"));
        free(out);
}

static void test_exec_chdir(void **state)
{
        struct spec s = {
            .payload = "/bin/sh",
            .argv = {"sh", "-c", "pwd"},
            .chdir = "/usr/share",
            .profile = "none",
        };
        char *out = NULL;
        assert_int_equal(run_exec(&s, &out), 0);
        expect_line(out, "/usr/share");
        free(out);

        /* A failing step stops the launch, names itself, and the payload never runs. */
        struct spec bad = {
            .payload = "/bin/sh",
            .argv = {"sh", "-c", "echo PAYLOAD-RAN"},
            .chdir = "/nonexistent/sealexec",
            .profile = "none",
        };
        assert_int_equal(run_exec(&bad, &out), 100);
        assert_null(strstr(out, "PAYLOAD-RAN"));
        assert_non_null(strstr(out, "exec failed: confine: chdir '/nonexistent/sealexec': No such "
                                    "file or directory (kind 125, code -2)"));
        free(out);
}

static void *sleeper(void *arg)
{
        pause();
        return NULL;
}

static void child_exec_with_thread(void *arg)
{
        pthread_t thread;
        CHILD_CHECK(pthread_create(&thread, NULL, sleeper, NULL) == 0, "pthread_create");
        child_exec(arg);
}

static void test_exec_refuses_threads(void **state)
{
        struct spec s = {.payload = "/bin/sh", .argv = {"sh", "-c", "echo PAYLOAD-RAN"}};
        char *out = NULL;
        assert_int_equal(run_child(child_exec_with_thread, &s, &out), 100);
        assert_null(strstr(out, "PAYLOAD-RAN"));
        assert_non_null(strstr(out, "exec failed: confine: threads: the process has 2 threads"));
        free(out);
}

/* A precompiled program is installed as it is: here, a single "allow". */
static void test_exec_precompiled_bpf(void **state)
{
        struct sealexec_policy *policy = NULL;
        assert_int_equal(policy_new("allow-all.bpf", &policy, NULL), 0);
        struct sock_filter *prog = calloc(1, sizeof(*prog));
        assert_non_null(prog);
        prog[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        policy->bpf = prog;
        policy->n_bpf = 1;
        struct spec s = {
            .payload = "/bin/cat",
            .argv = {"cat", "/proc/self/status"},
            .policy = policy,
        };
        char *out = NULL;
        assert_int_equal(run_exec(&s, &out), 0);
        expect_field(out, "Seccomp", "2");
        expect_field(out, "Seccomp_filters", "1");
        free(out);
        sealexec_policy_free(policy); /* the parent's copy; the child's was consumed */
}

#ifdef SEALEXEC_PROBE
/* The descriptors the payload sees, reported by sealexec-probe from inside. */
static void child_exec_fds(void *arg)
{
        CHILD_CHECK(dup2(STDOUT_FILENO, 7) == 7, "dup2");
        CHILD_CHECK(dup2(STDOUT_FILENO, 4) == 4, "dup2");   /* stray: must be closed */
        CHILD_CHECK(dup2(STDOUT_FILENO, 40) == 40, "dup2"); /* stray: must be closed */
        child_exec(arg);
}

static void test_exec_fds_probe(void **state)
{
        struct spec s = {
            .payload = SEALEXEC_PROBE,
            .argv = {"probe", "fds", "file:%{conf}"},
            .conf = "probe-conf",
            .keep_fd = 7,
            .profile = "default",
        };
        char *out = NULL;
        int status = run_child(child_exec_fds, &s, &out);
        if (status != 0)
                fprintf(stderr, "output:\n%s\n", out);
        assert_int_equal(status, 0);
        /* Kept 7, the file at 8; the ELF payload's fd 9 closed by exec. */
        expect_line(out, "fds=0,1,2,7,8");
        expect_line(out, "file_content=probe-conf");
        free(out);
}
#endif

/* As root without a user and without allow_root, the launch is refused before any step. */
static void test_exec_root_refused(void **state)
{
        struct spec s = {
            .payload = "/bin/sh",
            .argv = {"sh", "-c", "echo PAYLOAD-RAN"},
            .refuse_root = true,
        };
        char *out = NULL;
        assert_int_equal(run_exec(&s, &out), 100);
        assert_null(strstr(out, "PAYLOAD-RAN"));
        assert_non_null(
            strstr(out, "exec failed: root: the payload would run as uid 0 of the host"));
        free(out);
}

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_exec_needs_payload_and_argv),
            cmocka_unit_test(test_describe_default_policy_and_kept_fd),
            cmocka_unit_test(test_exec_true_none),
            cmocka_unit_test(test_exec_true_default),
            cmocka_unit_test(test_exec_script),
            cmocka_unit_test(test_exec_cannot_execute),
            cmocka_unit_test(test_exec_chdir),
            cmocka_unit_test(test_exec_refuses_threads),
            cmocka_unit_test(test_exec_precompiled_bpf),
#ifdef SEALEXEC_PROBE
            cmocka_unit_test(test_exec_fds_probe),
#endif
        };
        const struct CMUnitTest root_tests[] = {
            /* test_describe keeps a capability and switches to nobody: root only. */
            cmocka_unit_test(test_describe),          cmocka_unit_test(test_describe_unprivileged),
            cmocka_unit_test(test_exec_sh_status),    cmocka_unit_test(test_exec_sh_status_none),
            cmocka_unit_test(test_exec_unprivileged), cmocka_unit_test(test_exec_root_refused),
        };
        if (!root_group_requested(argc, argv))
                return cmocka_run_group_tests(tests, NULL, NULL);
        if (!is_root())
                return root_group_skip("needs root (switches to uid 65534, drops capabilities)");
        return cmocka_run_group_tests(root_tests, NULL, NULL);
}
