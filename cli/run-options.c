/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run-options.h"

const char run_usage[] =
    "Usage: sealexec run [OPTIONS] [--] PROGRAM [ARG...]\n"
    "\n"
    "Copy PROGRAM into a sealed memfd, confine this process and execute the sealed\n"
    "copy in place (same PID, terminal and exit status).\n"
    "\n"
    "Payload:\n"
    "  --fd N                  read the payload from open descriptor N (PROGRAM is then\n"
    "                          only the name the payload sees as argv[0])\n"
    "  --max-size SIZE         refuse payloads and files larger than SIZE (K, M, G;\n"
    "                          default 1G)\n"
    "  --digest sha256:HEX     refuse unless the sealed copy has this SHA-256\n"
    "  --hold PATH|require|off take the sealed copy from the holder at PATH\n"
    "                          (sealexec hold; default $SEALEXEC_HOLD_SOCKET, which\n"
    "                          alone turns it on); a private copy when it cannot\n"
    "                          serve, unless --hold=require\n"
    "  --file NAME=PATH[@sha256:HEX]\n"
    "                          seal PATH (never executable) and hand it to the payload;\n"
    "                          %{NAME} in arguments and --env values becomes its path\n"
    "  --argv0 NAME            argv[0] the payload sees (default: PROGRAM as typed)\n"
    "\n"
    "Process:\n"
    "  --keep-fd N             keep descriptor N open (all others but 0, 1, 2 close)\n"
    "  --fd-map P:C            hand descriptor P to the payload as descriptor C\n"
    "  --chdir DIR             change directory\n"
    "  --env K=V               set an environment variable\n"
    "  --unsetenv K            remove an environment variable\n"
    "  --clear-env             start from an empty environment\n"
    "  --rlimit NAME=SOFT[:HARD]  set a resource limit (names as prlimit(1))\n"
    "  --user USER|UID         switch user\n"
    "  --group GROUP|GID       switch group\n"
    "  --groups G[,G...]       supplementary groups (default: only the group)\n"
    "  --ids-from-root         resolve --user/--group/--groups names in --root's\n"
    "                          /etc/passwd and /etc/group, not the host's\n"
    "  --cap-keep CAP[,CAP...] keep these capabilities (all others are dropped)\n"
    "  --allow-root            let the payload run as root of the initial user\n"
    "                          namespace (refused by default: see SECURITY.md)\n"
    "  --keep-signals          keep the inherited signal mask and ignored signals\n"
    "\n"
    "Hardening:\n"
    "  --root DIR              resolve PROGRAM and --file paths beneath DIR (openat2\n"
    "                          RESOLVE_IN_ROOT: symlinks and .. cannot leave it)\n"
    "  --seal-interpreter      for #! payloads, seal the interpreter too\n"
    "  --exec-once             after the launch, nothing in the payload can exec again\n"
    "  --new-session           run in a new session (no controlling terminal)\n"
    "  --ro PATH, --rw PATH    Landlock: read only / read-write access beneath PATH;\n"
    "                          with any of them, nothing else on the filesystem\n"
    "  --landlock=MODE         require: refuse unless enforced; best-effort (default)\n"
    "  --no-scope-signals      let the payload signal processes outside its domain\n"
    "  --no-scope-abstract-unix  let it connect to abstract unix sockets outside\n"
    "  --deny-unix             the payload cannot create AF_UNIX sockets (so cannot\n"
    "                          connect to named ones such as docker.sock)\n"
    "\n"
    "Seccomp (one of; default: --profile default):\n"
    "  --profile NAME          built-in profile: default, docker, none\n"
    "  --policy FILE           minijail text policy or OCI/Docker JSON profile\n"
    "  --seccomp-bpf FILE      precompiled BPF program, loaded as it is\n"
    "  --constants FILE        minijail constants.json for text policies\n"
    "  --seccomp-listener PATH send the listener of a notify policy over the UNIX\n"
    "                          socket PATH (as runc and crun do)\n"
    "\n"
    "Other:\n"
    "  --dry-run               print what would be done and exit 0\n"
    "  --json                  with --dry-run: print it as JSON (see sealexec(1))\n"
    "  -v, --verbose           log each step to stderr\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: the payload's own, or 125 if sealexec failed or refused, 126 if\n"
    "the payload cannot be executed, 127 if it was not found.\n";

