/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The single-thread check. Capabilities, the user switch done with raw
 * per-thread semantics and seccomp filters (without TSYNC) all apply to the
 * calling thread only; another thread would stay unconfined and could act
 * on the process while it is being confined.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "sandbox/launch.h"

int threads_count(unsigned *ret_threads, sealexec_error *err)
{
        FILE *f = fopen("/proc/self/status", "re");
        if (!f)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: threads: cannot read /proc/self/status "
                                      "(is /proc mounted?)");
        char line[256];
        unsigned threads = 0;
        bool found = false;
        while (!found && fgets(line, sizeof(line), f))
                found = sscanf(line, "Threads: %u", &threads) == 1;
        fclose(f);
        if (!found || threads == 0)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                "confine: threads: no thread count in /proc/self/status");
        *ret_threads = threads;
        return 0;
}

int threads_check_single(sealexec_error *err)
{
        unsigned threads;
        int r = threads_count(&threads, err);
        if (r < 0)
                return r;
        if (threads != 1)
                return se_error(err, -EBUSY, SEALEXEC_ERROR_REFUSED,
                                "confine: threads: the process has %u threads; capabilities "
                                "and seccomp apply per thread, so the launch needs exactly one",
                                threads);
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
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "threads: no launch");
        launch->allow_threads = allow;
        return 0;
}
