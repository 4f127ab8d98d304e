/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * io.h - one SOCK_SEQPACKET message with at most one descriptor
 * (SCM_RIGHTS), for the holder, its workers and its clients.
 */
#ifndef SEALEXEC_HOLDER_IO_H
#define SEALEXEC_HOLDER_IO_H

#include <stddef.h>
#include <sys/types.h>

/* Sends buf (and fd when fd >= 0) in one message, MSG_NOSIGNAL | flags. Returns 0 or -errno. */
int holder_send(int sock, const void *buf, size_t len, int fd, int flags);

/*
 * Receives one message into buf (MSG_CMSG_CLOEXEC | flags). Returns its
 * length (0: the peer closed) and the descriptor it carried in *ret_fd (-1
 * when none). A message longer than `size` is -EMSGSIZE, one with more than
 * one descriptor or a truncated control part -ETOOMANYREFS; descriptors that
 * came with a refused message are closed.
 */
ssize_t holder_recv(int sock, void *buf, size_t size, int *ret_fd, int flags);

#endif
