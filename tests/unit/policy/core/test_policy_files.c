/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Policy files and precompiled BPF programs, through the public API. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/filter.h>

#include "core_helpers.h"
#include "sealexec.h"

static char dir[] = "/tmp/sealexec-core-XXXXXX";

static int setup(void **state)
{
        return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

/* Writes `len` bytes to dir/name and returns the path (static buffer). */
static const char *write_file(const char *name, const void *data, size_t len)
{
        static char path[256];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, len), (ssize_t)len);
        close(fd);
        return path;
}

static void load_bpf_sizes(void **state)
{
        struct sock_filter prog[2] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                                      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
        sealexec_policy *p = NULL;
        sealexec_error err = {0};

        assert_int_equal(sealexec_policy_load_bpf(write_file("empty.bpf", "", 0), &p, &err),
                         -EINVAL);
        assert_null(p);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_int_equal(sealexec_policy_load_bpf(write_file("odd.bpf", prog, 7), &p, &err),
                         -EINVAL);
        assert_non_null(strstr(err.message, "7 bytes"));
        size_t big = 4097 * sizeof(struct sock_filter);
        void *zeros = calloc(1, big);
        assert_int_equal(sealexec_policy_load_bpf(write_file("big.bpf", zeros, big), &p, &err),
                         -EINVAL);
        free(zeros);
        /* Opened the loader's way: a directory is refused as everywhere else. */
        assert_int_equal(sealexec_policy_load_bpf(dir, &p, &err), -EISDIR);
        assert_non_null(strstr(err.message, "is a directory"));
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        /* A missing policy refuses the launch: 127 means "payload not found". */
        assert_int_equal(sealexec_policy_load_bpf("/nonexistent/x.bpf", &p, &err), -ENOENT);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_int_equal(sealexec_policy_load_file("/nonexistent/x.json", NULL, &p, &err), -ENOENT);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_non_null(strstr(err.message, "policy '/nonexistent/x.json'"));

        assert_int_equal(
            sealexec_policy_load_bpf(write_file("ok.bpf", prog, sizeof(prog)), &p, &err), 0);
        assert_int_equal(p->n_bpf, 2);
        void *out = NULL;
        size_t len = 0;
        assert_int_equal(sealexec_policy_export_bpf(p, NULL, -1, &out, &len, &err), 0);
        assert_int_equal(len, sizeof(prog));
        assert_memory_equal(out, prog, sizeof(prog));
        free(out);
        sealexec_policy_free(p);
}

static void export_default_in_bytes(void **state)
{
        sealexec_policy *p = NULL;
        sealexec_error err = {0};
        void *out = NULL;
        size_t len = 0;
        assert_int_equal(sealexec_policy_new_profile("default", &p, &err), 0);
        assert_int_equal(sealexec_policy_export_bpf(p, "chown", 3, &out, &len, &err), 0);
        assert_true(len > 0 && len % sizeof(struct sock_filter) == 0);
        free(out);
        assert_int_equal(sealexec_policy_export_bpf(p, "cap_nonsense", 3, &out, &len, &err),
                         -EINVAL);
        sealexec_policy_free(p);
        assert_int_equal(sealexec_policy_new_profile("none", &p, &err), 0);
        assert_int_equal(sealexec_policy_export_bpf(p, NULL, -1, &out, &len, &err), -EINVAL);
        char *text = NULL;
        assert_int_equal(sealexec_policy_explain(p, NULL, 0, &text, &err), 0);
        assert_non_null(strstr(text, "no seccomp filter"));
        free(text);
        sealexec_policy_free(p);
}

static void load_file_refusals(void **state)
{
        sealexec_policy *p = NULL;
        sealexec_error err = {0};
        char nul[] = "read: 1\nwr\0ite: 1\n";
        const char *path = write_file("nul.policy", nul, sizeof(nul) - 1);
        char expect[300];

        assert_int_equal(sealexec_policy_load_file(path, NULL, &p, &err), -EINVAL);
        snprintf(expect, sizeof(expect), "%s:2:3: ", path);
        assert_non_null(strstr(err.message, expect));

        char *diag = NULL;
        assert_int_equal(sealexec_policy_check_file(path, NULL, &diag, &err), -EINVAL);
        assert_non_null(strstr(diag, expect));
        free(diag);

        assert_int_equal(sealexec_policy_load_file(dir, NULL, &p, &err), -EISDIR);
        assert_non_null(strstr(err.message, "is a directory"));
        assert_int_equal(sealexec_policy_load_file("/nonexistent.policy", NULL, &p, &err), -ENOENT);

        /* larger than 16 MiB: refused before reading */
        path = write_file("huge.policy", "", 0);
        assert_int_equal(truncate(path, (16 << 20) + 1), 0);
        assert_int_equal(sealexec_policy_load_file(path, NULL, &p, &err), -EFBIG);
        snprintf(expect, sizeof(expect), "%s:1:1: policy file larger than 16 MiB", path);
        assert_string_equal(err.message, expect);
        assert_null(p);
}

