/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The single-thread check. Capabilities, the user switch done with raw
 * per-thread semantics and seccomp filters (without TSYNC) all apply to the
 * calling thread only; another thread would stay unconfined and could act
 * on the process while it is being confined.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "sandbox/launch.h"
#include "sandbox/process.h"

int threads_count(unsigned *ret_threads, sealexec_error *err)
{
        char buf[4096];
        int r = proc_status_read(buf, sizeof(buf), err);
        if (r < 0)
                return r;
        long threads = proc_status_field(buf, "Threads");
        if (threads <= 0)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                "confine: threads: no thread count in /proc/self/status");
        *ret_threads = (unsigned)threads;
        return 0;
}

/*
 * With several threads allowed, the seccomp filters are loaded with TSYNC so
 * every thread gets them; the other steps still apply to the calling thread
 * only (the caller's responsibility), and exec ends the other threads anyway.
 */
SEALEXEC_API int sealexec_launch_allow_threads(sealexec_launch *launch, bool allow,
                                               sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "threads: no launch");
        launch->allow_threads = allow;
        return 0;
}
