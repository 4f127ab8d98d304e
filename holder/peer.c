/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * peer.c - peer credentials of holder sockets.
 *
 * The holder runs as root (or as a service user) and copies files that its
 * clients opened. The client's descriptor proves it may read the file; it
 * does not prove it may execute it. So the holder hands out an executable
 * copy only when the client's own ids would pass execve(2)'s permission
 * check by the mode bits (ACLs and LSM rules are not consulted: a client
 * they would let through but the mode bits would not falls back to its
 * private copy, which the kernel checks for it).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "holder/peer.h"

int holder_peer_get(int fd, struct holder_peer *ret)
{
        struct holder_peer peer = {0};
        struct ucred cred;
        socklen_t len = sizeof(cred);

        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        if (len != sizeof(cred))
                return -EPROTO;
        peer.pid = cred.pid;
        peer.uid = cred.uid;
        peer.gid = cred.gid;
        len = sizeof(peer.groups);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, peer.groups, &len) < 0) {
                if (errno != ERANGE)
                        return -errno;
                peer.groups_truncated = true;
                len = 0;
        }
        peer.n_groups = len / sizeof(gid_t);
        *ret = peer;
        return 0;
}

static bool peer_in_group(const struct holder_peer *peer, gid_t gid)
{
        if (peer->gid == gid)
                return true;
        for (size_t i = 0; i < peer->n_groups; i++)
                if (peer->groups[i] == gid)
                        return true;
        return false;
}

bool holder_peer_may_exec(const struct holder_peer *peer, const struct stat *st)
{
        if ((st->st_mode & 0111) == 0)
                return false;
        if (peer->uid == 0)
                return true;
        if (st->st_uid == peer->uid)
                return st->st_mode & S_IXUSR;
        if (peer->groups_truncated)
                return false;
        if (peer_in_group(peer, st->st_gid))
                return st->st_mode & S_IXGRP;
        return st->st_mode & S_IXOTH;
}

bool holder_peer_trusted(const struct holder_peer *peer)
{
        return peer->uid == 0 || peer->uid == getuid() || peer->uid == geteuid();
}
