/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * root.c - resolving payload and file paths beneath a container's root
 * filesystem (--root).
 *
 * A container's root filesystem is controlled by whoever built the image, so
 * every path in it is hostile: an absolute symlink (/bin/sh -> /etc/shadow),
 * a ".." chain or a /proc/self/root magic link would, if followed by open(2)
 * in the launcher, read a file of the host. openat2(2) with RESOLVE_IN_ROOT
 * makes the kernel treat root_fd as "/" for the whole resolution (absolute
 * symlinks and ".." are clamped to it) and RESOLVE_NO_MAGICLINKS refuses the
 * /proc links that would jump out. There is no safe user-space emulation
 * (it would race with renames inside the root), so a kernel without openat2
 * (before 5.6) is refused rather than served unsafely.
 *
 * Everything after the open (type, size and permission checks on the
 * descriptor, copy, seal, content check) is the ordinary loader's.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "loader/loader.h"

/* openat2() answers EAGAIN when a rename or mount raced with a ".."
 * resolution; a few retries make that harmless, more would be a livelock. */
#define OPENAT2_RETRIES 16

int loader_root_no_openat2(sealexec_error *err)
{
        return se_error(err, -ENOSYS, SEALEXEC_ERROR_REFUSED,
                        "root directory: the kernel has no openat2(2); refusing to resolve paths in a "
                        "container root unsafely");
}

static int openat2_in_root(int root_fd, const char *path, int flags)
{
        struct open_how how = {
            .flags = (uint64_t)flags,
            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };

        for (int i = 0; i < OPENAT2_RETRIES; i++) {
                long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
                if (fd >= 0)
                        return (int)fd;
                if (errno != EAGAIN && errno != EINTR)
                        return -errno;
        }
        return -EAGAIN;
}

int loader_open_in(int root_fd, const char *path, int flags)
{
        if (root_fd < 0) {
                int fd = open(path, flags);
                return fd < 0 ? -errno : fd;
        }
        return openat2_in_root(root_fd, path, flags);
}

/* root_fd must be a directory; openat2 must exist (checked once, up front). */
static int check_root(int root_fd, sealexec_error *err)
{
        struct stat st;

        if (root_fd < 0 || fstat(root_fd, &st) < 0)
                return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED, "root directory: fd %d is not open",
                                root_fd);
        if (!S_ISDIR(st.st_mode))
                return se_error(err, -ENOTDIR, SEALEXEC_ERROR_REFUSED,
                                "root directory: fd %d is not a directory", root_fd);
        _cleanup_close_ int fd = openat2_in_root(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd == -ENOSYS)
                return loader_root_no_openat2(err);
        if (fd < 0)
                return se_error_errno(err, fd, SEALEXEC_ERROR_REFUSED,
                                      "root directory: cannot open it");
        return 0;
}

SEALEXEC_API int sealexec_payload_load_in_root(int root_fd, const char *path, unsigned flags,
                                               uint64_t max_size, sealexec_payload **ret_payload,
                                               sealexec_error *err)
{
        int r = check_root(root_fd, err);
        if (r < 0)
                return r;
        return loader_load_path_in(root_fd, path, flags, max_size, ret_payload, err);
}
