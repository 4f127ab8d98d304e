/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every input the loader must refuse: the errno, the kind and the message. */
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
#include <time.h>
#include <unistd.h>

#include <dirent.h>

#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "loader/loader.h"
#include "loader_test.h"

#define TRUE_PATH "/bin/true"

/* Loads `path` expecting failure; checks code, kind, message and that
 * ret_payload was not written. */
static void expect_fail(const char *path, unsigned flags, uint64_t max_size, int code,
                        sealexec_error_kind kind, const char *needle)
{
        sealexec_payload *sentinel = (sealexec_payload *)(uintptr_t)0x1;
        sealexec_payload *p = sentinel;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path(path, flags, max_size, &p, &err);
        if (r != code || err.kind != kind || !strstr(err.message, needle))
                fail_msg("loading '%s': got %d kind %d '%s'; expected %d kind %d with '%s'", path,
                         r, err.kind, err.message, code, kind, needle);
        assert_int_equal(err.code, code);
        assert_ptr_equal(p, sentinel);
        assert_null(strchr(err.message, '\n'));
}

static void test_missing(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "nope");
        char msg[512];
        snprintf(msg, sizeof(msg), "payload '%s': not found", path);
        expect_fail(path, 0, 0, -ENOENT, SEALEXEC_ERROR_NOT_FOUND, msg);
        /* A missing configuration file is sealexec's failure, not 127. */
        snprintf(msg, sizeof(msg), "file '%s': not found", path);
        expect_fail(path, SEALEXEC_LOAD_DATA, 0, -ENOENT, SEALEXEC_ERROR_REFUSED, msg);
        /* A NULL err is fine too. */
        sealexec_payload *p = NULL;
        assert_int_equal(sealexec_payload_load_path(path, 0, 0, &p, NULL), -ENOENT);
        assert_null(p);
        free(path);
        lt_rmtree(dir);
}

static void test_directory(void **state)
{
        char *dir = lt_tmpdir();
        char msg[512];
        snprintf(msg, sizeof(msg), "payload '%s': is a directory", dir);
        expect_fail(dir, 0, 0, -EISDIR, SEALEXEC_ERROR_CANNOT_EXECUTE, msg);
        snprintf(msg, sizeof(msg), "file '%s': is a directory", dir);
        expect_fail(dir, SEALEXEC_LOAD_DATA, 0, -EISDIR, SEALEXEC_ERROR_REFUSED, msg);
        lt_rmtree(dir);
}

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_fifo(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "fifo");
        assert_int_equal(mkfifo(path, 0755), 0);
        /* No writer: a blocking open or read would hang; the alarm kills the
         * test rather than letting it hang forever. */
        alarm(10);
        double start = now();
        expect_fail(path, 0, 0, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE,
                    "not a regular file (fifo)");
        expect_fail(path, SEALEXEC_LOAD_DATA, 0, -EACCES, SEALEXEC_ERROR_REFUSED,
                    "not a regular file (fifo)");

        /* Through load_fd too (O_RDWR opens a FIFO without blocking). */
        int fd = open(path, O_RDWR | O_CLOEXEC);
        assert_true(fd >= 0);
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_fd(fd, "pipe", 0, 0, &p, &err), -EACCES);
        assert_non_null(strstr(err.message, "payload 'pipe': not a regular file (fifo)"));
        close(fd);
        assert_true(now() - start < 5.0);
        alarm(0);
        free(path);
        lt_rmtree(dir);
}

static void test_devices(void **state)
{
        expect_fail("/dev/zero", 0, 0, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE,
                    "payload '/dev/zero': not a regular file (character device)");
        expect_fail("/dev/null", SEALEXEC_LOAD_DATA, 0, -EACCES, SEALEXEC_ERROR_REFUSED,
                    "file '/dev/null': not a regular file (character device)");
}

