/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fork-launch: what a runtime pays per child when it prepares one launch and
 * forks many children from it.
 *
 *   fork-launch [--rounds R] [N] [PAYLOAD]
 *
 * Prepares one launch of PAYLOAD (default: the static `tiny` built next to
 * this program) with the built-in docker profile
 * (sealexec_policy_new_profile("docker")), then, per round, times N times
 * fork + sealexec_launch_exec() in the child + waitpid, against N times
 * fork + execve(PAYLOAD) + waitpid of the same file. Prints each round, the
 * median round of each, and their ratio. N defaults to 50, R to 5.
 *
 * As root the launch is given allow_root, so both loops run the payload as
 * the same user and the difference is the confinement alone (fd step,
 * capabilities, no_new_privs, Landlock, seccomp install, execveat of the
 * sealed memfd). Not a test: nothing here asserts a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sealexec.h"

#ifndef FORK_LAUNCH_TINY
#define FORK_LAUNCH_TINY "tiny"
#endif

#define MAX_ROUNDS 99

extern char **environ;

static double now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int wait_ok(pid_t pid, const char *what)
{
        int status;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        perror("waitpid");
                        return -1;
                }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "fork-launch: %s: child status 0x%x\n", what, status);
                return -1;
        }
        return 0;
}

/* N x (fork, sealexec_launch_exec in the child, wait); the wall time in ms, or < 0. */
static double run_sealed(sealexec_launch *launch, int n)
{
        double start = now_ms();
        for (int i = 0; i < n; i++) {
                pid_t pid = fork();
                if (pid < 0)
                        return -1;
                if (pid == 0) {
                        sealexec_error err = {0};
                        sealexec_launch_exec(launch, &err);
                        (void)!write(STDERR_FILENO, err.message, strlen(err.message));
                        (void)!write(STDERR_FILENO, "\n", 1);
                        _exit(125);
                }
                if (wait_ok(pid, "sealed launch") < 0)
                        return -1;
        }
        return now_ms() - start;
}

/* N x (fork, execve(path) in the child, wait). */
static double run_plain(const char *path, int n)
{
        char *argv[] = {"tiny", NULL};
        double start = now_ms();
        for (int i = 0; i < n; i++) {
                pid_t pid = fork();
                if (pid < 0)
                        return -1;
                if (pid == 0) {
                        execve(path, argv, environ);
                        _exit(127);
                }
                if (wait_ok(pid, "plain execve") < 0)
                        return -1;
        }
        return now_ms() - start;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

static double median(double *v, int n)
{
        qsort(v, (size_t)n, sizeof(*v), cmp_double);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* FORK_LAUNCH_PROFILE=none|default|docker (default docker), to see what each part costs. */
static const char *profile_name(void)
{
        const char *p = getenv("FORK_LAUNCH_PROFILE");
        return p && *p ? p : "docker";
}

static sealexec_launch *prepare(const char *path, double *ret_ms)
{
        sealexec_error err = {0};
        sealexec_launch *l = NULL;
        sealexec_payload *payload = NULL;
        sealexec_policy *docker = NULL;
        char *argv[] = {"tiny", NULL};
        double start = now_ms();
        int r = sealexec_launch_new(&l, &err);
        if (r >= 0)
                r = sealexec_payload_load_path(path, 0, 0, &payload, &err);
        if (r >= 0)
                r = sealexec_launch_set_payload(l, payload, &err);
        if (r >= 0)
                r = sealexec_launch_set_argv(l, argv, &err);
        if (r >= 0)
                r = sealexec_policy_new_profile(profile_name(), &docker, &err);
        if (r >= 0)
                r = sealexec_launch_set_policy(l, docker, &err);
        if (r >= 0)
                r = sealexec_launch_set_allow_root(l, true, &err);
        if (r >= 0)
                r = sealexec_launch_prepare(l, &err);
        if (r < 0) {
                fprintf(stderr, "fork-launch: preparing the launch of %s: %s\n", path, err.message);
                sealexec_launch_free(l);
                return NULL;
        }
        *ret_ms = now_ms() - start;
        return l;
}

int main(int argc, char **argv)
{
        int rounds = 5, n = 50, argi = 1;
        if (argi + 1 < argc && strcmp(argv[argi], "--rounds") == 0) {
                rounds = atoi(argv[argi + 1]);
                argi += 2;
        }
        if (argi < argc)
                n = atoi(argv[argi++]);
        const char *path = argi < argc ? argv[argi] : FORK_LAUNCH_TINY;
        if (n < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
                fprintf(stderr, "usage: fork-launch [--rounds 1..%d] [N] [PAYLOAD]\n", MAX_ROUNDS);
                return 2;
        }
        double prepare_ms = 0;
        sealexec_launch *launch = prepare(path, &prepare_ms);
        if (!launch)
                return 1;
        printf("payload: %s, profile: %s, %d launches per round, %d rounds\n", path, profile_name(),
               n, rounds);
        printf("prepare (load, seal, plan, compile; once): %.3f ms\n", prepare_ms);

        /* One unmeasured round of each: page cache, lazy binding, allocator. */
        if (run_sealed(launch, 5) < 0 || run_plain(path, 5) < 0)
                return 1;
        double sealed[MAX_ROUNDS], plain[MAX_ROUNDS];
        for (int i = 0; i < rounds; i++) {
                sealed[i] = run_sealed(launch, n);
                plain[i] = run_plain(path, n);
                if (sealed[i] < 0 || plain[i] < 0)
                        return 1;
                printf("round %d: sealed %.2f ms, plain %.2f ms\n", i + 1, sealed[i], plain[i]);
        }
        double s = median(sealed, rounds), p = median(plain, rounds);
        printf("median of %d rounds, %d x fork+exec+wait:\n", rounds, n);
        printf("  sealexec_launch_exec (prepared, %-7s profile): %8.2f ms  (%.3f ms each)\n",
               profile_name(), s, s / n);
        printf("  plain execve                                   : %8.2f ms  (%.3f ms each)\n", p,
               p / n);
        printf("  ratio sealed / plain: %.2f\n", s / p);
        sealexec_launch_free(launch);
        return 0;
}
