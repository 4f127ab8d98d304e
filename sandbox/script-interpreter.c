/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * script-interpreter.c - executing a "#!" payload through a sealed interpreter
 * (--seal-interpreter) instead of letting the kernel find the interpreter in
 * the filesystem at exec time.
 *
 * sealexec does what fs/binfmt_script.c would do, with the interpreter's
 * sealed memfd in place of the path: argv becomes
 *   [interpreter as written on the #! line, optional argument,
 *    "/dev/fd/N" (the script's memfd, inherited read-only), argv[1]...]
 * and the interpreter's memfd (close-on-exec, like any ELF payload) is the
 * descriptor given to execveat(), so the seccomp launch rule names it.
 *
 * The interpreter's descriptor is moved to the first free number above the
 * planned range before the files and the script are placed, so nothing the
 * payload is promised (files, kept fds, the script's /dev/fd/N) moves and
 * nothing else waiting above the plan (the Landlock ruleset) is clobbered.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "loader/loader.h"
#include "sandbox/env.h"
#include "sandbox/fds.h"
#include "sandbox/launch.h"
#include "sandbox/script-interpreter.h"

static void clear_interpreter(sealexec_launch *launch)
{
        sealexec_payload_free(launch->interpreter);
        free(launch->interpreter_argv0);
        free(launch->interpreter_arg);
        launch->interpreter = NULL;
        launch->interpreter_argv0 = NULL;
        launch->interpreter_arg = NULL;
}

void launch_interpreter_done(sealexec_launch *launch)
{
        clear_interpreter(launch);
}

static int check_pair(const sealexec_launch *launch, const sealexec_payload *interp,
                      sealexec_error *err)
{
        if (!launch || !interp)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "interpreter: none given");
        if (!launch->payload || !launch->payload->is_script)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "interpreter: the payload must be set first and be a #! script");
        if (interp->is_data || interp->is_script)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "interpreter '%s': not an ELF executable",
                                interp->name ? interp->name : "?");
        return 0;
}

SEALEXEC_API int sealexec_launch_set_interpreter(sealexec_launch *launch,
                                                 sealexec_payload *interpreter, sealexec_error *err)
{
        if (launch && launch->plan) {
                sealexec_payload_free(interpreter);
                return launch_busy(err);
        }
        struct loader_shebang sb;
        char label[LOADER_LABEL_MAX];
        int r = check_pair(launch, interpreter, err);
        if (r < 0) {
                sealexec_payload_free(interpreter);
                return r;
        }
        loader_label_path(label, sizeof(label), launch->payload->name ? launch->payload->name : "?",
                          false);
        /* argv[0] and the argument come from the sealed script itself. */
        r = loader_shebang_read(launch->payload->fd, label, &sb, err);
        if (r < 0) {
                sealexec_payload_free(interpreter);
                return r;
        }
        char *argv0 = strdup(sb.name);
        char *arg = sb.has_arg ? strdup(sb.arg) : NULL;
        if (!argv0 || (sb.has_arg && !arg)) {
                free(argv0);
                free(arg);
                sealexec_payload_free(interpreter);
                return se_oom(err, "interpreter");
        }
        clear_interpreter(launch);
        launch->interpreter = interpreter;
        launch->interpreter_argv0 = argv0;
        launch->interpreter_arg = arg;
        return 0;
}

int launch_interpreter_check(const sealexec_launch *launch, sealexec_error *err)
{
        if (!launch->interpreter)
                return 0;
        return check_pair(launch, launch->interpreter, err);
}

int interpreter_argv_build(const sealexec_launch *launch, int script_fd, char *const *argv,
                           char ***ret_argv, sealexec_error *err)
{
        size_t argc = strv_length(argv);
        size_t n = 0;
        char **out = calloc(argc + 3, sizeof(*out));
        if (!out)
                return se_oom(err, "interpreter");
        out[n++] = strdup(launch->interpreter_argv0);
        if (launch->interpreter_arg)
                out[n++] = strdup(launch->interpreter_arg);
        if (asprintf(&out[n++], "/dev/fd/%d", script_fd) < 0)
                out[n - 1] = NULL;
        /* The kernel replaces argv[0] by the script's path: it is dropped. */
        for (size_t i = 1; i < argc; i++)
                out[n++] = strdup(argv[i]);
        return strv_check_built(out, n, ret_argv, "interpreter argv", err);
}

static int describe_from_script(FILE *out, const sealexec_launch *launch)
{
        struct loader_shebang sb;
        /* Not fatal for a description: an unreadable line is named as such. */
        if (loader_shebang_read(launch->payload->fd, "payload", &sb, NULL) < 0) {
                fputs("interpreter: none found on the #! line (the kernel would refuse it)\n", out);
                return 0;
        }
        fprintf(out, "interpreter: %s (resolved by the kernel from the filesystem, not sealed)\n",
                sb.name);
        return 0;
}

int interpreter_describe(FILE *out, const sealexec_launch *launch, const struct fd_plan *plan,
                         sealexec_error *err)
{
        char digest[SEALEXEC_DIGEST_STRING_MAX];

        if (!launch->payload->is_script)
                return 0;
        if (!launch->interpreter)
                return describe_from_script(out, launch);
        int r = sealexec_payload_digest(launch->interpreter, digest, err);
        if (r < 0)
                return r;
        fprintf(out, "interpreter: %s sealed (%" PRIu64 " bytes, %s)\n", launch->interpreter_argv0,
                launch->interpreter->size, digest);
        if (launch->interpreter_arg)
                fprintf(out, "interpreter argument: %s\n", launch->interpreter_arg);
        return 0;
}
