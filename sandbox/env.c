/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Environment edits -> the payload's envp. Nothing here changes the process. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "sandbox/env.h"
#include "sandbox/launch.h"

bool env_name_is_valid(const char *name, size_t len)
{
        return len > 0 && memchr(name, '=', len) == NULL && memchr(name, '\0', len) == NULL;
}

/* A growable NULL-terminated vector of owned strings. */
struct env_vec {
        char **items;
        size_t n;
};

static size_t entry_name_len(const char *entry)
{
        const char *eq = strchr(entry, '=');
        return eq ? (size_t)(eq - entry) : strlen(entry);
}

static void env_vec_remove(struct env_vec *vec, const char *name, size_t len)
{
        size_t kept = 0;
        for (size_t i = 0; i < vec->n; i++) {
                if (entry_name_len(vec->items[i]) == len &&
                    strncmp(vec->items[i], name, len) == 0) {
                        free(vec->items[i]);
                        continue;
                }
                vec->items[kept++] = vec->items[i];
        }
        vec->n = kept;
        vec->items[kept] = NULL;
}

static void env_vec_clear(struct env_vec *vec)
{
        for (size_t i = 0; i < vec->n; i++)
                free(vec->items[i]);
        vec->n = 0;
        vec->items[0] = NULL;
}

/* Appends `entry` (taking ownership, also on failure). */
static int env_vec_push(struct env_vec *vec, char *entry)
{
        char **items = reallocarray(vec->items, vec->n + 2, sizeof(*items));
        if (!items) {
                free(entry);
                return -ENOMEM;
        }
        vec->items = items;
        items[vec->n++] = entry;
        items[vec->n] = NULL;
        return 0;
}

static int env_vec_set(struct env_vec *vec, const char *assignment,
                       const struct subst_entry *entries, size_t n_entries, sealexec_error *err)
{
        size_t len = entry_name_len(assignment);
        _cleanup_free_ char *value = NULL;
        int r = subst_expand(assignment + len + 1, entries, n_entries, &value, err);
        if (r < 0)
                return r;
        char *entry = malloc(len + 1 + strlen(value) + 1);
        if (!entry)
                return -ENOMEM;
        memcpy(entry, assignment, len + 1);
        strcpy(entry + len + 1, value);
        env_vec_remove(vec, assignment, len);
        return env_vec_push(vec, entry);
}

static int apply_edit(struct env_vec *vec, const struct launch_env_edit *edit,
                      const struct subst_entry *entries, size_t n_entries, sealexec_error *err)
{
        switch (edit->op) {
        case LAUNCH_ENV_SET:
                return env_vec_set(vec, edit->text, entries, n_entries, err);
        case LAUNCH_ENV_UNSET:
                env_vec_remove(vec, edit->text, strlen(edit->text));
                return 0;
        case LAUNCH_ENV_CLEAR:
                env_vec_clear(vec);
                return 0;
        }
        return -EINVAL;
}

int envp_build(char *const *base, const struct launch_env_edit *edits, size_t n_edits,
               const struct subst_entry *entries, size_t n_entries, char ***ret_envp,
               sealexec_error *err)
{
        struct env_vec vec = {.items = strv_copy(base)};
        if (!vec.items)
                return se_oom(err, "env");
        vec.n = strv_length(vec.items);
        for (size_t i = 0; i < n_edits; i++) {
                int r = apply_edit(&vec, &edits[i], entries, n_entries, err);
                if (r < 0) {
                        strv_free(vec.items);
                        if (r == -ENOMEM)
                                return se_oom(err, "env");
                        return r;
                }
        }
        *ret_envp = vec.items;
        return 0;
}

SEALEXEC_API int sealexec_launch_set_envp(sealexec_launch *launch, char *const envp[],
                                          sealexec_error *err)
{
        if (launch && launch->plan)
                return launch_busy(err);
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "environment: no launch");
        char **copy = NULL;
        if (envp) {
                for (size_t i = 0; envp[i]; i++) {
                        const char *eq = strchr(envp[i], '=');
                        if (!eq || !env_name_is_valid(envp[i], (size_t)(eq - envp[i])))
                                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                                "environment: entry %zu is not NAME=VALUE", i);
                }
                copy = strv_copy(envp);
                if (!copy)
                        return se_oom(err, "environment");
        }
        strv_free(launch->envp);
        launch->envp = copy;
        return 0;
}
