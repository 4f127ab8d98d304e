/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * worker.h - a copy made away from the event loop.
 *
 * Copying and hashing a large payload takes tens to hundreds of
 * milliseconds, and reading a file on a slow or hung filesystem (NFS, FUSE)
 * can take forever. The holder's loop must keep answering other clients, so
 * each miss is copied by a forked worker process: it runs the loader's own
 * sealexec_payload_load_fd() (same refusals, same change detection) and
 * sealexec_payload_digest(), then sends the sealed memfd and its SHA-256 back
 * over a socketpair as a holder answer. A worker that outlives its deadline
 * is killed; the loop never waits for it.
 */
#ifndef SEALEXEC_HOLDER_WORKER_H
#define SEALEXEC_HOLDER_WORKER_H

#include <stdint.h>
#include <sys/types.h>

#include "holder/cache.h"
#include "holder/protocol.h"

/*
 * Forks a worker that seals src_fd (borrowed; the worker has its own copy)
 * as the request asks, with max_size as its cap, and checks that the file
 * still has `key` afterwards. ret_sock is the parent's end (non-blocking,
 * close-on-exec): one answer, then EOF.
 */
int holder_worker_start(int src_fd, const struct holder_key *key, const struct holder_request *req,
                        uint64_t max_size, pid_t *ret_pid, int *ret_sock);

#endif