enum {
        OPT_FD = 256,
        OPT_MAX_SIZE,
        OPT_DIGEST,
        OPT_FILE,
        OPT_ARGV0,
        OPT_KEEP_FD,
        OPT_CHDIR,
        OPT_ENV,
        OPT_UNSETENV,
        OPT_CLEAR_ENV,
        OPT_RLIMIT,
        OPT_USER,
        OPT_GROUP,
        OPT_CAP_KEEP,
        OPT_PROFILE,
        OPT_POLICY,
        OPT_SECCOMP_BPF,
        OPT_CONSTANTS,
        OPT_DRY_RUN,
        OPT_JSON,
        OPT_ROOT,
        OPT_SEAL_INTERPRETER,
        OPT_EXEC_ONCE,
        OPT_NEW_SESSION,
        OPT_RO,
        OPT_RW,
        OPT_LANDLOCK,
        OPT_NO_SCOPE_SIGNALS,
        OPT_NO_SCOPE_ABSTRACT_UNIX,
        OPT_ALLOW_ROOT,
        OPT_FD_MAP,
        OPT_SECCOMP_LISTENER,
        OPT_GROUPS,
        OPT_IDS_FROM_ROOT,
        OPT_KEEP_SIGNALS,
        OPT_DENY_UNIX,
        OPT_HOLD,
};

static const struct option run_long_options[] = {
    {"fd", required_argument, NULL, OPT_FD},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE},
    {"digest", required_argument, NULL, OPT_DIGEST},
    {"file", required_argument, NULL, OPT_FILE},
    {"argv0", required_argument, NULL, OPT_ARGV0},
    {"keep-fd", required_argument, NULL, OPT_KEEP_FD},
    {"chdir", required_argument, NULL, OPT_CHDIR},
    {"env", required_argument, NULL, OPT_ENV},
    {"unsetenv", required_argument, NULL, OPT_UNSETENV},
    {"clear-env", no_argument, NULL, OPT_CLEAR_ENV},
    {"rlimit", required_argument, NULL, OPT_RLIMIT},
    {"user", required_argument, NULL, OPT_USER},
    {"group", required_argument, NULL, OPT_GROUP},
    {"cap-keep", required_argument, NULL, OPT_CAP_KEEP},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"seccomp-bpf", required_argument, NULL, OPT_SECCOMP_BPF},
    {"constants", required_argument, NULL, OPT_CONSTANTS},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"json", no_argument, NULL, OPT_JSON},
    {"root", required_argument, NULL, OPT_ROOT},
    {"seal-interpreter", no_argument, NULL, OPT_SEAL_INTERPRETER},
    {"exec-once", no_argument, NULL, OPT_EXEC_ONCE},
    {"new-session", no_argument, NULL, OPT_NEW_SESSION},
    {"ro", required_argument, NULL, OPT_RO},
    {"rw", required_argument, NULL, OPT_RW},
    {"landlock", required_argument, NULL, OPT_LANDLOCK},
    {"no-scope-signals", no_argument, NULL, OPT_NO_SCOPE_SIGNALS},
    {"no-scope-abstract-unix", no_argument, NULL, OPT_NO_SCOPE_ABSTRACT_UNIX},
    {"allow-root", no_argument, NULL, OPT_ALLOW_ROOT},
    {"fd-map", required_argument, NULL, OPT_FD_MAP},
    {"seccomp-listener", required_argument, NULL, OPT_SECCOMP_LISTENER},
    {"groups", required_argument, NULL, OPT_GROUPS},
    {"ids-from-root", no_argument, NULL, OPT_IDS_FROM_ROOT},
    {"keep-signals", no_argument, NULL, OPT_KEEP_SIGNALS},
    {"deny-unix", no_argument, NULL, OPT_DENY_UNIX},
    {"hold", required_argument, NULL, OPT_HOLD},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Appends one element to a growable array of `size`-byte elements. */
static int append(void *array_ptr, size_t *count, size_t size, const void *element)
{
        void **array = array_ptr;
        void *grown = realloc(*array, (*count + 1) * size);
        if (!grown)
                return -ENOMEM;
        memcpy((char *)grown + *count * size, element, size);
        *array = grown;
        (*count)++;
        return 0;
}

__attribute__((format(printf, 3, 4))) static int fail(char *errbuf, size_t errsize, const char *fmt,
                                                      ...)
{
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errbuf, errsize, fmt, ap);
        va_end(ap);
        return -EINVAL;
}

static int set_once(const char **slot, const char *value, const char *option, char *errbuf,
                    size_t errsize)
{
        if (*slot)
                return fail(errbuf, errsize, "%s given twice", option);
        *slot = value;
        return 0;
}

