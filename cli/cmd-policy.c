/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `sealexec policy check|compile|explain`: the policy tools.
 *   check FILE...       exit 0, or every error as FILE:LINE:COL: message and exit 1
 *   compile FILE -o OUT write the BPF program (for --seccomp-bpf or bwrap --seccomp),
 *                       from sealexec's code generator or, with --backend
 *                       libseccomp, from libseccomp's
 *   explain FILE        default action, per-syscall actions, arches, size
 * A built-in profile can stand for FILE with --profile NAME.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char policy_usage[] =
    "Usage: sealexec policy check [--constants FILE] FILE...\n"
    "       sealexec policy compile [OPTIONS] (FILE | --profile NAME) -o OUT\n"
    "       sealexec policy explain [OPTIONS] [--pfc] (FILE | --profile NAME)\n"
    "\n"
    "FILE is a minijail text policy or an OCI/Docker seccomp JSON profile (or a\n"
    "whole OCI config.json), told apart by content.\n"
    "\n"
    "Options:\n"
    "  --profile NAME        a built-in profile (default, docker, none) instead of FILE\n"
    "  --cap-keep CAP[,...]  capabilities the payload keeps (Docker's includes/excludes)\n"
    "  --constants FILE      minijail constants.json for text policies\n"
    "  -o, --output OUT      where 'compile' writes the BPF program\n"
    "  --backend NAME        'compile' code generator: sealexec (default) or libseccomp\n"
    "  --pfc                 'explain' adds libseccomp's pseudo filter code\n"
    "  --json                'explain' prints JSON (see sealexec-policy(5))\n"
    "\n"
    "Exit status: 0 when valid, 1 when a policy has errors, 125 on other failures.\n";

struct policy_options {
        const char *profile;
        const char *caps;
        const char *constants;
        const char *output;
        const char *backend;
        bool pfc;
        bool json;
        char **files;
        int n_files;
};

enum { OPT_PROFILE = 256, OPT_CAP_KEEP, OPT_CONSTANTS, OPT_PFC, OPT_JSON, OPT_BACKEND };

static int parse_policy_options(int argc, char **argv, struct policy_options *ret)
{
        static const struct option long_options[] = {
            {"profile", required_argument, NULL, OPT_PROFILE},
            {"cap-keep", required_argument, NULL, OPT_CAP_KEEP},
            {"constants", required_argument, NULL, OPT_CONSTANTS},
            {"output", required_argument, NULL, 'o'},
            {"pfc", no_argument, NULL, OPT_PFC},
            {"json", no_argument, NULL, OPT_JSON},
            {"backend", required_argument, NULL, OPT_BACKEND},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
        };
        struct policy_options o = {0};
        int opt;

        optind = 0;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, ":o:h", long_options, NULL)) != -1) {
                switch (opt) {
                case OPT_PROFILE:
                        o.profile = optarg;
                        break;
                case OPT_CAP_KEEP:
                        o.caps = optarg;
                        break;
                case OPT_CONSTANTS:
                        o.constants = optarg;
                        break;
                case OPT_PFC:
                        o.pfc = true;
                        break;
                case OPT_JSON:
                        o.json = true;
                        break;
                case OPT_BACKEND:
                        if (strcmp(optarg, "sealexec") != 0 && strcmp(optarg, "libseccomp") != 0) {
                                cli_errorf("policy: --backend '%s': expected sealexec or "
                                           "libseccomp",
                                           optarg);
                                return -EINVAL;
                        }
                        o.backend = optarg;
                        break;
                case 'o':
                        o.output = optarg;
                        break;
                case 'h':
                        fputs(policy_usage, stdout);
                        return 1;
                case ':':
                        cli_errorf("policy: option '%s' needs a value", argv[optind - 1]);
                        return -EINVAL;
                default:
                        cli_errorf("policy: unknown option '%s' (see 'sealexec policy --help')",
                                   argv[optind - 1]);
                        return -EINVAL;
                }
        }
        o.files = argv + optind;
        o.n_files = argc - optind;
        *ret = o;
        return 0;
}

