/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "common/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 5, 0))) static int record(sealexec_error *err, int code,
                                                        sealexec_error_kind kind, bool with_errno,
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
        char joined[SEALEXEC_ERROR_MESSAGE_MAX];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(joined, sizeof(joined), fmt, ap);
        va_end(ap);
        /* Truncation is fine for a message; what matters is that it stays terminated. */
        if (n >= 0 && (size_t)n < sizeof(joined)) {
                size_t used = (size_t)n;
                const char *sep = ": ";
                for (const char *p = sep; *p && used + 1 < sizeof(joined); p++)
                        joined[used++] = *p;
                for (const char *p = err->message; *p && used + 1 < sizeof(joined); p++)
                        joined[used++] = *p;
                joined[used] = '\0';
        }
        memcpy(err->message, joined, sizeof(joined));
        return code;
}

int se_oom(sealexec_error *err, const char *what)
{
        return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED, "%s: out of memory", what);
}
