/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Policy files: reading them safely, choosing the parser by content, and
 * checking that what was parsed also compiles.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/filter.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"
#include "policy/compile.h"
#include "policy/load.h"

int policy_open_file(const char *path, const char *what, struct stat *ret_st, int *ret_fd,
                     sealexec_error *err)
{
        char label[SEALEXEC_ERROR_MESSAGE_MAX / 2];
        _cleanup_close_ int fd = -1;

        snprintf(label, sizeof(label), "%s '%s'", what, path);
        int r = loader_open_regular(-1, path, label, true, &fd, err);
        if (r < 0)
                return r;
        if (fstat(fd, ret_st) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: fstat", label);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int policy_read_file(const char *path, char **ret_text, size_t *ret_len, sealexec_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r = policy_open_file(path, "policy", &st, &fd, err);
        if (r < 0)
                return r;
        if ((uint64_t)st.st_size > POLICY_FILE_MAX)
                return se_error(err, -EFBIG, SEALEXEC_ERROR_REFUSED,
                                "%s:1:1: policy file larger than %u MiB", path,
                                POLICY_FILE_MAX >> 20);
        r = io_read_capped(fd, POLICY_FILE_MAX, ret_text, ret_len);
        if (r == -EFBIG)
                return se_error(err, r, SEALEXEC_ERROR_REFUSED,
                                "%s:1:1: policy file larger than %u MiB", path,
                                POLICY_FILE_MAX >> 20);
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
        for (size_t i = 0; i < ARRAY_SIZE(ctxs); i++) {
                void *prog = NULL;
                size_t n = 0;
                int r = policy_compile_bpf(policy, &ctxs[i], &prog, &n, err);
                if (r < 0)
                        return r;
                free(prog);
        }
        return 0;
}

int policy_load_bpf_file(const char *path, struct sealexec_policy **ret_policy, sealexec_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r = policy_open_file(path, "BPF program", &st, &fd, err);
        if (r < 0)
                return r;
        size_t max = BPF_MAXINSNS * sizeof(struct sock_filter);
        if (st.st_size == 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
            (uint64_t)st.st_size > max)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "BPF program '%s': %lld bytes; a program is 1 to %d "
                                "instructions of %zu bytes each",
                                path, (long long)st.st_size, BPF_MAXINSNS,
                                sizeof(struct sock_filter));
        _cleanup_free_ char *buf = NULL;
        size_t len;
        r = io_read_capped(fd, max, &buf, &len);
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