static void test_socket(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "sock");
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(s >= 0);
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        assert_true(strlen(path) < sizeof(addr.sun_path));
        strcpy(addr.sun_path, path);
        assert_int_equal(bind(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
        expect_fail(path, 0, 0, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE,
                    "not a regular file (socket)");
        close(s);
        free(path);
        lt_rmtree(dir);
}

static void test_bad_content(void **state)
{
        char *dir = lt_tmpdir();
        char *empty = lt_path(dir, "empty"), *text = lt_path(dir, "text");
        char *one = lt_path(dir, "one"), *elfish = lt_path(dir, "elfish");
        lt_write_file(empty, "", 0, 0755);
        lt_write_file(text, "echo hello\n", 11, 0755);
        lt_write_file(one, "#", 1, 0755);
        lt_write_file(elfish, "\177EL", 3, 0755);
        char msg[512];
        snprintf(msg, sizeof(msg), "payload '%s': is empty", empty);
        expect_fail(empty, 0, 0, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE, msg);
        snprintf(msg, sizeof(msg), "payload '%s': not an ELF executable nor a #! script", text);
        expect_fail(text, 0, 0, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE, msg);
        expect_fail(one, 0, 0, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE, "nor a #! script");
        expect_fail(elfish, 0, 0, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE, "nor a #! script");
        free(empty);
        free(text);
        free(one);
        free(elfish);
        lt_rmtree(dir);
}

static void test_max_size(void **state)
{
        struct stat st;
        assert_int_equal(stat(TRUE_PATH, &st), 0);
        assert_true(st.st_size > 1000);
        expect_fail(TRUE_PATH, 0, 1000, -EFBIG, SEALEXEC_ERROR_REFUSED, "--max-size");
        expect_fail(TRUE_PATH, 0, 1000, -EFBIG, SEALEXEC_ERROR_REFUSED, "cap of 1000 bytes");
        expect_fail(TRUE_PATH, SEALEXEC_LOAD_DATA, (uint64_t)st.st_size - 1, -EFBIG,
                    SEALEXEC_ERROR_REFUSED, "exceeds the cap");

        /* Exactly at the cap is fine. */
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_path(TRUE_PATH, 0, (uint64_t)st.st_size, &p, &err),
                         0);
        sealexec_payload_free(p);
}

static void test_root_needs_an_x_bit(void **state)
{
        lt_require_root();
        char *dir = lt_tmpdir();
        char *plain = lt_path(dir, "plain"), *owner_x = lt_path(dir, "owner-x");
        lt_copy_file(TRUE_PATH, plain, 0644);
        lt_copy_file(TRUE_PATH, owner_x, 0744);
        char msg[512];
        snprintf(msg, sizeof(msg), "payload '%s': permission denied", plain);
        expect_fail(plain, 0, 0, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE, msg);
        /* The same file loads as data. */
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_path(plain, SEALEXEC_LOAD_DATA, 0, &p, &err), 0);
        sealexec_payload_free(p);
        /* For root any x bit is enough, as for execve(2). */
        assert_int_equal(sealexec_payload_load_path(owner_x, 0, 0, &p, &err), 0);
        sealexec_payload_free(p);
        free(plain);
        free(owner_x);
        lt_rmtree(dir);
}

struct nobody_case {
        const char *path;
        unsigned flags;
        int code;
        sealexec_error_kind kind;
        const char *needle;
};

/* Runs as uid 65534: loads and compares with the expected outcome. */
static int nobody_load(void *arg)
{
        const struct nobody_case *c = arg;
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path(c->path, c->flags, 0, &p, &err);
        if (r < 0)
                fprintf(stderr, "uid %d: %s\n", (int)getuid(), err.message);
        LT_CHECK(getuid() == 65534, 1);
        LT_CHECK(r == c->code, 2);
        if (c->code == 0) {
                LT_CHECK(p != NULL, 3);
                LT_CHECK((fcntl(sealexec_payload_fd(p), F_GETFL) & O_ACCMODE) == O_RDONLY, 4);
                sealexec_payload_free(p);
                return 0;
        }
        LT_CHECK(p == NULL, 5);
        LT_CHECK(err.kind == c->kind, 6);
        LT_CHECK(strstr(err.message, c->needle) != NULL, 7);
        return 0;
}

