/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * prepared-exec MODE: sealexec_launch_exec() allocates nothing once the
 * launch is prepared, so a runtime can call it in a child forked from a
 * multithreaded parent.
 *
 * Runs under LD_PRELOAD=abort-alloc.so (see abort-alloc.c). It prepares a
 * launch of the static probe ($PROBE) with the default profile, a sealed
 * file and, as root, --user 65534; arms the allocator; forks a child that
 * calls sealexec_launch_exec(); and checks from the probe's own output that
 * the child exec'd it. A child that allocated would die of SIGABRT.
 *
 * MODE: single     the parent has one thread
 *       threads    the parent has started 4 sleeping threads before forking
 *       exec-once  as single, under --exec-once (exec guard, fd X, Landlock
 *                  no-exec, stacked filter); skipped (77) without the kernel
 *                  features it needs
 *       no-close-range  as single, with close_range() failing with ENOSYS in
 *                  the child (as on kernels before 5.9), so the fd step takes
 *                  its fallback. Not registered in ctest: the fallback walks
 *                  /proc/self/fd with opendir(), which allocates (reported to
 *                  the lead); register it once that is fixed.
 *
 * Exit status: 0 pass, 1 fail, 77 skipped (reason printed).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sealexec.h"

#define N_THREADS 4

typedef void (*arm_fn)(bool arm);

/* The output of the child, read without allocating while the allocator is armed. */
static char output[65536];

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fputs("FAIL: ", stdout);
        vprintf(fmt, ap);
        fputc('\n', stdout);
        va_end(ap);
        return 1;
}

static void describe_status(int status, char *buf, size_t size)
{
        if (WIFEXITED(status))
                snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
                snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
        else
                snprintf(buf, size, "wait status 0x%x", status);
}

/* The armed allocator must abort on malloc(): otherwise this test proves nothing. */
static int check_allocator_armed(arm_fn arm)
{
        pid_t pid = fork();
        if (pid < 0)
                return fail("fork: %m");
        if (pid == 0) {
                /* The expected abort's message is not news. */
                int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
                if (null >= 0)
                        dup2(null, STDERR_FILENO);
                arm(true);
                void *volatile p = malloc(16);
                (void)p;
                _exit(0);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0)
                return fail("waitpid: %m");
        char what[96];
        describe_status(status, what, sizeof(what));
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
                return fail("malloc() with the allocator armed gave %s, want SIGABRT", what);
        return 0;
}

static void *sleeper(void *arg)
{
        (void)arg;
        for (;;)
                pause();
        return NULL;
}

struct setup {
        sealexec_launch *launch;
        bool as_root;
};

static int prepare(const char *mode, const char *probe, struct setup *ret)
{
        sealexec_error err = {0};
        sealexec_launch *l = NULL;
        sealexec_payload *payload = NULL, *conf = NULL;
        char *argv[] = {"probe", "fds", "argv", "status", NULL};
        int r = sealexec_launch_new(&l, &err);
        if (r >= 0)
                r = sealexec_payload_load_path(probe, 0, 0, &payload, &err);
        if (r >= 0)
                r = sealexec_launch_set_payload(l, payload, &err);
        if (r >= 0)
                r = sealexec_payload_load_path("/etc/passwd", SEALEXEC_LOAD_DATA, 0, &conf, &err);
        if (r >= 0)
                r = sealexec_launch_add_file(l, "conf", conf, &err);
        if (r >= 0)
                r = sealexec_launch_set_argv(l, argv, &err);
        /* The preloaded allocator is the test's, not the payload's business. */
        if (r >= 0)
                r = sealexec_launch_unset_env(l, "LD_PRELOAD", &err);
        if (r >= 0)
                r = sealexec_launch_set_env(l, "PREPARED_CONF=%{conf}", &err);
        if (r >= 0 && geteuid() == 0)
                r = sealexec_launch_set_user(l, "65534", &err);
        if (r >= 0 && strcmp(mode, "exec-once") == 0)
                r = sealexec_launch_set_exec_once(l, true, &err);
        if (r < 0) {
                sealexec_launch_free(l);
                return fail("setting up the launch: %s", err.message);
        }
        r = sealexec_launch_prepare(l, &err);
        if (r == -EOPNOTSUPP && strcmp(mode, "exec-once") == 0) {
                printf("SKIP: %s\n", err.message);
                sealexec_launch_free(l);
                return 77;
        }
        if (r < 0) {
                sealexec_launch_free(l);
                return fail("sealexec_launch_prepare: %s", err.message);
        }
        ret->launch = l;
        ret->as_root = geteuid() == 0;
        return 0;
}

