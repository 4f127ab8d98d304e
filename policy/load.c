/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Policy files: reading them safely, choosing the parser by content, and
 * checking that what was parsed also compiles.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/filter.h>

#include "cleanup.h"
#include "error.h"
#include "load.h"
#include "policy.h"

/* A policy this large is a mistake, or an attempt to exhaust memory. */
#define POLICY_FILE_MAX (16u << 20)
#define BPF_MAX_INSNS   4096

static int open_regular(const char *path, const char *what, struct stat *ret_st,
                        sealexec_error *err)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        /* A missing policy is a refused launch (125), not a missing payload (127). */
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s '%s'", what, path);
        if (fstat(fd, ret_st) < 0) {
                int r = -errno;
                close(fd);
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "%s '%s': fstat", what, path);
        }
        if (!S_ISREG(ret_st->st_mode)) {
                close(fd);
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "%s '%s': not a regular file",
                                what, path);
        }
        return fd;
}

int policy_read_capped(int fd, size_t max, char **ret_buf, size_t *ret_len)
{
        size_t cap = 4096, len = 0;
        _cleanup_free_ char *buf = malloc(cap + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                if (len == cap) {
                        if (cap > max)
                                return -EFBIG;
                        size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
                        char *nbuf = realloc(buf, ncap + 1);
                        if (!nbuf)
                                return -ENOMEM;
                        buf = nbuf;
                        cap = ncap;
                }
                ssize_t n = read(fd, buf + len, cap - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                len += (size_t)n;
                if (len > max)
                        return -EFBIG;
        }
        buf[len] = '\0';
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

int policy_read_file(const char *path, char **ret_text, size_t *ret_len, sealexec_error *err)
{
        struct stat st;
        _cleanup_close_ int fd = open_regular(path, "policy", &st, err);
        if (fd < 0)
                return fd;
        if ((uint64_t)st.st_size > POLICY_FILE_MAX)
                return se_error(err, -EFBIG, SEALEXEC_ERROR_REFUSED,
                                "%s:1:1: policy file larger than 16 MiB", path);
        int r = policy_read_capped(fd, POLICY_FILE_MAX, ret_text, ret_len);
        if (r == -EFBIG)
                return se_error(err, r, SEALEXEC_ERROR_REFUSED,
                                "%s:1:1: policy file larger than 16 MiB", path);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "policy '%s': read", path);
        return 0;
}

/* Where the first NUL byte is, as line and column; false if there is none. */
static bool find_nul(const char *text, size_t len, unsigned *ret_line, unsigned *ret_col)
{
        const char *nul = memchr(text, '\0', len);
        if (!nul)
                return false;
        unsigned line = 1, col = 1;
        for (const char *p = text; p < nul; p++) {
                if (*p == '\n')
                        line++, col = 1;
                else
                        col++;
        }
        *ret_line = line;
        *ret_col = col;
        return true;
}

/*
 * For `policy check`: a policy with a notify action is valid, but a launch
 * refuses it unless a listener socket is given (sandbox/listener.c). One
 * note, at the first such rule; a note is not an error.
 */
static void note_notify(const struct sealexec_policy *policy, const char *path,
                        struct policy_diag *diag)
{
        const struct policy_origin *where = NULL;
        bool notify = policy->default_action.kind == POLICY_ACT_USER_NOTIF;
        for (size_t i = 0; !notify && i < policy->n_rules; i++)
                if (policy->rules[i].action.kind == POLICY_ACT_USER_NOTIF) {
                        notify = true;
                        where = &policy->rules[i].origin;
                }
        if (!notify || !diag)
                return;
        unsigned count = diag->count;
        (void)policy_diag_add(
            diag, where && where->file ? where->file : path, where && where->line ? where->line : 1,
            where && where->col ? where->col : 1,
            "note: user-notify (SCMP_ACT_NOTIFY): a launch with this policy is refused unless a "
            "seccomp listener socket is given; the listener is sent to it with an OCI "
            "ContainerProcessState naming \"seccompFd\", and an agent answers the calls");
        diag->count = count;
}

static int parse_by_content(const char *path, const char *text, size_t len,
                            const char *constants_path, struct policy_diag *diag,
                            struct sealexec_policy **ret_policy, sealexec_error *err)
{
        unsigned line, col;
        if (find_nul(text, len, &line, &col)) {
                policy_diag_add(diag, path, line, col, "NUL byte: not a policy text file");
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "%s:%u:%u: NUL byte: not a policy text file", path, line, col);
        }
        size_t i = 0;
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
                i++;
        /* JSON (OCI, Docker, a whole config.json) always starts with an object;
         * minijail's format never does. */
        if (i < len && text[i] == '{')
                return policy_parse_json(path, text, len, diag, ret_policy, err);
        return policy_parse_text(path, text, len, constants_path, diag, ret_policy, err);
}

int policy_parse_buffer(const char *path, const char *text, size_t len, const char *constants_path,
                        struct policy_diag *diag, struct sealexec_policy **ret_policy,
                        sealexec_error *err)
{
        struct sealexec_policy *p = NULL;
        int r = parse_by_content(path, text, len, constants_path, diag, &p, err);
        if (r < 0)
                return r;
        note_notify(p, path, diag);
        *ret_policy = p;
        return 0;
}

int policy_compile_any(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                       void **ret_prog, size_t *ret_len, sealexec_error *err)
{
        return policy_compile_bpf(policy, ctx, ret_prog, ret_len, err);
}

int policy_check_compiles(const struct sealexec_policy *policy, sealexec_error *err)
{
        /* Once without and once with every capability, so rules that depend on
         * capabilities are compiled at least once. */
        const struct policy_compile_ctx ctxs[] = {
            {.launch_fd = -1, .kept_caps = 0},
            {.launch_fd = -1, .kept_caps = ~UINT64_C(0)},
        };
        if (policy->no_filter || policy->n_bpf > 0)
                return 0;
        for (size_t i = 0; i < sizeof(ctxs) / sizeof(ctxs[0]); i++) {
                void *prog = NULL;
                size_t n = 0;
                int r = policy_compile_any(policy, &ctxs[i], &prog, &n, err);
                if (r < 0)
                        return r;
                free(prog);
        }
        return 0;
}

int policy_load_bpf_file(const char *path, struct sealexec_policy **ret_policy, sealexec_error *err)
{
        struct stat st;
        _cleanup_close_ int fd = open_regular(path, "BPF program", &st, err);
        if (fd < 0)
                return fd;
        size_t max = BPF_MAX_INSNS * sizeof(struct sock_filter);
        if (st.st_size == 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
            (uint64_t)st.st_size > max)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "BPF program '%s': %lld bytes; a program is 1 to %d "
                                "instructions of %zu bytes each",
                                path, (long long)st.st_size, BPF_MAX_INSNS,
                                sizeof(struct sock_filter));
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r = policy_read_capped(fd, max, &buf, &len);
        if (r == -EFBIG || (r == 0 && (len == 0 || len % sizeof(struct sock_filter) != 0)))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "BPF program '%s': changed size while being read", path);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "BPF program '%s': read",
                                      path);
        struct sealexec_policy *p = NULL;
        r = policy_new(path, &p, err);
        if (r < 0)
                return r;
        p->n_bpf = len / sizeof(struct sock_filter);
        p->bpf = TAKE_PTR(buf);
        *ret_policy = p;
        return 0;
}
