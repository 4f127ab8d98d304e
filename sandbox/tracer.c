/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Refusing a traced launch.
 *
 * A process of the same user may attach with ptrace before sealexec makes
 * itself non-dumpable, and an attachment survives PR_SET_DUMPABLE 0: the
 * tracer could skip the seccomp and Landlock calls or patch the payload's
 * entry code. So the launch reads TracerPid right after PR_SET_DUMPABLE 0
 * (no new attach is possible from then on) and again after Landlock, just
 * before the seccomp programs (which may deny the read), through a
 * descriptor opened before Landlock (whose --ro/--rw rules may hide /proc),
 * and refuses while anything is attached. Reading /proc/self/status is the
 * one file access of the exec path; it uses a stack buffer and no stdio.
 * Without /proc the launch is refused: a tracer could not be ruled out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "sandbox/plan.h"
#include "sandbox/process.h"

int status_check_text(const char *text, bool check_threads, sealexec_error *err)
{
        long threads = proc_status_field(text, "Threads");
        long tracer = proc_status_field(text, "TracerPid");
        if (tracer < 0 || threads <= 0)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                "confine: no Threads or TracerPid in /proc/self/status");
        if (check_threads && threads != 1)
                return se_error(err, -EBUSY, SEALEXEC_ERROR_REFUSED,
                                "confine: threads: the process has %ld threads; capabilities "
                                "and seccomp apply per thread, so the launch needs exactly one",
                                threads);
        if (tracer != 0)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: tracer check: the process is traced by PID %ld; a "
                                "tracer could undo any confinement step, so the launch is "
                                "refused",
                                tracer);
        return 0;
}

int tracer_check_fd(int fd, sealexec_error *err)
{
        char buf[4096];
        if (proc_status_pread(fd, buf, sizeof(buf)) < 0)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                "confine: tracer check: /proc/self/status is empty");
        return status_check_text(buf, false, err);
}

int tracer_ptrace_scope(void)
{
        int fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        char buf[16] = {0};
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        return n > 0 && buf[0] >= '0' && buf[0] <= '9' ? buf[0] - '0' : -EIO;
}
