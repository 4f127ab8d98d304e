/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The copy into the memfd and its "did the source change meanwhile" check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "loader/loader.h"
#include "loader_test.h"

static struct stat stat_of(off_t size, time_t sec, long nsec)
{
        struct stat st;
        memset(&st, 0, sizeof(st));
        st.st_size = size;
        st.st_mtim.tv_sec = sec;
        st.st_mtim.tv_nsec = nsec;
        st.st_ctim = st.st_mtim;
        return st;
}

static void test_consistency_rule(void **state)
{
        struct stat before = stat_of(100, 5, 7);
        struct stat same = stat_of(100, 5, 7);
        struct stat grown = stat_of(150, 5, 7);
        struct stat shrunk = stat_of(50, 5, 7);
        struct stat touched_ns = stat_of(100, 5, 8);
        struct stat touched_s = stat_of(100, 6, 7);

        assert_true(loader_copy_consistent(&before, &same, 100));
        /* More bytes were readable than the size said, or fewer. */
        assert_false(loader_copy_consistent(&before, &same, 101));
        assert_false(loader_copy_consistent(&before, &same, 99));
        /* Size changed between the two fstat() calls. */
        assert_false(loader_copy_consistent(&before, &grown, 100));
        assert_false(loader_copy_consistent(&before, &shrunk, 100));
        assert_false(loader_copy_consistent(&before, &grown, 150));
        /* Rewritten in place: same size, new mtime. */
        assert_false(loader_copy_consistent(&before, &touched_ns, 100));
        assert_false(loader_copy_consistent(&before, &touched_s, 100));
        /* Rewritten, then the mtime put back with futimens(): the ctime moved. */
        struct stat restored = stat_of(100, 5, 7);
        restored.st_ctim.tv_nsec = 9;
        assert_false(loader_copy_consistent(&before, &restored, 100));
        restored.st_ctim = (struct timespec){.tv_sec = 6, .tv_nsec = 7};
        assert_false(loader_copy_consistent(&before, &restored, 100));
        /* Another inode altogether. */
        struct stat other = stat_of(100, 5, 7);
        other.st_ino = 42;
        assert_false(loader_copy_consistent(&before, &other, 100));
        assert_false(loader_same_version(&before, &other));
        assert_true(loader_same_version(&before, &same));
        struct stat empty = stat_of(0, 1, 1);
        assert_true(loader_copy_consistent(&empty, &empty, 0));
        assert_false(loader_copy_consistent(&empty, &empty, 1));
}

/* /proc files say size 0 yet have content: more readable than the size said. */
static void test_proc_file_refused(void **state)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        struct stat st;
        assert_int_equal(stat("/proc/self/status", &st), 0);
        assert_int_equal(st.st_size, 0);
        assert_int_equal(
            sealexec_payload_load_path("/proc/self/status", SEALEXEC_LOAD_DATA, 0, &p, &err),
            -ETXTBSY);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_non_null(
            strstr(err.message, "file '/proc/self/status': changed while it was copied"));
        /* Copied again, then refused for good. */
        assert_non_null(strstr(err.message, "3 times in a row"));
        assert_null(p);
}

/* The cap holds during the copy, not only against the size fstat() gave. */
static void test_grows_past_cap(void **state)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(
            sealexec_payload_load_path("/proc/self/maps", SEALEXEC_LOAD_DATA, 16, &p, &err),
            -EFBIG);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_non_null(strstr(err.message, "grew past the cap of 16 bytes"));
        assert_non_null(strstr(err.message, "--max-size"));
        assert_null(p);
}

