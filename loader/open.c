/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * open.c - opening the source of a payload safely, and the $PATH lookup.
 *
 * A path is resolved exactly once, into an O_PATH descriptor (which opens
 * nothing: no FIFO is opened, no device driver's open routine runs). Its type
 * is checked on that descriptor, and only a regular file is then opened for
 * reading, by reopening THAT descriptor through /proc/self/fd/N, never the
 * path again: a path swapped between the check and the open (a symlink
 * flipped with RENAME_EXCHANGE between a file and a FIFO) cannot make
 * sealexec open what it refused. The reopen uses O_NONBLOCK and O_NOCTTY all
 * the same, and its result must be the inode that was checked. Without
 * procfs at /proc this fails closed.
 *
 * For executables sealexec demands what execve(2) demands of the source:
 * execute permission for the caller and a mount without noexec. Otherwise
 * copying into a memfd would be a way around both.
 *
 * Every open goes through loader_open_in() (root.c): open(2) from the
 * filesystem, or openat2(2) beneath a container root for --root; the checks
 * after it are the same either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "loader/loader.h"

sealexec_error_kind loader_open_error_kind(int code, bool is_data)
{
        if (is_data)
                return SEALEXEC_ERROR_REFUSED;
        switch (-code) {
        case ENOENT:
                return SEALEXEC_ERROR_NOT_FOUND;
        case EMFILE:
        case ENFILE:
        case ENOMEM:
        case EINTR:
                /* Resource exhaustion is sealexec's failure, not the payload's. */
                return SEALEXEC_ERROR_REFUSED;
        default:
                return SEALEXEC_ERROR_CANNOT_EXECUTE;
        }
}

static const char *file_type_name(mode_t mode)
{
        switch (mode & S_IFMT) {
        case S_IFIFO:
                return "fifo";
        case S_IFCHR:
                return "character device";
        case S_IFBLK:
                return "block device";
        case S_IFSOCK:
                return "socket";
        case S_IFLNK:
                return "symbolic link";
        default:
                return "unknown file type";
        }
}

static int check_type(const struct stat *st, const char *label, bool is_data, sealexec_error *err)
{
        sealexec_error_kind kind = loader_open_error_kind(-EACCES, is_data);

        if (S_ISREG(st->st_mode))
                return 0;
        if (S_ISDIR(st->st_mode))
                return se_error(err, -EISDIR, kind, "%s: is a directory", label);
        return se_error(err, -EACCES, kind, "%s: not a regular file (%s)", label,
                        file_type_name(st->st_mode));
}

static int check_size(const struct stat *st, const char *label, uint64_t max_size,
                      sealexec_error *err)
{
        if (st->st_size >= 0 && (uint64_t)st->st_size <= max_size)
                return 0;
        return se_error(
            err, -EFBIG, SEALEXEC_ERROR_REFUSED,
            "%s: size %jd bytes exceeds the cap of %ju bytes (raise max_size, --max-size in sealexec run)", label,
            (intmax_t)st->st_size, (uintmax_t)max_size);
}

static bool in_group(gid_t gid)
{
        if (getegid() == gid)
                return true;
        int n = getgroups(0, NULL);
        if (n <= 0)
                return false;
        _cleanup_free_ gid_t *groups = calloc((size_t)n, sizeof(gid_t));
        if (!groups)
                return false;
        n = getgroups(n, groups);
        for (int i = 0; i < n; i++)
                if (groups[i] == gid)
                        return true;
        return false;
}

/*
 * The classic permission rule, for kernels or seccomp filters without
 * faccessat2(2): root needs any x bit, others the bit of their class.
 */
static bool mode_allows_exec(const struct stat *st)
{
        uid_t euid = geteuid();

        if ((st->st_mode & 0111) == 0)
                return false;
        if (euid == 0)
                return true;
        if (st->st_uid == euid)
                return st->st_mode & S_IXUSR;
        if (in_group(st->st_gid))
                return st->st_mode & S_IXGRP;
        return st->st_mode & S_IXOTH;
}

static int check_exec_permission(int fd, const struct stat *st, const char *label,
                                 sealexec_error *err)
{
        /* The kernel's own answer (ACLs and LSMs included), for the effective
         * ids as execve(2) uses them. glibc 2.36 implements this with
         * faccessat2(2); without it, glibc's emulation cannot handle
         * AT_EMPTY_PATH, so anything but a clear answer falls back to the
         * mode bits. */
        if (faccessat(fd, "", X_OK, AT_EMPTY_PATH | AT_EACCESS) == 0)
                return 0;
        if (errno != EACCES && mode_allows_exec(st))
                return 0;
        return se_error(err, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE,
                        "%s: permission denied: no execute permission", label);
}

static int check_mount(int fd, const char *label, sealexec_error *err)
{
        struct statvfs vfs;

        if (fstatvfs(fd, &vfs) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot check mount flags", label);
        if (vfs.f_flag & ST_NOEXEC)
                return se_error(err, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "%s: permission denied: on a noexec mount", label);
        return 0;
}

int loader_check_source(int fd, const char *label, bool is_data, uint64_t max_size,
                        struct stat *ret_st, sealexec_error *err)
{
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: cannot fstat",
                                      label);
        r = check_type(&st, label, is_data, err);
        if (r < 0)
                return r;
        r = check_size(&st, label, max_size, err);
        if (r < 0)
                return r;
        if (!is_data) {
                /* The mount first: faccessat() also fails on a noexec mount,
                 * and the message should name the actual reason. */
                r = check_mount(fd, label, err);
                if (r < 0)
                        return r;
                r = check_exec_permission(fd, &st, label, err);
                if (r < 0)
                        return r;
        }
        *ret_st = st;
        return 0;
}

static int open_error(int root_fd, int code, const char *label, bool is_data, sealexec_error *err)
{
        sealexec_error_kind kind = loader_open_error_kind(code, is_data);

        if (root_fd >= 0 && code == -ENOSYS)
                return loader_root_no_openat2(err);
        if (root_fd >= 0 && code == -ELOOP)
                return se_error(err, code, kind,
                                "%s: cannot open: too many symbolic links, or a /proc magic link "
                                "(refused beneath the root directory)",
                                label);
        if (code == -ENOENT)
                return se_error(err, code, kind, "%s: not found", label);
        return se_error_errno(err, code, kind, "%s: cannot open", label);
}

int loader_proc_fd_path(int fd, char *buf, size_t size, const char *label, sealexec_error *err)
{
        struct statfs sfs;

        /* A missing /proc, or something else mounted there, would make the
         * path name another file (or none): fail closed instead. */
        if (statfs("/proc/self/fd", &sfs) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot use /proc/self/fd (is /proc mounted?)", label);
        if (sfs.f_type != PROC_SUPER_MAGIC)
                return se_error(err, -ENOENT, SEALEXEC_ERROR_REFUSED,
                                "%s: /proc is not a procfs mount; refusing to reopen by path",
                                label);
        snprintf(buf, size, "/proc/self/fd/%d", fd);
        return 0;
}

int loader_reopen_checked(int path_fd, const struct stat *checked, const char *label, bool is_data,
                          int *ret_fd, sealexec_error *err)
{
        char path[64];
        struct stat st;
        int r;

        r = loader_proc_fd_path(path_fd, path, sizeof(path), label, err);
        if (r < 0)
                return r;
        /* The inode the O_PATH descriptor holds, not whatever the name means now. */
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return open_error(-1, -errno, label, is_data, err);
        if (fstat(fd, &st) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: cannot fstat",
                                      label);
        if (st.st_dev != checked->st_dev || st.st_ino != checked->st_ino || !S_ISREG(st.st_mode))
                return se_error(err, -ESTALE, SEALEXEC_ERROR_REFUSED,
                                "%s: the reopened descriptor is not the file that was checked",
                                label);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int loader_open_regular(int root_fd, const char *path, const char *label, bool is_data, int *ret_fd,
                        sealexec_error *err)
{
        struct stat st;
        int r;

        /* O_PATH opens nothing: no FIFO, device or socket open routine runs. */
        _cleanup_close_ int path_fd = loader_open_in(root_fd, path, O_PATH | O_CLOEXEC);
        if (path_fd < 0)
                return open_error(root_fd, TAKE_FD(path_fd), label, is_data, err);
        if (fstat(path_fd, &st) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: cannot fstat",
                                      label);
        r = check_type(&st, label, is_data, err);
        if (r < 0)
                return r;
        /* Never the path again: it may name a FIFO or a device by now. */
        return loader_reopen_checked(path_fd, &st, label, is_data, ret_fd, err);
}

int loader_open_checked(int root_fd, const char *path, bool is_data, uint64_t max_size, int *ret_fd,
                        struct stat *ret_st, sealexec_error *err)
{
        char label[LOADER_LABEL_MAX];
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        loader_label_path(label, sizeof(label), path, is_data);
        r = loader_open_regular(root_fd, path, label, is_data, &fd, err);
        if (r < 0)
                return r;
        r = loader_check_source(fd, label, is_data, max_size, &st, err);
        if (r < 0)
                return r;

        /* O_NONBLOCK was only for the open; reads of a regular file block. */
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot clear O_NONBLOCK", label);
        *ret_fd = TAKE_FD(fd);
        *ret_st = st;
        return 0;
}

/* Errors after which execvp(3) tries the next $PATH entry silently. */
static bool skip_candidate(int code)
{
        switch (-code) {
        case ENOENT:
        case ENOTDIR:
        case ESTALE:
        case ENODEV:
        case ETIMEDOUT:
        case ENAMETOOLONG:
                return true;
        default:
                return false;
        }
}

/* Errors that execve(2) reports as EACCES: remembered, then the search goes on. */
static bool denied_candidate(int code)
{
        return code == -EACCES || code == -EISDIR;
}

/*
 * A $PATH directory the caller cannot search (an unprivileged service
 * inheriting root's PATH with /root/bin in it) holds nothing for it: treat
 * the candidate as absent, as shells do, so that a missing program is
 * reported as not found rather than as a permission problem.
 */
static bool dir_searchable(int root_fd, const char *dir, size_t dir_len)
{
        char path[PATH_MAX];
        if (dir_len == 0)
                return true;
        if (dir_len >= sizeof(path))
                return false;
        memcpy(path, dir, dir_len);
        path[dir_len] = '\0';
        if (root_fd < 0)
                return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0;
        /* Beneath a root, the directory itself must be resolved inside it. */
        _cleanup_close_ int fd = loader_open_in(root_fd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return fd >= 0 && faccessat(fd, "", X_OK, AT_EMPTY_PATH | AT_EACCESS) == 0;
}

static int search_path(int root_fd, const char *name, bool is_data, uint64_t max_size,
                       char **ret_path, int *ret_fd, struct stat *ret_st, sealexec_error *err)
{
        const char *path_env = getenv("PATH");
        sealexec_error denied = {0};
        size_t name_len = strlen(name);
        char label[LOADER_LABEL_MAX];

        if (!path_env)
                path_env = "/bin:/usr/bin";

        for (const char *p = path_env;; p++) {
                const char *end = strchrnul(p, ':');
                size_t dir_len = (size_t)(end - p);
                char candidate[PATH_MAX];
                sealexec_error cand_err = {0};
                int fd, r;

                /* An empty entry is the current directory, as for execvp(3). */
                if (dir_len + 1 + name_len + 1 <= sizeof(candidate)) {
                        if (dir_len == 0)
                                snprintf(candidate, sizeof(candidate), "./%s", name);
                        else
                                snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)dir_len, p,
                                         name);
                        r = loader_open_checked(root_fd, candidate, is_data, max_size, &fd, ret_st,
                                                &cand_err);
                        if (r >= 0) {
                                char *copy = strdup(candidate);
                                if (!copy) {
                                        close(fd);
                                        return se_oom(err, candidate);
                                }
                                *ret_path = copy;
                                *ret_fd = fd;
                                return 0;
                        }
                        if (denied_candidate(r)) {
                                if (denied.code == 0 && dir_searchable(root_fd, p, dir_len))
                                        denied = cand_err;
                        } else if (!skip_candidate(r)) {
                                if (err)
                                        *err = cand_err;
                                return r;
                        }
                }
                if (*end == '\0')
                        break;
                p = end;
        }

        if (denied.code != 0) {
                if (err)
                        *err = denied;
                return denied.code;
        }
        loader_label_path(label, sizeof(label), name, is_data);
        return se_error(err, -ENOENT, loader_open_error_kind(-ENOENT, is_data),
                        "%s: not found in $PATH", label);
}

int loader_open_source(int root_fd, const char *name, bool search, bool is_data, uint64_t max_size,
                       char **ret_path, int *ret_fd, struct stat *ret_st, sealexec_error *err)
{
        int fd, r;

        if (search && name[0] != '\0' && !strchr(name, '/'))
                return search_path(root_fd, name, is_data, max_size, ret_path, ret_fd, ret_st, err);

        r = loader_open_checked(root_fd, name, is_data, max_size, &fd, ret_st, err);
        if (r < 0)
                return r;
        char *copy = strdup(name);
        if (!copy) {
                close(fd);
                return se_oom(err, name);
        }
        *ret_path = copy;
        *ret_fd = fd;
        return 0;
}
