/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Signals: what the launcher inherited is not the payload's business.
 *
 * execve() resets caught signals to their default, but it keeps the signal
 * mask and every signal set to SIG_IGN. A payload started from a shell that
 * ignores SIGPIPE would keep ignoring it, and one started by a runtime that
 * blocks SIGCHLD would never see its children exit. Runtimes (runc, crun,
 * systemd) reset both before exec; so does sealexec, unless the caller asks
 * to keep them.
 *
 * signals_reset() makes system calls only (no allocation, no stdio), so it
 * can run in a child forked from a multithreaded parent.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "common/error.h"
#include "sandbox/launch.h"
#include "sandbox/process.h"

SEALEXEC_API int sealexec_launch_set_keep_signals(sealexec_launch *launch, bool keep,
                                                  sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "signals: no launch");
        launch->keep_signals = keep;
        return 0;
}

int signals_reset(sealexec_error *err)
{
        struct sigaction dfl;
        memset(&dfl, 0, sizeof(dfl));
        dfl.sa_handler = SIG_DFL;
        /* Up to the last realtime signal; SIGKILL and SIGSTOP cannot change (EINVAL). */
        for (int sig = 1; sig < _NSIG; sig++) {
                if (sig == SIGKILL || sig == SIGSTOP)
                        continue;
                struct sigaction old;
                if (sigaction(sig, NULL, &old) < 0)
                        continue; /* glibc reserves two realtime signals: EINVAL */
                if (old.sa_handler == SIG_IGN && sigaction(sig, &dfl, NULL) < 0)
                        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                              "confine: signals: resetting signal %d", sig);
        }
        sigset_t none;
        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: signals: clearing the signal mask");
        return 0;
}