/* Loads the one policy that compile and explain work on. */
static int load_single(const struct policy_options *o, sealexec_policy **ret_policy)
{
        sealexec_error err = {0};
        int r;

        if ((o->profile != NULL) + o->n_files != 1) {
                cli_errorf("policy: give exactly one FILE or --profile NAME");
                return CLI_EXIT_REFUSED;
        }
        if (o->profile)
                r = sealexec_policy_new_profile(o->profile, ret_policy, &err);
        else
                r = sealexec_policy_load_file(o->files[0], o->constants, ret_policy, &err);
        return r < 0 ? cli_report(&err) : 0;
}

static int cmd_check(const struct policy_options *o)
{
        int status = 0;

        if (o->n_files == 0) {
                cli_errorf("policy check: no FILE given");
                return CLI_EXIT_REFUSED;
        }
        for (int i = 0; i < o->n_files; i++) {
                char *diagnostics = NULL;
                sealexec_error err = {0};
                int r = sealexec_policy_check_file(o->files[i], o->constants, &diagnostics, &err);
                /* Errors, and the warnings and notes of a valid policy. */
                if ((r == 0 || r == -EINVAL) && diagnostics)
                        fputs(diagnostics, stderr);
                /* The library names the setting; here it is a flag of `run`. */
                if (r == 0 && diagnostics && strstr(diagnostics, ": note: user-notify"))
                        cli_errorf("policy check: '%s': run it with 'sealexec run "
                                   "--seccomp-listener PATH', PATH being the UNIX socket of the "
                                   "agent that answers the notifications",
                                   o->files[i]);
                if (r == -EINVAL && diagnostics) {
                        status = 1;
                } else if (r < 0) {
                        cli_errorf("%s", err.message);
                        status = 1;
                }
                free(diagnostics);
        }
        return status;
}

/*
 * The command is written against include/sealexec.h only, so common/io.h's
 * io_write_all() is not available here: this is the command's one copy.
 */
static int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

static int cmd_compile(const struct policy_options *o)
{
        sealexec_policy *policy = NULL;
        sealexec_error err = {0};
        void *prog = NULL;
        size_t len = 0;

        if (!o->output) {
                cli_errorf("policy compile: -o OUT is required");
                return CLI_EXIT_REFUSED;
        }
        int status = load_single(o, &policy);
        if (status != 0)
                return status;
        if (sealexec_policy_export_bpf_backend(policy, o->caps, -1, o->backend, &prog, &len, &err) <
            0) {
                sealexec_policy_free(policy);
                return cli_report(&err);
        }
        sealexec_policy_free(policy);

        int fd = strcmp(o->output, "-") == 0
                     ? dup(STDOUT_FILENO)
                     : open(o->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        int r = fd < 0 ? -errno : write_all(fd, prog, len);
        if (fd >= 0 && close(fd) < 0 && r == 0)
                r = -errno;
        free(prog);
        if (r < 0) {
                cli_errorf("policy compile: '%s': %s", o->output, strerror(-r));
                return CLI_EXIT_REFUSED;
        }
        return 0;
}

static int cmd_explain(const struct policy_options *o)
{
        sealexec_policy *policy = NULL;
        sealexec_error err = {0};
        char *text = NULL;

        int status = load_single(o, &policy);
        if (status != 0)
                return status;
        unsigned flags =
            (o->pfc ? SEALEXEC_EXPLAIN_PFC : 0) | (o->json ? SEALEXEC_EXPLAIN_JSON : 0);
        int r = sealexec_policy_explain(policy, o->caps, flags, &text, &err);
        sealexec_policy_free(policy);
        if (r < 0)
                return cli_report(&err);
        fputs(text, stdout);
        if (o->json)
                fputc('\n', stdout);
        free(text);
        return 0;
}

int cli_cmd_policy(int argc, char **argv)
{
        struct policy_options o;

        if (argc < 2) {
                fputs(policy_usage, stderr);
                return CLI_EXIT_REFUSED;
        }
        const char *verb = argv[1];
        if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
                fputs(policy_usage, stdout);
                return 0;
        }
        int r = parse_policy_options(argc - 1, argv + 1, &o);
        if (r != 0)
                return r > 0 ? 0 : CLI_EXIT_REFUSED;
        if (strcmp(verb, "check") == 0)
                return cmd_check(&o);
        if (strcmp(verb, "compile") == 0)
                return cmd_compile(&o);
        if (strcmp(verb, "explain") == 0)
                return cmd_explain(&o);
        cli_errorf("policy: unknown command '%s' (check, compile, explain)", verb);
        return CLI_EXIT_REFUSED;
}
