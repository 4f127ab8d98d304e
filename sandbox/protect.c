/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec_protect_launcher(): the launcher becomes non-dumpable, so another
 * process of the same user can neither ptrace it nor open /proc/PID/fd/N of a
 * memfd it is still filling (before the seals go on) or /proc/PID/mem. The
 * kernel resets dumpability at the payload's exec as usual.
 */
#include <errno.h>
#include <sys/prctl.h>

#include "common/error.h"
#include "sealexec.h"

SEALEXEC_API int sealexec_protect_launcher(sealexec_error *err)
{
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "protect launcher: PR_SET_DUMPABLE");
        if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                "protect launcher: the process is still dumpable");
        return 0;
}
