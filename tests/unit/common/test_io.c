/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common/io.c: the transfer loops, the message wrappers and array growth. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "io.h"

static int memfd(void)
{
        int fd = memfd_create("test_io", MFD_CLOEXEC);
        assert_true(fd >= 0);
        return fd;
}

static void test_pwrite_pread(void **state)
{
        int fd = memfd();
        char buf[16];

        assert_int_equal(io_pwrite_all(fd, "hello", 5, 3), 0);
        /* The file offset is not used: a read at 0 sees the hole, then the text. */
        assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
        assert_int_equal(io_pread_upto(fd, buf, sizeof(buf), 0), 8);
        assert_memory_equal(buf, "\0\0\0hello", 8);
        /* Up to the end of the file, not an error. */
        assert_int_equal(io_pread_upto(fd, buf, sizeof(buf), 6), 2);
        assert_memory_equal(buf, "lo", 2);
        assert_int_equal(io_pread_upto(fd, buf, sizeof(buf), 8), 0);
        assert_int_equal(io_pread_upto(fd, buf, 0, 0), 0);
        /* Exactly: the end of the file first is -EIO. */
        assert_int_equal(io_pread_exact(fd, buf, 5, 3), 0);
        assert_memory_equal(buf, "hello", 5);
        assert_int_equal(io_pread_exact(fd, buf, 6, 3), -EIO);
        close(fd);

        assert_int_equal(io_pread_upto(-1, buf, sizeof(buf), 0), -EBADF);
        assert_int_equal(io_pwrite_all(-1, "x", 1, 0), -EBADF);
}

static void test_write_all(void **state)
{
        int fds[2];
        char buf[8] = {0};

        assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
        assert_int_equal(io_write_all(fds[1], "abc", 3), 0);
        assert_int_equal(read(fds[0], buf, sizeof(buf)), 3);
        assert_string_equal(buf, "abc");
        close(fds[0]);
        /* No reader: EPIPE (SIGPIPE ignored so the test sees the error). */
        signal(SIGPIPE, SIG_IGN);
        assert_int_equal(io_write_all(fds[1], "abc", 3), -EPIPE);
        close(fds[1]);
}

static void test_msg(void **state)
{
        int sv[2];
        char out[4] = {0};

        assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
        struct iovec iov = {.iov_base = "ping", .iov_len = 4};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        assert_int_equal(io_sendmsg(sv[0], &msg, MSG_NOSIGNAL), 4);
        struct iovec in = {.iov_base = out, .iov_len = sizeof(out)};
        struct msghdr rmsg = {.msg_iov = &in, .msg_iovlen = 1};
        assert_int_equal(io_recvmsg(sv[1], &rmsg, 0), 4);
        assert_memory_equal(out, "ping", 4);
        /* Nothing waiting: -EAGAIN, not -1. */
        assert_int_equal(io_recvmsg(sv[1], &rmsg, MSG_DONTWAIT), -EAGAIN);
        close(sv[0]);
        close(sv[1]);
}

static void test_read_capped(void **state)
{
        int fd = memfd();
        char *text = NULL;
        size_t len = 1;

        assert_int_equal(io_read_capped(fd, 10, &text, &len), 0);
        assert_string_equal(text, "");
        assert_int_equal(len, 0);
        free(text);
        /* More than one buffer's worth (the first holds 4096 bytes). */
        char big[10000];
        memset(big, 'x', sizeof(big));
        assert_int_equal(io_pwrite_all(fd, big, sizeof(big), 0), 0);
        assert_int_equal(io_read_capped(fd, sizeof(big), &text, &len), 0);
        assert_int_equal(len, sizeof(big));
        assert_memory_equal(text, big, sizeof(big));
        assert_int_equal(text[len], '\0');
        free(text);
        /* One byte over the cap: -EFBIG, nothing written to the out-params. */
        text = NULL;
        len = 1;
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        assert_int_equal(io_read_capped(fd, sizeof(big) - 1, &text, &len), -EFBIG);
        assert_null(text);
        assert_int_equal(len, 1);
        close(fd);
}

static void test_array_reserve(void **state)
{
        int *a = NULL;
        size_t cap = 0;

        assert_int_equal(array_reserve(&a, &cap, 0, sizeof(*a)), 0);
        assert_null(a);
        assert_int_equal(array_reserve(&a, &cap, 1, sizeof(*a)), 0);
        assert_non_null(a);
        assert_true(cap >= 1);
        for (int i = 0; i < 100; i++) {
                assert_int_equal(array_reserve(&a, &cap, (size_t)i + 1, sizeof(*a)), 0);
                a[i] = i;
        }
        assert_true(cap >= 100);
        for (int i = 0; i < 100; i++)
                assert_int_equal(a[i], i);
        /* Too large: the array stays as it was. */
        int *before = a;
        size_t before_cap = cap;
        assert_int_equal(array_reserve(&a, &cap, SIZE_MAX / 2, sizeof(*a)), -EOVERFLOW);
        assert_ptr_equal(a, before);
        assert_int_equal(cap, before_cap);
        free(a);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_pwrite_pread),  cmocka_unit_test(test_write_all),
            cmocka_unit_test(test_msg),           cmocka_unit_test(test_read_capped),
            cmocka_unit_test(test_array_reserve),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
