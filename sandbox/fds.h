/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fds.h - the descriptor step: where the files and the payload land, and
 * closing every other descriptor (fds.c; the moves themselves are plan-fds.c).
 */
#ifndef SEALEXEC_SANDBOX_FDS_H
#define SEALEXEC_SANDBOX_FDS_H

#include <stddef.h>

#include "sealexec.h"

/* Where the files and the payload land: files at base+i, payload at base+n_files. */
struct fd_plan {
        int base;
        size_t n_files;
        int payload_fd;
};

/* keep_fds sorted ascending. Pure. */
void fd_plan_compute(const int *keep_fds, size_t n_keep_fds, size_t n_files,
                     struct fd_plan *ret_plan);

/* Closes every descriptor except 0, 1, 2 and those in `keep` (sorted ascending). */
int fds_close_others(const int *keep, size_t n_keep, sealexec_error *err);

/* Same, without close_range(), for kernels that lack it (also used by tests). */
int fds_close_others_fallback(const int *keep, size_t n_keep, sealexec_error *err);

#endif