/* loader_copy() itself: full content, source offset untouched. */
static void test_copy_direct(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "src");
        char data[200000];
        for (size_t i = 0; i < sizeof(data); i++)
                data[i] = (char)(i * 7 + 3);
        lt_write_file(path, data, sizeof(data), 0644);

        int src = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(src >= 0);
        assert_int_equal(lseek(src, 1234, SEEK_SET), 1234);
        struct stat before;
        assert_int_equal(fstat(src, &before), 0);
        int dst = memfd_create("copy-test", MFD_CLOEXEC);
        assert_true(dst >= 0);
        uint64_t copied = 0;
        sealexec_error err = {0};
        assert_int_equal(loader_copy(src, &before, dst, UINT64_MAX, "test", &copied, &err), 0);
        assert_int_equal(copied, sizeof(data));
        assert_int_equal(lseek(src, 0, SEEK_CUR), 1234);
        lt_assert_same_content(dst, path);

        /* A `before` that no longer matches the file is refused. */
        struct stat stale = before;
        stale.st_size -= 1;
        int dst2 = memfd_create("copy-test", MFD_CLOEXEC);
        assert_int_equal(loader_copy(src, &stale, dst2, UINT64_MAX, "test", &copied, &err),
                         -ETXTBSY);
        assert_non_null(strstr(err.message, "test: changed while it was copied"));
        close(dst2);

        /* A cap below the size stops the copy. */
        int dst3 = memfd_create("copy-test", MFD_CLOEXEC);
        assert_int_equal(loader_copy(src, &before, dst3, 1000, "test", &copied, &err), -EFBIG);
        struct stat st3;
        assert_int_equal(fstat(dst3, &st3), 0);
        assert_true(st3.st_size <= 1001);
        close(dst3);
        close(dst);
        close(src);
        free(path);
        lt_rmtree(dir);
}

/* A memfd (tmpfs) source: copy_file_range works within the same file system. */
static void test_memfd_source(void **state)
{
        int src = memfd_create("source", MFD_CLOEXEC);
        assert_true(src >= 0);
        static const char script[] = "#!/bin/sh\nexit 0\n";
        assert_int_equal(write(src, script, sizeof(script) - 1), (ssize_t)sizeof(script) - 1);
        assert_int_equal(fchmod(src, 0755), 0);
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_fd(src, "script", 0, 0, &p, &err), 0);
        assert_true(sealexec_payload_is_script(p));
        assert_int_equal(sealexec_payload_size(p), sizeof(script) - 1);
        /* The source offset (at the end after write()) did not move. */
        assert_int_equal(lseek(src, 0, SEEK_CUR), (off_t)sizeof(script) - 1);
        char buf[64] = {0};
        assert_int_equal(pread(sealexec_payload_fd(p), buf, sizeof(buf), 0),
                         (ssize_t)sizeof(script) - 1);
        assert_string_equal(buf, script);
        sealexec_payload_free(p);
        close(src);
}

/* Appends to `path` until it holds `limit` bytes, then rewrites its start in
 * place, until killed. Tells the parent after the first write. */
