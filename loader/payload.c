/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * payload.c - the public payload API: open, copy into a memfd, seal, check.
 *
 * The order matters: the content checks (ELF or "#!") and the digest are made
 * on the sealed memfd, never on the source, so what was checked cannot differ
 * from what runs.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"

#define KNOWN_LOAD_FLAGS (SEALEXEC_LOAD_SEARCH_PATH | SEALEXEC_LOAD_DATA)

void loader_label_path(char *buf, size_t size, const char *path, bool is_data)
{
        snprintf(buf, size, "%s '%s'", is_data ? "file" : "payload", path);
}

void loader_label_fd(char *buf, size_t size, int fd, const char *name, bool is_data)
{
        if (name)
                loader_label_path(buf, size, name, is_data);
        else
                snprintf(buf, size, "%s fd %d", is_data ? "file" : "payload", fd);
}

static void payload_label(const sealexec_payload *p, char *buf, size_t size)
{
        loader_label_path(buf, size, p->name, p->is_data);
}

static int check_args(unsigned flags, sealexec_payload **ret_payload, sealexec_error *err)
{
        if (flags & ~KNOWN_LOAD_FLAGS)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "payload: unknown load flags 0x%x", flags & ~KNOWN_LOAD_FLAGS);
        if (!ret_payload)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "payload: no place for the result");
        return 0;
}

/* Executables must start like something execve(2) can run. Reads the memfd. */
static int check_content(int fd, uint64_t size, const char *label, bool *ret_is_script,
                         sealexec_error *err)
{
        unsigned char head[4] = {0};
        size_t n = size < sizeof(head) ? (size_t)size : sizeof(head);

        if (size == 0)
                return se_error(err, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE, "%s: is empty",
                                label);
        /* Sealed: it holds exactly `size` bytes. */
        int r = io_pread_exact(fd, head, n, 0);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot read sealed memfd", label);
        if (n >= 4 && memcmp(head, "\177ELF", 4) == 0) {
                *ret_is_script = false;
                return 0;
        }
        if (n >= 2 && head[0] == '#' && head[1] == '!') {
                *ret_is_script = true;
                return 0;
        }
        return se_error(err, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE,
                        "%s: not an ELF executable nor a #! script", label);
}

/*
 * The common part of both load functions: src has been opened (or borrowed)
 * and checked, `before` is its fstat(). Takes ownership of `name`.
 */
static int seal_source(int src, const struct stat *before, char *name, bool is_data,
                       uint64_t max_size, const char *label, sealexec_payload **ret_payload,
                       sealexec_error *err)
{
        _cleanup_free_ char *owned_name = name;
        char memfd_name[LOADER_MEMFD_NAME_MAX];
        _cleanup_close_ int memfd = -1;
        uint64_t size;
        unsigned seals;
        bool is_script = false;
        int r;

        loader_memfd_name(memfd_name, sizeof(memfd_name), name);
        r = loader_memfd_create(memfd_name, is_data, label, &memfd, err);
        if (r < 0)
                return r;
        r = loader_copy_stable(src, before, is_data, memfd, max_size, label, &size, err);
        if (r < 0)
                return r;
        r = loader_restrict_mode(memfd, is_data, label, err);
        if (r < 0)
                return r;
        r = loader_seal(memfd, label, &seals, err);
        if (r < 0)
                return r;
        r = loader_reopen_readonly(&memfd, label, err);
        if (r < 0)
                return r;
        if (!is_data) {
                r = check_content(memfd, size, label, &is_script, err);
                if (r < 0)
                        return r;
        }

        sealexec_payload *p = calloc(1, sizeof(*p));
        if (!p)
                return se_oom(err, label);
        p->fd = TAKE_FD(memfd);
        p->name = TAKE_PTR(owned_name);
        p->size = size;
        p->seals = seals;
        p->is_script = is_script;
        p->is_data = is_data;
        *ret_payload = p;
        return 0;
}

int loader_load_path_in(int root_fd, const char *path, unsigned flags, uint64_t max_size,
                        sealexec_payload **ret_payload, sealexec_error *err)
{
        bool is_data = flags & SEALEXEC_LOAD_DATA;
        char label[LOADER_LABEL_MAX];
        _cleanup_close_ int fd = -1;
        char *name = NULL;
        struct stat st;
        int r;

        r = check_args(flags, ret_payload, err);
        if (r < 0)
                return r;
        if (!path)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "payload: no path given");
        if (max_size == 0)
                max_size = SEALEXEC_DEFAULT_MAX_SIZE;

        r = loader_open_source(root_fd, path, flags & SEALEXEC_LOAD_SEARCH_PATH, is_data, max_size,
                               &name, &fd, &st, err);
        if (r < 0)
                return r;
        loader_label_path(label, sizeof(label), name, is_data);
        r = seal_source(fd, &st, name, is_data, max_size, label, ret_payload, err);
        if (r < 0)
                return r;
        (*ret_payload)->in_root = root_fd >= 0;
        return 0;
}

SEALEXEC_API int sealexec_payload_load_path(const char *path, unsigned flags, uint64_t max_size,
                                            sealexec_payload **ret_payload, sealexec_error *err)
{
        return loader_load_path_in(-1, path, flags, max_size, ret_payload, err);
}

/* A borrowed descriptor must be open and readable; O_PATH ones are not. */
static int check_borrowed_fd(int fd, const char *label, bool is_data, sealexec_error *err)
{
        int fl = fd >= 0 ? fcntl(fd, F_GETFL) : -1;

        if (fl < 0)
                return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED, "%s fd %d: not open",
                                is_data ? "file" : "payload", fd);
        if ((fl & O_PATH) || (fl & O_ACCMODE) == O_WRONLY)
                return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED,
                                "%s: fd %d is not open for reading", label, fd);
        return 0;
}

