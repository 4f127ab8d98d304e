/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * TEMPORARY: entry points declared in include/sealexec.h whose implementation
 * is being written. Each fails closed with -ENOSYS; each is removed from here
 * when its real implementation lands. This file must be empty before release.
 */
#include <errno.h>

#include "error.h"

#define PENDING(what)                                                                              \
        se_error(err, -ENOSYS, SEALEXEC_ERROR_REFUSED, "%s is not implemented yet", what)

