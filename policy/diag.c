/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Collecting "FILE:LINE:COL: message" lines for `sealexec policy check`. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/parse.h"

/* A check of a hostile file must not grow without bound. */
#define DIAG_MAX_COUNT 1000

static int diag_reserve(struct policy_diag *diag, size_t extra)
{
        if (diag->len + extra + 1 <= diag->cap)
                return 0;
        size_t cap = diag->cap ? diag->cap : 256;
        while (cap < diag->len + extra + 1)
                cap *= 2;
        char *text = realloc(diag->text, cap);
        if (!text)
                return -ENOMEM;
        diag->text = text;
        diag->cap = cap;
        return 0;
}

int policy_diag_add(struct policy_diag *diag, const char *file, unsigned line, unsigned col,
                    const char *fmt, ...)
{
        char msg[SEALEXEC_ERROR_MESSAGE_MAX];
        va_list ap;

        if (!diag)
                return 0;
        diag->count++;
        if (diag->count > DIAG_MAX_COUNT)
                return 0;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);

        const char *suffix = diag->count == DIAG_MAX_COUNT ? " (further errors not shown)" : "";
        int n =
            snprintf(NULL, 0, "%s:%u:%u: %s%s\n", file ? file : "<policy>", line, col, msg, suffix);
        if (n < 0 || diag_reserve(diag, (size_t)n) < 0)
                return -ENOMEM;
        snprintf(diag->text + diag->len, (size_t)n + 1, "%s:%u:%u: %s%s\n",
                 file ? file : "<policy>", line, col, msg, suffix);
        diag->len += (size_t)n;
        return 0;
}

void policy_diag_done(struct policy_diag *diag)
{
        if (!diag)
                return;
        free(diag->text);
        *diag = (struct policy_diag){0};
}
