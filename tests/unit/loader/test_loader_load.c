/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Successful loads: what the sealed memfd looks like and what it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_skip.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "loader/loader.h"
#include "loader_test.h"

#define TRUE_PATH "/bin/true"

static sealexec_payload *load_ok(const char *path, unsigned flags)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path(path, flags, 0, &p, &err);
        if (r < 0)
                fail_msg("loading %s: %d %s", path, r, err.message);
        assert_non_null(p);
        return p;
}

static void assert_memfd_named(int fd, const char *prefix)
{
        char link[64], target[512];
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        assert_true(n > 0);
        target[n] = '\0';
        if (strncmp(target, prefix, strlen(prefix)) != 0)
                fail_msg("fd %d is '%s', expected a link starting with '%s'", fd, target, prefix);
}

static void test_elf_is_sealed_memfd(void **state)
{
        sealexec_payload *p = load_ok(TRUE_PATH, 0);
        int fd = sealexec_payload_fd(p);
        struct stat src, st;

        assert_memfd_named(fd, "/memfd:sealexec:true");
        assert_string_equal(sealexec_payload_name(p), TRUE_PATH);
        assert_false(sealexec_payload_is_script(p));
        assert_false(p->is_data);
        assert_int_equal(stat(TRUE_PATH, &src), 0);
        assert_int_equal(sealexec_payload_size(p), (uint64_t)src.st_size);
        lt_assert_same_content(fd, TRUE_PATH);

        int seals = fcntl(fd, F_GET_SEALS);
        unsigned need = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
        assert_true(seals >= 0);
        assert_int_equal((unsigned)seals & need, need);
        assert_int_equal(sealexec_payload_seals(p), (unsigned)seals);

        /* Read-only description, close-on-exec, mode 0555. */
        assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0555);
        sealexec_payload_free(p);
}

static void test_elf_refuses_changes(void **state)
{
        sealexec_payload *p = load_ok(TRUE_PATH, 0);
        int fd = sealexec_payload_fd(p);
        char path[64];

        /* Through the payload's own (read-only) descriptor. */
        assert_true(write(fd, "x", 1) < 0);
        assert_true(ftruncate(fd, 0) < 0);
        assert_true(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
        assert_true(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE) < 0);
        assert_int_equal(errno, EPERM);

        /* Through a writable reopen (root passes the 0555 mode): the seals, not
         * the access mode, must refuse. */
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        int rw = open(path, O_RDWR | O_CLOEXEC);
        if (rw < 0) {
                print_message("cannot reopen the 0555 memfd for writing (not root?); skipping\n");
                sealexec_payload_free(p);
                TEST_SKIP();
        }
        errno = 0;
        assert_int_equal(write(rw, "x", 1), -1);
        assert_int_equal(errno, EPERM);
        assert_int_equal(pwrite(rw, "x", 1, 0), -1);
        assert_int_equal(errno, EPERM);
        assert_int_equal(ftruncate(rw, 0), -1);
        assert_int_equal(errno, EPERM);
        assert_int_equal(ftruncate(rw, (off_t)sealexec_payload_size(p) + 4096), -1);
        assert_int_equal(errno, EPERM);
        assert_true(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0) == MAP_FAILED);
        assert_int_equal(errno, EPERM);
        assert_int_equal(fcntl(rw, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), -1);
        assert_int_equal(errno, EPERM);
        close(rw);
        lt_assert_same_content(fd, TRUE_PATH);
        sealexec_payload_free(p);
}

static void test_elf_exec_seal(void **state)
{
        if (!lt_kernel_has_seal_exec()) {
                print_message("kernel has no F_SEAL_EXEC (Linux < 6.3); skipping\n");
                TEST_SKIP();
        }
        sealexec_payload *p = load_ok(TRUE_PATH, 0);
        int fd = sealexec_payload_fd(p);
        assert_true(fcntl(fd, F_GET_SEALS) & F_SEAL_EXEC);
        assert_true(sealexec_payload_seals(p) & F_SEAL_EXEC);
        /* The x bits are frozen. */
        assert_int_equal(fchmod(fd, 0444), -1);
        assert_int_equal(errno, EPERM);
        sealexec_payload_free(p);
}

static void test_elf_runs(void **state)
{
        sealexec_payload *p = load_ok(TRUE_PATH, 0);
        int fd = sealexec_payload_fd(p);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                char *argv[] = {"true", NULL};
                char *envp[] = {NULL};
                syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
                _exit(99);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        sealexec_payload_free(p);
}

