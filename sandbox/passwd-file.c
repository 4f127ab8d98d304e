/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Looking up names in a container's own /etc/passwd and /etc/group.
 *
 * A runtime that launches a payload from a root filesystem wants "nginx" to
 * mean the container's nginx, not the host's. The files are read beneath the
 * root with the loader's safe open (openat2 RESOLVE_IN_ROOT, regular files
 * only, never blocking) and parsed here; NSS is never involved, since its
 * modules would be the host's. The parser takes the plain files(5) format:
 * "name:password:uid:gid:..." and "name:password:gid:member,member".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"
#include "sandbox/ids.h"
#include "sandbox/launch.h"

/* A passwd or group file is small; more is a mistake or an attack. */
#define ID_FILE_MAX (4u << 20)

static bool parse_number(const char *s, size_t len, uint32_t *ret)
{
        if (len == 0 || len > 10)
                return false;
        uint64_t v = 0;
        for (size_t i = 0; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                v = v * 10 + (uint64_t)(s[i] - '0');
        }
        if (v >= UINT32_MAX)
                return false;
        *ret = (uint32_t)v;
        return true;
}

/* The n-th ':'-separated field of a line (no copy). */
static bool field(const char *line, size_t line_len, unsigned n, const char **ret, size_t *ret_len)
{
        const char *p = line, *end = line + line_len;
        for (unsigned i = 0; i < n; i++) {
                p = memchr(p, ':', (size_t)(end - p));
                if (!p)
                        return false;
                p++;
        }
        const char *stop = memchr(p, ':', (size_t)(end - p));
        *ret = p;
        *ret_len = (size_t)((stop ? stop : end) - p);
        return true;
}

int id_file_lookup(const char *text, size_t len, const char *name, unsigned id_field,
                   uint32_t *ret_id, uint32_t *ret_gid)
{
        size_t name_len = strlen(name);
        for (const char *line = text, *end = text + len; line < end;) {
                const char *nl = memchr(line, '\n', (size_t)(end - line));
                size_t line_len = (size_t)((nl ? nl : end) - line);
                const char *f;
                size_t f_len;
                uint32_t id, gid = 0;
                if (line_len > name_len && line[name_len] == ':' &&
                    memcmp(line, name, name_len) == 0 &&
                    field(line, line_len, id_field, &f, &f_len) && parse_number(f, f_len, &id)) {
                        if (ret_gid &&
                            !(field(line, line_len, 3, &f, &f_len) && parse_number(f, f_len, &gid)))
                                return -EINVAL;
                        *ret_id = id;
                        if (ret_gid)
                                *ret_gid = gid;
                        return 0;
                }
                line += line_len + 1;
        }
        return -ENOENT;
}

int id_file_lookup_uid_gid(const char *text, size_t len, uint32_t uid, uint32_t *ret_gid)
{
        for (const char *line = text, *end = text + len; line < end;) {
                const char *nl = memchr(line, '\n', (size_t)(end - line));
                size_t line_len = (size_t)((nl ? nl : end) - line);
                const char *f;
                size_t f_len;
                uint32_t id, gid;
                if (field(line, line_len, 2, &f, &f_len) && parse_number(f, f_len, &id) &&
                    id == uid && field(line, line_len, 3, &f, &f_len) &&
                    parse_number(f, f_len, &gid)) {
                        *ret_gid = gid;
                        return 0;
                }
                line += line_len + 1;
        }
        return -ENOENT;
}

int id_file_read(int root_fd, const char *path, char **ret_text, size_t *ret_len,
                 sealexec_error *err)
{
        _cleanup_close_ int fd = -1;
        int r = loader_open_regular(root_fd, path, path, true, &fd, err);
        if (r < 0)
                return r;
        r = io_read_capped(fd, ID_FILE_MAX, ret_text, ret_len);
        if (r == -ENOMEM)
                return se_oom(err, path);
        if (r == -EFBIG)
                return se_error(err, r, SEALEXEC_ERROR_REFUSED, "%s: larger than %u bytes", path,
                                ID_FILE_MAX);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "%s: read", path);
        return 0;
}
