/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* server.h - the holder's event loop; see server.c. Public entry points in sealexec.h. */
#ifndef SEALEXEC_HOLDER_SERVER_H
#define SEALEXEC_HOLDER_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "sealexec.h"

struct holder_config {
        uint64_t max_bytes;        /* cache size */
        size_t max_entries;        /* cache entries */
        size_t max_clients;        /* connections held at once; more are closed at once */
        size_t max_workers;        /* copies in progress at once; more misses are refused */
        unsigned worker_timeout_s; /* a copy taking longer is killed and refused */
        unsigned idle_timeout_s;   /* a client silent (or not reading) longer is dropped */
};

/* The defaults of `sealexec hold`, with max_bytes as given (0: the default). */
void holder_config_default(struct holder_config *ret, uint64_t max_bytes);

/* Runs the loop on a listening SOCK_SEQPACKET socket until SIGTERM or SIGINT. */
int holder_serve(int listen_fd, const struct holder_config *config, sealexec_error *err);

#endif
