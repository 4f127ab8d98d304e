/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --new-session: setsid() so the payload has no controlling terminal and
 * cannot push input into it (TIOCSTI) or receive its signals.
 *
 * sealexec executes the payload in place, without a supervisor, so it cannot
 * fork to stop being a process group leader (a job started by an interactive
 * shell is one). setsid() then fails with EPERM and the launch is refused with
 * a message naming the way out, rather than detaching with TIOCNOTTY: that
 * would leave the payload in its old session, where it could still reach the
 * terminal through a descriptor it inherited.
 */
#include <errno.h>
#include <unistd.h>

#include "common/error.h"
#include "sandbox/launch.h"
#include "sandbox/process.h"

SEALEXEC_API int sealexec_launch_set_new_session(sealexec_launch *launch, bool new_session,
                                                 sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "new session: no launch");
        launch->new_session = new_session;
        return 0;
}

int session_apply(sealexec_error *err)
{
        if (setsid() >= 0)
                return 0;
        if (errno == EPERM)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: new session: sealexec is a process group leader (a "
                                "shell job?) and executes in place, so setsid() is impossible; "
                                "start it with 'setsid -f' or from a process that is not a group "
                                "leader");
        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "confine: new session: setsid");
}
