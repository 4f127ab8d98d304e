/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `sealexec run`: load and seal the payload and files, set up the launch,
 * then either describe it (--dry-run) or confine this process and exec in
 * place. No fork and no supervisor: the payload keeps the PID, the terminal
 * and the signals, and reports its own exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "run-options.h"

struct run_context {
        const struct run_options *options;
        sealexec_launch *launch;
        int root_fd; /* --root, or -1 */
        sealexec_error err;
};

#define VERBOSE(ctx, ...)                                                                          \
        do {                                                                                       \
                if ((ctx)->options->verbose) {                                                     \
                        fputs("sealexec: ", stderr);                                               \
                        fprintf(stderr, __VA_ARGS__);                                              \
                        fputc('\n', stderr);                                                       \
                }                                                                                  \
        } while (0)

/* The holder to ask: --hold PATH, else $SEALEXEC_HOLD_SOCKET, else (--hold=require) the default. */
static const char *hold_socket(const struct run_options *o)
{
        const char *env = getenv("SEALEXEC_HOLD_SOCKET");
        if (o->hold_off)
                return NULL;
        if (o->hold_socket)
                return o->hold_socket;
        if (env && *env)
                return env;
        return o->hold_require ? SEALEXEC_HOLD_DEFAULT_SOCKET : NULL;
}

/* The holder's shared copy; when it cannot serve, a private one and a one-line notice. */
static int load_held(struct run_context *ctx, const char *socket, sealexec_payload **ret)
{
        const struct run_options *o = ctx->options;
        unsigned flags =
            SEALEXEC_LOAD_SEARCH_PATH | (o->hold_require ? SEALEXEC_LOAD_HOLD_REQUIRE : 0);
        int r = sealexec_payload_load_held(socket, ctx->root_fd, o->command[0], flags, o->max_size,
                                           ret, &ctx->err);
        if (r == 1) {
                cli_errorf("notice: holder not used, sealed a private copy: %s", ctx->err.message);
                ctx->err = (sealexec_error){0};
                return 0;
        }
        if (r == 0)
                VERBOSE(ctx, "payload shared by the holder at '%s'", socket);
        return r;
}

static int load_payload(struct run_context *ctx)
{
        const struct run_options *o = ctx->options;
        sealexec_payload *payload = NULL;
        const char *socket = hold_socket(o);
        int r;

        if (o->payload_fd >= 0) {
                char name[32];
                snprintf(name, sizeof(name), "fd %d", o->payload_fd);
                /* An already fully sealed memfd is used as it is; anything else is copied. */
                r = sealexec_payload_adopt_fd(o->payload_fd, name, 0, &payload, &ctx->err);
                if (r == -EMEDIUMTYPE || r == -EPERM)
                        r = sealexec_payload_load_fd(o->payload_fd, name, 0, o->max_size, &payload,
                                                     &ctx->err);
                else if (r >= 0)
                        VERBOSE(ctx, "fd %d is a sealed memfd: used without a copy", o->payload_fd);
        } else if (socket) {
                r = load_held(ctx, socket, &payload);
        } else if (ctx->root_fd >= 0) {
                r = sealexec_payload_load_in_root(ctx->root_fd, o->command[0],
                                                  SEALEXEC_LOAD_SEARCH_PATH, o->max_size, &payload,
                                                  &ctx->err);
        } else {
                r = sealexec_payload_load_path(o->command[0], SEALEXEC_LOAD_SEARCH_PATH,
                                               o->max_size, &payload, &ctx->err);
        }
        if (r < 0)
                return r;
        VERBOSE(ctx, "payload '%s': %llu bytes sealed in memfd (fd %d, seals 0x%x)",
                sealexec_payload_name(payload), (unsigned long long)sealexec_payload_size(payload),
                sealexec_payload_fd(payload), sealexec_payload_seals(payload));
        if (o->digest) {
                r = sealexec_payload_verify_digest(payload, o->digest, &ctx->err);
                if (r < 0) {
                        sealexec_payload_free(payload);
                        return r;
                }
                VERBOSE(ctx, "payload digest verified: %s", o->digest);
        }
        sealexec_payload *interpreter = NULL;
        /*
         * Under --root the interpreter must come from the root too: seal it here
         * whenever the exec guard may need it (--exec-once), rather than let the
         * library seal the host's.
         */
        bool seal = o->seal_interpreter || (o->exec_once && o->root);
        if (seal && sealexec_payload_is_script(payload)) {
                r = sealexec_payload_load_interpreter(payload, ctx->root_fd, o->max_size,
                                                      &interpreter, &ctx->err);
                if (r < 0) {
                        sealexec_payload_free(payload);
                        return r;
                }
                VERBOSE(ctx, "interpreter '%s': %llu bytes sealed",
                        sealexec_payload_name(interpreter),
                        (unsigned long long)sealexec_payload_size(interpreter));
        }
        r = sealexec_launch_set_payload(ctx->launch, payload, &ctx->err);
        if (r == 0 && interpreter)
                return sealexec_launch_set_interpreter(ctx->launch, interpreter, &ctx->err);
        sealexec_payload_free(interpreter);
        return r;
}

