/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The safe open: a path is resolved once into an O_PATH descriptor, its type
 * checked there, and only that descriptor is reopened for reading (through
 * /proc/self/fd/N). An inotify IN_OPEN watch is the witness that a FIFO or a
 * device was never opened: O_PATH opens do not report IN_OPEN, real ones do.
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

#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "loader/loader.h"
#include "loader_test.h"

#define TRUE_PATH "/bin/true"

/* A watch that reports any open of `path`'s inode. */
static int open_witness(const char *path)
{
        int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        assert_true(fd >= 0);
        assert_true(inotify_add_watch(fd, path, IN_OPEN) >= 0);
        return fd;
}

static bool witness_saw_open(int fd)
{
        char buf[sizeof(struct inotify_event) + 256]
            __attribute__((aligned(__alignof__(struct inotify_event))));
        return read(fd, buf, sizeof(buf)) > 0;
}

/* The witness works: a real open of a FIFO is reported, an O_PATH one not. */
static void test_witness_sees_opens(void **state)
{
        char *dir = lt_tmpdir();
        char *fifo = lt_path(dir, "fifo");
        assert_int_equal(mkfifo(fifo, 0644), 0);
        int w = open_witness(fifo);
        int fd = open(fifo, O_PATH | O_CLOEXEC);
        assert_true(fd >= 0);
        close(fd);
        assert_false(witness_saw_open(w));
        fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        assert_true(fd >= 0);
        close(fd);
        assert_true(witness_saw_open(w));
        close(w);
        free(fifo);
        lt_rmtree(dir);
}

/* Refused on the O_PATH descriptor, for every way of loading a path. */
static void expect_never_opened(const char *path, const char *needle)
{
        int w = open_witness(path);
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int fd = -1;

        assert_int_equal(sealexec_payload_load_path(path, 0, 0, &p, &err), -EACCES);
        assert_non_null(strstr(err.message, needle));
        assert_int_equal(sealexec_payload_load_path(path, SEALEXEC_LOAD_DATA, 0, &p, &err),
                         -EACCES);
        assert_non_null(strstr(err.message, needle));
        assert_int_equal(loader_open_regular(-1, path, "script interpreter 'x'", false, &fd, &err),
                         -EACCES);
        assert_non_null(strstr(err.message, "script interpreter 'x': not a regular file"));
        assert_int_equal(fd, -1);
        char digest[SEALEXEC_DIGEST_STRING_MAX];
        assert_int_equal(sealexec_digest_file(path, digest, &err), -EACCES);
        assert_null(p);
        assert_false(witness_saw_open(w));
        close(w);
}

static void test_fifo_never_opened(void **state)
{
        char *dir = lt_tmpdir();
        char *fifo = lt_path(dir, "fifo");
        assert_int_equal(mkfifo(fifo, 0755), 0);
        expect_never_opened(fifo, "not a regular file (fifo)");
        free(fifo);
        lt_rmtree(dir);
}

/* A private node of /dev/null's device: its inode is only opened by us. */
static void test_device_never_opened(void **state)
{
        lt_require_root();
        char *dir = lt_tmpdir();
        char *node = lt_path(dir, "null");
        assert_int_equal(mknod(node, S_IFCHR | 0755, makedev(1, 3)), 0);
        expect_never_opened(node, "not a regular file (character device)");
        free(node);
        lt_rmtree(dir);
}

/* The reopen goes through the descriptor: the name now names a FIFO, the
 * reopened file is still the regular file that was checked. */