/* --hold PATH, --hold=require, --hold=off; a path and a word may be combined. */
static int parse_hold(const char *arg, struct run_options *o, char *errbuf, size_t errsize)
{
        if (strcmp(arg, "require") == 0)
                o->hold_require = true;
        else if (strcmp(arg, "off") == 0)
                o->hold_off = true;
        else if (!strchr(arg, '/'))
                return fail(errbuf, errsize,
                            "--hold '%s': expected a socket path (with a '/'), require or off",
                            arg);
        else
                return set_once(&o->hold_socket, arg, "--hold PATH", errbuf, errsize);
        if (o->hold_require && o->hold_off)
                return fail(errbuf, errsize, "%s",
                            "--hold=require and --hold=off exclude each other");
        return 0;
}

/* Handles one option; returns 0, or -EINVAL/-ENOMEM with errbuf set. */
static int handle_option(int opt, char *arg, struct run_options *o, char *errbuf, size_t errsize)
{
        struct run_env_edit edit;
        int fd;

        switch (opt) {
        case OPT_FD:
                if (cli_parse_fd(arg, &fd) < 0)
                        return fail(errbuf, errsize, "--fd '%s': not a descriptor number", arg);
                o->payload_fd = fd;
                return 0;
        case OPT_MAX_SIZE:
                if (cli_parse_size(arg, &o->max_size) < 0)
                        return fail(errbuf, errsize,
                                    "--max-size '%s': expected a positive size (K, M, G)", arg);
                return 0;
        case OPT_DIGEST:
                return set_once(&o->digest, arg, "--digest", errbuf, errsize);
        case OPT_FILE: {
                struct cli_file_spec spec;
                int r = cli_parse_file_spec(arg, &spec, errbuf, errsize);
                return r < 0 ? r : append(&o->files, &o->n_files, sizeof(spec), &spec);
        }
        case OPT_ARGV0:
                return set_once(&o->argv0, arg, "--argv0", errbuf, errsize);
        case OPT_KEEP_FD:
                if (cli_parse_fd(arg, &fd) < 0)
                        return fail(errbuf, errsize, "--keep-fd '%s': not a descriptor number",
                                    arg);
                return append(&o->keep_fds, &o->n_keep_fds, sizeof(fd), &fd);
        case OPT_CHDIR:
                return set_once(&o->chdir, arg, "--chdir", errbuf, errsize);
        case OPT_ENV:
                edit = (struct run_env_edit){RUN_ENV_SET, arg};
                return append(&o->env, &o->n_env, sizeof(edit), &edit);
        case OPT_UNSETENV:
                edit = (struct run_env_edit){RUN_ENV_UNSET, arg};
                return append(&o->env, &o->n_env, sizeof(edit), &edit);
        case OPT_CLEAR_ENV:
                edit = (struct run_env_edit){RUN_ENV_CLEAR, NULL};
                return append(&o->env, &o->n_env, sizeof(edit), &edit);
        case OPT_RLIMIT:
                return append(&o->rlimits, &o->n_rlimits, sizeof(arg), &arg);
        case OPT_USER:
                return set_once(&o->user, arg, "--user", errbuf, errsize);
        case OPT_GROUP:
                return set_once(&o->group, arg, "--group", errbuf, errsize);
        case OPT_CAP_KEEP:
                return append(&o->caps, &o->n_caps, sizeof(arg), &arg);
        case OPT_PROFILE:
                return set_once(&o->profile, arg, "--profile", errbuf, errsize);
        case OPT_POLICY:
                return set_once(&o->policy_path, arg, "--policy", errbuf, errsize);
        case OPT_SECCOMP_BPF:
                return set_once(&o->bpf_path, arg, "--seccomp-bpf", errbuf, errsize);
        case OPT_CONSTANTS:
                return set_once(&o->constants_path, arg, "--constants", errbuf, errsize);
        case OPT_DRY_RUN:
                o->dry_run = true;
                return 0;
        case OPT_JSON:
                o->json = true;
                return 0;
        case OPT_ROOT:
                return set_once(&o->root, arg, "--root", errbuf, errsize);
        case OPT_SEAL_INTERPRETER:
                o->seal_interpreter = true;
                return 0;
        case OPT_EXEC_ONCE:
                o->exec_once = true;
                return 0;
        case OPT_NEW_SESSION:
                o->new_session = true;
                return 0;
        case OPT_RO:
        case OPT_RW: {
                struct run_landlock_path lp = {arg, opt == OPT_RW};
                return append(&o->landlock_paths, &o->n_landlock_paths, sizeof(lp), &lp);
        }
        case OPT_LANDLOCK:
                if (strcmp(arg, "require") == 0)
                        o->landlock_require = true;
                else if (strcmp(arg, "best-effort") == 0)
                        o->landlock_require = false;
                else
                        return fail(errbuf, errsize,
                                    "--landlock '%s': expected require or best-effort", arg);
                return 0;
        case OPT_NO_SCOPE_SIGNALS:
                o->no_scope_signals = true;
                return 0;
        case OPT_NO_SCOPE_ABSTRACT_UNIX:
                o->no_scope_abstract_unix = true;
                return 0;
        case OPT_ALLOW_ROOT:
                o->allow_root = true;
                return 0;
        case OPT_FD_MAP: {
                struct run_fd_map map;
                char *colon = strchr(arg, ':');
                if (!colon)
                        return fail(errbuf, errsize, "--fd-map '%s': expected PARENT:CHILD", arg);
                *colon = '\0';
                int bad =
                    cli_parse_fd(arg, &map.parent) < 0 || cli_parse_fd(colon + 1, &map.child) < 0;
                *colon = ':';
                if (bad)
                        return fail(errbuf, errsize, "--fd-map '%s': expected PARENT:CHILD numbers",
                                    arg);
                return append(&o->fd_maps, &o->n_fd_maps, sizeof(map), &map);
        }
        case OPT_SECCOMP_LISTENER:
                return set_once(&o->seccomp_listener, arg, "--seccomp-listener", errbuf, errsize);
        case OPT_GROUPS:
                return set_once(&o->groups, arg, "--groups", errbuf, errsize);
        case OPT_IDS_FROM_ROOT:
                o->ids_from_root = true;
                return 0;
        case OPT_KEEP_SIGNALS:
                o->keep_signals = true;
                return 0;
        case OPT_DENY_UNIX:
                o->deny_unix = true;
                return 0;
        case OPT_HOLD:
                return parse_hold(arg, o, errbuf, errsize);
        case 'v':
                o->verbose = true;
                return 0;
        case 'h':
                o->help = true;
                return 0;
        default:
                return fail(errbuf, errsize, "%s", "unknown option (see 'sealexec run --help')");
        }
}

