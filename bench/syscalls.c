/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syscalls N [ROUNDS]: the cost of a system call inside a payload, with
 * whatever seccomp filter its launcher installed. For each syscall it runs
 * ROUNDS rounds of N calls timed with clock_gettime(CLOCK_MONOTONIC) (the
 * vDSO: no syscall, so the filter does not see the clock) and prints the
 * median and the fastest round in nanoseconds per call (other processes only
 * ever add time, so the fastest round is the steadiest estimate of the cost
 * of the call and its filter):
 *
 *   getppid       no arguments: the filter decides on the syscall number
 *   ioctl         ioctl(pipe, FIONREAD): filters that check the request
 *                 (TIOCSTI/TIOCLINUX denial) compare arguments here
 *   personality   personality(0xffffffff), the query Docker's profile
 *                 allows by argument value
 *
 * and the result of one call ("ret=" value or "-errno"), so a run under a
 * filter that denies a call shows it rather than timing an error path
 * unknowingly. Output: one "name median_ns min_ns ret" line per syscall.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 31

static int pipe_fd = -1;

static long call_getppid(void)
{
        return syscall(SYS_getppid);
}

static long call_ioctl(void)
{
        int n;
        return syscall(SYS_ioctl, pipe_fd, FIONREAD, &n);
}

static long call_personality(void)
{
        return syscall(SYS_personality, 0xffffffffUL);
}

static double now_ns(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

struct timing {
        double median;
        double min;
};

static struct timing ns_per_call(long (*call)(void), long n, int rounds)
{
        double per_call[MAX_ROUNDS];

        for (int r = 0; r < rounds; r++) {
                double start = now_ns();
                for (long i = 0; i < n; i++)
                        call();
                per_call[r] = (now_ns() - start) / (double)n;
        }
        qsort(per_call, (size_t)rounds, sizeof(per_call[0]), compare_double);
        return (struct timing){.median = per_call[rounds / 2], .min = per_call[0]};
}

static void report(const char *name, long (*call)(void), long n, int rounds)
{
        long ret = call();
        long shown = ret < 0 ? -errno : ret;
        struct timing t = ns_per_call(call, n, rounds);
        printf("%s %.1f %.1f %ld\n", name, t.median, t.min, shown);
}

int main(int argc, char **argv)
{
        long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
        int rounds = argc > 2 ? atoi(argv[2]) : 5;
        int fds[2];

        if (n <= 0 || rounds <= 0 || rounds > MAX_ROUNDS) {
                fputs("usage: syscalls N [ROUNDS<=31]\n", stderr);
                return 2;
        }
        if (pipe(fds) < 0) {
                perror("syscalls: pipe");
                return 1;
        }
        pipe_fd = fds[0];
        report("getppid", call_getppid, n, rounds);
        report("ioctl", call_ioctl, n, rounds);
        report("personality", call_personality, n, rounds);
        return 0;
}
