/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* io.c - seqpacket messages with one optional descriptor (see io.h). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/io.h"
#include "holder/io.h"

/* Room for a few descriptors, so that a client sending too many is seen doing so. */
#define FDS_SEEN 8

int holder_send(int sock, const void *buf, size_t len, int fd, int flags)
{
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int))];
        } control;
        struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

        if (fd >= 0) {
                memset(&control, 0, sizeof(control));
                msg.msg_control = control.buf;
                msg.msg_controllen = sizeof(control.buf);
                struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        ssize_t n = io_sendmsg(sock, &msg, MSG_NOSIGNAL | flags);
        if (n < 0)
                return (int)n;
        return (size_t)n == len ? 0 : -EIO;
}

static void close_fds(const int *fds, size_t n)
{
        for (size_t i = 0; i < n; i++)
                close(fds[i]);
}

ssize_t holder_recv(int sock, void *buf, size_t size, int *ret_fd, int flags)
{
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int) * FDS_SEEN)];
        } control;
        struct iovec iov = {.iov_base = buf, .iov_len = size};
        struct msghdr msg = {.msg_iov = &iov,
                             .msg_iovlen = 1,
                             .msg_control = control.buf,
                             .msg_controllen = sizeof(control.buf)};
        int fds[FDS_SEEN];
        size_t n_fds = 0;
        ssize_t n;

        *ret_fd = -1;
        n = io_recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | flags);
        if (n < 0)
                return n;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                for (size_t i = 0; i < k; i++) {
                        int fd;
                        memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                        if (n_fds < FDS_SEEN)
                                fds[n_fds++] = fd;
                        else
                                close(fd);
                }
        }
        if (msg.msg_flags & MSG_TRUNC) {
                close_fds(fds, n_fds);
                return -EMSGSIZE;
        }
        if ((msg.msg_flags & MSG_CTRUNC) || n_fds > 1) {
                close_fds(fds, n_fds);
                return -ETOOMANYREFS;
        }
        if (n_fds == 1)
                *ret_fd = fds[0];
        return n;
}