static void test_as_nobody(void **state)
{
        lt_require_root();
        char *dir = lt_tmpdir();
        char *secret = lt_path(dir, "secret"), *owner_x = lt_path(dir, "owner-x");
        char *noexec = lt_path(dir, "noexec"), *good = lt_path(dir, "good");
        lt_copy_file(TRUE_PATH, secret, 0600); /* root-only: unreadable for 65534 */
        lt_copy_file(TRUE_PATH, owner_x, 0744);
        lt_copy_file(TRUE_PATH, noexec, 0644);
        lt_copy_file(TRUE_PATH, good, 0755);

        const struct nobody_case cases[] = {
            {good, 0, 0, SEALEXEC_ERROR_NONE, NULL},
            {secret, 0, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE, "cannot open"},
            {secret, SEALEXEC_LOAD_DATA, -EACCES, SEALEXEC_ERROR_REFUSED, "file '"},
            {owner_x, 0, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE, "no execute permission"},
            {noexec, 0, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE, "no execute permission"},
            {noexec, SEALEXEC_LOAD_DATA, 0, SEALEXEC_ERROR_NONE, NULL},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                int status = lt_run_as_nobody(nobody_load, (void *)&cases[i]);
                if (status != 0)
                        fail_msg("case %zu (%s): child check %d failed", i, cases[i].path, status);
        }
        free(secret);
        free(owner_x);
        free(noexec);
        free(good);
        lt_rmtree(dir);
}

/*
 * In a child with its own mount namespace: a noexec tmpfs holding a copy of
 * true must be refused. Exit 0 = refused as expected, 77 = cannot set up.
 */
static int noexec_child(const char *dir)
{
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
            mount("tmpfs", dir, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, "size=8m") < 0) {
                perror("setting up a noexec tmpfs");
                return 77;
        }
        char path[512];
        snprintf(path, sizeof(path), "%s/true", dir);
        int in = open(TRUE_PATH, O_RDONLY | O_CLOEXEC);
        int out = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
        LT_CHECK(in >= 0 && out >= 0, 1);
        char buf[65536];
        ssize_t n;
        while ((n = read(in, buf, sizeof(buf))) > 0)
                LT_CHECK(write(out, buf, (size_t)n) == n, 2);
        close(in);
        close(out);

        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path(path, 0, 0, &p, &err);
        fprintf(stderr, "noexec mount: %s\n", err.message);
        LT_CHECK(r == -EACCES, 3);
        LT_CHECK(err.kind == SEALEXEC_ERROR_CANNOT_EXECUTE, 4);
        LT_CHECK(strstr(err.message, "noexec mount") != NULL, 5);
        /* Data files may live there. */
        LT_CHECK(sealexec_payload_load_path(path, SEALEXEC_LOAD_DATA, 0, &p, &err) == 0, 6);
        sealexec_payload_free(p);
        return 0;
}

static void test_noexec_mount(void **state)
{
        char *dir = lt_tmpdir();
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(noexec_child(dir));
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        lt_rmtree(dir);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77) {
                print_message("cannot mount a noexec tmpfs here; skipping\n");
                TEST_SKIP();
        }
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void expect_fd_fail(int fd, const char *name, unsigned flags, int code, const char *needle)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_fd(fd, name, flags, 0, &p, &err);
        if (r != code || err.kind != SEALEXEC_ERROR_REFUSED || !strstr(err.message, needle))
                fail_msg("fd %d: got %d kind %d '%s'; expected %d with '%s'", fd, r, err.kind,
                         err.message, code, needle);
        assert_null(p);
}