static void writer(const char *path, off_t limit, int ready_fd)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        struct stat st;
        char chunk[4096];
        memset(chunk, 'w', sizeof(chunk));
        if (fd < 0 || fstat(fd, &st) < 0)
                _exit(1);
        off_t size = st.st_size;
        for (bool told = false;; told = true) {
                off_t off = size < limit ? size : 0;
                if (pwrite(fd, chunk, sizeof(chunk), off) != (ssize_t)sizeof(chunk))
                        _exit(2);
                if (off == size)
                        size += (off_t)sizeof(chunk);
                if (!told)
                        (void)!write(ready_fd, "x", 1);
        }
}

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_concurrent_writer(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "growing");
        const size_t start = 1 << 20;
        char *data = malloc(start);
        assert_non_null(data);
        memset(data, 'a', start);
        lt_write_file(path, data, start, 0644);
        free(data);

        int ready[2];
        assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                close(ready[0]);
                writer(path, (off_t)16 << 20, ready[1]);
        }
        close(ready[1]);
        char c;
        assert_int_equal(read(ready[0], &c, 1), 1);
        close(ready[0]);

        /* A load that overlaps a write must be refused; loads that happen to
         * fit between two writes are honest snapshots and may succeed. */
        int refused = 0, loaded = 0;
        double deadline = now() + 20.0;
        while (refused == 0 && now() < deadline) {
                sealexec_payload *p = NULL;
                sealexec_error err = {0};
                int r = sealexec_payload_load_path(path, SEALEXEC_LOAD_DATA, (uint64_t)64 << 20, &p,
                                                   &err);
                if (r == 0) {
                        loaded++;
                        sealexec_payload_free(p);
                        continue;
                }
                if (r == -ETXTBSY)
                        assert_non_null(strstr(err.message, "changed while it was copied"));
                else if (r == -EFBIG)
                        assert_non_null(strstr(err.message, "grew past the cap"));
                else
                        fail_msg("unexpected failure %d: %s", r, err.message);
                refused++;
        }
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
        print_message("refused after %d successful loads\n", loaded);
        assert_true(refused > 0);

        /* Once the writer is gone the same file loads, and is copied whole. */
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(
            sealexec_payload_load_path(path, SEALEXEC_LOAD_DATA, (uint64_t)64 << 20, &p, &err), 0);
        lt_assert_same_content(sealexec_payload_fd(p), path);
        sealexec_payload_free(p);
        free(path);
        lt_rmtree(dir);
}

/* A source that changed once (between its check and the copy) is copied
 * again and accepted; the retry sees the new version whole. */
static void test_retry_after_one_change(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "src");
        lt_write_file(path, "version 1\n", 10, 0644);
        int src = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(src >= 0);
        struct stat checked;
        assert_int_equal(fstat(src, &checked), 0);
        lt_write_file(path, "version two\n", 12, 0644); /* same inode, new size */

        uint64_t copied = 0;
        sealexec_error err = {0};
        int dst = memfd_create("copy-test", MFD_CLOEXEC);
        assert_int_equal(loader_copy(src, &checked, dst, UINT64_MAX, "one", &copied, &err),
                         -ETXTBSY);
        assert_non_null(strstr(err.message, "one: changed while it was copied (after it was "
                                            "checked, before the copy began)"));
        close(dst);

        dst = memfd_create("copy-test", MFD_CLOEXEC);
        /* Leftovers of a first attempt must not survive the retry. */
        assert_int_equal(write(dst, "stale bytes of an earlier try\n", 30), 30);
        assert_int_equal(
            loader_copy_stable(src, &checked, true, dst, UINT64_MAX, "two", &copied, &err), 0);
        assert_int_equal(copied, 12);
        lt_assert_same_content(dst, path);
        struct stat st;
        assert_int_equal(fstat(dst, &st), 0);
        assert_int_equal(st.st_size, 12);
        close(dst);
        close(src);
        free(path);
        lt_rmtree(dir);
}

/* Rewritten in place with the same size, mtime restored by futimens(): only
 * the ctime tells, and it is enough. */
static void test_restored_mtime_refused(void **state)
{
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "src");
        lt_write_file(path, "AAAAAAAA", 8, 0644);
        int src = open(path, O_RDONLY | O_CLOEXEC);
        int w = open(path, O_WRONLY | O_CLOEXEC);
        assert_true(src >= 0 && w >= 0);
        struct stat checked, now_st;
        assert_int_equal(fstat(src, &checked), 0);
        const struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, checked.st_mtim};
        /* On a coarse clock a write may land in the same tick as the last
         * change: write until the ctime has moved (it always does, soon). */
        do {
                assert_int_equal(pwrite(w, "BBBBBBBB", 8, 0), 8);
                assert_int_equal(futimens(w, times), 0);
                assert_int_equal(fstat(src, &now_st), 0);
        } while (now_st.st_ctim.tv_sec == checked.st_ctim.tv_sec &&
                 now_st.st_ctim.tv_nsec == checked.st_ctim.tv_nsec);
        assert_int_equal(now_st.st_size, checked.st_size);
        assert_int_equal(now_st.st_mtim.tv_sec, checked.st_mtim.tv_sec);
        assert_int_equal(now_st.st_mtim.tv_nsec, checked.st_mtim.tv_nsec);

        uint64_t copied = 0;
        sealexec_error err = {0};
        int dst = memfd_create("copy-test", MFD_CLOEXEC);
        assert_int_equal(loader_copy(src, &checked, dst, UINT64_MAX, "t", &copied, &err), -ETXTBSY);
        assert_non_null(strstr(err.message, "t: changed while it was copied"));
        close(dst);
        close(w);
        close(src);
        free(path);
        lt_rmtree(dir);
}