static int load_files(struct run_context *ctx)
{
        const struct run_options *o = ctx->options;

        for (size_t i = 0; i < o->n_files; i++) {
                const struct cli_file_spec *spec = &o->files[i];
                sealexec_payload *file = NULL;
                int r = ctx->root_fd >= 0
                            ? sealexec_payload_load_in_root(ctx->root_fd, spec->path,
                                                            SEALEXEC_LOAD_DATA, o->max_size, &file,
                                                            &ctx->err)
                            : sealexec_payload_load_path(spec->path, SEALEXEC_LOAD_DATA,
                                                         o->max_size, &file, &ctx->err);
                if (r < 0)
                        return r;
                if (spec->digest) {
                        r = sealexec_payload_verify_digest(file, spec->digest, &ctx->err);
                        if (r < 0) {
                                sealexec_payload_free(file);
                                return r;
                        }
                }
                VERBOSE(ctx, "file '%s' = '%s': %llu bytes sealed%s", spec->name, spec->path,
                        (unsigned long long)sealexec_payload_size(file),
                        spec->digest ? ", digest verified" : "");
                r = sealexec_launch_add_file(ctx->launch, spec->name, file, &ctx->err);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int load_policy(struct run_context *ctx)
{
        const struct run_options *o = ctx->options;
        sealexec_policy *policy = NULL;
        int r;

        /* No policy set: the library applies the "default" profile (sandbox/plan.c). */
        if (!o->policy_path && !o->bpf_path && !o->profile) {
                VERBOSE(ctx, "seccomp policy: default");
                return 0;
        }
        if (o->policy_path)
                r = sealexec_policy_load_file(o->policy_path, o->constants_path, &policy,
                                              &ctx->err);
        else if (o->bpf_path)
                r = sealexec_policy_load_bpf(o->bpf_path, &policy, &ctx->err);
        else
                r = sealexec_policy_new_profile(o->profile, &policy, &ctx->err);
        if (r < 0)
                return r;
        VERBOSE(ctx, "seccomp policy: %s",
                o->policy_path ? o->policy_path
                : o->bpf_path  ? o->bpf_path
                               : o->profile);
        return sealexec_launch_set_policy(ctx->launch, policy, &ctx->err);
}

static int apply_hardening(struct run_context *ctx)
{
        const struct run_options *o = ctx->options;
        sealexec_launch *l = ctx->launch;
        sealexec_error *err = &ctx->err;
        unsigned scopes = SEALEXEC_SCOPE_SIGNAL | SEALEXEC_SCOPE_ABSTRACT_UNIX;
        int r = 0;

        if (o->no_scope_signals)
                scopes &= ~(unsigned)SEALEXEC_SCOPE_SIGNAL;
        if (o->no_scope_abstract_unix)
                scopes &= ~(unsigned)SEALEXEC_SCOPE_ABSTRACT_UNIX;
        r = sealexec_launch_set_landlock_scopes(l, scopes, err);
        if (r == 0 && o->landlock_require)
                r = sealexec_launch_set_landlock_mode(l, SEALEXEC_LANDLOCK_REQUIRE, err);
        for (size_t i = 0; r == 0 && i < o->n_landlock_paths; i++)
                r = sealexec_launch_add_landlock_path(l, o->landlock_paths[i].path,
                                                      o->landlock_paths[i].writable, err);
        if (r == 0 && o->exec_once)
                r = sealexec_launch_set_exec_once(l, true, err);
        if (r == 0 && o->new_session)
                r = sealexec_launch_set_new_session(l, true, err);
        if (r == 0 && o->allow_root)
                r = sealexec_launch_set_allow_root(l, true, err);
        if (r == 0 && o->keep_signals)
                r = sealexec_launch_set_keep_signals(l, true, err);
        if (r == 0 && o->deny_unix)
                r = sealexec_launch_set_deny_unix(l, true, err);
        if (r == 0 && o->seccomp_listener) {
                int fd = -1;
                r = sealexec_connect_seccomp_listener(o->seccomp_listener, &fd, err);
                if (r == 0)
                        r = sealexec_launch_set_seccomp_listener(l, fd, err);
                if (fd >= 0)
                        close(fd);
        }
        return r;
}

static int open_root(struct run_context *ctx)
{
        const char *root = ctx->options->root;
        if (!root)
                return 0;
        ctx->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (ctx->root_fd < 0) {
                int e = errno;
                snprintf(ctx->err.message, sizeof(ctx->err.message), "--root '%s': %s", root,
                         strerror(e));
                ctx->err.code = -e;
                ctx->err.kind = SEALEXEC_ERROR_REFUSED;
                return -e;
        }
        return 0;
}

/*
 * The caller's descriptors, checked before sealexec opens anything: a
 * --keep-fd number that is not open now would otherwise be taken by the next
 * descriptor sealexec opens (the --root directory, a policy file, a memfd)
 * and handed to the payload. Closed 0, 1 and 2 get /dev/null for the same
 * reason: the payload always inherits them.
 */
static int check_inherited_fds(struct run_context *ctx)
{
        const struct run_options *o = ctx->options;
        int r = 0;

        for (int std = 0; std < 3; std++) {
                if (fcntl(std, F_GETFD) >= 0 || errno != EBADF)
                        continue;
                int fd = open("/dev/null", O_RDWR | O_NOCTTY);
                if (fd != std) {
                        int e = fd < 0 ? errno : EBADF;
                        if (fd >= 0)
                                close(fd);
                        snprintf(ctx->err.message, sizeof(ctx->err.message),
                                 "fd %d is closed and /dev/null cannot take its place: %s", std,
                                 strerror(e));
                        ctx->err.code = -e;
                        ctx->err.kind = SEALEXEC_ERROR_REFUSED;
                        return -e;
                }
        }
        for (size_t i = 0; r == 0 && i < o->n_keep_fds; i++) {
                if (fcntl(o->keep_fds[i], F_GETFD) < 0) {
                        snprintf(ctx->err.message, sizeof(ctx->err.message),
                                 "--keep-fd %d: not an open descriptor (it must be open when "
                                 "sealexec starts)",
                                 o->keep_fds[i]);
                        ctx->err.code = -EBADF;
                        ctx->err.kind = SEALEXEC_ERROR_REFUSED;
                        return -EBADF;
                }
                r = sealexec_launch_keep_fd(ctx->launch, o->keep_fds[i], &ctx->err);
        }
        for (size_t i = 0; r == 0 && i < o->n_fd_maps; i++)
                r = sealexec_launch_map_fd(ctx->launch, o->fd_maps[i].parent, o->fd_maps[i].child,
                                           &ctx->err);
        return r;
}

static int apply_process_settings(struct run_context *ctx)
{
        const struct run_options *o = ctx->options;
        sealexec_launch *l = ctx->launch;
        sealexec_error *err = &ctx->err;
        int r = 0;

        for (size_t i = 0; r == 0 && i < o->n_env; i++) {
                const struct run_env_edit *e = &o->env[i];
                r = e->op == RUN_ENV_SET     ? sealexec_launch_set_env(l, e->value, err)
                    : e->op == RUN_ENV_UNSET ? sealexec_launch_unset_env(l, e->value, err)
                                             : sealexec_launch_clear_env(l, err);
        }
        for (size_t i = 0; r == 0 && i < o->n_rlimits; i++)
                r = sealexec_launch_add_rlimit(l, o->rlimits[i], err);
        for (size_t i = 0; r == 0 && i < o->n_caps; i++)
                r = sealexec_launch_keep_caps(l, o->caps[i], err);
        if (r == 0 && o->chdir)
                r = sealexec_launch_set_chdir(l, o->chdir, err);
        if (r == 0 && o->ids_from_root)
                r = sealexec_launch_resolve_ids_in_root(l, ctx->root_fd, err);
        if (r == 0 && o->user)
                r = sealexec_launch_set_user(l, o->user, err);
        if (r == 0 && o->groups)
                r = sealexec_launch_set_groups(l, o->groups, err);
        if (r == 0 && o->group)
                r = sealexec_launch_set_group(l, o->group, err);
        if (r == 0)
                r = apply_hardening(ctx);
        if (r == 0)
                r = sealexec_launch_set_argv(l, o->command, err);
        if (r == 0 && o->argv0)
                r = sealexec_launch_set_argv0(l, o->argv0, err);
        return r;
}

/*
 * Settings that need no file come first, so that a typo in --user or
 * --rlimit is reported before anything is read. The --keep-fd check comes
 * before any open, so that no descriptor of sealexec's can take a kept number.
 */
static int prepare(struct run_context *ctx)
{
        /* Non-dumpable before any memfd exists: nobody can write into one before it is sealed. */
        int r = sealexec_protect_launcher(&ctx->err);
        if (r == 0)
                r = sealexec_launch_new(&ctx->launch, &ctx->err);
        if (r == 0)
                r = check_inherited_fds(ctx);
        if (r == 0)
                r = open_root(ctx);
        if (r == 0)
                r = apply_process_settings(ctx);
        if (r == 0)
                r = load_policy(ctx);
        if (r == 0)
                r = load_payload(ctx);
        if (r == 0)
                r = load_files(ctx);
        return r;
}

static int dry_run(struct run_context *ctx)
{
        char *text = NULL;
        int r = ctx->options->json ? sealexec_launch_describe_json(ctx->launch, &text, &ctx->err)
                                   : sealexec_launch_describe(ctx->launch, &text, &ctx->err);
        if (r < 0)
                return cli_report(&ctx->err);
        fputs(text, stdout);
        if (ctx->options->json)
                fputc('\n', stdout);
        free(text);
        return fflush(stdout) == 0 ? 0 : CLI_EXIT_REFUSED;
}

/* The keys of the dry-run text that -v repeats: one summary, not every rule. */
static bool summary_line(const char *line, size_t len)
{
        static const char *const keys[] = {
            "payload:",           "digest:",     "interpreter:",    "ld.so:", "exec fd:",
            "launch rule:",       "exec guard:", "exec-once:",      "user:",  "group:",
            "capabilities kept:", "landlock:",   "seccomp program",
        };
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                if (len >= strlen(keys[i]) && strncmp(line, keys[i], strlen(keys[i])) == 0)
                        return true;
        return false;
}

static int print_summary(struct run_context *ctx)
{
        char *text = NULL;
        if (sealexec_launch_describe(ctx->launch, &text, &ctx->err) < 0)
                return -1;
        fputs("sealexec: confining and executing (--dry-run shows everything):\n", stderr);
        for (const char *line = text; *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);
                if (summary_line(line, len))
                        fprintf(stderr, "sealexec:   %.*s\n", (int)len, line);
                line += len + (nl ? 1 : 0);
        }
        free(text);
        return 0;
}

static int execute(struct run_context *ctx)
{
        if (ctx->options->verbose && print_summary(ctx) < 0)
                return cli_report(&ctx->err);
        /* Anything buffered must reach its file before the exec replaces us. */
        fflush(stdout);
        fflush(stderr);
        sealexec_launch_exec(ctx->launch, &ctx->err);
        return cli_report(&ctx->err);
}

int cli_cmd_run(int argc, char **argv)
{
        struct run_options options;
        char errbuf[SEALEXEC_ERROR_MESSAGE_MAX];

        if (run_options_parse(argc, argv, &options, errbuf, sizeof(errbuf)) < 0) {
                cli_errorf("%s", errbuf);
                return CLI_EXIT_REFUSED;
        }
        if (options.help) {
                fputs(run_usage, stdout);
                run_options_done(&options);
                return 0;
        }

        struct run_context ctx = {.options = &options, .root_fd = -1};
        int status;
        if (prepare(&ctx) < 0)
                status = cli_report(&ctx.err);
        else
                status = options.dry_run ? dry_run(&ctx) : execute(&ctx);
        sealexec_launch_free(ctx.launch);
        if (ctx.root_fd >= 0)
                close(ctx.root_fd);
        run_options_done(&options);
        return status;
}