static void test_bad_fds(void **state)
{
        int fd = open(TRUE_PATH, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        close(fd);
        char msg[64];
        snprintf(msg, sizeof(msg), "payload fd %d: not open", fd);
        expect_fd_fail(fd, NULL, 0, -EBADF, msg);
        expect_fd_fail(-1, NULL, 0, -EBADF, "payload fd -1: not open");
        snprintf(msg, sizeof(msg), "file fd %d: not open", fd);
        expect_fd_fail(fd, NULL, SEALEXEC_LOAD_DATA, -EBADF, msg);

        int opath = open(TRUE_PATH, O_PATH | O_CLOEXEC);
        assert_true(opath >= 0);
        expect_fd_fail(opath, "true", 0, -EBADF, "not open for reading");
        close(opath);

        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "w");
        int wfd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
        assert_true(wfd >= 0);
        expect_fd_fail(wfd, "w", SEALEXEC_LOAD_DATA, -EBADF, "not open for reading");
        close(wfd);
        free(path);
        lt_rmtree(dir);
}

static void test_bad_arguments(void **state)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_path(TRUE_PATH, 1u << 7, 0, &p, &err), -EINVAL);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_non_null(strstr(err.message, "unknown load flags"));
        assert_int_equal(sealexec_payload_load_path(NULL, 0, 0, &p, &err), -EINVAL);
        assert_int_equal(sealexec_payload_load_path(TRUE_PATH, 0, 0, NULL, &err), -EINVAL);
        assert_null(p);
        /* Accessors and free accept NULL. */
        assert_int_equal(sealexec_payload_size(NULL), 0);
        assert_null(sealexec_payload_name(NULL));
        assert_false(sealexec_payload_is_script(NULL));
        assert_int_equal(sealexec_payload_seals(NULL), 0);
        assert_true(sealexec_payload_fd(NULL) < 0);
        sealexec_payload_free(NULL);
}

static int count_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        assert_non_null(d);
        int n = 0;
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

/* Neither failures nor free() leave descriptors behind. */
static void test_no_fd_leaks(void **state)
{
        char *dir = lt_tmpdir();
        char *text = lt_path(dir, "text"), *fifo = lt_path(dir, "fifo");
        lt_write_file(text, "plain text\n", 11, 0755);
        assert_int_equal(mkfifo(fifo, 0644), 0);
        int before = count_fds();
        for (int i = 0; i < 20; i++) {
                sealexec_payload *p = NULL;
                sealexec_error err = {0};
                char digest[SEALEXEC_DIGEST_STRING_MAX];
                assert_int_equal(sealexec_payload_load_path(text, 0, 0, &p, &err), -ENOEXEC);
                assert_int_equal(sealexec_payload_load_path(fifo, 0, 0, &p, &err), -EACCES);
                assert_int_equal(sealexec_payload_load_path(dir, 0, 0, &p, &err), -EISDIR);
                assert_int_equal(sealexec_payload_load_path(TRUE_PATH, 0, 10, &p, &err), -EFBIG);
                assert_int_equal(sealexec_payload_load_path("/proc/self/status", SEALEXEC_LOAD_DATA,
                                                            0, &p, &err),
                                 -ETXTBSY);
                assert_int_equal(sealexec_payload_load_path(TRUE_PATH, 0, 0, &p, &err), 0);
                assert_int_equal(sealexec_payload_verify_digest(p, "sha256:00", &err), -EINVAL);
                assert_int_equal(sealexec_payload_digest(p, digest, &err), 0);
                sealexec_payload_free(p);
                assert_int_equal(sealexec_digest_file(fifo, digest, &err), -EACCES);
                assert_int_equal(sealexec_digest_file(text, digest, &err), 0);
        }
        assert_int_equal(count_fds(), before);
        free(text);
        free(fifo);
        lt_rmtree(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_missing),     cmocka_unit_test(test_directory),
            cmocka_unit_test(test_fifo),        cmocka_unit_test(test_devices),
            cmocka_unit_test(test_socket),      cmocka_unit_test(test_bad_content),
            cmocka_unit_test(test_max_size),    cmocka_unit_test(test_root_needs_an_x_bit),
            cmocka_unit_test(test_as_nobody),   cmocka_unit_test(test_noexec_mount),
            cmocka_unit_test(test_bad_fds),     cmocka_unit_test(test_bad_arguments),
            cmocka_unit_test(test_no_fd_leaks),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