static void test_reopen_ignores_the_path(void **state)
{
        char *dir = lt_tmpdir();
        char *file = lt_path(dir, "file"), *fifo = lt_path(dir, "fifo");
        lt_write_file(file, "hello", 5, 0644);
        assert_int_equal(mkfifo(fifo, 0644), 0);

        int path_fd = open(file, O_PATH | O_CLOEXEC);
        assert_true(path_fd >= 0);
        struct stat checked;
        assert_int_equal(fstat(path_fd, &checked), 0);
        assert_int_equal(rename(fifo, file), 0);
        int w = open_witness(file);

        int fd = -1;
        sealexec_error err = {0};
        assert_int_equal(loader_reopen_checked(path_fd, &checked, "test", true, &fd, &err), 0);
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_ino, checked.st_ino);
        assert_true(S_ISREG(st.st_mode));
        int fl = fcntl(fd, F_GETFL);
        assert_int_equal(fl & O_ACCMODE, O_RDONLY);
        assert_true(fl & O_NONBLOCK);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        char buf[8] = {0};
        assert_int_equal(pread(fd, buf, sizeof(buf), 0), 5);
        assert_string_equal(buf, "hello");
        assert_false(witness_saw_open(w));

        /* A `checked` that is not this inode is refused. */
        int fd2 = -1;
        struct stat other = checked;
        other.st_ino++;
        assert_int_equal(loader_reopen_checked(path_fd, &other, "test", true, &fd2, &err), -ESTALE);
        assert_non_null(strstr(err.message, "test: the reopened descriptor is not the file"));
        assert_int_equal(fd2, -1);
        close(w);
        close(fd);
        close(path_fd);
        free(file);
        free(fifo);
        lt_rmtree(dir);
}

/* A loaded file is read through a reopened descriptor, with the right mode. */
static void test_open_checked_regular(void **state)
{
        int fd = -1;
        struct stat st;
        sealexec_error err = {0};
        assert_int_equal(loader_open_checked(-1, TRUE_PATH, false, UINT64_MAX, &fd, &st, &err), 0);
        int fl = fcntl(fd, F_GETFL);
        assert_int_equal(fl & O_ACCMODE, O_RDONLY);
        assert_false(fl & O_NONBLOCK); /* cleared once it is known to be regular */
        assert_false(fl & O_PATH);
        struct stat direct;
        assert_int_equal(stat(TRUE_PATH, &direct), 0);
        assert_int_equal(st.st_ino, direct.st_ino);
        close(fd);
}

/* Under a root: resolved inside it, then reopened the same way. */
static void test_open_regular_in_root(void **state)
{
        char *dir = lt_tmpdir();
        char *bin = lt_path(dir, "bin");
        assert_int_equal(mkdir(bin, 0755), 0);
        char *fifo = lt_path(bin, "fifo");
        assert_int_equal(mkfifo(fifo, 0644), 0);
        char *link = lt_path(dir, "escape");
        assert_int_equal(symlink("/bin/fifo", link), 0); /* absolute: inside the root */
        int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_true(root >= 0);
        int w = open_witness(fifo);
        int fd = -1;
        sealexec_error err = {0};
        assert_int_equal(loader_open_regular(root, "/escape", "t", true, &fd, &err), -EACCES);
        assert_non_null(strstr(err.message, "t: not a regular file (fifo)"));
        assert_false(witness_saw_open(w));
        close(w);
        close(root);
        free(link);
        free(fifo);
        free(bin);
        lt_rmtree(dir);
}

static int run_child(int (*fn)(void))
{
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(fn());
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        return WEXITSTATUS(status);
}

/* Without procfs at /proc there is no reopen: fail closed, say why. */
static int fake_proc_child(void)
{
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
            mount("tmpfs", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=1m") < 0 ||
            mkdir("/proc/self", 0755) < 0 || mkdir("/proc/self/fd", 0755) < 0) {
                perror("replacing /proc");
                return 77;
        }
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path(TRUE_PATH, 0, 0, &p, &err);
        fprintf(stderr, "fake /proc: %d %s\n", r, err.message);
        LT_CHECK(r == -ENOENT, 1);
        LT_CHECK(strstr(err.message, "payload '/bin/true': /proc is not a procfs mount") != NULL,
                 2);
        LT_CHECK(err.kind == SEALEXEC_ERROR_REFUSED, 3);
        LT_CHECK(p == NULL, 4);
        return 0;
}

static void test_fake_proc_fails_closed(void **state)
{
        lt_require_root();
        int status = run_child(fake_proc_child);
        if (status == 77)
                TEST_SKIP();
        assert_int_equal(status, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_witness_sees_opens),
            cmocka_unit_test(test_fifo_never_opened),
            cmocka_unit_test(test_device_never_opened),
            cmocka_unit_test(test_reopen_ignores_the_path),
            cmocka_unit_test(test_open_checked_regular),
            cmocka_unit_test(test_open_regular_in_root),
            cmocka_unit_test(test_fake_proc_fails_closed),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