/*
 * A writer that flips a large file between all 'A' and all 'B', one write(2)
 * per version, and restores the mtime after each: every accepted load is one
 * version whole. (A rewrite made of several writes has intermediate states
 * that are real contents of the file; copying one of them while the writer
 * pauses is not detectable, see SECURITY.md.)
 */
static void flipper(const char *path, size_t size, int ready_fd)
{
        char *data = malloc(size);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        struct stat st;
        if (!data || fd < 0 || fstat(fd, &st) < 0)
                _exit(1);
        const struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, st.st_mtim};
        for (char c = 'B';; c = c == 'A' ? 'B' : 'A') {
                memset(data, c, size);
                if (pwrite(fd, data, size, 0) != (ssize_t)size)
                        _exit(2);
                if (futimens(fd, times) < 0)
                        _exit(3);
                if (ready_fd >= 0) {
                        (void)!write(ready_fd, "x", 1);
                        close(ready_fd);
                        ready_fd = -1;
                }
        }
}

/* 'A' or 'B' if the whole memfd holds only that byte, else 0. */
static char uniform(int fd, size_t size)
{
        char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        assert_true(map != MAP_FAILED);
        char c = map[0];
        for (size_t i = 1; i < size && c; i++)
                if (map[i] != c)
                        c = 0;
        munmap(map, size);
        return c == 'A' || c == 'B' ? c : 0;
}

static void test_torn_rewrite_never_accepted(void **state)
{
        const size_t size = (size_t)16 << 20;
        char *dir = lt_tmpdir();
        char *path = lt_path(dir, "flipping");
        char *data = malloc(size);
        assert_non_null(data);
        memset(data, 'A', size);
        lt_write_file(path, data, size, 0644);
        free(data);

        int ready[2];
        assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                close(ready[0]);
                flipper(path, size, ready[1]);
        }
        close(ready[1]);
        char c;
        assert_int_equal(read(ready[0], &c, 1), 1);
        close(ready[0]);

        int loaded = 0, refused = 0;
        for (int i = 0; i < 30; i++) {
                sealexec_payload *p = NULL;
                sealexec_error err = {0};
                int r = sealexec_payload_load_path(path, SEALEXEC_LOAD_DATA, 0, &p, &err);
                if (r == 0) {
                        assert_int_equal(sealexec_payload_size(p), size);
                        if (!uniform(sealexec_payload_fd(p), size))
                                fail_msg("load %d accepted a torn copy", i);
                        loaded++;
                        sealexec_payload_free(p);
                        continue;
                }
                assert_int_equal(r, -ETXTBSY);
                assert_non_null(strstr(err.message, "changed while it was copied"));
                assert_non_null(strstr(err.message, "3 times in a row"));
                refused++;
        }
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
        print_message("%d loads accepted whole, %d refused\n", loaded, refused);
        free(path);
        lt_rmtree(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_consistency_rule),
            cmocka_unit_test(test_proc_file_refused),
            cmocka_unit_test(test_grows_past_cap),
            cmocka_unit_test(test_copy_direct),
            cmocka_unit_test(test_memfd_source),
            cmocka_unit_test(test_concurrent_writer),
            cmocka_unit_test(test_retry_after_one_change),
            cmocka_unit_test(test_restored_mtime_refused),
            cmocka_unit_test(test_torn_rewrite_never_accepted),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
