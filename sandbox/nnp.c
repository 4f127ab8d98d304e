/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* no_new_privs: exec can never add privileges (setuid bits, file capabilities). */
#include <errno.h>
#include <sys/prctl.h>

#include "common/error.h"
#include "sandbox/launch.h"
#include "sandbox/process.h"

int nnp_apply(sealexec_error *err)
{
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "confine: no_new_privs");
        if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: no_new_privs: not set after setting it");
        return 0;
}