/* close_range() fails with ENOSYS from here on; a hand-made filter, no allocation. */
static void deny_close_range(void)
{
        struct sock_filter insns[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close_range, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {.len = sizeof(insns) / sizeof(insns[0]), .filter = insns};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
                _exit(102);
}

/* Armed from just before fork() to just after waitpid(): the parent allocates nothing either. */
static int run_armed(sealexec_launch *launch, arm_fn arm, bool no_close_range, int *ret_status,
                     size_t *ret_len)
{
        int pipefd[2];
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return fail("pipe2: %m");
        fflush(NULL);
        arm(true);
        pid_t pid = fork();
        if (pid == 0) {
                sealexec_error err = {0};
                close(pipefd[0]);
                if (dup2(pipefd[1], STDOUT_FILENO) < 0)
                        _exit(101);
                close(pipefd[1]);
                if (no_close_range)
                        deny_close_range();
                sealexec_launch_exec(launch, &err);
                /* write() only: the allocator is armed here too. */
                static const char msg[] = "sealexec_launch_exec failed: ";
                (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
                (void)!write(STDERR_FILENO, err.message, strlen(err.message));
                (void)!write(STDERR_FILENO, "\n", 1);
                _exit(100);
        }
        int fork_errno = errno;
        close(pipefd[1]);
        size_t len = 0;
        while (pid > 0 && len < sizeof(output) - 1) {
                ssize_t n = read(pipefd[0], output + len, sizeof(output) - 1 - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                len += (size_t)n;
        }
        output[len] = '\0';
        close(pipefd[0]);
        int status = 0;
        while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        arm(false);
        if (pid < 0) {
                errno = fork_errno;
                return fail("fork: %m");
        }
        *ret_status = status;
        *ret_len = len;
        return 0;
}

static bool has_line(const char *text, const char *line)
{
        size_t n = strlen(line);
        for (const char *p = text; p && *p;) {
                if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
                        return true;
                p = strchr(p, '\n');
                p = p ? p + 1 : NULL;
        }
        return false;
}

static int check_output(const struct setup *s, int status)
{
        char what[96];
        describe_status(status, what, sizeof(what));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return fail("the child gave %s, want exit status 0 from the probe; output:\n%s",
                            what, output);
        /* 0 and 2 as the test runner left them, 1 the pipe, 3 the sealed file. */
        char want[64];
        snprintf(want, sizeof(want), "fds=%s1,%s3", fcntl(0, F_GETFD) >= 0 ? "0," : "",
                 fcntl(2, F_GETFD) >= 0 ? "2," : "");
        const char *lines[] = {want, "argv[0]=probe", "argv[1]=fds", "NoNewPrivs=1",
                               s->as_root ? "Uid=65534 65534 65534 65534" : NULL};
        for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
                if (lines[i] && !has_line(output, lines[i]))
                        return fail("the probe's output lacks '%s':\n%s", lines[i], output);
        return 0;
}

int main(int argc, char **argv)
{
        const char *mode = argc > 1 ? argv[1] : "";
        if (strcmp(mode, "single") != 0 && strcmp(mode, "threads") != 0 &&
            strcmp(mode, "exec-once") != 0 && strcmp(mode, "no-close-range") != 0)
                return fail("usage: prepared-exec single|threads|exec-once|no-close-range");
        const char *probe = getenv("PROBE");
        if (!probe || !*probe)
                return fail("PROBE must name the static probe (set by ctest)");
        arm_fn arm = (arm_fn)dlsym(RTLD_DEFAULT, "abort_alloc_arm");
        if (!arm)
                return fail("abort-alloc.so is not preloaded (LD_PRELOAD)");
        int r = check_allocator_armed(arm);
        if (r != 0)
                return r;

        struct setup s = {0};
        r = prepare(mode, probe, &s);
        if (r != 0)
                return r;
        if (strcmp(mode, "threads") == 0)
                for (int i = 0; i < N_THREADS; i++) {
                        pthread_t t;
                        if (pthread_create(&t, NULL, sleeper, NULL) != 0)
                                return fail("pthread_create failed");
                }

        int status = 0;
        size_t len = 0;
        r = run_armed(s.launch, arm, strcmp(mode, "no-close-range") == 0, &status, &len);
        if (r == 0)
                r = check_output(&s, status);
        if (r == 0)
                printf("ok: %s: the forked child exec'd the probe (uid %s) with every allocation "
                       "aborting after sealexec_launch_prepare()%s\n",
                       mode, s.as_root ? "65534 via --user" : "unchanged",
                       strcmp(mode, "threads") == 0 ? "; the parent had 5 threads" : "");
        /* Exit without freeing: the sleeping threads may still run. */
        fflush(stdout);
        _exit(r);
}
