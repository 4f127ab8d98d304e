/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The payload's argv and "%{NAME}" substitution. Nothing here changes the process. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "sandbox/env.h"
#include "sandbox/launch.h"

size_t strv_length(char *const *strv)
{
        size_t n = 0;
        while (strv && strv[n])
                n++;
        return n;
}

void strv_free(char **strv)
{
        for (size_t i = 0; strv && strv[i]; i++)
                free(strv[i]);
        free(strv);
}

char **strv_copy(char *const *strv)
{
        size_t n = strv_length(strv);
        char **copy = calloc(n + 1, sizeof(*copy));
        if (!copy)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                copy[i] = strdup(strv[i]);
                if (!copy[i]) {
                        strv_free(copy);
                        return NULL;
                }
        }
        return copy;
}

/* The declared entry whose name is exactly text[0..len), or NULL. */
static const struct subst_entry *find_entry(const char *text, size_t len,
                                            const struct subst_entry *entries, size_t n_entries)
{
        for (size_t i = 0; i < n_entries; i++)
                if (strlen(entries[i].name) == len && memcmp(entries[i].name, text, len) == 0)
                        return &entries[i];
        return NULL;
}

int subst_expand(const char *text, const struct subst_entry *entries, size_t n_entries,
                 char **ret_text, sealexec_error *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&buf, &size);
        if (!out)
                return se_oom(err, "substitution");

        const char *p = text;
        while (*p) {
                /* "%%{" is the escape for a literal "%{", declared name or not. */
                if (p[0] == '%' && p[1] == '%' && p[2] == '{') {
                        fputs("%{", out);
                        p += 3;
                        continue;
                }
                const char *close = p[0] == '%' && p[1] == '{' ? strchr(p + 2, '}') : NULL;
                const struct subst_entry *entry =
                    close ? find_entry(p + 2, (size_t)(close - (p + 2)), entries, n_entries) : NULL;
                if (entry) {
                        fprintf(out, "/proc/self/fd/%d", entry->fd);
                        p = close + 1;
                } else {
                        /* Not a declared name: the text stays exactly as written. */
                        fputc(*p, out);
                        p++;
                }
        }
        if (fclose(out) != 0 || !buf)
                return se_oom(err, "substitution");
        *ret_text = TAKE_PTR(buf);
        return 0;
}

int argv_build(char *const *argv, const char *argv0, const struct subst_entry *entries,
               size_t n_entries, char ***ret_argv, sealexec_error *err)
{
        size_t n = strv_length(argv);
        if (n == 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "argv: empty");
        char **out = calloc(n + 1, sizeof(*out));
        if (!out)
                return se_oom(err, "argv");
        for (size_t i = 0; i < n; i++) {
                const char *source = i == 0 && argv0 ? argv0 : argv[i];
                int r = subst_expand(source, entries, n_entries, &out[i], err);
                if (r < 0) {
                        strv_free(out);
                        return r;
                }
        }
        *ret_argv = out;
        return 0;
}

int strv_check_built(char **strv, size_t n, char ***ret_strv, const char *what, sealexec_error *err)
{
        for (size_t i = 0; i < n; i++)
                if (!strv[i]) {
                        for (size_t j = 0; j < n; j++)
                                free(strv[j]);
                        free(strv);
                        return se_oom(err, what);
                }
        *ret_strv = strv;
        return 0;
}
