/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --deny-unix: the payload cannot create AF_UNIX sockets.
 *
 * Landlock on current kernels restricts neither connect() to a named UNIX
 * socket nor sending to one, so --ro/--rw leave /run/docker.sock and the like
 * reachable to any payload that may write to them by their mode. A stacked
 * seccomp filter that makes socket(AF_UNIX, ...) fail closes that door for
 * sockets the payload would create; descriptors it inherits (--keep-fd) stay
 * usable, which is what a caller handing one over wants.
 *
 * This file holds the setting; the filter is the deny-unix profile
 * (policy/profiles/deny-unix.c), compiled with the other stacked programs
 * (plan_stacked_programs(), exec-guard.c) and installed before the policy's.
 */
#include <errno.h>

#include "common/error.h"
#include "sandbox/launch.h"

SEALEXEC_API int sealexec_launch_set_deny_unix(sealexec_launch *launch, bool deny,
                                               sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "deny-unix: no launch");
        launch->deny_unix = deny;
        return 0;
}
