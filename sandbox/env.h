/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * env.h - what the payload receives: argv, the environment, and the
 * "%{NAME}" substitution of declared files (argv.c, env.c).
 */
#ifndef SEALEXEC_SANDBOX_ENV_H
#define SEALEXEC_SANDBOX_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "sandbox/fds.h"
#include "sandbox/launch.h"

/* A declared file name and its final fd, for "%{NAME}" substitution. */
struct subst_entry {
        const char *name;
        int fd;
};

/*
 * Copies `text` with every "%{NAME}" of a declared NAME replaced by
 * "/proc/self/fd/N" and every "%%{" by a literal "%{". Everything else,
 * including "%{" of an undeclared name or without a closing brace, is copied
 * as it is. Pure.
 */
int subst_expand(const char *text, const struct subst_entry *entries, size_t n_entries,
                 char **ret_text, sealexec_error *err);

/*
 * The argv the payload receives: argv with substitutions, argv[0] replaced by
 * argv0 when it is not NULL. ret_argv is NULL-terminated; free with strv_free().
 */
int argv_build(char *const *argv, const char *argv0, const struct subst_entry *entries,
               size_t n_entries, char ***ret_argv, sealexec_error *err);

/* Applies the edits in order to a copy of `base`, substituting in values. Pure. */
int envp_build(char *const *base, const struct launch_env_edit *edits, size_t n_edits,
               const struct subst_entry *entries, size_t n_entries, char ***ret_envp,
               sealexec_error *err);

/* Checks an environment variable name: non-empty and without '='. */
bool env_name_is_valid(const char *name, size_t len);

void strv_free(char **strv);

/*
 * The last step of building a NULL-terminated vector of n strdup()ed
 * entries: if any entry is NULL (out of memory) everything is freed and
 * -ENOMEM recorded for `what`; otherwise *ret_strv receives strv.
 */
int strv_check_built(char **strv, size_t n, char ***ret_strv, const char *what,
                     sealexec_error *err);
static inline void strv_freep(char ***strv)
{
        strv_free(*strv);
}
char **strv_copy(char *const *strv);
size_t strv_length(char *const *strv);

/* The substitution table for a plan (exec.c). */
int launch_subst_entries(const sealexec_launch *launch, const struct fd_plan *plan,
                         struct subst_entry **ret_entries, sealexec_error *err);

#endif