static int check_combination(const struct run_options *o, char *errbuf, size_t errsize)
{
        int sources = !!o->profile + !!o->policy_path + !!o->bpf_path;
        if (sources > 1)
                return fail(errbuf, errsize, "%s",
                            "--profile, --policy and --seccomp-bpf exclude each other");
        if (o->json && !o->dry_run)
                return fail(errbuf, errsize, "%s", "--json needs --dry-run");
        if (o->root && o->payload_fd >= 0)
                return fail(errbuf, errsize, "%s", "--root and --fd exclude each other");
        if (o->ids_from_root && !o->root)
                return fail(errbuf, errsize, "%s", "--ids-from-root needs --root");
        if ((o->hold_socket || o->hold_require) && o->payload_fd >= 0)
                return fail(errbuf, errsize, "%s", "--hold and --fd exclude each other");
        if (o->hold_socket && o->hold_off)
                return fail(errbuf, errsize, "%s", "--hold PATH and --hold=off exclude each other");
        if (o->constants_path && !o->policy_path)
                return fail(errbuf, errsize, "%s", "--constants needs --policy");
        if (!o->help && !o->command)
                return fail(errbuf, errsize, "%s", "no PROGRAM given (see 'sealexec run --help')");
        return 0;
}

int run_options_parse(int argc, char **argv, struct run_options *ret_options, char *errbuf,
                      size_t errsize)
{
        struct run_options o = {.payload_fd = -1};
        int opt, r = 0;

        /* '+': stop at the first non-option, so PROGRAM's own options are left alone.
         * ':' first-ish: report missing arguments ourselves rather than through getopt. */
        optind = 0;
        opterr = 0;
        while (r == 0 && (opt = getopt_long(argc, argv, "+:vh", run_long_options, NULL)) != -1) {
                if (opt == '?') {
                        r = fail(errbuf, errsize, "unknown option '%s' (see 'sealexec run --help')",
                                 argv[optind - 1]);
                } else if (opt == ':') {
                        r = fail(errbuf, errsize, "option '%s' needs a value", argv[optind - 1]);
                } else {
                        r = handle_option(opt, optarg, &o, errbuf, errsize);
                }
        }
        if (r == 0 && optind < argc)
                o.command = &argv[optind];
        if (r == 0)
                r = check_combination(&o, errbuf, errsize);
        if (r < 0) {
                if (r == -ENOMEM)
                        snprintf(errbuf, errsize, "out of memory");
                run_options_done(&o);
                return r;
        }
        *ret_options = o;
        return 0;
}

void run_options_done(struct run_options *o)
{
        free(o->files);
        free(o->keep_fds);
        free(o->fd_maps);
        free(o->env);
        free(o->rlimits);
        free(o->caps);
        free(o->landlock_paths);
        *o = (struct run_options){.payload_fd = -1};
}
