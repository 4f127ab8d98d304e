/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int record(sealexec_error *err, int code, sealexec_error_kind kind, bool with_errno,
                  const char *fmt, va_list ap)
{
        if (!err)
                return code;
        err->code = code;
        err->kind = kind;
        int n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
        if (with_errno && n >= 0 && (size_t)n < sizeof(err->message))
                snprintf(err->message + n, sizeof(err->message) - (size_t)n, ": %s",
                         strerror(-code));
        return code;
}

int se_error(sealexec_error *err, int code, sealexec_error_kind kind, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        record(err, code, kind, false, fmt, ap);
        va_end(ap);
        return code;
}

int se_error_errno(sealexec_error *err, int code, sealexec_error_kind kind, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        record(err, code, kind, true, fmt, ap);
        va_end(ap);
        return code;
}

int se_error_prefix(sealexec_error *err, int code, const char *fmt, ...)
{
        if (!err)
                return code;
        char prefix[SEALEXEC_ERROR_MESSAGE_MAX];
        char old[SEALEXEC_ERROR_MESSAGE_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(prefix, sizeof(prefix), fmt, ap);
        va_end(ap);
        memcpy(old, err->message, sizeof(old));
        snprintf(err->message, sizeof(err->message), "%s: %s", prefix, old);
        return code;
}
