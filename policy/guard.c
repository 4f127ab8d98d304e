/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * guard.c - compiling an untrusted policy with a time limit.
 *
 * libseccomp 2.5.4 (Debian 12) can loop without end while adding some rule
 * sets, for example two lines of a minijail policy:
 *     ioctl: arg1 == 0x5401; return EPERM
 *     ioctl: arg1 & 0x80000000 && arg0 <= 2
 * (tests/fuzz/crashes-found/). A bad policy must get an error, never a hang,
 * and libseccomp cannot be interrupted safely in-process, so policies read
 * from files are compiled in a short-lived child process that sends the BPF
 * program back through a pipe; a child that is not done by the deadline is
 * killed and the policy refused. Built-in profiles are compiled in-process.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/filter.h>

#include "cleanup.h"
#include "error.h"
#include "policy.h"

/* What the child sends: a header, then the message or the program. */
struct guard_header {
        int32_t code; /* 0, or a negative errno */
        int32_t kind;
        uint64_t len; /* instructions, or message bytes */
};

static int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -1;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

static _Noreturn void child_compile(int fd, const struct sealexec_policy *policy,
                                    const struct policy_compile_ctx *ctx)
{
        sealexec_error err = {0};
        void *prog = NULL;
        size_t n = 0;
        int r = policy_compile_bpf(policy, ctx, &prog, &n, &err);
        struct guard_header h = {.code = r < 0 ? r : 0, .kind = err.kind};
        if (r < 0) {
                h.len = strnlen(err.message, sizeof(err.message));
                _exit(write_all(fd, &h, sizeof(h)) == 0 && write_all(fd, err.message, h.len) == 0
                          ? 0
                          : 1);
        }
        h.len = n;
        _exit(write_all(fd, &h, sizeof(h)) == 0 &&
                      write_all(fd, prog, n * sizeof(struct sock_filter)) == 0
                  ? 0
                  : 1);
}

static int64_t now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads exactly len bytes before the deadline: 0, -ETIMEDOUT or -EIO. */
static int read_until(int fd, void *buf, size_t len, int64_t deadline)
{
        char *p = buf;
        while (len > 0) {
                int64_t left = deadline - now_ms();
                if (left <= 0)
                        return -ETIMEDOUT;
                struct pollfd pfd = {.fd = fd, .events = POLLIN};
                int r = poll(&pfd, 1, (int)left);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                if (r == 0)
                        return -ETIMEDOUT;
                ssize_t n = read(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -EIO;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

static int receive(int fd, int64_t deadline, const struct sealexec_policy *policy, void **ret_prog,
                   size_t *ret_len, sealexec_error *err)
{
        struct guard_header h;
        int r = read_until(fd, &h, sizeof(h), deadline);
        if (r == 0 && h.code < 0) {
                char message[SEALEXEC_ERROR_MESSAGE_MAX] = {0};
                if (h.len >= sizeof(message) || read_until(fd, message, h.len, deadline) < 0)
                        return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                        "policy '%s': compiler process failed", policy->name);
                return se_error(err, h.code, (sealexec_error_kind)h.kind, "%s", message);
        }
        if (r == 0 && (h.len == 0 || h.len > 1u << 20))
                r = -EIO;
        if (r < 0)
                return r;
        size_t bytes = h.len * sizeof(struct sock_filter);
        _cleanup_free_ void *prog = malloc(bytes);
        if (!prog)
                return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED, "policy: out of memory");
        r = read_until(fd, prog, bytes, deadline);
        if (r < 0)
                return r;
        *ret_prog = TAKE_PTR(prog);
        *ret_len = h.len;
        return 0;
}

int policy_compile_bpf_bounded(const struct sealexec_policy *policy,
                               const struct policy_compile_ctx *ctx, unsigned timeout_ms,
                               void **ret_prog, size_t *ret_len, sealexec_error *err)
{
        int pipefd[2];
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "policy '%s': cannot start the compiler process",
                                      policy->name);
        pid_t pid = fork();
        if (pid < 0) {
                int e = errno;
                close(pipefd[0]);
                close(pipefd[1]);
                return se_error_errno(err, -e, SEALEXEC_ERROR_REFUSED,
                                      "policy '%s': cannot start the compiler process",
                                      policy->name);
        }
        if (pid == 0) {
                close(pipefd[0]);
                child_compile(pipefd[1], policy, ctx);
        }
        close(pipefd[1]);
        _cleanup_close_ int rfd = pipefd[0];
        int r = receive(rfd, now_ms() + timeout_ms, policy, ret_prog, ret_len, err);
        if (r < 0)
                kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        if (r == -ETIMEDOUT)
                return se_error(err, r, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': too complex: libseccomp did not compile it within "
                                "%u s",
                                policy->name, timeout_ms / 1000);
        if (r == -EIO)
                return se_error(err, r, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': the compiler process failed", policy->name);
        return r;
}
