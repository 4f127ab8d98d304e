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

int io_write_all(int fd, const void *buf, size_t size)
{
        const char *p = buf;
        while (size > 0) {
                ssize_t n = write(fd, p, size);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EIO;
                p += n;
                size -= (size_t)n;
        }
        return 0;
}

int io_pread_exact(int fd, void *buf, size_t size, off_t offset)
{
        ssize_t n = io_pread_upto(fd, buf, size, offset);
        if (n < 0)
                return (int)n;
        return (size_t)n == size ? 0 : -EIO;
}

ssize_t io_pread_upto(int fd, void *buf, size_t size, off_t offset)
{
        size_t done = 0;
        if (size > SSIZE_MAX)
                size = SSIZE_MAX;
        while (done < size) {
                ssize_t n = pread(fd, (char *)buf + done, size - done, offset + (off_t)done);
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

int io_pwrite_all(int fd, const void *buf, size_t size, off_t offset)
{
        size_t done = 0;
        while (done < size) {
                ssize_t n = pwrite(fd, (const char *)buf + done, size - done, offset + (off_t)done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EIO;
                done += (size_t)n;
        }
        return 0;
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
                ssize_t n = read(fd, buf + len, cap - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                len += (size_t)n;
                if (len > max)
                        return -EFBIG;
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
