/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Programs that find their libraries through $ORIGIN.
 *
 * A dynamic program whose DT_RPATH or DT_RUNPATH says "$ORIGIN/../lib" (every
 * JDK tool, many relocatable builds) fails when it runs from a memfd: the
 * dynamic loader resolves $ORIGIN against /proc/self/exe, which is the
 * memfd, not the directory the program was copied from. sealexec then starts
 * the program through a sealed copy of its ELF interpreter (the same path as
 * the exec guard) and gives ld.so the search paths with $ORIGIN expanded
 * against the real directory of the file that was sealed, as --library-path.
 * ld.so takes that in place of LD_LIBRARY_PATH, so the value is built to
 * keep the usual order: DT_RPATH, then the environment's LD_LIBRARY_PATH,
 * then DT_RUNPATH. Two differences remain, both documented: the paths also
 * apply to the libraries' own dependencies (as LD_LIBRARY_PATH does), and
 * libraries that use $ORIGIN themselves are found as usual (they are loaded
 * from the filesystem, so their $ORIGIN is right).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "loader/loader.h"
#include "loader/payload.h"
#include "sandbox/plan.h"

static bool has_origin(const char *paths)
{
        return paths && (strstr(paths, "$ORIGIN") || strstr(paths, "${ORIGIN}"));
}

/* `paths` with every $ORIGIN and ${ORIGIN} replaced by `dir`. */
static char *expand_origin(const char *paths, const char *dir)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&buf, &size);
        if (!out)
                return NULL;
        for (const char *p = paths; *p;) {
                if (strncmp(p, "${ORIGIN}", 9) == 0) {
                        fputs(dir, out);
                        p += 9;
                } else if (strncmp(p, "$ORIGIN", 7) == 0) {
                        fputs(dir, out);
                        p += 7;
                } else {
                        fputc(*p++, out);
                }
        }
        if (fclose(out) != 0)
                return NULL;
        return TAKE_PTR(buf);
}

int plan_origin_paths(const sealexec_payload *target, char **ret_rpath, char **ret_runpath,
                      sealexec_error *err)
{
        _cleanup_free_ char *rpath = NULL, *runpath = NULL;
        *ret_rpath = *ret_runpath = NULL;
        if (target->is_script || elf_read_search_paths(target->fd, &rpath, &runpath) < 0)
                return 0; /* the kernel will say what is wrong with the file */
        if (!has_origin(rpath) && !has_origin(runpath))
                return 0;
        /* ld.so takes the directory of /proc/self/exe with symlinks resolved. */
        char real[PATH_MAX];
        if (!target->name || !realpath(target->name, real))
                return se_error(err, -ENOENT, SEALEXEC_ERROR_REFUSED,
                                "prepare: '%s' finds its libraries through $ORIGIN, but its "
                                "directory cannot be resolved; run it by its path",
                                target->name ? target->name : "?");
        const char *dir = dirname(real);
        char *a = has_origin(rpath) ? expand_origin(rpath, dir) : NULL;
        char *b = has_origin(runpath) ? expand_origin(runpath, dir) : NULL;
        if ((has_origin(rpath) && !a) || (has_origin(runpath) && !b)) {
                free(a);
                free(b);
                return se_oom(err, "prepare");
        }
        *ret_rpath = a;
        *ret_runpath = b;
        return 1;
}

static const char *env_value(char **envp, const char *name)
{
        size_t len = strlen(name);
        for (size_t i = 0; envp && envp[i]; i++)
                if (strncmp(envp[i], name, len) == 0 && envp[i][len] == '=')
                        return envp[i] + len + 1;
        return NULL;
}

int plan_library_path(const struct launch_plan *plan, char **ret_path, sealexec_error *err)
{
        const char *parts[3] = {plan->origin_rpath, env_value(plan->envp, "LD_LIBRARY_PATH"),
                                plan->origin_runpath};
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&buf, &size);
        if (!out)
                return se_oom(err, "prepare");
        bool first = true;
        for (size_t i = 0; i < 3; i++)
                if (parts[i] && *parts[i]) {
                        fprintf(out, "%s%s", first ? "" : ":", parts[i]);
                        first = false;
                }
        if (fclose(out) != 0)
                return se_oom(err, "prepare");
        *ret_path = first ? NULL : TAKE_PTR(buf);
        return 0;
}
