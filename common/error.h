/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Filling the public sealexec_error. Every fallible internal function takes a
 * `sealexec_error *err` (may be NULL) and returns a negative errno; the
 * helpers below record the message and return that errno so a failure is one
 * line:   return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "...", ...);
 */
#ifndef SEALEXEC_COMMON_ERROR_H
#define SEALEXEC_COMMON_ERROR_H

#include "sealexec.h"

/* Records `code` (negative errno), `kind` and a formatted message; returns code. */
int se_error(sealexec_error *err, int code, sealexec_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Same, with ": strerror(-code)" appended to the message. */
int se_error_errno(sealexec_error *err, int code, sealexec_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Prefixes an already recorded message with "prefix: " (for adding context on
 * the way up, e.g. the file name). Returns `code`, unchanged.
 */
int se_error_prefix(sealexec_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Out of memory while doing `what`: -ENOMEM, REFUSED, "WHAT: out of memory". */
int se_oom(sealexec_error *err, const char *what);

#endif
