/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How the command reports failures: one line on stderr, then a documented status. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

void cli_errorf(const char *fmt, ...)
{
        va_list ap;
        fputs("sealexec: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

int cli_report(const sealexec_error *err)
{
        const char *message = err->message[0] ? err->message : "unknown error";
        cli_errorf("%s", message);
        switch (err->kind) {
        case SEALEXEC_ERROR_CANNOT_EXECUTE:
                return CLI_EXIT_CANNOT_EXECUTE;
        case SEALEXEC_ERROR_NOT_FOUND:
                return CLI_EXIT_NOT_FOUND;
        default:
                return CLI_EXIT_REFUSED;
        }
}