SEALEXEC_API int sealexec_payload_load_fd(int fd, const char *name, unsigned flags,
                                          uint64_t max_size, sealexec_payload **ret_payload,
                                          sealexec_error *err)
{
        bool is_data = flags & SEALEXEC_LOAD_DATA;
        char label[LOADER_LABEL_MAX];
        char *owned_name = NULL;
        struct stat st;
        int r;

        r = check_args(flags, ret_payload, err);
        if (r < 0)
                return r;
        if (max_size == 0)
                max_size = SEALEXEC_DEFAULT_MAX_SIZE;
        loader_label_fd(label, sizeof(label), fd, name, is_data);

        r = check_borrowed_fd(fd, label, is_data, err);
        if (r < 0)
                return r;
        r = loader_check_source(fd, label, is_data, max_size, &st, err);
        if (r < 0)
                return r;
        if (name)
                owned_name = strdup(name);
        else if (asprintf(&owned_name, "fd %d", fd) < 0)
                owned_name = NULL;
        if (!owned_name)
                return se_oom(err, label);
        return seal_source(fd, &st, owned_name, is_data, max_size, label, ret_payload, err);
}

static int ensure_digest(sealexec_payload *p, sealexec_error *err)
{
        char label[LOADER_LABEL_MAX];
        int r;

        if (p->have_digest)
                return 0;
        payload_label(p, label, sizeof(label));
        r = loader_digest_sealed(p->fd, p->size, label, p->digest, err);
        if (r < 0)
                return r;
        p->have_digest = true;
        return 0;
}

SEALEXEC_API int sealexec_payload_digest(sealexec_payload *payload,
                                         char ret_digest[SEALEXEC_DIGEST_STRING_MAX],
                                         sealexec_error *err)
{
        int r;

        if (!payload || !ret_digest)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "digest: no payload given");
        r = ensure_digest(payload, err);
        if (r < 0)
                return r;
        loader_digest_format(payload->digest, ret_digest);
        return 0;
}

/* The user's text, cut and with control characters replaced, for one line. */
static void printable(const char *text, char *buf, size_t size)
{
        size_t i = 0;

        for (; text[i] && i + 4 < size; i++)
                buf[i] = isprint((unsigned char)text[i]) ? text[i] : '?';
        if (text[i])
                memcpy(buf + i, "...", 4);
        else
                buf[i] = '\0';
}

SEALEXEC_API int sealexec_payload_verify_digest(sealexec_payload *payload, const char *expected,
                                                sealexec_error *err)
{
        unsigned char want[SEALEXEC_SHA256_LEN];
        char want_text[SEALEXEC_DIGEST_STRING_MAX], got_text[SEALEXEC_DIGEST_STRING_MAX];
        char label[LOADER_LABEL_MAX];
        int r;

        if (!payload)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "digest: no payload given");
        if (loader_digest_parse(expected, want) < 0) {
                char shown[96];
                printable(expected ? expected : "", shown, sizeof(shown));
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "malformed digest '%s': expected sha256:<64 hex digits>", shown);
        }
        r = ensure_digest(payload, err);
        if (r < 0)
                return r;
        if (memcmp(want, payload->digest, sizeof(want)) == 0)
                return 0;
        payload_label(payload, label, sizeof(label));
        loader_digest_format(want, want_text);
        loader_digest_format(payload->digest, got_text);
        return se_error(err, -EBADMSG, SEALEXEC_ERROR_REFUSED,
                        "%s: digest mismatch: expected %s, sealed content is %s", label, want_text,
                        got_text);
}

SEALEXEC_API int sealexec_payload_fd(const sealexec_payload *payload)
{
        return payload ? payload->fd : -EBADF;
}

SEALEXEC_API uint64_t sealexec_payload_size(const sealexec_payload *payload)
{
        return payload ? payload->size : 0;
}

SEALEXEC_API const char *sealexec_payload_name(const sealexec_payload *payload)
{
        return payload ? payload->name : NULL;
}

SEALEXEC_API bool sealexec_payload_is_script(const sealexec_payload *payload)
{
        return payload && payload->is_script;
}

SEALEXEC_API unsigned sealexec_payload_seals(const sealexec_payload *payload)
{
        return payload ? payload->seals : 0;
}

SEALEXEC_API void sealexec_payload_free(sealexec_payload *payload)
{
        if (!payload)
                return;
        if (payload->fd >= 0)
                close(payload->fd);
        free(payload->name);
        free(payload);
}

SEALEXEC_API int sealexec_digest_file(const char *path, char ret_digest[SEALEXEC_DIGEST_STRING_MAX],
                                      sealexec_error *err)
{
        unsigned char digest[SEALEXEC_SHA256_LEN];
        char label[LOADER_LABEL_MAX];
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        if (!path || !ret_digest)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "digest: no file given");
        /* Opened like a data file: regular files only, no execute checks, and
         * no size cap (hashing needs no memory proportional to the size). */
        r = loader_open_checked(-1, path, true, UINT64_MAX, &fd, &st, err);
        if (r < 0)
                return r;
        loader_label_path(label, sizeof(label), path, true);
        r = loader_digest_stream(fd, label, digest, err);
        if (r < 0)
                return r;
        loader_digest_format(digest, ret_digest);
        return 0;
}
