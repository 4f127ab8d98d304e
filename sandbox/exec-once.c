/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Exec-once: the executed memfd at an fd number that cannot come back, and a
 * stacked seccomp filter that allows no other exec (see exec-once.h). */
#include <errno.h>
#include <linux/capability.h>

#include "common/error.h"
#include "sandbox/exec-once.h"

SEALEXEC_API int sealexec_launch_set_exec_once(sealexec_launch *launch, bool exec_once,
                                               sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "exec-once: no launch");
        launch->exec_once = exec_once;
        return 0;
}

int exec_once_check(const sealexec_launch *launch, sealexec_error *err)
{
        /* With CAP_SYS_RESOURCE the payload could raise the hard limit and reopen X. */
        if (launch->keep_caps & (UINT64_C(1) << CAP_SYS_RESOURCE))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "exec fd: refused with CAP_SYS_RESOURCE kept (it could raise "
                                "RLIMIT_NOFILE and reopen the exec descriptor, which exec-once "
                                "and the launch rule rely on)");
        return 0;
}