/* A minijail policy that names a syscall newer than libseccomp 2.5.4. */
static void load_text_with_mseal(void **state)
{
        static const char text[] = "# test\nread: 1\nwrite: 1\nexit_group: 1\nmseal: 1\n";
        sealexec_policy *p = NULL;
        sealexec_error err = {0};
        const char *path = write_file("mseal.policy", text, sizeof(text) - 1);
        if (sealexec_policy_load_file(path, NULL, &p, &err) < 0)
                fail_msg("%s", err.message);
        struct compiled c = compile_ctx(p, -1, 0);
#ifdef __x86_64__
        assert_int_equal(verdict(&c, 462, 0, 0, 0, 0, 0), RET_ALLOW);
#endif
        assert_int_equal(verdict(&c, 0x27 /* getpid on x86_64 */ + 1000, 0, 0, 0, 0, 0),
                         RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);

        char *diag = NULL;
        assert_int_equal(sealexec_policy_check_file(path, NULL, &diag, &err), 0);
        assert_string_equal(diag, "");
        free(diag);
}

/* The format is chosen by content: JSON whatever the file is called. */
static void load_json_by_content(void **state)
{
        static const char json[] = "  \n{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                   "[{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
        sealexec_policy *p = NULL;
        sealexec_error err = {0};
        const char *path = write_file("looks-like.policy", json, sizeof(json) - 1);
        if (sealexec_policy_load_file(path, NULL, &p, &err) < 0)
                fail_msg("%s", err.message);
        assert_int_equal(p->default_action.kind, POLICY_ACT_ERRNO);
        sealexec_policy_free(p);
}

/* A notify policy is valid, but check says a launch needs a listener; an
 * errno above 4095 is valid, but check says what the kernel returns. Notes
 * and warnings are not errors: check returns 0. */
static void check_notes_and_warnings(void **state)
{
        static const char text[] = "read: 1\nwrite: 1\ngetppid: user-notify\ngetpid: user-notify\n";
        static const char json[] = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                                   "[{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\", "
                                   "\"errnoRet\": 12345}]}";
        sealexec_error err = {0};
        char *diag = NULL, want[600];
        const char *path = write_file("notify.policy", text, sizeof(text) - 1);

        assert_int_equal(sealexec_policy_check_file(path, NULL, &diag, &err), 0);
        snprintf(want, sizeof(want),
                 "%s:3:1: note: user-notify (SCMP_ACT_NOTIFY): a launch with this policy is "
                 "refused unless a seccomp listener socket is given; the listener is sent to it "
                 "with an OCI ContainerProcessState naming \"seccompFd\", and an agent answers "
                 "the calls\n",
                 path);
        assert_string_equal(diag, want);
        free(diag);

        path = write_file("fixture.json", json, sizeof(json) - 1);
        assert_int_equal(sealexec_policy_check_file(path, NULL, &diag, &err), 0);
        snprintf(want, sizeof(want),
                 "%s:1:113: warning: syscalls[0].errnoRet: errno 12345 is above 4095: the "
                 "kernel returns 4095 (MAX_ERRNO) instead\n",
                 path);
        assert_string_equal(diag, want);
        free(diag);
        /* Loading says nothing and keeps the value. */
        sealexec_policy *p = NULL;
        assert_int_equal(sealexec_policy_load_file(path, NULL, &p, &err), 0);
        assert_int_equal(p->rules[0].action.data, 12345);
        sealexec_policy_free(p);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(load_bpf_sizes),       cmocka_unit_test(export_default_in_bytes),
            cmocka_unit_test(load_file_refusals),   cmocka_unit_test(load_text_with_mseal),
            cmocka_unit_test(load_json_by_content), cmocka_unit_test(check_notes_and_warnings),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
