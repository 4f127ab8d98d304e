/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime-launch: a miniature container runtime on libsealexec.
 *
 *   runtime-launch [--user USER] [--policy FILE | --profile NAME] [--] PROGRAM [ARG...]
 *
 * It forks; the child seals PROGRAM into a memfd, sets its argv, user and
 * seccomp policy and executes it with sealexec_launch_exec(), which returns
 * only on failure. The parent waits and reports how the child ended,
 * "exited N" or "killed by signal SIGSYS", and exits the same way (N, or
 * 128 + signal).
 *
 * Run as root without --user, the workload runs as nobody (uid 65534), as a
 * runtime gives a workload that names no user an unprivileged one: the
 * library refuses a payload that would stay uid 0 of the host (see
 * sealexec_launch_set_allow_root() and SECURITY.md).
 *
 * The library is used only from the child, after fork(): the child has a
 * single thread, as sealexec_launch_exec() requires, and the runtime itself
 * stays unconfined.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sealexec.h>

/* The user of a workload that names none, when the runtime runs as root. */
#define DEFAULT_USER "65534"

struct options {
        const char *user;
        const char *policy_path;
        const char *profile;
        char **command;
};

static int parse_options(int argc, char **argv, struct options *ret)
{
        struct options o = {0};
        int i = 1;

        for (; i < argc && argv[i][0] == '-'; i++) {
                if (strcmp(argv[i], "--") == 0) {
                        i++;
                        break;
                }
                if (i + 1 >= argc)
                        return -1;
                if (strcmp(argv[i], "--user") == 0)
                        o.user = argv[++i];
                else if (strcmp(argv[i], "--policy") == 0)
                        o.policy_path = argv[++i];
                else if (strcmp(argv[i], "--profile") == 0)
                        o.profile = argv[++i];
                else
                        return -1;
        }
        if (i >= argc || (o.policy_path && o.profile))
                return -1;
        o.command = &argv[i];
        *ret = o;
        return 0;
}

/* The child: everything is set up here, so a failure ends only the child. */
static int launch_child(const struct options *o)
{
        sealexec_error err = {0};
        sealexec_payload *payload = NULL;
        sealexec_policy *policy = NULL;
        sealexec_launch *launch = NULL;
        int r;

        r = sealexec_launch_new(&launch, &err);
        if (r >= 0)
                r = sealexec_payload_load_path(o->command[0], SEALEXEC_LOAD_SEARCH_PATH, 0,
                                               &payload, &err);
        if (r >= 0)
                r = sealexec_launch_set_payload(launch, payload, &err); /* takes ownership */
        if (r >= 0)
                r = sealexec_launch_set_argv(launch, o->command, &err);
        /*
         * Root of the host would own /etc and /proc/sys/kernel/core_pattern
         * even without capabilities, so the library refuses it by default.
         * A runtime that launched in a user namespace of its own, where
         * uid 0 maps to an unprivileged uid, would not need this.
         */
        const char *user = o->user ? o->user : geteuid() == 0 ? DEFAULT_USER : NULL;
        if (r >= 0 && user)
                r = sealexec_launch_set_user(launch, user, &err);
        if (r >= 0)
                r = o->policy_path ? sealexec_policy_load_file(o->policy_path, NULL, &policy, &err)
                                   : sealexec_policy_new_profile(
                                         o->profile ? o->profile : "default", &policy, &err);
        if (r >= 0)
                r = sealexec_launch_set_policy(launch, policy, &err); /* takes ownership */
        if (r >= 0)
                r = sealexec_launch_exec(launch, &err); /* returns only on failure */

        fprintf(stderr, "runtime-launch: %s\n", err.message);
        sealexec_launch_free(launch);
        return err.kind != SEALEXEC_ERROR_NONE ? (int)err.kind : SEALEXEC_ERROR_REFUSED;
}

static int report(pid_t pid)
{
        int status;

        while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR) {
                        perror("runtime-launch: waitpid");
                        return 125;
                }
        }
        if (WIFEXITED(status)) {
                printf("exited %d\n", WEXITSTATUS(status));
                return WEXITSTATUS(status);
        }
        const char *name = sigabbrev_np(WTERMSIG(status));
        printf("killed by signal SIG%s\n", name ? name : "?");
        return 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
        struct options o;

        if (parse_options(argc, argv, &o) < 0) {
                fprintf(stderr,
                        "Usage: %s [--user USER] [--policy FILE | --profile NAME] [--] PROGRAM "
                        "[ARG...]\n",
                        argv[0]);
                return 125;
        }
        /* The child's output must not be interleaved with buffered parent output. */
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
                perror("runtime-launch: fork");
                return 125;
        }
        if (pid == 0)
                _exit(launch_child(&o));
        return report(pid);
}
