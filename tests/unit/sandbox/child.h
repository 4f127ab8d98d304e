/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers for sandbox tests that change process state: every such check runs
 * in a forked child, which reports failures on stderr and through its exit
 * status (cmocka's asserts must not run there: they would unwind into a copy
 * of the test runner).
 */
#ifndef SEALEXEC_TESTS_SANDBOX_CHILD_H
#define SEALEXEC_TESTS_SANDBOX_CHILD_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Inside a child: on failure print where and why, and exit 1. */
#define CHILD_CHECK(cond, ...)                                                                     \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: child check failed: %s: ", __FILE__, __LINE__,     \
                                #cond);                                                            \
                        fprintf(stderr, __VA_ARGS__);                                              \
                        fputc('\n', stderr);                                                       \
                        _exit(1);                                                                  \
                }                                                                                  \
        } while (0)

/* Exit status the child uses when it cannot run the check at all. */
#define CHILD_SKIP 77

/*
 * Each test binary holds two groups: the tests any user can run, and those
 * that need root (they switch to uid 65534, drop capabilities, ...). ctest
 * runs the binary twice, plain and with ROOT_GROUP_ARG; the second run exits
 * 77 (SKIP_RETURN_CODE) with the reason printed when it is not root, so an
 * unprivileged run reports SKIPPED instead of a pass.
 */
#define ROOT_GROUP_ARG "--root-tests"

static inline bool root_group_requested(int argc, char **argv)
{
        return argc > 1 && strcmp(argv[1], ROOT_GROUP_ARG) == 0;
}

static inline int root_group_skip(const char *why)
{
        printf("SKIP: %s\n", why);
        fflush(stdout);
        return CHILD_SKIP;
}

/*
 * Runs fn(arg) in a child with stdout connected to a pipe; returns the exit
 * status (or 128+signal) and stores what the child wrote in *ret_output.
 */
static inline int run_child(void (*fn)(void *), void *arg, char **ret_output)
{
        int pipefd[2];
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return -errno;
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                close(pipefd[0]);
                if (dup2(pipefd[1], STDOUT_FILENO) < 0)
                        _exit(2);
                close(pipefd[1]);
                fn(arg);
                fflush(NULL);
                _exit(0);
        }
        close(pipefd[1]);
        size_t size = 0, used = 0;
        char *out = NULL;
        for (;;) {
                if (used + 4096 + 1 > size) {
                        size = size ? size * 2 : 8192;
                        out = realloc(out, size);
                        if (!out)
                                abort();
                }
                ssize_t n = read(pipefd[0], out + used, size - used - 1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                used += (size_t)n;
        }
        out[used] = '\0';
        close(pipefd[0]);
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (ret_output)
                *ret_output = out;
        else
                free(out);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A close-on-exec memfd holding a copy of `path` (-1 on failure). */
static inline int memfd_copy_of(const char *path)
{
        int src = open(path, O_RDONLY | O_CLOEXEC);
        if (src < 0)
                return -1;
        struct stat st;
        int fd = memfd_create("sealexec-test", MFD_CLOEXEC);
        if (fd < 0 || fstat(src, &st) < 0 ||
            sendfile(fd, src, NULL, (size_t)st.st_size) != st.st_size) {
                close(src);
                if (fd >= 0)
                        close(fd);
                return -1;
        }
        close(src);
        return fd;
}

/* The value after "key:" in /proc/PID/status text, whitespace trimmed, in buf. */
static inline const char *status_field(const char *status, const char *key, char *buf, size_t size)
{
        size_t klen = strlen(key);
        for (const char *line = status; line && *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);
                if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == ':') {
                        const char *v = line + klen + 1;
                        while (*v == ' ' || *v == '\t')
                                v++;
                        size_t vlen = len - (size_t)(v - line);
                        while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                                vlen--;
                        snprintf(buf, size, "%.*s", (int)vlen, v);
                        return buf;
                }
                line = nl ? nl + 1 : NULL;
        }
        snprintf(buf, size, "(missing)");
        return buf;
}

#endif
