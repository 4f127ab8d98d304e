/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sealexec.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

const char *sealexec_version(void)
{
        return STR(SEALEXEC_VERSION_MAJOR) "." STR(SEALEXEC_VERSION_MINOR) "." STR(
            SEALEXEC_VERSION_PATCH);
}
