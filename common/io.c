/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "common/io.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cleanup.h"

enum io_op {
        IO_READ,
        IO_WRITE,
        IO_PREAD,
        IO_PWRITE,
};

/*
 * The one transfer loop: EINTR and short transfers are retried until `size`
 * bytes have moved or a call moves none (the end of the file for a read).
 * Returns the bytes moved, or -errno.
 */
static ssize_t io_loop(enum io_op op, int fd, void *buf, size_t size, off_t offset)
{
        char *p = buf;
        size_t done = 0;
        if (size > SSIZE_MAX)
                size = SSIZE_MAX;
        while (done < size) {
                off_t at = offset + (off_t)done;
                ssize_t n = op == IO_READ    ? read(fd, p + done, size - done)
                            : op == IO_WRITE ? write(fd, p + done, size - done)
                            : op == IO_PREAD ? pread(fd, p + done, size - done, at)
                                             : pwrite(fd, p + done, size - done, at);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                done += (size_t)n;
        }
        return (ssize_t)done;
}

/* A whole transfer, or -EIO when a call moved nothing first. */
static int io_loop_all(enum io_op op, int fd, void *buf, size_t size, off_t offset)
{
        ssize_t n = io_loop(op, fd, buf, size, offset);
        if (n < 0)
                return (int)n;
        return (size_t)n == size ? 0 : -EIO;
}

int io_write_all(int fd, const void *buf, size_t size)
{
        return io_loop_all(IO_WRITE, fd, (void *)buf, size, 0);
}

int io_pread_exact(int fd, void *buf, size_t size, off_t offset)
{
        return io_loop_all(IO_PREAD, fd, buf, size, offset);
}

ssize_t io_pread_upto(int fd, void *buf, size_t size, off_t offset)
{
        return io_loop(IO_PREAD, fd, buf, size, offset);
}

int io_pwrite_all(int fd, const void *buf, size_t size, off_t offset)
{
        return io_loop_all(IO_PWRITE, fd, (void *)buf, size, offset);
}

ssize_t io_sendmsg(int sock, const struct msghdr *msg, int flags)
{
        ssize_t n;
        do
                n = sendmsg(sock, msg, flags);
        while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : n;
}

ssize_t io_recvmsg(int sock, struct msghdr *msg, int flags)
{
        ssize_t n;
        do
                n = recvmsg(sock, msg, flags);
        while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : n;
}

int io_read_capped(int fd, size_t max, char **ret_buf, size_t *ret_len)
{
        size_t cap = 4096, len = 0;
        _cleanup_free_ char *buf = malloc(cap + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                if (len == cap) {
                        if (cap > max)
                                return -EFBIG;
                        size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
                        char *nbuf = realloc(buf, ncap + 1);
                        if (!nbuf)
                                return -ENOMEM;
                        buf = nbuf;
                        cap = ncap;
                }
                ssize_t n = io_loop(IO_READ, fd, buf + len, cap - len, 0);
                if (n < 0)
                        return (int)n;
                len += (size_t)n;
                if (len > max)
                        return -EFBIG;
                if (len < cap)
                        break; /* the loop stopped short: end of file */
        }
        buf[len] = '\0';
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

int hex_digit_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int array_reserve(void *array, size_t *capacity, size_t needed, size_t elem_size)
{
        void **p = array;
        if (needed <= *capacity)
                return 0;
        size_t cap = *capacity ? *capacity : 8;
        while (cap < needed) {
                if (cap > SIZE_MAX / 2)
                        return -EOVERFLOW;
                cap *= 2;
        }
        if (elem_size && cap > SIZE_MAX / elem_size)
                return -EOVERFLOW;
        void *grown = realloc(*p, cap * elem_size);
        if (!grown)
                return -ENOMEM;
        *p = grown;
        *capacity = cap;
        return 0;
}