static void test_script_detected(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "hello.sh");
        static const char script[] = "#!/bin/sh\necho hello\n";
        lt_write_file(path, script, sizeof(script) - 1, 0755);

        sealexec_payload *p = load_ok(path, 0);
        assert_true(sealexec_payload_is_script(p));
        assert_int_equal(sealexec_payload_size(p), sizeof(script) - 1);
        assert_memfd_named(sealexec_payload_fd(p), "/memfd:sealexec:hello.sh");
        lt_assert_same_content(sealexec_payload_fd(p), path);
        /* The memfd is close-on-exec; the sandbox clears it for scripts. */
        assert_true(fcntl(sealexec_payload_fd(p), F_GETFD) & FD_CLOEXEC);
        sealexec_payload_free(p);
        free(path);
        lt_rmtree(dir);
}

static void test_data_file(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "app.conf");
        static const char conf[] = "key=value\n";
        lt_write_file(path, conf, sizeof(conf) - 1, 0600);

        sealexec_payload *p = load_ok(path, SEALEXEC_LOAD_DATA);
        int fd = sealexec_payload_fd(p);
        struct stat st;
        assert_true(p->is_data);
        assert_false(sealexec_payload_is_script(p));
        assert_memfd_named(fd, "/memfd:sealexec:app.conf");
        lt_assert_same_content(fd, path);
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0444);
        assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
        unsigned need = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
        assert_int_equal(sealexec_payload_seals(p) & need, need);
        bool has_exec_seal = lt_kernel_has_seal_exec();
        if (has_exec_seal) {
                assert_true(fcntl(fd, F_GET_SEALS) & F_SEAL_EXEC);
                assert_int_equal(fchmod(fd, 0555), -1);
        }
        sealexec_payload_free(p);
        free(path);
        lt_rmtree(dir);
        if (!has_exec_seal) {
                print_message("kernel has no F_SEAL_EXEC; exec seal not checked\n");
                TEST_SKIP();
        }
}

static void test_data_any_content(void **state)
{
        char *dir = lt_tmpdir();
        char *empty = lt_path(dir, "empty");
        char *binary = lt_path(dir, "binary");
        lt_write_file(empty, "", 0, 0644);
        /* Mode 0 is no obstacle for root, and data needs no x bit. */
        lt_write_file(binary, "\0\1\2\3", 4, geteuid() == 0 ? 0 : 0400);

        sealexec_payload *p = load_ok(empty, SEALEXEC_LOAD_DATA);
        assert_int_equal(sealexec_payload_size(p), 0);
        sealexec_payload_free(p);
        p = load_ok(binary, SEALEXEC_LOAD_DATA);
        assert_int_equal(sealexec_payload_size(p), 4);
        lt_assert_same_content(sealexec_payload_fd(p), binary);
        sealexec_payload_free(p);
        free(empty);
        free(binary);
        lt_rmtree(dir);
}

static void test_load_fd_borrows(void **state)
{
        int fd = open(TRUE_PATH, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(lseek(fd, 17, SEEK_SET), 17);

        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_fd(fd, "true-by-fd", 0, 0, &p, &err), 0);
        assert_string_equal(sealexec_payload_name(p), "true-by-fd");
        lt_assert_same_content(sealexec_payload_fd(p), TRUE_PATH);
        assert_int_not_equal(sealexec_payload_fd(p), fd);
        sealexec_payload_free(p);

        /* Still open, offset unmoved, flags untouched. */
        assert_true(fcntl(fd, F_GETFD) >= 0);
        assert_int_equal(lseek(fd, 0, SEEK_CUR), 17);

        assert_int_equal(sealexec_payload_load_fd(fd, NULL, 0, 0, &p, &err), 0);
        char expected[32];
        snprintf(expected, sizeof(expected), "fd %d", fd);
        assert_string_equal(sealexec_payload_name(p), expected);
        sealexec_payload_free(p);
        assert_int_equal(lseek(fd, 0, SEEK_CUR), 17);
        assert_int_equal(close(fd), 0);
}

struct path_env {
        char *saved;
        bool was_set;
        char cwd[4096];
};

static void path_save(struct path_env *e)
{
        const char *v = getenv("PATH");
        e->was_set = v != NULL;
        e->saved = v ? strdup(v) : NULL;
        assert_non_null(getcwd(e->cwd, sizeof(e->cwd)));
}

static void path_restore(struct path_env *e)
{
        if (e->was_set)
                setenv("PATH", e->saved, 1);
        else
                unsetenv("PATH");
        free(e->saved);
        assert_int_equal(chdir(e->cwd), 0);
}

