/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fallbacks for older kernels and missing /proc, exercised for real: a
 * forked child installs a seccomp filter that answers the way an old kernel
 * would (EINVAL for MFD_EXEC, MFD_NOEXEC_SEAL and F_SEAL_EXEC, ENOSYS for
 * copy_file_range, sendfile and faccessat2), or hides /proc in a private
 * mount namespace, and then loads payloads. The child reports through its
 * exit status (0 = every check passed, 77 = could not set up).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_skip.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <seccomp.h>

#include "loader/loader.h"
#include "loader_test.h"

#define TRUE_PATH "/bin/true"

static int run_child(int (*fn)(void *), void *arg)
{
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(fn(arg));
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        return WEXITSTATUS(status);
}

static void check_child(int status, const char *what)
{
        if (status == 77) {
                print_message("cannot set up %s here; skipping\n", what);
                TEST_SKIP();
        }
        if (status != 0)
                fail_msg("%s: child check %d failed", what, status);
}

static int install_old_kernel_filter(void)
{
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
        int r = 0;
        if (!ctx)
                return -ENOMEM;
        r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(memfd_create), 1,
                              SCMP_A1(SCMP_CMP_MASKED_EQ, MFD_EXEC, MFD_EXEC));
        r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(memfd_create), 1,
                              SCMP_A1(SCMP_CMP_MASKED_EQ, MFD_NOEXEC_SEAL, MFD_NOEXEC_SEAL));
        r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(fcntl), 2,
                              SCMP_A1(SCMP_CMP_EQ, F_ADD_SEALS, 0),
                              SCMP_A2(SCMP_CMP_MASKED_EQ, F_SEAL_EXEC, F_SEAL_EXEC));
        r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(copy_file_range), 0);
        r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(sendfile), 0);
        r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(faccessat2), 0);
        if (r == 0)
                r = seccomp_load(ctx);
        seccomp_release(ctx);
        return r;
}

static int old_kernel_child(void *arg)
{
        const char *dir = arg;
        char plain[512], good[512];
        snprintf(plain, sizeof(plain), "%s/plain", dir);
        snprintf(good, sizeof(good), "%s/good", dir);

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || install_old_kernel_filter() < 0)
                return 77;
        /* The filter is in force. */
        LT_CHECK(memfd_create("probe", MFD_EXEC) < 0 && errno == EINVAL, 1);

        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path(TRUE_PATH, 0, 0, &p, &err);
        if (r < 0)
                fprintf(stderr, "old kernel: %s\n", err.message);
        LT_CHECK(r == 0, 2);
        int fd = sealexec_payload_fd(p);
        LT_CHECK(sealexec_payload_seals(p) == LOADER_SEALS_BASE, 3);
        LT_CHECK((unsigned)fcntl(fd, F_GET_SEALS) == LOADER_SEALS_BASE, 4);
        struct stat st, src;
        LT_CHECK(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0555, 5);
        LT_CHECK(stat(TRUE_PATH, &src) == 0 && st.st_size == src.st_size, 6);
        char digest[SEALEXEC_DIGEST_STRING_MAX], expected[SEALEXEC_DIGEST_STRING_MAX];
        LT_CHECK(sealexec_payload_digest(p, digest, &err) == 0, 7);
        LT_CHECK(sealexec_digest_file(TRUE_PATH, expected, &err) == 0, 8);
        LT_CHECK(strcmp(digest, expected) == 0, 9); /* copied whole by pread/pwrite */
        sealexec_payload_free(p);

        /* Data: no MFD_NOEXEC_SEAL, the mode alone keeps it non-executable. */
        LT_CHECK(sealexec_payload_load_path(plain, SEALEXEC_LOAD_DATA, 0, &p, &err) == 0, 10);
        fd = sealexec_payload_fd(p);
        LT_CHECK(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0444, 11);
        LT_CHECK(sealexec_payload_seals(p) == LOADER_SEALS_BASE, 12);
        sealexec_payload_free(p);

        /* Without faccessat2, the mode bits decide: root needs an x bit. */
        r = sealexec_payload_load_path(plain, 0, 0, &p, &err);
        LT_CHECK(r == -EACCES, 13);
        LT_CHECK(strstr(err.message, "no execute permission") != NULL, 14);
        LT_CHECK(sealexec_payload_load_path(good, 0, 0, &p, &err) == 0, 15);
        sealexec_payload_free(p);
        return 0;
}

static void test_old_kernel(void **state)
{
        char *dir = lt_tmpdir();
        char *plain = lt_path(dir, "plain"), *good = lt_path(dir, "good");
        lt_copy_file(TRUE_PATH, plain, 0644);
        lt_copy_file(TRUE_PATH, good, 0755);
        int status = run_child(old_kernel_child, dir);
        free(plain);
        free(good);
        lt_rmtree(dir);
        check_child(status, "a seccomp filter imitating an old kernel");
}

static int no_proc_child(void *arg)
{
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
            mount("tmpfs", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=1m") < 0) {
                perror("hiding /proc");
                return 77;
        }
        LT_CHECK(access("/proc/self/fd", F_OK) < 0, 1);

        /* Without /proc a path could only be opened by name a second time,
         * which would be unsafe, so it fails closed, naming the step. A
         * descriptor the caller opened needs no reopening: it is copied (the
         * sealed copy keeps its read-write descriptor, F_SEAL_WRITE refuses
         * every write). */
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path(TRUE_PATH, 0, 0, &p, &err);
        fprintf(stderr, "no /proc: %s\n", err.message);
        LT_CHECK(r < 0 && err.kind == SEALEXEC_ERROR_REFUSED, 2);
        LT_CHECK(strstr(err.message, "payload '/bin/true': cannot use /proc/self/fd (is /proc "
                                     "mounted?)") != NULL,
                 3);
        LT_CHECK(p == NULL, 4);
        int src = open(TRUE_PATH, O_RDONLY | O_CLOEXEC);
        LT_CHECK(src >= 0, 5);
        r = sealexec_payload_load_fd(src, "true", 0, 0, &p, &err);
        fprintf(stderr, "no /proc, borrowed fd: %s\n", err.message);
        LT_CHECK(r == 0 && p != NULL, 6);
        LT_CHECK((sealexec_payload_seals(p) & LOADER_SEALS_BASE) == LOADER_SEALS_BASE, 7);
        sealexec_payload_free(p);
        close(src);
        return 0;
}

static void test_no_proc(void **state)
{
        check_child(run_child(no_proc_child, NULL), "a mount namespace without /proc");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_old_kernel),
            cmocka_unit_test(test_no_proc),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
