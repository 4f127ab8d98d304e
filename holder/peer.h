/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * peer.h - who is at the other end of a holder socket (SO_PEERCRED and
 * SO_PEERGROUPS, as the kernel recorded them at connect/listen time), and
 * the two decisions made from it: whether a client may be handed an
 * executable copy of a file, and whether a client trusts a holder.
 */
#ifndef SEALEXEC_HOLDER_PEER_H
#define SEALEXEC_HOLDER_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#define HOLDER_PEER_GROUPS_MAX 64

struct holder_peer {
        pid_t pid;
        uid_t uid;
        gid_t gid;
        size_t n_groups; /* supplementary groups; more than the maximum fail closed */
        gid_t groups[HOLDER_PEER_GROUPS_MAX];
        bool groups_truncated;
};

/* Reads the peer's credentials from a connected UNIX socket. */
int holder_peer_get(int fd, struct holder_peer *ret);

/*
 * The classic execute-permission rule for the peer's ids: uid 0 needs any x
 * bit, the owner S_IXUSR, a member of the group S_IXGRP, others S_IXOTH.
 * Fails closed when the peer's groups did not fit.
 */
bool holder_peer_may_exec(const struct holder_peer *peer, const struct stat *st);

/* A holder is trusted when it runs as uid 0 or as the caller's real or effective uid. */
bool holder_peer_trusted(const struct holder_peer *peer);

#endif