static void test_path_lookup(void **state)
{
        struct path_env env;
        char *dir = lt_tmpdir();
        path_save(&env);
        assert_int_equal(chdir(dir), 0);

        setenv("PATH", "/nonexistent-sealexec:/usr/bin:/bin", 1);
        sealexec_payload *p = load_ok("true", SEALEXEC_LOAD_SEARCH_PATH);
        assert_string_equal(sealexec_payload_name(p), "/usr/bin/true");
        lt_assert_same_content(sealexec_payload_fd(p), "/usr/bin/true");
        sealexec_payload_free(p);

        /* Without the flag, "true" is a relative path, absent from dir. */
        sealexec_error err = {0};
        p = NULL;
        assert_int_equal(sealexec_payload_load_path("true", 0, 0, &p, &err), -ENOENT);
        assert_null(p);
        assert_int_equal(err.kind, SEALEXEC_ERROR_NOT_FOUND);

        /* PATH unset: execvp's default "/bin:/usr/bin". */
        unsetenv("PATH");
        p = load_ok("true", SEALEXEC_LOAD_SEARCH_PATH);
        assert_string_equal(sealexec_payload_name(p), "/bin/true");
        sealexec_payload_free(p);

        /* An empty entry is the current directory. */
        char *local = lt_path(dir, "local-prog");
        lt_copy_file(TRUE_PATH, local, 0755);
        setenv("PATH", "/nonexistent-sealexec::/usr/bin", 1);
        p = load_ok("local-prog", SEALEXEC_LOAD_SEARCH_PATH);
        assert_string_equal(sealexec_payload_name(p), "./local-prog");
        sealexec_payload_free(p);

        /* Nowhere in $PATH. */
        setenv("PATH", "/nonexistent-sealexec:/usr/bin", 1);
        assert_int_equal(sealexec_payload_load_path("no-such-prog-sealexec",
                                                    SEALEXEC_LOAD_SEARCH_PATH, 0, &p, &err),
                         -ENOENT);
        assert_int_equal(err.kind, SEALEXEC_ERROR_NOT_FOUND);
        assert_non_null(strstr(err.message, "payload 'no-such-prog-sealexec': not found in $PATH"));

        path_restore(&env);
        free(local);
        lt_rmtree(dir);
}

static void test_path_eacces(void **state)
{
        struct path_env env;
        char *dir = lt_tmpdir();
        char *d1 = lt_path(dir, "d1"), *d2 = lt_path(dir, "d2"), *d3 = lt_path(dir, "d3");
        assert_int_equal(mkdir(d1, 0755), 0);
        assert_int_equal(mkdir(d2, 0755), 0);
        assert_int_equal(mkdir(d3, 0755), 0);
        char *noexec = lt_path(d1, "prog"), *good = lt_path(d2, "prog"), *sub = lt_path(d3, "prog");
        lt_copy_file(TRUE_PATH, noexec, 0644);
        lt_copy_file(TRUE_PATH, good, 0755);
        assert_int_equal(mkdir(sub, 0755), 0); /* a directory named like the program */
        path_save(&env);

        char *search = NULL;
        assert_true(asprintf(&search, "%s:%s:%s", d3, d1, d2) > 0);
        setenv("PATH", search, 1);
        sealexec_payload *p = load_ok("prog", SEALEXEC_LOAD_SEARCH_PATH);
        assert_string_equal(sealexec_payload_name(p), good);
        sealexec_payload_free(p);
        free(search);

        /* Only unusable candidates: the first one's reason is reported. */
        assert_true(asprintf(&search, "/nonexistent-sealexec:%s:%s", d1, d3) > 0);
        setenv("PATH", search, 1);
        sealexec_error err = {0};
        p = NULL;
        assert_int_equal(sealexec_payload_load_path("prog", SEALEXEC_LOAD_SEARCH_PATH, 0, &p, &err),
                         -EACCES);
        assert_null(p);
        assert_int_equal(err.kind, SEALEXEC_ERROR_CANNOT_EXECUTE);
        assert_non_null(strstr(err.message, noexec));
        assert_non_null(strstr(err.message, "permission denied"));
        free(search);

        path_restore(&env);
        free(noexec);
        free(good);
        free(sub);
        free(d1);
        free(d2);
        free(d3);
        lt_rmtree(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_elf_is_sealed_memfd), cmocka_unit_test(test_elf_refuses_changes),
            cmocka_unit_test(test_elf_exec_seal),       cmocka_unit_test(test_elf_runs),
            cmocka_unit_test(test_script_detected),     cmocka_unit_test(test_data_file),
            cmocka_unit_test(test_data_any_content),    cmocka_unit_test(test_load_fd_borrows),
            cmocka_unit_test(test_path_lookup),         cmocka_unit_test(test_path_eacces),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
